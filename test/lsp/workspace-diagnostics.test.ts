/**
 * workspace/diagnostic over a real LSP connection, on a temporary project with a shell script, a
 * Makefile, a workflow, a Markdown page, a clean script, a script that never mentions buildx, a
 * file git ignores and one of no known type. The files and findings must be the CLI's on the same
 * tree; unchanged files come back `unchanged`; an open document reports its editor text; a changed
 * `.kbx-lint.json` makes the server ask the client to pull again.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkDoneProgress, type WorkspaceDiagnosticReport, WorkspaceDiagnosticRequest, type WorkspaceDocumentDiagnosticReport } from 'vscode-languageserver/node';
import { main } from '../../server/src/cli/main';
import { discover } from '../../server/src/cli/discover';
import { type Session, type SessionOptions, startSession } from './lsp-harness';

const SPLIT = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci';

const FILES: Record<string, string> = {
  'build.sh': `#!/bin/sh\n${SPLIT}\n`,
  Makefile: `builder:\n\tdocker buildx create --driver kubernetes --driver-opt replicas=two\n`,
  '.github/workflows/ci.yml': `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker buildx create --driver-opt namspace=ci --driver kubernetes\n`,
  'docs/guide.md': `# Guide\n\n\`\`\`sh\ndocker buildx build --platform linux/amd64,linux/arm64 --load .\n\`\`\`\n`,
  'scripts/clean.sh': '#!/bin/sh\ndocker buildx rm old-builder\n',
  'scripts/hello.sh': '#!/bin/sh\necho hello\n',
  'generated/out.sh': `${SPLIT}\n`,
  'notes.txt': `${SPLIT}\n`,
};

let root: string;
let session: Session | undefined;
const uriOf = (f: string) => pathToFileURL(join(root, f)).href;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kbx-lsp-workspace-'));
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.gitignore'), 'generated/\n');
  for (const [f, text] of Object.entries(FILES)) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), text);
  }
});
afterEach(() => {
  session?.dispose();
  session = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** A client that pulls diagnostics (as VS Code does), with the project as its one workspace folder. */
function pullClient(extra: SessionOptions = {}): Promise<Session> {
  return startSession({
    textDocument: { diagnostic: { dynamicRegistration: false, relatedInformation: true } },
    workspace: { diagnostics: { refreshSupport: true } },
    initialize: { rootUri: null, workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'project' }] },
    ...extra,
  });
}

function pull(previous: Map<string, string> = new Map(), extra: Record<string, unknown> = {}): Promise<WorkspaceDiagnosticReport> {
  return session!.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: [...previous].map(([uri, value]) => ({ uri, value })), ...extra });
}

function ids(report: WorkspaceDiagnosticReport): Map<string, string> {
  return new Map(report.items.map((r) => [r.uri, r.resultId!]));
}

function byFile(report: WorkspaceDiagnosticReport): Record<string, WorkspaceDocumentDiagnosticReport> {
  return Object.fromEntries(report.items.map((r) => [relative(root, new URL(r.uri).pathname), r]));
}

/** The CLI's findings on the same tree, as `file:line:column:rule`. */
function cliFindings(): string[] {
  let out = '';
  main(
    ['--format', 'json', root],
    (s) => (out += s),
    () => undefined,
  );
  return (JSON.parse(out).diagnostics as { file: string; line: number; column: number; rule: string }[]).map((d) => `${relative(root, d.file)}:${d.line}:${d.column}:${d.rule}`).sort();
}

function lspFindings(report: WorkspaceDiagnosticReport): string[] {
  return Object.entries(byFile(report))
    .flatMap(([f, r]) => (r.kind === 'full' ? r.items.map((d) => `${f}:${d.range.start.line + 1}:${d.range.start.character + 1}:${d.code}`) : []))
    .sort();
}

