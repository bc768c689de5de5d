/**
 * What the Makefile host needs to follow `include`: a way to read the files make would read, and
 * the bounds on how many it reads. The host itself touches no file system; the CLI and the
 * language server hand it a reader over the disk (engine/make-includes.ts). Included text is only
 * read as makefile lines, never run.
 */

/** A file make would include: its text, or why there is none to read. */
export type IncludedFile = { text: string } | 'missing' | 'unreadable';

export interface MakeIncludeFiles {
  /** The file at `name`, a path relative to the directory make runs in (the Makefile's). */
  read(name: string): IncludedFile;
  /** The paths a glob matches there, sorted as make's glob sorts them; empty when none does. */
  glob(pattern: string): string[];
}

/** How deep includes nest, at most: deeper ones are unknown (a cycle makes GNU make crash). */
export const MAX_INCLUDE_DEPTH = 16;
/** Included files read for one Makefile, at most, counting each time a file is read again. */
export const MAX_INCLUDE_FILES = 256;

export interface MakeIncludes {
  /** Read relative to the directory make runs in: the includer's, when there is one. */
  files: MakeIncludeFiles;
  /**
   * For a fragment (`*.mk`): the Makefile that includes it, read around it, and the fragment's
   * path from that Makefile's directory, normalized. Its variables are the fragment's.
   */
  includer?: { text: string; fragment: string };
  /** Characters of included text read for one Makefile, at most (the engine's limits.maxFileSize). */
  maxBytes: number;
}

const GLOB = /[*?[]/;

export function isGlob(name: string): boolean {
  return GLOB.test(name);
}

/** Target patterns a file may hold before its missing `-include`s are all taken as built. */
const MAX_TARGET_PATTERNS = 1000;

/**
 * MadeTargets gathers the rule targets of the texts make reads (the file, what it includes, its
 * includer), each text once, for `has`: some rule names a missing file as its target, by name or
 * by a `%` pattern, so make would build it and then read it, and what it sets is unknown. Read
 * from the raw text, so a target written through a variable is missed; a missing `include` is
 * unknown anyway, and only a missing `-include` relies on this.
 */
export class MadeTargets {
  private readonly names = new Set<string>();
  private readonly patterns: [string, string][] = [];

  add(src: string): void {
    for (const m of src.matchAll(/^([^\t#\n=:][^#\n=:]*?)[ \t]*::?(?![=])/gm)) {
      for (const target of m[1].trim().split(/[ \t]+/)) {
        if (!target.includes('%')) this.names.add(target.replace(/^(?:\.\/)+/, ''));
        else if (!target.includes('$') && this.patterns.length <= MAX_TARGET_PATTERNS) {
          const at = target.indexOf('%');
          this.patterns.push([target.slice(0, at), target.slice(at + 1)]);
        }
      }
    }
  }

  has(file: string): boolean {
    if (this.patterns.length > MAX_TARGET_PATTERNS || this.names.has(file)) return true;
    return this.patterns.some(([pre, post]) => file.length >= pre.length + post.length && file.startsWith(pre) && file.endsWith(post));
  }
}

/** normalize drops `.` and resolves `..` in a relative path, as the file system would. */
export function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}
