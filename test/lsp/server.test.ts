import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CodeActionKind, type Diagnostic } from 'vscode-languageserver/node';
import { applyWorkspaceEdit, positionOf, type Session, startSession } from './lsp-harness';

const SH = 'file:///project/ci/build.sh';
const MK = 'file:///project/Makefile';
const BAD_LINE = '  docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci';
const BAD = `#!/bin/sh\nset -e\n${BAD_LINE}\n`;
const FIXED = `#!/bin/sh\nset -e\n  docker buildx create --driver kubernetes --driver-opt '"nodeselector=kubernetes.io/arch=amd64,pool=ci"'\n`;

let session: Session | undefined;
afterEach(() => {
  session?.dispose();
  session = undefined;
});

async function start(settings?: Record<string, unknown> | null): Promise<Session> {
  session = await startSession({ settings });
  return session;
}

function only(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('initialize', () => {
  it('announces incremental sync, quick fixes, fix-all, hover, completion, hints, symbols, names and explain', async () => {
    const s = await start();
    expect(s.init.capabilities).toEqual({
      textDocumentSync: 2,
      codeActionProvider: { codeActionKinds: ['quickfix', 'source.fixAll.kbx-lint'], resolveProvider: true },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [' ', '=', ',', '-'], resolveProvider: false },
      inlayHintProvider: true,
      documentSymbolProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      executeCommandProvider: { commands: ['kbx-lint.explain'] },
    });
  });
});

describe('diagnostics', () => {
  it('didOpen of a script with KBX101 publishes it at the exact characters, with the fix in data', async () => {
    const s = await start();
    const published = await s.open(SH, 'shellscript', BAD);
    expect(published.version).toBe(1);
    const d = only(published.diagnostics, 'KBX101');
    const col = BAD_LINE.indexOf('pool=ci');
    expect(d.range).toEqual({ start: { line: 2, character: col }, end: { line: 2, character: col + 'pool=ci'.length } });
    expect(d.source).toBe('kbx-lint');
    expect(d.severity).toBe(1);
    expect(d.message).toContain('buildx will read "pool=ci" as a separate driver option');
    expect(d.codeDescription?.href).toBe('https://github.com/kbx-lint/kbx-lint/blob/main/docs/rules/KBX101-driver-opt-unquoted-comma.md');
    expect(existsSync(join(__dirname, '../../docs/rules/KBX101-driver-opt-unquoted-comma.md'))).toBe(true);
    expect(d.relatedInformation?.[0].message).toContain('the nodeselector option ends at the comma');
    const keyCol = BAD_LINE.indexOf('nodeselector');
    expect(d.data).toEqual({
      name: 'driver-opt-unquoted-comma',
      fix: {
        title: 'quote "nodeselector=kubernetes.io/arch=amd64,pool=ci" as one CSV field',
        applicability: 'safe',
        edits: [
          {
            range: { start: { line: 2, character: keyCol }, end: { line: 2, character: BAD_LINE.length } },
            newText: `'"nodeselector=kubernetes.io/arch=amd64,pool=ci"'`,
          },
        ],
      },
    });
  });

  it('re-lints after a change and clears on close', async () => {
    const s = await start();
    expect((await s.open(SH, 'shellscript', BAD)).diagnostics.length).toBeGreaterThan(0);
    const after = await s.change(SH, FIXED);
    expect(after.version).toBe(2);
    expect(after.diagnostics).toEqual([]);
    await s.change(SH, BAD);
    expect((await s.close(SH)).diagnostics).toEqual([]);
  });

  it('debounces a burst of changes into one lint of the last text', async () => {
    const s = await start();
    await s.open(SH, 'shellscript', FIXED);
    const first = s.change(SH, BAD);
    const last = await s.change(SH, BAD.replace('pool=ci', 'zone=b'));
    // Both promises resolve with the one publication of the final version.
    expect((await first).version).toBe(3);
    expect(last.diagnostics.map((d) => d.message).join()).toContain('"zone=b"');
  });

  it('lints a Makefile recipe and points into it', async () => {
    const s = await start();
    const text = `all:\n\tdocker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=$$POOL\n`;
    const d = only((await s.open(MK, 'makefile', text)).diagnostics, 'KBX101');
    const line = text.split('\n')[1];
    expect(d.range.start).toEqual({ line: 1, character: line.indexOf('pool=') });
    const [fix] = await s.codeActions(MK, [d], [CodeActionKind.QuickFix]);
    expect(applyWorkspaceEdit(text, MK, fix.edit).split('\n')[1]).toBe(`\tdocker buildx create --driver kubernetes --driver-opt "\\"nodeselector=kubernetes.io/arch=amd64,pool=$$POOL\\""`);
  });

  it('lints a file named *.mk even with another languageId', async () => {
    const s = await start();
    const text = `build:\n\tdocker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n`;
    const published = await s.open('file:///project/rules.mk', 'plaintext', text);
    expect(published.diagnostics.map((d) => d.code)).toContain('KBX101');
  });
});

