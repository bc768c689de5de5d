/**
 * Allocation-light parts for the shell parser.
 *
 * The parser creates a value for every literal, quoted and escaped part of every word, but only
 * the words of a few commands are ever decoded (and most files are skipped altogether). A part
 * only remembers its range of the parser's source; its span and value are made on first use, and
 * the value is a slice of the source (sharing its runs: no per-character storage).
 */
import { endAt, MappedStringBuilder, sliceMapped, startAt, type MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';
import type { WordPart } from './ast';

/** A SlicePart's set span and its value (made when asked for). */
class SpanAndValue {
  constructor(
    readonly span: Span,
    public value: MappedString | undefined,
  ) {}
}

/**
 * A Lit, SglQuoted or Escaped part whose value is the source range [a, b): the span and value
 * objects are only made when asked for. `kind` is an ordinary property.
 *
 * The span covers the value plus the syntax around it: `\` before an Escaped, the quotes of a
 * SglQuoted (no closing one when it is unterminated, i.e. runs to the end of the source). It is
 * made on each read, as a LazyWord's is; the value is kept once made.
 */
export class SlicePart {
  readonly kind: 'lit' | 'sq' | 'esc';
  #src: MappedString;
  #a: number;
  #b: number;
  /** The value once made, or a span that was set with the value (a SpanAndValue). */
  #made: MappedString | SpanAndValue | undefined = undefined;

  constructor(kind: 'lit' | 'sq' | 'esc', src: MappedString, a: number, b: number) {
    this.kind = kind;
    this.#src = src;
    this.#a = a;
    this.#b = b;
  }

  get span(): Span {
    const m = this.#made;
    if (m instanceof SpanAndValue) return m.span;
    const src = this.#src;
    let a = this.#a;
    let b = this.#b;
    if (this.kind !== 'lit') a--;
    if (this.kind === 'sq' && b < src.text.length) b++;
    return { start: startAt(src, a), end: endAt(src, Math.min(b, src.text.length) - 1) };
  }
  set span(span: Span) {
    const m = this.#made;
    this.#made = new SpanAndValue(span, m instanceof SpanAndValue ? m.value : m);
  }

  get value(): MappedString {
    const m = this.#made;
    if (m instanceof SpanAndValue) return (m.value ??= this.slice());
    return (this.#made = m ?? this.slice());
  }

  /** The value, made. Not a `#` method: those give every instance a brand slot. */
  private slice(): MappedString {
    // sliceMapped clamps: a lit can end past the source (after a trailing `\` in an extglob).
    return sliceMapped(this.#src, this.#a, this.#b);
  }

  /** `value.text.includes(ch)` for one UTF-16 unit `ch`, without making the value. */
  includesUnit(ch: string): boolean {
    const m = this.#made;
    const value = m instanceof SpanAndValue ? m.value : m;
    if (value) return value.text.includes(ch);
    const text = this.#src.text;
    const code = ch.charCodeAt(0);
    const end = Math.min(this.#b, text.length);
    for (let i = Math.max(this.#a, 0); i < end; i++) if (text.charCodeAt(i) === code) return true;
    return false;
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

/** Whether a literal part's value holds the UTF-16 unit `ch`; reads a SlicePart's source directly. */
export function litIncludesUnit(p: WordPart, ch: string): boolean {
  const q = p as unknown;
  if (q instanceof SlicePart) return q.includesUnit(ch);
  return p.kind === 'lit' && p.value.text.includes(ch);
}

/** Builds a MappedString from ranges of a source and single synthesised characters, as runs. */
export class RangeBuilder {
  private readonly b = new MappedStringBuilder();

  constructor(private readonly src: MappedString) {}

  /** Appends source characters [a, b) with their own ranges. */
  range(a: number, b: number): void {
    this.b.appendSlice(this.src, a, b);
  }

  /** Appends `ch` (one or more UTF-16 units), every unit mapped to [start, end). */
  push(ch: string, start: number, end: number): void {
    this.b.push(ch, start, end);
  }

  build(endOffset: number): MappedString {
    return this.b.build(endOffset);
  }
}

/** What a LazyWord needs from the parser that made it. */
export interface WordSource {
  readonly src: MappedString;
  /** Reads the parts of the word at [a, b) again, exactly as the first reading would have. */
  reparseWord(a: number, b: number): WordPart[];
}

/** A LazyWord's set span and its parts, when it holds both (see LazyWord's `#made`). */
class SpanAndParts {
  constructor(
    readonly span: Span,
    readonly parts: WordPart[],
  ) {}
}

/**
 * A Word the lexer recognised as flat: only literal runs, `\x` escapes, closed '…', closed "…"
 * holding plain text and `$NAME`, and `$NAME`/`$1`/`$@`-style parameters. Nothing in such a word
 * runs commands or can be a syntax error, so its parts are only read when asked for (most words
 * never are), from the same source range, by the same code: they are the parts an eager reading
 * would have produced.
 *
 * Most of an AST is these words (nine of a command's ~1 KB were 650 bytes), so a word keeps four
 * fields: its source, its range with the literal flag in the sign of the end, and one slot for
 * the parts once read (and a span that was set, the two together when both are).
 */
export class LazyWord {
  #owner: WordSource;
  #a: number;
  /** The end b of the range [a, b), or ~b (negative) when the word is one literal run. */
  #b: number;
  /** The parts once read, a span that was set, or both (a SpanAndParts). */
  #made: Span | WordPart[] | SpanAndParts | undefined = undefined;

  /**
   * `literal`: the lexer saw one run of characters that are literal in a word, [a, b) whole. Its
   * parts are then that one Lit, which is what reading it again would give, without the reading.
   */
  constructor(owner: WordSource, a: number, b: number, literal = false) {
    this.#owner = owner;
    this.#a = a;
    this.#b = literal ? ~b : b;
  }

  /** The range's end (the literal flag taken off). Not a `#` method: those give every instance a brand slot. */
  private rangeEnd(): number {
    const b = this.#b;
    return b < 0 ? ~b : b;
  }

  /** Where the word starts in original-file offsets: `span.start`, without making the span. */
  startOffset(): number {
    const span = this.madeSpan();
    if (span) return span.start;
    return startAt(this.#owner.src, this.#a);
  }

  /** Where the word ends in original-file offsets: `span.end`, without making the span. */
  endOffset(): number {
    const span = this.madeSpan();
    if (span) return span.end;
    return endAt(this.#owner.src, this.rangeEnd() - 1);
  }

  /**
   * A new span on each call (one that was set is kept): most words' spans are read once, by a
   * reader that keeps what it needs of them (the limits check reads every word of a long file),
   * and a span cached on each of them outlived its use as long as the AST.
   */
  get span(): Span {
    const made = this.madeSpan();
    if (made) return made;
    const src = this.#owner.src;
    return { start: startAt(src, this.#a), end: endAt(src, this.rangeEnd() - 1) };
  }
  set span(span: Span) {
    const parts = this.madeParts();
    this.#made = parts ? new SpanAndParts(span, parts) : span;
  }

  /** The parts read so far, else undefined. */
  private madeParts(): WordPart[] | undefined {
    const m = this.#made;
    if (Array.isArray(m)) return m;
    return m instanceof SpanAndParts ? m.parts : undefined;
  }
  /** The span made so far, else undefined. */
  private madeSpan(): Span | undefined {
    const m = this.#made;
    if (m === undefined || Array.isArray(m)) return undefined;
    return m instanceof SpanAndParts ? m.span : m;
  }

  get parts(): WordPart[] {
    const made = this.madeParts();
    if (made) return made;
    const b = this.#b;
    const parts = b < 0 ? [new SlicePart('lit', this.#owner.src, this.#a, ~b) as unknown as WordPart] : this.#owner.reparseWord(this.#a, b);
    this.parts = parts;
    return parts;
  }
  set parts(parts: WordPart[]) {
    const span = this.madeSpan();
    this.#made = span ? new SpanAndParts(span, parts) : parts;
  }

  /**
   * Drops the parts read so far; asking for them reads them again, the same. A file model keeps
   * every argument's word, and after extraction almost none is read again (a fix, a hover): the
   * parts were most of what a command's model weighed.
   */
  forgetParts(): void {
    this.#made = this.madeSpan();
  }

  /** Whether the lexer saw the word as one literal run (see the constructor): its parts are one Lit. */
  get isLiteral(): boolean {
    return this.#b < 0;
  }

  /**
   * The value of a literal word's one Lit (the parts' own when they were read), else null: most
   * arguments are such words, and their field needs nothing else of them.
   */
  literalValue(): MappedString | null {
    const b = this.#b;
    if (b >= 0) return null;
    const parts = this.madeParts();
    if (parts) return parts.length === 1 && parts[0].kind === 'lit' ? parts[0].value : null;
    return sliceMapped(this.#owner.src, this.#a, ~b);
  }

  /** `literalValue().text.includes(ch)` for one UTF-16 unit `ch` of a literal word, without making the value. */
  literalIncludesUnit(ch: string): boolean {
    const text = this.#owner.src.text;
    const code = ch.charCodeAt(0);
    const end = Math.min(this.rangeEnd(), text.length);
    for (let i = Math.max(this.#a, 0); i < end; i++) if (text.charCodeAt(i) === code) return true;
    return false;
  }

  /** The value of a word the lexer saw as one literal run (see the constructor), else null; reads no parts. */
  literalText(): string | null {
    const b = this.#b;
    if (b >= 0) return null;
    const text = this.#owner.src.text;
    return text.slice(Math.max(this.#a, 0), Math.min(~b, text.length));
  }
}
