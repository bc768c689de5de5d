/**
 * An `if` whose condition is a string test on values the file fixes decides its branch: the
 * commands of a branch that cannot run are not read. Checked against real bash (seeded random
 * tests, a stub docker records which branch ran) and GNU make.
 */
import { describe, expect, it } from 'vitest';
import { argvOf, codes, invocationsOf } from '../harness/lint-helpers';
import { mulberry32 } from '../harness/random';
import { runMake, runScript } from '../harness/stub-docker';

const SEED = Number(process.env.KBX_STATIC_TEST_SEED ?? 5151);
const VALUES = ['', 'a', 'b c', '-n', '=', '!', '(', 'a'];

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const q = (t: string) => "'" + t + "'";

/** A condition and whether kbx-lint must decide it (quoted operands) or may leave it open. */
function condition(r: R): { text: string; decided: boolean } {
  const x = pick(r, ['"$X"', '"$Y"']);
  switch (Math.floor(r() * 8)) {
    case 0:
      return { text: `[ -n ${x} ]`, decided: true };
    case 1:
      return { text: `[ -z ${x} ]`, decided: true };
    case 2:
      return { text: `[ "$X" = ${pick(r, ['"$Y"', q(pick(r, VALUES))])} ]`, decided: true };
    case 3:
      return { text: `[ ${x} != ${q(pick(r, VALUES))} ]`, decided: true };
    case 4:
      return { text: `test ${x}`, decided: true };
    case 5:
      return { text: `[ "$X" == "$Y" ]`, decided: true };
    case 6:
      return { text: `[ -n ${x.slice(1, -1)} ]`, decided: false }; // unquoted: may vanish or split
    default:
      return { text: `[ ${x.slice(1, -1)} = a ]`, decided: false };
  }
}

function program(r: R): { text: string; decided: boolean } {
  let decided = true;
  const lines = [`X=${q(pick(r, VALUES))}`, `Y=${q(pick(r, VALUES))}`];
  const branches = 1 + Math.floor(r() * 3);
  let tag = 0;
  for (let b = 0; b < branches; b++) {
    const c = condition(r);
    decided &&= c.decided;
    lines.push(`${b === 0 ? 'if' : 'elif'} ${c.text}; then docker build -t t${tag++} .`);
  }
  if (r() < 0.6) lines.push(`else docker build -t t${tag++} .`);
  lines.push('fi', `docker build -t after .`);
  return { text: lines.join('\n') + '\n', decided };
}

describe('string tests the file decides', () => {
  it('read exactly the branch bash runs (120 seeded programs)', () => {
    const r = mulberry32(SEED);
    let decidedSeen = 0;
    for (let n = 0; n < 120; n++) {
      const p = program(r);
      const read = invocationsOf(p.text).map((i) => argvOf(i)[2]);
      const ran = runScript(p.text).calls.map((c) => c[2]);
      // Whatever bash runs is read; a decided program reads nothing else.
      for (const t of ran) expect(read, p.text).toContain(t);
      if (p.decided) {
        decidedSeen++;
        expect(read, p.text).toEqual(ran);
      }
    }
    expect(decidedSeen).toBeGreaterThan(30);
  });

  it('keeps both branches when a value comes from the environment or a default', () => {
    const text = 'if [ -n "$REGISTRY" ]; then docker build -t a .; else docker build -t b .; fi\nR=${R:-}\nif [ -z "$R" ]; then docker build -t c .; fi\n';
    expect(invocationsOf(text).map((i) => argvOf(i)[2])).toEqual(['a', 'b', 'c']);
  });

  it('does not report what a dead branch would receive (a Makefile macro guarded by its registry)', () => {
    const mk = [
      'REGISTRY := ""',
      'define docker_build',
      '    if [ -n "$(REGISTRY)" ]; then \\',
      '        docker build $(1)/ -t $(REGISTRY)/$(1); \\',
      '    else \\',
      '        docker build $(1)/ -t $(1); \\',
      '    fi',
      'endef',
      'all:',
      '\t$(call docker_build,prepare)',
      '',
    ].join('\n');
    expect(codes(mk, 'Makefile')).toEqual([]);
    expect(invocationsOf(mk, 'Makefile').map((i) => argvOf(i))).toEqual([['build', 'prepare/', '-t', 'prepare']]);
    expect(runMake(mk, ['all']).calls).toEqual([['build', 'prepare/', '-t', 'prepare']]);
  });

  it('leaves a Makefile comparison open: the command line may set the variable', () => {
    const mk = 'PUSH ?= false\nimg:\n\tif [ "$(PUSH)" = true ]; then docker buildx build --push -t Bad .; fi\n';
    expect(codes(mk, 'Makefile')).toContain('KBX505');
    expect(runMake(mk, ['img', 'PUSH=true']).calls.map((c) => c[1])).toEqual(['build']);
  });
});
