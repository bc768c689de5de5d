/**
 * A real editor with its stock client: Neovim (0.7, Debian's package; `.ci/run` installs it) with
 * vim.lsp and no plugins opens each example, waits for diagnostics, applies the preferred quick fix
 * through the protocol, writes the file, and asks for inlay hints and the explain command. The
 * diagnostics must be the CLI's, and the CLI must agree that the fix removed its finding.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir';

const root = join(__dirname, '../..');
const SERVER = join(root, 'dist/server.js');
const CLI = join(root, 'dist/kbx-lint.js');
const SCRIPT = join(__dirname, 'nvim-client.lua');

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });

interface NvimResult {
  diagnostics: { line: number; column: number; code: string }[];
  fixed_code?: string;
  fixed_line?: number;
  applied?: string;
  inlay_hints: string[];
  explain: string;
  errors: string[];
}

function runNvim(file: string): NvimResult {
  const out = join(tempDir('kbx-nvim-'), 'out.json');
  const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-c', `luafile ${SCRIPT}`], {
    env: { ...process.env, KBX_SERVER: SERVER, KBX_FILE: file, KBX_NVIM_OUT: out },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as NvimResult;
}

function cli(file: string): { line: number; column: number; rule: string }[] {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', '--rule', 'KBX205=off', file], { encoding: 'utf8' });
  return (JSON.parse(r.stdout) as { diagnostics: { line: number; column: number; rule: string }[] }).diagnostics;
}

const examples = [
  ...readdirSync(join(root, 'examples/ci')).map((f) => join(root, 'examples/ci', f)),
  ...readdirSync(join(root, 'examples/scripts')).map((f) => join(root, 'examples/scripts', f)),
  join(root, 'examples/Makefile'),
].filter((f) => /\.sh$|Makefile$/.test(f));

describe('Neovim with its stock LSP client', () => {
  it("is installed (the CI script installs Debian's neovim)", () => {
    expect(nvim.status, 'install neovim (apt-get install neovim) to run the editor tests').toBe(0);
    expect(nvim.stdout).toMatch(/^NVIM v0\.\d+/);
  });

  it.each(examples.map((f) => [basename(f), f]))('%s: diagnostics, quick fix, inlay hints, explain', (_name, example) => {
    const dir = tempDir('kbx-nvim-file-');
    const file = join(dir, basename(example));
    copyFileSync(example, file);
    const before = cli(file);
    const r = runNvim(file);
    expect(r.errors).toEqual([]);
    const key = (d: { line: number; column: number; code?: string; rule?: string }) => `${d.line}:${d.column}:${d.code ?? d.rule}`;
    expect(r.diagnostics.map(key).sort()).toEqual(before.map(key).sort());
    expect(r.explain).toContain('argv[1] buildx');
    if (before.some((d) => d.rule === 'KBX101' || d.rule === 'KBX301' || d.rule === 'KBX412')) {
      expect(r.applied, 'a safe quick fix was applied').toBeTruthy();
      const after = cli(file);
      expect(after.some((d) => d.rule === r.fixed_code && d.line === r.fixed_line)).toBe(false);
      expect(after.length).toBeLessThan(before.length);
      // bash still reads the written file.
      if (file.endsWith('.sh')) execFileSync('bash', ['-n', file]);
    }
    if (readFileSync(example, 'utf8').includes('--driver-opt')) expect(r.inlay_hints.some((h) => h.startsWith('⇒ '))).toBe(true);
  });
});
