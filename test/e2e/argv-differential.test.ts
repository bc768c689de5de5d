/**
 * End to end against the real oracles: random buildx command lines, written in every quoting style,
 * go through the whole pipeline (host → shell → extraction) and must give, for every static
 * argument, exactly the argv that bash or GNU make hand to `docker` (recorded by a stub on PATH).
 * Seeded and reproducible (KBX_E2E_SEED); a failure prints the smallest failing input.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../server/src/engine/lint';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { runMake, runScript } from '../harness/stub-docker';

import { mulberry32 } from '../harness/random';

const SEED = Number(process.env.KBX_E2E_SEED ?? 424242);
const PLAIN = 'abcxyzABC0189=,./:-_@%+';
const INNER = PLAIN + " ;|&<>(){}*?[]~#!'";

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}
function str(r: () => number, alphabet: string, max: number): string {
  let s = '';
  const n = Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}

/** One piece of a word in shell syntax. Kept free of `$` so every word is static. */
function piece(r: () => number, make: boolean): string {
  switch (Math.floor(r() * 7)) {
    case 0:
      return str(r, PLAIN, 6) || 'a';
    case 1:
      return "'" + str(r, INNER.replace("'", '') + '"\\', 8) + "'";
    case 2: {
      let s = '"';
      const n = Math.floor(r() * 6);
      for (let i = 0; i < n; i++) s += pick(r, [str(r, INNER.replace('!', ''), 3), '\\"', '\\\\', '\\`', '\\a', "'", ',']);
      return s + '"';
    }
    case 3:
      return '\\' + pick(r, [',', '"', "'", ' ', '\\', '=', ';', '&', '|', '*']);
    case 4:
      return make ? 'plain' : "$'" + pick(r, ['a\\tb', 'x\\x41y', '\\047q', 'c\\\\d', 'e\\"f', 'g,h']) + "'";
    case 5:
      return '\\\n' + (make ? '\t' : '');
    default:
      return pick(r, ['--driver-opt=', 'nodeselector=', '"', "'\"'", 'k=v,']) === '"' ? '\\"' : pick(r, ['--driver-opt=', 'nodeselector=', 'k=v,', '\'"a=1,b=2"\'']);
  }
}

function word(r: () => number, make: boolean): string {
  let w = '';
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const p = piece(r, make);
    // GNU make runs simple recipe lines without a shell and then glues a word made only of empty
    // quotes to the next line across a continuation (documented in docs/architecture.md).
    if (
      make &&
      p.startsWith(
        '\
',
      ) &&
      /^(?:'')+$/.test(w)
    )
      continue;
    w += p;
  }
  // A word may not start with a continuation (that would just be a blank) nor be empty.
  if (w.startsWith('\\\n')) w = 'w' + w;
  return w;
}

function commandLine(r: () => number, make: boolean): string {
  const words = ['docker', 'buildx', 'create'];
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n; i++) words.push(word(r, make));
  return words.join(pick(r, [' ', '  ', ' \\\n  ']));
}

function staticArgv(text: string, fileName: string): (string | null)[][] {
  return buildModel({ text, fileName }).invocations.map((inv) => inv.argv.map((a) => (a.static && !a.value.text.includes(DYNAMIC) ? a.value.text : null)));
}

function check(text: string, fileName: string, run: (t: string) => string[][]): string | null {
  const ours = staticArgv(text, fileName);
  const real = run(text);
  if (ours.length !== real.length) return `invocation count ${ours.length} != ${real.length}`;
  for (let i = 0; i < ours.length; i++) {
    if (ours[i].length !== real[i].length) return `argv length ${ours[i].length} != ${real[i].length}: ${JSON.stringify(real[i])}`;
    for (let k = 0; k < ours[i].length; k++) if (ours[i][k] !== null && ours[i][k] !== real[i][k]) return `argv[${k}] ${JSON.stringify(ours[i][k])} != ${JSON.stringify(real[i][k])}`;
    if (ours[i].some((a) => a === null)) return `unexpected dynamic argument in ${JSON.stringify(ours[i])}`;
  }
  return null;
}

/** shrink removes chunks of lines (halves, then quarters, …) while the input still fails. */
function shrink(lines: string[], fails: (ls: string[]) => boolean): string[] {
  let cur = lines;
  for (let size = Math.ceil(cur.length / 2); size >= 1; size = Math.floor(size / 2)) {
    for (let i = 0; i < cur.length; ) {
      const next = [...cur.slice(0, i), ...cur.slice(i + size)];
      if (next.length && fails(next)) cur = next;
      else i += size;
    }
  }
  return cur;
}

describe(`argv agrees with the real shells and make (seed ${SEED})`, () => {
  it('bash: 150 random buildx command lines', () => {
    const r = mulberry32(SEED);
    const lines = Array.from({ length: 150 }, () => commandLine(r, false));
    const run = (t: string) => runScript(t).calls;
    const failure = check(lines.join('\n') + '\n', 'gen.sh', run);
    if (failure) {
      const min = shrink(lines, (ls) => check(ls.join('\n') + '\n', 'gen.sh', run) !== null);
      expect.fail(`seed ${SEED}: ${check(min.join('\n') + '\n', 'gen.sh', run)}\nminimal input:\n${min.join('\n')}`);
    }
  });

  it('make: 150 random recipe lines with $$, variables and continuations', () => {
    const r = mulberry32(SEED + 1);
    const lines = Array.from({ length: 150 }, () => {
      let l = commandLine(r, true);
      // Make syntax on top: a variable reference and a $$ that reach the shell as static text.
      if (r() < 0.5) l += ' --name=$(NAME)';
      if (r() < 0.5) l += " '$$literal'";
      return pick(r, ['', '@', '-', '@-']) + l;
    });
    const mk = (ls: string[]) => 'NAME := kube\nOPTS = nodeselector=$(ARCH)\nARCH ?= amd64\nall:\n' + ls.map((l) => '\t' + l).join('\n') + '\n';
    const run = (t: string) => runMake(t, ['all']).calls;
    const failure = check(mk(lines), 'Makefile', run);
    if (failure) {
      const min = shrink(lines, (ls) => check(mk(ls), 'Makefile', run) !== null);
      expect.fail(`seed ${SEED}: ${check(mk(min), 'Makefile', run)}\nminimal input:\n${mk(min)}`);
    }
  });

  it('flags dynamic words as null, never as wrong values', () => {
    // `${Y:-z}` is judged "when Y is unset" (the value bash gives here); `${Y:-$Z}` stays dynamic.
    const src = 'docker buildx create --name "$NAME" --driver-opt=a=$(cat f) `x` ${Y:-z} ${Y:-$Z} ~/p "$@"\n';
    const [argv] = staticArgv(src, 'd.sh');
    expect(argv).toEqual(['buildx', 'create', '--name', null, null, null, 'z', null, null, null]);
    expect(runScript('docker buildx create ${Y:-z}\n').calls[0][2]).toBe('z');
  });
});
