/**
 * Cost ratios measured inside one test, instead of absolute time bounds. Performance is judged by
 * the benchmark; a test only checks that a hostile or large input costs about what a comparison
 * input of known cost does, timed in the same process at the same moment. On a loaded machine both
 * sides slow down together, so the ratio stays meaningful where a millisecond bound would flake.
 *
 * Two comparisons:
 * - growth: the same construct at size k and factor·k (linear work gives ~factor, quadratic work
 *   factor², exponential work far more);
 * - against a baseline: the hostile input against a benign one of the same size.
 */

/** A prepared measurement: building the input happens outside, only the returned call is timed. */
export type Timed = () => unknown;

/** Below this the reference side is mostly timer resolution, JIT and GC noise. */
export const MIN_REFERENCE_MS = 10;

/** Best (lowest) wall-clock time of `runs` measurements of `repeat` calls each: load only adds time. */
export function bestOf(run: Timed, runs = 3, repeat = 1): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    for (let j = 0; j < repeat; j++) run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export interface CostRatio {
  /** subject time over reference time, each the best of its runs */
  ratio: number;
  /** the size the measurement ended at (grown from the requested one if the reference was too fast) */
  k: number;
  /** calls per measurement, above 1 when growing k alone did not make the reference measurable */
  repeat: number;
  subjectMs: number;
  referenceMs: number;
  /** one line for an assertion message: what was compared, at which size, how long each took */
  describe: string;
}

export interface CompareOptions {
  /** measurements of each side; the best is kept. 2 or 3 are enough against scheduling noise. */
  runs?: number;
  /**
   * How far k may grow (as a multiple of the requested k) to make the reference measurable; past
   * that each measurement repeats its call instead, so that inputs stay the size the test chose
   * (much larger ones change what is measured: the heap outgrows the young generation).
   */
  maxGrowth?: number;
  minReferenceMs?: number;
  /** skip the untimed first call of the reference (when it is expensive and already compiled) */
  noWarmup?: boolean;
}

/**
 * compareCost times `subject(k)` against `reference(k)`. When the reference is too fast to time,
 * k grows (both sides) up to `maxGrowth`, then the calls repeat, until it is measurable. The two
 * sides alternate measurement by measurement so that a burst of load hits both alike.
 */
export function compareCost(subject: (k: number) => Timed, reference: (k: number) => Timed, k: number, options: CompareOptions = {}): CostRatio {
  const runs = options.runs ?? 3;
  const minMs = options.minReferenceMs ?? MIN_REFERENCE_MS;
  const maxK = k * (options.maxGrowth ?? 4);
  let repeat = 1;
  for (;;) {
    const ref = reference(k);
    const sub = subject(k);
    if (!options.noWarmup) ref(); // warm up: the first call pays for compiling the code paths
    let referenceMs = Infinity;
    let subjectMs = Infinity;
    for (let i = 0; i < runs; i++) {
      referenceMs = Math.min(referenceMs, bestOf(ref, 1, repeat));
      subjectMs = Math.min(subjectMs, bestOf(sub, 1, repeat));
    }
    if (referenceMs >= minMs) {
      const ratio = subjectMs / referenceMs;
      const times = repeat > 1 ? ` (${repeat} calls each)` : '';
      const describe = `k=${k}: ${subjectMs.toFixed(1)} ms against ${referenceMs.toFixed(1)} ms${times}, ratio ${ratio.toFixed(2)}`;
      return { ratio, k, repeat, subjectMs, referenceMs, describe };
    }
    if (repeat > 1000) throw new Error(`reference takes ${referenceMs.toFixed(3)} ms at k=${k} in ${repeat} calls: too small to time`);
    // Jump straight to about twice the needed time (timers are fine; the first call was a guess).
    const grow = Math.min(64, Math.max(2, Math.ceil((2 * minMs) / Math.max(referenceMs, 0.01))));
    if (k < maxK) k = Math.min(maxK, k * grow);
    else repeat *= grow;
  }
}

/**
 * growth times `run(make(factor·k))` against `run(make(k))`: linear work gives about `factor`.
 * Assert it below about 2.5·factor (10 for factor 4): load noise stays under that, a quadratic
 * step (factor², 16) does not.
 */
export function growth<T>(make: (k: number) => T, run: (input: T) => unknown, k: number, options: CompareOptions & { factor?: number } = {}): CostRatio {
  const factor = options.factor ?? 4;
  const prepared = (n: number): Timed => {
    const input = make(n);
    return () => run(input);
  };
  return compareCost((n) => prepared(factor * n), prepared, k, options);
}
