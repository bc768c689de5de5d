/**
 * The language server as a class, in the shape of bash-language-server's BashServer:
 * `initialize(connection, params)` reads the client's capabilities, `capabilities()` says what we
 * offer, `register()` attaches the handlers. Everything is plain calls on a Connection, so tests
 * drive it in-process over a pair of streams; `main.ts` only creates the connection and listens.
 *
 * The engine does the work; this file only keeps documents, settings and timing:
 *   - diagnostics are pushed when a document opens (at once) and changes (debounced), cleared on close;
 *   - settings come from the `kbxLint` section (workspace/configuration when the client has it,
 *     else didChangeConfiguration), validated by the same `validateConfig` the CLI uses;
 *   - `.kbx-lint.json` is found and read exactly as the CLI does it (from the document's directory
 *     up to the project root, with `extends` and `overrides`); the editor's `kbxLint.rules` apply
 *     on top, so the editor and the CLI agree unless the user asked otherwise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type CodeAction,
  type CodeActionParams,
  CodeActionKind,
  type CompletionItem,
  type CompletionParams,
  type Connection,
  type Diagnostic as LspDiagnostic,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
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
import { type Config, ConfigError, type ConfigFs, configForFile, findConfigFile, loadConfigFile } from '../engine/config';
import { type LanguageId, lint, type LintResult } from '../engine/lint';
import { classifyByName } from '../hosts/detect';
import { codeActions, FIX_ALL_KIND, isFixAllData, resolveFixAll } from './code-actions';
import { definitionAt, documentSymbols, inlayHints, prepareRenameAt, referencesAt, renameAt } from './insight';
import { explainFile, formatExplainText, type ExplainedInvocation } from '../engine/explain';

/**
 * A message to a client that has gone away (the connection closed while a lint was pending) has
 * nobody to reach: it is dropped, not an unhandled rejection.
 */
function ignore(): void {}

/** The command that returns the `kbx-lint explain` view of the invocation under the cursor. */
export const EXPLAIN_COMMAND = 'kbx-lint.explain';
import { completionsAt, TRIGGER_CHARACTERS } from './completion';
import { toLspDiagnostic, toOffset, toSpan } from './convert';
import { hoverAt } from './hover';
import { type ResolvedSettings, resolveSettings, SETTINGS_SECTION, type Settings } from './settings';
import { WorkspaceDiagnostics } from './workspace-diagnostics';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './semantic-tokens';

export { SETTINGS_SECTION, type Settings } from './settings';

const nodeFs: ConfigFs = {
  readFile: (f) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },
  exists: (f) => fs.existsSync(f),
};

export interface ServerOptions {
  /** Delay between the last change and the lint (ms). */
  debounceMs?: number;
  /** Files one workspace/diagnostic request reads at most (default MAX_WORKSPACE_FILES). */
  maxWorkspaceFiles?: number;
}

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

