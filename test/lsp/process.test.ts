/** The bundle starts: `node dist/server.js --stdio` answers initialize, shutdown and exit over JSON-RPC. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  ExitNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  ShutdownRequest,
  DidOpenTextDocumentNotification,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver/node';

const SERVER = join(__dirname, '../../dist/server.js');

describe('dist/server.js', () => {
  it('initialize → didOpen → diagnostics → shutdown → exit over stdio', async () => {
    expect(existsSync(SERVER), 'run `npm run build` first').toBe(true);
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const client = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const published = new Promise<PublishDiagnosticsParams>((resolve) => client.onNotification(PublishDiagnosticsNotification.type, resolve));
    client.listen();

    const init = await client.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    expect(init.serverInfo?.name).toBe('kbx-lint');
    expect(init.capabilities.hoverProvider).toBe(true);
    await client.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: 'file:///x/build.sh', languageId: 'shellscript', version: 1, text: 'docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n' },
    });
    expect((await published).diagnostics.map((d) => d.code)).toContain('KBX101');

    await client.sendRequest(ShutdownRequest.type);
    await client.sendNotification(ExitNotification.type);
    expect(await exited).toBe(0);
    client.dispose();
    expect(stderr).toBe('');
  });
});
