/**
 * Code actions, all computed from what travels with the diagnostics or from a fresh lint:
 *   - the rule's own fix, read back from `Diagnostic.data` (safe ones preferred, unsafe ones
 *     titled "(unsafe)");
 *   - "Disable KBXnnn for this line": a `# kbx-lint disable=KBXnnn` comment line above the
 *     command, indented like it (or the code appended to a directive already there);
 *   - `source.fixAll.kbx-lint`: every safe fix, applied the way `kbx-lint --fix` applies them
 *     (one at a time, re-linting after each, refusing a fix that does not help).
 */
import { type CodeAction, CodeActionKind, type Diagnostic as LspDiagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { LineIndex } from '../core/source';
import type { LintResult } from '../engine/lint';
import { fixText } from '../engine/fix';
import { isKbxDiagnostic, toOffset, toRange, fixTitle } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.kbx-lint`;

/** kindRequested: no `only` filter, or one of its kinds is `kind` or a parent of it. */
export function kindRequested(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

export interface CodeActionInput {
  uri: string;
  text: string;
  /** The diagnostics the client sends in the code action context. */
  diagnostics: LspDiagnostic[];
  only?: string[];
  /** The current lint of `text` (for the commands' positions). */
  result: LintResult;
  /** Lints another version of the text with the same file name and configuration (for fix-all). */
  relint: (text: string) => LintResult | null;
  /**
   * The client resolves code actions (codeAction/resolve with `edit`): the fix-all action is sent
   * without its edit, which is computed only when the user picks it. Editors ask for code actions
   * on every cursor move, and fix-all re-lints the file once per batch of fixes.
   */
  lazyFixAll?: { version: number };
}

/** The data of a fix-all action whose edit is computed on codeAction/resolve. */
export interface FixAllData {
  kbxFixAll: { uri: string; version: number };
}

export function isFixAllData(d: unknown): d is FixAllData {
  const x = (d as FixAllData | null)?.kbxFixAll;
  return !!x && typeof x.uri === 'string' && typeof x.version === 'number';
}

export const FIX_ALL_TITLE = 'Fix all safe kbx-lint problems';

function edit(uri: string, edits: TextEdit[]): WorkspaceEdit {
  return { changes: { [uri]: edits } };
}

export function codeActions(input: CodeActionInput): CodeAction[] {
  const out: CodeAction[] = [];
  const lines = new LineIndex(input.text);
  if (kindRequested(input.only, CodeActionKind.QuickFix)) {
    const ours = input.diagnostics.filter(isKbxDiagnostic);
    for (const d of ours) {
      const fix = d.data.fix;
      if (!fix || !fix.edits.length) continue;
      const action: CodeAction = {
        title: fixTitle(fix),
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: edit(input.uri, fix.edits),
      };
      if (fix.applicability === 'safe') action.isPreferred = true;
      out.push(action);
    }
    const seen = new Set<string>();
    for (const d of ours) {
      const code = String(d.code);
      const e = disableEdit(input.text, lines, input.result, toOffset(lines, d.range.start), code);
      if (!e) continue;
      const key = `${code}:${e.range.start.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        title: `Disable ${code} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: ours.filter((o) => o.code === code && sameCommand(input.result, lines, o, d)),
        edit: edit(input.uri, [e]),
      });
    }
  }
  if (kindRequested(input.only, FIX_ALL_KIND)) {
    if (input.lazyFixAll) {
      if (hasSafeFix(input.result)) {
        const data: FixAllData = { kbxFixAll: { uri: input.uri, version: input.lazyFixAll.version } };
        out.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, data });
      }
    } else {
      const all = fixAllEdit(input.text, input.result, input.relint);
      if (all) out.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit: edit(input.uri, [all]) });
    }
  }
  return out;
}

/** ownerStart is the offset where the command holding `offset` starts, or null outside any command. */
function ownerStart(result: LintResult, offset: number): number | null {
  // The innermost command wins (a buildx call inside `$(…)` of another command).
  let best: { start: number; end: number } | null = null;
  for (const inv of result.invocations) {
    const s = inv.span;
    if (s.start <= offset && offset < Math.max(s.end, s.start + 1)) {
      if (!best || s.start >= best.start) best = s;
    }
  }
  return best ? best.start : null;
}

function sameCommand(result: LintResult, lines: LineIndex, a: LspDiagnostic, b: LspDiagnostic): boolean {
  return ownerStart(result, toOffset(lines, a.range.start)) === ownerStart(result, toOffset(lines, b.range.start));
}

const DIRECTIVE_LINE = /^([ \t]*#\s*kbx-lint\s+disable=)([A-Za-z0-9_,-]+)[ \t]*$/;

/**
 * disableEdit inserts `# kbx-lint disable=CODE` on its own line above the command that holds
 * `offset`, with the command line's indentation. No edit when that line continues a previous one
 * (a comment line there would cut the command in two).
 */
export function disableEdit(text: string, lines: LineIndex, result: LintResult, offset: number, code: string): TextEdit | null {
  // In a Makefile a TAB-indented comment is a recipe line that make echoes on every run; a comment
  // in column 0 is make's own comment, silent and still read by kbx-lint.
  const columnZero = result.model.host === 'makefile';
  const start = ownerStart(result, offset) ?? offset;
  const line = lines.position(start).line;
  if (line > 0 && /\\$/.test(lines.lineText(line - 1))) return null;
  const lineText = lines.lineText(line);
  // In Markdown a comment line above a command in a block quote, a list or a console session
  // would need the container prefix or prompt, which the suppression syntax does not read.
  if (result.model.host === 'markdown' && !/^[ \t]*$/.test(lineText.slice(0, start - lines.offsetAt(line, 0)))) return null;
  if (line > 0) {
    const m = DIRECTIVE_LINE.exec(lines.lineText(line - 1));
    if (m) {
      const ids = m[2].split(',');
      if (ids.includes(code)) return null;
      const at = lines.offsetAt(line - 1, m[1].length + m[2].length);
      const pos = lines.position(at);
      return { range: { start: pos, end: pos }, newText: `,${code}` };
    }
  }
  const indent = columnZero ? '' : /^[ \t]*/.exec(lineText)![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const pos = { line, character: 0 };
  return { range: { start: pos, end: pos }, newText: `${indent}# kbx-lint disable=${code}${eol}` };
}

/** fixAllEdit applies every safe fix and returns one edit covering the changed region, or null. */
function hasSafeFix(result: LintResult): boolean {
  return result.diagnostics.some((d) => d.fix && d.fix.applicability === 'safe' && d.fix.edits.length);
}

/** resolveFixAll fills in the edit of a lazily sent fix-all action; unchanged when the text moved on. */
export function resolveFixAll(action: CodeAction, current: { uri: string; version: number; text: string; result: LintResult; relint: (text: string) => LintResult | null }): CodeAction {
  if (!isFixAllData(action.data) || action.data.kbxFixAll.uri !== current.uri || action.data.kbxFixAll.version !== current.version) return action;
  const all = fixAllEdit(current.text, current.result, current.relint);
  return all ? { ...action, edit: edit(current.uri, [all]) } : action;
}

export function fixAllEdit(text: string, result: LintResult, relint: (text: string) => LintResult | null): TextEdit | null {
  if (!hasSafeFix(result)) return null;
  // A lint cut at limits.maxFindings cannot prove a fix (engine/config.ts): `relint` is not cut.
  const fixed = fixText(text, false, (t) => (t === text && !result.findingsCut ? result : relint(t)));
  if (!fixed.applied || fixed.text === text) return null;
  return minimalEdit(text, fixed.text);
}

/** minimalEdit is one TextEdit turning `before` into `after`, trimmed to the changed middle. */
export function minimalEdit(before: string, after: string): TextEdit {
  let p = 0;
  const max = Math.min(before.length, after.length);
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  // Never split a CRLF or a surrogate pair.
  while (p > 0 && isTrail(before.charCodeAt(p))) p--;
  while (s > 0 && isTrail(before.charCodeAt(before.length - s))) s--;
  const lines = new LineIndex(before);
  return { range: toRange(lines, { start: p, end: before.length - s }), newText: after.slice(p, after.length - s) };
}

function isTrail(c: number): boolean {
  return c === 10 || (c >= 0xdc00 && c <= 0xdfff);
}
