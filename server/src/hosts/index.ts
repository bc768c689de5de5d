/**
 * The host registry: each host turns a file of its kind into shell regions (or problems). Adding a
 * host adds its reader here and its name patterns in detect.ts.
 */
import { readGithubActions } from './github-actions';
import { readGitlabCi } from './gitlab-ci';
import { readMakefile } from './makefile';
import { readMarkdown } from './markdown';
import type { Edit } from '../core/fix';
import type { HostKind, HostResult, ShellRegion } from './region';
import { readShellFile } from './shell';

/**
 * Host-side input limits (the engine's `limits`): how much one Makefile expansion may produce,
 * how large one Markdown code block and one YAML document may be.
 */
export interface HostLimits {
  maxExpansion?: number;
  maxBlockSize?: number;
  maxDocumentSize?: number;
}

// Fragments by convention: included by another Makefile, whose SHELL their recipes run with.
const MAKE_FRAGMENT = /\.(?:mk|make|inc)$/;

const READERS: Record<HostKind, (text: string, fileName: string, limits: HostLimits) => HostResult> = {
  shell: (text) => readShellFile(text),
  makefile: (text, fileName, limits) => readMakefile(text, limits.maxExpansion, MAKE_FRAGMENT.test(fileName)),
  'github-actions': (text, _fileName, limits) => readGithubActions(text, limits.maxDocumentSize),
  'gitlab-ci': (text, _fileName, limits) => readGitlabCi(text, limits.maxDocumentSize),
  markdown: (text, _fileName, limits) => readMarkdown(text, limits.maxBlockSize),
};

export function readHost(kind: HostKind, text: string, fileName: string, limits: HostLimits = {}): HostResult {
  return READERS[kind](text, fileName, limits);
}

/**
 * fixChecker returns a test that is false when an edit would cross or insert a line break inside
 * a region whose host stripped a prefix from its lines: the new text would lack that prefix (a
 * block quote's `> `) and change what the file means.
 */
export function fixChecker(regions: ShellRegion[], text: string): (edits: Edit[]) => boolean {
  const prefixed = regions
    .filter((r) => r.encoding === 'line-prefixed' && r.source.text.length > 0)
    .map((r) => ({ start: r.source.starts[0], end: r.source.endOffset }))
    .sort((a, b) => a.start - b.start);
  if (!prefixed.length) return () => true;
  const inPrefixed = (offset: number): boolean => {
    let lo = 0;
    let hi = prefixed.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (prefixed[mid].start > offset) hi = mid - 1;
      else if (prefixed[mid].end < offset) lo = mid + 1;
      else return true;
    }
    return false;
  };
  return (edits) => edits.every((e) => !inPrefixed(e.span.start) || !(/[\r\n]/.test(e.newText) || /[\r\n]/.test(text.slice(e.span.start, e.span.end))));
}
