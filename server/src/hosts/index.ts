/**
 * The host registry: each host turns a file of its kind into shell regions (or problems). Adding a
 * host adds its reader here and its name patterns in detect.ts.
 */
import { readGithubActions } from './github-actions';
import { type PipelineFile, readGitlabCi } from './gitlab-ci';
import { readMakefile } from './makefile';
import { type MakeIncludeFiles, type MakeIncludes, normalize } from './makefile-include';
import { readMarkdown } from './markdown';
import type { Edit } from '../core/fix';
import type { HostKind, HostResult, ShellRegion } from './region';
import { readShellFile } from './shell';

/**
 * Host-side input limits (the engine's `limits`): how much one Makefile expansion may produce,
 * how large one Markdown code block and one YAML document may be, how many aliases a document may hold.
 */
export interface HostLimits {
  maxExpansion?: number;
  maxBlockSize?: number;
  maxDocumentSize?: number;
  maxAliases?: number;
  /** Also the bound on the text of all the files one Makefile includes. */
  maxFileSize?: number;
}

/**
 * Where a Makefile's includes are read from: set by the CLI and the language server (which read
 * the disk); unset, `include` lines are not followed (a text with no file behind it).
 */
let includeFilesFor: ((makefile: string) => MakeIncludeFiles) | null = null;
/** The Makefile that includes a fragment, found the same way; null when none does. */
let includerFor: ((fragment: string) => MakefileIncluding | null) | null = null;

export interface MakefileIncluding {
  /** The including Makefile's path, its text, and the fragment's path from its directory. */
  makefile: string;
  text: string;
  fragment: string;
}

/**
 * The other files of a GitLab CI file's pipeline (its root file and what that includes), read by
 * the CLI from the disk; unset, a file's jobs see only its own templates.
 */
let pipelineFor: ((file: string) => PipelineFile[]) | null = null;

export function followGitlabPipeline(reader: ((file: string) => PipelineFile[]) | null): void {
  pipelineFor = reader;
}

export function followMakeIncludes(reader: ((makefile: string) => MakeIncludeFiles) | null, includer: ((fragment: string) => MakefileIncluding | null) | null = null): void {
  includeFilesFor = reader;
  includerFor = includer;
}

function makeIncludes(text: string, fileName: string, fragment: boolean, limits: HostLimits): MakeIncludes | undefined {
  if (!includeFilesFor) return undefined;
  const maxBytes = limits.maxFileSize ?? 8 * 1024 * 1024;
  const includer = fragment && includerFor ? includerFor(fileName) : null;
  if (includer) return { files: includeFilesFor(includer.makefile), maxBytes, includer: { text: includer.text, fragment: normalize(includer.fragment) } };
  if (!/(?:^|\n)[ \t]*(?:-|s)?include[ \t]/.test(text)) return undefined;
  return { files: includeFilesFor(fileName), maxBytes };
}

// Fragments by convention: included by another Makefile, whose SHELL their recipes run with.
const MAKE_FRAGMENT = /\.(?:mk|make|inc)$/;

const READERS: Record<HostKind, (text: string, fileName: string, limits: HostLimits) => HostResult> = {
  shell: (text) => readShellFile(text),
  makefile: (text, fileName, limits) => {
    const fragment = MAKE_FRAGMENT.test(fileName);
    return readMakefile(text, limits.maxExpansion, fragment, makeIncludes(text, fileName, fragment, limits));
  },
  'github-actions': (text, _fileName, limits) => readGithubActions(text, limits),
  'gitlab-ci': (text, fileName, limits) => readGitlabCi(text, limits, pipelineFor?.(fileName) ?? []),
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
