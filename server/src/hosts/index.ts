/**
 * The host registry: each host turns a file of its kind into shell regions (or problems). Adding a
 * host adds its reader here and its name patterns in detect.ts.
 */
import { readMakefile } from './makefile';
import type { HostKind, HostResult } from './region';
import { readShellFile } from './shell';

const READERS: Record<HostKind, (text: string, fileName: string) => HostResult> = {
  shell: (text) => readShellFile(text),
  makefile: (text) => readMakefile(text),
  // The CI and Markdown hosts land with their readers; until then they contribute no regions.
  'github-actions': () => ({ regions: [], problems: [] }),
  'gitlab-ci': () => ({ regions: [], problems: [] }),
  markdown: () => ({ regions: [], problems: [] }),
};

export function readHost(kind: HostKind, text: string, fileName: string): HostResult {
  return READERS[kind](text, fileName);
}
