/**
 * Configuration lookups are memoised per directory and answered from the walk's own listings
 * (core/config-lookup.ts, walk.ts `markNames`). On seeded trees with configuration files, `.git`
 * files and directories, and links (dangling ones included) at random places, every directory gets
 * the answer of the plain lookup: one existsSync per name, from the directory up.
 */
import { existsSync, lstatSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_NAMES, ConfigLookup, findConfigFile, listedFs, LOOKUP_NAMES } from '../../server/src/core/config-lookup';
import { walk } from '../../server/src/cli/walk';
import { inTempDir } from '../harness/cli-session';
import { mulberry32 } from '../harness/random';

const tmp = inTempDir('kbx-lookup-');

/** The lookup as it was before any caching: the oracle. */
function plainLookup(dir: string): string | null {
  let d = resolve(dir);
  for (;;) {
    for (const name of CONFIG_NAMES) if (existsSync(join(d, name))) return join(d, name);
    const parent = dirname(d);
    if (existsSync(join(d, '.git')) || parent === d) return null;
    d = parent;
  }
}

function randomTree(seed: number): string[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const dirs = ['t'];
  for (let i = 0; i < 30; i++) {
    const d = join(pick(dirs), `d${i}`);
    mkdirSync(d, { recursive: true });
    dirs.push(d);
    writeFileSync(join(d, 'x.sh'), 'echo hi\n');
  }
  for (let i = 0; i < 12; i++) {
    const d = pick(dirs);
    const what = rnd();
    const name = pick([...LOOKUP_NAMES]);
    const at = join(d, name);
    // Taken already, by anything (a dangling link too).
    if (lstatSync(at, { throwIfNoEntry: false })) continue;
    if (what < 0.5) writeFileSync(at, '{}');
    else if (what < 0.65) mkdirSync(at);
    else if (what < 0.8) symlinkSync('nowhere', at);
    else symlinkSync(resolve(join('t', 'x.sh')), at);
  }
  writeFileSync(join('t', 'x.sh'), 'echo hi\n');
  return dirs;
}

describe('configuration lookup', () => {
  it('memoised and answered from the listings, it finds what the plain lookup finds', () => {
    const answers = new Set<string>();
    for (let seed = 1; seed <= 25; seed++) {
      const root = join(tmp.current(), `s${seed}`);
      mkdirSync(root);
      process.chdir(root);
      const dirs = randomTree(seed);
      const found = walk(['t'], { ignoreGlobs: [], markNames: LOOKUP_NAMES }, null);
      expect(found.marks?.size, `seed ${seed}`).toBeGreaterThan(0);
      const listed = new ConfigLookup(listedFs(found.marks!, { exists: existsSync }));
      const memo = new ConfigLookup({ exists: existsSync });
      // Deepest first and shallowest first: the memo must not depend on the order of questions.
      for (const order of [[...dirs].reverse(), dirs]) {
        for (const d of order) {
          const want = plainLookup(d);
          answers.add(want === null ? 'none' : want.endsWith('.kbx-lint.json') ? 'dot' : 'plain');
          expect(listed.find(d), `seed ${seed}, ${d}`).toBe(want);
          expect(memo.find(d), `seed ${seed}, ${d}`).toBe(want);
          expect(findConfigFile(d, { exists: existsSync }), `seed ${seed}, ${d}`).toBe(want);
        }
      }
      process.chdir(tmp.current());
    }
    // The trees gave every kind of answer.
    expect([...answers].sort()).toEqual(['dot', 'none', 'plain']);
  });

  it('the listing answers without asking the file system; a link in a directory sends it back there', () => {
    mkdirSync('t/a/b', { recursive: true });
    writeFileSync('t/a/b/x.sh', 'echo hi\n');
    writeFileSync('t/a/kbx-lint.json', '{}');
    symlinkSync('gone', 't/a/b/.kbx-lint.json');
    const found = walk(['t'], { ignoreGlobs: [], markNames: LOOKUP_NAMES }, null);
    const asked: string[] = [];
    const lookup = new ConfigLookup(listedFs(found.marks!, { exists: (f) => (asked.push(f), existsSync(f)) }));
    // t/a/b holds a dangling link named like a configuration: asked, found missing, then t/a answers.
    expect(lookup.find('t/a/b')).toBe(resolve('t/a/kbx-lint.json'));
    expect(asked.every((f) => dirname(f) === resolve('t/a/b') || !resolve(f).startsWith(resolve('t')))).toBe(true);
    expect(asked.length).toBeGreaterThan(0);
    asked.length = 0;
    expect(lookup.find('t/a')).toBe(resolve('t/a/kbx-lint.json'));
    expect(asked).toEqual([]);
  });
});
