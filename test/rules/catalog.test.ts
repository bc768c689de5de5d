/**
 * The rule catalog is executable: every rule's documented example fires it, every "use instead"
 * is clean, the registry matches the files, and docs/rules/ is generated from the metadata
 * (set KBX_UPDATE_DOCS=1, or run `npm run docs`, to rewrite it).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRule, RULES } from '../../server/src/rules/index';
import { renderRuleDoc } from '../../server/src/cli/rule-docs';
import { lint } from '../../server/src/engine/lint';
import type { Config } from '../../server/src/engine/config';

const DOCS = join(__dirname, '../../docs/rules');
const update = process.env.KBX_UPDATE_DOCS === '1';

function enabled(code: string): Config {
  return { rules: { [code]: 'warning' }, ...findRule(code)?.meta.docs.exampleConfig };
}

describe('registry', () => {
  it('has unique, well-formed codes and names, sorted by code', () => {
    const codes = RULES.map((r) => r.meta.code);
    const names = RULES.map((r) => r.meta.name);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(names).size).toBe(names.length);
    for (const r of RULES) {
      expect(r.meta.code).toMatch(/^KBX\d{3}$/);
      expect(r.meta.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.meta.summary.length).toBeGreaterThan(10);
    }
    expect([...codes].sort()).toEqual(codes);
  });

  it('registers every rule file, and each file holds the rule its name says', async () => {
    const dir = join(__dirname, '../../server/src/rules');
    const support = /^(rule|index|.*-support|.*-rules)\.ts$/;
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !support.test(f));
    for (const f of files) {
      const mod = await import(join(dir, f));
      const rules = Object.values(mod).filter((v): v is (typeof RULES)[number] => !!v && typeof v === 'object' && 'meta' in (v as object));
      expect(rules.length, `${f} exports a rule`).toBeGreaterThan(0);
      for (const r of rules) expect(RULES, `${f}: ${r.meta.code} is in rules/index.ts`).toContain(r);
    }
  });
});

describe.each(RULES.map((r) => [r.meta.code, r] as const))('%s', (code, rule) => {
  const file = rule.meta.docs.exampleFileName ?? 'example.sh';
  it('documented example fires the rule', () => {
    const r = lint({ text: rule.meta.docs.example + '\n', fileName: file }, enabled(code));
    expect(r.diagnostics.map((d) => d.code)).toContain(code);
  });
  it('documented "use instead" is clean for the rule', () => {
    const r = lint({ text: rule.meta.docs.useInstead + '\n', fileName: file }, enabled(code));
    expect(r.diagnostics.filter((d) => d.code === code)).toEqual([]);
  });
  it('fix metadata matches behaviour on the example', () => {
    const r = lint({ text: rule.meta.docs.example + '\n', fileName: file }, enabled(code));
    const fixes = r.diagnostics.filter((d) => d.code === code && d.fix);
    // A fixable rule shows its fix on its own example; a never-fixable one never offers one.
    if (rule.meta.fixable === 'never') expect(fixes).toEqual([]);
    else expect(fixes.length, `${code} example carries a fix`).toBeGreaterThan(0);
  });
  it('docs/rules page is up to date', () => {
    const path = join(DOCS, `${code}-${rule.meta.name}.md`);
    const want = renderRuleDoc(rule) + '\n';
    if (update) {
      mkdirSync(DOCS, { recursive: true });
      writeFileSync(path, want);
    }
    expect(existsSync(path), `${path} missing: run npm run docs`).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(want);
  });
});

describe('docs/rules index', () => {
  it('lists every rule and has no stale pages', () => {
    const index =
      ['# Rules', '', 'Generated from the rule metadata (`npm run docs`). `kbx-lint rules` prints the same list.', '', '| code | name | default | fix | summary |', '| --- | --- | --- | --- | --- |']
        .concat(
          RULES.map(
            (r) => `| [${r.meta.code}](${r.meta.code}-${r.meta.name}.md) | ${r.meta.name} | ${r.meta.severity}${r.meta.enabledByDefault ? '' : ' (off)'} | ${r.meta.fixable} | ${r.meta.summary} |`,
          ),
        )
        .join('\n') + '\n';
    const path = join(DOCS, 'README.md');
    if (update) writeFileSync(path, index);
    expect(readFileSync(path, 'utf8')).toBe(index);
    const pages = readdirSync(DOCS)
      .filter((f) => f !== 'README.md')
      .sort();
    expect(pages).toEqual(RULES.map((r) => `${r.meta.code}-${r.meta.name}.md`).sort());
  });
});
