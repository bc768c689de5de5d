/**
 * Where the configuration of a file comes from: `.kbx-lint.json` or `kbx-lint.json` in its
 * directory or the nearest parent, up to the project root (the first directory holding `.git`).
 * Apart from engine/config.ts, which checks configurations against the rules, so that the CLI's
 * start-up stage can tell whether a tree has any configuration without loading the linter.
 */
import * as path from 'node:path';

export const CONFIG_NAMES = ['.kbx-lint.json', 'kbx-lint.json'];

/** What the lookup needs from the file system. */
export interface ExistsFs {
  exists(file: string): boolean;
}

/**
 * findConfigFile looks for `.kbx-lint.json` or `kbx-lint.json` in `dir` and its parents, stopping
 * at the first directory that holds one or a `.git` (the project root).
 */
export function findConfigFile(dir: string, fsys: ExistsFs): string | null {
  return new ConfigLookup(fsys).find(dir);
}

/**
 * ConfigLookup is findConfigFile for many directories: every directory on the way up gets the
 * same answer, so the files of a tree share the lookups of their common parents.
 */
export class ConfigLookup {
  private readonly known = new Map<string, string | null>();
  constructor(private readonly fsys: ExistsFs) {}

  find(dir: string): string | null {
    const passed: string[] = [];
    let d = path.resolve(dir);
    let found: string | null = null;
    for (;;) {
      const known = this.known.get(d);
      if (known !== undefined) {
        found = known;
        break;
      }
      passed.push(d);
      const hit = CONFIG_NAMES.map((name) => path.join(d, name)).find((candidate) => this.fsys.exists(candidate));
      if (hit) {
        found = hit;
        break;
      }
      const parent = path.dirname(d);
      if (this.fsys.exists(path.join(d, '.git')) || parent === d) break;
      d = parent;
    }
    for (const p of passed) this.known.set(p, found);
    return found;
  }
}

/** The names a directory listing can answer for the lookup (walk.ts `markNames`), in bit order. */
export const LOOKUP_NAMES: readonly string[] = [...CONFIG_NAMES, '.git'];

/**
 * listedFs answers `exists` from the bits a directory walk noted (`marks`: absolute directory →
 * one bit per LOOKUP_NAMES entry present) and asks `fallback` for every other path.
 */
export function listedFs(marks: ReadonlyMap<string, number>, fallback: ExistsFs): ExistsFs {
  return {
    exists(file: string): boolean {
      const bits = marks.get(path.dirname(file));
      const k = LOOKUP_NAMES.indexOf(path.basename(file));
      if (bits === undefined || k < 0) return fallback.exists(file);
      return (bits & (1 << k)) !== 0;
    },
  };
}
