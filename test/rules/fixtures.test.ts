/**
 * Rule fixtures as files: every file in test/fixtures/rules/<rule-name>/ is linted through the real
 * engine with only that rule selected; the findings must be exactly the `# expect:` markers of the
 * file (syntax in test/harness/expect-markers.ts), and the rendered text output is kept next to it
 * as `<file>.out` (refresh with `npx vitest run test/rules/fixtures.test.ts -u`). Adding a case is
 * adding a file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatText, NO_COLOR } from '../../server/src/cli/format';
import { LineIndex } from '../../server/src/core/source';
import { lint } from '../../server/src/engine/lint';
import { GRAPH_RULES } from '../../server/src/rules/graph-rules';
import { findRule, RULES } from '../../server/src/rules/index';
import { parseExpectations } from '../harness/expect-markers';

const ROOT = join(__dirname, '../fixtures/rules');
const FIXTURE = /\.(sh|mk|ya?ml)$/;

/** The name a fixture is linted as: YAML fixtures are workflows unless named as a GitLab file or an action. */
function lintedName(file: string): string {
  return /\.ya?ml$/.test(file) && !/gitlab-ci\.ya?ml$|^action\.ya?ml$/.test(file) ? `.github/workflows/${file}` : file;
}
const dirs = existsSync(ROOT)
  ? readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
  : [];

describe('rule fixtures', () => {
  for (const dir of dirs) {
    const rule = findRule(dir);
    describe(dir, () => {
      it('names a rule', () => {
        expect(rule?.meta.name, `test/fixtures/rules/${dir} is not a rule name`).toBe(dir);
      });
      if (!rule) return;
      for (const file of readdirSync(join(ROOT, dir))
        .filter((f) => FIXTURE.test(f))
        .sort()) {
        it(file, async () => {
          const text = readFileSync(join(ROOT, dir, file), 'utf8');
          const want = parseExpectations(text).map((e) => `${e.line}: ${e.code}`);
          const r = lint({ text, fileName: lintedName(file) }, { rules: {}, select: [rule.meta.code] });
          const lines = new LineIndex(text);
          const got = r.diagnostics.map((d) => `${lines.position(d.span.start).line + 1}: ${d.code}`);
          expect(got.sort()).toEqual(want.sort());
          const out = formatText([{ path: file, text, diagnostics: r.diagnostics }], NO_COLOR) || '(clean)\n';
          await expect(out).toMatchFileSnapshot(join(ROOT, dir, `${file}.out`));
        });
      }
    });
  }

  // The builder-graph rules are checked in test/rules/graph.test.ts; every other rule has a firing
  // and a clean fixture.
  const graph = new Set(GRAPH_RULES.map((r) => r.meta.code));
  const local = new Set(['KBX409', 'KBX420', 'KBX421', 'KBX422']);
  // KBX690 judges other rules' suppressions: it needs them to run, which a one-rule fixture does
  // not do; test/cli/suppress.test.ts covers it.
  // KBX604 needs a file past the input limits (test/e2e/limits.test.ts).
  const needsOthers = new Set(['KBX690', 'KBX604']);
  it.each(RULES.filter((r) => (!graph.has(r.meta.code) || local.has(r.meta.code)) && !needsOthers.has(r.meta.code)).map((r) => [r.meta.name]))('%s has a firing and a clean fixture', (name) => {
    const dir = join(ROOT, name);
    expect(existsSync(dir), `add test/fixtures/rules/${name}/`).toBe(true);
    const texts = readdirSync(dir)
      .filter((f) => FIXTURE.test(f))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    expect(
      texts.some((t) => parseExpectations(t).length > 0),
      'a fixture with # expect: markers',
    ).toBe(true);
    expect(
      texts.some((t) => parseExpectations(t).length === 0),
      'a clean fixture',
    ).toBe(true);
  });
});

describe('expect markers', () => {
  it('read trailing, own-line and offset markers', () => {
    const text = ['a # expect: KBX001', '# expect: KBX002, KBX003', '# expect+2: KBX004', 'b \\', '  c', 'd'].join('\n');
    expect(parseExpectations(text)).toEqual([
      { line: 1, code: 'KBX001' },
      { line: 4, code: 'KBX002' },
      { line: 4, code: 'KBX003' },
      { line: 5, code: 'KBX004' },
    ]);
  });
});
