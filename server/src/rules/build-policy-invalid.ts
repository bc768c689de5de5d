/**
 * KBX540: a `--policy` value buildx rejects before the build starts.
 */
import { policyProblems } from '../buildx/policy';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX540',
    name: 'build-policy-invalid',
    summary: 'A --policy value buildx rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Parses every `--policy` of `docker buildx build` as buildx does: a CSV record of `filename=PATH`, `reset=BOOL`, `disabled=BOOL`, `strict=BOOL` and `log-level=LEVEL` fields (keys case-insensitive). Reports unknown keys, fields without `=`, an empty `filename=`, booleans Go does not parse, unknown log levels, and `disabled=true` combined with any other policy setting or a second `--policy`.',
      why: 'buildx refuses the whole command before it sends anything to the builder, so a CI job fails at the build step.',
      example: 'docker buildx build --policy filename=policy.rego,disabled=true -t app .',
      useInstead: 'docker buildx build --policy filename=policy.rego,strict=true -t app .',
      fixSafety: 'No fix is offered: which of the settings was meant cannot be known.',
      buildxSays: 'disabled policy cannot be combined with other policy flags',
    },
  },
  check(model, ctx) {
    for (const b of model.builds) {
      const values = b.inv.flags.filter((f) => f.name === 'policy' && f.value !== null).map((f) => ({ value: f.value!, span: f.valueSpan ?? f.nameSpan }));
      if (!values.length) continue;
      for (const p of policyProblems(values)) {
        ctx.report({
          span: p.span,
          message:
            p.kind === 'disabled-combined'
              ? '`disabled=true` turns policies off, so it cannot be combined with other policy settings'
              : p.span.start === p.span.end || p.upstream === 'EOF'
                ? '--policy is given an empty value'
                : 'buildx cannot read this --policy field',
          help:
            p.kind === 'disabled-combined'
              ? 'use `--policy disabled=true` alone, or drop it and keep the other settings'
              : 'fields are filename=PATH, reset=BOOL, disabled=BOOL, strict=BOOL, log-level=LEVEL',
          upstream: p.upstream,
        });
      }
    }
  },
});
