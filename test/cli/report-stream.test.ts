/**
 * SARIF, GitLab, rdjson, Checkstyle and JUnit reports are written a file at a time as each file is
 * linted (ci-formats streamReport), like the JSON report: the bytes are exactly those of the
 * whole-document formatters, and a run keeps neither every file's text and findings nor the
 * whole report. Measured on a real process over many files with many findings: each of these
 * reports peaks near the concise run, which was always streamed; built whole at the end, the
 * SARIF report of 100 files of 200 findings took more than twice the memory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCheckstyle, formatGitlab, formatJunit, formatRdjson, formatSarif, type ReportContext, streamReport } from '../../server/src/cli/ci-formats';
import type { FileReport } from '../../server/src/cli/format';
import { lint, RULES } from '../../server/src/engine/lint';
import { median, peakKBOfRun } from '../harness/peak';

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

function report(path: string, text: string, fileName = path): FileReport {
  return { path, text, diagnostics: lint({ text, fileName }).diagnostics };
}

const ctx: ReportContext = {
  root: '/repo',
  cwd: '/repo/sub',
  version: '9.9.9',
  rules: RULES.map((r) => r.meta),
  helpUri: (m) => `https://example.org/rules/${m.code}.md`,
};

const whole = {
  sarif: (rs: FileReport[]) => formatSarif(rs, ctx),
  gitlab: (rs: FileReport[]) => formatGitlab(rs, ctx),
  rdjson: (rs: FileReport[]) => formatRdjson(rs, ctx),
  checkstyle: (rs: FileReport[]) => formatCheckstyle(rs),
  junit: (rs: FileReport[]) => formatJunit(rs),
};

function streamed(format: string, reports: FileReport[]): string {
  let out = '';
  const s = streamReport(format, ctx, (x) => (out += x));
  if (!s) throw new Error(`${format} is not streamed`);
  for (const r of reports) s.file(r);
  s.end();
  return out;
}

describe('streamReport', () => {
  it('writes the same bytes as the whole-document formatter, with files without findings anywhere among them', () => {
    const clean = report('clean.sh', 'docker buildx build --platform linux/amd64 .\n');
    // Related information, a fix with edits, help and the upstream error: every part of a finding.
    const rich = report(
      'rich.sh',
      'docker buildx create --name b --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci --driver-opt replicas=1 --driver-opt replicas=2\ndocker buildx build --platform linux/x86_64 .\n',
    );
    // Outside the root, standard input, a name to escape, and a character of two UTF-8 bytes before a finding.
    const outside = report('../../elsewhere/q "x"&<.md', '```sh\ndocker buildx build --platform "linux/x86_64" -t é .\n```\n');
    const stdin = report('<stdin>', 'echo é; docker buildx build --platform linux/x86_64 .\n', 'x.sh');
    expect(rich.diagnostics.length).toBeGreaterThan(2);
    expect(rich.diagnostics.some((d) => d.fix) && rich.diagnostics.some((d) => d.related?.length) && rich.diagnostics.some((d) => d.upstream)).toBe(true);
    expect(outside.diagnostics.length && stdin.diagnostics.length).toBeGreaterThan(0);
    for (const [format, format1] of Object.entries(whole)) {
      for (const reports of [[], [clean], [clean, rich], [rich, clean, outside], [clean, stdin, clean, outside, rich, clean]]) {
        expect(streamed(format, reports), `${format} of ${reports.map((r) => r.path).join(', ')}`).toBe(format1(reports) + '\n');
      }
    }
  });

  it('streams no format it does not know', () => {
    expect(streamReport('text', ctx, () => {})).toBeNull();
  });
});

describe('memory of the CI reports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kbx-report-stream-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('100 files of 200 findings: each streamed report peaks near the concise run', { timeout: 240_000 }, () => {
    for (let k = 0; k < 100; k++) {
      writeFileSync(join(dir, `f${k}.sh`), `docker buildx create --driver kubernetes \\\n${lines(100, (i) => `  --driver-opt nodeselector=k${i}=v,x${i}=y \\`)}  --name b\n`);
    }
    const run = (format: string) => peakKBOfRun(['--format', format, '-j', '1', dir]);
    // Built whole, the report took 1.4 (Checkstyle) to 2.8 (SARIF) times the concise run's peak.
    // JUnit, built whole until it kept only each file's rendered suite, took 1.7 times.
    const limits: Record<string, number> = { sarif: 1.35, gitlab: 1.35, rdjson: 1.35, checkstyle: 1.2, junit: 1.3 };
    const peaks: Record<string, number[]> = { concise: [] };
    // Alternating, medians of three: a process's peak moves with when its collections ran.
    for (let k = 0; k < 3; k++) {
      for (const format of ['concise', ...Object.keys(limits)]) (peaks[format] ??= []).push(run(format));
    }
    for (const [format, limit] of Object.entries(limits)) {
      const ratio = median(peaks[format]) / median(peaks.concise);
      expect(ratio, `${format} ${median(peaks[format])} KB, concise ${median(peaks.concise)} KB`).toBeLessThan(limit);
    }
  });
});
