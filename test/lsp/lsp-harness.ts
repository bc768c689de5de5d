/**
 * An in-process LSP session: the real server class on one end of a pair of streams, a protocol
 * connection acting as the client on the other. Nothing is mocked but the editor.
 */
import { PassThrough } from 'node:stream';
import {
  type CodeAction,
  CodeActionRequest,
  CodeActionResolveRequest,
  type CompletionItem,
  CompletionRequest,
  ConfigurationRequest,
  createConnection,
  createProtocolConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  type Hover,
  HoverRequest,
  type InitializeResult,
  InitializeRequest,
  InitializedNotification,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KbxLintServer, type ServerOptions } from '../../server/src/lsp/server';

/** The lint thread of the built server: the sessions lint off their main thread, as the real server does. */
export const LINT_WORKER = join(__dirname, '../../dist/lint-worker.js');

export interface SessionOptions {
  /** What the client answers to workspace/configuration (section kbxLint); null: no configuration capability. */
  settings?: Record<string, unknown> | null;
  /** textDocument client capabilities to declare besides publishDiagnostics.relatedInformation. */
  textDocument?: Record<string, unknown>;
  workspace?: Record<string, unknown>;
  /** Sent as initializationOptions whatever the configuration capability. */
  initializationOptions?: unknown;
  /** `window` client capabilities (workDoneProgress). */
  window?: Record<string, unknown>;
  /** More initialize params (rootUri, workspaceFolders). */
  initialize?: Record<string, unknown>;
  /** Passed to the server (debounceMs is 5 unless given). */
  serverOptions?: ServerOptions;
  /** Server options besides the short debounce and the built lint worker. */
  server?: ServerOptions;
}

export interface Session {
  init: InitializeResult;
  /** The client's end of the connection, for handlers a test adds. */
  connection: ProtocolConnection;
  settings: Record<string, unknown>;
  messages: string[];
  /** Messages the server sent as window/showMessageRequest (which needs an answer from the user). */
  messageRequests: string[];
  open(uri: string, languageId: string, text: string): Promise<PublishDiagnosticsParams>;
  change(uri: string, text: string): Promise<PublishDiagnosticsParams>;
  close(uri: string): Promise<PublishDiagnosticsParams>;
  configurationChanged(): Promise<PublishDiagnosticsParams>;
  codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]>;
  resolveCodeAction(action: CodeAction): Promise<CodeAction>;
  /** Any other request, by method name. */
  request<T>(method: string, params: unknown): Promise<T>;
  /** Whether the server pushed diagnostics for `uri` within `ms`. */
  pushedWithin(uri: string, ms: number): Promise<boolean>;
  hover(uri: string, position: Position): Promise<Hover | null>;
  complete(uri: string, position: Position): Promise<CompletionItem[]>;
  /** The next diagnostics published for a document (rejected after `timeoutMs`, default 5 s). */
  next(uri: string, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  /** The server object (its scheduler, its debounce). */
  server(): KbxLintServer;
  /** Sends any notification to the server. */
  notify(method: string, params: unknown): Promise<void>;
  dispose(): void;
}

export async function startSession(opts: SessionOptions = {}): Promise<Session> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  if (!existsSync(LINT_WORKER)) throw new Error('run `npm run build` first: the language server lints in dist/lint-worker.js');
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  let server: KbxLintServer | null = null;
  serverConnection.onInitialize((params) => {
    server = KbxLintServer.initialize(serverConnection, params, { debounceMs: 5, workerScript: LINT_WORKER, ...opts.serverOptions, ...opts.server });
    server.register();
    return { capabilities: server.capabilities() };
  });
  serverConnection.listen();

  const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const withConfiguration = opts.settings !== null;
  const settings: Record<string, unknown> = { ...(opts.settings ?? {}) };
  const messages: string[] = [];
  const messageRequests: string[] = [];
  const waiting: { uri: string; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const versions = new Map<string, number>();
  client.onNotification(PublishDiagnosticsNotification.type, (p) => {
    for (const w of waiting.filter((x) => x.uri === p.uri)) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(p);
    }
  });
  client.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => settings));
  client.onRequest(RegistrationRequest.type, () => undefined);
  client.onNotification('window/showMessage', (m: { message: string }) => {
    messages.push(m.message);
  });
  client.onNotification('window/logMessage', (m: { message: string }) => {
    messages.push(m.message);
  });
  client.onRequest('window/showMessageRequest', (m: { message: string }) => {
    messages.push(m.message);
    messageRequests.push(m.message);
    return null;
  });
  client.listen();

  const next = (uri: string, timeoutMs = 5000): Promise<PublishDiagnosticsParams> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics published for ${uri}`)), timeoutMs);
      waiting.push({
        uri,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });

  const init = await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    capabilities: {
      workspace: withConfiguration ? { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } : {},
      textDocument: { publishDiagnostics: { relatedInformation: true }, ...(opts.textDocument ?? {}) },
      ...(opts.workspace ? { workspace: { ...(withConfiguration ? { configuration: true, didChangeConfiguration: { dynamicRegistration: true } } : {}), ...opts.workspace } } : {}),
      ...(opts.window ? { window: opts.window } : {}),
    },
    ...opts.initialize,
    initializationOptions: opts.initializationOptions ?? (withConfiguration ? undefined : { settings: opts.settings ?? {} }),
  });
  await client.sendNotification(InitializedNotification.type, {});

  return {
    init,
    connection: client,
    settings,
    messages,
    messageRequests,
    async open(uri, languageId, text) {
      const p = next(uri);
      versions.set(uri, 1);
      await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
      return p;
    },
    async change(uri, text) {
      const p = next(uri);
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      await client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
      return p;
    },
    async close(uri) {
      const p = next(uri);
      await client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
      return p;
    },
    async configurationChanged() {
      const uris = [...versions.keys()];
      const p = next(uris[uris.length - 1]);
      await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { kbxLint: settings } });
      return p;
    },
    codeActions(uri, diagnostics, only) {
      return client.sendRequest(CodeActionRequest.type, {
        textDocument: { uri },
        range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics, only },
      }) as Promise<CodeAction[]>;
    },
    request<T>(method: string, params: unknown) {
      return client.sendRequest(method, params) as Promise<T>;
    },
    pushedWithin(uri, ms) {
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        waiting.push({ uri, resolve: () => (clearTimeout(timer), resolve(true)) });
      });
    },
    resolveCodeAction(action) {
      return client.sendRequest(CodeActionResolveRequest.type, action);
    },
    hover(uri, position) {
      return client.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    },
    async complete(uri, position) {
      const r = await client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
      return Array.isArray(r) ? r : (r?.items ?? []);
    },
    next,
    server: () => server!,
    notify(method, params) {
      return client.sendNotification(method, params);
    },
    dispose() {
      server?.scheduler.dispose();
      client.dispose();
      serverConnection.dispose();
      toServer.destroy();
      toClient.destroy();
    },
  };
}

/** applyWorkspaceEdit applies the edits of one document (`changes` form) to its text. */
export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit | undefined): string {
  const edits: TextEdit[] = edit?.changes?.[uri] ?? [];
  return TextDocument.applyEdits(TextDocument.create(uri, 'shellscript', 1, text), edits);
}

/** positionOf returns the position of the `nth` occurrence of `needle` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not found`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}
