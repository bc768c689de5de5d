/**
 * The VS Code extension: starts dist/server.js (the bundled kbx-lint language server) over IPC
 * for shell scripts, Makefiles, CI YAML and Markdown, and passes the `kbxLint.*` settings through
 * workspace/configuration. All linting happens in the server.
 */
import * as path from 'node:path';
import type { ExtensionContext } from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

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
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
