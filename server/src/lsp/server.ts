/**
 * The language server as a class, in the shape of bash-language-server's BashServer:
 * `initialize(connection, params)` reads the client's capabilities, `capabilities()` says what we
 * offer, `register()` attaches the handlers. Everything is plain calls on a Connection, so tests
 * drive it in-process over a pair of streams; `main.ts` only creates the connection and listens.
 *
 * The engine does the work; this file only keeps documents, settings and timing:
 *   - lints run in worker threads (`scheduler.ts`), and the worker that holds a document's latest
 *     finished lint answers the requests about its model (see `ask`); the main thread never lints
 *     inside a request and never holds a model;
 *   - diagnostics are pushed when a document opens (at once) and changes (debounced by the last
 *     lint time of that document: short for small files, longer for slow ones), cleared on close;
 *   - settings come from the `kbxLint` section (workspace/configuration when the client has it,
 *     else didChangeConfiguration), validated by the same `validateConfig` the CLI uses;
 *   - `.kbx-lint.json` is found and read exactly as the CLI does it (from the document's directory
 *     up to the project root, with `extends` and `overrides`); the editor's `kbxLint.rules` apply
 *     on top, so the editor and the CLI agree unless the user asked otherwise.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CodeAction,
  type CodeActionParams,
  CodeActionKind,
  type CompletionItem,
  type DocumentSymbol,
  type InlayHint,
  type Location,
  type Range,
  type SemanticTokens,
  type TextEdit,
  type CompletionParams,
  type Connection,
  type Diagnostic as LspDiagnostic,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type DidChangeWatchedFilesParams,
  type Disposable,
  type FileSystemWatcher,
  type Hover,
  type HoverParams,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  type ExecuteCommandParams,
  type InitializeParams,
  MessageType,
  ResponseError,
  type ServerCapabilities,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../core/source';
import { type Config, ConfigError, configForFile, findConfigFile, loadConfigFile, nodeFs } from '../engine/config';
import { emptyLintResult, type LanguageId, type LintResult } from '../engine/lint';
import { classifyByName } from '../hosts/detect';
import { isGitlabCiFile } from '../cli/discover';
import { CONFIG_NAMES } from '../core/config-lookup';
import { rememberBuilderGraph } from '../buildx/builder-graph';
import { type Finished, LintScheduler } from './scheduler';
import type { LintView, Question } from './lint-job';
import { codeActions, FIX_ALL_KIND, isFixAllData } from './code-actions';
import { explainFile, formatExplainText, type ExplainedInvocation } from '../engine/explain';

/**
 * A message to a client that has gone away (the connection closed while a lint was pending) has
 * nobody to reach: it is dropped, not an unhandled rejection.
 */
function ignore(): void {}

/** The command that returns the `kbx-lint explain` view of the invocation under the cursor. */
export const EXPLAIN_COMMAND = 'kbx-lint.explain';
import { completionsAt, TRIGGER_CHARACTERS } from './completion';
import { toLspDiagnostic, toOffset } from './convert';
import { type ResolvedSettings, resolveSettings, SETTINGS_SECTION, type Settings } from './settings';
import { WorkspaceDiagnostics } from './workspace-diagnostics';
import { SEMANTIC_TOKENS_LEGEND } from './semantic-tokens';

export { SETTINGS_SECTION, type Settings } from './settings';

export interface ServerOptions {
  /**
   * Shortest delay between the last change and the pushed lint (ms, default 50); the delay grows
   * with the last lint time of the document (twice it, at most 1 s).
   */
  debounceMs?: number;
  /** Files one workspace/diagnostic request reads at most (default MAX_WORKSPACE_FILES). */
  maxWorkspaceFiles?: number;
  /** The lint worker bundle; default `lint-worker.js` next to this bundle; null: lint on the main thread. */
  workerScript?: string | null;
  /** Stop a lint running longer than this (ms, default 30 s) and report it on the document. */
  lintTimeoutMs?: number;
  /** Lints of different documents that run at once (default 2). */
  maxWorkers?: number;
}

