/**
 * The directory walk under file discovery: expands the CLI's paths into lintable files. Shell
 * files by extension or shebang, Makefiles, CI files and Markdown by name (hosts/detect.ts);
 * `.gitignore` files and `--exclude` globs respected; binary files and symlinks leading outside the
 * given roots skipped. Directories are walked by real path (a link to a directory already walked,
 * or a loop, adds nothing); FIFOs, sockets and devices are never opened; names that are not valid
 * UTF-8 are kept as bytes and shown escaped.
 *
 * It reads no YAML: which YAML files a GitLab CI file includes is decided by the caller's
 * `includes` (discover.ts passes the GitLab host's), so the start-up stage of the CLI (entry.ts)
 * can walk a tree without loading a YAML parser.
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_READ_BYTES, NOT_REGULAR, openRegular, readRegular } from '../core/read-file';
import { Gitignore, type GitignoreLayer, ignoredBy } from '../core/gitignore';
import { classifyByFileName, classifyByName, classifyByShebang, type LanguageId, mayBeGitlabTemplate } from '../hosts/detect';

export { classifyByName, classifyByShebang };

export interface FoundFile {
  /** The path shown to the user; bytes of the name that are not UTF-8 appear as `\xNN`. */
  path: string;
  languageId: LanguageId;
  /** The path as bytes, when `path` cannot name the file (a name that is not UTF-8). */
  fsPath?: Buffer;
}

export interface SkipNote {
  path: string;
  reason: string;
}

export function isBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

/** readFoundFile reads a discovered file whole, by its bytes path when it has one. */
export function readFoundFile(f: FoundFile): Buffer {
  return readRegular(f.fsPath ?? f.path);
}

/** The bytes without which a file holds no buildx command: kbx-lint reads no further without one. */
const BUILDX = Buffer.from('buildx');
const DOCKER = Buffer.from('docker');

/** mentionsDocker is the pre-filter on bytes that spares decoding (and parsing) most files of a tree. */
export function mentionsDocker(buf: Uint8Array): boolean {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return b.indexOf(BUILDX) >= 0 || b.indexOf(DOCKER) >= 0;
}

/** One buffer, reused from file to file: most files of a tree fit, and most are dropped at once. */
const SCRATCH_SIZE = 64 * 1024;
let scratch: Buffer | null = null;

/** A file that mentions docker but is too large to be read for the limit it is read under. */
export interface Oversize {
  oversizeBytes: number;
}

/**
 * The bytes a file may have and still decode to at most `maxChars` UTF-16 units: UTF-8 gives at
 * least one unit for every three bytes (a 3-byte sequence one unit, a 4-byte one two, each invalid
 * byte at most three to a U+FFFD), so a bigger file is past the limit without being decoded.
 */
function readableBytes(maxChars: number): number {
  return Math.min(3 * maxChars, MAX_READ_BYTES);
}

/**
 * readIfMentioned reads a discovered file for linting: null when its bytes mention neither buildx
 * nor docker (nothing to lint; most files of a tree), else the whole file, as readFoundFile gives it.
 * A file is first read with one call into a buffer kept from file to file and without fstat: the
 * walk found it as a regular file, and O_NONBLOCK keeps whatever may have replaced it since from
 * blocking (at worst such a thing reads as empty and is dropped). A file that passes the filter
 * is checked (fstat) before its bytes are kept; a bigger one is read the ordinary way, unless it
 * has more bytes than `maxChars` characters can take: then it is scanned through the same buffer,
 * and never held, and one that mentions docker is answered with its size (`Oversize`), which the
 * linter reports as too large; so is, unread, a file past MAX_READ_BYTES. Memory stays bounded by
 * the limit, whatever the file's size.
 */