/** languageOf maps a client languageId (or the file name) to the engine's language; null: not ours. */
export function languageOf(languageId: string, fileName: string): LanguageId | null {
  if (MAKE_IDS.has(languageId)) return 'makefile';
  if (SHELL_IDS.has(languageId)) return 'shellscript';
  if (MARKDOWN_IDS.has(languageId)) return 'markdown';
  const byName = classifyByName(fileName);
  // Most YAML is neither a workflow nor a GitLab pipeline: only the path says which host reads it.
  if (YAML_IDS.has(languageId)) return byName === 'github-actions' || byName === 'gitlab-ci' ? byName : null;
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
  private readonly debounceMs: number;
  private readonly workspaceDiagnostics: WorkspaceDiagnostics;
  private readonly hasSemanticTokens: boolean;
  private globalSettings: Settings = {};
  private readonly settingsCache = new Map<string, Promise<ResolvedSettings>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly results = new Map<string, { version: number; config: Config; result: LintResult }>();
  private readonly reported = new Set<string>();
  private readonly seen = new Set<string>();

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
    this.debounceMs = options.debounceMs ?? 200;
    this.workspaceDiagnostics = new WorkspaceDiagnostics(params, options.maxWorkspaceFiles);
    this.hasSemanticTokens = !!caps.textDocument?.semanticTokens;
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
    // A configuration file changed: every document may now have other settings.
    connection.onDidChangeWatchedFiles(() => {
      this.settingsCache.clear();
      this.results.clear();
      if (this.pullDiagnostics && this.refreshesDiagnostics) connection.languages.diagnostics.refresh().catch(ignore);
      for (const doc of documents.all()) this.schedule(doc.uri, 0);
    });
    connection.onDidChangeConfiguration((change) => {
      if (!this.hasConfigurationCapability) {
        const s = (change.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION];
        this.globalSettings = s && typeof s === 'object' ? (s as Settings) : {};
      }
      this.settingsCache.clear();
      this.results.clear();
      if (this.pullDiagnostics && this.refreshesDiagnostics) connection.languages.diagnostics.refresh().catch(ignore);
      for (const doc of documents.all()) this.schedule(doc.uri, 0);
    });
    documents.onDidChangeContent((e) => {
      // The first content of a document (didOpen) is linted at once; edits wait for a pause.
      const uri = e.document.uri;
      const first = !this.seen.has(uri);
      this.seen.add(uri);
      this.schedule(uri, first ? 0 : this.debounceMs);
    });
    documents.onDidClose((e) => {
      const uri = e.document.uri;
      const t = this.timers.get(uri);
      if (t) clearTimeout(t);
      this.timers.delete(uri);
      this.seen.delete(uri);
      this.results.delete(uri);
      this.settingsCache.delete(uri);
      connection.sendDiagnostics({ uri, diagnostics: [] }).catch(ignore);
    });
    connection.onCodeAction((p) => this.onCodeAction(p));
    connection.onCodeActionResolve((a) => this.onCodeActionResolve(a));
    connection.onHover((p) => this.onHover(p));
    connection.languages.inlayHint.on((p) => this.withModel(p.textDocument.uri, [], (m, lines) => inlayHints(m, lines, toSpan(lines, p.range))));
    connection.onDocumentSymbol((p) => this.withModel(p.textDocument.uri, [], (m, lines) => documentSymbols(m, lines)));
    connection.onDefinition((p) => this.withModel(p.textDocument.uri, [], (m, lines) => definitionAt(m, lines, p.textDocument.uri, toOffset(lines, p.position))));
    connection.onReferences((p) => this.withModel(p.textDocument.uri, [], (m, lines) => referencesAt(m, lines, p.textDocument.uri, toOffset(lines, p.position), p.context.includeDeclaration)));
    connection.onPrepareRename((p) =>
      this.withModel(p.textDocument.uri, null, (m, lines) => {
        const r = prepareRenameAt(m, lines, toOffset(lines, p.position));
        if (typeof r === 'string') throw new ResponseError(ErrorCodes.InvalidRequest, r);
        return r;
      }),
    );
    connection.onRenameRequest((p) =>
      this.withModel(p.textDocument.uri, null, (m, lines) => {
        const edits = renameAt(m, lines, toOffset(lines, p.position), p.newName);
        if (typeof edits === 'string') throw new ResponseError(ErrorCodes.InvalidRequest, edits);
        return { changes: { [p.textDocument.uri]: edits } };
      }),
    );
    connection.onExecuteCommand((p) => this.onExecuteCommand(p));
    connection.languages.diagnostics.on(async (p) => ({ kind: DocumentDiagnosticReportKind.Full, items: (await this.diagnostics(p.textDocument.uri)) ?? [] }));
    connection.onCompletion((p) => this.onCompletion(p));
    connection.languages.semanticTokens.on((p) => this.withModel(p.textDocument.uri, { data: [] }, (m, lines) => semanticTokens(m, lines)));
    connection.languages.semanticTokens.onRange((p) => this.withModel(p.textDocument.uri, { data: [] }, (m, lines) => semanticTokens(m, lines, toSpan(lines, p.range))));
    this.workspaceDiagnostics.register(connection, { documents, diagnostics: (uri) => this.diagnostics(uri), settings: (uri) => this.getSettings(uri) });
    documents.listen(connection);
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
      return found ? configForFile(loadConfigFile(found, nodeFs), file) : null;
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.warnOnce(e.message, '');
      return null;
    }
  }

  private resolveSettings(s: Settings, uri = ''): ResolvedSettings {
    return resolveSettings(s, () => this.fileConfig(uri), (problem, prefix) => this.warnOnce(problem, prefix));
  }

  /** lintDocument lints a document's current text with its settings (cached per version). */
  async lintDocument(uri: string): Promise<{ doc: TextDocument; result: LintResult; settings: ResolvedSettings } | null> {
    const doc = this.documents.get(uri);
    if (!doc) return null;
    const fileName = fileNameOf(uri);
    const languageId = languageOf(doc.languageId, fileName);
    if (!languageId) return null;
    const settings = await this.getSettings(uri);
    const current = this.documents.get(uri);
    if (!current || current.version !== doc.version) return null;
    const cached = this.results.get(uri);
    if (cached && cached.version === doc.version && cached.config === settings.config) return { doc, result: cached.result, settings };
    const result = lint({ text: doc.getText(), fileName, languageId }, settings.config);
    this.results.set(uri, { version: doc.version, config: settings.config, result });
    return { doc, result, settings };
  }

  /** diagnostics returns the LSP diagnostics of an open document (empty when disabled or not ours). */
  async diagnostics(uri: string): Promise<LspDiagnostic[] | null> {
    let linted: Awaited<ReturnType<typeof this.lintDocument>>;
    try {
      linted = await this.lintDocument(uri);
    } catch (e) {
      this.connection.console.error(`kbx-lint failed on ${uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return null;
    }
    if (!linted) return this.documents.get(uri) ? [] : null;
    if (!linted.settings.enable) return [];
    const lines = new LineIndex(linted.doc.getText());
    return linted.result.diagnostics.map((d) => toLspDiagnostic(lines, d, { uri, relatedInformation: this.hasRelatedInformation }));
  }

  /** withModel runs `f` on the current lint of an open, enabled document, or returns `none`. */
  private async withModel<T, N>(uri: string, none: N, f: (model: LintResult['model'], lines: LineIndex) => T): Promise<T | N> {
    const linted = await this.lintDocument(uri);
    if (!linted || !linted.settings.enable) return none;
    return f(linted.result.model, new LineIndex(linted.doc.getText()));
  }

  /**
   * `kbx-lint.explain` [uri, position?]: the `kbx-lint explain` view of the invocation under the
   * position (every invocation of the document without one), as text and as the JSON objects.
   */
  async onExecuteCommand(p: ExecuteCommandParams): Promise<{ text: string; invocations: ExplainedInvocation[] } | null> {
    if (p.command !== EXPLAIN_COMMAND) return null;
    const [uri, position] = (p.arguments ?? []) as [unknown, unknown];
    if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${EXPLAIN_COMMAND} expects [uri, position?]`);
    const linted = await this.lintDocument(uri);
    if (!linted) return { text: '', invocations: [] };
    const lines = new LineIndex(linted.doc.getText());
    let items = explainFile(fileNameOf(uri), linted.result.model);
    if (position && typeof position === 'object') {
      const offset = toOffset(lines, position as { line: number; character: number });
      const invs = linted.result.model.invocations;
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

  async onCodeAction(params: CodeActionParams): Promise<CodeAction[]> {
    const linted = await this.lintDocument(params.textDocument.uri);
    if (!linted || !linted.settings.enable) return [];
    const { doc, result, settings } = linted;
    const fileName = fileNameOf(doc.uri);
    const languageId = languageOf(doc.languageId, fileName) ?? undefined;
    return codeActions({
      uri: doc.uri,
      text: doc.getText(),
      diagnostics: params.context.diagnostics,
      only: params.context.only,
      result,
      relint: this.relinter(fileName, languageId, settings.config),
      lazyFixAll: this.resolvesCodeActionEdits ? { version: doc.version } : undefined,
    });
  }

  private relinter(fileName: string, languageId: LanguageId | undefined, config: Config): (text: string) => LintResult | null {
    return (text) => {
      try {
        return lint({ text, fileName, languageId }, config);
      } catch {
        return null;
      }
    };
  }

  async onCodeActionResolve(action: CodeAction): Promise<CodeAction> {
    if (!isFixAllData(action.data)) return action;
    const linted = await this.lintDocument(action.data.kbxFixAll.uri);
    if (!linted || !linted.settings.enable) return action;
    const fileName = fileNameOf(linted.doc.uri);
    return resolveFixAll(action, {
      uri: linted.doc.uri,
      version: linted.doc.version,
      text: linted.doc.getText(),
      result: linted.result,
      relint: this.relinter(fileName, languageOf(linted.doc.languageId, fileName) ?? undefined, linted.settings.config),
    });
  }

  async onHover(params: HoverParams): Promise<Hover | null> {
    const linted = await this.lintDocument(params.textDocument.uri);
    if (!linted || !linted.settings.enable) return null;
    const offset = toOffset(new LineIndex(linted.doc.getText()), params.position);
    return hoverAt(linted.result.model, offset);
  }

  async onCompletion(params: CompletionParams): Promise<CompletionItem[]> {
    const linted = await this.lintDocument(params.textDocument.uri);
    if (!linted || !linted.settings.enable) return [];
    const text = linted.doc.getText();
    return completionsAt(text, toOffset(new LineIndex(text), params.position), linted.result.model, this.hasSnippets);
  }
}
