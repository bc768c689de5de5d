/**
 * The files a Makefile includes, read from the disk for the Makefile host (hosts/makefile.ts
 * follows `include` through this), by the CLI and the language server alike. Paths are relative
 * to the Makefile's directory, where `make` runs unless `-C`/`-f` says otherwise. Texts are kept
 * while a file's size and modification time stay, as walk.ts keeps a GitLab file's includes: an
 * editor relints the Makefile on every change, and the fragments it includes rarely change.
 * Nothing read here is run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MakefileIncluding } from '../hosts/index';
import type { IncludedFile, MakeIncludeFiles } from '../hosts/makefile-include';
import { readRegular } from '../core/read-file';
import { LIMITS } from './config';

const textCache = new Map<string, { mtimeMs: number; size: number; text: string | null }>();
const TEXT_CACHE_MAX = 512;
/** Paths one glob gives, at most: a pattern matching more is not followed further. */
const GLOB_MAX = 1024;

/** readIncludedFile: a file make would read, from the disk (kept while its size and mtime stay). */
export function readIncludedFile(file: string): IncludedFile {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'missing' : 'unreadable';
  }
  if (!st.isFile() || st.size > LIMITS.maxFileSize) return 'unreadable';
  const hit = textCache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text === null ? 'unreadable' : { text: hit.text };
  let text: string | null;
  try {
    // Read without blocking: what was a file at the stat may be a FIFO now.
    const raw = readRegular(file);
    // A binary file is no makefile make could read to any use.
    text = raw.includes(0) ? null : raw.toString('utf8');
  } catch {
    return 'unreadable';
  }
  if (textCache.size >= TEXT_CACHE_MAX) textCache.clear();
  textCache.set(file, { mtimeMs: st.mtimeMs, size: st.size, text });
  return text === null ? 'unreadable' : { text };
}

/** globPart turns one path component of a glob into a regular expression (glob(3) syntax). */
function globPart(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = part.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        let set = part.slice(i + 1, close);
        if (set[0] === '!') set = '^' + set.slice(1);
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < part.length) re += part[++i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function globFrom(dir: string, pattern: string): string[] {
  const parts = pattern.split('/');
  let found: string[] = [''];
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const last = k === parts.length - 1;
    const next: string[] = [];
    for (const prefix of found) {
      if (!/[*?[]/.test(part)) {
        next.push(prefix + part + (last ? '' : '/'));
        continue;
      }
      let names: string[];
      try {
        names = fs.readdirSync(path.resolve(dir, prefix || '.'));
      } catch {
        continue;
      }
      const re = globPart(part);
      // glob(3) leaves out dot files unless the pattern starts with a dot.
      for (const n of names) if ((part[0] === '.' || n[0] !== '.') && re.test(n)) next.push(prefix + n + (last ? '' : '/'));
      if (next.length > GLOB_MAX) return [];
    }
    found = next;
  }
  return found.filter((p) => fs.existsSync(path.resolve(dir, p))).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** diskIncludeFiles: the include reader for the Makefile at `makefile` (a path, relative or not). */
export function diskIncludeFiles(makefile: string): MakeIncludeFiles {
  const dir = path.dirname(path.resolve(makefile));
  return {
    read: (name) => readIncludedFile(path.resolve(dir, name)),
    glob: (pattern) => globFrom(dir, pattern),
  };
}

/** The names make looks for, in its order: it reads the first that exists. */
const MAKEFILE_NAMES = ['GNUmakefile', 'makefile', 'Makefile'];
/** Directories above a fragment searched for its includer, at most. */
const INCLUDER_SEARCH_DEPTH = 8;

/** An include word as a loose pattern: a variable or a glob stands for any text. */
function includeWordPattern(word: string): RegExp {
  let re = '';
  for (const part of word.split(/(\$\([^)]*\)|\$\{[^}]*\}|\$.|[*?])/)) {
    if (part === '') continue;
    if (part[0] === '$') re += '.*';
    else if (part === '*') re += '[^/]*';
    else if (part === '?') re += '[^/]';
    else re += part.replace(/^(?:\.\/)+/, '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`(?:^|/)${re}$`);
}

/**
 * makefileIncluding: the Makefile make would read in the fragment's directory or one above it
 * (up to the repository root) whose include lines may name the fragment, read from the disk;
 * else null. The Makefile host checks the include by reading it as make would, and reads the
 * fragment alone when it turns out not to be included there. `read` reads each candidate (the
 * language server records them and answers from open buffers).
 */
export function makefileIncluding(fragment: string, read: (file: string) => IncludedFile = readIncludedFile): MakefileIncluding | null {
  const target = path.resolve(fragment);
  let dir = path.dirname(target);
  for (let depth = 0; depth < INCLUDER_SEARCH_DEPTH; depth++) {
    for (const name of MAKEFILE_NAMES) {
      const makefile = path.join(dir, name);
      const file = read(makefile);
      if (file === 'missing') continue;
      if (file === 'unreadable') break;
      const rel = path.relative(dir, target).split(path.sep).join('/');
      for (const m of file.text.matchAll(/^[ \t]*(?:-|s)?include[ \t]+([^#\n]*)/gm)) {
        for (const word of m[1].trim().split(/[ \t]+/)) {
          if (word && includeWordPattern(word).test(rel)) return { makefile, text: file.text, fragment: rel };
        }
      }
      break;
    }
    if (fs.existsSync(path.join(dir, '.git'))) return null;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}