/**
 * Hover and completion wait at most this long for the job their document's worker is running
 * (a lint of this or another document); then they answer without the model.
 */
const REQUEST_WAIT_MS = 150;
/**
 * The other requests (semantic tokens, inlay hints, symbols, navigation, rename) come right after
 * an edit and are best answered from the lint of that edit: they wait longer, yet not for a slow
 * lint of another document.
 */
const MODEL_WAIT_MS = 1000;

/** The adaptive push debounce is at most this long (ms). */
const MAX_DEBOUNCE_MS = 1000;

const SHELL_IDS = new Set(['shellscript', 'sh', 'bash', 'ksh', 'dash']);
const MAKE_IDS = new Set(['makefile', 'make']);
const MARKDOWN_IDS = new Set(['markdown']);
const YAML_IDS = new Set(['yaml', 'github-actions-workflow']);
/** Every client language id languageOf accepts (the VS Code manifest activates on a subset). */
export const LANGUAGE_IDS: readonly string[] = [...SHELL_IDS, ...MAKE_IDS, ...MARKDOWN_IDS, ...YAML_IDS];

/** fileNameOf turns a document URI into the path the engine uses in messages and to pick the host. */
export function fileNameOf(uri: string): string {
  try {
    const u = new URL(uri);
    return decodeURIComponent(u.pathname) || uri;
  } catch {
    return uri;
  }
}

/**
 * languageOf maps a client languageId (or the file name) to the engine's language; null: not ours.
 * `visit` hears the files a YAML document's answer read (the GitLab root pipeline above it).
 */
export function languageOf(languageId: string, fileName: string, visit?: (file: string) => void): LanguageId | null {
  if (MAKE_IDS.has(languageId)) return 'makefile';
  if (SHELL_IDS.has(languageId)) return 'shellscript';
  if (MARKDOWN_IDS.has(languageId)) return 'markdown';
  const byName = classifyByName(fileName);
  // Most YAML is neither a workflow nor a GitLab pipeline: the path says which host reads it, or
  // the project's root pipeline including the file by local path (as the workspace walk finds it).
  if (YAML_IDS.has(languageId)) {
    if (byName === 'github-actions' || byName === 'gitlab-ci') return byName;
    return byName === null && path.isAbsolute(fileName) && isGitlabCiFile(fileName, visit) ? 'gitlab-ci' : null;
  }
  return byName;
}

export class KbxLintServer {
  readonly documents = new TextDocuments(TextDocument);
  private readonly hasConfigurationCapability: boolean;
  private readonly hasDynamicConfigurationRegistration: boolean;
  private readonly hasRelatedInformation: boolean;
  private readonly hasSnippets: boolean;
  private readonly resolvesCodeActionEdits: boolean;
  /** The client pulls diagnostics (textDocument/diagnostic): they are not pushed as well. */
  private readonly pullDiagnostics: boolean;
  private readonly refreshesDiagnostics: boolean;
  private readonly hasWatchedFilesRegistration: boolean;
  private readonly hasRelativePatterns: boolean;
  private readonly debounceMs: number;
  private readonly workspaceDiagnostics: WorkspaceDiagnostics;
  private readonly hasSemanticTokens: boolean;
  private globalSettings: Settings = {};
  private readonly settingsCache = new Map<string, Promise<ResolvedSettings>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  readonly scheduler: LintScheduler;
  private readonly reported = new Set<string>();
  private readonly seen = new Set<string>();
  /** Per open document: the files its host was chosen by (a YAML file's GitLab root pipeline). */
  private readonly classifiedBy = new Map<string, string[]>();
  /** Per open document: bumped when a file it read changed on the disk (LintJobInput.depsKey). */
  private readonly diskGeneration = new Map<string, number>();
  /** The watchers registered for the files open documents read, and their patterns. */
  private dependencyWatchers: { key: string; registration: Promise<Disposable> | null } = { key: '', registration: null };
  private watchersTimer: ReturnType<typeof setTimeout> | null = null;
  /** The configuration files read, those they extend included: a change to one is a settings change. */
  private readonly configFiles = new Set<string>();

