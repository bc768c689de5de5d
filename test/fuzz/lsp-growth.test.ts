/**
 * The language server's handlers under hostile input: every construct of the growth fuzzer and
 * every row shape of issue 14 is linted once, then hover, completion, document symbols, inlay
 * hints, code actions (quick fixes, fix-all), semantic tokens (full and range) and explain run on
 * it, in process, through the handlers' own functions. Nothing may throw, every range must lie in
 * the document, and 4× the input may cost the handlers at most about 4× (a ratio measured in the
 * same test in CPU time, never a time bound). The positions asked about are a fixed number, so linear handlers
 * cost linear time in total.
 *
 * Reproduce a failure: KBX_FUZZ_SEED=<seed> npx vitest run test/fuzz/lsp-growth.test.ts
 * Bigger: KBX_FUZZ_LONG=1 (80 KB to 320 KB); KBX_FUZZ_BASE sets the small size, KBX_FUZZ_ONLY picks
 * constructs by name, KBX_FUZZ_VERBOSE=1 prints each construct's CPU time.
 */
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../server/src/core/source';
import { explainFile, formatExplainText } from '../../server/src/engine/explain';
import { lint, type LintResult } from '../../server/src/engine/lint';
import { codeActions, FIX_ALL_KIND } from '../../server/src/lsp/code-actions';
import { completionsAt } from '../../server/src/lsp/completion';
import { toLspDiagnostic } from '../../server/src/lsp/convert';
import { hoverAt } from '../../server/src/lsp/hover';
import { checkDocumentHandlers } from './lsp-checks';
import { cpuMs, screenGrowth, sizeScaledBound } from '../harness/cost';
import { ALL_ON, mulberry32, Rng } from './fuzz-lib';
import { CLASSES } from './hostile-classes';
import { CONSTRUCTS, type Construct, type Input, ISSUE_ROWS, mixed } from './hostile-constructs';

/** KBX_FUZZ_ONLY=<substring>: only the constructs whose name contains it. */
const ONLY = process.env.KBX_FUZZ_ONLY ?? '';
const SEED = process.env.KBX_FUZZ_SEED ? Number(process.env.KBX_FUZZ_SEED) >>> 0 : 0x6c737067;
const LONG = process.env.KBX_FUZZ_LONG === '1';
/** The small size of each pair, in characters; the large one is 4×. CI keeps it small: the ratio, not the size, finds super-linear work. */
const BASE = Number(process.env.KBX_FUZZ_BASE ?? (LONG ? 80_000 : 2_000));
/** Offsets asked about per document, for hover and completion. */
const PROBES = 48;
/** Linear work gives about 4 for 4× the input, quadratic about 16. */
const MAX_RATIO = 12;
/** Below this the small side's CPU time is mostly noise: its call repeats until it takes this long. */
const FLOOR_MS = LONG ? 25 : 5;
/** KBX_FUZZ_VERBOSE=1: the CPU time of each construct's check and measurement. */
const VERBOSE = process.env.KBX_FUZZ_VERBOSE === '1';

class Failure extends Error {}

interface Linted {
  input: Input;
  result: LintResult;
  lines: LineIndex;
}

function linted(input: Input): Linted {
  return { input, result: lint(input, ALL_ON), lines: new LineIndex(input.text) };
}

/** Offsets spread over the text, plus the start and end of each of the first diagnostics. */
function probes(l: Linted): number[] {
  const n = l.input.text.length;
  const out: number[] = [];
  for (let i = 0; i <= PROBES; i++) out.push(Math.floor((i * n) / PROBES));
  for (const d of l.result.diagnostics.slice(0, 16)) out.push(d.span.start, d.span.end);
  for (const inv of l.result.invocations.slice(0, 8)) out.push(inv.span.start + 1);
  return out;
}

