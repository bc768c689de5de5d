/**
 * `--fix` and `--diff`: apply the fixes that travel inside diagnostics, in passes until nothing
 * changes, with a guard that re-lints after each fix and refuses one that does not remove its
 * diagnostic or that adds an error. Writes are atomic and keep the file mode; edits are made on
 * the original text, so line endings, a BOM and the final newline stay as they were.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../core/diagnostic';
import { applyEdits, type Fix } from '../core/fix';
import type { LanguageId, LintResult } from '../engine/lint';
import { unifiedDiff } from './diff';
import type { FileReport } from './format';

export type FixMode = 'write' | 'diff';

export interface FixInput {
  path: string;
  text: string;
  raw: Buffer;
  languageId: LanguageId;
  /** Read from standard input: the fixed text is returned in `stdout`, never written to a file. */
  stdin?: boolean;
}

export interface FixRunResult {
  reports: FileReport[];
  diff: string;
  applied: number;
  filesChanged: number;
  remaining: number;
  remainingErrors: number;
  refused: { path: string; reason: string }[];
  writeErrors: number;
  /** With --fix on standard input: the whole fixed text, for the caller to print. */
  stdout: string | null;
}

const MAX_FIXES_PER_FILE = 200;

function errorCount(ds: Diagnostic[]): number {
  return ds.filter((d) => d.severity === 'error').length;
}

function allowed(fix: Fix | undefined, unsafe: boolean): fix is Fix {
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
    const candidates = result.diagnostics.filter((d) => allowed(d.fix, unsafe) && !rejected.has(key(d, current)));
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

export function writeAtomic(file: string, text: string): void {
  const st = fs.statSync(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.kbx-lint-${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, text, { mode: st.mode & 0o7777 });
    fs.chmodSync(tmp, st.mode & 0o7777);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}

export function runFixes(
  inputs: FixInput[],
  opts: { mode: FixMode; unsafe: boolean; lint: (inp: FixInput) => LintResult | null },
): FixRunResult {
  const res: FixRunResult = { reports: [], diff: '', applied: 0, filesChanged: 0, remaining: 0, remainingErrors: 0, refused: [], writeErrors: 0, stdout: null };
  const diffs: string[] = [];
  for (const inp of inputs) {
    const first = opts.lint(inp);
    if (!first) continue;
    let finalText = inp.text;
    let finalResult: LintResult = first;
    const hasFix = first.diagnostics.some((d) => allowed(d.fix, opts.unsafe));
    if (hasFix) {
      if (!Buffer.from(inp.text, 'utf8').equals(inp.raw)) {
        res.refused.push({ path: inp.path, reason: 'not fixed: the file is not valid UTF-8' });
      } else if (first.model.syntaxErrors.length) {
        res.refused.push({ path: inp.path, reason: 'not fixed: the file has shell syntax errors' });
      } else {
        const r = fixText(inp.text, opts.unsafe, (t) => opts.lint({ ...inp, text: t }));
        if (r.applied && r.result) {
          finalText = r.text;
          finalResult = r.result;
          res.applied += r.applied;
          res.filesChanged++;
          if (opts.mode === 'diff') diffs.push(unifiedDiff(inp.path, inp.text, finalText));
          else if (inp.stdin) res.stdout = finalText;
          else {
            try {
              writeAtomic(inp.path, finalText);
            } catch (e) {
              res.refused.push({ path: inp.path, reason: `cannot write: ${(e as Error).message}` });
              res.writeErrors++;
            }
          }
        }
      }
    }
    res.remaining += finalResult.diagnostics.length;
    res.remainingErrors += errorCount(finalResult.diagnostics);
    res.reports.push({ path: inp.path, text: finalText, diagnostics: finalResult.diagnostics });
    if (inp.stdin && opts.mode === 'write' && res.stdout === null) res.stdout = inp.text;
  }
  res.diff = diffs.join('');
  return res;
}
