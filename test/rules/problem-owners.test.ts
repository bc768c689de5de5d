/**
 * The dispatcher's contract: every problem kind a model can emit has exactly one owning rule, and
 * the engine refuses fixes from rules not declared fixable.
 */
import { describe, expect, it } from 'vitest';
import { PROBLEM_KINDS } from '../../server/src/buildx/problems';
import { lintWith } from '../../server/src/engine/lint';
import { RULES } from '../../server/src/rules/index';
import { defineRule, problemOwners, type Rule } from '../../server/src/rules/rule';

const meta = (code: string, extra: Partial<Rule['meta']> = {}): Rule['meta'] => ({
  code,
  name: `test-${code.toLowerCase()}`,
  summary: 'test rule',
  severity: 'error',
  fixable: 'never',
  enabledByDefault: true,
  docs: { what: '', why: '', example: '', useInstead: '', fixSafety: '' },
  ...extra,
});

describe('problem ownership', () => {
  it('no two models declare the same kind', () => {
    const seen = new Set<string>();
    const twice = PROBLEM_KINDS.filter((k) => seen.has(k) || !seen.add(k));
    expect(twice).toEqual([]);
  });

  it('every kind has exactly one owner in the registry', () => {
    const owners = new Map<string, string[]>();
    for (const r of RULES) for (const k of r.meta.owns ?? []) owners.set(k, [...(owners.get(k) ?? []), r.meta.code]);
    const wrong = PROBLEM_KINDS.map((k) => [k, owners.get(k) ?? []] as const).filter(([, codes]) => codes.length !== 1);
    expect(wrong).toEqual([]);
    expect([...owners.keys()].filter((k) => !(PROBLEM_KINDS as readonly string[]).includes(k))).toEqual([]);
  });

  it('every rule owns a kind or checks the model', () => {
    expect(RULES.filter((r) => !r.meta.owns?.length && !r.check).map((r) => r.meta.code)).toEqual([]);
  });

  it('problemOwners refuses a kind claimed twice', () => {
    const a = defineRule({ meta: meta('KBX990', { owns: ['unknown-flag'] }) });
    const b = defineRule({ meta: meta('KBX991', { owns: ['unknown-flag'] }) });
    expect(() => problemOwners([a, b])).toThrow(/owned by both KBX990 and KBX991/);
  });

  it('a problem whose kind has no owner is a broken contract (strict in tests)', () => {
    const text = 'docker buildx build --nope .\n';
    expect(() => lintWith([], new Map(), { text, fileName: 'x.sh' })).toThrow(/"unknown-flag" has no owning rule/);
  });

  it('a fix from a rule declared fixable: never is refused', () => {
    const text = 'docker buildx build .\n';
    const fixer = defineRule({
      meta: meta('KBX992'),
      check(model, ctx) {
        const inv = model.invocations[0];
        ctx.report({ span: inv.span, message: 'm', fix: { title: 't', applicability: 'safe', edits: [{ span: inv.span, newText: '' }] } });
      },
    });
    expect(() => lintWith([fixer], new Map(), { text, fileName: 'x.sh' })).toThrow(/KBX992 .* returned a fix but is not declared fixable/);
    const honest = defineRule({ ...fixer, meta: meta('KBX993', { fixable: 'sometimes' }) });
    expect(lintWith([honest], new Map(), { text, fileName: 'x.sh' }).diagnostics[0].fix?.title).toBe('t');
  });
});
