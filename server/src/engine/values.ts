/**
 * Findings about values that came through variables, handled once for every rule:
 * - a finding inside a value written elsewhere (`PLATFORMS=…` read by `--platform "$PLATFORMS"`)
 *   gets the use as a related location;
 * - a finding inside a default (`${P:-linux/amd64}`) says it holds "when P is unset";
 * - a fix is kept only when its edits touch no value the file reads more than once, keep each `$X`
 *   of a use site as written, and touch nothing inside the text of `sh -c '…'`/`trap '…'` (one edit there would need
 *   two layers of quoting);
 * - the same finding reached through several uses (one wrapper body, two call sites) is one.
 */
import type { Diagnostic, RelatedInfo } from '../core/diagnostic';
import type { Span } from '../core/span';
import type { Invocation } from '../extract/invocation';
import type { DefaultUse, ValueUse } from '../shell/expand';

const MAX_RELATED_USES = 5;

function inside(a: Span, b: Span): boolean {
  return a.start >= b.start && a.end <= b.end && (a.end > a.start || a.start < b.end || b.start === b.end);
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

export function annotateValueFindings(text: string, diagnostics: Diagnostic[], invocations: Invocation[]): Diagnostic[] {
  const uses: { use: ValueUse; inv: Invocation }[] = [];
  const defaults: DefaultUse[] = [];
  const strings: Span[] = [];
  for (const inv of invocations) {
    if (inv.hidden && inv.hidden.kind !== 'wrapper') strings.push(inv.hidden.span);
    for (const a of inv.argv) {
      if (a.uses) for (const u of a.uses) uses.push({ use: u, inv });
      if (a.defaults) for (const d of a.defaults) defaults.push(d);
    }
  }
  if (!uses.length && !defaults.length && !strings.length) return diagnostics;
  const out: Diagnostic[] = [];
  const seen = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    // A piece made of a value written elsewhere and of the use's own text spans everything between
    // them: report it at the use, with the value as a note.
    let mixed: { use: ValueUse; from: Span; inv: Invocation } | null = null;
    for (const { use, inv } of uses) {
      const from = use.valueSpans.find((s) => d.span.start >= s.start && d.span.start < s.end);
      if (!from || d.span.end <= from.end || !inside(use.useSpan, inv.span) || use.useSpan.start >= d.span.end) continue;
      // Of several uses of the value, the piece starts at the last one before its end.
      if (!mixed || use.useSpan.start > mixed.use.useSpan.start) mixed = { use, from, inv };
    }
    if (mixed) {
      const { use, from, inv } = mixed;
      const end = d.span.end <= inv.span.end && d.span.end > use.useSpan.end ? d.span.end : use.useSpan.end;
      d.span = { start: use.useSpan.start, end };
      (d.related ??= []).push({ span: from, message: `the value of ${use.name} is set here` });
    }
    const unset = [...new Set(defaults.filter((x) => inside(d.span, x.span)).map((x) => x.name))];
    if (unset.length) d.message += ` (when ${unset.join(' and ')} ${unset.length > 1 ? 'are' : 'is'} unset)`;
    const related: RelatedInfo[] = [];
    for (const { use, inv } of uses) {
      if (related.length >= MAX_RELATED_USES) break;
      if (!use.valueSpans.some((s) => inside(d.span, s)) || inside(d.span, inv.span)) continue;
      if (related.some((r) => r.span.start === use.useSpan.start)) continue;
      related.push({ span: use.useSpan, message: `the value of ${use.name} is used here` });
    }
    if (related.length) d.related = [...(d.related ?? []), ...related];
    if (d.fix) {
      const edits = d.fix.edits.map((e) => e.span);
      const blocked =
        edits.some((e) => strings.some((s) => overlaps(e, s) || inside(e, s))) ||
        edits.some((e) => defaults.some((x) => overlaps(e, x.paramSpan) && !inside(e, x.span))) ||
        uses.some(({ use }) => d.fix!.edits.some((e) => overlaps(e.span, use.useSpan) && !(inside(use.useSpan, e.span) && e.newText.includes(text.slice(use.useSpan.start, use.useSpan.end)))) || (use.refs() > 1 && edits.some((e) => use.valueSpans.some((s) => overlaps(e, s) || inside(e, s)))));
      if (blocked) delete d.fix;
    }
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
