/**
 * Helpers rules use to build fixes: locate a decoded piece (a MappedString produced by the CSV,
 * k=v or toleration layers) inside the shell argument it came from, then let extract/reencode.ts
 * write the change back through shell quoting and the host.
 */
import type { Applicability, Edit, Fix } from '../core/fix';
import { endAt, type MappedString, startAt } from '../core/mapped-string';
import type { Arg, FlagOccurrence, Invocation } from '../extract/invocation';
import { reencode } from '../extract/reencode';
import type { CreateModel, FileModel } from '../buildx/model';
import { type Span, spansOverlap } from '../core/span';

/** Words up to this long are scanned whole for each fix; longer ones are searched in their index. */
const SCAN_WHOLE = 64;

/**
 * For a long value whose character starts never decrease (what every layer makes), the source
 * start of each character and the largest end up to it: a fix then looks at the characters near
 * its span, found by binary search, instead of the whole word. One per value and model; null when
 * the starts do decrease somewhere, and the whole word is scanned as before.
 */
interface PositionIndex {
  starts: Int32Array;
  maxEnd: Int32Array;
}

const positionIndexes = new WeakMap<MappedString, PositionIndex | null>();

function positionIndex(v: MappedString): PositionIndex | null {
  const known = positionIndexes.get(v);
  if (known !== undefined) return known;
  const n = v.text.length;
  const starts = v.starts;
  const ends = v.ends;
  const maxEnd = new Int32Array(n);
  let ix: PositionIndex | null = { starts, maxEnd };
  let m = -1;
  for (let i = 0; i < n; i++) {
    if (i > 0 && starts[i] < starts[i - 1]) {
      ix = null;
      break;
    }
    if (ends[i] > m) m = ends[i];
    maxEnd[i] = m;
  }
  positionIndexes.set(v, ix);
  return ix;
}

/** The first index whose start is not below `offset` (or, with `above`, is above it). */
function firstStart(starts: Int32Array, offset: number, above = false): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] < offset || (above && starts[mid] === offset)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** indexInArg finds where `piece` starts inside `arg.value`, comparing source ranges. */
export function indexInArg(arg: Arg, piece: MappedString): number {
  const v = arg.value;
  if (piece === v) return 0; // the common case
  const ix = v.text.length > SCAN_WHOLE ? positionIndex(v) : null;
  if (piece.text.length === 0) {
    if (ix) return firstStart(ix.starts, piece.endOffset);
    for (let i = 0; i < v.text.length; i++) if (v.starts[i] >= piece.endOffset) return i;
    return v.text.length;
  }
  // With starts in order, a match can only begin among the characters that start where the piece does.
  const first = ix ? firstStart(ix.starts, piece.starts[0]) : 0;
  const last = ix ? firstStart(ix.starts, piece.starts[0], true) : v.text.length;
  outer: for (let i = first; i < last && i + piece.text.length <= v.text.length; i++) {
    for (let k = 0; k < piece.text.length; k++) {
      if (v.starts[i + k] !== piece.starts[k] || v.ends[i + k] !== piece.ends[k] || v.text[i + k] !== piece.text[k]) continue outer;
    }
    return i;
  }
  return -1;
}

export interface DecodedChange {
  /** The flag whose value (or whose value argument) holds the piece. */
  flag: FlagOccurrence;
  /** A MappedString that is a slice of the flag's value. */
  piece: MappedString;
  /** Non-overlapping ranges inside `piece` to replace. */
  changes: { from: number; to: number; replacement: string }[];
}

const owners = new WeakMap<FileModel, Map<FlagOccurrence, FileModel['invocations'][number]>>();

/** ownerOf finds the invocation a flag belongs to (one index per model: files have thousands). */
function ownerOf(model: FileModel, flag: FlagOccurrence): FileModel['invocations'][number] | undefined {
  let m = owners.get(model);
  if (!m) {
    m = new Map();
    for (const inv of model.invocations) for (const f of inv.flags) m.set(f, inv);
    owners.set(model, m);
  }
  return m.get(flag);
}

