/**
 * Robustness of the Makefile reader: garbage input, huge files and pathological variables must
 * neither throw nor hang, and every region must keep the MappedString invariants.
 */
import { describe, expect, it } from 'vitest';
import type { HostResult } from '../../server/src/hosts/region';
import { readMakefile } from '../../server/src/hosts/makefile';

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
    const src = block.repeat(Math.ceil(10_000_000 / block.length));
    const t0 = Date.now();
    const r = readMakefile(src);
    const ms = Date.now() - t0;
    expect(r.regions.length).toBeGreaterThan(100_000);
    // About 10 s on the 2-core CI VM (its allocator is slow); the bound only catches blow-ups.
    expect(ms).toBeLessThan(40_000);
  });

  it('does not hang on exponential, deep or cyclic variables', () => {
    const lines = ['A0 = x'];
    for (let i = 1; i <= 64; i++) lines.push(`A${i} = $(A${i - 1})$(A${i - 1})`);
    for (let i = 0; i < 20_000; i++) lines.push(`C${i} = $(C${i + 1})`);
    lines.push('C20000 = $(C0)');
    lines.push(`N = ${'$('.repeat(5000)}X${')'.repeat(5000)}`);
    lines.push('all:', '\techo $(A64)', '\techo $(C0)', '\techo $(N)', `\techo ${'$('.repeat(3000)}`);
    const src = lines.join('\n');
    const t0 = Date.now();
    const r = readMakefile(src);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.regions).toHaveLength(4);
    checkInvariants(src, r);
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
    const time = (src: string): number => {
      let best = Infinity;
      for (let k = 0; k < 2; k++) {
        const t0 = performance.now();
        const r = readMakefile(src);
        best = Math.min(best, performance.now() - t0);
        checkInvariants(src, r);
      }
      return best;
    };
    for (const [name, make] of Object.entries(shapes)) {
      const n = 2_500;
      const small = time(make(n));
      const big = time(make(4 * n));
      console.log(`conditionals growth, ${name}: ${small.toFixed(1)} ms for n=${n}, ${big.toFixed(1)} ms for 4n`);
      // Linear is ~4; quadratic would be ~16. Generous slack for a loaded machine.
      expect(big / Math.max(small, 1), `${name}: ${small.toFixed(0)} ms for n, ${big.toFixed(0)} ms for 4n`).toBeLessThan(9);
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
