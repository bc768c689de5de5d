/**
 * File discovery, as the CLI and the language server's workspace diagnostics do it: the directory
 * walk (walk.ts) with the YAML files that GitLab CI files of the tree include by local path.
 */
import { localIncludes } from '../hosts/gitlab-ci';
import { type DiscoverOptions, type Discovered, gitlabRootIncluding, walk } from './walk';

export {
  classifyByName,
  classifyByShebang,
  type DiscoverOptions,
  type Discovered,
  escapeFileName,
  type FoundFile,
  isBinary,
  readFoundFile,
  readIfMentioned,
  mentionsDocker,
  type SkipNote,
} from './walk';

/** discover walks the given paths (see walk.ts), GitLab CI includes followed. */
export function discover(paths: string[], opts: DiscoverOptions): Discovered {
  return walk(paths, opts, localIncludes);
}

/**
 * isIncludedGitlabFile: whether the root pipeline of the project above `file` includes it by
 * local path (directly or through files it includes), so the file is GitLab CI whatever its name.
 */
export function isIncludedGitlabFile(file: string): boolean {
  return gitlabRootIncluding(file, localIncludes) !== null;
}
