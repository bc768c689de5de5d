/**
 * Span is a range of the original file: 0-based offsets in UTF-16 code units (JavaScript string
 * indices, the LSP default encoding), end exclusive.
 */
export interface Span {
  start: number;
  end: number;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

export function spanCovers(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

export function spansOverlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
