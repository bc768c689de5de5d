#!/usr/bin/env node
/**
 * The language server process: `kbx-lint-lsp --stdio` (any LSP client) or `--node-ipc` (the VS Code
 * extension). `createConnection` picks the transport from the command line.
 */
import { ConnectionError, ConnectionErrors, createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { VERSION } from '../core/project';
import { KbxLintServer } from './server';

const USAGE = 'usage: kbx-lint-lsp --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n';

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`kbx-lint-lsp ${VERSION}\n`);
  process.exit(0);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const transport = args.find((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='));
if (!transport) {
  process.stderr.write(`kbx-lint-lsp: no transport given\n${USAGE}`);
  process.exit(2);
}

/**
 * On stdio, a frame the reader cannot parse (a missing or non-numeric Content-Length) leaves the
 * stream out of step for good: every later message would be lost while the process looks alive.
 * Exiting instead lets the editor see the server die and restart it. A well-framed body that is
 * not JSON (a SyntaxError from the decoder) leaves the stream in step: that one message is
 * dropped, said on stderr, and the server goes on.
 */
function stdioConnection() {
  const reader = new StreamMessageReader(process.stdin);
  reader.onError((e) => {
    if (e instanceof SyntaxError) {
      process.stderr.write(`kbx-lint-lsp: dropped a message from the client that is not JSON (${e.message.slice(0, 200)})\n`);
      return;
    }
    process.stderr.write(`kbx-lint-lsp: unreadable message from the client (${e instanceof Error ? e.message : String(e)}); exiting\n`);
    process.exit(1);
  });
  return createConnection(reader, new StreamMessageWriter(process.stdout));
}

/**
 * Once the client has closed the connection, anything still queued that writes to it (the
 * library's own log of an invalid message, a late diagnostic) throws "Connection is closed" from a
 * promise: that is the end of the session, not a crash, and ends the process without a stack trace.
 */
function endIfClosed(e: unknown): void {
  if (e instanceof ConnectionError && e.code === ConnectionErrors.Closed) {
    process.stderr.write('kbx-lint-lsp: the client closed the connection; exiting\n');
    process.exit(1);
  }
  throw e;
}
process.on('unhandledRejection', endIfClosed);

const connection = transport === '--stdio' ? stdioConnection() : createConnection();

connection.onInitialize((params) => {
  const server = KbxLintServer.initialize(connection, params);
  server.register();
  return { capabilities: server.capabilities(), serverInfo: { name: 'kbx-lint', version: VERSION } };
});

connection.listen();