export function readIfMentioned(f: FoundFile, maxChars = Number.POSITIVE_INFINITY): Buffer | Oversize | null {
  const file = f.fsPath ?? f.path;
  const buf = (scratch ??= Buffer.allocUnsafe(SCRATCH_SIZE));
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  let n: number;
  try {
    n = fs.readSync(fd, buf, 0, SCRATCH_SIZE, null);
    if (n < SCRATCH_SIZE) {
      const head = buf.subarray(0, n);
      if (!mentionsDocker(head)) return null;
      const st = fs.fstatSync(fd);
      if (!st.isFile()) throw new Error(NOT_REGULAR);
      // A size that disagrees (a file that grew, procfs) is read again, whole.
      if (st.size === n) return Buffer.from(head);
    } else {
      const st = fs.fstatSync(fd);
      if (!st.isFile()) throw new Error(NOT_REGULAR);
      // Past what is ever read, the size alone answers: scanning gigabytes would not end soon.
      if (st.size > MAX_READ_BYTES) return { oversizeBytes: st.size };
      if (st.size > readableBytes(maxChars)) return scanMentions(fd, buf, n) ? { oversizeBytes: st.size } : null;
    }
  } finally {
    fs.closeSync(fd);
  }
  const whole = readRegular(file);
  return mentionsDocker(whole) ? whole : null;
}

/** The longest word mentionsDocker looks for, less one: what a chunk keeps of the one before. */
const OVERLAP = Math.max(BUILDX.length, DOCKER.length) - 1;

/** mentionsDocker over the rest of an open file, `n` bytes of it already in `buf`, chunk by chunk. */
function scanMentions(fd: number, buf: Buffer, n: number): boolean {
  for (;;) {
    if (mentionsDocker(buf.subarray(0, n))) return true;
    // A word cut by the chunk's end is found whole in the next one.
    const keep = Math.min(OVERLAP, n);
    buf.copy(buf, 0, n - keep, n);
    const got = fs.readSync(fd, buf, keep, buf.length - keep, null);
    if (got === 0) return false;
    n = keep + got;
  }
}

