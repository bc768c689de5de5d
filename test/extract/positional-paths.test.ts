/**
 * `set -- docker buildx build …` then `"$@"`: the positional parameters are state like any
 * variable. What a branch, an `&&` side or a subshell does to them is undone on the other paths,
 * and after paths that set them differently the words they all share stay known, the rest
 * unknown. Checked against real bash on seeded scripts (a stub docker records the calls).
 */
import { describe, expect, it } from 'vitest';
import { argvOf, invocationsOf } from '../harness/lint-helpers';
import { mulberry32 } from '../harness/random';
import { runScript } from '../harness/stub-docker';

const SEED = Number(process.env.KBX_POSITIONAL_SEED ?? 6481);
type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Whether `ran` is one of the argument lists `read` stands for: null stands for any words. */
function covers(read: (string | null)[], ran: string[]): boolean {
  const go = (i: number, j: number): boolean => {
    if (i === read.length) return j === ran.length;
    if (read[i] === null) return go(i + 1, j) || (j < ran.length && go(i, j + 1));
    return j < ran.length && read[i] === ran[j] && go(i + 1, j + 1);
  };
  return go(0, 0);
}

const FLAGS = ['--push', '--load', '--pull', '--no-cache', '-t a/b:1'];

/** A script that grows the positional parameters along paths; `decided`: X is fixed in the file. */
function script(r: R, decided: boolean): string {
  const lines = [decided ? `X=${pick(r, ['1', "''"])}` : 'X=$(cat /dev/null)', 'set -- docker buildx build --platform linux/amd64'];
  const steps = 1 + Math.floor(r() * 4);
  for (let s = 0; s < steps; s++) {
    const a = pick(r, FLAGS);
    const b = pick(r, FLAGS);
    switch (Math.floor(r() * 5)) {
      case 0:
        lines.push(`[ -n "$X" ] && set -- "$@" ${a}`);
        break;
      case 1:
        lines.push(`if [ -n "$X" ]; then set -- "$@" ${a}; else set -- "$@" ${b}; fi`);
        break;
      case 2:
        lines.push(`( set -- "$@" ${a} )`);
        break;
      case 3:
        lines.push(`[ -z "$X" ] || set -- "$@" ${a}`);
        break;
      default:
        lines.push(`set -- "$@" ${a}`);
    }
  }
  lines.push('"$@" .');
  return lines.join('\n') + '\n';
}

describe('positional parameters along paths', () => {
  it('read exactly what bash runs when the file decides the branches (80 seeded scripts)', () => {
    const r = mulberry32(SEED);
    for (let n = 0; n < 80; n++) {
      const text = script(r, true);
      const read = invocationsOf(text).map(argvOf);
      const ran = runScript(text).calls;
      // `&&` and `||` sides are not decided by the file's values: only if/else branches are.
      if (/&&|\|\|/.test(text)) expect(covers(read[0], ran[0]), text).toBe(true);
      else expect(read, text).toEqual(ran);
    }
  });

  it('read a pattern that covers what bash runs when it does not (80 seeded scripts)', () => {
    const r = mulberry32(SEED + 1);
    let unknownSeen = 0;
    for (let n = 0; n < 80; n++) {
      const text = script(r, false);
      const read = invocationsOf(text).map(argvOf);
      expect(read, text).toHaveLength(1);
      const ran = runScript(text).calls;
      expect(ran, text).toHaveLength(1);
      expect(covers(read[0], ran[0]), `${text}read ${JSON.stringify(read[0])}`).toBe(true);
      // The words every path passes stay known.
      expect(read[0].slice(0, 4), text).toEqual(['buildx', 'build', '--platform', 'linux/amd64']);
      if (read[0].includes(null)) unknownSeen++;
    }
    expect(unknownSeen).toBeGreaterThan(20);
  });

  it('does not read both branches of an if/else into one command', () => {
    const text = 'set -- docker buildx build --platform linux/amd64,linux/arm64\nif [ -n "$PUSH" ]; then set -- "$@" --push; else set -- "$@" --load; fi\n"$@" -t a/b:1 .\n';
    const [inv] = invocationsOf(text);
    expect(argvOf(inv)).toEqual(['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', null, '-t', 'a/b:1', '.']);
  });

  it('shifts known words, and leaves the rest unknown after a word that may split or vanish', () => {
    expect(argvOf(invocationsOf('set -- x docker buildx\nshift\n"$@" rm b\n')[0])).toEqual(['buildx', 'rm', 'b']);
    // With A empty bash shifts `docker` away and runs `buildx rm b`: which word goes is unknown.
    const wrapper = 'g() { shift; "$@"; }\ng $A docker buildx rm b\n';
    expect(invocationsOf(wrapper)).toHaveLength(0);
    expect(runScript(wrapper).calls).toEqual([['rm', 'b']]);
  });
});