/** Runs every handler once; throws on a thrown handler or a range outside the document. */
function handlers(l: Linted, withFixAll: boolean): void {
  const { input, result, lines } = l;
  const { text } = input;
  const model = result.model;
  const lastLine = lines.position(text.length).line;
  const inRange = (r: { start: { line: number; character: number }; end: { line: number; character: number } }, what: string) => {
    const ok = (p: { line: number; character: number }) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line <= lastLine && p.character >= 0;
    if (!ok(r.start) || !ok(r.end)) throw new Failure(`${what}: range ${JSON.stringify(r)} outside a document of ${lastLine + 1} lines`);
  };
  for (const at of probes(l)) {
    const h = hoverAt(model, at);
    if (h?.range) inRange(h.range, 'hover');
    const items = completionsAt(text, at, model);
    if (!Array.isArray(items)) throw new Failure('completion: no list');
  }
  checkDocumentHandlers(model, lines, text.length, lastLine, inRange, (m) => {
    throw new Failure(m);
  });
  const uri = `file:///w/${input.fileName}`;
  const diagnostics = result.diagnostics.slice(0, 64).map((d) => toLspDiagnostic(lines, d, { relatedInformation: true, uri }));
  for (const d of diagnostics) inRange(d.range, `diagnostic ${d.code}`);
  const relint = (t: string) => lint({ ...input, text: t }, ALL_ON);
  const quick = codeActions({ uri, text, diagnostics, only: ['quickfix'], result, relint });
  if (!Array.isArray(quick)) throw new Failure('code actions: no list');
  // Fix-all re-lints once per batch of fixes: asked for on the small input only.
  if (withFixAll) codeActions({ uri, text, diagnostics, only: [FIX_ALL_KIND], result, relint, lazyFixAll: { version: 1 } });
  const explained = explainFile(input.fileName, model);
  if (explained.length !== result.invocations.length) throw new Failure('explain: one entry per invocation expected');
  formatExplainText(explained);
}

function failureOf(l: Linted, withFixAll: boolean): string | null {
  try {
    handlers(l, withFixAll);
    return null;
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 4).join('\n')}` : String(e);
  }
}

describe('language server handlers under hostile input', () => {
  it(`every construct, issue-14 row and hostile class: no exception, ranges inside, linear (seed ${SEED})`, { timeout: LONG ? 3_600_000 : 600_000 }, () => {
    const all: [string, Construct][] = [...Object.entries(CONSTRUCTS), ...Object.entries(ISSUE_ROWS), ['mixed', mixed] as [string, Construct], ...Object.entries(CLASSES)].filter(([name]) =>
      name.includes(ONLY),
    );
    const reports: string[] = [];
    const ratios: string[] = [];
    for (const [name, construct] of all) {
      const make = (n: number) => linted(construct(new Rng(mulberry32(SEED)), n));
      const t0 = cpuMs();
      const small = make(BASE);
      const big = make(4 * BASE);
      const t1 = cpuMs();
      const failure = failureOf(small, true) ?? failureOf(big, false);
      const t2 = cpuMs();
      if (failure) {
        reports.push(`seed ${SEED}, ${name} (${small.input.fileName}): ${failure}\n  input: ${JSON.stringify(small.input.text.slice(0, 400))}`);
        continue;
      }
      // The check above was the warm-up. Both sizes measured alternately in CPU time (a burst of
      // load hits both); a small side too fast to time repeats its call.
      const maxRatio = sizeScaledBound(MAX_RATIO, small.input.text.length, big.input.text.length);
      const g = screenGrowth(
        () => handlers(small, false),
        () => handlers(big, false),
        { floorMs: FLOOR_MS, maxRatio },
      );
      ratios.push(`${name} ${g.ratio.toFixed(1)}${g.confirmed ? ' (measured twice)' : ''}`);
      if (VERBOSE) console.log(`${name}: lint ${(t1 - t0).toFixed(0)} ms, check ${(t2 - t1).toFixed(0)} ms, measure ${(cpuMs() - t2).toFixed(0)} ms of CPU`);
      if (g.ratio > maxRatio)
        reports.push(
          `seed ${SEED}, ${name}: ${small.input.text.length} → ${big.input.text.length} characters cost the handlers ${g.ratio.toFixed(1)}× the time, more than ${maxRatio.toFixed(1)}× (${g.describe})`,
        );
    }
    console.log(`kbx-lint LSP growth fuzz, seed ${SEED}: handler ratios for 4× input: ${ratios.join(', ')}`);
    expect(reports, reports.join('\n\n')).toEqual([]);
  });
});
