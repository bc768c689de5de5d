/**
 * File discovery, as the CLI and the language server's workspace diagnostics do it: the directory
 * walk (walk.ts) with the YAML files that GitLab CI files of the tree include by local path.
 */
import { localIncludes } from '../hosts/gitlab-ci';
import { type DiscoverOptions, type Discovered, walk } from './walk';

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
