/**
 * Hostile inputs beyond the 20 KB of the pipeline fuzzer: seeded files built from constructs that
 * stress one layer each (long words, deep nesting, many commas, quotes and parentheses, many
 * commands, many Makefile targets, doubling Makefile variables), alone and mixed, go through the
 * whole pipeline (lint with every rule on, explain, single fixes with a re-lint, fixText with
 * unsafe fixes). Nothing may throw, every span must lie inside its text, and 4× the input may cost
 * at most about 4× the lint time (a ratio measured in the same test, never a time).
 *
 * A failure prints the seed, the construct, the smallest size that still fails and a shrunk input.
 * Reproduce: KBX_FUZZ_SEED=<seed> npx vitest run test/fuzz/growth-fuzz.test.ts
 * Longer: KBX_FUZZ_LONG=1 (eight seeds, inputs up to 400 KB); KBX_FUZZ_BASE sets the small size.
 */
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../server/src/core/fix';
import { explainFile } from '../../server/src/cli/explain';
import { fixText } from '../../server/src/engine/fix';
import { lint, type LintResult } from '../../server/src/engine/lint';
import { cpuMs } from '../harness/cost';
import { ALL_ON, mulberry32, Rng } from './fuzz-lib';
import { CONSTRUCTS, type Construct, type Input, mixed } from './hostile-constructs';

const LONG = process.env.KBX_FUZZ_LONG === '1';
const SEED = process.env.KBX_FUZZ_SEED ? Number(process.env.KBX_FUZZ_SEED) >>> 0 : 0x68737431;
const SEEDS = LONG ? 8 : 1;
/** The small size of each growth pair, in characters; the large one is 4×. */
const BASE = Number(process.env.KBX_FUZZ_BASE ?? (LONG ? 100_000 : 10_000));
/** Largest ratio accepted for 4× the input: linear work gives about 4, quadratic about 16. */
const MAX_RATIO = 12;
/** CPU times below this are mostly collector and compiler noise: the small input counts as at least this. */
const FLOOR_MS = 25;

class Failure extends Error {}

function check(text: string, r: LintResult, what: string): void {
  const inside = (s: { start: number; end: number }, where: string) => {
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= text.length))
      throw new Failure(`${what}: ${where} span ${JSON.stringify(s)} outside a text of ${text.length}`);
  };
  for (const d of r.diagnostics) {
    inside(d.span, d.code);
    for (const rel of d.related ?? []) inside(rel.span, `${d.code} related`);
    for (const e of d.fix?.edits ?? []) inside(e.span, `${d.code} fix edit`);
  }
  for (const inv of r.invocations) inside(inv.span, 'invocation');
}

/**
 * The whole pipeline on one input; throws on the first problem. Returns the first lint's CPU time
 * (this process's: other processes on a loaded machine barely move it, where wall time doubled a
 * side now and then and failed a linear construct).
 */
function pipeline(input: Input, withFixes: boolean): number {
  const t0 = cpuMs();
  const r = lint(input, ALL_ON);
  const ms = cpuMs() - t0;
  check(input.text, r, 'lint');
  if (explainFile(input.fileName, r.model).length !== r.invocations.length) throw new Failure('explain: one entry per invocation expected');
  if (!withFixes) return ms;
  const fixes = r.diagnostics.filter((d) => d.fix);
  const step = Math.max(1, Math.ceil(fixes.length / 4));
  for (let i = 0; i < fixes.length; i += step) {
    const after = applyEdits(input.text, fixes[i].fix!.edits).text;
    check(after, lint({ ...input, text: after }, ALL_ON), `re-lint after ${fixes[i].code} fix`);
  }
  // fixText re-lints after every fix: bounded here to a few rounds, enough to cross each fix kind.
  let rounds = 0;
  const stop = new Error('enough');
  try {
    const out = fixText(input.text, true, (t) => {
      if (++rounds > 6) throw stop;
      const x = lint({ ...input, text: t }, ALL_ON);
      check(t, x, 'fixText lint');
      return x;
    });
    if (typeof out.text !== 'string') throw new Failure('fixText: no text');
  } catch (e) {
    if (e !== stop) throw e;
  }
  return ms;
}

function failureOf(input: Input, withFixes: boolean): string | null {
  try {
    pipeline(input, withFixes);
    return null;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
}

/** The smallest size that still fails, then chunk deletion while the input stays small. */
function shrinkInput(make: (n: number) => Input, n: number, failure: string): Input {
  const kind = failure.replace(/\d+/g, 'N').slice(0, 60);
  const same = (i: Input) => failureOf(i, true)?.replace(/\d+/g, 'N').slice(0, 60) === kind;
  let lo = 1;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (same(make(mid))) hi = mid;
    else lo = mid + 1;
  }
  let cur = make(hi);
  const deadline = performance.now() + 10_000;
  for (let size = cur.text.length >> 1; size >= 1 && cur.text.length < 4000; size >>= 1) {
    for (let at = 0; at < cur.text.length && performance.now() < deadline; ) {
      const cand = { ...cur, text: cur.text.slice(0, at) + cur.text.slice(at + size) };
      if (same(cand)) cur = cand;
      else at += size;
    }
  }
  return cur;
}

/**
 * big ÷ small: the lowest of three lints a side, small and big alternating so a burst of load hits
 * both. The lowest, not the median: a lint also pays for collecting what the one before it left
 * (the big side's garbage lands on the small side), and that only adds.
 */
function growthRatio(small: Input, big: Input): number {
  let smallMs = Infinity;
  let bigMs = Infinity;
  for (let i = 0; i < 3; i++) {
    smallMs = Math.min(smallMs, pipeline(small, false));
    bigMs = Math.min(bigMs, pipeline(big, false));
  }
  return bigMs / Math.max(smallMs, FLOOR_MS);
}

describe('hostile growth fuzz', () => {
  for (let s = 0; s < SEEDS; s++) {
    const seed = (SEED + s) >>> 0;
    it(`every construct, alone and mixed, up to ${(4 * BASE) / 1000} KB: no exception, spans inside, linear (seed ${seed})`, { timeout: LONG ? 1_800_000 : 120_000 }, () => {
      const all: [string, Construct][] = [...Object.entries(CONSTRUCTS), ['mixed', mixed]];
      const reports: string[] = [];
      const ratios: string[] = [];
      for (const [name, construct] of all) {
        // The same seed for both sizes, so the large input is the small one grown.
        const started = performance.now();
        const make = (n: number) => construct(new Rng(mulberry32(seed)), n);
        const small = make(BASE);
        const big = make(4 * BASE);
        const failure = failureOf(small, true) ?? failureOf(big, false);
        if (failure) {
          const min = shrinkInput(make, failureOf(small, true) ? BASE : 4 * BASE, failure);
          reports.push(`seed ${seed}, ${name}: ${failure}\n  minimal input (${min.fileName}): ${JSON.stringify(min.text.slice(0, 2000))}`);
          continue;
        }
        pipeline(make(BASE >> 2), false); // warm the code paths
        const ratio = growthRatio(small, big);
        ratios.push(`${name} ${ratio.toFixed(1)}`);
        if (process.env.KBX_FUZZ_VERBOSE) console.log(name, Math.round(performance.now() - started), 'ms');
        if (ratio > MAX_RATIO) reports.push(`seed ${seed}, ${name}: 4× the input (${small.text.length} → ${big.text.length} characters) took ${ratio.toFixed(1)}× the time`);
      }
      console.log(`kbx-lint growth fuzz, seed ${seed}: ratios for 4× input: ${ratios.join(', ')}`);
      expect(reports, reports.join('\n\n')).toEqual([]);
    });
  }
});
