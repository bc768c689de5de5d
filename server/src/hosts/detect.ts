/**
 * The one home of file-type detection: which host reads a file, decided from its path (and, for
 * extension-less scripts, its first line). The CLI's directory walk, the CLI's explicit paths and
 * stdin, the language server and the engine all ask here.
 */
import type { HostKind } from './region';

/** Languages the engine accepts; the language server maps client language ids onto these. */
export type LanguageId = 'shellscript' | 'makefile' | 'github-actions' | 'gitlab-ci' | 'markdown';

const SHELL_EXT = /\.(sh|bash|ksh|dash)$/;
// GNU make reads the three default names; projects split the rest into fragments they include
// (`Makefile.inc`, `Makefile.examples`, `build.make`, `*.mk`). A suffix after `Makefile.` that is a
// file type of its own is not GNU make: autotools and cargo-make inputs (`.in`, `.am`, `.toml`),
// nmake and Borland make (`.win`, `.vc`, `.msvc`, `.nmake`, `.bor`), templates (`.tmpl`, `.j2`),
// source code that writes Makefiles (kubebuilder's `makefile.go`), data, docs and backups.
const MAKEFILE_SUFFIX_NOT_MAKE =
  /\.(?:in|am|ac|toml|json|ya?ml|xml|ini|cfg|conf|md|rst|txt|html|bak|orig|old|swp|win|vc|msvc|nmake|bor|tmpl|tpl|template|j2|jinja2?|erb|go|py|js|mjs|cjs|ts|rs|rb|java|kt|c|h|cc|cpp|hpp|cs|php|pl|lua|sh|bash|ps1|bat|cmd|nix|cmake|patch|diff)$/i;
const MAKEFILE_NAME = /^(?:Makefile|GNUmakefile|makefile)$|^(?:Makefile|GNUmakefile)\.[\w-]+$|.\.(?:mk|make)$/;
const MAKEFILE = { test: (name: string) => MAKEFILE_NAME.test(name) && !MAKEFILE_SUFFIX_NOT_MAKE.test(name) };
const SHEBANG = /^#![ \t]*(?:\/usr\/bin\/env[ \t]+(?:-\S+[ \t]+)*)?(?:\S*\/)?(sh|bash|dash|ksh)\b/;
const WORKFLOW = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
const ACTION = /(^|\/)action\.ya?ml$/;
const GITLAB = /(^|\/)(\.gitlab-ci\.ya?ml|[^/]+\.gitlab-ci\.ya?ml)$/;
// MDX pages (Docusaurus, Nextra) keep CommonMark's code blocks between their JSX.
const MARKDOWN = /\.(md|mdx|markdown|mdown|mkd)$/i;

function basename(p: string): string {
  const s = p.replace(/\\/g, '/');
  return s.slice(s.lastIndexOf('/') + 1);
}

/**
 * mayBeGitlabTemplate: a YAML path (from the walked folder or repository root, that folder's name
 * first) with `gitlab` in a folder or file name (`gitlab-ci/docker.yml`, `.gitlab/ci/build.yml`,
 * `templates/gitlab-ci-docker.yml`, `gitlab-includes/docker-build.yml`)
 * whose content then decides (gitlab-ci.ts isGitlabTemplate): template repositories publish their
 * jobs under such names for other projects to include.
 */
export function mayBeGitlabTemplate(relativePath: string): boolean {
  return /\.ya?ml$/.test(relativePath) && /gitlab/i.test(relativePath.replace(/\\/g, '/'));
}

/** classifyByName decides from the path alone; null when the name says nothing. */
export function classifyByName(file: string): LanguageId | null {
  const p = file.replace(/\\/g, '/');
  const base = basename(p);
  if (MAKEFILE.test(base)) return 'makefile';
  if (SHELL_EXT.test(base)) return 'shellscript';
  if (WORKFLOW.test(p) || ACTION.test(p)) return 'github-actions';
  if (GITLAB.test(p)) return 'gitlab-ci';
  if (MARKDOWN.test(base)) return 'markdown';
  return null;
}

/**
 * classifyByFileName is classifyByName's answer when the file's own name decides it (a Makefile
 * or a shell extension; the first two tests classifyByName makes), read from the name alone:
 * a directory walk then needs no string of the whole path. Null means "ask classifyByName".
 */
export function classifyByFileName(name: string): LanguageId | null {
  if (name.includes('\\') || name.includes('/')) return null;
  if (MAKEFILE.test(name)) return 'makefile';
  if (SHELL_EXT.test(name)) return 'shellscript';
  return null;
}

/** classifyByShebang reads the first line of an extension-less file. */
export function classifyByShebang(firstLine: string): LanguageId | null {
  return SHEBANG.test(firstLine) ? 'shellscript' : null;
}

export function hostOfLanguage(languageId: LanguageId): HostKind {
  return languageId === 'shellscript' ? 'shell' : languageId;
}

/** hostFor picks the host for a file: the language when given, else the name, else shell. */
export function hostFor(fileName: string, languageId?: LanguageId): HostKind {
  if (languageId) return hostOfLanguage(languageId);
  const byName = classifyByName(fileName);
  return byName ? hostOfLanguage(byName) : 'shell';
}
