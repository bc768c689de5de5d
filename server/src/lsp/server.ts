/**
 * The language server as a class, in the shape of bash-language-server's BashServer:
 * `initialize(connection, params)` reads the client's capabilities, `capabilities()` says what we
 * offer, `register()` attaches the handlers. Everything is plain calls on a Connection, so tests
 * drive it in-process over a pair of streams; `main.ts` only creates the connection and listens.
 *
 * The engine does the work; this file only keeps documents, settings and timing:
 *   - diagnostics are pushed when a document opens (at once) and changes (debounced), cleared on close;
 *   - settings come from the `kbxLint` section (workspace/configuration when the client has it,
 *     else didChangeConfiguration), validated by the same `validateConfig` the CLI uses.
 */
import {
  type CodeAction,
  type CodeActionParams,
  CodeActionKind,
  type CompletionItem,
  type CompletionParams,
  type Connection,
  type Diagnostic as LspDiagnostic,
  DidChangeConfigurationNotification,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type ServerCapabilities,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../core/source';
import { type Config, validateConfig } from '../engine/config';
import { findRule, type LanguageId, lint, type LintResult } from '../engine/lint';
import { classifyByName } from '../hosts/detect';
import { codeActions, FIX_ALL_KIND } from './code-actions';
import { completionsAt, TRIGGER_CHARACTERS } from './completion';
import { toLspDiagnostic, toOffset } from './convert';
import { hoverAt } from './hover';

export const SETTINGS_SECTION = 'kbxLint';

/** Settings as the client sends them (`kbxLint.*`). */
export interface Settings {
  enable?: boolean;
  rules?: Record<string, unknown>;
}

interface ResolvedSettings {
  enable: boolean;
  config: Config;
}

export interface ServerOptions {
  /** Delay between the last change and the lint (ms). */
  debounceMs?: number;
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
  private readonly debounceMs: number;
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
    this.debounceMs = options.debounceMs ?? 200;
    const init = params.initializationOptions as { settings?: Settings } | undefined;
    if (init?.settings && typeof init.settings === 'object') this.globalSettings = init.settings;
  }

  capabilities(): ServerCapabilities {
    return {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
      completionProvider: { triggerCharacters: TRIGGER_CHARACTERS, resolveProvider: false },
    };
  }

  register(): void {
    const { connection, documents } = this;
    connection.onInitialized(() => {
      if (this.hasConfigurationCapability && this.hasDynamicConfigurationRegistration) {
        void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      }
    });
    connection.onDidChangeConfiguration((change) => {
      if (!this.hasConfigurationCapability) {
        const s = (change.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION];
        this.globalSettings = s && typeof s === 'object' ? (s as Settings) : {};
      }
      this.settingsCache.clear();
      this.results.clear();
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
      void connection.sendDiagnostics({ uri, diagnostics: [] });
    });
    connection.onCodeAction((p) => this.onCodeAction(p));
    connection.onHover((p) => this.onHover(p));
    connection.onCompletion((p) => this.onCompletion(p));
    documents.listen(connection);
  }

  private schedule(uri: string, delay: number): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.publish(uri);
      }, delay),
    );
  }

  private getSettings(uri: string): Promise<ResolvedSettings> {
    let p = this.settingsCache.get(uri);
    if (!p) {
      const raw: Promise<Settings> = this.hasConfigurationCapability
        ? Promise.resolve(this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION })).then(
            (s: unknown) => (s && typeof s === 'object' ? (s as Settings) : {}),
            () => ({}),
          )
        : Promise.resolve(this.globalSettings);
      p = raw.then((s) => this.resolveSettings(s));
      this.settingsCache.set(uri, p);
    }
    return p;
  }

  private resolveSettings(s: Settings): ResolvedSettings {
    const { config, problems } = validateConfig({ rules: s.rules ?? {} }, (id) => !!findRule(id));
    for (const problem of problems) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      this.connection.console.warn(`kbxLint.rules: ${problem}`);
      // Typed void, but sent as a request: a client that cannot show it must not crash the server.
      const shown: unknown = this.connection.window.showWarningMessage(`kbx-lint settings: ${problem}`);
      if (shown instanceof Promise) shown.catch(() => undefined);
    }
    return { enable: s.enable !== false, config };
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
    let linted;
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

  private async publish(uri: string): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc) return;
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
      relint: (text) => {
        try {
          return lint({ text, fileName, languageId }, settings.config);
        } catch {
          return null;
        }
      },
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
    return completionsAt(text, toOffset(new LineIndex(text), params.position), linted.result.model);
  }
}
