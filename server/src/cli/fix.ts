/**
 * `--fix` and `--diff` over files (the fixing itself is engine/fix.ts, shared with the language
 * server). Files are written by safe-write.ts (in place, verified, backed up); edits are made on
 * the original text, so line endings, a BOM and the final newline stay as they were.
 */
import type { LanguageId, LintResult } from '../engine/lint';
import type { Diagnostic } from '../core/diagnostic';
import { allowedFix, errorCount, fixText, type VerifiedLint, verifiedLint } from '../engine/fix';
import { unifiedDiff } from './diff';
import type { FileReport } from './format';
import { RefusedWrite, writeFixed } from './safe-write';

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

/** The first lint of a file, kept as what fixing needs: its model is not kept through the fixing. */
function firstLint(inp: FixInput, lint: (inp: FixInput) => LintResult | null): VerifiedLint | null {
  const r = lint(inp);
  return r ? verifiedLint(r) : null;
}

export function runFixes(
  inputs: Iterable<FixInput>,
  opts: {
    mode: FixMode;
    unsafe: boolean;
    lint: (inp: FixInput) => LintResult | null;
    /** The findings to report for the final text, from those of the lint that proved it. */
    report?: (text: string, diagnostics: Diagnostic[]) => Diagnostic[];
  },
): FixRunResult {
  const res: FixRunResult = { reports: [], diff: '', applied: 0, filesChanged: 0, remaining: 0, remainingErrors: 0, refused: [], writeErrors: 0, stdout: null };
  const diffs: string[] = [];
  for (const inp of inputs) {
    const first = firstLint(inp, opts.lint);
    if (!first) continue;
    let finalText = inp.text;
    let finalDiagnostics: Diagnostic[] = first.diagnostics;
    const hasFix = first.diagnostics.some((d) => allowedFix(d.fix, opts.unsafe));
    if (hasFix) {
      if (!Buffer.from(inp.text, 'utf8').equals(inp.raw)) {
        res.refused.push({ path: inp.path, reason: 'not fixed: the file is not valid UTF-8' });
      } else if (first.syntaxErrors) {
        res.refused.push({ path: inp.path, reason: 'not fixed: the file has shell syntax errors' });
      } else {
        const r = fixText(inp.text, opts.unsafe, (t) => opts.lint({ ...inp, text: t }), first);
        if (r.applied && r.diagnostics) {
          finalText = r.text;
          finalDiagnostics = r.diagnostics;
          res.applied += r.applied;
          res.filesChanged++;
          if (opts.mode === 'diff') diffs.push(unifiedDiff(inp.path, inp.text, finalText));
          else if (inp.stdin) res.stdout = finalText;
          else {
            try {
              writeFixed(inp.path, inp.raw, finalText);
            } catch (e) {
              if (e instanceof RefusedWrite) res.refused.push({ path: inp.path, reason: `not fixed: ${e.message}` });
              else res.refused.push({ path: inp.path, reason: `cannot write: ${(e as Error).message}` });
              res.writeErrors++;
              res.filesChanged--;
              res.applied -= r.applied;
              finalText = inp.text;
              finalDiagnostics = first.diagnostics;
            }
          }
        }
      }
    }
    if (opts.report) finalDiagnostics = opts.report(finalText, finalDiagnostics);
    res.remaining += finalDiagnostics.length;
    res.remainingErrors += errorCount(finalDiagnostics);
    res.reports.push({ path: inp.path, text: finalText, diagnostics: finalDiagnostics });
    if (inp.stdin && opts.mode === 'write' && res.stdout === null) res.stdout = inp.text;
  }
  res.diff = diffs.join('');
  return res;
}
