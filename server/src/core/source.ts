/**
 * LineIndex converts original-file offsets (UTF-16 code units) to 1-based line and column.
 * Columns are counted in UTF-16 code units, as LSP does by default.
 */
export class LineIndex {
  /**
   * Counted first, then filled: a growing array of a file of a million short lines was some 25 MB
   * of copies for 4 MB of starts, and the engine and the report each index the file.
   */
  readonly lineStarts: Int32Array;

  constructor(readonly text: string) {
    const lfOnly = text.indexOf('\r') < 0;
    const ends = (fill: Int32Array | null): number => {
      let n = 1;
      if (lfOnly) {
        // The common case, without a look at every character: only LF ends a line.
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
          if (fill) fill[n] = i + 1;
          n++;
        }
        return n;
      }
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
          if (fill) fill[n] = i + 1;
          n++;
        }
      }
      return n;
    };
    this.lineStarts = new Int32Array(ends(null));
    ends(this.lineStarts);
  }

  /** position returns the 0-based line and 0-based character of an offset. */
  position(offset: number): { line: number; character: number } {
    if (offset < 0) offset = 0;
    if (offset > this.text.length) offset = this.text.length;
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.lineStarts[lo] };
  }

  /** offsetAt is the inverse of position (0-based line and character). */
  offsetAt(line: number, character: number): number {
    if (line < 0) return 0;
    if (line >= this.lineStarts.length) return this.text.length;
    return Math.min(this.lineStarts[line] + character, this.lineText(line).length + this.lineStarts[line]);
  }

  lineCount(): number {
    return this.lineStarts.length;
  }

  /** lineText returns line `line` (0-based) without its terminator. */
  lineText(line: number): string {
    const start = this.lineStarts[line];
    let end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return this.text.slice(start, end);
  }
}
