/**
 * Invariants over every input the project ships (examples/, rule examples, test corpora): spans
 * lie inside the file and point at the text they claim, fixes are well formed, each applied fix
 * re-reads cleanly, removes its own diagnostic, and never changes how many invocations there are.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../server/src/engine/lint';
import { RULES } from '../server/src/rules/index';
import { applyEdits } from '../server/src/core/fix';
import type { Config } from '../server/src/engine/config';

const ALL_ON: Config = { rules: Object.fromEntries(RULES.map((r) => [r.meta.code, r.meta.severity])) };

function collect(dir: string, out: { name: string; text: string }[]) {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (/\.(sh|bash|mk|ya?ml|md)$|^(Makefile|GNUmakefile|makefile)$/.test(f) || /\.(sh|mk)\.txt$/.test(f)) out.push({ name: p, text: readFileSync(p, 'utf8') });
  }
}

const inputs: { name: string; text: string }[] = [];
collect(join(__dirname, '../examples'), inputs);
collect(join(__dirname, 'corpus'), inputs);
collect(join(__dirname, 'fixtures'), inputs);
for (const r of RULES) {
  inputs.push({ name: `${r.meta.code}-example/${r.meta.docs.exampleFileName ?? 'example.sh'}`, text: r.meta.docs.example + '\n' });
  inputs.push({ name: `${r.meta.code}-use-instead/${r.meta.docs.exampleFileName ?? 'example.sh'}`, text: r.meta.docs.useInstead + '\n' });
}

function isHighSurrogate(c: number) {
  return c >= 0xd800 && c <= 0xdbff;
}

describe.each(inputs.map((i) => [i.name, i] as const))('%s', (_name, input) => {
  // YAML hosts are chosen by path (`.github/workflows/…`), the others by the file's own name.
  const fileName = /\.ya?ml$/.test(input.name) ? input.name : basename(input.name);
  const result = lint({ text: input.text, fileName }, ALL_ON);

  it('every span lies inside the file and never splits a character', () => {
    const n = input.text.length;
    const check = (s: { start: number; end: number }) => {
      expect(s.start).toBeGreaterThanOrEqual(0);
      expect(s.end).toBeLessThanOrEqual(n);
      expect(s.start).toBeLessThanOrEqual(s.end);
      if (s.start > 0) expect(isHighSurrogate(input.text.charCodeAt(s.start - 1)) && s.start < n).toBe(false);
    };
    for (const d of result.diagnostics) {
      check(d.span);
      for (const r of d.related ?? []) check(r.span);
      for (const e of d.fix?.edits ?? []) check(e.span);
    }
  });

  it('every diagnostic covers at least one character', () => {
    for (const d of result.diagnostics) expect(d.span.end, `${d.code} ${d.message}`).toBeGreaterThan(d.span.start);
  });

  it('each fix applies alone, re-reads cleanly and removes its diagnostic', () => {
    for (const d of result.diagnostics) {
      if (!d.fix) continue;
      const spans = d.fix.edits.map((e) => e.span).sort((a, b) => a.start - b.start);
      for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeGreaterThanOrEqual(spans[i - 1].end);
      const fixed = applyEdits(input.text, d.fix.edits).text;
      const after = lint({ text: fixed, fileName }, ALL_ON);
      expect(after.model.syntaxErrors.length).toBeLessThanOrEqual(result.model.syntaxErrors.length);
      expect(after.invocations.length).toBe(result.invocations.length);
      expect(after.diagnostics.filter((x) => x.code === d.code).length).toBeLessThan(result.diagnostics.filter((x) => x.code === d.code).length);
    }
  });
});
