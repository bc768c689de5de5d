/**
 * What a lint keeps per command, through the whole pipeline: ratios of heap bytes retained,
 * measured in one process, never an absolute number of bytes.
 *
 * - The indexes the driver-opt rules build for a record's findings (KBX101, KBX105, KBX107)
 *   serve only those findings, which arrive in a row: kept in WeakMaps keyed by the record they
 *   lived as long as the model, and a model after its lint weighed 1.7 times the model alone on
 *   flags that each have two findings (1.2 once only the last record's index is kept).
 * - A Makefile has a region per recipe line, so anything kept per region is kept per command:
 *   the lazy words of each region kept the parser that read them, and a Makefile's model weighed
 *   1.28 times a shell script's of the same commands (1.16 with a small reader per region).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, withoutFindingsLimit } from '../../server/src/engine/config';
import { buildModel, lint } from '../../server/src/engine/lint';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let kept: unknown = null;
/** Heap bytes still held while what `make` returns is alive. */
function retained(make: () => unknown): number {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  kept = make();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  expect(kept).toBeTruthy();
  kept = null;
  return after - before;
}

const N = 4000;
type Input = { text: string; fileName: string };

describe('memory per command', () => {
  const records: Record<string, { input: Input; bound: number }> = {
    // Each flag: a comma that splits nodeselector (KBX101) and nodeselector given again (KBX107).
    'split, repeated nodeselector flags': {
      input: { fileName: 'x.sh', text: `docker buildx create --driver kubernetes \\\n${lines(N, (i) => `  --driver-opt nodeselector=k${i}=v,x${i}=y \\`)}  --name b\n` },
      bound: 1.4,
    },
    // Each command: a record of 20 empty fields (KBX105).
    'records of empty fields': {
      input: { fileName: 'x.sh', text: lines(N, () => `docker buildx create --driver kubernetes --driver-opt namespace=ci${','.repeat(20)}replicas=1`) },
      bound: 1.15,
    },
  };
  for (const [name, { input, bound }] of Object.entries(records)) {
    it(`${name}: a model after its lint weighs about what the model alone does`, { timeout: 120_000 }, () => {
      // Every finding is made, as --fix makes them: the indexes under test serve the findings.
      const all = withoutFindingsLimit(DEFAULT_CONFIG);
      const findings = lint(input, all).diagnostics.length;
      expect(findings).toBeGreaterThanOrEqual(N);
      const linted = median([0, 1, 2].map(() => retained(() => lint(input, all).model)));
      const model = median([0, 1, 2].map(() => retained(() => buildModel(input))));
      const ratio = linted / model;
      expect(ratio, `${name}: ${(linted / 1e6).toFixed(1)} MB after the lint, ${(model / 1e6).toFixed(1)} MB the model alone`).toBeLessThan(bound);
      expect(ratio).toBeGreaterThan(0.9);
    });
  }

  it('a Makefile target weighs about what the same command in a shell script does', { timeout: 120_000 }, () => {
    const makefile = { fileName: 'Makefile', text: lines(N, (i) => `t${i}:\n\tdocker buildx build --platform linux/x86_64 -t r/a${i} .`) };
    const script = { fileName: 'x.sh', text: lines(N, (i) => `docker buildx build --platform linux/x86_64 -t r/a${i} .`) };
    expect(buildModel(makefile).invocations.length).toBe(N);
    expect(buildModel(script).invocations.length).toBe(N);
    const make = median([0, 1, 2].map(() => retained(() => buildModel(makefile))));
    const shell = median([0, 1, 2].map(() => retained(() => buildModel(script))));
    const ratio = make / shell;
    expect(ratio, `${(make / 1e6).toFixed(1)} MB for ${N} targets, ${(shell / 1e6).toFixed(1)} MB for ${N} lines of a script`).toBeLessThan(1.22);
    expect(ratio).toBeGreaterThan(0.9);
  });
});
