/**
 * File discovery, as the CLI and the language server's workspace diagnostics do it: the directory
 * walk (walk.ts) with the YAML files that GitLab CI files of the tree include by local path, and
 * GitLab templates known by path and content.
 */
import { isGitlabTemplate, localIncludes } from '../hosts/gitlab-ci';
import { type DiscoverOptions, type Discovered, gitlabRootIncluding, gitlabTemplateAt, walk } from './walk';

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
  type Oversize,
  type SkipNote,
} from './walk';

/** discover walks the given paths (see walk.ts), GitLab CI includes followed, templates recognised. */
export function discover(paths: string[], opts: DiscoverOptions): Discovered {
  return walk(paths, opts, localIncludes, isGitlabTemplate);
}

/**
 * isGitlabCiFile: whether a YAML file is GitLab CI whatever its name: the root pipeline of
 * the project above includes it by local path (directly or through files it includes), or its
 * path says GitLab and it holds jobs (a template published for other projects to include).
 * `visit` hears each root pipeline file and included file the answer read (gitlabRootIncluding).
 */
export function isGitlabCiFile(file: string, visit?: (file: string) => void): boolean {
  return gitlabRootIncluding(file, localIncludes, visit) !== null || gitlabTemplateAt(file, isGitlabTemplate);
}
