/**
 * `--fix` through the CLI's own path (runFixes: the first lint, the batch of fixes, the lint that
 * proves it, the diff or the fixed text, and the report of what remains), in this process: 4x the
 * fixable lines costs about 4x, each ratio measured in the same test (test/harness/cost.ts) in CPU
 * time (wall time on a loaded machine failed them now and then). Also what the run produced, so a
 * fast path that skipped work would fail here too.
 */
import { describe, expect, it } from 'vitest';
import { type FixInput, runFixes } from '../../server/src/cli/fix';
import { formatJson, formatText, NO_COLOR } from '../../server/src/cli/format';
import { lint } from '../../server/src/engine/lint';
import { growth } from '../harness/cost';

/** Every line has a safe fix (an alias); every 4th also an error no fix removes; every 8th an unsafe fix. */
function script(n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 8 === 7) out.push(`docker buildx create --name b${i} --driver kubernetes --driver-opt nodeSelector=kubernetes.io/arch=amd64`);
    else if (i % 4 === 3) out.push(`docker buildx build --platform linux/x86_64 --shm-size lots -t r/a${i} .`);
    else out.push(`docker buildx build --platform linux/x86_64 -t r/a${i} .`);
  }
  return out.join('\n') + '\n';
}

function input(text: string): FixInput {
  return { path: 'x.sh', text, raw: Buffer.from(text, 'utf8'), languageId: 'shellscript', stdin: true };
}

const lintInput = (inp: FixInput) => lint({ text: inp.text, fileName: inp.path });

function fixAndReport(text: string, mode: 'write' | 'diff', unsafe: boolean) {
  const res = runFixes([input(text)], { mode, unsafe, lint: lintInput });
  // What the CLI prints after fixing: the findings that remain, as text and as JSON.
  const report = formatText(res.reports, NO_COLOR) + formatJson(res.reports);
  return { res, report };
}

describe('--fix grows linearly with the number of fixable lines', () => {
  it('safe fixes, fixed text and the report of what remains', () => {
    const n = 64;
    const { res, report } = fixAndReport(script(n), 'write', false);
    const builds = n - n / 8;
    expect(res.applied).toBe(builds);
    expect(res.stdout).not.toContain('linux/x86_64');
    expect(res.stdout?.split('linux/amd64').length).toBe(builds + 1);
    // The shm-size errors (lines 3, 11, …) and the unknown nodeSelector keys (7, 15, …) remain.
    const codes = res.reports[0].diagnostics.map((d) => d.code);
    expect(codes.filter((c) => c === 'KBX510').length).toBe(n / 8);
    expect(codes.filter((c) => c === 'KBX201').length).toBe(n / 8);
    expect(res.remaining).toBe(n / 4);
    expect(report).toContain('KBX510');
    expect(report).not.toContain('KBX412');
    const r = growth(script, (text) => fixAndReport(text, 'write', false), 250, { runs: 3, clock: 'cpu' });
    expect(r.ratio, r.describe).toBeLessThan(10);
  });

  it('--diff with --unsafe-fixes', () => {
    const n = 64;
    const { res } = fixAndReport(script(n), 'diff', true);
    expect(res.applied).toBe(n);
    expect(res.diff.match(/^\+docker buildx create .*--driver-opt nodeselector=/gm)?.length).toBe(n / 8);
    expect(res.diff.match(/^\+docker buildx build --platform linux\/amd64 /gm)?.length).toBe(n - n / 8);
    const r = growth(script, (text) => fixAndReport(text, 'diff', true), 250, { runs: 3, clock: 'cpu' });
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
});

describe('suppressions and fixes in long inputs grow linearly', () => {
  it('a run of n directive comments over one command', () => {
    // Every comment of the run applies to the command after it: finding that command once per
    // comment, by scanning the rest of the run, was quadratic in the run.
    const text = (n: number) => `${'# kbx-lint disable=KBX412,KBX510\n'.repeat(n)}docker buildx build --platform linux/x86_64 --shm-size lots -t r/a .\n`;
    expect(lint({ text: text(50), fileName: 'x.sh' }).diagnostics.map((d) => d.code)).toEqual([]);
    const r = growth(text, (t) => lint({ text: t, fileName: 'x.sh' }), 2000, { runs: 2, clock: 'cpu' });
    expect(r.ratio, r.describe).toBeLessThan(10);
  });

  it('n --platform flags on one command, each an alias with a fix', () => {
    // Each finding's fix looked for its flag by listing and scanning every --platform flag of the
    // command: quadratic in the flags (10,000 took 3.5 s).
    const text = (n: number) => `docker buildx build ${'--platform linux/x86_64 '.repeat(n)}-t r/a .\n`;
    const fixes = lint({ text: text(40), fileName: 'x.sh' }).diagnostics.filter((d) => d.code === 'KBX412' && d.fix);
    expect(fixes).toHaveLength(40);
    expect(new Set(fixes.map((d) => d.fix!.edits[0].span.start)).size).toBe(40);
    // 8× the flags (1,250 → 10,000): linear gives about 8, the quadratic scan gave 22 to 40.
    const r = growth(text, (t) => lint({ text: t, fileName: 'x.sh' }), 1250, { runs: 2, clock: 'cpu', factor: 8 });
    expect(r.ratio, r.describe).toBeLessThan(16);
  });

  it('n suppressed findings, each with a fix, in one long --platform list', () => {
    // One fix per item used to scan the whole word to find its item: quadratic in the list.
    const text = (n: number) => `docker buildx build --platform ${Array.from({ length: n }, () => 'linux/x86_64').join(',')} -t r/a . # kbx-lint disable=KBX412\n`;
    const fixes = lint({ text: text(50).replace(' # kbx-lint disable=KBX412', ''), fileName: 'x.sh' }).diagnostics.filter((d) => d.code === 'KBX412');
    expect(fixes.map((d) => d.fix?.edits[0].newText)).toEqual(Array.from({ length: 50 }, () => 'linux/amd64'));
    expect(lint({ text: text(50), fileName: 'x.sh' }).diagnostics.filter((d) => d.code === 'KBX412')).toEqual([]);
    const r = growth(text, (t) => lint({ text: t, fileName: 'x.sh' }), 1000, { runs: 2, clock: 'cpu' });
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
});
