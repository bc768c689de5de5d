/**
 * `--format json` is written a finding at a time as each file is linted (format.ts JsonStream):
 * the bytes are exactly formatJson's, and a run keeps neither every file's report nor the
 * whole report text. Measured on a real process: the JSON report of a file with many findings
 * costs no more memory than the line formats, which were always streamed; building the report
 * whole cost a third more (a second object per finding and the whole text at once).
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { type FileReport, formatJson, JsonStream } from '../../server/src/cli/format';
import { median, peakKB } from '../harness/peak';

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

function report(path: string, text: string): FileReport {
  return { path, text, diagnostics: lint({ text, fileName: path }).diagnostics };
}

function streamed(reports: FileReport[]): string {
  let out = '';
  const s = new JsonStream((x) => (out += x));
  for (const r of reports) s.file(r);
  s.end();
  return out;
}

describe('JsonStream', () => {
  it('writes the same bytes as formatJson, with files without findings anywhere among them', () => {
    const clean = report('clean.sh', 'docker buildx build --platform linux/amd64 .\n');
    // Related information, a fix with edits, help and the upstream error: every part of a finding.
    const rich = report(
      'rich.sh',
      'docker buildx create --name b --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci --driver-opt replicas=1 --driver-opt replicas=2\ndocker buildx build --platform linux/x86_64 .\n',
    );
    const quoted = report('q "x"\n.md', '```sh\ndocker buildx build --platform "linux/x86_64" .\n```\n');
    expect(rich.diagnostics.length).toBeGreaterThan(2);
    expect(rich.diagnostics.some((d) => d.fix) && rich.diagnostics.some((d) => d.related?.length)).toBe(true);
    for (const reports of [[], [clean], [clean, rich], [rich, clean, quoted], [clean, clean, quoted, rich, clean]]) {
      expect(streamed(reports)).toBe(formatJson(reports) + '\n');
    }
  });
});

describe('memory of the JSON report', () => {
  it('a file of 16,000 findings: the JSON run peaks no higher than the concise run', { timeout: 120_000 }, () => {
    const text = `docker buildx create --driver kubernetes \\\n${lines(8_000, (i) => `  --driver-opt nodeselector=k${i}=v,x${i}=y \\`)}  --name b\n`;
    // Alternating, medians of three: a process's peak moves with when its collections ran.
    const json: number[] = [];
    const concise: number[] = [];
    for (let k = 0; k < 3; k++) {
      json.push(peakKB(text, 'x.sh', ['--format', 'json']));
      concise.push(peakKB(text, 'x.sh', ['--format', 'concise']));
    }
    const ratio = median(json) / median(concise);
    expect(ratio, `json ${median(json)} KB, concise ${median(concise)} KB`).toBeLessThan(1.1);
  });
});
