/**
 * KBX428: `use`/`rm`/`inspect`/`stop`/`build --builder` naming a builder this file removed before.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX428',
    name: 'builder-removed-earlier',
    summary: 'A builder used after this file removed it',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a builder name given to `use`, `rm`, `inspect`, `stop` or `build --builder`/`BUILDX_BUILDER` when an earlier `docker buildx rm` removed it on every path to the command and nothing may have created it again in between.',
      why: 'The command fails (`no builder "x" found`, `failed to find instance "x"`), or silently falls back to a Docker context of that name.',
      example: 'docker buildx create --name multi\ndocker buildx rm multi\ndocker buildx build --builder multi .',
      useInstead: 'docker buildx create --name multi\ndocker buildx build --builder multi .\ndocker buildx rm multi',
      fixSafety: 'No fix is offered.',
      buildxSays: 'no builder "multi" found',
    },
  },
  check(model, ctx) {
    for (const r of builderGraphOf(model).refs) {
      if (!r.removedBy) continue;
      const says = r.command === 'use' ? `failed to find instance "${r.key}"` : `no builder "${r.key}" found`;
      ctx.report({
        span: r.span,
        message: `builder "${r.name}" was removed earlier in this file (docker buildx rm) and not created again: ${r.command} fails unless a Docker context has that name`,
        upstream: says,
        related: [{ span: r.removedBy.span, message: 'removed here' }],
      });
    }
  },
});
