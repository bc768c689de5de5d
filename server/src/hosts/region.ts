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
   * (a Makefile recipe needs `$` written as `$$`). `none`: never write fixes here (the text is
   * synthesised from an action's inputs, or sits in a YAML flow scalar whose quoting a shell
   * edit could break).
   * edit could break). `line-prefixed`: plain text, but the host stripped a prefix from some lines
   * (a Markdown block quote's `> `, a list's indentation, a console prompt), so an edit may not
   * cross or insert a line break.
   */
  encoding: 'plain' | 'makefile' | 'none' | 'line-prefixed';
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
  /**
   * The buildx release that runs this region's commands when the host pins one (setup-buildx-action
   * `version:`), and where that is written; it takes precedence over the configuration.
   */
  buildxVersion?: { version: string; span: Span };
  /**
   * The host may skip this region while the rest of its scope runs (a GitHub Actions step with
   * an `if:` condition): its facts hold only on some paths.
   */
  conditional?: boolean;
  /**
   * The host cannot tell whether a POSIX shell runs this region (a GitHub Actions job whose
   * `runs-on` is an expression over a matrix with Windows runners, where `run:` is PowerShell): a
   * region that does not parse as shell is not read at all.
   */
  shellUnsure?: boolean;
  /**
   * The operating system of the machine that runs this region's buildx, when the host fixes it
   * (a GitHub Actions job on an Ubuntu runner, or a self-hosted runner labelled `linux`). buildx
   * completes a bare architecture (`--platform arm64`) with that machine's OS, so it is then known.
   */
  clientOs?: 'linux';
  /**
   * The image store of the Docker daemon this region's builds load into, when the host knows it:
   * a GitHub Actions job that set up Docker with the containerd image store
   * (docker/setup-docker-action `daemon-config` with `"features": {"containerd-snapshotter":
   * true}`), where loading a multi-platform image works.
   */
  imageStore?: 'containerd';
  /**
   * The region may quote only part of a script (a Markdown code block): a compound command left
   * open at its end is where the quote stops, not a syntax error.
   */
  excerpt?: boolean;
}

/** Problems a host front-end finds in the file structure around the shell code. */
/**
 * `host-structure`: a Makefile line make will not read as intended (KBX602); the others are the CI
 * hosts' own (KBX610-614). A problem without a kind is `host-structure`.
 */
export const HOST_PROBLEM_KINDS = ['host-structure', 'yaml-syntax', 'driver-opts-comment', 'append-driver-opts-string', 'platforms-empty-item', 'input-too-large', 'gitlab-extends'] as const;
export type HostProblemKind = (typeof HOST_PROBLEM_KINDS)[number];

export interface HostProblem {
  kind?: HostProblemKind;
  span: Span;
  message: string;
  severity: 'error' | 'warning' | 'info';
  /**
   * The problem explains every finding of other rules inside its span (one character per
   * `--driver-opt`): those are dropped so the cause is reported once.
   */
  supersedes?: boolean;
}

export interface HostResult {
  regions: ShellRegion[];
  problems: HostProblem[];
}

/**
 * The default limits of one Markdown code block and one YAML document, in characters. Measured
 * when they were set: among 14,708 code blocks of any language (Node.js's API docs and
 * changelogs, the READMEs of an npm tree, JDK notices) the largest had 35 KB; among 7,575 YAML
 * documents of 40 public repositories (workflows, pipelines, CRDs, pnpm lock files) the largest
 * had 611 KB (penpot/penpot mcp/packages/server/data/api_types.yml), the largest workflow 21 KB.
 * The CI services refuse far less: GitHub starts no run for a workflow file over 512,000 bytes
 * (docs.github.com/en/actions/reference/limits), and GitLab no pipeline for a file whose parsed
 * configuration passes `max_yaml_size_bytes`, 2 MB of loaded objects by default
 * (gitlab-org/gitlab merge request 160826), which a file of a few hundred KB reaches
 * (gitlab-org/gitlab issue 382389). A block or document past the limit gets one KBX604 finding
 * and is not read.
 */
export const MAX_BLOCK_SIZE = 256 * 1024;
export const MAX_DOCUMENT_SIZE = 1024 * 1024;

/**
 * Aliases (`*name`) in one YAML document. A real workflow or pipeline refers to its anchors far
 * fewer times; tens of thousands of aliases are an alias bomb (anchors of lists of aliases of
 * the anchor before, level after level), which neither service would run: GitLab loads the file
 * with its aliases expanded and refuses a pipeline whose loaded configuration passes
 * `max_yaml_size_bytes` (gitlab-org/gitlab lib/gitlab/config/loader/yaml.rb, through
 * Gitlab::Utils::DeepSize), and the expansion of such a bomb is exponential in its levels. The
 * hosts follow aliases by reference, so the expansion costs nothing here; the parse does: the
 * yaml package's syntax tree of 72,000 aliases in flow collections (800 KB) takes some 130 MB. A
 * document past the limit gets one KBX604 finding, at its first alias past it, and is not read.
 */
export const MAX_ALIASES = 10_000;
