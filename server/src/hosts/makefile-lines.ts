/**
 * Makefile logical lines: consumes the text of a Makefile and produces its logical lines the way
 * GNU make's `readline` builds them (physical lines joined while they end in an odd number of
 * backslashes, the backslash-newline kept, a CR before each LF dropped, a leading UTF-8 BOM
 * skipped), each able to produce a MappedString whose characters map to file offsets.
 */
import { fromOffsets, MappedStringBuilder, sliceWithEnd, startAt, type MappedString } from '../core/mapped-string';

/**
 * Seq is the host's working form of text with its map: a MappedString kept as runs, so a recipe
 * line that maps 1:1 onto the file (most of them) costs one run, not two numbers per character,
 * and slicing it copies nothing.
 */
export type Seq = MappedString;

/** MapBuilder accumulates a Seq, run by run. */
export class MapBuilder {
  private readonly b = new MappedStringBuilder();

  get length(): number {
    return this.b.length;
  }

  /** push adds text whose every character maps to [start, end). */
  push(text: string, start: number, end: number): void {
    this.b.push(text, start, end);
  }

  /** pushIdentity adds text that sits in the file unchanged from offset `at`. */
  pushIdentity(text: string, at: number): void {
    this.b.pushVerbatim(text, at);
  }

  /** copy adds characters [from, to) of a Seq with their ranges. */
  copy(q: Seq, from: number, to: number): void {
    this.b.appendSlice(q, from, to);
  }

  build(endOffset: number): Seq {
    return this.b.build(endOffset);
  }
}

/**
 * CharMapBuilder builds a Seq one character at a time over plain arrays, for the rare rewrites
 * that drop or merge single characters (recipe prefixes after newlines, continuations inside a
 * reference); they read their input's per-character arrays.
 */
export class CharMapBuilder {
  readonly c: string[] = [];
  readonly s: number[] = [];
  readonly e: number[] = [];

  put(c: string, start: number, end: number): void {
    this.c.push(c);
    this.s.push(start);
    this.e.push(end);
  }

  build(endOffset: number): Seq {
    return fromOffsets(this.c.join(''), this.s, this.e, endOffset);
  }
}

/** seqSlice is `text.slice(from, to)` keeping the map; an inner slice ends where its next character starts. */
export function seqSlice(q: Seq, from: number, to: number = q.text.length): Seq {
  if (from === 0 && to === q.text.length) return q;
  return sliceWithEnd(q, from, to, to < q.text.length ? startAt(q, to) : q.endOffset);
}

/** toMapped gives the region's source: a Seq already is one. */
export function toMapped(q: Seq): MappedString {
  return q;
}

/**
 * One logical line. Physical line k covers file range [segs[3k], segs[3k+1]) (content, CR
 * excluded); segs[3k+2] is the offset of its LF, or -1 for a last line without one. In `text`
 * the physical lines are joined by '\n'.
 */
export interface LogicalLine {
  text: string;
  segs: number[];
  /** File offset of the first character of the line. */
  start: number;
  /** A line of an `$(eval …)` text: every character maps to this span of the file. */
  fixed?: { start: number; end: number };
}

export function splitLogicalLines(src: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pos = 0;
  // make skips a UTF-8 BOM on the first line; decoded text shows it as U+FEFF.
  if (src.charCodeAt(0) === 0xfeff) pos = 1;
  const n = src.length;
  while (pos < n) {
    const segs: number[] = [];
    const parts: string[] = [];
    const start = pos;
    for (;;) {
      let lf = src.indexOf('\n', pos);
      let contentEnd: number;
      let next: number;
      if (lf < 0) {
        contentEnd = n;
        next = n;
        lf = -1;
      } else {
        contentEnd = lf;
        next = lf + 1;
        // make drops the CR of a CRLF ending before it looks for a trailing backslash.
        if (contentEnd > pos && src.charCodeAt(contentEnd - 1) === 13) contentEnd--;
      }
      segs.push(pos, contentEnd, lf);
      parts.push(src.slice(pos, contentEnd));
      pos = next;
      if (lf < 0) break;
      let bs = 0;
      for (let i = contentEnd - 1; i >= segs[segs.length - 3] && src.charCodeAt(i) === 92; i--) bs++;
      // Backslashes of a previous physical line cannot run into this one: the '\n' between them
      // stops the count, as in make's buffer.
      if ((bs & 1) === 0 || pos >= n) {
        if ((bs & 1) === 1 && pos >= n) {
          // A final `\` + LF at end of file: make reads one more (empty) line and finds EOF.
          segs.push(pos, pos, -1);
          parts.push('');
        }
        break;
      }
    }
    out.push({ text: parts.join('\n'), segs, start });
  }
  return out;
}

/** mapLine maps text[from, to) of a logical line to file offsets. */
export function mapLine(line: LogicalLine, from = 0, to: number = line.text.length): Seq {
  const b = new MapBuilder();
  if (line.fixed) {
    b.push(line.text.slice(from, to), line.fixed.start, line.fixed.end);
    return b.build(line.fixed.end);
  }
  let textPos = 0;
  let endOffset = -1;
  const segs = line.segs;
  for (let k = 0; k < segs.length && textPos <= to; k += 3) {
    const s = segs[k];
    const len = segs[k + 1] - s;
    const lo = Math.max(from, textPos);
    const hi = Math.min(to, textPos + len);
    if (hi > lo) b.pushIdentity(line.text.slice(lo, hi), s + (lo - textPos));
    if (endOffset < 0 && to <= textPos + len) endOffset = s + (to - textPos);
    textPos += len;
    if (textPos >= from && textPos < to && k + 3 < segs.length) {
      // The joining '\n' maps to the LF of this physical line.
      const lf = segs[k + 2];
      b.push('\n', lf, lf + 1);
    }
    textPos += 1;
  }
  if (endOffset < 0) endOffset = lineEnd(line);
  return b.build(endOffset);
}

/** lineEnd is the file offset just past the content of the logical line's last physical line. */
export function lineEnd(line: LogicalLine): number {
  return line.segs[line.segs.length - 2];
}

/** lineTerminator is the offset of the LF ending the logical line, or -1 at end of file. */
export function lineTerminator(line: LogicalLine): number {
  return line.segs[line.segs.length - 1];
}
