/**
 * A host (a shell script, a Makefile, later YAML or Markdown) turns a file into regions of shell
 * text. Each region's text is a MappedString whose characters map back to the original file, so
 * everything read from it downstream keeps exact file positions.
 */
import type { MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';
import type { Dialect } from '../shell/ast';

export type HostKind = 'shell' | 'makefile';

export interface ShellRegion {
  /** Shell source text as the shell will read it, mapped to file offsets. */
  source: MappedString;
  dialect: Dialect;
  /**
   * Host-level quoting to re-apply when a fix writes shell text back into this region
   * (a Makefile recipe needs `$` written as `$$`).
   */
  encoding: 'plain' | 'makefile';
}

export interface HostProblem {
  span: Span;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

export interface HostResult {
  regions: ShellRegion[];
  problems: HostProblem[];
}
