/**
 * File discovery: expands the CLI's paths into lintable files. Shell files by extension or
 * shebang, Makefiles, CI files and Markdown by name (hosts/detect.ts); `.gitignore` files and `--ignore` globs respected; binary files and
 * symlinks leading outside the given roots skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { classifyByName, classifyByShebang, type LanguageId } from '../hosts/detect';
import { localIncludes } from '../hosts/gitlab-ci';

export { classifyByName, classifyByShebang };

export interface FoundFile {
  path: string;
  languageId: LanguageId;
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

function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(256);
    const n = fs.readSync(fd, buf, 0, 256, 0);
    return buf.subarray(0, n).toString('utf8').split('\n')[0];
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

interface IgnoreLayer {
  dir: string;
  ig: Ignore;
}

/**
 * parentIgnoreLayers reads the `.gitignore` files of the directories above `dir` up to the root of
 * the git work tree holding it, so linting a subdirectory skips what git skips. Outside a work
 * tree there are none.
 */
function parentIgnoreLayers(dir: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let d = path.dirname(path.resolve(dir));
  const start = path.resolve(dir);
  if (fs.existsSync(path.join(start, '.git'))) return layers;
  for (;;) {
    const gi = path.join(d, '.gitignore');
    try {
      if (fs.existsSync(gi)) layers.unshift({ dir: d, ig: ignore().add(fs.readFileSync(gi, 'utf8')) });
    } catch {
      /* an unreadable .gitignore ignores nothing */
    }
    if (fs.existsSync(path.join(d, '.git'))) break;
    const parent = path.dirname(d);
    if (parent === d) return [];
    d = parent;
  }
  // A directory named explicitly is linted even when a parent .gitignore lists it.
  return layers.filter((l) => !l.ig.ignores(path.relative(l.dir, start) + '/'));
}

export interface DiscoverOptions {
  ignoreGlobs: string[];
}

