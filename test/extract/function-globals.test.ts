/**
 * A function reads the script's variables when it is called, not where it is defined. kbx-lint
 * reads a body once, at its definition; a variable the lines after the definition assign (a
 * default filled in after option parsing, a value set by a `case` branch) is unknown there
 * instead of the value it had before. Checked against real bash with a stub docker.
 */
import { describe, expect, it } from 'vitest';
import { argvOf, codes, invocationsOf } from '../harness/lint-helpers';
import { mulberry32 } from '../harness/random';
import { runScript } from '../harness/stub-docker';

/** The tag the build in `build` receives, as kbx-lint reads it and as bash runs it. */
function tags(text: string): { read: (string | null)[]; ran: string[] } {
  return { read: invocationsOf(text).map((i) => argvOf(i)[3]), ran: runScript(text).calls.map((c) => c[3]) };
}

describe('function bodies and the assignments after their definition', () => {
  it('a default filled in after the definition is not the empty value before it', () => {
    const text = ['#!/usr/bin/env bash', 'IMG=""', 'def() { echo "repo/mods:v1"; }', 'build() {', '\tdocker buildx build -t "${IMG}" .', '}', 'IMG="${IMG:-$(def)}"', 'build', ''].join('\n');
    expect(codes(text)).toEqual([]);
    const { read, ran } = tags(text);
    expect(ran).toEqual(['repo/mods:v1']);
    expect(read).toEqual([null]);
  });

  it('a value an option branch sets after the definition is unknown in the body', () => {
    const text = ['#!/usr/bin/env bash', 'OUT=""', 'build() { docker buildx build -t app "--${OUT}" .; }', 'case "${1:-}" in --push) OUT=push ;; *) OUT=load ;; esac', 'build', ''].join('\n');
    expect(codes(text)).toEqual([]);
    expect(runScript(text).calls.map((c) => c[4])).toEqual(['--load']);
    expect(invocationsOf(text).map((i) => argvOf(i)[4])).toEqual([null]);
  });

  it('keeps a value nothing after the definition changes, and still reports it', () => {
    const text = ['#!/usr/bin/env bash', 'IMG=""', 'build() { docker buildx build -t "${IMG}" .; }', 'OTHER=x', 'build', ''].join('\n');
    expect(codes(text)).toEqual(['KBX505']);
    expect(runScript(text).calls.map((c) => c[3])).toEqual(['']);
  });

  it('a later function that assigns the variable counts as a later assignment', () => {
    const text = ['#!/usr/bin/env bash', 'IMG=""', 'build() { docker buildx build -t "${IMG}" .; }', 'main() { IMG=app:1; build; }', 'main', ''].join('\n');
    expect(codes(text)).toEqual([]);
    expect(runScript(text).calls.map((c) => c[3])).toEqual(['app:1']);
  });

  it('whatever bash runs is what kbx-lint reads or unknown (seeded programs)', () => {
    const r = mulberry32(Number(process.env.KBX_FN_GLOBALS_SEED ?? 7171));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    for (let n = 0; n < 40; n++) {
      const before = pick(['T=a', 'T=b', '']);
      const after = pick(['T=c', 'T=${T:-d}', 'U=e', 'if true; then T=f; fi', '']);
      const text = ['#!/usr/bin/env bash', before, 'f() { docker build -t "x$T" .; }', after, 'f', ''].join('\n');
      const read = invocationsOf(text).map((i) => argvOf(i)[2]);
      const ran = runScript(text).calls.map((c) => c[2]);
      expect(ran.length, text).toBe(1);
      // Either the value bash passes, or unknown: never another value.
      expect([ran[0], null], text).toContain(read[0]);
      if (before && !after.includes('T')) expect(read, text).toEqual(ran);
    }
  });
});
