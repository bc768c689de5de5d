/**
 * The shipped examples/, fixed with `kbx-lint --fix`: only problems without a certain fix remain,
 * `--diff` shows exactly the edits `--fix` makes, and the fixed scripts and Makefile run under
 * bash/make (stub docker) with every untouched command's argv unchanged and the fixed create
 * commands now handing buildx the driver options their authors meant.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main';
import { lint } from '../../server/src/engine/lint';
import { runMake, runScript } from '../harness/stub-docker';
import { readMarkdown } from '../../server/src/hosts/markdown';

const EXAMPLES = join(__dirname, '../../examples');
const work = mkdtempSync(join(tmpdir(), 'kbx-examples-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = main(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

describe('kbx-lint --fix on examples/', () => {
  const fixedDir = join(work, 'fixed');
  cpSync(EXAMPLES, fixedDir, { recursive: true });
  const diffRun = cli('--diff', fixedDir);
  const fixRun = cli('--fix', '--format', 'json', fixedDir);

  it('--diff describes exactly what --fix wrote', () => {
    expect(diffRun.code).toBe(1);
    for (const f of files(EXAMPLES)) {
      const before = readFileSync(f, 'utf8');
      const after = readFileSync(join(fixedDir, relative(EXAMPLES, f)), 'utf8');
      const path = join(fixedDir, relative(EXAMPLES, f));
      const changed = before !== after;
      expect(diffRun.out.includes(`--- a/${path}\n`), path).toBe(changed);
    }
  });

  it('leaves only problems that have no safe fix', () => {
    const remaining = JSON.parse(fixRun.out).diagnostics as { fix: null | { applicability: string } }[];
    expect(remaining.length).toBeGreaterThan(0);
    expect(remaining.filter((d) => d.fix?.applicability === 'safe')).toEqual([]);
    expect(cli('--fix', fixedDir).err).toContain('applied 0 fixes');
  });

  it('fixed scripts run under bash with the intended options, other commands untouched', () => {
    for (const f of files(EXAMPLES).filter((p) => p.endsWith('.sh'))) {
      const before = runScript(readFileSync(f, 'utf8'));
      const fixedText = readFileSync(join(fixedDir, relative(EXAMPLES, f)), 'utf8');
      const after = runScript(fixedText);
      expect(after.calls.length, f).toBe(before.calls.length);
      const original = readFileSync(f, 'utf8');
      if (original === fixedText) expect(after.calls).toEqual(before.calls);
      // Every command the fix changed now lints clean of the driver-option errors it had.
      const lintAfter = lint({ text: fixedText, fileName: f }).diagnostics.filter((d) => d.code === 'KBX101');
      expect(lintAfter).toEqual([]);
    }
  });

  it('the kube example now gives buildx one nodeselector with both labels and a valid toleration', () => {
    const fixed = readFileSync(join(fixedDir, 'ci/build-multiarch.sh'), 'utf8');
    const calls = runScript(fixed).calls.filter((c) => c[1] === 'create');
    const first = calls[0];
    expect(first).toContain('--driver-opt=namespace=buildkit,"nodeselector=kubernetes.io/arch=amd64,pool=ci"');
    expect(first).toContain('"tolerations=key=ci,operator=Exists"');
  });

  it('the Markdown page: only code lines changed, and its fixed blocks hand buildx one CSV field', () => {
    const rel = 'docs/kubernetes-builder.md';
    const before = readFileSync(join(EXAMPLES, rel), 'utf8').split('\n');
    const fixed = readFileSync(join(fixedDir, rel), 'utf8');
    const after = fixed.split('\n');
    expect(after.length).toBe(before.length);
    const changed = after.map((l, i) => (l !== before[i] ? i + 1 : 0)).filter(Boolean);
    expect(changed).toEqual([23, 40]);
    const script = readMarkdown(fixed)
      .regions.map((r) => r.source.text.replace(/\uE000/g, 'placeholder'))
      .join('');
    const creates = runScript(script).calls.filter((c) => c[1] === 'create');
    expect(creates[0]).toContain('namespace=buildkit,replicas=2,"nodeselector=kubernetes.io/arch=amd64,pool=build"');
    expect(creates[1]).toContain('namespace=buildkit,"tolerations=key=dedicated,operator=Exists,effect=NoSchedule"');
  });

  it('the Makefile still runs under make with the same argv', () => {
    const before = runMake(readFileSync(join(EXAMPLES, 'Makefile'), 'utf8'), ['builder', 'release']);
    const after = runMake(readFileSync(join(fixedDir, 'Makefile'), 'utf8'), ['builder', 'release']);
    expect(after.calls).toEqual(before.calls);
  });
});
