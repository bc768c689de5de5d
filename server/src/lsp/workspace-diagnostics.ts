/**
 * Workspace diagnostics (`workspace/diagnostic`, LSP 3.17): the findings of every file the CLI
 * would lint in the workspace folders, whether or not the editor has it open.
 *
 * - The files are the CLI's: `discover` (cli/discover.ts: file types, `.gitignore`, symbolic
 *   links, binary files), then the same byte pre-filter (a file that mentions neither `buildx` nor
 *   `docker` is not read) and the engine's input limits (KBX604), each file with the settings and
 *   `.kbx-lint.json` it would have if it were opened.
 * - An open document is reported from the editor's text (with its version), never from the disk.
 * - Each report has a `resultId`: a hash of what decides the result (the settings and the bytes of
 *   the file; for an open document, its diagnostics). A file whose id the client already holds
 *   comes back `unchanged` without being linted again, so the client's periodic re-pull (VS Code
 *   asks again two seconds after each answer) costs a walk and a hash per file.
 * - A file the client holds a report for that is no longer linted (deleted, now ignored, no longer
 *   mentioning docker) gets an empty report, so its old findings do not linger.
 * - Bounded: at most MAX_WORKSPACE_FILES files per request (the rest is left out and logged once);
 *   reports stream in chunks when the client gives a partialResultToken, and progress is reported
 *   when it gives a workDoneToken; a cancelled request stops between files.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  CancellationToken,
  ClientCapabilities,
  Connection,
  Diagnostic as LspDiagnostic,
  InitializeParams,
  ResultProgressReporter,
  TextDocuments,
  WorkDoneProgressReporter,
  WorkspaceDiagnosticParams,
  WorkspaceDiagnosticReport,
  WorkspaceDiagnosticReportPartialResult,
  WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../core/source';
import { discover, isBinary, type Oversize, readIfMentioned } from '../cli/discover';
import { type Config, LIMITS } from '../engine/config';
import { type LintInput, lintIfBuildx, type LintResult } from '../engine/lint';
import { toLspDiagnostic } from './convert';
import type { ResolvedSettings } from './settings';

/** The most files one workspace/diagnostic request reads; the rest of a larger workspace is left out. */
export const MAX_WORKSPACE_FILES = 2000;
/** Reports per partial result. */
const CHUNK = 50;
/** resultId of the empty report that clears a file no longer linted. */
const GONE = 'gone';

/** What the handler needs from the server. */
export interface WorkspaceHost {
  documents: TextDocuments<TextDocument>;
  /** The diagnostics of an open document, from its current text (null: not a document we lint). */
  diagnostics(uri: string): Promise<LspDiagnostic[] | null>;
  /** The settings (client settings and `.kbx-lint.json`) a document at `uri` gets. */
  settings(uri: string): Promise<ResolvedSettings>;
  /** Lints a file's text; the engine's `lintIfBuildx` unless the server runs it elsewhere. */
  lint?: (input: LintInput, config: Config) => LintResult | Promise<LintResult>;
}

