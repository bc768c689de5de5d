/**
 * What one file's model may hold. `limits.maxStatements` bounds the shell syntax tree (some 400
 * bytes a statement): past it the rest of the file is not read, with one KBX604 at the first
 * statement left out and no syntax error about the cut. `limits.maxArguments`: the arguments of a file's Docker commands together are bounded, so what
 * a file's model weighs is bounded whatever it holds (a command's model weighs some 500 bytes an
 * argument). The first command that does not fit gets one KBX604; it and every later command are
 * not read. The incremental lint of the language server must come to the same answer.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, LIMITS } from '../../server/src/engine/config';
import { IncrementalLint } from '../../server/src/engine/incremental';
import { lint, lintIfBuildx } from '../../server/src/engine/lint';

const dist = join(__dirname, '../../dist/kbx-lint.js');
const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
const found = (text: string, config = DEFAULT_CONFIG) => lint({ text, fileName: 'x.sh' }, config).diagnostics.map((d) => [d.code, lineOf(text, d.span.start)]);
// `--platform linux/x86_64` is an alias (KBX412): one finding per command read, none past the stop.
const build = (i: number) => `docker buildx build --platform linux/x86_64 -t r/a${i} .`;
const lines = (n: number, f: (i: number) => string) => `${Array.from({ length: n }, (_, i) => f(i)).join('\n')}\n`;

/** The CLI's findings (rule, line) for `text` in a heap of `mb` MB: an abort fails the test. */
function findingsInHeap(text: string, mb: number): [string, number][] {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${mb}`, dist, '--no-config', '--format', 'json', '--stdin-filename', 'x.sh', '-'], {
    input: text,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(r.stderr).not.toContain('heap out of memory');
  expect(r.status).toBe(1);
  const out = JSON.parse(r.stdout) as { diagnostics: { rule: string; line: number }[] };
  return out.diagnostics.map((d) => [d.rule, d.line]);
}

describe('limits.maxArguments', () => {
  it('reads commands while their arguments fit, then reports the first that does not, once', () => {
    // A command costs its words, the program's name included.
    const one = build(0).split(' ').length;
    const text = lines(10, build);
    const config = { rules: {}, limits: { maxArguments: 3 * one + 1 } };
    expect(found(text, config)).toEqual([
      ['KBX412', 1],
      ['KBX412', 2],
      ['KBX412', 3],
      ['KBX604', 4],
    ]);
    const r = lint({ text, fileName: 'x.sh' }, config);
    expect(r.invocations).toHaveLength(3);
    expect(r.diagnostics[3].message).toBe(
      `with this command's ${one} arguments, the file's Docker commands would have more than limits.maxArguments (${3 * one + 1}) together: it and every command after it are not checked`,
    );
    // Exactly at the limit every command is read.
    expect(found(text, { rules: {}, limits: { maxArguments: 10 * one } }).filter(([c]) => c === 'KBX604')).toEqual([]);
  });

  it('one command past the limit alone is named by its own count, before it is expanded', () => {
    const flags = lines(60_000, (i) => `  --driver-opt nodeselector=k${i}=v \\`);
    const text = `${build(0)}\ndocker buildx create --driver kubernetes \\\n${flags}  --name b\n${build(1)}\n`;
    const r = lint({ text, fileName: 'x.sh' });
    expect(r.diagnostics.map((d) => [d.code, lineOf(text, d.span.start)])).toEqual([
      ['KBX412', 1],
      ['KBX604', 2],
    ]);
    // Words as written: 60,000 flags and their values, `docker buildx create --driver kubernetes --name b`.
    expect(r.diagnostics[1].message).toBe(
      `this command has 120007 arguments, more than limits.maxArguments (${LIMITS.maxArguments}) for the whole file: it and every command after it are not checked`,
    );
    expect(r.invocations).toHaveLength(1);
  });

  it('bounds the whole lint: 64,000 --driver-opt flags lint inside a 64 MB heap', () => {
    const text = `docker buildx create --driver kubernetes \\\n${lines(64_000, (i) => `  --driver-opt nodeselector=k${i}=v,x${i}=y \\`)}  --name b\n`;
    expect(findingsInHeap(text, 64)).toEqual([['KBX604', 1]]);
  });

  it('the language server lints in full when an edit would pass the limit, and agrees with the CLI', () => {
    const one = build(0).split(' ').length;
    const config = { rules: {}, limits: { maxArguments: 4 * one + 1 } };
    const before = `echo start\n${lines(4, build)}`;
    // Edits of one character, which the language server answers by re-reading the one command: the
    // first adds a word to the second build and still fits, the second adds two and does not.
    const second = build(1);
    const edits = [second.replace('-t r/a1', '-t r a1'), second.replace('linux/x86_64', 'linux x86 64')].map((b) => before.replace(second, b));
    const spliced: number[] = [];
    for (const text of edits) {
      expect(text.length).toBe(before.length);
      const inc = new IncrementalLint();
      inc.update({ text: before, fileName: 'x.sh' }, config);
      const got = inc.update({ text, fileName: 'x.sh' }, config);
      spliced.push(inc.stats.spliced);
      const want = lintIfBuildx({ text, fileName: 'x.sh' }, config);
      expect(got.result?.diagnostics ?? got.diagnostics).toEqual(want.diagnostics);
    }
    expect(spliced).toEqual([1, 0]);
    const past = lintIfBuildx({ text: edits[1], fileName: 'x.sh' }, config).diagnostics.map((d) => [d.code, lineOf(edits[1], d.span.start)]);
    // `linux` alone is no platform (KBX414), and `x86`, `64` are extra contexts (KBX526).
    expect(past).toEqual([
      ['KBX412', 2],
      ['KBX414', 3],
      ['KBX526', 3],
      ['KBX412', 4],
      ['KBX604', 5],
    ]);
  });
});

describe('limits.maxStatements', () => {
  const config = (n: number) => ({ rules: {}, limits: { maxStatements: n } });

  it('reads statements up to the limit, then reports the first one left out and nothing after it', () => {
    const text = `${build(0)}\necho one\n${build(1)}\necho two\n${build(2)}\n`;
    expect(found(text, config(3))).toEqual([
      ['KBX412', 1],
      ['KBX412', 3],
      ['KBX604', 4],
    ]);
    const r = lint({ text, fileName: 'x.sh' }, config(3));
    expect(r.diagnostics[2].message).toBe('the file has more than limits.maxStatements (3) shell statements: from this one on it is not read');
    expect(r.invocations).toHaveLength(2);
    expect(found(text, config(5)).filter(([c]) => c === 'KBX604')).toEqual([]);
  });

  it('a cut inside an if block or a command substitution is no syntax error', () => {
    const text = `if true; then\n  ${build(0)}\n  echo "$(date; date; date)"\n  ${build(1)}\nfi\n`;
    // The if, its condition, the build, the echo and one command of the substitution: the cut is in it.
    const got = found(text, config(5));
    expect(got).toEqual([
      ['KBX412', 2],
      ['KBX604', 3],
    ]);
    expect(found(text, config(100))).toEqual([
      ['KBX412', 2],
      ['KBX412', 4],
    ]);
  });

  it('a file of a million short commands lints inside a 96 MB heap', () => {
    const text = `${build(0)}\n${'echo a\n'.repeat(1_000_000)}`;
    expect(findingsInHeap(text, 96)).toEqual([
      ['KBX412', 1],
      ['KBX604', LIMITS.maxStatements + 1],
    ]);
  });
});

describe('limits.maxStatements in the language server', () => {
  it('an edit that adds statements past the limit is linted in full, as the CLI does', () => {
    const before = `echo start\n${lines(4, build)}`;
    // Five statements exactly; the edit (of the same length) makes the second build run `a` first, and the last build is cut.
    const config = { rules: {}, limits: { maxStatements: 5 } };
    const text = before.replace('-t r/a1 .', '-t "$(a)"');
    expect(text.length).toBe(before.length);
    const inc = new IncrementalLint();
    inc.update({ text: before, fileName: 'x.sh' }, config);
    const got = inc.update({ text, fileName: 'x.sh' }, config);
    const want = lintIfBuildx({ text, fileName: 'x.sh' }, config);
    expect(want.diagnostics.map((d) => [d.code, lineOf(text, d.span.start)])).toContainEqual(['KBX604', 5]);
    expect(got.result?.diagnostics ?? got.diagnostics).toEqual(want.diagnostics);
  });
});
