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

/** identity maps `text.slice(start, end)` onto itself, offset by `base`. */
export function identity(text: string, start = 0, end = text.length, base = 0): MappedString {
  const n = end - start;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = start + i + base;
    ends[i] = start + i + 1 + base;
  }
  return { text: text.slice(start, end), starts, ends, endOffset: end + base };
}

/** sliceMapped is `text.slice(from, to)` keeping the map. */
export function sliceMapped(s: MappedString, from: number, to: number = s.text.length): MappedString {
  if (from < 0) from = 0;
  if (to > s.text.length) to = s.text.length;
  if (to < from) to = from;
  const endOffset = to < s.text.length ? s.starts[to] : s.endOffset;
  // Views, not copies: mapped strings are never mutated, and slicing is on every hot path.
  return {
    text: s.text.slice(from, to),
    starts: s.starts.subarray(from, to),
    ends: s.ends.subarray(from, to),
    endOffset: to > from ? s.ends[to - 1] : endOffset,
  };
}

/** spanOf returns the source span covering characters [from, to) of the decoded string. */
export function spanOf(s: MappedString, from = 0, to: number = s.text.length): Span {
  if (to > s.text.length) to = s.text.length;
  if (from >= to) {
    const at = from < s.text.length ? s.starts[from] : s.endOffset;
    return { start: at, end: at };
  }
  let start = s.starts[from];
  let end = s.ends[to - 1];
  // Layers may reorder nothing, but be defensive: cover every character in the range.
  for (let i = from; i < to; i++) {
    if (s.starts[i] < start) start = s.starts[i];
    if (s.ends[i] > end) end = s.ends[i];
  }
  return { start, end };
}

/** Builder accumulates characters with their source ranges. */
export class MappedStringBuilder {
  private chars: string[] = [];
  private startList: number[] = [];
  private endList: number[] = [];

  get length(): number {
    return this.chars.length;
  }

  push(ch: string, start: number, end: number): void {
    // Characters are UTF-16 code units; a surrogate pair is pushed as two units with the same range.
    for (let i = 0; i < ch.length; i++) {
      this.chars.push(ch[i]);
      this.startList.push(start);
      this.endList.push(end);
    }
  }

  append(s: MappedString): void {
    for (let i = 0; i < s.text.length; i++) {
      this.chars.push(s.text[i]);
      this.startList.push(s.starts[i]);
      this.endList.push(s.ends[i]);
    }
  }

  build(endOffset: number): MappedString {
    return {
      text: this.chars.join(''),
      starts: Int32Array.from(this.startList),
      ends: Int32Array.from(this.endList),
      endOffset,
    };
  }
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
  for (let i = 0; i < s.text.length; i++) {
    if (s.text[i] === sep) {
      out.push(sliceMapped(s, from, i));
      from = i + 1;
    }
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
