/**
 * A host (a shell script, a Makefile, later YAML or Markdown) turns a file into regions of shell
 * text. Each region's text is a MappedString whose characters map back to the original file, so
 * everything read from it downstream keeps exact file positions.
 */
import type { MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';

/** The shell that will read a region: bash, or a POSIX sh such as dash. */
export type Dialect = 'bash' | 'sh';

export type HostKind = 'shell' | 'makefile' | 'github-actions' | 'gitlab-ci' | 'markdown';

export interface ShellRegion {
  /** Shell source text as the shell will read it, mapped to file offsets. */
  source: MappedString;
  dialect: Dialect;
  /**
   * Host-level quoting to re-apply when a fix writes shell text back into this region
   * (a Makefile recipe needs `$` written as `$$`). `line-prefixed`: plain text, but the host
   * stripped a prefix from some lines (a Markdown block quote's `> `, a list's indentation, a
   * console prompt), so an edit may not cross or insert a line break.
   */
  encoding: 'plain' | 'makefile' | 'line-prefixed';
  /**
   * Facts between commands (builders created, `use`, removals) flow only between regions of the
   * same scope: a GitHub Actions job, a Markdown code block. Undefined: the whole file.
   */
  scope?: string;
  /**
   * Scopes whose commands have certainly run before this region's (a Makefile target's
   * prerequisites): their facts hold at the start of this scope.
   */
  after?: string[];
  /**
   * Variables the host sets before the shell starts (GitLab CI `variables:`, a GitHub Actions
   * `env:`), each value mapped to where it is written. The shell reader starts from these.
   */
  variables?: { name: string; value: MappedString }[];
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