describe('Markdown and YAML documents', () => {
  const MD = 'file:///project/docs/README.md';
  const page = '# Setup\n\n```bash\n' + BAD_LINE.trim() + '\n```\n\n> ```console\n> $ ' + BAD_LINE.trim() + '\n> ```\n';

  it('lints the shell blocks of a markdown document and fixes them in place', async () => {
    const s = await start();
    const published = await s.open(MD, 'markdown', page);
    const found = published.diagnostics.filter((d) => d.code === 'KBX101');
    expect(found.map((d) => d.range.start.line)).toEqual([3, 7]);
    const [fix] = await s.codeActions(MD, [found[1]], [CodeActionKind.QuickFix]);
    expect(applyWorkspaceEdit(page, MD, fix.edit).split('\n')[7]).toBe(`> $ docker buildx create --driver kubernetes --driver-opt '"nodeselector=kubernetes.io/arch=amd64,pool=ci"'`);
    // A comment line above a command inside a block quote would need the `> ` prefix: not offered.
    expect((await s.codeActions(MD, [found[1]])).map((a) => a.title)).not.toContain('Disable KBX101 for this line');
    expect((await s.codeActions(MD, [found[0]])).map((a) => a.title)).toContain('Disable KBX101 for this line');
  });

  it('hovers a driver option inside a quoted console block, and not in the prose', async () => {
    const s = await start();
    const text = '# Use `nodeselector=a=b`\n\n> ```console\n> $ docker buildx create --driver kubernetes \\\n>     --driver-opt namespace=ci,nodeselector=kubernetes.io/arch=amd64\n> ```\n';
    await s.open(MD, 'markdown', text);
    const h = await s.hover(MD, positionOf(text, 'nodeselector=kubernetes', 3));
    expect(h).not.toBeNull();
    expect((h!.contents as { value: string }).value).toContain('**`nodeselector`** — kubernetes driver option');
    expect(await s.hover(MD, positionOf(text, 'nodeselector=a', 3))).toBeNull();
  });

  it('reads YAML only when its path makes it a CI file', async () => {
    const s = await start();
    expect((await s.open('file:///project/deploy/values.yaml', 'yaml', 'run: ' + BAD_LINE + '\n')).diagnostics).toEqual([]);
  });

  it("reads a YAML document the project's .gitlab-ci.yml includes as GitLab CI, as the workspace walk does", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kbx-lsp-gitlab-'));
    try {
      mkdirSync(join(dir, '.git'));
      mkdirSync(join(dir, 'ci'));
      writeFileSync(join(dir, '.gitlab-ci.yml'), 'include:\n  - local: ci/build.yml\n');
      const job = 'build:\n  script:\n    - ' + BAD_LINE.trim() + '\n';
      const s = await start();
      const included = await s.open(pathToFileURL(join(dir, 'ci/build.yml')).href, 'yaml', job);
      expect(included.diagnostics.map((d) => d.code)).toContain('KBX101');
      // The editor's text is what is linted; only the decision to read it comes from the disk.
      expect((await s.open(pathToFileURL(join(dir, 'ci/other.yml')).href, 'yaml', job)).diagnostics).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('configuration', () => {
  it('kbxLint.rules turns a rule off', async () => {
    const s = await start({ rules: { KBX101: 'off' } });
    const published = await s.open(SH, 'shellscript', BAD);
    expect(published.diagnostics.map((d) => d.code)).not.toContain('KBX101');
  });

  it('kbxLint.rules changes a severity, and a configuration change re-lints open documents', async () => {
    const s = await start({ rules: { 'driver-opt-unquoted-comma': 'warning' } });
    expect(only((await s.open(SH, 'shellscript', BAD)).diagnostics, 'KBX101').severity).toBe(2);
    s.settings.rules = { KBX101: 'off' };
    const again = await s.configurationChanged();
    expect(again.diagnostics.map((d) => d.code)).not.toContain('KBX101');
  });

  it('kbxLint.enable=false publishes nothing', async () => {
    const s = await start({ enable: false });
    expect((await s.open(SH, 'shellscript', BAD)).diagnostics).toEqual([]);
  });

  it('reports invalid settings and keeps the valid ones', async () => {
    const s = await start({ rules: { KBX101: 'loud', KBX999: 'off' } });
    expect(only((await s.open(SH, 'shellscript', BAD)).diagnostics, 'KBX101').severity).toBe(1);
    expect(s.messages.join('\n')).toContain('unknown rule "KBX999"');
  });

  it('takes settings from didChangeConfiguration when the client has no workspace/configuration', async () => {
    const s = await start(null);
    await s.open(SH, 'shellscript', BAD);
    s.settings.rules = { KBX101: 'off' };
    const again = await s.configurationChanged();
    expect(again.diagnostics.map((d) => d.code)).not.toContain('KBX101');
  });
});

describe('code actions', () => {
  it('the quick fix from data is preferred and its edit gives the fixed script', async () => {
    const s = await start();
    const d = only((await s.open(SH, 'shellscript', BAD)).diagnostics, 'KBX101');
    const actions = await s.codeActions(SH, [d]);
    const fix = actions.find((a) => a.isPreferred)!;
    expect(fix.title).toBe('quote "nodeselector=kubernetes.io/arch=amd64,pool=ci" as one CSV field');
    expect(fix.kind).toBe('quickfix');
    expect(fix.diagnostics).toEqual([d]);
    expect(applyWorkspaceEdit(BAD, SH, fix.edit)).toBe(FIXED);
    expect((await s.change(SH, FIXED)).diagnostics).toEqual([]);
  });

  it('titles an unsafe fix "(unsafe)" and does not prefer it', async () => {
    const s = await start();
    const d = only((await s.open(SH, 'shellscript', BAD)).diagnostics, 'KBX101');
    const data = d.data as { fix: { applicability: string } };
    data.fix.applicability = 'unsafe';
    const [fix] = await s.codeActions(SH, [d]);
    expect(fix.title).toBe('quote "nodeselector=kubernetes.io/arch=amd64,pool=ci" as one CSV field (unsafe)');
    expect(fix.isPreferred).toBeUndefined();
  });

  it('"Disable KBX101 for this line" inserts an indented directive above the command', async () => {
    const s = await start();
    const text = `#!/bin/sh\nif true; then\n  docker buildx create --driver kubernetes \\\n    --driver-opt nodeselector=a=1,b=2\nfi\n`;
    const d = only((await s.open(SH, 'shellscript', text)).diagnostics, 'KBX101');
    expect(d.range.start.line).toBe(3);
    const disable = (await s.codeActions(SH, [d])).find((a) => a.title === 'Disable KBX101 for this line')!;
    expect(disable.kind).toBe('quickfix');
    const disabled = applyWorkspaceEdit(text, SH, disable.edit);
    expect(disabled).toBe(`#!/bin/sh\nif true; then\n  # kbx-lint disable=KBX101\n  docker buildx create --driver kubernetes \\\n    --driver-opt nodeselector=a=1,b=2\nfi\n`);
    expect((await s.change(SH, disabled)).diagnostics.map((x) => x.code)).not.toContain('KBX101');
  });

  it('adds the code to a directive already above the command', async () => {
    const s = await start();
    const text = `# kbx-lint disable=KBX205\ndocker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n`;
    const d = only((await s.open(SH, 'shellscript', text)).diagnostics, 'KBX101');
    const disable = (await s.codeActions(SH, [d])).find((a) => a.title.startsWith('Disable'))!;
    expect(applyWorkspaceEdit(text, SH, disable.edit).split('\n')[0]).toBe('# kbx-lint disable=KBX205,KBX101');
  });

  it('offers no disable action when the command starts on a continued line', async () => {
    const s = await start();
    const text = `set -e; \\\ndocker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n`;
    const d = only((await s.open(SH, 'shellscript', text)).diagnostics, 'KBX101');
    const actions = await s.codeActions(SH, [d]);
    expect(actions.map((a) => a.title)).not.toContain('Disable KBX101 for this line');
  });

  it('source.fixAll.kbx-lint applies every safe fix', async () => {
    const s = await start();
    const text = `${BAD}docker buildx create --driver kubernetes --driver-opt labels=a=1,b=2\n`;
    const published = await s.open(SH, 'shellscript', text);
    expect(published.diagnostics.filter((d) => d.code === 'KBX101')).toHaveLength(2);
    const actions = await s.codeActions(SH, [], [CodeActionKind.SourceFixAll]);
    expect(actions.map((a) => a.kind)).toEqual(['source.fixAll.kbx-lint']);
    const fixed = applyWorkspaceEdit(text, SH, actions[0].edit);
    expect(fixed).toBe(`${FIXED}docker buildx create --driver kubernetes --driver-opt '"labels=a=1,b=2"'\n`);
    expect((await s.change(SH, fixed)).diagnostics.filter((d) => d.code === 'KBX101')).toEqual([]);
  });

  it("ignores other servers' diagnostics and offers no fix-all on a clean file", async () => {
    const s = await start();
    await s.open(SH, 'shellscript', FIXED);
    const foreign: Diagnostic = { range: { start: { line: 2, character: 2 }, end: { line: 2, character: 8 } }, message: 'SC2086', source: 'shellcheck', code: 'SC2086' };
    expect(await s.codeActions(SH, [foreign])).toEqual([]);
  });
});

describe('hover', () => {
  const text = `docker buildx create --name k8s --driver kubernetes \\\n  --driver-opt '"nodeselector=kubernetes.io/arch=amd64,pool=ci"',namespace=buildkit\n`;

  it("on a --driver-opt key shows the option doc for the builder's driver and the decoded value", async () => {
    const s = await start();
    await s.open(SH, 'shellscript', text);
    const h = await s.hover(SH, positionOf(text, 'nodeselector', 3));
    const value = (h!.contents as { value: string }).value;
    expect(value).toContain('**`nodeselector`** — kubernetes driver option');
    expect(value).toContain('Node selector label=value pairs');
    expect(value).toContain('Since: buildx v0.5');
    expect(value).toContain('buildx receives: `nodeselector` = `kubernetes.io/arch=amd64,pool=ci`');
    const col = positionOf(text, 'nodeselector');
    expect(h?.range).toEqual({ start: col, end: { line: col.line, character: col.character + 'nodeselector'.length } });
  });

  it('on a value shows the same option', async () => {
    const s = await start();
    await s.open(SH, 'shellscript', text);
    const h = await s.hover(SH, positionOf(text, '=buildkit', 2));
    expect((h!.contents as { value: string }).value).toContain('**`namespace`** — kubernetes driver option');
  });

  it('on a flag name shows its description', async () => {
    const s = await start();
    await s.open(SH, 'shellscript', text);
    const h = await s.hover(SH, positionOf(text, '--driver ', 4));
    expect((h!.contents as { value: string }).value).toContain('Driver to use (available: "docker-container", "kubernetes", "remote")');
    expect(await s.hover(SH, { line: 0, character: 1 })).toBeNull();
  });

  it('works in a Makefile through $$', async () => {
    const s = await start();
    const mk = `all:\n\tdocker buildx create --driver docker-container --driver-opt env.HTTP_PROXY=$$PROXY\n`;
    await s.open(MK, 'makefile', mk);
    const h = await s.hover(MK, positionOf(mk, 'HTTP_PROXY'));
    const value = (h!.contents as { value: string }).value;
    expect(value).toContain('docker-container driver option');
    expect(value).toContain('buildx receives: `env.HTTP_PROXY` = `…`');
  });
});

describe('completion', () => {
  async function labels(text: string, at = text.length, uri = SH, languageId = 'shellscript'): Promise<string[]> {
    const s = session ?? (await start());
    await s.open(uri, languageId, text);
    const before = text.slice(0, at);
    const position = { line: before.split('\n').length - 1, character: at - (before.lastIndexOf('\n') + 1) };
    return (await s.complete(uri, position)).map((i) => i.label);
  }

  it('after `--driver-opt ` in a kubernetes create: the kubernetes option keys', async () => {
    const got = await labels('docker buildx create --driver kubernetes --driver-opt ');
    expect(got).toEqual(expect.arrayContaining(['nodeselector', 'tolerations', 'namespace', 'replicas', 'env.NAME']));
    expect(got).not.toContain('network');
  });

  it('after a comma inside the value, with `--driver-opt=`', async () => {
    const s = await start();
    const text = 'docker buildx create --driver=kubernetes --driver-opt=namespace=ci,to';
    await s.open(SH, 'shellscript', text);
    const items = await s.complete(SH, { line: 0, character: text.length });
    const tol = items.find((i) => i.label === 'tolerations')!;
    expect(tol.textEdit).toEqual({ range: { start: { line: 0, character: text.length - 2 }, end: { line: 0, character: text.length } }, newText: 'tolerations=' });
  });

  it('the default driver is docker-container', async () => {
    expect(await labels('docker buildx create --driver-opt ')).toContain('network');
  });

  it('after `--driver `: the drivers', async () => {
    expect(await labels('docker buildx create --driver ')).toEqual(['docker-container', 'kubernetes', 'remote']);
  });

  it('after `--` in a buildx command: its flags', async () => {
    const got = await labels('docker buildx create --');
    expect(got).toEqual(expect.arrayContaining(['--driver', '--driver-opt', '--name', '--platform', '--append']));
    expect(got).not.toContain('--push');
    expect(await labels('docker buildx build --pu', undefined, 'file:///b.sh')).toContain('--push');
  });

  it('in a Makefile recipe across a continuation', async () => {
    const text = 'all:\n\tdocker buildx create --driver kubernetes \\\n\t\t--driver-opt ';
    expect(await labels(text, text.length, MK, 'makefile')).toContain('nodeselector');
  });

  it('nothing outside buildx commands or inside a value', async () => {
    expect(await labels('echo --')).toEqual([]);
    expect(await labels('docker buildx create --driver kubernetes --driver-opt namespace=', undefined, 'file:///c.sh')).toEqual([]);
  });
});
