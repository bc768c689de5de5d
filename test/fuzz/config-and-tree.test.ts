/**
 * Hostile configuration files and hostile trees through the command line (in this process):
 * `.kbx-lint.json` with hostile values (tens of thousands of rules and globs, numbers out of
 * range, wrong types, nesting deeper than a parser's stack, long `extends` chains and cycles, a
 * megabyte string, invalid UTF-8) and trees with thousands of files in one directory, directories
 * hundreds deep and paths near the system's limit. Each run ends with exit 0, 1 or 2; a usage or
 * configuration error names the file; no run prints a stack trace or an internal error; a
 * pathological glob costs about 4× for 4× its length (CPU time, measured in the same test).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main';
import { cpuMs, screenGrowth } from '../harness/cost';

const LONG = process.env.KBX_FUZZ_LONG === '1';
const BUILD = 'docker buildx build --platform linux/x86_64 -t r/a .\n';

let work = '';
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kbx-config-tree-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cwd: string, args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const saved = process.cwd();
  process.chdir(cwd);
  try {
    const code = main(
      args,
      (s) => (out += s),
      (s) => (err += s),
      { stdoutIsTTY: false, stderrIsTTY: false, now: Date.now },
    );
    return { code, out, err };
  } finally {
    process.chdir(saved);
  }
}

/** A project with one build script and the given `.kbx-lint.json` (and more files). */
function project(name: string, config: string | Buffer, more: Record<string, string> = {}): string {
  const dir = join(work, name);
  mkdirSync(join(dir, '.git'), { recursive: true });
  writeFileSync(join(dir, 'build.sh'), BUILD);
  writeFileSync(join(dir, '.kbx-lint.json'), config);
  for (const [f, text] of Object.entries(more)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const sane = (what: string, r: { code: number; err: string }): string[] => {
  const out: string[] = [];
  if (![0, 1, 2].includes(r.code)) out.push(`${what}: exit ${r.code}`);
  if (/internal error|^\s+at .+:\d+:\d+\)?$/m.test(r.err)) out.push(`${what}: ${r.err.slice(0, 300)}`);
  if (r.code === 2 && !/\.json\b|configuration/.test(r.err)) out.push(`${what}: exit 2 without naming the configuration: ${r.err.slice(0, 300)}`);
  return out;
};

const N = LONG ? 100_000 : 5_000;
const CONFIGS: Record<string, () => string | Buffer> = {
  'many rules': () => JSON.stringify({ rules: Object.fromEntries(Array.from({ length: N }, (_, i) => [`KBX${i}`, i % 2 ? 'off' : 'error'])) }),
  'many overrides and globs': () =>
    JSON.stringify({ overrides: Array.from({ length: N >> 2 }, (_, i) => ({ files: [`dir${i}/**`, `**/*.${i}`, `!x${i}`, '**/**/**/*.sh'], rules: { KBX412: 'off' } })) }),
  'numbers out of range': () => JSON.stringify({ limits: { maxFileSize: 1e308, maxLineLength: -1, maxWordLength: 0.5, maxWordFields: Number.MAX_SAFE_INTEGER * 4 } }),
  'wrong types': () => JSON.stringify({ rules: [1, 2], limits: 'x', overrides: { files: 1 }, extends: 7, buildx: { v: 1 } }),
  'severity values': () => JSON.stringify({ rules: { KBX412: 'fatal', KBX101: 3, KBX102: null, KBX103: ['error'], '': 'off' } }),
  'nesting deeper than a parser stack': () => `{"rules": ${'['.repeat(LONG ? 200_000 : 20_000)}${']'.repeat(LONG ? 200_000 : 20_000)}}`,
  'a megabyte string': () => JSON.stringify({ buildx: 'v'.repeat(1 << 20), rules: { ['K'.repeat(1 << 16)]: 'off' } }),
  'BOM, comments, trailing comma': () => '\uFEFF{ // a comment\n "rules": { "KBX412": "off", },\n}',
  'duplicate keys': () => `{${Array.from({ length: 2000 }, (_, i) => `"rules": {"KBX412": "${i % 2 ? 'off' : 'error'}"}`).join(',')}}`,
  'invalid UTF-8': () => Buffer.concat([Buffer.from('{"rules": {"KBX412": "o'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('ff"}}')]),
  'NUL and control bytes': () => '{"rules":\0 {"KBX412"\x1b[31m: "off"}}',
  empty: () => '',
  'a number at the top': () => '1e999',
};

describe('hostile .kbx-lint.json', () => {
  it('every value: exit 0, 1 or 2, a message naming the file, never a stack trace', () => {
    const problems: string[] = [];
    for (const [name, make] of Object.entries(CONFIGS)) {
      const dir = project(name.replace(/\W+/g, '-'), make());
      const t0 = cpuMs();
      problems.push(...sane(name, run(dir, ['build.sh'])));
      if (process.env.KBX_FUZZ_VERBOSE === '1') console.log(`config ${name}: ${Math.round(cpuMs() - t0)} ms of CPU`);
      problems.push(...sane(`${name} (explain)`, run(dir, ['explain', 'build.sh'])));
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('a long extends chain and an extends cycle', () => {
    const n = LONG ? 5_000 : 300;
    const chain: Record<string, string> = {};
    for (let i = 0; i < n; i++) chain[`cfg/c${i}.json`] = JSON.stringify({ extends: i + 1 < n ? `./c${i + 1}.json` : undefined, rules: { [`KBX${410 + (i % 5)}`]: 'warning' } });
    const long = project('chain', JSON.stringify({ extends: './cfg/c0.json' }), chain);
    const r = run(long, ['build.sh']);
    expect(sane('extends chain', r)).toEqual([]);
    const cycle = project('cycle', JSON.stringify({ extends: './cfg/a.json' }), { 'cfg/a.json': JSON.stringify({ extends: './b.json' }), 'cfg/b.json': JSON.stringify({ extends: './a.json' }) });
    const c = run(cycle, ['build.sh']);
    expect(c.code).toBe(2);
    expect(sane('extends cycle', c)).toEqual([]);
  });

  it('a pathological override glob costs about 4× for 4× its length', () => {
    const glob = (k: number) => `${'**/'.repeat(k)}*a*a*a*a*a*a*a*a*b`;
    const dirOf = (k: number) =>
      project(`glob-${k}`, JSON.stringify({ overrides: [{ files: [glob(k), `${'*a'.repeat(k)}b`], rules: { KBX412: 'off' } }] }), { [`${'a/'.repeat(40)}${'a'.repeat(60)}.sh`]: BUILD });
    const small = dirOf(LONG ? 2_000 : 250);
    const big = dirOf(LONG ? 8_000 : 1_000);
    expect(sane('small glob', run(small, ['.']))).toEqual([]);
    expect(sane('big glob', run(big, ['.']))).toEqual([]);
    const g = screenGrowth(
      () => run(small, ['.']),
      () => run(big, ['.']),
      { floorMs: 5, maxRatio: 12 },
    );
    expect(g.ratio, g.describe).toBeLessThan(12);
  });
});

describe('hostile trees', () => {
  it('thousands of files in one directory, directories hundreds deep, paths near the limit', { timeout: 120_000 }, () => {
    const root = join(work, 'tree');
    mkdirSync(join(root, '.git'), { recursive: true });
    const files = LONG ? 20_000 : 2_000;
    mkdirSync(join(root, 'flat'));
    for (let i = 0; i < files; i++) writeFileSync(join(root, 'flat', `f${i}.sh`), i % 10 ? 'echo nothing\n' : BUILD);
    // 200 levels of one-letter directories, and 15 levels of 255-character names (about 3,800 characters).
    let deep = join(root, 'deep');
    for (let i = 0; i < 200; i++) deep = join(deep, 'd');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'build.sh'), BUILD);
    let long = join(root, 'long');
    for (let i = 0; i < 15; i++) long = join(long, String.fromCharCode(97 + i).repeat(255));
    mkdirSync(long, { recursive: true });
    writeFileSync(join(long, 'build.sh'), BUILD);
    const r = run(root, ['--format', 'json', '.']);
    expect(sane('tree', r)).toEqual([]);
    const found = (JSON.parse(r.out) as { diagnostics: { file: string; rule: string }[] }).diagnostics.filter((d) => d.rule === 'KBX412');
    // Every build script once: the flat ones, the deep one, the long one.
    expect(found.length).toBe(files / 10 + 2);
    expect(new Set(found.map((d) => d.file)).size).toBe(found.length);
    expect(sane('tree (explain)', run(root, ['explain', '.']))).toEqual([]);
  });
});
