/**
 * The real-world corpus (test/corpus/README.md): every file under good/ lints clean with every
 * rule enabled, and every file under bad/ reports exactly the findings its markers announce.
 *
 * Marker convention (bad/ files only; a marker is a shell or make comment):
 *   - `# expect: KBX101 KBX201` at the end of a line: a diagnostic of each listed code starts on
 *     that line. A code listed twice expects two diagnostics of that code on the line.
 *   - `# expect+N: KBX101` on a line of its own: the diagnostics start N lines below the marker
 *     (for a multi-line command, where a trailing comment would end the continuation).
 *   - `# known-miss: KBX602` / `# known-miss+N: KBX602`: a real mistake kbx-lint does not report
 *     yet. It is left out of the exact comparison, and a test that is expected to fail (`it.fails`)
 *     checks for it, so implementing the detection turns that test red: change the marker to
 *     `expect` then.
 *
 * Rules: everything is enabled at its default severity, including the off-by-default rules,
 * except the pure advice listed in NOT_CHECKED.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import type { Config } from '../../server/src/engine/config';
import { RULES } from '../../server/src/rules/index';

/**
 * Advice that is legitimately noisy on correct files:
 * - KBX603 dynamic-argument: reports every argument known only at run time, which is exactly
 *   what correct scripts are full of (`$VAR`, `$(…)`, make variables).
 * - KBX513 build-arg-from-env: `--build-arg HTTP_PROXY` (value from the environment) is a
 *   deliberate, documented idiom, not a mistake.
 * - KBX528 build-multiple-exporters: `--load --push` is common and correct on any BuildKit since
 *   v0.13 (2024); the rule is version advice for old daemons.
 */
const NOT_CHECKED = new Set(['KBX603', 'KBX513', 'KBX528']);

const CONFIG: Config = {
  rules: Object.fromEntries(RULES.map((r) => [r.meta.code, NOT_CHECKED.has(r.meta.code) ? 'off' : r.meta.severity])),
};

const ROOT = __dirname;
const MAKEFILE = /(^|\/)(GNUmakefile|makefile|Makefile)$|\.mk$/;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (name.endsWith('.sh') || MAKEFILE.test(path)) out.push(path);
  }
  return out;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

interface Marker {
  line: number;
  code: string;
}

const MARKER = /#\s*(expect|known-miss)(\+(\d+))?:\s*((?:KBX\d{3}\s*)+)$/;

export function parseMarkers(text: string): { expect: Marker[]; knownMiss: Marker[] } {
  const expectList: Marker[] = [];
  const knownMiss: Marker[] = [];
  text.split('\n').forEach((raw, i) => {
    const m = MARKER.exec(raw.trimEnd());
    if (!m) return;
    const ownLine = raw.trim().startsWith('#');
    if (ownLine && !m[2]) throw new Error(`line ${i + 1}: a marker on its own line needs +N`);
    const line = i + 1 + (m[3] ? Number(m[3]) : 0);
    for (const code of m[4].trim().split(/\s+/)) (m[1] === 'expect' ? expectList : knownMiss).push({ line, code });
  });
  return { expect: expectList, knownMiss };
}

function findings(path: string, text: string): string[] {
  const result = lint({ text, fileName: path }, CONFIG);
  return result.diagnostics.map((d) => `${lineOf(text, d.span.start)} ${d.code}`).sort();
}

function describeFindings(path: string, text: string): string {
  return lint({ text, fileName: path }, CONFIG)
    .diagnostics.map((d) => `  ${lineOf(text, d.span.start)} ${d.code} ${d.message}`)
    .join('\n');
}

const good = filesUnder(join(ROOT, 'good'));
const bad = filesUnder(join(ROOT, 'bad'));

describe('corpus', () => {
  it('has the documented size', () => {
    expect(good.length).toBeGreaterThanOrEqual(30);
    expect(bad.length).toBeGreaterThanOrEqual(13);
    let invocations = 0;
    for (const f of [...good, ...bad]) invocations += lint({ text: readFileSync(f, 'utf8'), fileName: f }, CONFIG).invocations.length;
    expect(invocations).toBeGreaterThanOrEqual(180);
  });

  it('the marker parser reads all three forms', () => {
    const m = parseMarkers('a # expect: KBX101 KBX101\n# expect+2: KBX201\nb \\\n c\nd # known-miss: KBX602\n');
    expect(m.expect).toEqual([
      { line: 1, code: 'KBX101' },
      { line: 1, code: 'KBX101' },
      { line: 4, code: 'KBX201' },
    ]);
    expect(m.knownMiss).toEqual([{ line: 5, code: 'KBX602' }]);
  });
});

describe('good corpus: correct and dynamic files lint clean', () => {
  for (const path of good) {
    it(relative(ROOT, path), () => {
      const text = readFileSync(path, 'utf8');
      const result = lint({ text, fileName: path }, CONFIG);
      expect(result.invocations.length, 'the file has buildx invocations').toBeGreaterThan(0);
      expect(parseMarkers(text).expect, 'good files carry no expect markers').toEqual([]);
      expect(result.diagnostics.length, `unexpected findings:\n${describeFindings(path, text)}`).toBe(0);
    });
  }
});

describe('bad corpus: exactly the marked mistakes', () => {
  for (const path of bad) {
    const text = readFileSync(path, 'utf8');
    const { expect: expected, knownMiss } = parseMarkers(text);
    it(relative(ROOT, path), () => {
      expect(expected.length, 'a bad file marks at least one mistake').toBeGreaterThan(0);
      const missLines = new Set(knownMiss.map((m) => `${m.line} ${m.code}`));
      const got = findings(path, text).filter((f) => !missLines.has(f));
      const want = expected.map((m) => `${m.line} ${m.code}`).sort();
      expect(got, `findings:\n${describeFindings(path, text)}`).toEqual(want);
    });
    for (const miss of knownMiss) {
      it.fails(`${relative(ROOT, path)}:${miss.line} ${miss.code} (known miss)`, () => {
        expect(findings(path, text)).toContain(`${miss.line} ${miss.code}`);
      });
    }
  }
});