  static initialize(connection: Connection, params: InitializeParams, options: ServerOptions = {}): KbxLintServer {
    return new KbxLintServer(connection, params, options);
  }

  private constructor(
    private readonly connection: Connection,
    params: InitializeParams,
    options: ServerOptions,
  ) {
    const caps = params.capabilities;
    this.hasConfigurationCapability = !!caps.workspace?.configuration;
    this.hasDynamicConfigurationRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    this.hasRelatedInformation = !!caps.textDocument?.publishDiagnostics?.relatedInformation;
    this.hasSnippets = !!caps.textDocument?.completion?.completionItem?.snippetSupport;
    this.pullDiagnostics = !!caps.textDocument?.diagnostic;
    this.refreshesDiagnostics = !!caps.workspace?.diagnostics?.refreshSupport;
    this.resolvesCodeActionEdits = !!caps.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit');
    this.hasWatchedFilesRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.hasRelativePatterns = !!caps.workspace?.didChangeWatchedFiles?.relativePatternSupport;
    this.debounceMs = options.debounceMs ?? 200;
    this.workspaceDiagnostics = new WorkspaceDiagnostics(params, options.maxWorkspaceFiles);
    this.hasSemanticTokens = !!caps.textDocument?.semanticTokens;
    this.debounceMs = options.debounceMs ?? 50;
    this.scheduler = new LintScheduler({
      workerScript: options.workerScript === undefined ? path.join(__dirname, 'lint-worker.js') : options.workerScript,
      lintTimeoutMs: options.lintTimeoutMs,
      maxWorkers: options.maxWorkers,
      strict: (globalThis as { kbxStrictRuleContracts?: boolean }).kbxStrictRuleContracts === true,
      log: (m) => connection.console.error(m),
    });
    const init = params.initializationOptions as { settings?: Settings } | undefined;
    if (init?.settings && typeof init.settings === 'object') this.globalSettings = init.settings;
  }