/** fixFor builds a one-edit fix, or undefined when the change cannot be written back safely. */
/** `owner`, when the caller knows it, is the invocation whose flags hold `change.flag`: no lookup then. */
export function fixFor(model: FileModel, change: DecodedChange, title: string, applicability: Applicability, owner?: Invocation): Fix | undefined {
  const arg = change.flag.valueArg;
  if (!arg) return undefined;
  const at = indexInArg(arg, change.piece);
  if (at < 0) return undefined;
  const region = (owner ?? ownerOf(model, change.flag))?.region;
  if (!region) return undefined;
  const edit = reencode({
    fileText: model.text,
    arg,
    region,
    changes: change.changes.map((c) => ({ from: at + c.from, to: at + c.to, replacement: c.replacement })),
  });
  if (!edit) return undefined;
  if (model.text.slice(edit.span.start, edit.span.end) === edit.newText) return undefined;
  return { title, applicability, edits: [edit] };
}

/**
 * rangeForSpan finds the decoded characters of `arg.value` whose source lies inside `span`.
 * Returns null when none do, or when the span cuts through a character's source.
 */
export function rangeForSpan(arg: Arg, span: { start: number; end: number }): { from: number; to: number } | null {
  const v = arg.value;
  const ix = v.text.length > SCAN_WHOLE ? positionIndex(v) : null;
  if (!ix) return rangeIn(v, 0, v.text.length, span);
  // Characters before `lo` start before the span: they can only cut it. Those from `hi` on start
  // after its end: they are neither inside nor cutting. One fix per item of a long list stays
  // proportional to its item, not to the word.
  const lo = firstStart(ix.starts, span.start);
  if (lo > 0 && ix.maxEnd[lo - 1] > span.start) return null;
  return rangeIn(v, lo, firstStart(ix.starts, span.end, true), span);
}

function rangeIn(v: MappedString, lo: number, hi: number, span: { start: number; end: number }): { from: number; to: number } | null {
  let from = -1;
  let to = -1;
  for (let i = lo; i < hi; i++) {
    // Through the run map: a fix in a short word must not build its per-character arrays.
    const s = startAt(v, i);
    const e = endAt(v, i);
    const inside = s >= span.start && e <= span.end;
    const cut = !inside && s < span.end && e > span.start;
    if (cut) return null;
    if (inside) {
      if (from < 0) from = i;
      else if (to !== i) return null; // not contiguous
      to = i + 1;
    }
  }
  return from < 0 ? null : { from, to };
}

/** The word that holds a flag's value: at an assignment (`P=…; --platform "$P"`), that word. */
const holderOf = (flag: FlagOccurrence) => flag.valueArg?.sourceWord?.span ?? flag.valueArg?.span;

/**
 * Flags sorted by where their value is held, when no two holders overlap: then the one flag whose
 * holder can contain a span is found by binary search, and a command with thousands of findings
 * on thousands of flags costs no scan of every flag per finding. Overlapping holders (one
 * assignment feeding many flags) keep the scan in order.
 */
const holderIndexes = new WeakMap<FlagOccurrence[], FlagOccurrence[] | null>();
const INDEX_FROM = 16;
function holderIndexOf(flags: FlagOccurrence[]): FlagOccurrence[] | null {
  if (flags.length < INDEX_FROM) return null;
  let index = holderIndexes.get(flags);
  if (index !== undefined) return index;
  const held = flags.filter((f) => holderOf(f)).sort((a, b) => holderOf(a)!.start - holderOf(b)!.start);
  index = held;
  for (let i = 1; i < held.length; i++) if (holderOf(held[i])!.start <= holderOf(held[i - 1])!.end) index = null;
  holderIndexes.set(flags, index);
  return index;
}

