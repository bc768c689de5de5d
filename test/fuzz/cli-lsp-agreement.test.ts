/**
 * Issue 14, item 5: the CLI and the language server agree on which files are linted and on the
 * input limits, on a tree of hostile files: a project `.kbx-lint.json` with small limits, a file
 * over `maxFileSize`, a line over `maxLineLength`, a word over `maxWordLength`, YAML that nests
 * past what the reader's stack holds (the CLI reads it on its main thread, the server in a worker
 * with another stack size), a merge-key bomb, a binary file, files that never mention docker, an
 * extension-less script found by its shebang, invalid UTF-8, a BOM, CRLF, MDX, action.yml and
 * GitLab CI. The server's workspace diagnostics must list the CLI's files with the CLI's findings,
 * and each file opened in the editor must get the CLI's findings too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentDiagnosticReport, WorkspaceDiagnosticReport } from 'vscode-languageserver/node';
import { main } from '../../server/src/cli/main';
import { type Session, startSession } from '../lsp/lsp-harness';

const BUILD = 'docker buildx build --platform linux/x86_64 -t r/a .';
const CONFIG = { limits: { maxFileSize: 20_000, maxLineLength: 8_000, maxWordLength: 2_000 } };

function mergeBomb(levels: number): string {
  let t = 'x-base:\n  a0: &a0 {k0: v}\n';
  for (let i = 1; i < levels; i++) t += `  a${i}: &a${i} {<<: [${new Array(9).fill(`*a${i - 1}`).join(', ')}], k${i}: v}\n`;
  return `on: push\n${t}jobs:\n  b:\n    <<: *a${levels - 1}\n    runs-on: x\n    steps:\n      - run: ${BUILD}\n`;
}

/** Text files, and the languageId an editor gives each when it opens it. */
const FILES: Record<string, { text: string | Buffer; languageId: string }> = {
  'huge.sh': { text: `${BUILD}\n`.repeat(400), languageId: 'shellscript' },
  'long-line.sh': { text: `docker buildx build --platform linux/x86_64 ${'-t r/a '.repeat(1500)}.\n${BUILD}\n`, languageId: 'shellscript' },
  'long-word.sh': { text: `docker buildx build --platform linux/x86_64,${'linux/amd64,'.repeat(200)} .\ndocker buildx build --platform linux/x86_64 .\n`, languageId: 'shellscript' },
  '.github/workflows/deep.yml': { text: `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: ${BUILD}\n        env: {A: ${'['.repeat(2000)}x${']'.repeat(2000)}}\n`, languageId: 'yaml' },
  '.github/workflows/bomb.yml': { text: mergeBomb(120), languageId: 'yaml' },
  'action.yml': { text: `name: x\nruns:\n  using: composite\n  steps:\n    - run: ${BUILD}\n      shell: bash\n`, languageId: 'yaml' },
  '.gitlab-ci.yml': { text: `a:\n  extends: b\n  script: [${BUILD}]\nb:\n  extends: a\n  script:\n    - !reference [a, script]\n`, languageId: 'yaml' },
  'docs/page.mdx': { text: `{'{'.repeat(50)}\n\n\`\`\`sh\n${BUILD}\n\`\`\`\n`, languageId: 'mdx' },
  Makefile: { text: `include Makefile\nf = $(call f,x)\nall:\n\tdocker buildx build --platform $(call f) linux/x86_64 .\n`, languageId: 'makefile' },
  'tools/release': { text: `#!/usr/bin/env bash\n${BUILD}\n`, languageId: 'shellscript' },
  'crlf.sh': { text: `${BUILD}\r\ndocker buildx build \\\r\n  --platform linux/x86_64 .\r\n`, languageId: 'shellscript' },
  'bom.sh': { text: `\uFEFF${BUILD}\n`, languageId: 'shellscript' },
  'latin1.sh': { text: Buffer.concat([Buffer.from('docker buildx build --platform linux/x86_64 -t "r/caf'), Buffer.from([0xe9, 0xff]), Buffer.from('" .\n')]), languageId: 'shellscript' },
  'binary.sh': { text: Buffer.concat([Buffer.from(`${BUILD}\n`), Buffer.from([0, 1, 2]), Buffer.from(`\n${BUILD}\n`)]), languageId: 'shellscript' },
  'no-docker.sh': { text: '#!/bin/sh\necho "hello\n', languageId: 'shellscript' },
  // Says "docker" but holds no buildx command: neither side parses it, so its syntax error is not reported.
  'docker-word.mk': { text: 'b:\n\tOPTS="--driver docker-container"; \\\n\tif [ -n "$$HTTP_\n', languageId: 'makefile' },
  'notes.txt': { text: `${BUILD}\n`, languageId: 'plaintext' },
};

