/**
 * Whole-pipeline fuzzing: mutated corpus files and generated buildx command lines, each read as a
 * script and as a Makefile, go through lint (all rules on), explain, every single fix with a
 * re-lint, and fixText with unsafe fixes. Nothing may throw, every span must lie inside its text,
 * and no lint may take more than HANG_MS.
 *
 * Reproduce a run: KBX_FUZZ_SEED=<seed> npx vitest run test/fuzz/pipeline-fuzz.test.ts
 * More inputs: KBX_FUZZ_N=<count> (default 1500).
 */
import { describe, expect, it } from 'vitest';
import { checkInput, FILE_NAMES, failureOf, genFile, mulberry32, mutate, Rng, seedFiles, shrink } from './fuzz-lib';

const SEED = process.env.KBX_FUZZ_SEED ? Number(process.env.KBX_FUZZ_SEED) >>> 0 : 0x6b6278;
const COUNT = process.env.KBX_FUZZ_N ? Number(process.env.KBX_FUZZ_N) : 1500;
/** Above this, stop generating and report what was tried (a loaded machine must not time out). */
const BUDGET_MS = Number(process.env.KBX_FUZZ_BUDGET_MS ?? 45_000);

describe('pipeline fuzz', () => {
  it(`never throws, keeps spans inside the text, never hangs (seed ${SEED})`, { timeout: 180_000 }, () => {
    console.log(`kbx-lint pipeline fuzz: seed ${SEED} (override with KBX_FUZZ_SEED), ${COUNT} inputs`);
    const rnd = new Rng(mulberry32(SEED));
    const files = seedFiles();
    const failures = new Map<string, { text: string; fileName: string; index: number }>();
    const t0 = performance.now();
    let tried = 0;
    let lints = 0;
    for (let i = 0; i < COUNT && failures.size < 5; i++) {
      if (performance.now() - t0 > BUDGET_MS) break;
      const text = rnd.chance(0.65) ? mutate(rnd, rnd.pick(files).text, rnd.pick(files).text) : rnd.chance(0.5) ? genFile(rnd) : mutate(rnd, genFile(rnd), rnd.pick(files).text);
      tried++;
      for (const fileName of FILE_NAMES) {
        try {
          lints += checkInput(text, fileName);
        } catch {
          const f = failureOf(text, fileName) ?? 'flaky failure';
          if (!failures.has(f)) failures.set(f, { text, fileName, index: i });
        }
      }
    }
    const ms = Math.round(performance.now() - t0);
    console.log(`kbx-lint pipeline fuzz: seed ${SEED}: ${tried} inputs × ${FILE_NAMES.length} file types, ${lints} lints in ${ms} ms, ${failures.size} distinct failures`);
    const reports: string[] = [];
    for (const [f, { text, fileName, index }] of failures) {
      const min = shrink(text, fileName, f);
      reports.push(`seed ${SEED}, input #${index}, as ${fileName}: ${f}\n  minimal input: ${JSON.stringify(min)}\n  original (${text.length} chars): ${JSON.stringify(text.slice(0, 2000))}`);
    }
    expect(reports, reports.join('\n\n')).toEqual([]);
    expect(tried).toBeGreaterThan(Math.min(COUNT, 100));
  });
});
