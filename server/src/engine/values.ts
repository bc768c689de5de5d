/**
 * Findings about values that came through variables, handled once for every rule:
 * - a finding inside a value written elsewhere (`PLATFORMS=…` read by `--platform "$PLATFORMS"`)
 *   gets the use as a related location;
 * - a piece made of a value and of the use's own text (`"$REG/app:b"`) is reported at the use;
 * - a finding inside a default (`${P:-linux/amd64}`) says it holds "when P is unset";
 * - a fix is kept only when its edits touch no value the file reads more than once, keep each `$X`
 *   of a use site as written, and touch nothing inside the text of `sh -c '…'`/`trap '…'` (one
 *   edit there would need two layers of quoting);
 * - the same finding reached through several uses (one wrapper body, two call sites) is one.
 * Lookups go through sorted indexes, so the cost stays near linear in findings plus uses.
 */
import type { Diagnostic, RelatedInfo } from '../core/diagnostic';
import type { Span } from '../core/span';
import type { Invocation } from '../extract/invocation';
import type { DefaultUse, ValueUse } from '../shell/expand';

const MAX_RELATED_USES = 5;
/** Values rarely nest (a default inside an assignment): a few spans back is enough. */
const LOOK_BACK = 16;

function inside(a: Span, b: Span): boolean {
  return a.start >= b.start && a.end <= b.end;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Spans sorted by start, each with what it carries; `around(x)` gives those that may hold x. */
class SpanIndex<T> {
  private items: { span: Span; value: T }[] = [];
  private sorted = false;

  add(span: Span, value: T): void {
    this.items.push({ span, value });
    this.sorted = false;
  }

  get size(): number {
    return this.items.length;
  }

  /** Entries whose span starts at or before `at`, nearest first, at most LOOK_BACK spans. */
  *around(at: number): Generator<{ span: Span; value: T }> {
    if (!this.sorted) {
      this.items.sort((a, b) => a.span.start - b.span.start);
      this.sorted = true;
    }
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid].span.start <= at) lo = mid + 1;
      else hi = mid;
    }
    let distinct = 0;
    let last = -1;
    for (let i = lo - 1; i >= 0 && distinct <= LOOK_BACK; i--) {
      const it = this.items[i];
      if (it.span.start !== last) {
        distinct++;
        last = it.span.start;
      }
      yield it;
    }
  }
}

interface UseAt {
  use: ValueUse;
  inv: Invocation;
}

export function annotateValueFindings(text: string, diagnostics: Diagnostic[], invocations: Invocation[]): Diagnostic[] {
  // One group per written value: every use of it.
  const values = new SpanIndex<UseAt[]>();
  const groups = new Map<string, UseAt[]>();
  const useSites = new SpanIndex<UseAt>();
  const defaults = new SpanIndex<DefaultUse>();
  const strings = new SpanIndex<null>();
  const seenDefault = new Set<DefaultUse>();
  for (const inv of invocations) {
    if (inv.hidden && inv.hidden.kind !== 'wrapper') strings.add(inv.hidden.span, null);
    for (const a of inv.argv) {
      if (!a.uses && !a.defaults) continue;
      for (const u of a.uses ?? []) {
        const at = { use: u, inv };
        useSites.add(u.useSpan, at);
        for (const s of u.valueSpans) {
          const key = `${s.start}:${s.end}`;
          let g = groups.get(key);
          if (!g) {
            groups.set(key, (g = []));
            values.add(s, g);
          }
          g.push(at);
        }
      }
      for (const d of a.defaults ?? []) {
        if (seenDefault.has(d)) continue;
        seenDefault.add(d);
        defaults.add(d.span, d);
      }
    }
  }
  if (!values.size && !defaults.size && !strings.size) return diagnostics;
  const out: Diagnostic[] = [];
  const seen = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    // A piece made of a value written elsewhere and of the use's own text spans everything between
    // them: report it at the use, with the value as a note.
    let mixed: { at: UseAt; from: Span } | null = null;
    for (const { span, value } of values.around(d.span.start)) {
      if (d.span.start >= span.end || d.span.end <= span.end) continue;
      for (const at of value) {
        const { use, inv } = at;
        if (!inside(use.useSpan, inv.span) || use.useSpan.start >= d.span.end) continue;
        // Of several uses of the value, the piece starts at the last one before its end.
        if (!mixed || use.useSpan.start > mixed.at.use.useSpan.start) mixed = { at, from: span };
      }
    }
    if (mixed) {
      const { use, inv } = mixed.at;
      const end = d.span.end <= inv.span.end && d.span.end > use.useSpan.end ? d.span.end : use.useSpan.end;
      d.span = { start: use.useSpan.start, end };
      (d.related ??= []).push({ span: mixed.from, message: `the value of ${use.name} is set here` });
    }
    const unset: string[] = [];
    for (const { span, value } of defaults.around(d.span.start)) if (inside(d.span, span) && !unset.includes(value.name)) unset.push(value.name);
    if (unset.length) d.message += ` (when ${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} unset)`;
    const related: RelatedInfo[] = [];
    const holding: UseAt[][] = [];
    for (const { span, value } of values.around(d.span.start)) if (inside(d.span, span)) holding.push(value);
    for (const group of holding) {
      for (const { use, inv } of group) {
        if (related.length >= MAX_RELATED_USES) break;
        if (inside(d.span, inv.span) || related.some((r) => r.span.start === use.useSpan.start)) continue;
        related.push({ span: use.useSpan, message: `the value of ${use.name} is used here` });
      }
    }
    if (related.length) d.related = [...(d.related ?? []), ...related];
    if (d.fix && fixBlocked(d, text, values, useSites, defaults, strings)) delete d.fix;
    const key = `${d.code}:${d.span.start}:${d.span.end}:${d.message}`;
    const twin = seen.get(key);
    if (twin) {
      for (const r of d.related ?? []) if (!twin.related?.some((x) => x.span.start === r.span.start && x.message === r.message)) (twin.related ??= []).push(r);
      if (!d.fix) delete twin.fix;
      continue;
    }
    seen.set(key, d);
    out.push(d);
  }
  return out;
}

function fixBlocked(d: Diagnostic, text: string, values: SpanIndex<UseAt[]>, useSites: SpanIndex<UseAt>, defaults: SpanIndex<DefaultUse>, strings: SpanIndex<null>): boolean {
  for (const e of d.fix!.edits)
    for (const probe of [e.span.start, Math.max(e.span.end - 1, e.span.start)]) {
      for (const { span } of strings.around(probe)) if (overlaps(e.span, span) || inside(e.span, span)) return true;
      for (const { value } of defaults.around(probe)) if (overlaps(e.span, value.paramSpan) && !inside(e.span, value.span)) return true;
      // A `$X` of a use may be rewritten only whole and as written.
      for (const { span } of useSites.around(probe)) {
        if (overlaps(e.span, span) && !(inside(span, e.span) && e.newText.includes(text.slice(span.start, span.end)))) return true;
      }
      for (const { span, value } of values.around(probe)) {
        if ((overlaps(e.span, span) || inside(e.span, span)) && value.some(({ use }) => use.refs() > 1)) return true;
      }
    }
  return false;
}