let root: string;
let session: Session;
const uriOf = (f: string) => pathToFileURL(join(root, f)).href;

/** A finding as `file:line:column:rule`, the same from both sides. */
type Finding = string;

function cliFindings(): Finding[] {
  let out = '';
  main(
    ['--format', 'json', root],
    (s) => (out += s),
    () => undefined,
  );
  return (JSON.parse(out).diagnostics as { file: string; line: number; column: number; rule: string }[]).map((d) => `${relative(root, d.file)}:${d.line}:${d.column}:${d.rule}`).sort();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kbx-agreement-'));
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.kbx-lint.json'), JSON.stringify(CONFIG));
  for (const [f, { text }] of Object.entries(FILES)) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), text);
  }
  session = await startSession({
    textDocument: { diagnostic: { dynamicRegistration: false, relatedInformation: true } },
    workspace: { diagnostics: { refreshSupport: true } },
    initialize: { rootUri: null, workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'project' }] },
  });
});
afterAll(() => {
  session?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('the CLI and the language server on hostile files (issue 14, item 5)', () => {
  it('workspace diagnostics: the same files, the same findings, the same limits', { timeout: 60_000 }, async () => {
    const cli = cliFindings();
    const report = await session.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: [] });
    const lsp = report.items
      .flatMap((r) => (r.kind === 'full' ? r.items.map((d) => `${relative(root, new URL(r.uri).pathname)}:${d.range.start.line + 1}:${d.range.start.character + 1}:${d.code}`) : []))
      .sort();
    const lspFiles = report.items.map((r) => relative(root, new URL(r.uri).pathname)).sort();
    // The limits of .kbx-lint.json apply on both sides: each of these files gets its KBX604.
    for (const f of ['huge.sh', 'long-line.sh', 'long-word.sh', '.github/workflows/deep.yml'])
      expect(
        cli.some((x) => x.startsWith(`${f}:`) && x.endsWith(':KBX604')),
        f,
      ).toBe(true);
    expect(lspFiles).not.toContain('binary.sh');
    expect(lspFiles).not.toContain('no-docker.sh');
    expect(lspFiles).not.toContain('notes.txt');
    expect(lspFiles).toContain('tools/release');
    expect(lsp).toEqual(cli);
  });

  it('an open document gets the findings the CLI reports for its file', { timeout: 60_000 }, async () => {
    const cli = cliFindings();
    const mismatches: string[] = [];
    for (const [f, { text, languageId }] of Object.entries(FILES)) {
      // What an editor shows: the file decoded as UTF-8. A binary file, or one that never
      // mentions docker, is not linted by the CLI; it has nothing to agree on.
      if (f === 'binary.sh' || f === 'notes.txt' || f === 'no-docker.sh') continue;
      const uri = uriOf(f);
      await session.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text: text.toString() } });
      const r = await session.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri } });
      const got = (r.kind === 'full' ? r.items : []).map((d) => `${f}:${d.range.start.line + 1}:${d.range.start.character + 1}:${d.code}`).sort();
      const want = cli.filter((x) => x.startsWith(`${f}:`));
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${f}: language server ${JSON.stringify(got)}, CLI ${JSON.stringify(want)}`);
      await session.notify('textDocument/didClose', { textDocument: { uri } });
    }
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  });
});
