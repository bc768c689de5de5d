/**
 * Golden output at the product boundary: each rule's documented example, and the shipped
 * examples/, rendered by the CLI's own text formatter (code frame, carets under the exact span,
 * fix preview). Review changes to the .out files like code: `npx vitest run test/golden -u`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../server/src/rules/index';
import { lint, type LanguageId } from '../../server/src/engine/lint';
import { formatText, NO_COLOR } from '../../server/src/cli/format';

function render(path: string, text: string, config?: Parameters<typeof lint>[1], languageId?: LanguageId): string {
  const r = lint({ text, fileName: path, languageId }, config);
  return formatText([{ path, text, diagnostics: r.diagnostics }], NO_COLOR) || '(clean)\n';
}

describe('rule examples', () => {
  it.each(RULES.map((r) => [r.meta.code, r] as const))('%s', async (code, rule) => {
    const file = rule.meta.docs.exampleFileName ?? 'example.sh';
    const text = rule.meta.docs.example + '\n';
    const out = render(file, text, { rules: { [code]: rule.meta.severity }, ...rule.meta.docs.exampleConfig });
    await expect(out).toMatchFileSnapshot(`./rules/${code}-${rule.meta.name}.out`);
  });
});

describe('examples/', () => {
  const root = join(__dirname, '../../examples');
  const files: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(root);
  it.each(files.map((f) => [relative(root, f)]))('%s', async (rel) => {
    const text = readFileSync(join(root, rel), 'utf8');
    await expect(render(`examples/${rel}`, text)).toMatchFileSnapshot(`./examples/${rel.replace(/\//g, '__')}.out`);
  });
});
