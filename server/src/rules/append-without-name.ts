/**
 * KBX402: --append without --name. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX402',
    name: 'append-without-name',
    summary: '`--append` without `--name`',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `buildx create --append` without `--name` (or with an empty name).',
      why: '`--append` adds a node to an existing builder, which buildx finds by name; without one it stops before doing anything.',
      example: 'docker buildx create --append --node arm --platform linux/arm64 ssh://arm-host',
      useInstead: 'docker buildx create --name multi --append --node arm --platform linux/arm64 ssh://arm-host',
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
      buildxSays: 'append requires a builder name',
    },
  },
  check(model, ctx) {
    for (const c of model.creates) {
      if (c.append !== true || c.leave === true || (c.name && c.nameValue !== '')) continue;
      ctx.report({
        span: c.inv.flags.find((f) => f.name === 'append')!.nameSpan,
        message: '--append without --name: buildx does not know which builder to add the node to',
        help: 'add --name BUILDER',
        upstream: 'append requires a builder name',
      });
    }
  },
});
