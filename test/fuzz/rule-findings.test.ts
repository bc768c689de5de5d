/**
 * Every rule's per-finding cost is flat: each rule's documented example (which fires it) is
 * repeated k and 4k times in one file (the steps of a workflow example, the whole example
 * otherwise), and 4× the copies may cost the lint at most about 4× (a ratio of CPU times measured
 * in the same test). The rule must still fire, and at least as often on the bigger file; nothing
 * may throw, every span must lie inside the text. A rule that parses a whole command again for
 * each of its findings grows quadratically here.
 *
 * CI: 10 and 40 copies (a smoke test; the long mode is the measurement). KBX_FUZZ_LONG=1: 2,500 and 10,000 copies (10,000 findings of the rule).
 * KBX_FUZZ_ONLY=<code or name> picks rules; KBX_FUZZ_VERBOSE=1 prints each rule's counts.
 */
import { describe, expect, it } from 'vitest';
import { explainFile } from '../../server/src/cli/explain';
import { type Config, withoutFindingsLimit } from '../../server/src/engine/config';
import { lint, type LintResult } from '../../server/src/engine/lint';
import { RULES } from '../../server/src/rules/index';
import { cpuMs, screenGrowth } from '../harness/cost';
import { ALL_ON } from './fuzz-lib';

const LONG = process.env.KBX_FUZZ_LONG === '1';
const COPIES = LONG ? 2_500 : 10;
const ONLY = (process.env.KBX_FUZZ_ONLY ?? '').toUpperCase();
const VERBOSE = process.env.KBX_FUZZ_VERBOSE === '1';
/** Linear work gives about 4 for 4× the copies, quadratic about 16. */
const MAX_RATIO = 12;
const FLOOR_MS = LONG ? 25 : 3;

/** Rules whose example leaves a construct open, so that copies of it close each other. */
const UNTERMINATED = new Set(['KBX601']);

/** k copies of the example: a workflow's steps repeated under one `steps:`, else the whole text. */
function repeatedExample(example: string, k: number): string {
  const body = example.endsWith('\n') ? example : `${example}\n`;
  const at = body.indexOf('steps:\n');
  if (at >= 0) return body.slice(0, at + 7) + body.slice(at + 7).repeat(k);
  return body.repeat(k);
}

function inside(text: string, r: LintResult): string | null {
  if (r.internalErrors.length) return `internal error: ${r.internalErrors[0]}`;
  for (const d of r.diagnostics) {
    for (const s of [d.span, ...(d.related ?? []).map((x) => x.span), ...(d.fix?.edits ?? []).map((e) => e.span)])
      if (!(s.start >= 0 && s.start <= s.end && s.end <= text.length)) return `${d.code}: span ${JSON.stringify(s)} outside a text of ${text.length}`;
  }
  return null;
}

describe('every rule, many of its findings in one file', () => {
  it(`per-finding cost is flat: ${COPIES} and ${4 * COPIES} copies of each rule's example`, { timeout: LONG ? 3_600_000 : 300_000 }, () => {
    const reports: string[] = [];
    const ratios: string[] = [];
    let rules = 0;
    for (const rule of RULES) {
      const { code, name, docs } = rule.meta;
      if (ONLY && !ONLY.split(',').some((x) => x === code || x === name.toUpperCase())) continue;
      rules++;
      const t0 = cpuMs();
      const fileName = docs.exampleFileName ?? 'example.sh';
      // Every finding is made: the cost per finding is what is measured, not limits.maxFindings.
      const config: Config = withoutFindingsLimit({ ...ALL_ON, ...(docs.exampleConfig ?? {}) });
      const run = (text: string) => {
        const r = lint({ text, fileName }, config);
        explainFile(fileName, r.model);
        return r;
      };
      const small = repeatedExample(docs.example, COPIES);
      const big = repeatedExample(docs.example, 4 * COPIES);
      const rs = run(small);
      const rb = run(big);
      const problem = inside(small, rs) ?? inside(big, rb);
      const count = (r: LintResult) => r.diagnostics.filter((d) => d.code === code).length;
      if (problem) {
        reports.push(`${code} ${name}: ${problem}`);
        continue;
      }
      // An unterminated construct closes against its next copy (two copies of `'a` are one
      // string): such an example must fire alone, and its copies are still timed.
      const once = count(run(repeatedExample(docs.example, 1)));
      if (once === 0 || (count(rs) === 0 && !UNTERMINATED.has(code)) || count(rb) < count(rs)) {
        reports.push(`${code} ${name}: ${once} findings on its example, ${count(rs)} on ${COPIES} copies, ${count(rb)} on ${4 * COPIES}`);
        continue;
      }
      const g = screenGrowth(
        () => run(small),
        () => run(big),
        { floorMs: FLOOR_MS, maxRatio: MAX_RATIO },
      );
      ratios.push(`${code} ${g.ratio.toFixed(1)}`);
      if (VERBOSE) console.log(`${code} ${name}: ${count(rs)} → ${count(rb)} findings, ${small.length} → ${big.length} characters, ${g.describe}; ${(cpuMs() - t0).toFixed(0)} ms of CPU in all`);
      if (g.ratio > MAX_RATIO) reports.push(`${code} ${name}: 4× the copies (${count(rs)} → ${count(rb)} findings) took ${g.ratio.toFixed(1)}× the time (${g.describe})`);
    }
    console.log(`kbx-lint rule findings growth: ratios for 4× the findings: ${ratios.join(', ')}`);
    expect(reports, reports.join('\n')).toEqual([]);
    expect(rules).toBeGreaterThan(ONLY ? 0 : 80);
  });
});
