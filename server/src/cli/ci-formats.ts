/**
 * Report formats read by CI systems: SARIF 2.1.0 (code scanning), GitLab Code Quality, Checkstyle
 * XML, JUnit XML, reviewdog's rdjson, and `concise` (one line per finding). Each is built from the
 * JSON diagnostics, so positions are the same everywhere; the rule's help and the upstream error
 * text go where each format has a place for them.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { LineIndex } from '../core/source';
import { escapeControl, shownPath } from '../core/terminal';
import type { RuleMeta } from '../rules/rule';
import { type FileReport, type JsonDiagnostic, toJsonDiagnostics } from './format';

export interface ReportContext {
  /** Directory paths in SARIF, GitLab and rdjson are made relative to (absolute). */
  root: string;
  /** The working directory the report paths are relative to (absolute). */
  cwd: string;
  version: string;
  rules: RuleMeta[];
  helpUri(meta: RuleMeta): string;
}

const STDIN = '<stdin>';

/** relativePath gives a report path relative to the root, with `/` separators; null when outside. */
function relativeToRoot(file: string, ctx: ReportContext): string | null {
  const rel = path.relative(ctx.root, path.resolve(ctx.cwd, file));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

function rootPath(file: string, ctx: ReportContext): string {
  return file === STDIN ? file : (relativeToRoot(file, ctx) ?? path.resolve(ctx.cwd, file).split(path.sep).join('/'));
}

/** A path as a URI reference: every segment percent-encoded (spaces, `%`, `#`, `?`, non-ASCII). */
export function encodePath(p: string): string {
  return p
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function fileUri(abs: string): string {
  const p = abs.split(path.sep).join('/');
  return 'file://' + encodePath(p.startsWith('/') ? p : '/' + p);
}

/**
 * fingerprints gives each finding a hash of its rule, file and the text of its line (not the
 * line number), numbered among equal ones, so it survives edits elsewhere in the file.
 */
export function fingerprints(reports: FileReport[], ctx: ReportContext): Map<JsonDiagnostic, string> {
  const out = new Map<JsonDiagnostic, string>();
  for (const r of reports) {
    const lines = new LineIndex(r.text);
    const seen = new Map<string, number>();
    const file = rootPath(r.path, ctx);
    for (const d of toJsonDiagnostics([r])) {
      const lineText = lines
        .lineText(d.line - 1)
        .replace(/\s+/g, ' ')
        .trim();
      const key = `${d.rule}\0${file}\0${lineText}\0${d.message}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      out.set(d, createHash('sha256').update(`${key}\0${n}`).digest('hex'));
    }
  }
  return out;
}

function withFingerprints(reports: FileReport[], ctx: ReportContext): { d: JsonDiagnostic; fp: string }[] {
  return [...fingerprints(reports, ctx)].map(([d, fp]) => ({ d, fp }));
}

function sarifResults(r: FileReport, ctx: ReportContext): unknown[] {
  const level = { error: 'error', warning: 'warning', info: 'note' } as const;
  const index = ruleIndex(ctx);
  const location = (file: string, l: { line: number; column: number; endLine: number; endColumn: number }) => {
    const region = { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn };
    if (file === STDIN) return { physicalLocation: { artifactLocation: { uri: 'stdin', description: { text: 'standard input' } }, region } };
    const rel = relativeToRoot(file, ctx);
    const artifactLocation = rel !== null ? { uri: encodePath(rel), uriBaseId: '%SRCROOT%' } : { uri: fileUri(path.resolve(ctx.cwd, file)) };
    return { physicalLocation: { artifactLocation, region } };
  };
  return withFingerprints([r], ctx).map(({ d, fp }) => {
    const related = d.related.map((rel, i) => ({ id: i + 1, ...location(d.file, rel), message: { text: rel.message } }));
    const properties: Record<string, string> = {};
    if (d.help) properties.help = d.help;
    if (d.upstream) properties.upstream = d.upstream;
    return {
      ruleId: d.rule,
      ...(index.has(d.rule) ? { ruleIndex: index.get(d.rule) } : {}),
      level: level[d.severity as keyof typeof level],
      message: { text: [d.message, d.help ? `Help: ${d.help}` : '', d.upstream ? `buildx: ${d.upstream}` : ''].filter(Boolean).join('\n') },
      locations: [location(d.file, d)],
      ...(related.length ? { relatedLocations: related } : {}),
      partialFingerprints: { 'kbxLint/v1': fp },
      ...(Object.keys(properties).length ? { properties } : {}),
    };
  });
}

const ruleIndexes = new WeakMap<ReportContext, Map<string, number>>();

function ruleIndex(ctx: ReportContext): Map<string, number> {
  let index = ruleIndexes.get(ctx);
  if (!index) ruleIndexes.set(ctx, (index = new Map(ctx.rules.map((m, i) => [m.code, i]))));
  return index;
}

function sarifDocument(ctx: ReportContext, results: unknown[]): unknown {
  const level = { error: 'error', warning: 'warning', info: 'note' } as const;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kbx-lint',
            version: ctx.version,
            semanticVersion: ctx.version,
            informationUri: 'https://github.com/kbx-lint/kbx-lint',
            rules: ctx.rules.map((m) => ({
              id: m.code,
              name: m.name,
              shortDescription: { text: m.summary },
              fullDescription: { text: m.docs.what },
              help: { text: `${m.docs.what}\n\n${m.docs.why}`, markdown: `${m.docs.what}\n\n**Why is this bad?** ${m.docs.why}\n\n[${m.code} ${m.name}](${ctx.helpUri(m)})` },
              helpUri: ctx.helpUri(m),
              defaultConfiguration: { enabled: m.enabledByDefault, level: level[m.severity] },
              properties: { tags: ['buildx'], fixable: m.fixable },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: fileUri(ctx.root) + '/' } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(reports: FileReport[], ctx: ReportContext): string {
  return JSON.stringify(
    sarifDocument(
      ctx,
      reports.flatMap((r) => sarifResults(r, ctx)),
    ),
    null,
    2,
  );
}

/** GitLab Code Quality (the Code Climate issue subset GitLab reads). */
function gitlabIssues(r: FileReport, ctx: ReportContext): unknown[] {
  const severity = { error: 'major', warning: 'minor', info: 'info' } as const;
  return withFingerprints([r], ctx).map(({ d, fp }) => {
    const body = [d.help, d.upstream ? `buildx: ${d.upstream}` : ''].filter(Boolean).join('\n\n');
    return {
      type: 'issue',
      check_name: `${d.rule} ${d.name}`,
      description: d.message,
      ...(body ? { content: { body } } : {}),
      categories: ['Bug Risk'],
      severity: severity[d.severity as keyof typeof severity],
      fingerprint: fp,
      location: { path: rootPath(d.file, ctx), lines: { begin: d.line, end: d.endLine } },
    };
  });
}

export function formatGitlab(reports: FileReport[], ctx: ReportContext): string {
  return JSON.stringify(
    reports.flatMap((r) => gitlabIssues(r, ctx)),
    null,
    2,
  );
}

/** XML text: escaped, and characters XML 1.0 cannot carry at all shown as `\uXXXX`. */
export function xmlEscape(s: string): string {
  return s
    .replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

function details(d: JsonDiagnostic): string {
  return [d.message, d.help ? `help: ${d.help}` : '', d.upstream ? `buildx: ${d.upstream}` : ''].filter(Boolean).join('\n');
}

export function formatCheckstyle(reports: FileReport[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<checkstyle version="4.3">'];
  for (const r of reports) for (const line of checkstyleFile(r)) out.push(line);
  out.push('</checkstyle>');
  return out.join('\n');
}

function checkstyleFile(r: FileReport): string[] {
  const out = [`  <file name="${xmlEscape(r.path)}">`];
  for (const d of toJsonDiagnostics([r])) {
    out.push(`    <error line="${d.line}" column="${d.column}" severity="${d.severity}" message="${xmlEscape(details(d))}" source="kbx-lint.${d.rule}.${d.name}"/>`);
  }
  out.push('  </file>');
  return out;
}

/** JUnit XML as CI test reporters read it: a suite per file, a failing test case per finding. */
export function formatJunit(reports: FileReport[]): string {
  const suites = reports.map(junitSuite);
  return junitDocument(suites).join('\n');
}

interface JunitSuite {
  text: string;
  tests: number;
  failures: number;
}

/** One file's `<testsuite>` element, with the counts the document's first element sums. */
function junitSuite(r: FileReport): JunitSuite {
  const ds = toJsonDiagnostics([r]);
  const name = xmlEscape(r.path);
  const out = [`  <testsuite name="${name}" tests="${Math.max(1, ds.length)}" failures="${ds.length}" errors="0" skipped="0">`];
  if (!ds.length) out.push(`    <testcase name="kbx-lint" classname="${name}" time="0"/>`);
  for (const d of ds) {
    out.push(`    <testcase name="${xmlEscape(`${d.rule} ${d.name} at ${d.line}:${d.column}`)}" classname="${name}" time="0">`);
    out.push(`      <failure message="${xmlEscape(d.message)}" type="${d.severity}">${xmlEscape(`${r.path}:${d.line}:${d.column}: ${details(d)}`)}</failure>`);
    out.push('    </testcase>');
  }
  out.push('  </testsuite>');
  return { text: out.join('\n'), tests: Math.max(1, ds.length), failures: ds.length };
}

function junitDocument(suites: JunitSuite[]): string[] {
  let tests = 0;
  let failures = 0;
  for (const s of suites) {
    tests += s.tests;
    failures += s.failures;
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="kbx-lint" tests="${tests}" failures="${failures}" errors="0">`];
  for (const s of suites) out.push(s.text);
  out.push('</testsuites>');
  return out;
}

/** reviewdog Diagnostic Format (rdjson). Its columns count UTF-8 bytes, 1-based. */
function rdjsonDiagnostics(r: FileReport, ctx: ReportContext): unknown[] {
  const severity = { error: 'ERROR', warning: 'WARNING', info: 'INFO' } as const;
  const diagnostics: unknown[] = [];
  const lines = new LineIndex(r.text);
  const byteColumn = (line: number, column: number) => Buffer.byteLength(lines.lineText(line - 1).slice(0, column - 1), 'utf8') + 1;
  const pos = (line: number, column: number) => ({ line, column: byteColumn(line, column) });
  const range = (l: { line: number; column: number; endLine: number; endColumn: number }) => ({ start: pos(l.line, l.column), end: pos(l.endLine, l.endColumn) });
  const file = rootPath(r.path, ctx);
  for (const d of toJsonDiagnostics([r])) {
    const meta = ctx.rules[ruleIndex(ctx).get(d.rule) ?? -1];
    diagnostics.push({
      message: [d.message, d.help ? `help: ${d.help}` : ''].filter(Boolean).join('\n'),
      location: { path: file, range: range(d) },
      severity: severity[d.severity as keyof typeof severity],
      source: { name: 'kbx-lint' },
      code: { value: d.rule, ...(meta ? { url: ctx.helpUri(meta) } : {}) },
      ...(d.fix ? { suggestions: d.fix.edits.map((e) => ({ range: range(e), text: e.newText })) } : {}),
      ...(d.upstream ? { original_output: d.upstream } : {}),
      ...(d.related.length ? { related_locations: d.related.map((rel) => ({ message: rel.message, location: { path: file, range: range(rel) } })) } : {}),
    });
  }
  return diagnostics;
}

function rdjsonDocument(diagnostics: unknown[]): unknown {
  return { source: { name: 'kbx-lint', url: 'https://github.com/kbx-lint/kbx-lint' }, diagnostics };
}

export function formatRdjson(reports: FileReport[], ctx: ReportContext): string {
  return JSON.stringify(rdjsonDocument(reports.flatMap((r) => rdjsonDiagnostics(r, ctx))), null, 2);
}

/** One line per finding: `path:line:col: severity CODE message`, escaped as text output is (core/terminal). */
export function formatConcise(reports: FileReport[]): string {
  return toJsonDiagnostics(reports)
    .map((d) => `${shownPath(d.file)}:${d.line}:${d.column}: ${d.severity} ${d.rule} ${escapeControl(d.message.replace(/\r?\n/g, ' '))}\n`)
    .join('');
}

/** A string no report can hold, standing for the streamed array's items in the document's text. */
const ITEMS = 'kbx-lint streamed items \u0000';

/**
 * JsonArrayStream writes a document built by `JSON.stringify(doc, null, 2)` whose one array of
 * findings is filled a file at a time: each item is its own JSON.stringify, indented to its place
 * (strings hold no raw line break, so every line break is indentation). The document's text
 * around the array is found by stringifying it once with a placeholder item. The bytes are those
 * of the whole document, and a run keeps neither every file's report nor the report's text.
 */
class JsonArrayStream {
  private count = 0;
  private readonly head: string;
  private readonly tail: string;
  private readonly indent: string;
  constructor(
    private readonly write: (s: string) => void,
    private readonly document: (items: unknown[]) => unknown,
  ) {
    const text = JSON.stringify(document([ITEMS]), null, 2);
    const quoted = JSON.stringify(ITEMS);
    const at = text.indexOf(quoted);
    const lineStart = text.lastIndexOf('\n', at) + 1;
    this.indent = text.slice(lineStart, at);
    this.head = text.slice(0, lineStart - 1);
    this.tail = text.slice(at + quoted.length);
  }

  items(items: unknown[]): void {
    for (const item of items) {
      const one = JSON.stringify(item, null, 2).replace(/\n/g, `\n${this.indent}`);
      this.write(`${this.count++ === 0 ? this.head : ','}\n${this.indent}${one}`);
    }
  }

  end(): void {
    this.write(this.count ? `${this.tail}\n` : `${JSON.stringify(this.document([]), null, 2)}\n`);
  }
}

export interface ReportStream {
  file(r: FileReport): void;
  end(): void;
}

/**
 * streamReport writes a SARIF, GitLab, rdjson or Checkstyle report a file at a time, the same
 * bytes (and the newline after them) as the format function of all the files; null for a format
 * it does not stream. JUnit counts every finding in its first element: it keeps only each file's
 * rendered `<testsuite>` text (not the file's text or findings) and writes the document at the end.
 */
export function streamReport(format: string, ctx: ReportContext, write: (s: string) => void): ReportStream | null {
  const of = (document: (items: unknown[]) => unknown, items: (r: FileReport) => unknown[]): ReportStream => {
    const stream = new JsonArrayStream(write, document);
    return { file: (r) => stream.items(items(r)), end: () => stream.end() };
  };
  switch (format) {
    case 'sarif':
      return of(
        (results) => sarifDocument(ctx, results),
        (r) => sarifResults(r, ctx),
      );
    case 'gitlab':
      return of(
        (issues) => issues,
        (r) => gitlabIssues(r, ctx),
      );
    case 'rdjson':
      return of(rdjsonDocument, (r) => rdjsonDiagnostics(r, ctx));
    case 'checkstyle': {
      write('<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">');
      return { file: (r) => write(`\n${checkstyleFile(r).join('\n')}`), end: () => write('\n</checkstyle>\n') };
    }
    case 'junit': {
      const suites: JunitSuite[] = [];
      return {
        file: (r) => {
          suites.push(junitSuite(r));
        },
        end: () => {
          const lines = junitDocument(suites);
          suites.length = 0;
          for (let i = 0; i < lines.length; i++) write(i ? `\n${lines[i]}` : lines[i]);
          write('\n');
        },
      };
    }
    default:
      return null;
  }
}
