/**
 * The host registry: each host turns a file of its kind into shell regions (or problems). Adding a
 * host adds its reader here and its name patterns in detect.ts.
 */
import { readMakefile } from './makefile';
import { readMarkdown } from './markdown';
import type { Edit } from '../core/fix';
import type { HostKind, HostResult, ShellRegion } from './region';
import { readShellFile } from './shell';

const READERS: Record<HostKind, (text: string, fileName: string) => HostResult> = {
  shell: (text) => readShellFile(text),
  makefile: (text) => readMakefile(text),
  // The CI hosts land with their readers; until then they contribute no regions.
  'github-actions': () => ({ regions: [], problems: [] }),
  'gitlab-ci': () => ({ regions: [], problems: [] }),
  markdown: (text) => readMarkdown(text),
};

export function readHost(kind: HostKind, text: string, fileName: string): HostResult {
  return READERS[kind](text, fileName);
}

/**
 * fixFitsRegions is false when an edit would cross or insert a line break inside a region whose
 * host stripped a prefix from its lines: the new text would lack that prefix (a block quote's
 * `> `) and change what the file means.
 */
export function fixFitsRegions(regions: ShellRegion[], text: string, edits: Edit[]): boolean {
  for (const e of edits) {
    const region = regions.find((r) => r.source.text.length > 0 && r.source.starts[0] <= e.span.start && e.span.start <= r.source.endOffset);
    if (!region || region.encoding !== 'line-prefixed') continue;
    if (/[\r\n]/.test(e.newText) || /[\r\n]/.test(text.slice(e.span.start, e.span.end))) return false;
  }
  return true;
}
