/**
 * Applying fixes to a text: one fix at a time, re-linting after each, in passes until nothing
 * changes (bounded). A fix that does not remove its diagnostic, adds an error or a syntax error,
 * or changes the number of invocations is refused. Pure: the CLI and the language server share it.
 */
import type { Diagnostic } from '../core/diagnostic';
import { applyEdits, type Fix } from '../core/fix';
import type { LintResult } from './lint';

const MAX_FIXES_PER_FILE = 200;

export function errorCount(ds: Diagnostic[]): number {
  return ds.filter((d) => d.severity === 'error').length;
}

export function allowedFix(fix: Fix | undefined, unsafe: boolean): fix is Fix {
  return !!fix && fix.edits.length > 0 && (fix.applicability === 'safe' || unsafe);
}

/**
 * fixText applies fixes one by one, re-linting after each. Returns the final text and the number
 * of fixes kept.
 */
export function fixText(
  text: string,
  unsafe: boolean,
  lintText: (text: string) => LintResult | null,
): { text: string; applied: number; result: LintResult | null } {
  let current = text;
  let result = lintText(current);
  let applied = 0;
  const rejected = new Set<string>();
  for (let guard = 0; result && guard < MAX_FIXES_PER_FILE; guard++) {
    if (result.model.syntaxErrors.length) break; // never rewrite what we could not fully read
    const candidates = result.diagnostics.filter((d) => allowedFix(d.fix, unsafe) && !rejected.has(key(d, current)));
    if (!candidates.length) break;
    let progressed = false;
    for (const d of candidates) {
      const next = applyEdits(current, d.fix!.edits).text;
      if (next === current) {
        rejected.add(key(d, current));
        continue;
      }
      const after = lintText(next);
      if (!after || !accept(result, after, d)) {
        rejected.add(key(d, current));
        continue;
      }
      current = next;
      result = after;
      applied++;
      progressed = true;
      break; // offsets changed: recompute candidates from the new lint
    }
    if (!progressed) break;
  }
  return { text: current, applied, result };
}

function key(d: Diagnostic, text: string): string {
  return `${d.code}:${d.span.start}:${d.span.end}:${text.length}`;
}

function accept(before: LintResult, after: LintResult, d: Diagnostic): boolean {
  if (after.model.syntaxErrors.length > before.model.syntaxErrors.length) return false;
  if (errorCount(after.diagnostics) > errorCount(before.diagnostics)) return false;
  const sameBefore = before.diagnostics.filter((x) => x.code === d.code).length;
  const sameAfter = after.diagnostics.filter((x) => x.code === d.code).length;
  if (sameAfter >= sameBefore) return false;
  // A fix must not change the number of buildx invocations the file contains.
  return after.invocations.length === before.invocations.length;
}

