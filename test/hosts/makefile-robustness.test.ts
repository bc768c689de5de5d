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
    const alphabet = ['\t', '\n', '\r', ' ', '$', '(', ')', '{', '}', ':', '=', '\\', '#', ';', '@', '-', '+', 'a', 'define', 'endef', 'ifeq', 'else', 'endif', '.ONESHELL:', '.RECIPEPREFIX=', '\0', '\uFEFF', '\uE000', 'é', '%'];
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
      'IMG_$(N) := registry/app\nOPTS += --driver-opt=image=$(IMG_$(N)) # c\n' +
      'build: deps ; @echo $(OPTS)\n\tdocker buildx create $(OPTS) \\\n\t\t--name b$$$$ $(shell id -u)\n\n# comment\n';
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

  it('copes with unterminated references, defines and continuations', () => {
    for (const src of ['all:\n\techo $(FOO\n', 'define X\nall:\n\techo\n', 'all:\n\techo \\', 'A = $(\nall:\n\t$(A', 'all:\n\t$']) {
      checkInvariants(src, readMakefile(src));
    }
  });
});
