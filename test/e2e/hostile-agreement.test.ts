/**
 * The CLI and the language server read the same files the same way: the same limits (KBX604 for a file, a line, a word, a
 * Makefile expansion) and the same findings. Each text is written to a file for the CLI
 * (`--format json`) and opened in the language server under the same name.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { inTempDir, runCli } from '../harness/cli-session';
import { type Session, startSession } from '../lsp/lsp-harness';

const dir = inTempDir('kbx-agree-');
let session: Session | undefined;
afterEach(() => {
  session?.dispose();
  session = undefined;
});

const fields = (n: number, sep: string) => Array.from({ length: n }, (_, i) => `a${i}=1`).join(sep);
const FILES: { name: string; languageId: string; text: string }[] = [
  { name: 'plain.sh', languageId: 'shellscript', text: 'docker buildx build --platform linux/x86_64 .\ndocker buildx create --driver-opt nodeselector=a=b,c=d --driver kubernetes\n' },
  { name: 'syntax.sh', languageId: 'shellscript', text: 'docker buildx build . )\nif then\n' },
  // No buildx command can be in it: neither side parses it, so neither reports its syntax error.
  { name: 'no-buildx.sh', languageId: 'shellscript', text: 'echo "unterminated\nif then\n' },
  { name: 'long-line.sh', languageId: 'shellscript', text: `docker buildx build -t ${'a'.repeat(300_000)} .\n` },
  { name: 'long-word.sh', languageId: 'shellscript', text: `docker buildx create --driver kubernetes --driver-opt "${fields(12_000, ',\n')}"\ndocker buildx build --platform linux/x86_64 .\n` },
  { name: 'parens.sh', languageId: 'shellscript', text: `docker buildx build . ${')'.repeat(5_000)}\n` },
  {
    name: 'Makefile',
    languageId: 'makefile',
    text: `A0 := x,\n${Array.from({ length: 17 }, (_, i) => `A${i + 1} = $(A${i})$(A${i})\n`).join('')}all:\n\tdocker buildx build --platform $(A17) .\n\tdocker buildx build --platform linux/x86_64 .\n`,
  },
];

describe('the CLI and the language server agree', () => {
  it('on which files are linted and on every finding (rule and line)', { timeout: 120_000 }, async () => {
    for (const f of FILES) {
      mkdirSync(dirname(join(dir.current(), f.name)), { recursive: true });
      writeFileSync(join(dir.current(), f.name), f.text);
    }
    mkdirSync(join(dir.current(), '.git'));
    const run = runCli('--no-config', '--format', 'json', ...FILES.map((f) => f.name));
    expect(run.err).not.toMatch(/at .*\.ts:\d+/);
    const doc = JSON.parse(run.out) as { diagnostics: { file: string; line: number; rule: string }[] };
    const cli = new Map<string, string[]>(FILES.map((f) => [f.name, []]));
    for (const d of doc.diagnostics) cli.get(d.file)?.push(`${d.rule}:${d.line}`);

    session = await startSession();
    const server = new Map<string, string[]>();
    for (const f of FILES) {
      const uri = pathToFileURL(join(dir.current(), f.name)).href;
      const published = await session.open(uri, f.languageId, f.text);
      server.set(
        f.name,
        published.diagnostics.map((d) => `${d.code}:${d.range.start.line + 1}`),
      );
      await session.close(uri);
    }
    for (const f of FILES) expect(server.get(f.name)?.sort(), f.name).toEqual(cli.get(f.name)?.sort());
    // The hostile files each give their one clear finding.
    expect(cli.get('long-line.sh')).toEqual(['KBX604:1']);
    expect(cli.get('long-word.sh')).toEqual(['KBX412:12001', 'KBX604:1']);
    expect(cli.get('Makefile')).toContain('KBX604:20');
    expect(cli.get('parens.sh')?.length).toBeGreaterThan(0);
    expect(cli.get('no-buildx.sh')).toEqual([]);
    expect(cli.get('syntax.sh')?.some((d) => d.startsWith('KBX601'))).toBe(true);
  });
});
