/**
 * Applying fixes to a text, re-linting after each change, in passes until nothing changes
 * (bounded); fixes whose edits overlap are never applied together. A fix that does not remove its diagnostic, adds an error or a syntax error,
 * or changes the number of invocations is refused. Pure: the CLI and the language server share it.
 */
import type { Diagnostic } from '../core/diagnostic';
import { applyEdits, type Fix } from '../core/fix';
import type { LintResult } from './lint';

const MAX_FIXES_PER_FILE = 200;

export function errorCount(ds: Diagnostic[]): number {
  let n = 0;
  for (const d of ds) if (d.severity === 'error') n++;
  return n;
}

export function allowedFix(fix: Fix | undefined, unsafe: boolean): fix is Fix {
  return !!fix && fix.edits.length > 0 && (fix.applicability === 'safe' || unsafe);
}

/**
 * What the proof of a fix needs from the lint of the text before it: its findings (the candidates,
 * and how many of each rule there were), its syntax errors and its invocations, counted. The file
 * model is left behind: the lint that checks a fix runs with one model in memory, not two, and a
 * model is many times the size of its file.
 */
export interface VerifiedLint {
  diagnostics: Diagnostic[];
  syntaxErrors: number;
  invocations: number;
  errors: number;
  perCode: Map<string, number>;
}

export function verifiedLint(r: LintResult): VerifiedLint {
  const perCode = new Map<string, number>();
  for (const d of r.diagnostics) perCode.set(d.code, (perCode.get(d.code) ?? 0) + 1);
  return { diagnostics: r.diagnostics, syntaxErrors: r.model.syntaxErrors.length, invocations: r.invocations.length, errors: errorCount(r.diagnostics), perCode };
}

/** The lint of `text`, kept as what a proof needs: the LintResult and its model die in this frame. */
function lintVerified(lintText: (text: string) => LintResult | null, text: string): VerifiedLint | null {
  const r = lintText(text);
  return r ? verifiedLint(r) : null;
}

/** Lints `next` and keeps it when it proves `fixes` against `before` (see acceptBatch). */
function proven(lintText: (text: string) => LintResult | null, next: string, before: VerifiedLint, fixes: Diagnostic[]): VerifiedLint | null {
  const after = lintText(next);
  return after && acceptBatch(before, after, fixes) ? verifiedLint(after) : null;
}

/**
 * fixText applies fixes in passes, re-linting after each change. A pass first tries every
 * candidate fix whose edits overlap no other (one re-lint proves the whole batch); when the batch
 * is refused it falls back to one fix at a time. Returns the final text, the number of fixes kept
 * and the findings of the final text (null when it could not be linted).
 * `initial`, when given, is the lint of `text` the caller already has: linting it again would
 * double the cost of a file whose fixes all pass in one batch.
 * `lintText` must lint with `withoutFindingsLimit` (engine/config.ts): a fix is proven by counts of
 * findings, and a list cut at `limits.maxFindings` keeps the same count after a fix.
 */
export function fixText(
  text: string,
  unsafe: boolean,
  lintText: (text: string) => LintResult | null,
  initial?: VerifiedLint | null,
): { text: string; applied: number; diagnostics: Diagnostic[] | null } {
  let current = text;
  const start = initial !== undefined ? initial : lintVerified(lintText, current);
  if (!start) return { text, applied: 0, diagnostics: null };
  let state: VerifiedLint = start;
  let applied = 0;
  const rejected = new Set<string>();
  for (let guard = 0; guard < MAX_FIXES_PER_FILE; guard++) {
    if (state.syntaxErrors) break; // never rewrite what we could not fully read
    const candidates = state.diagnostics.filter((d) => allowedFix(d.fix, unsafe) && (rejected.size === 0 || !rejected.has(key(d, current))));
    if (!candidates.length) break;
    const batch = nonOverlapping(candidates);
    if (batch.length > 1) {
      const next = applyEdits(
        current,
        batch.flatMap((d) => d.fix!.edits),
      ).text;
      const after = next === current ? null : proven(lintText, next, state, batch);
      if (after) {
        current = next;
        state = after;
        applied += batch.length;
        continue;
      }
    }
    let progressed = false;
    for (const d of candidates) {
      const next = applyEdits(current, d.fix!.edits).text;
      const after = next === current ? null : proven(lintText, next, state, [d]);
      if (!after) {
        rejected.add(key(d, current));
        continue;
      }
      current = next;
      state = after;
      applied++;
      progressed = true;
      break; // offsets changed: recompute candidates from the new lint
    }
    if (!progressed) break;
  }
  return { text: current, applied, diagnostics: state.diagnostics };
}

/** nonOverlapping keeps, in order, the fixes whose edits neither overlap nor touch a kept one. */
function nonOverlapping(candidates: Diagnostic[]): Diagnostic[] {
  const taken = new TakenSpans();
  const out: Diagnostic[] = [];
  next: for (const d of candidates) {
    const edits = d.fix!.edits;
    for (const e of edits) if (taken.meets(e.span)) continue next;
    for (const e of edits) taken.add(e.span);
    out.push(d);
  }
  return out;
}

/**
 * TakenSpans answers "does this span meet (overlap or touch) one taken before?" by looking only at
 * the taken spans filed under the same 64-character cells: comparing each fix with every fix
 * taken before made 10,000 fixes quadratic.
 */
class TakenSpans {
  private readonly cells = new Map<number, { start: number; end: number }[]>();

  meets(s: { start: number; end: number }): boolean {
    for (let c = s.start >> 6; c <= s.end >> 6; c++) {
      const list = this.cells.get(c);
      if (list) for (const t of list) if (s.start <= t.end && t.start <= s.end) return true;
    }
    return false;
  }

  add(s: { start: number; end: number }): void {
    for (let c = s.start >> 6; c <= s.end >> 6; c++) {
      const list = this.cells.get(c);
      if (list) list.push(s);
      else this.cells.set(c, [s]);
    }
  }
}

function key(d: Diagnostic, text: string): string {
  return `${d.code}:${d.span.start}:${d.span.end}:${text.length}`;
}

/**
 * acceptBatch: the fixes removed at least one diagnostic of their rule each, added no error or
 * syntax error, and left the number of buildx invocations unchanged.
 */
function acceptBatch(before: VerifiedLint, after: LintResult, fixes: Diagnostic[]): boolean {
  if (after.model.syntaxErrors.length > before.syntaxErrors) return false;
  if (errorCount(after.diagnostics) > before.errors) return false;
  if (after.invocations.length !== before.invocations) return false;
  const perCode = new Map<string, number>();
  for (const d of fixes) perCode.set(d.code, (perCode.get(d.code) ?? 0) + 1);
  const sameAfter = new Map<string, number>();
  for (const d of after.diagnostics) if (perCode.has(d.code)) sameAfter.set(d.code, (sameAfter.get(d.code) ?? 0) + 1);
  for (const [code, n] of perCode) {
    if ((sameAfter.get(code) ?? 0) > (before.perCode.get(code) ?? 0) - n) return false;
  }
  return true;
}
