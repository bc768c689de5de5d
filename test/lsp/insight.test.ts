/**
 * Beyond diagnostics: what buildx receives as inlay hints, document symbols, builder and node names
 * as symbols (definition, references, rename), the explain command, and pull diagnostics.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentSymbol, InlayHint, Location, WorkspaceEdit } from 'vscode-languageserver/node';
import { applyWorkspaceEdit, positionOf, type Session, startSession } from './lsp-harness';

const SH = 'file:///project/ci/build.sh';
const SCRIPT = [
  'docker buildx create --name Kube --driver kubernetes --node amd --platform linux/amd64 \\',
  '  --driver-opt namespace=ci,nodeselector=kubernetes.io/arch=amd64,pool=ci',
  'docker buildx create --append --name kube --driver kubernetes --node arm --platform linux/arm64 \\',
  `  '--driver-opt="nodeselector=kubernetes.io/arch=arm64"'`,
  'docker buildx build --builder kube --platform linux/amd64,linux/arm64 --push -t r/app .',
  'docker buildx rm kube',
  '',
].join('\n');

let session: Session | undefined;
afterEach(() => {
  session?.dispose();
  session = undefined;
});

async function open(text = SCRIPT, opts = {}): Promise<Session> {
  session = await startSession(opts);
  await session.open(SH, 'shellscript', text);
  return session;
}

const whole = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

describe('inlay hints', () => {
  it('show the driver options buildx decodes from each --driver-opt, the split one included', async () => {
    const s = await open();
    const hints = await s.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: SH }, range: whole });
    const labels = hints.map((h) => String(h.label));
    expect(labels).toContain('⇒ namespace=ci · nodeselector=kubernetes.io/arch=amd64 · pool=ci');
    expect(labels).toContain('⇒ nodeselector=kubernetes.io/arch=arm64');
    const first = hints.find((h) => String(h.label).startsWith('⇒ namespace'))!;
    expect(first.position).toEqual({ line: 1, character: SCRIPT.split('\n')[1].length });
  });

  it('show the node each platform of a build goes to', async () => {
    const s = await open();
    const hints = await s.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: SH }, range: whole });
    expect(hints.map((h) => String(h.label))).toContain('⇒ linux/amd64 on amd, linux/arm64 on arm');
  });

  it('only within the requested range', async () => {
    const s = await open();
    const hints = await s.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri: SH }, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 99 } } });
    expect(hints).toHaveLength(1);
  });
});

describe('document symbols', () => {
  it('list builders with their nodes, and builds', async () => {
    const s = await open();
    const symbols = await s.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: SH } });
    const kube = symbols.find((x) => x.name === 'Kube')!;
    expect(kube.detail).toBe('builder (kubernetes)');
    expect(kube.children!.map((n) => [n.name, n.detail])).toEqual([
      ['amd', 'node · linux/amd64'],
      ['arm', 'node · linux/arm64'],
    ]);
    expect(symbols.some((x) => x.name === 'docker buildx build' && x.detail === 'linux/amd64, linux/arm64 on kube')).toBe(true);
  });
});

describe('builder names as symbols', () => {
  it('go to definition from --builder and rm to the create --name (names are case-insensitive)', async () => {
    const s = await open();
    for (const at of [positionOf(SCRIPT, '--builder kube', 11), positionOf(SCRIPT, 'rm kube', 4)]) {
      const defs = await s.request<Location[]>('textDocument/definition', { textDocument: { uri: SH }, position: at });
      expect(defs.map((d) => d.range.start)).toEqual([positionOf(SCRIPT, 'Kube')]);
    }
  });

  it('references list every mention', async () => {
    const s = await open();
    const refs = await s.request<Location[]>('textDocument/references', { textDocument: { uri: SH }, position: positionOf(SCRIPT, 'Kube'), context: { includeDeclaration: true } });
    expect(refs).toHaveLength(4);
  });

  it('rename rewrites every mention, and refuses an invalid name', async () => {
    const s = await open();
    const at = positionOf(SCRIPT, 'rm kube', 4);
    const edit = await s.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: SH }, position: at, newName: 'fleet' });
    const renamed = applyWorkspaceEdit(SCRIPT, SH, edit);
    expect(renamed.match(/fleet/g)).toHaveLength(4);
    expect(renamed).not.toMatch(/kube\b(?!rnetes|\.io)/i);
    await expect(s.request('textDocument/rename', { textDocument: { uri: SH }, position: at, newName: 'two words' })).rejects.toThrow(/not a valid builder or node name/);
  });

  it('prepareRename refuses a name written with quotes', async () => {
    const text = 'docker buildx create --name "kube"\ndocker buildx use kube\n';
    const s = await open(text);
    await expect(s.request('textDocument/prepareRename', { textDocument: { uri: SH }, position: positionOf(text, 'use kube', 4) })).rejects.toThrow(/quoted/);
  });
});

describe('explain command', () => {
  it('returns the explain view of the invocation under the cursor', async () => {
    const s = await open();
    const r = await s.request<{ text: string; invocations: { command: string; argv: (string | null)[] }[] }>('workspace/executeCommand', {
      command: 'kbx-lint.explain',
      arguments: [SH, positionOf(SCRIPT, 'build --builder')],
    });
    expect(r.invocations.map((i) => i.command)).toEqual(['build']);
    expect(r.text).toContain('linux/arm64 → node arm of Kube');
  });
});

describe('pull diagnostics', () => {
  it('a client that pulls gets them from textDocument/diagnostic and no pushes', async () => {
    session = await startSession({ textDocument: { diagnostic: { dynamicRegistration: false } } });
    expect(session.init.capabilities.diagnosticProvider).toEqual({ interFileDependencies: false, workspaceDiagnostics: true });
    const pushed = session.pushedWithin(SH, 300);
    await session.notify('textDocument/didOpen', { textDocument: { uri: SH, languageId: 'shellscript', version: 1, text: SCRIPT } });
    const report = await session.request<{ kind: string; items: { code: string }[] }>('textDocument/diagnostic', { textDocument: { uri: SH } });
    expect(report.kind).toBe('full');
    expect(report.items.map((d) => d.code)).toContain('KBX101');
    expect(await pushed).toBe(false);
  });
});
