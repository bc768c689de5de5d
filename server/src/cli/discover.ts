/**
 * File discovery: expands the CLI's paths into lintable files. Shell files by extension or
 * shebang, Makefiles, CI files and Markdown by name (hosts/detect.ts); `.gitignore` files and `--ignore` globs respected; binary files and
 * symlinks leading outside the given roots skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { classifyByName, classifyByShebang, type LanguageId } from '../hosts/detect';

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

export interface DiscoverOptions {
  ignoreGlobs: string[];
}

/**
 * discover walks the given paths. Explicitly named files are linted when they can be classified;
 * those that cannot are listed in `unknown` (the CLI says so once). Iterative, so deep trees
 * cannot overflow the stack.
 */
export function discover(paths: string[], opts: DiscoverOptions): { files: FoundFile[]; skipped: SkipNote[]; unknown: SkipNote[]; errors: SkipNote[] } {
  const files: FoundFile[] = [];
  const unknown: SkipNote[] = [];
  const skipped: SkipNote[] = [];
  const errors: SkipNote[] = [];
  const userIgnore = ignore().add(opts.ignoreGlobs);
  const seen = new Set<string>();
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
      if (opts.ignoreGlobs.length && !rel.startsWith('..') && rel && userIgnore.ignores(rel)) continue;
      // Named explicitly or not, a file of unknown type is never read as shell: a README or a
      // Dockerfile would give a page of bogus syntax errors. Only a shebang vouches for a file
      // without an extension.
      const lang = classifyByName(root) ?? (path.extname(root) === '' ? classifyByShebang(readHead(root)) : null);
      if (lang) files.push({ path: root, languageId: lang });
      else if (!unknown.some((u) => u.path === root)) unknown.push({ path: root, reason: 'not a shell script, Makefile, CI file or Markdown file' });
      continue;
    }
    const rootReal = fs.realpathSync(root);
    const stack: { dir: string; layers: IgnoreLayer[] }[] = [{ dir: root, layers: [] }];
    while (stack.length) {
      const { dir, layers: parentLayers } = stack.pop()!;
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
          if (seen.has(real)) continue;
          const s = fs.statSync(real);
          isDir = s.isDirectory();
          isFile = s.isFile();
        }
        const relToRoot = path.relative(root, full);
        if (layers.some((l) => l.ig.ignores(path.relative(l.dir, full) + (isDir ? '/' : '')))) continue;
        if (opts.ignoreGlobs.length && userIgnore.ignores(relToRoot + (isDir ? '/' : ''))) continue;
        if (isDir) {
          stack.push({ dir: full, layers });
          continue;
        }
        if (!isFile) continue;
        // Only a symbolic link can make one file appear twice; resolving every path is costly.
        const key = ent.isSymbolicLink() ? fs.realpathSync(full) : path.resolve(full);
        if (seen.has(key)) continue;
        seen.add(key);
        const lang = classifyByName(full) ?? (path.extname(full) === '' ? classifyByShebang(readHead(full)) : null);
        if (lang) files.push({ path: full, languageId: lang });
      }
    }
  }
  return { files, skipped, unknown, errors };
}
