#!/usr/bin/env node
/**
 * The language server process: `kbx-lint-lsp --stdio` (any LSP client) or `--node-ipc` (the VS Code
 * extension). `createConnection` picks the transport from the command line.
 */
import { createConnection } from 'vscode-languageserver/node';
import { VERSION } from '../core/project';
import { KbxLintServer } from './server';

if (process.argv.includes('--version')) {
  process.stdout.write(`kbx-lint-lsp ${VERSION}\n`);
  process.exit(0);
}

const connection = createConnection();

connection.onInitialize((params) => {
  const server = KbxLintServer.initialize(connection, params);
  server.register();
  return { capabilities: server.capabilities(), serverInfo: { name: 'kbx-lint', version: VERSION } };
});

connection.listen();
