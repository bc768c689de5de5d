/**
 * Inputs found by the pipeline fuzzer (test/fuzz/pipeline-fuzz.test.ts), kept exactly.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { DEFAULT_CONFIG, withoutFindingsLimit } from '../../server/src/engine/config';
import { applyEdits } from '../../server/src/core/fix';
import { ALL_ON, checkInput } from './fuzz-lib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixText } from '../../server/src/engine/fix';
import { growth } from '../harness/cost';

describe('fuzz regressions', () => {
  // One diagnostic with a fix per field of a 20 KB `--driver-opt` word: building each fix re-read
  // the whole CSV record (csv.ts parseCsvRecord), scanned for the piece (fix-support.ts indexInArg)
  // and tested the word one character at a time through a spread array and a regex per character
  // (reencode.ts encodeUnquoted). 3.7 s unloaded before, about 0.7 s after; the cost is now
  // checked as growth from 300 to 1200 fields, which that quadratic work pushed well past 10x.
  const longOpt = (fields: number) => 'docker buildx create --driver kubernetes --driver-opt ' + 'nodeselector=a=b,'.repeat(fields) + '\n';
  it('a 20 KB driver-opt word with 1200 fixable fields lints in time linear in its length', () => {
    let last: ReturnType<typeof lint> | undefined;
    const r = growth(longOpt, (text) => (last = lint({ text, fileName: 'x.sh' }, ALL_ON)), 300, { runs: 2 });
    expect(last!.diagnostics.filter((d) => d.fix).length).toBeGreaterThan(1000);
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
  it('its fixes are the same as on a short word', () => {
    const short = 'docker buildx create --driver kubernetes --driver-opt ' + 'nodeselector=a=b,'.repeat(3) + '\n';
    const r = lint({ text: short, fileName: 'x.sh' }, ALL_ON);
    const fixed = r.diagnostics.filter((d) => d.fix).map((d) => applyEdits(short, d.fix!.edits).text);
    expect(fixed.length).toBeGreaterThan(0);
    for (const t of fixed) expect(t).toMatch(/^docker buildx create --driver kubernetes --driver-opt /);
    for (const f of ['x.sh', 'Makefile']) expect(() => checkInput(short, f)).not.toThrow();
  });
});

describe('fixing many duplicate keys in one word (seed 35, input 718)', () => {
  it('applies every fix in time linear in their number: in-place edits let one pass batch them', () => {
    const base = readFileSync(join(__dirname, '../../examples/Makefile'), 'utf8');
    const withDuplicates = (n: number) => base.replace('requests.cpu=2,requests.memory=4Gi,limits.memory=2Gi', 'requests.cpu=2,requests.memory=4Gi,'.repeat(n) + 'limits.memory=2Gi');
    let last: ReturnType<typeof fixText> | undefined;
    const r = growth(withDuplicates, (text) => (last = fixText(text, true, (x) => lint({ text: x, fileName: 'Makefile' }, withoutFindingsLimit(DEFAULT_CONFIG)))), 138, { runs: 2 });
    expect(last!.applied).toBeGreaterThan(1000);
    expect(last!.diagnostics?.filter((d) => d.code === 'KBX107')).toEqual([]);
    // One lint per fix (the old way) is quadratic in the number of duplicates: about 16x.
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
});
