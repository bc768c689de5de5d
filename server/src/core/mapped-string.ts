import type { Span } from './span';

/**
 * MappedString is a decoded string that remembers, for each of its characters, the range of the
 * original file that produced it. Every decoding layer (Makefile `$$`, shell quoting, CSV, `k=v`,
 * tolerations) consumes and produces MappedStrings, so a diagnostic found deep inside a value still
 * points at the exact source characters.
 *
 * Invariants: `starts.length === ends.length === text.length`; `starts[i] < ends[i]` for characters
 * that came from source text (a character synthesised by a layer may have `starts[i] === ends[i]`).
 * Offsets are original-file offsets in UTF-16 code units.
 *
 * `starts`/`ends` are the per-character view. The strings this module makes (`identity`,
 * `sliceMapped`, `concatMapped`, `MappedStringBuilder`) store their map as runs and only build
 * those arrays when a caller reads them; code on a hot path reads positions through `startAt`,
 * `endAt` and `spanOf`, which work on runs directly. A MappedString written as a plain object
 * with its own arrays is still accepted everywhere.
 */
export interface MappedString {
  readonly text: string;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Offset used for the span of an empty string or an empty slice at the very end. */
  readonly endOffset: number;
}

/**
 * DYNAMIC is the placeholder character that stands for a run-time expansion (`$VAR`, `$(cmd)`,
 * `$(MAKEVAR)` without a definition) inside a partly static value. It maps to the whole span of
 * the expansion. Rules treat any field containing it as unknown.
 */
export const DYNAMIC = '\uE000';

export function hasDynamic(text: string): boolean {
  return text.includes(DYNAMIC);
}

/**
 * The `b` of a run that maps its characters 1:1 onto consecutive source characters. No source
 * offset can be this value (offsets are string indices, or small shifts of them).
 */
const STEP = -0x80000000;

/**
 * The run form. `runs` is a flat list of triples (at, a, b), sorted by `at`, the first at 0; run r
 * covers decoded positions [at_r, at_{r+1}) (the last one up to the end of what was built).
 *   - b === STEP: position p maps to [a + (p - at), a + (p - at) + 1] (a verbatim source slice);
 *   - otherwise every position of the run maps to [a, b] (an escape, a synthesised character, a
 *     DYNAMIC placeholder, a make variable's value mapped to its reference).
 * A string is a window of `text.length` positions starting at position `off` of its runs; runs
 * [r0, r1) are the ones the window touches (r1 - r0 >= 1 unless the string is empty). Slices share
 * their parent's runs: slicing allocates no per-run or per-character storage.
 */
/**
 * The per-character arrays of the RunStrings whose callers asked for them. Few do, and a file's
 * model holds tens of thousands of RunStrings: two cache fields on each weighed more than the map.
 */
const PER_CHARACTER = new WeakMap<RunString, [Int32Array, Int32Array]>();

class RunString implements MappedString {
  readonly text: string;
  readonly endOffset: number;
  readonly runs: readonly number[];
  readonly off: number;
  readonly r0: number;
  readonly r1: number;

  constructor(text: string, endOffset: number, runs: readonly number[], off: number, r0: number, r1: number) {
    this.text = text;
    this.endOffset = endOffset;
    this.runs = runs;
    this.off = off;
    this.r0 = r0;
    this.r1 = r1;
  }

  get starts(): Int32Array {
    return (PER_CHARACTER.get(this) ?? this.materialise())[0];
  }

  get ends(): Int32Array {
    return (PER_CHARACTER.get(this) ?? this.materialise())[1];
  }

  private materialise(): [Int32Array, Int32Array] {
    const n = this.text.length;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const runs = this.runs;
    let i = 0;
    for (let r = this.r0; r < this.r1 && i < n; r++) {
      const at = runs[3 * r];
      const a = runs[3 * r + 1];
      const b = runs[3 * r + 2];
      const stop = r + 1 < this.r1 ? Math.min(n, runs[3 * r + 3] - this.off) : n;
      for (; i < stop; i++) {
        if (b === STEP) {
          starts[i] = a + (this.off + i - at);
          ends[i] = starts[i] + 1;
        } else {
          starts[i] = a;
          ends[i] = b;
        }
      }
    }
    const arrays: [Int32Array, Int32Array] = [starts, ends];
    PER_CHARACTER.set(this, arrays);
    return arrays;
  }