function readHead(file: string | Buffer): string {
  let fd: number | undefined;
  try {
    fd = openRegular(file).fd;
    const buf = Buffer.alloc(256);
    const n = fs.readSync(fd, buf, 0, 256, 0);
    return buf.subarray(0, n).toString('utf8').split('\n')[0];
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * escapeFileName shows a name's bytes as text: valid UTF-8 as it is, every other byte as `\xNN`,
 * so two different names never look alike and the output stays valid UTF-8.
 */
export function escapeFileName(name: Buffer): string {
  if (isUtf8(name)) return name.toString('utf8');
  let out = '';
  let i = 0;
  while (i < name.length) {
    const b = name[i];
    const len = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len && i + len <= name.length && isUtf8(name.subarray(i, i + len))) {
      out += name.toString('utf8', i, i + len);
      i += len;
    } else {
      out += '\\x' + b.toString(16).padStart(2, '0');
      i++;
    }
  }
  return out;
}

function readGitignore(file: string | Buffer): Gitignore | null {
  try {
    return Gitignore.parse(readRegular(file));
  } catch {
    // An unreadable (or absent) .gitignore ignores nothing.
    return null;
  }
}

/**
 * parentIgnoreLayers reads the `.gitignore` files of the directories above `dir` up to the root of
 * the git work tree holding it, so linting a subdirectory skips what git skips. Outside a work
 * tree there are none. Their paths, and `rootRel` (the walked directory), are relative to the
 * outermost directory with a `.gitignore` in force.
 */
function parentIgnoreLayers(dir: string): { layers: GitignoreLayer[]; rootRel: string } {
  const start = path.resolve(dir);
  const none = { layers: [], rootRel: '' };
  if (fs.existsSync(path.join(start, '.git'))) return none;
  const found: { dir: string; gitignore: Gitignore }[] = [];
  let d = path.dirname(start);
  for (;;) {
    const gi = fs.existsSync(path.join(d, '.gitignore')) ? readGitignore(path.join(d, '.gitignore')) : null;
    if (gi) found.unshift({ dir: d, gitignore: gi });
    if (fs.existsSync(path.join(d, '.git'))) break;
    const parent = path.dirname(d);
    if (parent === d) return none;
    d = parent;
  }
  // A directory named explicitly is linted even when a parent .gitignore lists it.
  const kept = found.filter((l) => !l.gitignore.ignores(path.relative(l.dir, start) + '/'));
  if (!kept.length) return none;
  const top = kept[0].dir;
  const layers = kept.map((l) => ({ gitignore: l.gitignore, from: l.dir === top ? 0 : Buffer.byteLength(path.relative(top, l.dir)) + 1 }));
  return { layers, rootRel: path.relative(top, start).split(path.sep).join('/') };
}

export interface DiscoverOptions {
  ignoreGlobs: string[];
  /**
   * Names to note in every directory walked (the configuration file names, `.git`): the result's
   * `marks` says, per directory, which are there, so looking them up needs no further system call.
   */
  markNames?: readonly string[];
}

/** What a walk found; `files` in the order they are reported. */
export interface Discovered {
  files: FoundFile[];
  skipped: SkipNote[];
  unknown: SkipNote[];
  errors: SkipNote[];
  excluded: number;
  /**
   * With `markNames`: for each directory walked (absolute path as shown; left out when its name is
   * not UTF-8 or one of the names is a symbolic link there), a bit per name present, in their order.
   */
  marks?: Map<string, number>;
  /** With `markNames`: some directory walked is missing from `marks` (see there why). */
  unmarked?: boolean;
  /** Without `includes`: a GitLab CI file of the tree might include YAML files the walk left out. */
  includesPending?: boolean;
}

/** The local files a GitLab CI file includes, as written (hosts/gitlab-ci.ts `localIncludes`). */
export type IncludeReader = (text: string) => string[];

/**
 * Glob of a GitLab `include: local:` path: `*` within a segment, `**` across segments. Matched in
 * time linear in the path for each part of the pattern: a regular expression of many stars
 * backtracks exponentially on a name it does not match (`*a*a*…*b` against `aaa…`).
 */
export function includePattern(dir: string, p: string): { test(candidate: string): boolean } {
  const abs = path.resolve(dir, p.replace(/^\/+/, ''));
  const parts = abs.split(/(\*\*|\*)/).filter(Boolean);
  if (parts.length === 1) return { test: (c) => c === abs };
  return { test: (c) => globMatches(parts, c) };
}

/** globMatches: whether `text` is the concatenation the parts describe (literals, `*`, `**`). */
function globMatches(parts: string[], text: string): boolean {
  const n = text.length;
  // reach[i]: text[0, i) matches the parts read so far.
  let reach = new Uint8Array(n + 1);
  reach[0] = 1;
  for (const part of parts) {
    const next = new Uint8Array(n + 1);
    if (part === '*' || part === '**') {
      let on = false;
      for (let i = 0; i <= n; i++) {
        // `*` never crosses a `/`: a stretch reaching past one starts again after it.
        if (part === '*' && i > 0 && text.charCodeAt(i - 1) === 47) on = false;
        if (reach[i]) on = true;
        if (on) next[i] = 1;
      }
    } else {
      for (let i = 0; i + part.length <= n; i++) if (reach[i] && text.startsWith(part, i)) next[i + part.length] = 1;
    }
    reach = next;
  }
  return reach[n] === 1;
}

/**
 * addGitlabIncludes: YAML files of the walked tree that a GitLab CI file found there includes by
 * local path are GitLab CI too (and so are the files they include). Paths are resolved against
 * the including file's directory, taken as the project root.
 */
function addGitlabIncludes(files: FoundFile[], from: number, candidates: FoundFile[], localIncludes: IncludeReader): void {
  if (!candidates.length) return;
  const left = new Set(candidates.map((c) => path.resolve(c.path)));
  const byAbs = new Map(candidates.map((c) => [path.resolve(c.path), c]));
  const queue = files
    .slice(from)
    .filter((f) => f.languageId === 'gitlab-ci')
    .map((f) => ({ file: f, root: path.dirname(path.resolve(f.path)) }));
  while (queue.length && left.size) {
    const { file, root } = queue.shift()!;
    let text: string;
    try {
      text = readFoundFile(file).toString('utf8');
    } catch {
      continue;
    }
    for (const inc of localIncludes(text)) {
      const re = includePattern(root, inc);
      for (const abs of [...left]) {
        if (!re.test(abs)) continue;
        left.delete(abs);
        const p = byAbs.get(abs)!;
        files.push(p);
        queue.push({ file: p, root });
      }
    }
  }
}

const GITLAB_ROOT_NAMES = ['.gitlab-ci.yml', '.gitlab-ci.yaml'];
/** Included files read to follow nested includes from a root, at most. */
const INCLUDE_FILES_MAX = 256;
/** Directories above a file searched for the root pipeline file, at most. */
const ROOT_SEARCH_DEPTH = 64;

function statFile(p: string): fs.Stats | null {
  try {
    const st = fs.statSync(p);
    return st.isFile() ? st : null;
  } catch {
    return null;
  }
}

/**
 * The local includes of each file read, kept while its size and modification time stay: an editor
 * asks again on every change of any YAML document, and re-parsing the pipeline each time would
 * cost more than the stat that shows it unchanged.
 */
const includeCache = new Map<string, { mtimeMs: number; size: number; includes: string[] }>();
const INCLUDE_CACHE_MAX = 512;

function includesOf(file: string, st: fs.Stats, localIncludes: IncludeReader): string[] {
  const hit = includeCache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.includes;
  let includes: string[] = [];
  try {
    includes = localIncludes(readRegular(file).toString('utf8'));
  } catch {
    // Unreadable now: includes nothing, and is read again next time.
    return [];
  }
  if (includeCache.size >= INCLUDE_CACHE_MAX) includeCache.clear();
  includeCache.set(file, { mtimeMs: st.mtimeMs, size: st.size, includes });
  return includes;
}

/**
 * gitlabRootIncluding: a root pipeline file (`.gitlab-ci.yml`) in a directory above `file` that
 * includes `file` by local path, directly or through files it includes (followed transitively,
 * paths resolved against the root file's directory, as the directory walk does in
 * addGitlabIncludes); else null. The search stops at the repository root (a directory with
 * `.git`). This is how a lone path (`kbx-lint ci/build.yml`) or an editor's open document learns
 * what the directory walk learns from the tree. `visit` hears every file the answer depends on,
 * candidates that do not exist included (the language server watches them).
 */
export function gitlabRootIncluding(file: string, localIncludes: IncludeReader, visit?: (file: string) => void): string | null {
  const target = path.resolve(file);
  let dir = path.dirname(target);
  for (let depth = 0; depth < ROOT_SEARCH_DEPTH; depth++) {
    for (const name of GITLAB_ROOT_NAMES) {
      const rootFile = path.join(dir, name);
      if (rootFile !== target) visit?.(rootFile);
      const st = rootFile === target ? null : statFile(rootFile);
      if (st && includesTransitively(rootFile, st, dir, target, localIncludes, visit)) return rootFile;
    }
    if (fs.existsSync(path.join(dir, '.git'))) return null;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}

/**
 * gitlabPipelineFiles: the other files of the pipeline `file` belongs to, the root pipeline file
 * (itself, or the one that includes it: gitlabRootIncluding) and every file that root includes by
 * a plain local path, transitively; globs are not listed. GitLab merges them all into one
 * configuration, so a job of one extends a template of another.
 */
export function gitlabPipelineFiles(file: string, localIncludes: IncludeReader, isTemplate?: TemplateReader): string[] {
  const target = path.resolve(file);
  const rootFile = GITLAB_ROOT_NAMES.includes(path.basename(target)) ? target : gitlabRootIncluding(target, localIncludes);
  if (!rootFile) return isTemplate ? siblingTemplates(target, isTemplate) : [];
  const rootStat = statFile(rootFile);
  if (!rootStat) return [];
  const dir = path.dirname(rootFile);
  const seen = new Set([rootFile]);
  const queue: [string, fs.Stats][] = [[rootFile, rootStat]];
  while (queue.length) {
    const [f, st] = queue.shift()!;
    for (const inc of includesOf(f, st, localIncludes)) {
      if (inc.includes('*')) continue;
      const next = path.resolve(dir, inc.replace(/^\/+/, ''));
      if (seen.has(next) || seen.size >= INCLUDE_FILES_MAX) continue;
      seen.add(next);
      const nextStat = statFile(next);
      if (nextStat) queue.push([next, nextStat]);
    }
  }
  seen.delete(target);
  return [...seen].filter((f) => statFile(f));
}

/**
 * siblingTemplates: for a GitLab CI file that no root pipeline of this repository includes (a
 * template repository publishes its files for other projects' `include: project:` or `remote:`),
 * the other YAML files of its folder whose content is GitLab CI (`isTemplate`, as
 * addGitlabTemplates asks): such files are included together, one's jobs pulling another's
 * script lists with `!reference`. The folder is the one of a file already read as GitLab CI, so
 * the content alone decides, as it does for a file of a GitLab-named folder.
 */
function siblingTemplates(target: string, isTemplate: TemplateReader): string[] {
  const dir = path.dirname(target);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of names.sort()) {
    const f = path.join(dir, name);
    if (f === target || !/\.ya?ml$/.test(name) || out.length >= INCLUDE_FILES_MAX) continue;
    if (templateText(f, isTemplate)) out.push(f);
  }
  return out;
}

function includesTransitively(rootFile: string, rootStat: fs.Stats, root: string, target: string, localIncludes: IncludeReader, visit?: (file: string) => void): boolean {
  const seen = new Set([rootFile]);
  const queue: [string, fs.Stats][] = [[rootFile, rootStat]];
  while (queue.length) {
    const [file, st] = queue.shift()!;
    for (const inc of includesOf(file, st, localIncludes)) {
      if (includePattern(root, inc).test(target)) return true;
      // A glob names files only a listing finds; a plain path names one that may include more.
      if (inc.includes('*')) continue;
      const next = path.resolve(root, inc.replace(/^\/+/, ''));
      if (seen.has(next) || seen.size >= INCLUDE_FILES_MAX) continue;
      seen.add(next);
      visit?.(next);
      const nextStat = statFile(next);
      if (nextStat) queue.push([next, nextStat]);
    }
  }
  return false;
}

/** Whether YAML text is a GitLab CI template (hosts/gitlab-ci.ts `isGitlabTemplate`). */
export type TemplateReader = (text: string) => boolean;

/**
 * addGitlabTemplates: YAML files no include names, whose path says GitLab (detect.ts
 * mayBeGitlabTemplate) and whose content is jobs (`isTemplate`), are GitLab CI: templates a
 * repository publishes for other projects to include.
 */
function addGitlabTemplates(files: FoundFile[], hinted: FoundFile[], added: Set<FoundFile>, isTemplate: TemplateReader): void {
  for (const f of hinted) if (!added.has(f) && templateText(f.fsPath ?? f.path, isTemplate)) files.push(f);
}

/** Templates are a page or two of jobs; a bigger YAML file under such a name is something else. */
const TEMPLATE_MAX_BYTES = 1 << 20;

/** Answers of templateText by path while size and time stay (as includeCache, for the editor). */
const templateCache = new Map<string, { mtimeMs: number; size: number; template: boolean }>();

function templateText(file: string | Buffer, isTemplate: TemplateReader): boolean {
  const key = typeof file === 'string' ? file : null;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return false;
  }
  if (!st.isFile() || st.size > TEMPLATE_MAX_BYTES) return false;
  const hit = key === null ? undefined : templateCache.get(key);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.template;
  let text: string;
  try {
    text = readRegular(file).toString('utf8');
  } catch {
    return false;
  }
  const template = (text.includes('script') || text.includes('!reference')) && isTemplate(text);
  if (key !== null) {
    if (templateCache.size >= INCLUDE_CACHE_MAX) templateCache.clear();
    templateCache.set(key, { mtimeMs: st.mtimeMs, size: st.size, template });
  }
  return template;
}