describe('workspace/diagnostic', () => {
  it('is offered to a client that pulls diagnostics, not to one that takes pushes', async () => {
    session = await pullClient();
    expect(session.init.capabilities.diagnosticProvider).toMatchObject({ workspaceDiagnostics: true, interFileDependencies: false });
    session.dispose();
    session = await startSession();
    expect(session.init.capabilities.diagnosticProvider).toBeUndefined();
  });

  it("reports the CLI's files and findings: .gitignore, unknown types and files without buildx left out", async () => {
    session = await pullClient();
    const report = await pull();
    expect(Object.keys(byFile(report)).sort()).toEqual(['.github/workflows/ci.yml', 'Makefile', 'build.sh', 'docs/guide.md', 'scripts/clean.sh']);
    for (const r of report.items) expect(r).toMatchObject({ kind: 'full', version: null, resultId: expect.any(String) });
    const cli = cliFindings();
    // One finding per host at least, so each host is really read.
    for (const f of ['.github/workflows/ci.yml', 'Makefile', 'build.sh', 'docs/guide.md'])
      expect(
        cli.some((x) => x.startsWith(`${f}:`)),
        f,
      ).toBe(true);
    expect(lspFindings(report)).toEqual(cli);
    expect(byFile(report)['scripts/clean.sh']).toMatchObject({ kind: 'full', items: [] });
  });

  it('reports a file far past the size limit by its size, as the CLI does, and drops one without docker', async () => {
    // Sparse: 40 MB each, on disk almost nothing. Read whole, each took 40 MB of the server's memory.
    for (const [f, tail] of [
      ['big/named.sh', 'docker buildx build .\n'],
      ['big/plain.sh', 'echo hello\n'],
    ]) {
      mkdirSync(join(root, 'big'), { recursive: true });
      writeFileSync(join(root, f), '');
      truncateSync(join(root, f), 40 * 1024 * 1024 - tail.length);
      appendFileSync(join(root, f), tail);
    }
    session = await pullClient();
    const report = byFile(await pull());
    expect(Object.keys(report)).toContain('big/named.sh');
    expect(Object.keys(report)).not.toContain('big/plain.sh');
    const named = report['big/named.sh'];
    expect(named.kind === 'full' && named.items.map((d) => [d.code, d.message])).toEqual([['KBX604', 'the file has 41943040 bytes, too many for the limit of 8388608 characters: it is not read']]);
    expect(lspFindings(await pull())).toEqual(cliFindings());
  });

  it('answers unchanged for files whose result the client holds, full for the one that changed', async () => {
    session = await pullClient();
    const first = await pull();
    const again = await pull(ids(first));
    expect(again.items.map((r) => r.kind)).toEqual(first.items.map(() => 'unchanged'));
    expect(ids(again)).toEqual(ids(first));
    writeFileSync(join(root, 'build.sh'), `#!/bin/sh\n${SPLIT.replace(',pool=ci', '')}\n`);
    const third = byFile(await pull(ids(first)));
    expect(third['build.sh']).toMatchObject({ kind: 'full', items: [] });
    expect(
      Object.entries(third)
        .filter(([, r]) => r.kind === 'full')
        .map(([f]) => f),
    ).toEqual(['build.sh']);
  });

  it('reports an open document from its editor text and version, not from the disk', async () => {
    session = await pullClient();
    // A pulling client gets no pushes: open and edit with bare notifications.
    const uri = uriOf('build.sh');
    await session.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'shellscript', version: 1, text: `#!/bin/sh\n${SPLIT}\n` } });
    const edited = '#!/bin/sh\ndocker buildx create --driver kubernetes --driver-opt replicas=two\n';
    await session.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: edited }] });
    const r = byFile(await pull())['build.sh'];
    expect(r).toMatchObject({ kind: 'full', uri: uriOf('build.sh'), version: 2 });
    expect(r.kind === 'full' && r.items.map((d) => d.code)).toEqual(['KBX202']);
    expect(
      cliFindings()
        .filter((f) => f.startsWith('build.sh:'))
        .map((f) => f.split(':')[3]),
    ).toEqual(['KBX101']);
  });

  it('clears a file the client holds findings for once it is no longer linted', async () => {
    session = await pullClient();
    const first = await pull();
    unlinkSync(join(root, 'build.sh'));
    writeFileSync(join(root, '.gitignore'), 'generated/\nMakefile\n');
    const next = byFile(await pull(ids(first)));
    expect(next['build.sh']).toMatchObject({ kind: 'full', items: [] });
    expect(next.Makefile).toMatchObject({ kind: 'full', items: [] });
    // Once cleared, it is not reported again.
    const cleared = new Map([...ids(first), [uriOf('build.sh'), next['build.sh'].resultId!], [uriOf('Makefile'), next.Makefile.resultId!]]);
    expect(Object.keys(byFile(await pull(cleared)))).not.toContain('build.sh');
  });

  it('asks the client to pull again when .kbx-lint.json changes, and then applies it', async () => {
    session = await pullClient();
    const first = await pull();
    const refreshed = new Promise<void>((resolve) => session!.connection.onRequest('workspace/diagnostic/refresh', () => resolve()));
    writeFileSync(join(root, '.kbx-lint.json'), '{"rules": {"KBX101": "off"}}');
    await session.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf('.kbx-lint.json'), type: 1 }] });
    await refreshed;
    const next = byFile(await pull(ids(first)));
    expect(next['build.sh']).toMatchObject({ kind: 'full', items: [] });
    expect(lspFindings({ items: Object.values(next) })).toEqual(cliFindings());
  });

  it('streams partial results and work-done progress when the client gives tokens', async () => {
    session = await pullClient({ window: { workDoneProgress: true } });
    const whole = await pull();
    const parts: WorkspaceDocumentDiagnosticReport[] = [];
    const progress: string[] = [];
    session.connection.onProgress(WorkspaceDiagnosticRequest.partialResult, 'partial-1', (p) => {
      parts.push(...p.items);
    });
    session.connection.onProgress(WorkDoneProgress.type, 'work-1', (p) => {
      progress.push(p.kind);
    });
    const final = await pull(new Map(), { partialResultToken: 'partial-1', workDoneToken: 'work-1' });
    // The final response is empty: everything came as partial results.
    expect(final.items).toEqual([]);
    expect(lspFindings({ items: parts })).toEqual(lspFindings(whole));
    expect(parts.map((r) => r.uri).sort()).toEqual(whole.items.map((r) => r.uri).sort());
    expect(progress[0]).toBe('begin');
    expect(progress[progress.length - 1]).toBe('end');
  });

  it('reads at most the configured number of files, in discovery order, and says so once', async () => {
    session = await pullClient({ serverOptions: { maxWorkspaceFiles: 3 } });
    const report = await pull();
    const firstThree = discover([root], { ignoreGlobs: [] })
      .files.slice(0, 3)
      .map((f) => relative(root, f.path));
    expect(Object.keys(byFile(report))).toEqual(firstThree.filter((f) => f !== 'scripts/hello.sh'));
    expect(session.messages.filter((m) => m.includes('workspace diagnostics cover the first 3'))).toHaveLength(1);
  });

  it('follows the folders the client lists now (workspace/workspaceFolders)', async () => {
    const other = mkdtempSync(join(tmpdir(), 'kbx-lsp-workspace-2-'));
    try {
      writeFileSync(join(other, 'deploy.sh'), `${SPLIT}\n`);
      session = await pullClient({ workspace: { diagnostics: { refreshSupport: true }, workspaceFolders: true } });
      session.connection.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(other).href, name: 'other' }]);
      const report = await pull();
      expect(report.items.map((r) => r.uri)).toEqual([pathToFileURL(join(other, 'deploy.sh')).href]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
