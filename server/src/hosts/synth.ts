/**
 * Synthesised shell text: a command an action runs with an argv it computes from its inputs
 * (docker/setup-buildx-action runs `docker buildx create …` through Node's execFile, not a shell).
 * Each argv element is written as one single-quoted word whose characters map back to the input
 * text they came from; the quotes, the spaces and the line breaks the synthesis adds map to empty
 * spans, so nothing downstream points at text that is not in the file.
 */
import { DYNAMIC, MappedStringBuilder, type MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';

/** fixedText is text that stands for a whole span of the file (a flag an input produces). */
export function fixedText(text: string, span: Span): MappedString {
  const b = new MappedStringBuilder();
  b.push(text, span.start, span.end);
  return b.build(span.end);
}

export class SynthScript {
  private b = new MappedStringBuilder();
  private last = 0;
  private words = 0;

  /**
   * word appends one argv element; `at` places an empty word. With `mayVary`, each DYNAMIC
   * character is written outside the quotes: an action list item such as
   * `tags: ${{ steps.meta.outputs.tags }}` may stand for several items, or none.
   */
  word(value: MappedString, at: Span, mayVary = false): void {
    const first = value.text.length ? value.starts[0] : at.start;
    if (this.words++) this.b.push(' ', this.last, this.last);
    this.b.push("'", first, first);
    for (let i = 0; i < value.text.length; i++) {
      if (mayVary && value.text[i] === DYNAMIC) {
        this.b.push("'", value.starts[i], value.starts[i]);
        this.b.push(DYNAMIC, value.starts[i], value.ends[i]);
        this.b.push("'", value.ends[i], value.ends[i]);
      } else if (value.text[i] === "'") {
        // `'\''`: close, an escaped quote carrying the character's origin, reopen.
        this.b.push("'", value.starts[i], value.starts[i]);
        this.b.push('\\', value.starts[i], value.starts[i]);
        this.b.push("'", value.starts[i], value.ends[i]);
        this.b.push("'", value.ends[i], value.ends[i]);
      } else this.b.push(value.text[i], value.starts[i], value.ends[i]);
    }
    const end = value.text.length ? value.ends[value.text.length - 1] : at.end;
    // An empty argument's closing quote stands for the whole input, so the argument has a span.
    this.b.push("'", value.text.length ? end : at.start, end);
    this.last = end;
  }

  /** fixed appends a synthesised argv element standing for `span`. */
  fixed(text: string, span: Span): void {
    this.word(fixedText(text, span), span);
  }

  endCommand(): void {
    if (!this.words) return;
    this.b.push('\n', this.last, this.last);
    this.words = 0;
  }

  get empty(): boolean {
    return this.b.length === 0;
  }

  build(): MappedString {
    this.endCommand();
    return this.b.build(this.last);
  }
}
