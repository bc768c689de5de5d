/**
 * Output formatters. Text: `path:line:col: severity: message [CODE name]` plus a code frame with
 * carets under the exact span. JSON: the stable contract documented in docs/json-output.md.
 * Lines and columns are 1-based, columns in UTF-16 code units, ends exclusive.
 */
import type { Diagnostic } from '../core/diagnostic';
import { applyEdits } from '../core/fix';
import { LineIndex } from '../core/source';
import { escapeControl, safeLine, shownPath } from '../core/terminal';

export { escapeControl, safeLine, shownPath };

export interface FileReport {
  path: string;
  text: string;
  diagnostics: Diagnostic[];
}

export interface Palette {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
}

export const NO_COLOR: Palette = { bold: (s) => s, red: (s) => s, yellow: (s) => s, cyan: (s) => s, dim: (s) => s };
export const ANSI: Palette = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  yellow: (s) => `\x1b[33m${s}\x1b[39m`,
  cyan: (s) => `\x1b[36m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
};

export interface Location {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function locate(lines: LineIndex, span: { start: number; end: number }): Location {
  const s = lines.position(span.start);
  const e = lines.position(span.end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

const MAX_FRAME_LINES = 4;
/** Columns of a long line shown around the span (a window), so output stays linear in the input. */
const WINDOW = 240;
const WINDOW_BEFORE = 80;

/** visible renders source text for the terminal (see escapeControl). */
function visible(s: string): string {
  return escapeControl(s);
}

/**
 * windowOf picks the part of a long line to show around column `from`: `[start, end)` in the line
 * and whether text was cut on either side.
 */
function windowOf(length: number, from: number): { start: number; end: number } {
  if (length <= WINDOW) return { start: 0, end: length };
  const start = Math.max(0, Math.min(from - WINDOW_BEFORE, length - WINDOW));
  return { start, end: Math.min(length, start + WINDOW) };
}

/** clipLine shows the window of `text` around column `from`, with `…` where it was cut. */
function clipLine(text: string, from: number): { shown: string; offset: number } {
  const w = windowOf(text.length, from);
  const lead = w.start > 0 ? '…' : '';
  const tail = w.end < text.length ? '…' : '';
  const before = visible(text.slice(w.start, Math.max(w.start, from)));
  return { shown: lead + visible(text.slice(w.start, w.end)) + tail, offset: lead.length + before.length - (from - w.start) };
}

export function codeFrame(lines: LineIndex, span: { start: number; end: number }, p: Palette): string {
  const s = lines.position(span.start);
  const e = lines.position(Math.max(span.start, span.end));
  const out: string[] = [];
  const last = Math.min(e.line, s.line + MAX_FRAME_LINES - 1);
  const width = String(last + 1).length;
  for (let l = s.line; l <= last; l++) {
    const text = lines.lineText(l);
    const from = l === s.line ? s.character : 0;
    let to = l === e.line ? e.character : text.length;
    if (to <= from) to = from + 1;
    const w = windowOf(text.length, from);
    const { shown, offset } = clipLine(text, from);
    out.push(`${p.dim(String(l + 1).padStart(width) + ' |')} ${shown}`);
    // Carets under the escaped text: a control character before or inside the span is wider.
    const caretFrom = from - w.start + offset;
    const inside = visible(text.slice(from, Math.min(to, w.end))).length;
    out.push(`${p.dim(' '.repeat(width) + ' |')} ${' '.repeat(caretFrom)}${p.red('^'.repeat(Math.max(1, inside)))}`);
  }
  if (e.line > last) out.push(`${p.dim(' '.repeat(width) + ' |')} …`);
  return out.join('\n');
}

function severityLabel(sev: string, p: Palette): string {
  if (sev === 'error') return p.red(p.bold('error'));
  if (sev === 'warning') return p.yellow(p.bold('warning'));
  return p.cyan(p.bold('info'));
}

/** fixPreview renders the lines a fix changes as a small -/+ diff. */
/** Characters of context kept around a fix's edits when its lines are long (the rest is never shown). */
const PREVIEW_CONTEXT = WINDOW * 2;

/** The lines of a preview: most fixes change one line, which needs no split. */
function linesOf(s: string): string[] {
  return s.includes('\n') ? s.split(/\r?\n/) : [s];
}

export function fixPreview(text: string, lines: LineIndex, d: Diagnostic, p: Palette): string {
  if (!d.fix) return '';
  const edits = d.fix.edits;
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of edits) {
    if (e.span.start < lo) lo = e.span.start;
    if (e.span.end > hi) hi = e.span.end;
  }
  const loAt = lines.position(lo);
  const first = loAt.line;
  const lastLine = hi === lo ? first : lines.position(hi).line;
  let startOff = lines.lineStarts[first];
  let endOff = lines.lineStarts[lastLine] + lines.lineText(lastLine).length;
  // On a long line only the part around the edits is shown: rebuilding the whole line for every
  // finding would make the output quadratic in the line's length.
  const clipped = endOff - startOff > 4 * PREVIEW_CONTEXT && first === lastLine;
  if (clipped) {
    startOff = Math.max(startOff, lo - PREVIEW_CONTEXT);
    endOff = Math.min(endOff, hi + PREVIEW_CONTEXT);
  }
  const region = text.slice(startOff, endOff);
  const before = linesOf(region);
  // One edit (nearly every fix) is two slices; applyEdits sorts and checks a list.
  const changed =
    edits.length === 1
      ? region.slice(0, edits[0].span.start - startOff) + edits[0].newText + region.slice(edits[0].span.end - startOff)
      : applyEdits(
          region,
          edits.map((e) => ({ span: { start: e.span.start - startOff, end: e.span.end - startOff }, newText: e.newText })),
        ).text;
  const after = linesOf(changed);
  const out = [`  ${p.cyan('fix')} (${d.fix.applicability}): ${visible(d.fix.title)}`];
  // Long lines are shown as the window around the first edit, the same columns before and after.
  const col = clipped ? lo - startOff : loAt.character;
  const lead = clipped && startOff > lines.lineStarts[first] ? '…' : '';
  for (const b of before) out.push(p.red(`  - ${lead}${clipLine(b, col).shown}`));
  for (const a of after) out.push(`  ${p.cyan('+')} ${lead}${clipLine(a, col).shown}`);
  return out.join('\n');
}

export function formatText(reports: FileReport[], p: Palette, opts: { showFixes?: boolean } = {}): string {
  const out: string[] = [];
  for (const r of reports) {
    if (!r.diagnostics.length) continue;
    const lines = new LineIndex(r.text);
    const path = shownPath(r.path);
    for (const d of r.diagnostics) {
      const loc = locate(lines, d.span);
      out.push(`${p.bold(`${path}:${loc.line}:${loc.column}`)}: ${severityLabel(d.severity, p)}: ${escapeControl(d.message)} ${p.dim(`[${d.code} ${d.name}]`)}`);
      // A file too large to be read has no text to show.
      if (r.text.length) out.push(codeFrame(lines, d.span, p));
      if (d.help) out.push(`  ${p.cyan('help:')} ${escapeControl(d.help)}`);
      if (d.upstream) out.push(`  ${p.dim(`${d.upstreamFrom ?? 'buildx'}:`)} ${escapeControl(d.upstream)}`);
      for (const rel of d.related ?? []) {
        const rl = locate(lines, rel.span);
        out.push(`  ${p.dim('note:')} ${path}:${rl.line}:${rl.column}: ${escapeControl(rel.message)}`);
      }
      if (opts.showFixes !== false && d.fix) out.push(fixPreview(r.text, lines, d, p));
      out.push('');
    }
  }
  return out.join('\n');
}

export interface JsonDiagnostic extends Location {
  file: string;
  severity: string;
  rule: string;
  name: string;
  message: string;
  /** Present when the finding has advice beyond its message (added in version 1; optional). */
  help?: string;
  /** The exact buildx / API server error this finding reproduces (added in version 1; optional). */
  upstream?: string;
  /** `kubernetes` or `docker` when `upstream` is not printed by buildx itself (added in version 1; optional). */
  upstreamFrom?: string;
  related: { line: number; column: number; endLine: number; endColumn: number; message: string }[];
  fix: null | {
    title: string;
    applicability: string;
    edits: { line: number; column: number; endLine: number; endColumn: number; offset: number; endOffset: number; newText: string }[];
  };
}

export function toJsonDiagnostics(reports: FileReport[]): JsonDiagnostic[] {
  const out: JsonDiagnostic[] = [];
  for (const r of reports) {
    const lines = new LineIndex(r.text);
    for (const d of r.diagnostics) out.push(toJsonDiagnostic(r.path, lines, d));
  }
  return out;
}

function toJsonDiagnostic(path: string, lines: LineIndex, d: Diagnostic): JsonDiagnostic {
  // Built key by key in the documented order (JSON.stringify keeps insertion order), without
  // the temporary objects that spreading a location and each optional part would make.
  const loc = locate(lines, d.span);
  const j = {
    file: path,
    line: loc.line,
    column: loc.column,
    endLine: loc.endLine,
    endColumn: loc.endColumn,
    severity: d.severity,
    rule: d.code,
    name: d.name,
    message: d.message,
  } as JsonDiagnostic;
  if (d.help) j.help = d.help;
  if (d.upstream) j.upstream = d.upstream;
  if (d.upstreamFrom) j.upstreamFrom = d.upstreamFrom;
  j.related = (d.related ?? []).map((rel) => ({ ...locate(lines, rel.span), message: rel.message }));
  j.fix = d.fix
    ? {
        title: d.fix.title,
        applicability: d.fix.applicability,
        edits: d.fix.edits.map((e) => ({ ...locate(lines, e.span), offset: e.span.start, endOffset: e.span.end, newText: e.newText })),
      }
    : null;
  return j;
}

export function formatJson(reports: FileReport[]): string {
  return JSON.stringify({ version: 1, diagnostics: toJsonDiagnostics(reports) }, null, 2);
}

/**
 * JsonStream writes formatJson's text (and the newline after it) a finding at a time, as each
 * file is linted: a run keeps neither every file's report nor the whole text of the report, and
 * the bytes are the same. Each finding is its own JSON.stringify, indented to its place in the
 * array; strings hold no raw line break (JSON escapes it), so every line break is indentation.
 */
export class JsonStream {
  private count = 0;
  constructor(private readonly write: (s: string) => void) {}

  file(r: FileReport): void {
    if (!r.diagnostics.length) return;
    const lines = new LineIndex(r.text);
    for (const d of r.diagnostics) {
      const one = JSON.stringify(toJsonDiagnostic(r.path, lines, d), null, 2).replace(/\n/g, '\n    ');
      this.write(`${this.count++ === 0 ? '{\n  "version": 1,\n  "diagnostics": [\n    ' : ',\n    '}${one}`);
    }
  }

  end(): void {
    this.write(this.count ? '\n  ]\n}\n' : '{\n  "version": 1,\n  "diagnostics": []\n}\n');
  }
}

/**
 * formatGithub prints GitHub Actions workflow commands, so findings appear as annotations on the
 * pull request, with the help and the upstream error on lines of their own. Data and property
 * values are escaped as the runner expects.
 */
export function formatGithub(reports: FileReport[]): string {
  // The runner decodes %25, %0D and %0A (and, in properties, %3A and %2C); every other control
  // character is shown escaped, as in text output, so none reaches the log raw.
  // eslint-disable-next-line no-control-regex
  const visible = (s: string) => s.replace(/[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]+/g, escapeControl);
  const data = (s: string) => visible(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const level = { error: 'error', warning: 'warning', info: 'notice' } as const;
  return toJsonDiagnostics(reports)
    .map(
      (d) =>
        `::${level[d.severity as keyof typeof level]} file=${prop(d.file)},line=${d.line},col=${d.column},endLine=${d.endLine},endColumn=${d.endColumn},title=${prop(`${d.rule} ${d.name}`)}::${data([d.message, d.help ? `help: ${d.help}` : '', d.upstream ? `buildx: ${d.upstream}` : ''].filter(Boolean).join('\n'))}\n`,
    )
    .join('');
}
