import type { Span } from './span';

/** Edit replaces the original-file span with new text. */
export interface Edit {
  span: Span;
  newText: string;
}

/**
 * Applicability follows Ruff: a `safe` fix makes buildx receive exactly what the author evidently
 * meant; an `unsafe` fix picks a likely meaning that the author should confirm.
 */
export type Applicability = 'safe' | 'unsafe';

export interface Fix {
  title: string;
  applicability: Applicability;
  edits: Edit[];
}

/**
 * applyEdits applies non-overlapping edits to text. Edits that overlap an earlier (by start) edit
 * are skipped and returned in `skipped`.
 */
export function applyEdits(text: string, edits: Edit[]): { text: string; skipped: Edit[] } {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const out: string[] = [];
  const skipped: Edit[] = [];
  let pos = 0;
  for (const e of sorted) {
    if (e.span.start < pos) {
      skipped.push(e);
      continue;
    }
    out.push(text.slice(pos, e.span.start), e.newText);
    pos = e.span.end;
  }
  out.push(text.slice(pos));
  return { text: out.join(''), skipped };
}
