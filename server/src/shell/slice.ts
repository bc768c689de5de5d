/**
 * Allocation-light MappedStrings for the shell parser.
 *
 * The parser creates a value for every literal, quoted and escaped part of every word, but only
 * the words of a few commands are ever decoded (and most files are skipped altogether). A
 * SourceSlice is a MappedString that only remembers its range of the parser's source: its text
 * and offset arrays are made on first use (sharing the source's arrays as subarray views), so a
 * part costs one small object instead of a string and two typed arrays.
 */
import type { MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';
import type { WordPart } from './ast';

export class SourceSlice implements MappedString {
  #src: MappedString;
  #a: number;
  #b: number;
  #text: string | undefined = undefined;
  #starts: Int32Array | undefined = undefined;
  #ends: Int32Array | undefined = undefined;

  /**
   * `src.text.slice(a, b)` with its map. endOffset defaults to what sliceMapped gives: the end of
   * the last character, or for an empty slice the start of the next character.
   */
  #endOffset: number;

  constructor(src: MappedString, a: number, b: number, endOffset = -1) {
    this.#src = src;
    this.#a = a;
    this.#b = b;
    this.#endOffset = endOffset;
  }

  get endOffset(): number {
    if (this.#endOffset >= 0) return this.#endOffset;
    const src = this.#src;
    const a = this.#a;
    const b = this.#b;
    return b > a ? src.ends[b - 1] : a < src.text.length ? src.starts[a] : src.endOffset;
  }

  get text(): string {
    return (this.#text ??= this.#src.text.slice(this.#a, this.#b));
  }
  get starts(): Int32Array {
    return (this.#starts ??= this.#src.starts.subarray(this.#a, this.#b));
  }
  get ends(): Int32Array {
    return (this.#ends ??= this.#src.ends.subarray(this.#a, this.#b));
  }
}

/**
 * A Lit, SglQuoted or Escaped part whose value is the source range [a, b): the span and value
 * objects are only made when asked for. `kind` is an ordinary property.
 *
 * The span covers the value plus the syntax around it: `\` before an Escaped, the quotes of a
 * SglQuoted (no closing one when it is unterminated, i.e. runs to the end of the source).
 */
export class SlicePart {
  readonly kind: 'lit' | 'sq' | 'esc';
  #src: MappedString;
  #a: number;
  #b: number;
  #span: Span | undefined = undefined;
  #value: SourceSlice | undefined = undefined;

  constructor(kind: 'lit' | 'sq' | 'esc', src: MappedString, a: number, b: number) {
    this.kind = kind;
    this.#src = src;
    this.#a = a;
    this.#b = b;
  }

  get span(): Span {
    if (this.#span) return this.#span;
    const src = this.#src;
    let a = this.#a;
    let b = this.#b;
    if (this.kind !== 'lit') a--;
    if (this.kind === 'sq' && b < src.text.length) b++;
    return (this.#span = { start: src.starts[a], end: src.ends[b - 1] });
  }
  set span(span: Span) {
    this.#span = span;
  }

  get value(): MappedString {
    return (this.#value ??= new SourceSlice(this.#src, this.#a, this.#b));
  }

  /** The value's source, for the parser's own fast paths. */
  isIn(src: MappedString): boolean {
    return this.#src === src;
  }
  /** Index range of the value in its source. */
  get from(): number {
    return this.#a;
  }
  get to(): number {
    return this.#b;
  }
}

/**
 * Builds a MappedString from ranges of a source and single synthesised characters, with typed
 * offset arrays (no per-character JS arrays or strings).
 */
export class RangeBuilder {
  private pieces: string[] = [];
  private starts: Int32Array;
  private ends: Int32Array;
  private len = 0;

  constructor(
    private readonly src: MappedString,
    capacity = 16,
  ) {
    this.starts = new Int32Array(Math.max(capacity, 16));
    this.ends = new Int32Array(Math.max(capacity, 16));
  }

  private reserve(extra: number): void {
    const need = this.len + extra;
    if (need <= this.starts.length) return;
    let cap = this.starts.length * 2;
    while (cap < need) cap *= 2;
    const s = new Int32Array(cap);
    s.set(this.starts.subarray(0, this.len));
    const e = new Int32Array(cap);
    e.set(this.ends.subarray(0, this.len));
    this.starts = s;
    this.ends = e;
  }

  /** Appends source characters [a, b) with their own ranges. */
  range(a: number, b: number): void {
    if (b <= a) return;
    this.reserve(b - a);
    this.pieces.push(this.src.text.slice(a, b));
    this.starts.set(this.src.starts.subarray(a, b), this.len);
    this.ends.set(this.src.ends.subarray(a, b), this.len);
    this.len += b - a;
  }

  /** Appends `ch` (one or more UTF-16 units), every unit mapped to [start, end). */
  push(ch: string, start: number, end: number): void {
    const n = ch.length;
    this.reserve(n);
    this.pieces.push(ch);
    for (let i = 0; i < n; i++) {
      this.starts[this.len] = start;
      this.ends[this.len] = end;
      this.len++;
    }
  }

  build(endOffset: number): MappedString {
    return {
      text: this.pieces.length === 1 ? this.pieces[0] : this.pieces.join(''),
      starts: this.starts.slice(0, this.len),
      ends: this.ends.slice(0, this.len),
      endOffset,
    };
  }
}

/** What a LazyWord needs from the parser that made it. */
export interface WordSource {
  readonly src: MappedString;
  /** Reads the parts of the word at [a, b) again, exactly as the first reading would have. */
  reparseWord(a: number, b: number): WordPart[];
}

/**
 * A Word the lexer recognised as flat: only literal runs, `\x` escapes, closed '…', closed "…"
 * holding plain text and `$NAME`, and `$NAME`/`$1`/`$@`-style parameters. Nothing in such a word
 * runs commands or can be a syntax error, so its parts are only read when asked for (most words
 * never are), from the same source range, by the same code: they are the parts an eager reading
 * would have produced.
 */
export class LazyWord {
  #owner: WordSource;
  #a: number;
  #b: number;
  #parts: WordPart[] | undefined = undefined;
  #span: Span | undefined = undefined;

  constructor(owner: WordSource, a: number, b: number) {
    this.#owner = owner;
    this.#a = a;
    this.#b = b;
  }

  get span(): Span {
    if (this.#span) return this.#span;
    const src = this.#owner.src;
    return (this.#span = { start: src.starts[this.#a], end: src.ends[this.#b - 1] });
  }
  set span(span: Span) {
    this.#span = span;
  }

  get parts(): WordPart[] {
    return (this.#parts ??= this.#owner.reparseWord(this.#a, this.#b));
  }
  set parts(parts: WordPart[]) {
    this.#parts = parts;
  }
}
