/**
 * The second round of hostile input (hostile-classes.ts): every construct, in every host, goes
 * through lint (every rule on), explain and one fix with its re-lint. Nothing may throw, every
 * span must lie inside the text, and 4× the input may cost at most about 4× the time of the
 * whole run (a ratio of CPU times measured in the same test, never a time).
 *
 * Reproduce: KBX_FUZZ_SEED=<seed> npx vitest run test/fuzz/hostile-classes.test.ts
 * Bigger: KBX_FUZZ_LONG=1 (each construct from 80 KB to 320 KB); KBX_FUZZ_BASE sets the small
 * size; KBX_FUZZ_ONLY=<substring> runs the constructs whose name contains it; KBX_FUZZ_VERBOSE=1
 * prints the CPU time each construct takes.
 */
import { describe, expect, it } from 'vitest';
import { explainFile } from '../../server/src/cli/explain';
import { applyEdits } from '../../server/src/core/fix';
import { lint, type LintResult } from '../../server/src/engine/lint';
import { cpuMs, screenGrowth, sizeScaledBound } from '../harness/cost';
import { ALL_ON, mulberry32, Rng } from './fuzz-lib';
import { CLASSES } from './hostile-classes';
import type { Input } from './hostile-constructs';

const LONG = process.env.KBX_FUZZ_LONG === '1';
const SEED = process.env.KBX_FUZZ_SEED ? Number(process.env.KBX_FUZZ_SEED) >>> 0 : 0x68737432;
const BASE = Number(process.env.KBX_FUZZ_BASE ?? (LONG ? 80_000 : 2_000));
const ONLY = process.env.KBX_FUZZ_ONLY ?? '';
/** KBX_FUZZ_VERBOSE=1: the CPU time of each construct's build, check and measurement. */
const VERBOSE = process.env.KBX_FUZZ_VERBOSE === '1';
/** Linear work gives about 4 for 4× the input, quadratic about 16. */
const MAX_RATIO = 12;
/** Below this the small side's CPU time is mostly noise: its call repeats until it takes this long. */
const FLOOR_MS = LONG ? 25 : 5;

class Failure extends Error {}

function inside(text: string, r: LintResult, what: string): void {
  const check = (s: { start: number; end: number }, where: string) => {
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= text.length))
      throw new Failure(`${what}: ${where} span ${JSON.stringify(s)} outside a text of ${text.length}`);
  };
  for (const d of r.diagnostics) {
    check(d.span, d.code);
    for (const rel of d.related ?? []) check(rel.span, `${d.code} related`);
    for (const e of d.fix?.edits ?? []) check(e.span, `${d.code} fix edit`);
  }
  for (const inv of r.invocations) check(inv.span, 'invocation');
}

/** Lint, explain, and the first fix re-linted: what the CLI does with one file. */
function pipeline(input: Input): void {
  const r = lint(input, ALL_ON);
  inside(input.text, r, 'lint');
  if (r.internalErrors.length) throw new Failure(`internal errors: ${r.internalErrors.slice(0, 3).join('; ')}`);
  if (explainFile(input.fileName, r.model).length !== r.invocations.length) throw new Failure('explain: one entry per invocation expected');
  const fixed = r.diagnostics.find((d) => d.fix);
  if (fixed) {
    const after = applyEdits(input.text, fixed.fix!.edits).text;
    inside(after, lint({ ...input, text: after }, ALL_ON), `re-lint after the ${fixed.code} fix`);
  }
}

function failureOf(input: Input): string | null {
  try {
    pipeline(input);
    return null;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}` : String(e);
  }
}

describe('hostile input, second round (YAML, Markdown, Makefile, shell, buildx values)', () => {
  it(`every construct from ${BASE / 1000} KB to ${(4 * BASE) / 1000} KB: no exception, spans inside, linear (seed ${SEED})`, { timeout: LONG ? 3_600_000 : 900_000 }, () => {
    const reports: string[] = [];
    const ratios: string[] = [];
    for (const [name, construct] of Object.entries(CLASSES)) {
      if (ONLY && !name.includes(ONLY)) continue;
      const make = (n: number) => construct(new Rng(mulberry32(SEED)), n);
      const tb = cpuMs();
      const small = make(BASE);
      const big = make(4 * BASE);
      // The correctness check runs each size once: it is also the warm-up of the measurement.
      const t0 = cpuMs();
      const failure = failureOf(small) ?? failureOf(big);
      const t2 = cpuMs();
      if (failure) {
        reports.push(`seed ${SEED}, ${name} (${small.fileName}): ${failure}\n  input: ${JSON.stringify(small.text.slice(0, 300))}`);
        continue;
      }
      const maxRatio = sizeScaledBound(MAX_RATIO, small.text.length, big.text.length);
      const g = screenGrowth(
        () => pipeline(small),
        () => pipeline(big),
        { floorMs: FLOOR_MS, maxRatio },
      );
      ratios.push(`${name} ${g.ratio.toFixed(1)}${g.confirmed ? ' (measured twice)' : ''}`);
      if (VERBOSE)
        console.log(
          `${name}: build ${(t0 - tb).toFixed(0)} ms, check ${(t2 - t0).toFixed(0)} ms, measure ${(cpuMs() - t2).toFixed(0)} ms of CPU (${small.text.length} and ${big.text.length} characters)`,
        );
      if (g.ratio > maxRatio)
        reports.push(`seed ${SEED}, ${name}: ${small.text.length} → ${big.text.length} characters took ${g.ratio.toFixed(1)}× the time, more than ${maxRatio.toFixed(1)}× (${g.describe})`);
    }
    console.log(`kbx-lint hostile classes, seed ${SEED}: ratios for 4× input: ${ratios.join(', ')}`);
    expect(reports, reports.join('\n\n')).toEqual([]);
  });
});
