/**
 * `elif` is `else if`: each condition of an if/elif/else chain runs at most once, and only when
 * every earlier condition failed. A buildx command in an `elif` condition is one invocation, not
 * one per path that passes it. Checked against real bash on seeded chains (the stub docker fails
 * `inspect` and passes every other call).
 */
import { describe, expect, it } from 'vitest';
import { argvOf, invocationsOf } from '../harness/lint-helpers';
import { mulberry32 } from '../harness/random';
import { runScript } from '../harness/stub-docker';

const SEED = Number(process.env.KBX_ELIF_SEED ?? 3719);
type R = () => number;

/** The tag a command carries as its last argument. */
const tagOf = (argv: (string | null)[]): string | null => argv[argv.length - 1];

function condition(r: R, tag: string): string {
  switch (Math.floor(r() * 5)) {
    case 0:
      return `docker buildx inspect ${tag} >/dev/null 2>&1`; // fails under the stub
    case 1:
      return `docker buildx ls ${tag}`; // succeeds
    case 2:
      return `! docker buildx inspect ${tag}`;
    case 3:
      return `[ -n "$CI" ] && docker buildx version ${tag}`;
    default:
      return `[ -n "$CI" ]`;
  }
}

function chain(r: R): string {
  let n = 0;
  const tag = () => `t${n++}`;
  const lines: string[] = [];
  const branches = 1 + Math.floor(r() * 4);
  for (let b = 0; b < branches; b++) {
    lines.push(`${b === 0 ? 'if' : 'elif'} ${condition(r, tag())}; then`, `  docker buildx rm ${tag()}`);
  }
  if (r() < 0.6) lines.push('else', `  docker buildx create --name ${tag()}`);
  lines.push('fi', `docker buildx build . -t ${tag()}`);
  return lines.join('\n') + '\n';
}

describe('if/elif/else chains', () => {
  it('read every command once, and whatever bash runs (150 seeded chains)', () => {
    const r = mulberry32(SEED);
    let elifConditionsRun = 0;
    for (let k = 0; k < 150; k++) {
      const script = chain(r);
      const read = invocationsOf(script).map((i) => tagOf(argvOf(i)));
      const written = script.match(/\bt\d+\b/g) ?? [];
      // Each command of the file is one invocation.
      expect(read.slice().sort(), script).toEqual(written.slice().sort());
      const ran = runScript(script).calls.map((c) => c[c.length - 1]);
      for (const t of ran) expect(read, script).toContain(t);
      elifConditionsRun += ran.filter((t) => new RegExp(`elif [^\\n]*\\b${t}\\b`).test(script)).length;
    }
    // The chains reach their elif conditions under bash, so the count above covers them.
    expect(elifConditionsRun).toBeGreaterThan(20);
  });

  it('reads a builder probe in an elif condition once', () => {
    const script = [
      'if [ -n "$BUILDER" ]; then',
      '  docker buildx use "$BUILDER"',
      'elif docker buildx inspect multi >/dev/null 2>&1; then',
      '  docker buildx use multi',
      'else',
      '  docker buildx create --name multi --use',
      'fi',
      '',
    ].join('\n');
    const lineOf = (offset: number) => script.slice(0, offset).split('\n').length;
    expect(invocationsOf(script).map((i) => `${i.command} ${lineOf(i.span.start)}`)).toEqual(['use 2', 'inspect 3', 'use 4', 'create 6']);
  });

  it('still follows values assigned along each path', () => {
    // The builder name each path sets reaches the build after the chain only when all paths agree.
    const agree = 'if [ -n "$A" ]; then B=x; elif [ -n "$C" ]; then B=x; else B=x; fi\ndocker buildx build --builder "$B" .\n';
    expect(argvOf(invocationsOf(agree)[0])).toEqual(['buildx', 'build', '--builder', 'x', '.']);
    const differ = 'if [ -n "$A" ]; then B=x; elif [ -n "$C" ]; then B=y; else B=x; fi\ndocker buildx build --builder "$B" .\n';
    expect(argvOf(invocationsOf(differ)[0])).toEqual(['buildx', 'build', '--builder', null, '.']);
    // A path that exits does not count.
    const exits = 'if [ -n "$A" ]; then B=x; elif [ -n "$C" ]; then exit 1; else B=x; fi\ndocker buildx build --builder "$B" .\n';
    expect(argvOf(invocationsOf(exits)[0])).toEqual(['buildx', 'build', '--builder', 'x', '.']);
  });
});
