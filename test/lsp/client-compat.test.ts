/**
 * What stock clients (Neovim's vim.lsp, Emacs eglot, Helix) need from the server beyond the
 * protocol's happy path: no modal requests for settings problems, no snippets to clients that
 * cannot expand them, a Makefile disable comment that make keeps quiet, and a process that never
 * lingers deaf or prints a stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CodeActionKind } from 'vscode-languageserver/node';
import { applyWorkspaceEdit, positionOf, type Session, startSession } from './lsp-harness';

const SERVER = join(__dirname, '../../dist/server.js');
const SH = 'file:///project/ci/build.sh';
const MK = 'file:///project/Makefile';

let session: Session | undefined;
afterEach(() => {
  session?.dispose();
  session = undefined;
});

describe('settings problems', () => {
  it('are shown with window/showMessage, never window/showMessageRequest', async () => {
    session = await startSession({ settings: { rules: { KBX999: 'off', KBX101: 'loud' } } });
    await session.open(SH, 'shellscript', 'docker buildx build .\n');
    expect(session.messages.join('\n')).toContain('unknown rule "KBX999"');
    expect(session.messageRequests).toEqual([]);
  });
});

describe('completion of env.NAME', () => {
  const text = 'docker buildx create --driver kubernetes --driver-opt en\n';
  const at = positionOf(text, 'en', 2);
  it('is a snippet for clients that support snippets', async () => {
    session = await startSession({ textDocument: { completion: { completionItem: { snippetSupport: true } } } });
    await session.open(SH, 'shellscript', text);
    const env = (await session.complete(SH, at)).find((c) => c.label === 'env.NAME')!;
    expect(env.insertTextFormat).toBe(2);
    expect(env.textEdit && 'newText' in env.textEdit ? env.textEdit.newText : '').toBe('env.${1:NAME}=');
  });
  it('is plain text without placeholders for clients that do not', async () => {
    session = await startSession({});
    await session.open(SH, 'shellscript', text);
    const env = (await session.complete(SH, at)).find((c) => c.label === 'env.NAME')!;
    expect(env.insertTextFormat).toBe(1);
    const inserted = env.textEdit && 'newText' in env.textEdit ? env.textEdit.newText : '';
    expect(inserted).toBe('env.');
    expect(inserted).not.toContain('$');
  });
});

describe('"Disable for this line" in a Makefile', () => {
  it('writes the comment in column 0, where make reads it as a comment and echoes nothing', async () => {
    session = await startSession({});
    const text = 'build:\n\tdocker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n';
    const { diagnostics } = await session.open(MK, 'makefile', text);
    const d = diagnostics.find((x) => x.code === 'KBX101')!;
    const actions = await session.codeActions(MK, [d], [CodeActionKind.QuickFix]);
    const disable = actions.find((a) => a.title.startsWith('Disable'))!;
    const out = applyWorkspaceEdit(text, MK, disable.edit);
    expect(out).toBe('build:\n# kbx-lint disable=KBX101\n\tdocker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n');
    // GNU make: a column-0 comment between recipe lines is dropped, not run or echoed.
    const r = spawnSync('make', ['-n', '-f', '-'], { input: out, encoding: 'utf8' });
    expect(r.stdout).not.toContain('kbx-lint');
    const after = await session.change(MK, out);
    expect(after.diagnostics.filter((x) => x.code === 'KBX101')).toEqual([]);
  });
});

function run(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SERVER, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('dist/server.js process', () => {
  it('without a transport argument: a usage line and exit 2, no stack trace', async () => {
    const r = await run([], '');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: kbx-lint-lsp --stdio');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['no Content-Length', 'X-Thing: 1\r\n\r\n{}'],
    ['a non-numeric Content-Length', 'Content-Length: twelve\r\n\r\n{}'],
  ])('exits (so the editor restarts it) on a frame with %s', async (_what, frame) => {
    const r = await run(['--stdio'], frame);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unreadable message from the client');
  });

  const frame = (body: string) => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { capabilities: {}, rootUri: null, processId: null } });
  const bad = ['{not json', '[1, 2, 3]', 'null', '"\ud800"', '{"jsonrpc":"2.0","id":{},"method":7}'];

  it('a body that is no message, then the client gone: an exit with a line, never a stack trace', async () => {
    for (const body of bad) {
      const r = await run(['--stdio'], frame(body));
      expect(r.code, body).not.toBeNull();
      expect(r.stderr, body).not.toMatch(/\n\s+at /);
    }
  });

  it('drops a well-framed body that is not JSON, or is JSON but no message, and answers the next', async () => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const answered = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
        if (/"id":1,"result"/.test(stdout)) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.on('exit', () => resolve(false));
      child.stdin.write([...bad, init].map(frame).join(''));
    });
    child.kill('SIGKILL');
    expect(answered, `${stdout}\n${stderr}`).toBe(true);
    expect(stderr).toContain('dropped a message from the client that is not JSON');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('fix-all with codeAction/resolve', () => {
  const text = 'docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n';
  const resolving = { codeAction: { resolveSupport: { properties: ['edit'] } } };

  it('is sent without its edit on every request, and computed when resolved', async () => {
    session = await startSession({ textDocument: resolving });
    const { diagnostics } = await session.open(SH, 'shellscript', text);
    const actions = await session.codeActions(SH, diagnostics);
    const all = actions.find((a) => a.kind === 'source.fixAll.kbx-lint')!;
    expect(all.edit).toBeUndefined();
    const resolved = await session.resolveCodeAction(all);
    expect(applyWorkspaceEdit(text, SH, resolved.edit)).toBe(`docker buildx create --driver kubernetes --driver-opt '"nodeselector=a=1,b=2"'\n`);
  });

  it('resolves to no edit once the document has changed', async () => {
    session = await startSession({ textDocument: resolving });
    const { diagnostics } = await session.open(SH, 'shellscript', text);
    const all = (await session.codeActions(SH, diagnostics)).find((a) => a.kind === 'source.fixAll.kbx-lint')!;
    await session.change(SH, '# edited\n' + text);
    expect((await session.resolveCodeAction(all)).edit).toBeUndefined();
  });

  it('is computed at once for clients that cannot resolve', async () => {
    session = await startSession({});
    const { diagnostics } = await session.open(SH, 'shellscript', text);
    const all = (await session.codeActions(SH, diagnostics)).find((a) => a.kind === 'source.fixAll.kbx-lint')!;
    expect(all.edit).toBeDefined();
  });
});

describe('settings from clients that declare workspace/configuration but have none for kbxLint', () => {
  const text = 'docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n';
  it('fall back to initializationOptions (Neovim 0.7-0.10 with init_options only)', async () => {
    session = await startSession({ settings: {}, initializationOptions: { settings: { rules: { KBX101: 'off' } } } });
    const { diagnostics } = await session.open(SH, 'shellscript', text);
    expect(diagnostics.filter((d) => d.code === 'KBX101')).toEqual([]);
  });
  it('read an empty Lua table (JSON []) as no rules', async () => {
    session = await startSession({ settings: { rules: [] } });
    const { diagnostics } = await session.open(SH, 'shellscript', text);
    expect(diagnostics.some((d) => d.code === 'KBX101')).toBe(true);
    expect(session.messages).toEqual([]);
  });
});