  capabilities(): ServerCapabilities {
    return {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: true },
      hoverProvider: true,
      completionProvider: { triggerCharacters: TRIGGER_CHARACTERS, resolveProvider: false },
      inlayHintProvider: true,
      documentSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      executeCommandProvider: { commands: [EXPLAIN_COMMAND] },
      ...(this.hasSemanticTokens ? { semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true } } : {}),
      ...(this.pullDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: this.workspaceDiagnostics.enabled } } : {}),
    };
  }

  register(): void {
    const { connection, documents } = this;
    connection.onInitialized(() => {
      if (this.hasConfigurationCapability && this.hasDynamicConfigurationRegistration) {
        connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }).catch(ignore);
      }
      if (this.hasWatchedFilesRegistration) {
        connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/{.kbx-lint.json,kbx-lint.json}' }] }).catch(ignore);
      }
    });
    connection.onDidChangeWatchedFiles((p) => this.onWatchedFiles(p));
    connection.onDidChangeConfiguration((change) => {
      this.scheduler.invalidate();
      if (this.pullDiagnostics && this.refreshesDiagnostics) connection.languages.diagnostics.refresh().catch(ignore);
      if (!this.hasConfigurationCapability) {
        const s = (change.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION];
        this.globalSettings = s && typeof s === 'object' ? (s as Settings) : {};
      }
      this.settingsCache.clear();
      this.scheduler.invalidate();
      if (this.pullDiagnostics && this.refreshesDiagnostics) connection.languages.diagnostics.refresh().catch(ignore);
      for (const doc of documents.all()) this.schedule(doc.uri, 0);
    });
    documents.onDidChangeContent((e) => {
      // The first content of a document (didOpen) is linted at once; edits wait for a pause.
      const uri = e.document.uri;
      const first = !this.seen.has(uri);
      this.seen.add(uri);
      this.schedule(uri, first ? 0 : this.debounceFor(uri));
      // The documents that read this one read its buffer (see docs/editor.md): their input changed.
      this.relintDependents([fileNameOf(uri)], false);
    });
    documents.onDidClose((e) => {
      const uri = e.document.uri;
      const t = this.timers.get(uri);
      if (t) clearTimeout(t);
      this.timers.delete(uri);
      this.seen.delete(uri);
      this.scheduler.close(uri);
      this.settingsCache.delete(uri);
      this.classifiedBy.delete(uri);
      this.diskGeneration.delete(uri);
      connection.sendDiagnostics({ uri, diagnostics: [] }).catch(ignore);
      // Closed, its file is read from the disk again.
      this.relintDependents([fileNameOf(uri)], false);
      this.watchDependencies();
    });
    connection.onCodeAction((p) => this.onCodeAction(p));
    connection.onCodeActionResolve((a) => this.onCodeActionResolve(a));
    connection.onHover((p) => this.onHover(p));
    connection.onShutdown(() => {
      if (this.watchersTimer) clearTimeout(this.watchersTimer);
      this.scheduler.dispose();
    });
    connection.languages.inlayHint.on((p) => this.ask(p.textDocument.uri, [], { kind: 'inlay', range: p.range }) as Promise<InlayHint[]>);
    connection.onDocumentSymbol((p) => this.ask(p.textDocument.uri, [], { kind: 'symbols' }) as Promise<DocumentSymbol[]>);
    connection.onDefinition((p) => this.ask(p.textDocument.uri, [], { kind: 'definition', position: p.position, uri: p.textDocument.uri }) as Promise<Location[]>);
    connection.onReferences(
      (p) => this.ask(p.textDocument.uri, [], { kind: 'references', position: p.position, uri: p.textDocument.uri, includeDeclaration: p.context.includeDeclaration }) as Promise<Location[]>,
    );
    connection.onPrepareRename(async (p) => {
      const r = (await this.ask(p.textDocument.uri, null, { kind: 'prepare-rename', position: p.position })) as Range | string | null;
      if (typeof r === 'string') throw new ResponseError(ErrorCodes.InvalidRequest, r);
      return r;
    });
    connection.onRenameRequest(async (p) => {
      const edits = (await this.ask(p.textDocument.uri, null, { kind: 'rename', position: p.position, newName: p.newName })) as TextEdit[] | string | null;
      if (typeof edits === 'string') throw new ResponseError(ErrorCodes.InvalidRequest, edits);
      return edits && { changes: { [p.textDocument.uri]: edits } };
    });
    connection.onExecuteCommand((p) => this.onExecuteCommand(p));
    connection.languages.diagnostics.on(async (p) => ({ kind: DocumentDiagnosticReportKind.Full, items: (await this.diagnostics(p.textDocument.uri)) ?? [] }));
    connection.onCompletion((p) => this.onCompletion(p));
    connection.languages.semanticTokens.on((p) => this.ask(p.textDocument.uri, { data: [] }, { kind: 'tokens', range: null }) as Promise<SemanticTokens>);
    connection.languages.semanticTokens.onRange((p) => this.ask(p.textDocument.uri, { data: [] }, { kind: 'tokens', range: p.range }) as Promise<SemanticTokens>);
    this.workspaceDiagnostics.register(connection, { documents, diagnostics: (uri) => this.diagnostics(uri), settings: (uri) => this.getSettings(uri) });
    documents.listen(connection);
  }

  /**
   * A watched file changed. A configuration file: every document may now have other settings.
   * Another file: the open documents whose latest lint read it are linted again.
   */
  private onWatchedFiles(p: DidChangeWatchedFilesParams): void {
    const changed = p.changes.map((c) => fileNameOf(c.uri));
    if (changed.some((f) => CONFIG_NAMES.includes(path.basename(f)) || this.configFiles.has(f))) {
      this.settingsCache.clear();
      this.scheduler.invalidate();
      if (this.pullDiagnostics && this.refreshesDiagnostics) this.connection.languages.diagnostics.refresh().catch(ignore);
      for (const doc of this.documents.all()) this.schedule(doc.uri, 0);
      return;
    }
    this.relintDependents(changed, true);
  }

  /** The other files a document's latest lint and its host's choice read (absolute paths). */
  private dependenciesOf(uri: string): string[] {
    const reads = this.scheduler.latest(uri)?.reads ?? [];
    const classified = this.classifiedBy.get(uri) ?? [];
    return classified.length ? [...classified, ...reads] : reads;
  }

  /**
   * relintDependents lints again, debounced, the open documents that read one of `files`; `onDisk`:
   * the files changed on the disk (not in a buffer), which their lint input does not show.
   */
  private relintDependents(files: string[], onDisk: boolean): void {
    const changed = new Set(files);
    let any = false;
    for (const doc of this.documents.all()) {
      if (changed.has(fileNameOf(doc.uri)) && !onDisk) continue;
      if (!this.dependenciesOf(doc.uri).some((f) => changed.has(f))) continue;
      if (onDisk) this.diskGeneration.set(doc.uri, (this.diskGeneration.get(doc.uri) ?? 0) + 1);
      any = true;
      this.schedule(doc.uri, this.debounceFor(doc.uri));
    }
    if (any && this.pullDiagnostics && this.refreshesDiagnostics) this.connection.languages.diagnostics.refresh().catch(ignore);
  }

  /** The open documents of file: URIs by path. */
  private openByPath(): Map<string, TextDocument> {
    const out = new Map<string, TextDocument>();
    for (const doc of this.documents.all()) if (doc.uri.startsWith('file:')) out.set(fileNameOf(doc.uri), doc);
    return out;
  }

  /**
   * watchDependencies asks the client (when it registers watchers dynamically) to watch the files
   * the open documents read, once the lints of the moment are done; a new set replaces the old.
   */
  private watchDependencies(): void {
    if (!this.hasWatchedFilesRegistration || this.watchersTimer) return;
    this.watchersTimer = setTimeout(() => {
      this.watchersTimer = null;
      const files = new Set<string>();
      for (const doc of this.documents.all()) for (const f of this.dependenciesOf(doc.uri)) files.add(f);
      // The configuration files by name have their own watcher; the files they extend have not.
      for (const f of this.configFiles) if (!CONFIG_NAMES.includes(path.basename(f))) files.add(f);
      // Without relative patterns a glob names the file anywhere: the events are filtered by path.
      const watchers: FileSystemWatcher[] = this.hasRelativePatterns
        ? [...files].sort().map((f) => ({ globPattern: { baseUri: pathToFileURL(path.dirname(f)).href, pattern: path.basename(f) } }))
        : [...new Set([...files].map((f) => `**/${path.basename(f)}`))].sort().map((globPattern) => ({ globPattern }));
      const key = JSON.stringify(watchers);
      if (key === this.dependencyWatchers.key) return;
      const old = this.dependencyWatchers.registration;
      this.dependencyWatchers = { key, registration: null };
      // A client gone (the connection closed while a lint finished) has nothing to watch.
      try {
        old?.then((d) => d.dispose()).catch(ignore);
        const registration = watchers.length ? this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }) : null;
        registration?.catch(ignore);
        this.dependencyWatchers = { key, registration };
      } catch {}
    }, 50);
    this.watchersTimer.unref?.();
  }

  /** The push debounce of a document: twice its last lint time, within [debounceMs, 1 s]. */
  debounceFor(uri: string): number {
    const last = this.scheduler.lastLintMs(uri) ?? 0;
    return Math.min(MAX_DEBOUNCE_MS, Math.max(this.debounceMs, Math.round(2 * last)));
  }

  private schedule(uri: string, delay: number): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publish(uri).catch(ignore);
      }, delay),
    );
  }

  private getSettings(uri: string): Promise<ResolvedSettings> {
    let p = this.settingsCache.get(uri);
    if (!p) {
      // A client may declare workspace/configuration yet answer null for our section (Neovim before
      // 0.11 unless `settings` is set): then the settings from initializationOptions or
      // didChangeConfiguration stand.
      const raw: Promise<Settings> = this.hasConfigurationCapability
        ? Promise.resolve(this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })).then(
            (s: unknown) => (s && typeof s === 'object' && !Array.isArray(s) && Object.keys(s).length ? (s as Settings) : this.globalSettings),
            () => this.globalSettings,
          )
        : Promise.resolve(this.globalSettings);
      p = raw.then((s) => this.resolveSettings(s, uri));
      this.settingsCache.set(uri, p);
    }
    return p;
  }

  private warnOnce(problem: string, prefix: string): void {
    if (this.reported.has(problem)) return;
    this.reported.add(problem);
    this.connection.console.warn(`${prefix}${problem}`);
    // A notification, not window/showMessageRequest: a request with no actions makes Neovim open a
    // modal prompt per problem, and a headless client never answers it.
    this.connection
      .sendNotification(ShowMessageNotification.type, {
        type: MessageType.Warning,
        message: `kbx-lint ${prefix ? 'settings: ' : ''}${problem}`,
      })
      .catch(ignore);
  }

  /** The configuration file that applies to a document, flattened for it; null when none. */
  private fileConfig(uri: string): Config | null {
    if (!uri.startsWith('file:')) return null;
    const file = fileNameOf(uri);
    try {
      const found = findConfigFile(path.dirname(file), nodeFs);
      if (!found) return null;
      const recording = {
        ...nodeFs,
        readFile: (f: string) => {
          this.configFiles.add(path.resolve(f));
          return nodeFs.readFile(f);
        },
      };
      const config = configForFile(loadConfigFile(found, recording), file);
      this.watchDependencies();
      return config;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.warnOnce(e.message, '');
      return null;
    }
  }

  private resolveSettings(s: Settings, uri = ''): ResolvedSettings {
    return resolveSettings(
      s,
      () => this.fileConfig(uri),
      (problem, prefix) => this.warnOnce(problem, prefix),
    );
  }

  /** The lint input of an open document of ours, with its settings; null when not ours or gone. */
  private async jobOf(uri: string): Promise<{ doc: TextDocument; settings: ResolvedSettings; input: Parameters<LintScheduler['lint']>[1] } | null> {
    const doc = this.documents.get(uri);
    if (!doc) return null;
    const fileName = fileNameOf(uri);
    const classifiedBy: string[] = [];
    const languageId = languageOf(doc.languageId, fileName, (f) => classifiedBy.push(f));
    if (classifiedBy.length) this.classifiedBy.set(uri, classifiedBy);
    else this.classifiedBy.delete(uri);
    if (!languageId) {
      this.watchDependencies();
      return null;
    }
    const settings = await this.getSettings(uri);
    const current = this.documents.get(uri);
    if (!current || current.version !== doc.version) return null;
    // The open buffers of the files the previous lint read stand for those files.
    const open = this.openByPath();
    const buffers: Record<string, string> = {};
    let depsKey = String(this.diskGeneration.get(uri) ?? 0);
    for (const f of this.scheduler.latest(uri)?.reads ?? []) {
      const other = open.get(f);
      if (!other || other.uri === uri) continue;
      buffers[f] = other.getText();
      depsKey += `|${f}@${other.version}`;
    }
    return { doc, settings, input: { uri, text: doc.getText(), fileName, languageId, config: settings.config, buffers, depsKey } };
  }

  /**
   * lintDocument waits for the lint of a document's current text (run in a worker; a finished lint
   * of the same version and settings is reused). For diagnostics and commands only: the requests
   * that must not wait use `cached`.
   */
  async lintDocument(uri: string): Promise<{ doc: TextDocument; done: Finished; settings: ResolvedSettings } | null> {
    for (let round = 0; ; round++) {
      const job = await this.jobOf(uri);
      if (!job) return null;
      const done = await this.scheduler.lint(job.doc.version, job.input);
      if (!done) return null;
      this.watchDependencies();
      // The lint read from the disk a file open in the editor (its first read of it): once more,
      // with the buffer.
      const open = this.openByPath();
      const buffers = job.input.buffers ?? {};
      if (round < 2 && done.reads.some((f) => !(f in buffers) && open.has(f) && open.get(f)!.uri !== uri)) continue;
      return { doc: job.doc, done, settings: job.settings };
    }
  }

  /**
   * latestOf is the latest finished lint of an open, enabled document, of whatever version, without
   * waiting for one: the requests answer from it. 'none' when there is none yet (a large file still
   * being read for the first time) or it was made with other settings; null when the document is
   * not ours or disabled. `current`: it is the lint of the document's current version.
   */
  private async latestOf(uri: string): Promise<{ doc: TextDocument; done: Finished; current: boolean } | 'none' | null> {
    const doc = this.documents.get(uri);
    if (!doc || !languageOf(doc.languageId, fileNameOf(uri))) return null;
    const settings = await this.getSettings(uri);
    if (!settings.enable) return null;
    const done = this.scheduler.latest(uri);
    if (!done || done.config !== settings.config) return 'none';
    return { doc, done, current: done.version === doc.version };
  }

  /**
   * ask answers a request from the model of the latest finished lint (in the worker that holds it;
   * positions are in the text that lint read), or returns `none`, also before the first lint or
   * when the worker's running job outlasts `waitMs`. Hover, completion, symbols and the rest give
   * the cheap answer documented at each then: no hover, completions from the text alone, no symbols.
   */
  private async ask<N>(uri: string, none: N, question: Question, waitMs = MODEL_WAIT_MS): Promise<unknown> {
    const c = await this.latestOf(uri);
    if (!c || c === 'none') return none;
    const got = await this.scheduler.ask(uri, question, waitMs);
    return got ? got.value : none;
  }

  /** diagnostics returns the LSP diagnostics of an open document (empty when disabled or not ours). */
  async diagnostics(uri: string): Promise<LspDiagnostic[] | null> {
    let linted: Awaited<ReturnType<typeof this.lintDocument>> = null;
    try {
      // A lint superseded by a newer version gives way to the lint of that version.
      for (let tries = 0; tries < 100 && this.documents.get(uri); tries++) {
        linted = await this.lintDocument(uri);
        if (linted || !this.documents.get(uri) || !languageOf(this.documents.get(uri)!.languageId, fileNameOf(uri))) break;
        if (this.scheduler.latest(uri)?.version === this.documents.get(uri)?.version) break;
      }
    } catch (e) {
      this.connection.console.error(`kbx-lint failed on ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return null;
    }
    if (!linted) return this.documents.get(uri) ? [] : null;
    if (!linted.settings.enable) return [];
    const lines = new LineIndex(linted.done.text);
    return linted.done.diagnostics.map((d) => toLspDiagnostic(lines, d, { uri, relatedInformation: this.hasRelatedInformation }));
  }

  /**
   * `kbx-lint.explain` [uri, position?]: the `kbx-lint explain` view of the invocation under the
   * position (every invocation of the document without one), as text and as the JSON objects.
   */
  async onExecuteCommand(p: ExecuteCommandParams): Promise<{ text: string; invocations: ExplainedInvocation[] } | null> {
    if (p.command !== EXPLAIN_COMMAND) return null;
    const [uri, position] = (p.arguments ?? []) as [unknown, unknown];
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${EXPLAIN_COMMAND} expects [uri, position?]`);
    // A command the user runs: it waits for the lint of the current text and for its model.
    const linted = await this.lintDocument(uri);
    const entry = linted ? await this.scheduler.view(uri, true) : undefined;
    if (!linted || !entry || entry.version !== linted.doc.version) return { text: '', invocations: [] };
    const model = resultOf(entry.view).model;
    const lines = new LineIndex(entry.text);
    let items = explainFile(fileNameOf(uri), model);
    if (position && typeof position === 'object') {
      const offset = toOffset(lines, position as { line: number; character: number });
      const invs = model.invocations;
      const hit = invs.filter((inv) => inv.span.start <= offset && offset <= inv.span.end).sort((a, b) => b.span.start - a.span.start)[0];
      items = hit ? [items[invs.indexOf(hit)]] : [];
    }
    return { text: formatExplainText(items), invocations: items };
  }

  private async publish(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
    if (this.pullDiagnostics) return;
    const diagnostics = await this.diagnostics(uri);
    if (!diagnostics) return;
    if (this.documents.get(uri)?.version !== doc.version) return; // a newer lint is on its way
    await this.connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  }

  /**
   * Code actions answer from the latest finished lint. When it is not of the current version (or
   * there is none), only the fixes the client's diagnostics carry are offered: "disable" edits and
   * fix-all need the lint of the text they apply to. Fix-all is computed in a worker (it re-lints
   * after each batch of fixes): on codeAction/resolve, or, for clients that cannot resolve, here.
   */
  async onCodeAction(params: CodeActionParams): Promise<CodeAction[]> {
    const uri = params.textDocument.uri;
    const c = await this.latestOf(uri);
    if (!c) return [];
    const doc = this.documents.get(uri)!;
    const result = c !== 'none' && c.current ? summaryResult(c.done) : emptyResult(doc.getText(), fileNameOf(uri), languageOf(doc.languageId, fileNameOf(uri)) ?? undefined);
    const actions = codeActions({
      uri,
      text: doc.getText(),
      diagnostics: params.context.diagnostics,
      only: params.context.only,
      result,
      relint: () => null,
      lazyFixAll: { version: doc.version },
    });
    if (this.resolvesCodeActionEdits) return actions;
    const out: CodeAction[] = [];
    for (const a of actions) {
      if (!isFixAllData(a.data)) out.push(a);
      else {
        const resolved = await this.onCodeActionResolve(a);
        if (resolved.edit) out.push({ title: resolved.title, kind: resolved.kind, edit: resolved.edit });
      }
    }
    return out;
  }

  async onCodeActionResolve(action: CodeAction): Promise<CodeAction> {
    if (!isFixAllData(action.data)) return action;
    const { uri, version } = action.data.kbxFixAll;
    const job = await this.jobOf(uri);
    if (!job || !job.settings.enable || job.doc.version !== version) return action;
    const edit = await this.scheduler.fixAll(version, job.input);
    if (!edit || this.documents.get(uri)?.version !== version) return action;
    return { ...action, edit: { changes: { [uri]: [edit] } } };
  }

  /** Hover answers from the latest finished lint; none before the first. */
  async onHover(params: HoverParams): Promise<Hover | null> {
    return (await this.ask(params.textDocument.uri, null, { kind: 'hover', position: params.position }, REQUEST_WAIT_MS)) as Hover | null;
  }

  /** Completion reads the current text; the latest finished lint adds the builder's driver (none: read from the text). */
  async onCompletion(params: CompletionParams): Promise<CompletionItem[]> {
    const uri = params.textDocument.uri;
    const c = await this.latestOf(uri);
    if (!c) return [];
    const text = this.documents.get(uri)!.getText();
    if (c !== 'none' && c.current) {
      const got = await this.scheduler.ask(uri, { kind: 'completion', position: params.position, text, snippets: this.hasSnippets }, REQUEST_WAIT_MS);
      if (got) return got.value as CompletionItem[];
    }
    return completionsAt(text, toOffset(new LineIndex(text), params.position), null, this.hasSnippets);
  }
}

/** The main thread's lint result: the worker's view, its graph registered for the insight features. */
function resultOf(view: LintView): LintResult {
  rememberBuilderGraph(view.model, view.graph);
  return { diagnostics: view.diagnostics, invocations: view.model.invocations, model: view.model, internalErrors: view.internalErrors };
}

/**
 * What code actions read of a lint, from what the main thread keeps of it: the diagnostics (with
 * their fixes), the host, where each invocation is.
 */
function summaryResult(done: Finished): LintResult {
  const invocations = [];
  for (let i = 0; i + 1 < done.commands.length; i += 2) invocations.push({ span: { start: done.commands[i], end: done.commands[i + 1] } });
  const model = { host: done.host, text: done.text, invocations } as unknown as LintResult['model'];
  return { diagnostics: done.diagnostics, invocations: invocations as unknown as LintResult['invocations'], model, internalErrors: done.internalErrors };
}

/** A result with no findings and no model, for code actions before the lint of the current text. */
const emptyResult = emptyLintResult;
