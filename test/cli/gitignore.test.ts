/**
 * The `.gitignore` matcher against git itself: seeded random patterns and file names (escapes,
 * classes, `**` everywhere, negations, directory-only patterns, a nested `.gitignore`) are asked of
 * `git check-ignore --no-index` in a real repository and of `core/gitignore.ts`; the answers must
 * agree. Hostile patterns must cost in proportion to their length.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gitignore, type GitignoreLayer, ignoredBy } from '../../server/src/core/gitignore';
import { mulberry32 } from '../harness/random';

const hasGit = spawnSync('git', ['--version'], { stdio: 'ignore' }).status === 0;

const NAME_CHARS = ['a', 'b', 'c', 'A', '.', '-', '*', '?', '[', ']', '!', '\\', ' ', '#', 'é', 'x', '1'];
const PIECES = [
  'a*',
  'b**',
  'a',
  'b',
  'c',
  '*',
  '*',
  '**',
  '**',
  '?',
  '/',
  '/',
  '[ab]',
  '[!a]',
  '[^b]',
  '[a-c]',
  '[]a]',
  '[[:alpha:]]',
  '[[:digit:]x]',
  '[a-]',
  '[\\]]',
  '\\*',
  '\\?',
  '\\[',
  '\\ ',
  '\\\\',
  '\\a',
  ' ',
  '[',
  '.',
  'é',
  '[[:bogus:]]',
  '[é]',
  'x',
  '1',
  '#',
  '!',
];

interface Round {
  dir: string;
  root: string[];
  nested: string[];
  nestedDir: string;
  paths: { path: string; dir: boolean }[];
}

function makeRound(rand: () => number, index: number): Round {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const name = () => {
    for (;;) {
      let s = '';
      const n = 1 + Math.floor(rand() * 3);
      for (let i = 0; i < n; i++) s += pick(NAME_CHARS);
      if (s !== '.' && s !== '..' && s !== '.git' && s !== '.gitignore') return s;
    }
  };
  const dirs = ['', name(), name()];
  dirs.push(`${dirs[1]}/${name()}`, `${dirs[2]}/${name()}`, `${dirs[1]}/${name()}/${name()}`);
  const paths: { path: string; dir: boolean }[] = [];
  const seen = new Set<string>();
  for (const d of dirs.slice(1)) {
    const parts = d.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      if (!seen.has(p)) {
        seen.add(p);
        paths.push({ path: p, dir: true });
      }
    }
  }
  for (let i = 0; i < 10; i++) {
    const p = [pick(dirs), name()].filter(Boolean).join('/');
    if (seen.has(p)) continue;
    seen.add(p);
    paths.push({ path: p, dir: false });
  }
  const segments = paths.flatMap((p) => p.path.split('/'));
  const pattern = () => {
    let s = '';
    if (rand() < 0.2) s += '!';
    if (rand() < 0.2) s += '/';
    const n = 1 + Math.floor(rand() * 5);
    for (let i = 0; i < n; i++) s += rand() < 0.3 ? pick(segments) : pick(PIECES);
    if (rand() < 0.2) s += '/';
    if (rand() < 0.1) s += ' ';
    if (rand() < 0.05) s += '\\';
    return s;
  };
  const root = Array.from({ length: 1 + Math.floor(rand() * 4) }, pattern);
  const nested = Array.from({ length: Math.floor(rand() * 3) }, pattern);
  return { dir: `r${index}`, root, nested, nestedDir: dirs[1], paths };
}

/** Our answer for `path`: ignored when a directory above it is, else as its own patterns say. */
function ours(round: Round, path: string, dir: boolean): boolean {
  const root = Gitignore.parse(round.root.join('\n') + '\n');
  const nested = Gitignore.parse(round.nested.join('\n') + '\n');
  const decide = (p: string, isDir: boolean) => {
    const layers: GitignoreLayer[] = [{ gitignore: root, from: 0 }];
    if (p.startsWith(round.nestedDir + '/')) layers.push({ gitignore: nested, from: Buffer.byteLength(round.nestedDir) + 1 });
    return ignoredBy(layers, Buffer.from(p), isDir);
  };
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) if (decide(parts.slice(0, i).join('/'), true)) return true;
  return decide(path, dir);
}

