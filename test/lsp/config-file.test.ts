/**
 * The language server reads `.kbx-lint.json` as the CLI does: from the document's directory up to
 * the project root, with `extends` and `overrides`; editor settings apply on top; a broken file is
 * reported and does not stop linting; a changed file re-lints open documents. The CLI and the
 * server are compared on the same tree.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DidChangeWatchedFilesNotification } from 'vscode-languageserver/node';
import { main } from '../../server/src/cli/main';
import { type Session, startSession } from './lsp-harness';

const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';
const WARN = 'docker buildx create --driver kubernetes --driver-opt replicas=1 --driver-opt replicas=2\n';

let root: string;
let session: Session | undefined;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kbx-lsp-config-'));
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, 'ci/deep'), { recursive: true });
});
afterEach(() => {
  session?.dispose();
  session = undefined;
  rmSync(root, { recursive: true, force: true });
});

async function lspCodes(file: string, settings: Record<string, unknown> = {}): Promise<string[]> {
  session ??= await startSession({ settings });
  writeFileSync(join(root, file), BAD + WARN);
  const p = await session.open(pathToFileURL(join(root, file)).href, 'shellscript', BAD + WARN);
  return p.diagnostics.map((d) => String(d.code)).sort();
}

function cliCodes(file: string): string[] {
  let out = '';
  const cwd = process.cwd();
  // From another directory: discovery starts at the file, not at the working directory.
  process.chdir(tmpdir());
  try {
    main(
      ['--format', 'json', join(root, file)],
      (s) => (out += s),
      () => undefined,
    );
  } finally {
    process.chdir(cwd);
  }
  return JSON.parse(out)
    .diagnostics.map((d: { rule: string }) => d.rule)
    .sort();
}

describe('.kbx-lint.json in the language server', () => {
  it('a rule turned off in the project configuration is off in the editor too', async () => {
    writeFileSync(join(root, '.kbx-lint.json'), '{"rules": {"KBX101": "off"}}');
    const codes = await lspCodes('ci/deep/build.sh');
    expect(codes).not.toContain('KBX101');
    expect(codes.length).toBeGreaterThan(0);
    expect(codes).toEqual(cliCodes('ci/deep/build.sh'));
  });

  it('overrides and extends apply per path, the same in CLI and server', async () => {
    writeFileSync(join(root, 'base.json'), '{"rules": {"driver-opt-duplicate-key": "off"}}');
    writeFileSync(join(root, '.kbx-lint.json'), '{"extends": "base.json", "overrides": [{"files": ["ci/**"], "rules": {"KBX101": "off"}}]}');
    writeFileSync(join(root, 'top.sh'), BAD + WARN);
    const inCi = await lspCodes('ci/deep/build.sh');
    const top = await lspCodes('top.sh');
    expect(inCi).not.toContain('KBX101');
    expect(top).toContain('KBX101');
    expect(inCi).toEqual(cliCodes('ci/deep/build.sh'));
    expect(top).toEqual(cliCodes('top.sh'));
    // extends: the base file turned the duplicate-key warning off everywhere
    expect(top).not.toContain('KBX107');
    let plain = '';
    main(
      ['--format', 'json', '--no-config', join(root, 'top.sh')],
      (x) => (plain += x),
      () => undefined,
    );
    expect(JSON.parse(plain).diagnostics.map((d: { rule: string }) => d.rule)).toContain('KBX107');
  });

  it('the nearest configuration wins, and the search stops at the project root', async () => {
    writeFileSync(join(root, '.kbx-lint.json'), '{"rules": {"KBX101": "off"}}');
    writeFileSync(join(root, 'ci/kbx-lint.json'), '{"rules": {}}');
    expect(await lspCodes('ci/deep/build.sh')).toContain('KBX101');
    expect(cliCodes('ci/deep/build.sh')).toContain('KBX101');
  });

  it('editor settings apply on top of the file', async () => {
    writeFileSync(join(root, '.kbx-lint.json'), '{"rules": {"KBX101": "off"}}');
    expect(await lspCodes('a.sh', { rules: { KBX101: 'error' } })).toContain('KBX101');
  });

  it('a broken configuration file is shown with line:column and linting goes on', async () => {
    writeFileSync(join(root, '.kbx-lint.json'), '{\n  "rules": {"KBX101": "off",}\n}');
    const codes = await lspCodes('a.sh');
    expect(codes).toContain('KBX101');
    expect(session!.messages.some((m) => /\.kbx-lint\.json:2:\d+: invalid JSON/.test(m))).toBe(true);
  });

  it('reportUnusedDisable and the unused-suppression rule work in the editor', async () => {
    session = await startSession({ settings: { reportUnusedDisable: true } });
    const text = '# kbx-lint disable=KBX101\necho nothing to see\ndocker buildx ls\n';
    writeFileSync(join(root, 'u.sh'), text);
    const p = await session.open(pathToFileURL(join(root, 'u.sh')).href, 'shellscript', text);
    expect(p.diagnostics.map((d) => d.code)).toEqual(['KBX690']);
  });

  it('a changed configuration file re-lints open documents', async () => {
    const codes = await lspCodes('a.sh');
    expect(codes).toContain('KBX101');
    writeFileSync(join(root, '.kbx-lint.json'), '{"rules": {"KBX101": "off"}}');
    const uri = pathToFileURL(join(root, 'a.sh')).href;
    const republished = session!.next(uri);
    await session!.notify(DidChangeWatchedFilesNotification.type.method, { changes: [{ uri: pathToFileURL(join(root, '.kbx-lint.json')).href, type: 1 }] });
    expect((await republished).diagnostics.map((d) => d.code)).not.toContain('KBX101');
  });
});