function hash(...parts: (string | Buffer)[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('base64url').slice(0, 22);
}

function pathOf(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class WorkspaceDiagnostics {
  /** The server offers workspace diagnostics: only to a client that pulls diagnostics. */
  readonly enabled: boolean;
  private readonly initialFolders: string[];
  private readonly asksForFolders: boolean;
  private readonly relatedInformation: boolean;
  private warnedLimit = false;

  constructor(
    params: InitializeParams,
    private readonly maxFiles = MAX_WORKSPACE_FILES,
  ) {
    const caps: ClientCapabilities = params.capabilities;
    this.enabled = !!caps.textDocument?.diagnostic;
    this.asksForFolders = !!caps.workspace?.workspaceFolders;
    this.relatedInformation = !!(caps.textDocument?.diagnostic as { relatedInformation?: boolean } | undefined)?.relatedInformation || !!caps.textDocument?.publishDiagnostics?.relatedInformation;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    this.initialFolders = folders.map(pathOf).filter((p): p is string => !!p);
    if (!folders.length && params.rootPath) this.initialFolders.push(params.rootPath);
  }

  register(connection: Connection, host: WorkspaceHost): void {
    if (!this.enabled) return;
    connection.languages.diagnostics.onWorkspace((params, token, workDone, partial) => this.report(connection, host, params, token, workDone, partial));
  }

  private async folders(connection: Connection): Promise<string[]> {
    if (!this.asksForFolders) return this.initialFolders;
    try {
      const folders = await connection.workspace.getWorkspaceFolders();
      return folders ? folders.map((f) => pathOf(f.uri)).filter((p): p is string => !!p) : this.initialFolders;
    } catch {
      return this.initialFolders;
    }
  }

  async report(
    connection: Connection,
    host: WorkspaceHost,
    params: WorkspaceDiagnosticParams,
    token: CancellationToken,
    workDone: WorkDoneProgressReporter,
    partial: ResultProgressReporter<WorkspaceDiagnosticReportPartialResult> | undefined,
  ): Promise<WorkspaceDiagnosticReport> {
    const previous = new Map(params.previousResultIds.map((p) => [p.uri, p.value]));
    const open = new Map<string, TextDocument>();
    for (const doc of host.documents.all()) {
      const p = pathOf(doc.uri);
      if (p) open.set(p, doc);
    }
    const found = discover(await this.folders(connection), { ignoreGlobs: [] }).files;
    if (found.length > this.maxFiles && !this.warnedLimit) {
      this.warnedLimit = true;
      connection.console.warn(`kbx-lint: the workspace has ${found.length} files to lint; workspace diagnostics cover the first ${this.maxFiles}`);
    }
    const files = found.slice(0, this.maxFiles);
    workDone.begin('kbx-lint', 0, `${files.length} files`, false);
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const reported = new Set<string>();
    let pending: WorkspaceDocumentDiagnosticReport[] = [];
    const emit = (r: WorkspaceDocumentDiagnosticReport) => {
      reported.add(r.uri);
      if (!partial) return void items.push(r);
      pending.push(r);
      if (pending.length >= CHUNK) {
        partial.report({ items: pending });
        pending = [];
      }
    };
    // Behind the CLI's pre-filter: a file that says "docker" but holds no buildx command is not
    // parsed, so its syntax errors are not reported here either.
    const lintText = host.lint ?? lintIfBuildx;
    for (let i = 0; i < files.length; i++) {
      if (token.isCancellationRequested) break;
      const f = files[i];
      if (i % 10 === 0) workDone.report(Math.floor((100 * i) / files.length), `${i}/${files.length} files`);
      const doc = open.get(f.path);
      if (doc) {
        const diagnostics = (await host.diagnostics(doc.uri)) ?? [];
        const resultId = hash('open', JSON.stringify(diagnostics));
        emit(
          previous.get(doc.uri) === resultId ? { kind: 'unchanged', uri: doc.uri, version: doc.version, resultId } : { kind: 'full', uri: doc.uri, version: doc.version, resultId, items: diagnostics },
        );
        continue;
      }
      const uri = pathToFileURL(f.path).href;
      let read: Buffer | Oversize | null;
      let settings: ResolvedSettings | undefined;
      try {
        // As the CLI reads: never blocking on a FIFO made since the walk, a small file whole, a
        // bigger one scanned first and held only when it mentions docker and fits its limit.
        read = readIfMentioned(f, 0);
        if (read && !Buffer.isBuffer(read)) {
          settings = await host.settings(uri);
          read = readIfMentioned(f, settings.config.limits?.maxFileSize ?? LIMITS.maxFileSize);
        }
      } catch {
        continue; // gone since the walk, or unreadable: the CLI reports it, an editor has no place to
      }
      if (!read || (Buffer.isBuffer(read) && isBinary(read))) continue;
      const raw = Buffer.isBuffer(read) ? read : Buffer.from(`oversize ${read.oversizeBytes}`);
      const oversize = Buffer.isBuffer(read) ? {} : { oversizeBytes: read.oversizeBytes };
      settings ??= await host.settings(uri);
      const resultId = hash('disk', f.languageId, JSON.stringify(settings), raw);
      if (previous.get(uri) === resultId) {
        emit({ kind: 'unchanged', uri, version: null, resultId });
        continue;
      }
      let diagnostics: LspDiagnostic[] = [];
      if (settings.enable) {
        const text = Buffer.isBuffer(read) ? raw.toString('utf8') : '';
        const result = await lintText({ text, fileName: f.path, languageId: f.languageId, ...oversize }, settings.config);
        const lines = new LineIndex(text);
        diagnostics = result.diagnostics.map((d) => toLspDiagnostic(lines, d, { uri, relatedInformation: this.relatedInformation }));
      }
      emit({ kind: 'full', uri, version: null, resultId, items: diagnostics });
      // Linting is synchronous: let the editor's other requests in between files.
      await yieldToEventLoop();
    }
    if (!token.isCancellationRequested) {
      for (const [uri, value] of previous) {
        const p = pathOf(uri);
        if (value === GONE || reported.has(uri) || (p && open.has(p)) || host.documents.get(uri)) continue;
        emit({ kind: 'full', uri, version: null, resultId: GONE, items: [] });
      }
    }
    if (partial && pending.length) partial.report({ items: pending });
    workDone.done();
    return { items };
  }
}