/** Glob of a GitLab `include: local:` path: `*` within a segment, `**` across segments. */
function includePattern(dir: string, p: string): RegExp {
  const abs = path.resolve(dir, p.replace(/^\/+/, ''));
  const re = abs
    .split(/(\*\*|\*)/)
    .map((x) => (x === '**' ? '.*' : x === '*' ? '[^/]*' : x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp('^' + re + '$');
}

/**
 * addGitlabIncludes: YAML files of the walked tree that a GitLab CI file found there includes by
 * local path are GitLab CI too (and so are the files they include). Paths are resolved against
 * the including file's directory, taken as the project root.
 */
function addGitlabIncludes(files: FoundFile[], from: number, candidates: string[]): void {
  if (!candidates.length) return;
  const left = new Set(candidates.map((c) => path.resolve(c)));
  const byAbs = new Map(candidates.map((c) => [path.resolve(c), c]));
  const queue = files
    .slice(from)
    .filter((f) => f.languageId === 'gitlab-ci')
    .map((f) => ({ file: f.path, root: path.dirname(path.resolve(f.path)) }));
  while (queue.length && left.size) {
    const { file, root } = queue.shift()!;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const inc of localIncludes(text)) {
      const re = includePattern(root, inc);
      for (const abs of [...left]) {
        if (!re.test(abs)) continue;
        left.delete(abs);
        const p = byAbs.get(abs)!;
        files.push({ path: p, languageId: 'gitlab-ci' });
        queue.push({ file: p, root });
      }
    }
  }
}

/**
 * discover walks the given paths. Explicitly named files are linted when they can be classified;
 * those that cannot are listed in `unknown` (the CLI says so once). Iterative, so deep trees
 * cannot overflow the stack.
 */
export function discover(paths: string[], opts: DiscoverOptions): { files: FoundFile[]; skipped: SkipNote[]; unknown: SkipNote[]; errors: SkipNote[]; excluded: number } {
  const files: FoundFile[] = [];
  const unknown: SkipNote[] = [];
  // Paths left out by an exclusion or a .gitignore, for the "nothing linted" summary.
  let excluded = 0;
  const skipped: SkipNote[] = [];
  const errors: SkipNote[] = [];
  const userIgnore = ignore().add(opts.ignoreGlobs);
  const seen = new Set<string>();
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
      if (opts.ignoreGlobs.length && !rel.startsWith('..') && rel && userIgnore.ignores(rel)) {
        excluded++;
        continue;
      }
      // Named explicitly or not, a file of unknown type is never read as shell: a README or a
      // Dockerfile would give a page of bogus syntax errors. Only a shebang vouches for a file
      // without an extension.
      const lang = classifyByName(root) ?? (path.extname(root) === '' ? classifyByShebang(readHead(root)) : null);
      if (lang) files.push({ path: root, languageId: lang });
      else if (!unknown.some((u) => u.path === root)) unknown.push({ path: root, reason: 'not a shell script, Makefile, CI file or Markdown file' });
      continue;
    }
    const rootReal = fs.realpathSync(root);
    // YAML files no name identifies: a GitLab CI file of the tree may include them.
    const unclassifiedYaml: string[] = [];
    const firstHere = files.length;
    const stack: { dir: string; layers: IgnoreLayer[] }[] = [{ dir: root, layers: parentIgnoreLayers(root).map((l) => ({ dir: l.dir, ig: l.ig })) }];
    while (stack.length) {
      const { dir, layers: parentLayers } = stack.pop()!;
      let dirReal: string;
      try {
        dirReal = fs.realpathSync(dir);
      } catch (e) {
        errors.push({ path: dir, reason: String((e as Error).message) });
        continue;
      }
      if (walked.has(dirReal)) continue;
      walked.add(dirReal);
      let layers = parentLayers;
      const gi = path.join(dir, '.gitignore');
      if (fs.existsSync(gi)) {
        try {
          layers = [...parentLayers, { dir, ig: ignore().add(fs.readFileSync(gi, 'utf8')) }];
        } catch {
          /* an unreadable .gitignore ignores nothing */
        }
      }
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        errors.push({ path: dir, reason: String((e as Error).message) });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      const here: FoundFile[] = [];
      for (const ent of entries) {
        const full = path.join(dir, ent.name);
        if (ent.name === '.git' || ent.name === 'node_modules') continue;
        let isDir = ent.isDirectory();
        let isFile = ent.isFile();
        if (ent.isSymbolicLink()) {
          let real: string;
          try {
            real = fs.realpathSync(full);
          } catch {
            continue;
          }
          if (!(real === rootReal || real.startsWith(rootReal + path.sep))) {
            skipped.push({ path: full, reason: 'symbolic link leads outside the linted tree' });
            continue;
          }
          if (seen.has(real) || walked.has(real)) continue;
          const s = fs.statSync(real);
          isDir = s.isDirectory();
          isFile = s.isFile();
        }
        const relToRoot = path.relative(root, full);
        if (layers.some((l) => l.ig.ignores(path.relative(l.dir, full) + (isDir ? '/' : ''))) || (opts.ignoreGlobs.length && userIgnore.ignores(relToRoot + (isDir ? '/' : '')))) {
          excluded++;
          continue;
        }
        if (isDir) {
          stack.push({ dir: full, layers });
          continue;
        }
        if (!isFile) continue;
        // Directories are walked by real path, so a file's real path is its directory's plus its name.
        const key = ent.isSymbolicLink() ? fs.realpathSync(full) : path.join(dirReal, ent.name);
        if (seen.has(key)) continue;
        seen.add(key);
        const lang = classifyByName(full) ?? (path.extname(full) === '' ? classifyByShebang(readHead(full)) : null);
        if (lang) here.push({ path: full, languageId: lang });
        else if (/\.ya?ml$/.test(ent.name)) unclassifiedYaml.push(full);
      }
      // Entries were sorted backwards for the stack; a directory's files are reported in name order.
      for (let k = here.length - 1; k >= 0; k--) files.push(here[k]);
    }
    addGitlabIncludes(files, firstHere, unclassifiedYaml);
  }
  return { files, skipped, unknown, errors, excluded };
}