describe.runIf(hasGit)('gitignore matching agrees with git check-ignore', () => {
  let repo = '';
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'kbx-gitignore-'));
    spawnSync('git', ['init', '-q', repo]);
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  function agree(rounds: Round[]): { queries: number; ignored: number } {
    const queries: string[] = [];
    for (const r of rounds) {
      mkdirSync(join(repo, r.dir));
      for (const p of r.paths) {
        if (p.dir) mkdirSync(join(repo, r.dir, p.path), { recursive: true });
        else writeFileSync(join(repo, r.dir, p.path), '');
      }
      writeFileSync(join(repo, r.dir, '.gitignore'), r.root.join('\n') + '\n');
      if (r.nested.length) writeFileSync(join(repo, r.dir, r.nestedDir, '.gitignore'), r.nested.join('\n') + '\n');
      for (const p of r.paths) queries.push(`${r.dir}/${p.path}`);
    }
    const res = spawnSync('git', ['-c', 'core.ignorecase=false', 'check-ignore', '--no-index', '-v', '-n', '-z', '--stdin'], { cwd: repo, input: queries.join('\0') + '\0' });
    const fields = res.stdout.toString('utf8').split('\0');
    const gitSays = new Map<string, boolean>();
    for (let i = 0; i + 3 < fields.length; i += 4) gitSays.set(fields[i + 3], fields[i] !== '' && !fields[i + 2].startsWith('!'));
    expect(gitSays.size).toBe(queries.length);
    const mismatches: string[] = [];
    let ignoredCount = 0;
    for (const r of rounds) {
      for (const p of r.paths) {
        const want = gitSays.get(`${r.dir}/${p.path}`);
        if (want) ignoredCount++;
        const got = ours(r, p.path, p.dir);
        if (got !== want)
          mismatches.push(
            `${JSON.stringify(p.path)}${p.dir ? '/' : ''}: git ${want}, ours ${got}; root ${JSON.stringify(r.root)}; ${JSON.stringify(r.nestedDir)}/.gitignore ${JSON.stringify(r.nested)}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
    return { queries: queries.length, ignored: ignoredCount };
  }

  it('on seeded random patterns and names', () => {
    const rand = mulberry32(20261201);
    const { queries, ignored } = agree(Array.from({ length: 150 }, (_, i) => makeRound(rand, i)));
    // The generator must exercise both answers, or the agreement proves little.
    expect(ignored).toBeGreaterThan(queries / 10);
    expect(ignored).toBeLessThan(queries * 0.9);
  });

  it("on the corners of git's rules", () => {
    const tree = [
      'foo/',
      'foox/',
      'foox/y/',
      'foox/y/bar',
      'foo/bar',
      'a/',
      'a/bc/',
      'a/bc/d/',
      'a/bc/d/e',
      'a/b',
      'x y',
      'x ',
      'x',
      '#c',
      '!n',
      'b/',
      'b/x.sh',
      'b/keep.sh',
      'b/c/',
      'b/c/keep.sh',
      'q[1]',
      'é',
      'ab',
    ];
    const paths = tree.map((t) => ({ path: t.replace(/\/$/, ''), dir: t.endsWith('/') }));
    const cases: [string[], string[]][] = [
      [['foo**/bar'], []], // after the literal prefix, a `**` counts as starting the pattern
      [['a/b**'], []],
      [['**/**/**/bar'], []],
      [['a/**/e', '!a/bc/'], []],
      [['x\\ ', 'x\\'], []], // an escaped trailing space is kept; a trailing backslash never matches
      [['x  '], []],
      [['\\#c', '\\!n'], []],
      [['b/', '!b/keep.sh'], []], // a file under an ignored directory stays ignored
      [['*.sh', '!keep.sh'], ['*.sh']], // the deeper file decides
      [['q[[]1]', '[é]', '?'], []],
      [['[a', 'a[[:bogus:]]'], []],
      [['/foo/', 'foox/*'], []],
      [['*', '!*/', '!*.sh'], []],
    ];
    const rounds: Round[] = cases.map(([root, nested], i) => ({ dir: `h${i}`, root, nested, nestedDir: 'b', paths }));
    const { ignored } = agree(rounds);
    expect(ignored).toBeGreaterThan(10);
  });
});

/** The time `run` takes for a problem of size 4n over size n, each the best of two, in one test. */
function growth(run: (n: number) => void, n: number): number {
  const time = (m: number) => {
    const t0 = performance.now();
    run(m);
    return performance.now() - t0;
  };
  // Warm up the code paths at both sizes, then take the best of three of each.
  time(n);
  time(4 * n);
  const small = Math.min(time(n), time(n), time(n));
  const big = Math.min(time(4 * n), time(4 * n), time(4 * n));
  return big / Math.max(small, 1);
}

describe('hostile patterns cost in proportion to their size', () => {
  const deepPath = Buffer.from('a/'.repeat(40) + 'b');
  const longName = Buffer.from('a'.repeat(16_000));

  it('`**/` repeated, and `**/a/` repeated against a deep path', () => {
    for (const unit of ['**/', '**/a/']) {
      const r = growth((n) => {
        const g = Gitignore.parse(unit.repeat(n) + 'c\n');
        for (let i = 0; i < 200; i++) expect(g.decide(deepPath, false)).toBe(null);
      }, 1000);
      expect(r).toBeLessThan(9);
    }
  });

  it('one line of a quarter of a megabyte, and of a megabyte', () => {
    const r = growth((n) => {
      const g = Gitignore.parse('a*'.repeat(n) + 'b\n');
      for (let i = 0; i < 5; i++) expect(g.decide(longName.subarray(0, 200), false)).toBe(null);
    }, 128_000);
    expect(r).toBeLessThan(9);
  });

  it('`*a*a*a…b` against ever longer names, and ever longer patterns', () => {
    const byName = growth((n) => {
      const g = Gitignore.parse('*a'.repeat(60) + '*b\n');
      expect(g.decide(longName.subarray(0, n), false)).toBe(null);
    }, 3000);
    expect(byName).toBeLessThan(9);
    const byPattern = growth((n) => {
      const g = Gitignore.parse('*a'.repeat(n) + '*b\n');
      for (let i = 0; i < 10; i++) expect(g.decide(longName.subarray(0, 400), false)).toBe(null);
    }, 200);
    expect(byPattern).toBeLessThan(9);
  });

  it('still matches what those patterns describe', () => {
    expect(Gitignore.parse('**/'.repeat(1600) + 'b\n').decide(deepPath, false)).toBe(true);
    expect(Gitignore.parse('**/a/'.repeat(30) + '**/b\n').decide(deepPath, false)).toBe(true);
    expect(Gitignore.parse('**/a/'.repeat(41) + '**/b\n').decide(deepPath, false)).toBe(null);
    expect(Gitignore.parse('*a'.repeat(60) + '*\n').decide(longName, false)).toBe(true);
    expect(Gitignore.parse('a*'.repeat(125_000) + '\n').decide(longName, false)).toBe(null);
    expect(Gitignore.parse('a*'.repeat(1500) + '\n').decide(longName, false)).toBe(true);
  });
});
