/**
 * Robustness of the Makefile reader: garbage input, huge files and pathological variables must
 * neither throw nor hang, and every region must keep the MappedString invariants.
 */
import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../server/src/hosts/region';
import { readMakefile } from '../../server/src/hosts/makefile';

import { compareCost, growth } from '../harness/cost';
import { mulberry32 } from '../harness/random';

function checkInvariants(src: string, r: HostResult): void {
  expect(r.problems.filter((p) => p.message.startsWith('internal error'))).toEqual([]);
  for (const g of r.regions) {
    const ms = g.source;
    expect(ms.starts.length).toBe(ms.text.length);
    expect(ms.ends.length).toBe(ms.text.length);
    for (let i = 0; i < ms.text.length; i++) {
      expect(ms.starts[i] >= 0 && ms.starts[i] <= ms.ends[i] && ms.ends[i] <= src.length).toBe(true);
    }
  }
}

describe('Makefile reader robustness', () => {
  it('survives random garbage and random Makefile-ish soup', () => {
    const rnd = mulberry32(1234);
    const alphabet = [
      '\t',
      '\n',
      '\r',
      ' ',
      '$',
      '(',
      ')',
      '{',
      '}',
      ':',
      '=',
      '\\',
      '#',
      ';',
      '@',
      '-',
      '+',
      'a',
      'define',
      'endef',
      'ifeq',
      'else',
      'endif',
      '.ONESHELL:',
      '.RECIPEPREFIX=',
      '\0',
      '\uFEFF',
      '\uE000',
      'é',
      '%',
    ];
    for (let k = 0; k < 300; k++) {
      let src = '';
      const n = Math.floor(rnd() * 400);
      for (let i = 0; i < n; i++) {
        src += rnd() < 0.2 ? String.fromCharCode(Math.floor(rnd() * 0x10000)) : alphabet[Math.floor(rnd() * alphabet.length)];
      }
      checkInvariants(src, readMakefile(src));
    }
  });

  it('reads a 10 MB Makefile without blowing up', () => {
    const block =
      'IMG_$(N) := registry/app\nOPTS += --driver-opt=image=$(IMG_$(N)) # c\n' + 'build: deps ; @echo $(OPTS)\n\tdocker buildx create $(OPTS) \\\n\t\t--name b$$$$ $(shell id -u)\n\n# comment\n';
    // The same file with `:=` for `+=`: $(OPTS) no longer grows with every block. The growing one
    // is superlinear until the expansion limits give it up, so it is compared at the full size,
    // once each (about 10 s on the 2-core CI VM, whose allocator is slow).
    const benign = block.replace('OPTS +=', 'OPTS :=');
    const blocks = Math.ceil(10_000_000 / block.length);
    let r: HostResult | undefined;
    const cost = compareCost(
      (k) => {
        const src = block.repeat(k);
        return () => (r = readMakefile(src));
      },
      (k) => {
        const src = benign.repeat(k);
        return () => readMakefile(src);
      },
      blocks,
      { runs: 1, noWarmup: true, maxGrowth: 1 },
    );
    expect(r!.regions.length).toBeGreaterThan(100_000);
    expect(cost.ratio, cost.describe).toBeLessThan(10);
  });

  it('does not hang on exponential, deep or cyclic variables', () => {
    const lines = ['A0 = x'];
    for (let i = 1; i <= 64; i++) lines.push(`A${i} = $(A${i - 1})$(A${i - 1})`);
    for (let i = 0; i < 20_000; i++) lines.push(`C${i} = $(C${i + 1})`);
    lines.push('C20000 = $(C0)');
    lines.push(`N = ${'$('.repeat(5000)}X${')'.repeat(5000)}`);
    lines.push('all:', '\techo $(A64)', '\techo $(C0)', '\techo $(N)', `\techo ${'$('.repeat(3000)}`);
    const src = lines.join('\n');
    // The same shape without the hostile references: as many variables, lines and bytes.
    const benign = ['A0 = x'];
    for (let i = 1; i <= 64; i++) benign.push(`A${i} = ${'x'.repeat(`$(A${i - 1})`.length * 2)}`);
    for (let i = 0; i < 20_000; i++) benign.push(`C${i} = ${'y'.repeat(`$(C${i + 1})`.length)}`);
    benign.push('C20000 = zzzzz');
    benign.push(`N = ${'n'.repeat(10_001)}`);
    benign.push('all:', '\techo $(A1)', '\techo $(C1)', '\techo $(N)', `\techo ${'e'.repeat(6000)}`);
    const benignSrc = benign.join('\n');
    let r: HostResult | undefined;
    // k repetitions of each read, so that the benign side is long enough to time.
    const cost = compareCost(
      (k) => () => {
        for (let i = 0; i < k; i++) r = readMakefile(src);
      },
      (k) => () => {
        for (let i = 0; i < k; i++) readMakefile(benignSrc);
      },
      1,
      { runs: 2 },
    );
    expect(r!.regions).toHaveLength(4);
    checkInvariants(src, r!);
    // An expansion that doubles per level or loops through the cycle is unbounded, far above this.
    expect(cost.ratio, cost.describe).toBeLessThan(20);
  });

  it('stays linear on huge and deeply nested conditionals', () => {
    // Time for n and 4n in the same test: a linear reader takes about 4 times as long, a quadratic
    // one 16 times. Each shape is timed twice and the faster run kept, against scheduling noise.
    const shapes: Record<string, (n: number) => string> = {
      'nested, decided': (n) => 'X = a\n' + 'ifeq ($(X),a)\nV := 1\n'.repeat(n) + 'all:\n\techo $(V)\n' + 'endif\n'.repeat(n),
      // Every level assigns its own variable: each endif merges what the levels inside it set.
      'nested, undecided': (n) => Array.from({ length: n }, (_, i) => `ifeq ($(shell a),1)\nV${i} := 1\nW := 1\n`).join('') + 'all:\n\techo $(W)\n' + 'else\nW := 2\nendif\n'.repeat(n),
      'long else-if chain': (n) => 'ifeq ($(wildcard x),1)\n' + Array.from({ length: n }, (_, i) => `A${i} := ${i}\nelse ifeq ($(X),${i})\n`).join('') + 'endif\nall:\n\techo $(A1)\n',
      'many flat conditionals': (n) =>
        Array.from({ length: n }, (_, i) => `ifdef V${i % 7}\nV${i % 5} += x\nelse ifeq ($(shell y),)\nV${i % 7} = ${i}\nendif\n`).join('') + 'all:\n\techo $(V1) $(V2)\n',
    };
    for (const [name, make] of Object.entries(shapes)) {
      let last: { src: string; r: HostResult } | undefined;
      const r = growth(make, (src) => (last = { src, r: readMakefile(src) }), 2_500, { runs: 2 });
      checkInvariants(last!.src, last!.r);
      // Linear is ~4; quadratic would be ~16. Generous slack for a loaded machine.
      expect(r.ratio, `${name}: ${r.describe}`).toBeLessThan(10);
    }
    // 10,000 nested conditionals neither recurse nor lose the recipe at the bottom.
    const deep = readMakefile(shapes['nested, decided'](10_000));
    expect(deep.regions.map((x) => x.source.text)).toEqual(['echo 1']);
    expect(deep.problems).toEqual([]);
  });

  it('copes with unterminated references, defines and continuations', () => {
    for (const src of ['all:\n\techo $(FOO\n', 'define X\nall:\n\techo\n', 'all:\n\techo \\', 'A = $(\nall:\n\t$(A', 'all:\n\t$']) {
      checkInvariants(src, readMakefile(src));
    }
  });
});
