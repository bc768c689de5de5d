/**
 * Small scripts that make the values walk store or write far more than they hold: values that
 * double line after line (each one capped, but thousands of them kept), and brace ranges on many
 * lines (each range capped, but no bound for the file). Both once needed gigabytes for a file of
 * a few hundred kilobytes. The CLI now lints each inside a 96 MB heap, which the old code could
 * not (it aborted with "heap out of memory"): a memory ceiling, never a time.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dist = join(__dirname, '../../dist/kbx-lint.js');

function lintInSmallHeap(text: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--max-old-space-size=96', dist, '--no-config', '--format', 'json', '--stdin-filename', 'x.sh', '-'], {
    input: text,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('values walk budgets', () => {
  it('3,200 doubling variables lint in a 96 MB heap', () => {
    let text = 'X0=linux/x86_64,\n';
    for (let i = 1; i < 3200; i++) text += `X${i}="$X${i - 1}$X${i - 1}"\n`;
    text += 'docker buildx build --platform "$X3199" .\ndocker buildx build --platform "$X8" .\n';
    const r = lintInSmallHeap(text);
    expect(r.stderr).not.toContain('heap out of memory');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: { name: string; line: number }[] };
    // X8 is still known (256 copies of "linux/x86_64,"): its items are checked where they are written.
    expect(out.diagnostics.some((d) => d.name === 'platform-alias' && d.line === 1)).toBe(true);
  });

  it('3,000 lines of brace ranges lint in a 96 MB heap, and early ranges still expand', () => {
    let text = '';
    for (let i = 0; i < 3000; i++) text += `docker buildx build -t {1..${100 + i}} .\n`;
    const r = lintInSmallHeap(text);
    expect(r.stderr).not.toContain('heap out of memory');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: { name: string; line: number; message: string }[] };
    const first = out.diagnostics.find((d) => d.line === 1 && d.name === 'build-context-count');
    expect(first?.message).toContain('found 100: "2", "3", "4", "5", "6", "7", … (94 more)');
  });
});
