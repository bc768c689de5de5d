/**
 * Inputs found by the pipeline fuzzer (test/fuzz/pipeline-fuzz.test.ts), kept exactly.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { applyEdits } from '../../server/src/core/fix';
import { ALL_ON, checkInput } from './fuzz-lib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixText } from '../../server/src/engine/fix';

describe('fuzz regressions', () => {
  // One diagnostic with a fix per field of a 20 KB `--driver-opt` word: building each fix re-read
  // the whole CSV record (csv.ts parseCsvRecord), scanned for the piece (fix-support.ts indexInArg)
  // and tested the word one character at a time through a spread array and a regex per character
  // (reencode.ts encodeUnquoted). 3.7 s unloaded before, about 0.7 s after.
  const LONG_OPT = 'docker buildx create --driver kubernetes --driver-opt ' + 'nodeselector=a=b,'.repeat(1200) + '\n';
  it('a 20 KB driver-opt word with 1200 fixable fields lints in linear time', () => {
    const quarter = 'docker buildx create --driver kubernetes --driver-opt ' + 'nodeselector=a=b,'.repeat(300) + '\n';
    const time = (text: string) => {
      const t0 = performance.now();
      lint({ text, fileName: 'x.sh' }, ALL_ON);
      return performance.now() - t0;
    };
    time(quarter);
    const ratio = Math.min(time(LONG_OPT), time(LONG_OPT)) / Math.max(1, Math.min(time(quarter), time(quarter)));
    expect(lint({ text: LONG_OPT, fileName: 'x.sh' }, ALL_ON).diagnostics.filter((d) => d.fix).length).toBeGreaterThan(1000);
    // Linear is about 4; the quadratic version this guards against was near 16.
    expect(ratio).toBeLessThan(10);
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
  it('applies every fix in bounded time: in-place edits let one pass batch them', () => {
    const base = readFileSync(join(__dirname, '../../examples/Makefile'), 'utf8');
    const text = base.replace('requests.cpu=2,requests.memory=4Gi,limits.memory=2Gi', 'requests.cpu=2,requests.memory=4Gi,'.repeat(550) + 'limits.memory=2Gi');
    const started = Date.now();
    const r = fixText(text, true, (x) => lint({ text: x, fileName: 'Makefile' }));
    expect(r.applied).toBeGreaterThan(1000);
    expect(r.result?.diagnostics.filter((d) => d.code === 'KBX107')).toEqual([]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