/** The flag of a disjoint, sorted index whose holder starts last at or before `span.start`. */
function candidates(index: FlagOccurrence[], span: { start: number }): FlagOccurrence[] {
  let lo = 0;
  let hi = index.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (holderOf(index[mid])!.start <= span.start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? [] : [index[found]];
}

/**
 * fixReplaceSpan replaces the decoded characters that came from `span` with `replacement`, inside
 * whichever of `flags` holds them.
 */
export function fixReplaceSpan(
  model: FileModel,
  flags: FlagOccurrence[],
  span: { start: number; end: number },
  replacement: string,
  title: string,
  applicability: Applicability,
  owner?: Invocation,
): Fix | undefined {
  const index = holderIndexOf(flags);
  for (const flag of index ? candidates(index, span) : flags) {
    const arg = flag.valueArg;
    const holder = holderOf(flag);
    if (!arg || !holder || holder.start > span.start || holder.end < span.end) continue;
    const r = rangeForSpan(arg, span);
    if (!r) return undefined;
    return fixFor(model, { flag, piece: arg.value, changes: [{ from: r.from, to: r.to, replacement }] }, title, applicability, owner);
  }
  return undefined;
}

const BLANKS_AND_CONTINUATIONS = /^(?:[ \t]|\\\r?\n)+$/;

/**
 * joinWords is the edit that glues two adjacent shell words into one by replacing the blanks
 * (and line continuations) between them with `sep`. The shell then reads the concatenation of
 * both words as written, so quoting inside either word is untouched. Null when anything but
 * blanks separates them.
 */
export function joinWords(text: string, a: Arg, b: Arg, sep = ''): Edit | null {
  const gap = text.slice(a.span.end, b.span.start);
  if (a.span.end >= b.span.start || !BLANKS_AND_CONTINUATIONS.test(gap)) return null;
  return { span: { start: a.span.end, end: b.span.start }, newText: sep };
}

interface ValueSpanIndex {
  /** Flags with a non-empty value span, by span start; `order` is the flag's place on the command. */
  sorted: { flag: FlagOccurrence; start: number; end: number; order: number }[];
  /** No two value spans overlap (values written in place): a lookup is a binary search. */
  disjoint: boolean;
}

const valueSpanIndexes = new WeakMap<CreateModel, ValueSpanIndex>();

/**
 * forgetCreateIndex drops what was computed for a create model, for a caller that gives the model
 * new content in place (the incremental lint, engine/incremental.ts, when the builder graph that
 * points at it stays valid).
 */
export function forgetCreateIndex(create: CreateModel): void {
  valueSpanIndexes.delete(create);
}

function valueSpanIndex(create: CreateModel): ValueSpanIndex {
  let ix = valueSpanIndexes.get(create);
  if (ix) return ix;
  const sorted: ValueSpanIndex['sorted'] = [];
  create.driverOptFlags.forEach((flag, order) => {
    if (flag.value && flag.valueSpan && flag.valueSpan.start < flag.valueSpan.end) sorted.push({ flag, start: flag.valueSpan.start, end: flag.valueSpan.end, order });
  });
  sorted.sort((a, b) => a.start - b.start || a.order - b.order);
  let disjoint = true;
  for (let i = 1; i < sorted.length && disjoint; i++) if (sorted[i].start < sorted[i - 1].end) disjoint = false;
  valueSpanIndexes.set(create, (ix = { sorted, disjoint }));
  return ix;
}

/**
 * driverOptFlagAt is the first `--driver-opt` occurrence whose value holds `span`. One lookup per
 * problem: a create with thousands of flags must not scan them all each time.
 */
export function driverOptFlagAt(create: CreateModel, span: Span): FlagOccurrence | undefined {
  const { sorted, disjoint } = valueSpanIndex(create);
  if (!disjoint) return create.driverOptFlags.find((f) => f.value && f.valueSpan && spansOverlap(f.valueSpan, span));
  // Disjoint and sorted: the ends grow too, and the spans that overlap are one run.
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].end <= span.start) lo = mid + 1;
    else hi = mid;
  }
  let best: ValueSpanIndex['sorted'][number] | undefined;
  for (let k = lo; k < sorted.length && sorted[k].start < span.end; k++) {
    if (spansOverlap(sorted[k], span) && (!best || sorted[k].order < best.order)) best = sorted[k];
  }
  return best?.flag;
}
