/**
 * The only translation between kbx-lint's offsets and LSP's line/character: Span ↔ Range,
 * Diagnostic → LSP Diagnostic (the fix travels in `data`, as Ruff's server does), Fix → TextEdits.
 * Offsets and characters are both UTF-16 code units, so a position is a line plus an offset.
 */
import { type Diagnostic as LspDiagnostic, DiagnosticSeverity, type DiagnosticRelatedInformation, type Position, type Range, type TextEdit } from 'vscode-languageserver';
import type { Diagnostic, Severity } from '../core/diagnostic';
import type { Applicability, Fix } from '../core/fix';
import type { LineIndex } from '../core/source';
import { ruleDocUrl } from '../core/project';
import type { Span } from '../core/span';

export const SOURCE = 'kbx-lint';

export { ruleDocUrl };

/** FixData is the fix as it travels in `Diagnostic.data`: LSP text edits, ready to apply. */
export interface FixData {
  title: string;
  applicability: Applicability;
  edits: TextEdit[];
}

/** DiagnosticData is what a kbx-lint diagnostic carries in `data`. */
export interface DiagnosticData {
  /** Rule name, e.g. `driver-opt-unquoted-comma` (the code is in `code`). */
  name: string;
  fix?: FixData;
}

export function toPosition(lines: LineIndex, offset: number): Position {
  return lines.position(offset);
}

export function toRange(lines: LineIndex, span: Span): Range {
  return { start: lines.position(span.start), end: lines.position(span.end) };
}

export function toOffset(lines: LineIndex, pos: Position): number {
  return lines.offsetAt(pos.line, pos.character);
}

export function toSpan(lines: LineIndex, range: Range): Span {
  return { start: toOffset(lines, range.start), end: toOffset(lines, range.end) };
}

export function toSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'info':
      return DiagnosticSeverity.Information;
  }
}

export function toTextEdits(lines: LineIndex, fix: Fix): TextEdit[] {
  return fix.edits.map((e) => ({ range: toRange(lines, e.span), newText: e.newText }));
}

export function fixTitle(fix: { title: string; applicability: Applicability }): string {
  return fix.applicability === 'unsafe' ? `${fix.title} (unsafe)` : fix.title;
}

export interface ConvertOptions {
  /** The client shows `relatedInformation` (otherwise related notes are appended to the message). */
  relatedInformation: boolean;
  uri: string;
}

export function toLspDiagnostic(lines: LineIndex, d: Diagnostic, opts: ConvertOptions): LspDiagnostic {
  const data: DiagnosticData = { name: d.name };
  if (d.fix && d.fix.edits.length) data.fix = { title: d.fix.title, applicability: d.fix.applicability, edits: toTextEdits(lines, d.fix) };
  const out: LspDiagnostic = {
    range: toRange(lines, d.span),
    severity: toSeverity(d.severity),
    code: d.code,
    codeDescription: { href: ruleDocUrl(d.code, d.name) },
    source: SOURCE,
    // Editors show one message: the advice and the upstream error go on lines of their own.
    message: d.message + (d.help ? `\nhelp: ${d.help}` : '') + (d.upstream ? `\n${d.upstreamFrom ?? 'buildx'}: ${d.upstream}` : ''),
    data,
  };
  if (d.related?.length) {
    if (opts.relatedInformation) {
      out.relatedInformation = d.related.map((r): DiagnosticRelatedInformation => ({ location: { uri: opts.uri, range: toRange(lines, r.span) }, message: r.message }));
    } else {
      out.message += d.related.map((r) => `\n${r.message}`).join('');
    }
  }
  return out;
}

/** isKbxDiagnostic tells our diagnostics (with their data) from other servers' in a code action context. */
export function isKbxDiagnostic(d: LspDiagnostic): d is LspDiagnostic & { data: DiagnosticData } {
  if (d.source !== SOURCE || typeof d.code !== 'string') return false;
  const data = d.data as Partial<DiagnosticData> | undefined;
  return !!data && typeof data === 'object' && typeof data.name === 'string';
}
