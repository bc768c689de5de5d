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

/**
 * What a measurement reads: `wall` is elapsed time; `cpu` is the CPU time of this process (user +
 * system, every thread, the garbage collector's included), which other processes on a loaded
 * machine barely move, so a small reference time is still a good measurement.
 */
export type Clock = 'wall' | 'cpu';

export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const now = (clock: Clock) => (clock === 'cpu' ? cpuMs() : performance.now());

/** Best (lowest) time of `runs` measurements of `repeat` calls each: load only adds time. */
export function bestOf(run: Timed, runs = 3, repeat = 1, clock: Clock = 'wall'): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = now(clock);
    for (let j = 0; j < repeat; j++) run();
    best = Math.min(best, now(clock) - t0);
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
  /** calls per measurement to start with (a caller that timed the reference already knows it) */
  repeat?: number;
  clock?: Clock;
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
  const clock = options.clock ?? 'wall';
  let repeat = Math.max(1, Math.round(options.repeat ?? 1));
  for (;;) {
    const ref = reference(k);
    const sub = subject(k);
    if (!options.noWarmup) ref(); // warm up: the first call pays for compiling the code paths
    let referenceMs = Infinity;
    let subjectMs = Infinity;
    for (let i = 0; i < runs; i++) {
      referenceMs = Math.min(referenceMs, bestOf(ref, 1, repeat, clock));
      subjectMs = Math.min(subjectMs, bestOf(sub, 1, repeat, clock));
    }
    if (referenceMs >= minMs) {
      const ratio = subjectMs / referenceMs;
      const times = repeat > 1 ? ` (${repeat} calls each)` : '';
      const describe = `k=${k}: ${subjectMs.toFixed(1)} ms against ${referenceMs.toFixed(1)} ms${clock === 'cpu' ? ' of CPU' : ''}${times}, ratio ${ratio.toFixed(2)}`;
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

export interface ScreenOptions {
  /** The small side of a measurement repeats its call until it takes about this long. */
  floorMs: number;
  /** Ratios above this are measured again before they are believed. */
  maxRatio: number;
  /**
   * Measurements per side in the first pass (default 2, or 1 when one small call takes four floors)
   * and when a ratio is measured again (default 5).
   */
  runs?: number;
  confirmRuns?: number;
}

/**
 * The ratio bound for a growth check whose generator was asked for `factor`× the input. Some grow
 * their text faster than asked (each level of nested quoting escapes the quotes of the level
 * inside): the bound then follows the text's real growth, and never falls below `maxRatio`.
 */
export function sizeScaledBound(maxRatio: number, smallLength: number, bigLength: number, factor = 4): number {
  return maxRatio * Math.max(1, bigLength / smallLength / factor);
}

/**
 * screenGrowth is a cheap growth check for suites of many constructs: `small` and `big` (4× the
 * input) are already built and were each run once by the caller (its correctness check, which
 * also compiled their code paths), so the only untimed call is one of `small`, whose time sets the
 * calls per measurement. CPU time, one or two measurements per side; a ratio above `maxRatio` is measured
 * again with more runs (a burst of GC or a descheduled thread can spoil one pass, not both), and
 * the lower of the two passes is returned.
 */
export function screenGrowth(small: Timed, big: Timed, options: ScreenOptions): CostRatio & { confirmed: boolean } {
  const once = bestOf(small, 1, 1, 'cpu');
  const repeat = Math.max(1, Math.ceil(options.floorMs / Math.max(once, 0.02)));
  const pass = (runs: number) =>
    compareCost(
      () => big,
      () => small,
      1,
      { runs, maxGrowth: 1, minReferenceMs: options.floorMs * 0.7, noWarmup: true, repeat, clock: 'cpu' },
    );
  // A small call that alone takes several floors is measured well enough once per side.
  const first = pass(options.runs ?? (once >= 4 * options.floorMs ? 1 : 2));
  if (first.ratio <= options.maxRatio) return { ...first, confirmed: false };
  const second = pass(options.confirmRuns ?? 5);
  return { ...(second.ratio < first.ratio ? second : first), confirmed: true };
}
