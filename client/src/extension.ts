/**
 * The VS Code extension: starts dist/server.js (the bundled kbx-lint language server) over IPC
 * for shell scripts, Makefiles, CI YAML and Markdown, passes the `kbxLint.*` settings through
 * workspace/configuration, and adds three commands: restart the server, show its output, and
 * explain the buildx command under the cursor. All linting happens in the server.
 */
import * as path from 'node:path';
import { commands, type ExtensionContext, window, workspace } from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

/** The server's command (server/src/lsp/server.ts EXPLAIN_COMMAND). */
const EXPLAIN = 'kbx-lint.explain';

export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'shellscript' },
      { language: 'makefile' },
      { language: 'markdown' },
      // Every YAML file reaches the server; it reads only workflows, actions and GitLab pipelines.
      { language: 'yaml' },
      { language: 'github-actions-workflow' },
      { pattern: '**/{Makefile,GNUmakefile,makefile,*.mk,*.sh}' },
    ],
    synchronize: { configurationSection: 'kbxLint' },
  };
  client = new LanguageClient('kbx-lint', 'kbx-lint', serverOptions, clientOptions);
  context.subscriptions.push(
    commands.registerCommand('kbx-lint.restartServer', () => client?.restart()),
    commands.registerCommand('kbx-lint.showOutput', () => client?.outputChannel.show(true)),
    commands.registerCommand('kbx-lint.explainCommand', async () => {
      const editor = window.activeTextEditor;
      if (!editor || !client) return;
      const uri = editor.document.uri.toString();
      const position = client.code2ProtocolConverter.asPosition(editor.selection.active);
      const result = (await client.sendRequest('workspace/executeCommand', { command: EXPLAIN, arguments: [uri, position] })) as { text: string } | null;
      if (!result?.text) {
        void window.showInformationMessage('kbx-lint: no buildx command under the cursor');
        return;
      }
      const doc = await workspace.openTextDocument({ content: result.text, language: 'plaintext' });
      await window.showTextDocument(doc, { preview: true, viewColumn: -2 /* beside */ });
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
