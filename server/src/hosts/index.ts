/**
 * The host registry: each host turns a file of its kind into shell regions (or problems). Adding a
 * host adds its reader here and its name patterns in detect.ts.
 */
import { readGithubActions } from './github-actions';
import { readGitlabCi } from './gitlab-ci';
import { readMakefile } from './makefile';
import type { HostKind, HostResult } from './region';
import { readShellFile } from './shell';

const READERS: Record<HostKind, (text: string, fileName: string) => HostResult> = {
  shell: (text) => readShellFile(text),
  makefile: (text) => readMakefile(text),
  'github-actions': (text) => readGithubActions(text),
  'gitlab-ci': (text) => readGitlabCi(text),
  // The Markdown host lands with its reader; until then it contributes no regions.
  markdown: () => ({ regions: [], problems: [] }),
};

export function readHost(kind: HostKind, text: string, fileName: string): HostResult {
  return READERS[kind](text, fileName);
}