  /** Index (in triples) of the run holding character i (0 <= i < text.length). */
  runOf(i: number): number {
    let lo = this.r0;
    let hi = this.r1 - 1;
    if (lo === hi) return lo;
    const p = this.off + i;
    const runs = this.runs;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (runs[3 * mid] <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

function runStart(s: RunString, r: number, i: number): number {
  const runs = s.runs;
  const a = runs[3 * r + 1];
  return runs[3 * r + 2] === STEP ? a + (s.off + i - runs[3 * r]) : a;
}

function runEnd(s: RunString, r: number, i: number): number {
  const runs = s.runs;
  const b = runs[3 * r + 2];
  return b === STEP ? runs[3 * r + 1] + (s.off + i - runs[3 * r]) + 1 : b;
}

/** The source offset where character i (0 <= i < text.length) starts. */
export function startAt(s: MappedString, i: number): number {
  if (s instanceof RunString) return runStart(s, s.runOf(i), i);
  return s.starts[i];
}

/** The source offset where character i (0 <= i < text.length) ends. */
export function endAt(s: MappedString, i: number): number {
  if (s instanceof RunString) return runEnd(s, s.runOf(i), i);
  return s.ends[i];
}

/** Where position i begins: character i's start, or endOffset at (or past) the end. */
export function offsetAt(s: MappedString, i: number): number {
  return i < s.text.length ? startAt(s, i) : s.endOffset;
}

/**
 * The first index whose start is not below `offset` (binary search; starts are non-decreasing
 * in every map the layers make), without the per-character arrays.
 */
export function lowerBoundStart(s: MappedString, offset: number): number {
  let lo = 0;
  let hi = s.text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (startAt(s, mid) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const NO_RUNS: readonly number[] = [];

/** identity maps `text.slice(start, end)` onto itself, offset by `base`. */
export function identity(text: string, start = 0, end = text.length, base = 0): MappedString {
  const n = end - start;
  if (n <= 0) return new RunString('', end + base, NO_RUNS, 0, 0, 0);
  return new RunString(text.slice(start, end), end + base, [0, start + base, STEP], 0, 0, 1);
}

/** A string of one or more characters that all map to [start, end). */
export function uniform(text: string, start: number, end: number, endOffset = end): MappedString {
  if (!text.length) return new RunString('', endOffset, NO_RUNS, 0, 0, 0);
  return new RunString(text, endOffset, end === start + 1 && text.length === 1 ? [0, start, STEP] : [0, start, end], 0, 0, 1);
}

/** sliceMapped is `text.slice(from, to)` keeping the map. */
export function sliceMapped(s: MappedString, from: number, to: number = s.text.length): MappedString {
  if (from < 0) from = 0;
  if (to > s.text.length) to = s.text.length;
  if (to < from) to = from;
  return sliceWithEnd(s, from, to, -1);
}

/**
 * sliceWithEnd is sliceMapped with a given endOffset (-1: what sliceMapped gives: the end of the
 * last character, or for an empty slice the start of the next one). 0 <= from <= to <= length.
 */
export function sliceWithEnd(s: MappedString, from: number, to: number, endOffset: number): MappedString {
  if (s instanceof RunString) {
    const text = from === 0 && to === s.text.length ? s.text : s.text.slice(from, to);
    if (to > from) {
      const r1 = s.runOf(to - 1);
      if (endOffset < 0) endOffset = runEnd(s, r1, to - 1);
      return new RunString(text, endOffset, s.runs, s.off + from, s.runOf(from), r1 + 1);
    }
    if (endOffset < 0) endOffset = offsetAt(s, to);
    return new RunString(text, endOffset, NO_RUNS, 0, 0, 0);
  }
  if (endOffset < 0) endOffset = to > from ? s.ends[to - 1] : offsetAt(s, to);
  return new ArrayView(s, from, to, endOffset);
}

/**
 * A slice of a MappedString that keeps per-character arrays: its text and arrays (views, not
 * copies: mapped strings are never mutated) are made on first use, since most slices made while
 * parsing are never read.
 */
class ArrayView implements MappedString {
  private readonly src: MappedString;
  private readonly from: number;
  private readonly to: number;
  readonly endOffset: number;
  private textCache: string | null = null;
  private startsCache: Int32Array | null = null;
  private endsCache: Int32Array | null = null;

  constructor(src: MappedString, from: number, to: number, endOffset: number) {
    this.src = src;
    this.from = from;
    this.to = to;
    this.endOffset = endOffset;
  }

  get text(): string {
    return (this.textCache ??= this.src.text.slice(this.from, this.to));
  }
  get starts(): Int32Array {
    return (this.startsCache ??= this.src.starts.subarray(this.from, this.to));
  }
  get ends(): Int32Array {
    return (this.endsCache ??= this.src.ends.subarray(this.from, this.to));
  }
}

/** spanOf returns the source span covering characters [from, to) of the decoded string. */
export function spanOf(s: MappedString, from = 0, to: number = s.text.length): Span {
  if (to > s.text.length) to = s.text.length;
  if (from >= to) {
    const at = offsetAt(s, from);
    return { start: at, end: at };
  }
  if (s instanceof RunString) {
    // Layers reorder nothing, but be defensive: cover every character in the range.
    const last = s.runOf(to - 1);
    let r = s.runOf(from);
    let start = runStart(s, r, from);
    let end = runEnd(s, last, to - 1);
    const runs = s.runs;
    for (; r <= last; r++) {
      const i0 = Math.max(from, runs[3 * r] - s.off);
      const i1 = r < last ? runs[3 * r + 3] - s.off - 1 : to - 1;
      const lo = runStart(s, r, i0);
      const hi = runEnd(s, r, i1);
      if (lo < start) start = lo;
      if (hi > end) end = hi;
    }
    return { start, end };
  }
  let start = s.starts[from];
  let end = s.ends[to - 1];
  for (let i = from; i < to; i++) {
    if (s.starts[i] < start) start = s.starts[i];
    if (s.ends[i] > end) end = s.ends[i];
  }
  return { start, end };
}

/**
 * Builder accumulates characters with their source ranges, as runs: consecutive source
 * characters extend one run, and so do characters that repeat one range.
 */
export class MappedStringBuilder {
  private text = '';
  /**
   * Most built strings have one run: its triple is a three-element array of its own, not the
   * seventeen slots the first push onto an empty array reserves (kept as long as the string).
   */
  private runs: number[] = NO_RUNS as number[];
  /** How many times `text` was appended to: the nodes of the rope `+=` builds. */
  private appends = 0;

  get length(): number {
    return this.text.length;
  }

  /** Adds `n` positions at the end whose map is the triple (a, b). */
  private addRun(n: number, a: number, b: number): void {
    if (n <= 0) return;
    const runs = this.runs;
    const len = this.text.length;
    const k = runs.length - 3;
    if (k < 0) {
      this.runs = [len, a, b];
      return;
    }
    const pa = runs[k + 1];
    const pb = runs[k + 2];
    const pn = len - runs[k];
    if (b === STEP) {
      if (pb === STEP && pa + pn === a) return;
      if (pb !== STEP && n === 1 && pb === a + 1 && pa === a) return;
    } else {
      if (pb === b && pa === a) return;
      // A one-character step run is the same as a uniform run of its range.
      if (pb === STEP && pn === 1 && pa === a && b === a + 1) {
        runs[k + 2] = b;
        return;
      }
    }
    runs.push(len, a, b);
  }

  push(ch: string, start: number, end: number): void {
    // Characters are UTF-16 code units; a surrogate pair is pushed as two units with the same range.
    const n = ch.length;
    if (!n) return;
    if (n === 1 && end === start + 1) this.addRun(1, start, STEP);
    else this.addRun(n, start, end);
    this.appends++;
    this.text += ch;
  }

  /** Appends text that sits verbatim in the source from offset `at`: one run, whatever its length. */
  pushVerbatim(text: string, at: number): void {
    if (!text.length) return;
    this.addRun(text.length, at, STEP);
    this.appends++;
    this.text += text;
  }

  /** Appends characters [from, to) of s with their ranges, run by run. */
  appendSlice(s: MappedString, from: number, to: number): void {
    if (to <= from) return;
    if (s instanceof RunString) {
      const runs = s.runs;
      const last = s.runOf(to - 1);
      let i = from;
      for (let r = s.runOf(from); r <= last; r++) {
        const stop = r < last ? runs[3 * r + 3] - s.off : to;
        const b = runs[3 * r + 2];
        // Text first would confuse addRun, which measures the previous run by the text length.
        this.addRun(stop - i, runStart(s, r, i), b);
        this.appends++;
        this.text += s.text.slice(i, stop);
        i = stop;
      }
      return;
    }
    for (let i = from; i < to; i++) {
      const a = s.starts[i];
      const b = s.ends[i];
      this.addRun(1, a, b === a + 1 ? STEP : b);
      this.appends++;
      this.text += s.text[i];
    }
  }

  append(s: MappedString): void {
    this.appendSlice(s, 0, s.text.length);
  }

  build(endOffset: number): MappedString {
    const runs = this.runs;
    // `+=` made the text a rope of one node per append (~32 bytes each), kept as long as the
    // string is; reading a character makes V8 flatten it into one sequential string. Only when
    // the nodes outweigh the characters (appends of a character or a few, as a decoded block
    // scalar is built): a rope of a few long values joined is cheap, and flattening it would
    // copy every value that is joined again (Makefile variables that grow with `+=`).
    if (this.appends > 16 && this.appends * 32 > this.text.length) this.text.charCodeAt(0);
    return new RunString(this.text, endOffset, runs, 0, 0, runs.length / 3);
  }
}

/**
 * A MappedString over per-character offsets written by a layer that builds its own arrays, kept
 * as runs (the arrays are not retained).
 */
export function fromOffsets(text: string, starts: ArrayLike<number>, ends: ArrayLike<number>, endOffset: number): MappedString {
  const runs: number[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const a = starts[i];
    const b = ends[i];
    let k = i + 1;
    if (b === a + 1) {
      while (k < n && starts[k] === a + (k - i) && ends[k] === starts[k] + 1) k++;
      runs.push(i, a, k - i === 1 ? b : STEP);
    } else {
      while (k < n && starts[k] === a && ends[k] === b) k++;
      runs.push(i, a, b);
    }
    i = k;
  }
  return new RunString(text, endOffset, runs, 0, 0, runs.length / 3);
}

/** concatMapped joins several mapped strings. */
export function concatMapped(parts: MappedString[], endOffset?: number): MappedString {
  const b = new MappedStringBuilder();
  for (const p of parts) b.append(p);
  const last = parts[parts.length - 1];
  return b.build(endOffset ?? (last ? last.endOffset : 0));
}

/** splitMapped splits on a single separator character, like Go strings.Split. */
export function splitMapped(s: MappedString, sep: string): MappedString[] {
  const out: MappedString[] = [];
  let from = 0;
  // One character, as the per-character comparison this replaced: a longer sep never matches.
  if (sep.length === 1)
    for (let i = s.text.indexOf(sep); i >= 0; i = s.text.indexOf(sep, i + 1)) {
      out.push(sliceMapped(s, from, i));
      from = i + 1;
    }
  out.push(sliceMapped(s, from));
  return out;
}

/** splitFirst splits on the first occurrence of sep, like Go strings.SplitN(s, sep, 2). */
export function splitFirst(s: MappedString, sep: string): [MappedString, MappedString | null] {
  const i = s.text.indexOf(sep);
  if (i < 0) return [s, null];
  return [sliceMapped(s, 0, i), sliceMapped(s, i + sep.length)];
}

/**
 * isLazyMapped tells the class-backed mapped strings (runs, array views) apart from plain objects:
 * their maps live behind getters, which a structured clone or JSON does not carry.
 */
export function isLazyMapped(v: unknown): v is MappedString {
  return v instanceof RunString || v instanceof ArrayView;
}

/** plainMapped copies a mapped string into a plain object with arrays of its own extent. */
export function plainMapped(s: MappedString): MappedString {
  return { text: s.text, starts: s.starts.slice(), ends: s.ends.slice(), endOffset: s.endOffset };
}

/**
 * What keeping s costs, in units of one character: its text plus its map (a run is three
 * numbers; a per-character map is two numbers per character).
 */
export function mappedWeight(s: MappedString): number {
  if (s instanceof RunString) return s.text.length + 3 * (s.r1 - s.r0);
  return 3 * s.text.length;
}

/**
 * forEachSourceRange calls `visit(start, end)` with source ranges whose union, merged where they
 * touch, is that of the characters' own ranges: one call per run of a RunString (its characters
 * map to consecutive offsets, or all to one range), one per character otherwise.
 */
export function forEachSourceRange(s: MappedString, visit: (start: number, end: number) => void): void {
  const n = s.text.length;
  if (!(s instanceof RunString)) {
    for (let i = 0; i < n; i++) visit(s.starts[i], s.ends[i]);
    return;
  }
  const runs = s.runs;
  for (let r = s.r0; r < s.r1; r++) {
    const from = Math.max(0, runs[3 * r] - s.off);
    const to = r + 1 < s.r1 ? Math.min(n, runs[3 * r + 3] - s.off) : n;
    if (to <= from) continue;
    if (runs[3 * r + 2] === STEP) visit(runStart(s, r, from), runStart(s, r, to - 1) + 1);
    else visit(runs[3 * r + 1], runs[3 * r + 2]);
  }
}