/**
 * gitlabTemplateAt: whether a YAML file named alone is a GitLab template by the walk's rule
 * (addGitlabTemplates), its path taken from the repository root (the nearest `.git` above, whose
 * own name counts as the walked folder's does) so that the folders a checkout sits in do not.
 */
export function gitlabTemplateAt(file: string, isTemplate: TemplateReader): boolean {
  const abs = path.resolve(file);
  let dir = path.dirname(abs);
  let root = dir;
  for (let depth = 0; depth < ROOT_SEARCH_DEPTH; depth++) {
    if (fs.existsSync(path.join(dir, '.git'))) {
      root = dir;
      break;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return mayBeGitlabTemplate(path.basename(root) + '/' + path.relative(root, abs).split(path.sep).join('/')) && templateText(abs, isTemplate);
}

interface DirTask {
  /** The directory as the file system takes it: bytes once a name on the way is not UTF-8. */
  fsPath: string | Buffer;
  /** As shown: `path.join` of what the user gave and the names below, escaped. */
  shown: string;
  /** Whether `shown` is already normalized, so a child's is `shown + '/' + name`. */
  normalized: boolean;
  /** Its real path (escaped the same way), for links and loops. */
  real: string;
  /** Its path relative to the outermost `.gitignore` in force, as bytes ('' for that directory). */
  rel: Buffer;
  /** `path.resolve(shown)`, built name by name (a listed name holds no `/` and is never `.` or `..`). */
  abs: string;
  layers: GitignoreLayer[];
}

const SLASH = Buffer.from('/');

function joinBytes(dir: Buffer, name: Buffer): Buffer {
  return dir.length ? Buffer.concat([dir, SLASH, name]) : name;
}

function realKey(p: string | Buffer): string {
  return escapeFileName(fs.realpathSync.native(p, { encoding: 'buffer' }));
}

interface Entry {
  name: string;
  /** The name's bytes, when the directory or this name must be reached by bytes. */
  bytes: Buffer | null;
  ent: fs.Dirent<string> | fs.Dirent<Buffer>;
}

const byNameBackwards = (a: { name: string }, b: { name: string }) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0);

/**
 * readEntries lists a directory, sorted by name backwards (for the stack). Names are read as
 * text; only when one is not valid UTF-8 (it came back with U+FFFD) is the directory read again
 * as bytes, so the common case pays nothing.
 */
function readEntries(dir: string | Buffer): { ents: fs.Dirent<string>[]; entries: null } | { ents: null; entries: Entry[] } {
  if (typeof dir === 'string') {
    const ents = fs.readdirSync(dir, { withFileTypes: true });
    if (!ents.some((e) => e.name.includes('\uFFFD'))) return { ents: ents.sort(byNameBackwards), entries: null };
  }
  const entries = fs.readdirSync(dir, { withFileTypes: true, encoding: 'buffer' }).map((ent) => {
    const bytes = ent.name;
    return isUtf8(bytes) ? { name: bytes.toString('utf8'), bytes: typeof dir === 'string' ? null : bytes, ent } : { name: escapeFileName(bytes), bytes, ent };
  });
  return { ents: null, entries: entries.sort(byNameBackwards) };
}

/**
 * walk walks the given paths. Explicitly named files are linted when they can be classified;
 * those that cannot are listed in `unknown` (the CLI says so once). Iterative, so deep trees
 * cannot overflow the stack. `includes` reads a GitLab CI file's local includes; without it, YAML
 * files that only an include could make lintable are left out and `includesPending` says so.
 */
export function walk(paths: string[], opts: DiscoverOptions, includes: IncludeReader | null, isTemplate?: TemplateReader): Discovered {
  const files: FoundFile[] = [];
  const markNames = opts.markNames ?? [];
  const marks = opts.markNames ? new Map<string, number>() : undefined;
  let unmarked = false;
  let includesPending = false;
  const unknown: SkipNote[] = [];
  // Paths left out by an exclusion or a .gitignore, for the "nothing linted" summary.
  let excluded = 0;
  const skipped: SkipNote[] = [];
  const errors: SkipNote[] = [];
  const userIgnore = opts.ignoreGlobs.length ? Gitignore.fromPatterns(opts.ignoreGlobs) : null;
  // Files linted, by real directory then name: short keys, one lookup of the directory per directory.
  const seen = new Map<string, Set<string>>();
  const seenIn = (dirReal: string) => {
    let names = seen.get(dirReal);
    if (!names) seen.set(dirReal, (names = new Set()));
    return names;
  };
  const splitReal = (real: string) => {
    const slash = real.lastIndexOf('/');
    return { dir: real.slice(0, slash), name: real.slice(slash + 1) };
  };
  // Directories by real path: a symbolic link to a directory already walked (or a loop) adds nothing.
  const walked = new Set<string>();
  for (const root of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(root);
    } catch (e) {
      errors.push({ path: root, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : String((e as Error).message) });
      continue;
    }
    if (st.isFile()) {
      const rel = path.relative(process.cwd(), path.resolve(root));
      if (userIgnore && !rel.startsWith('..') && rel && userIgnore.ignores(rel.split(path.sep).join('/'))) {
        excluded++;
        continue;
      }
      // Named explicitly or not, a file of unknown type is never read as shell: a README or a
      // Dockerfile would give a page of bogus syntax errors. Only a shebang vouches for a file
      // without an extension.
      let lang = classifyByName(root) ?? (path.extname(root) === '' ? classifyByShebang(readHead(root)) : null);
      // A YAML file a project's root pipeline includes is GitLab CI; without the reader this
      // walk cannot tell, and says so (`includesPending`) for the walk that has one.
      if (!lang && /\.ya?ml$/.test(root)) {
        if (!includes) includesPending = true;
        else if (gitlabRootIncluding(root, includes) || (isTemplate && gitlabTemplateAt(root, isTemplate))) lang = 'gitlab-ci';
      }
      if (lang) files.push({ path: root, languageId: lang });
      else if (!unknown.some((u) => u.path === root)) unknown.push({ path: root, reason: 'not a shell script, Makefile, CI file or Markdown file' });
      continue;
    }
    if (!st.isDirectory()) {
      // A FIFO, socket or device (`/dev/stdin` included) is never opened: a FIFO would block.
      if (!unknown.some((u) => u.path === root)) unknown.push({ path: root, reason: NOT_REGULAR });
      continue;
    }
    let rootReal: string;
    try {
      rootReal = realKey(root);
    } catch (e) {
      errors.push({ path: root, reason: String((e as Error).message) });
      continue;
    }
    // YAML files no name identifies: a GitLab CI file of the tree may include them.
    const unclassifiedYaml: FoundFile[] = [];
    const firstHere = files.length;
    const parents = parentIgnoreLayers(root);
    // Paths for the user's globs are relative to the walked root; that part of `rel` starts here.
    const rootFrom = parents.rootRel ? Buffer.byteLength(parents.rootRel) + 1 : 0;
    const stack: DirTask[] = [{ fsPath: root, shown: root, normalized: false, real: rootReal, rel: Buffer.from(parents.rootRel), abs: path.resolve(root), layers: parents.layers }];
    while (stack.length) {
      const task = stack.pop()!;
      if (walked.has(task.real)) continue;
      walked.add(task.real);
      const bytesDir = typeof task.fsPath !== 'string';
      let listing: ReturnType<typeof readEntries>;
      try {
        listing = readEntries(task.fsPath);
      } catch (e) {
        errors.push({ path: task.shown, reason: String((e as Error).message) });
        continue;
      }
      const count = listing.ents ? listing.ents.length : listing.entries.length;
      const nameAt = (i: number) => (listing.ents ? listing.ents[i].name : listing.entries[i].name);
      // A directory reached by bytes has no path a lookup could name; names beside it that are
      // not UTF-8 are shown escaped and never equal a mark name.
      if (marks && !bytesDir) {
        let bits = 0;
        let linked = false;
        for (let i = 0; i < count; i++) {
          const k = markNames.indexOf(nameAt(i));
          if (k < 0) continue;
          bits |= 1 << k;
          // A link may lead nowhere, where a lookup by name finds nothing: that directory is left to the lookup.
          if ((listing.ents ? listing.ents[i] : listing.entries[i].ent).isSymbolicLink()) linked = true;
        }
        if (!linked) marks.set(task.abs, bits);
        else unmarked = true;
      } else if (marks) unmarked = true;
      let layers = task.layers;
      let hasGitignore = false;
      for (let i = 0; i < count && !hasGitignore; i++) hasGitignore = nameAt(i) === '.gitignore';
      if (hasGitignore) {
        const gi = readGitignore(bytesDir ? joinBytes(task.fsPath as Buffer, Buffer.from('.gitignore')) : path.join(task.fsPath as string, '.gitignore'));
        if (gi?.size) layers = [...layers, { gitignore: gi, from: task.rel.length ? task.rel.length + 1 : 0 }];
      }
      const here: FoundFile[] = [];
      let dirSeen: Set<string> | undefined;
      for (let i = 0; i < count; i++) {
        const ent = listing.ents ? listing.ents[i] : listing.entries[i].ent;
        const name = listing.ents ? listing.ents[i].name : listing.entries[i].name;
        const bytes = listing.ents ? null : listing.entries[i].bytes;
        if (name === '.git' || name === 'node_modules') continue;
        const shown = task.normalized ? task.shown + '/' + name : path.join(task.shown, name);
        const fsPath: string | Buffer =
          bytes || bytesDir
            ? joinBytes(bytesDir ? (task.fsPath as Buffer) : Buffer.from(task.fsPath as string), bytes ?? Buffer.from(name))
            : task.normalized
              ? shown
              : path.join(task.fsPath as string, name);
        let isDir = ent.isDirectory();
        let isFile = ent.isFile();
        let real: string | null = null;
        if (ent.isSymbolicLink()) {
          try {
            real = realKey(fsPath);
          } catch {
            skipped.push({ path: shown, reason: 'symbolic link that leads nowhere (or into a loop)' });
            continue;
          }
          if (!(real === rootReal || real.startsWith(rootReal + '/'))) {
            skipped.push({ path: shown, reason: 'symbolic link leads outside the linted tree' });
            continue;
          }
          const r = splitReal(real);
          if (seen.get(r.dir)?.has(r.name) || walked.has(real)) continue;
          let s: fs.Stats;
          try {
            s = fs.statSync(fsPath);
          } catch {
            continue;
          }
          isDir = s.isDirectory();
          isFile = s.isFile();
        }
        if (layers.length || userIgnore) {
          const rel = joinBytes(task.rel, bytes ?? Buffer.from(name));
          if (ignoredBy(layers, rel, isDir) || userIgnore?.decide(rel, isDir, rootFrom) === true) {
            excluded++;
            continue;
          }
        }
        if (isDir) {
          // Kept exact even with no .gitignore yet: one further down measures from it.
          const rel = joinBytes(task.rel, bytes ?? Buffer.from(name));
          stack.push({ fsPath, shown, normalized: true, real: real ?? task.real + '/' + name, rel, abs: (task.abs === '/' ? '' : task.abs) + '/' + name, layers });
          continue;
        }
        if (!isFile) {
          skipped.push({ path: shown, reason: NOT_REGULAR });
          continue;
        }
        // Directories are walked by real path, so a file's real path is its directory's plus its name.
        const key = real === null ? null : splitReal(real);
        const names = key ? seenIn(key.dir) : (dirSeen ??= seenIn(task.real));
        const keyName = key ? key.name : name;
        if (names.has(keyName)) continue;
        names.add(keyName);
        const lang = classifyByFileName(name) ?? classifyByName(shown) ?? (path.extname(name) === '' ? classifyByShebang(readHead(fsPath)) : null);
        const yaml = !lang && /\.ya?ml$/.test(name);
        if (!lang && !yaml) continue;
        const file: FoundFile = typeof fsPath === 'string' ? { path: shown, languageId: lang ?? 'gitlab-ci' } : { path: shown, languageId: lang ?? 'gitlab-ci', fsPath };
        if (lang) here.push(file);
        else unclassifiedYaml.push(file);
      }
      // Entries were sorted backwards for the stack; a directory's files are reported in name order.
      for (let k = here.length - 1; k >= 0; k--) files.push(here[k]);
    }
    // The walked folder's own name counts: a template repository is often named for GitLab.
    const rootName = path.basename(path.resolve(root));
    const hinted = (f: FoundFile) => mayBeGitlabTemplate(rootName + '/' + path.relative(root, f.path).split(path.sep).join('/'));
    if (includes) {
      const before = files.length;
      addGitlabIncludes(files, firstHere, unclassifiedYaml, includes);
      if (isTemplate) addGitlabTemplates(files, unclassifiedYaml.filter(hinted), new Set(files.slice(before)), isTemplate);
    } else if (unclassifiedYaml.length && (files.slice(firstHere).some((f) => f.languageId === 'gitlab-ci') || unclassifiedYaml.some(hinted))) includesPending = true;
  }
  return { files, skipped, unknown, errors, excluded, ...(marks ? { marks } : {}), ...(unmarked ? { unmarked } : {}), ...(includesPending ? { includesPending } : {}) };
}

/**
 * What the start-up stage (entry.ts) hands to the linter when it cannot finish a run alone: the
 * walk of `paths` with `exclude`, and which files it read and found clean (neither buildx nor
 * docker in them: 1), so they are neither walked nor read twice.
 */
export interface Prewalk {
  paths: string[];
  exclude: string[];
  found: Discovered;
  clean: Uint8Array;
}
