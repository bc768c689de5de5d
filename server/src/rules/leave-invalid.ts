/**
 * KBX408: --leave without a builder or node, of an unknown node, or of the last node. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { createFindings } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX408',
    name: 'leave-invalid',
    summary: "`--leave` without a builder or node, of an unknown node, or of the last node",
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: "Checks `buildx create --leave`: it needs `--name` and `--node`; when the builder was made in this file, the node must exist and must not be the only one.",
      why: "buildx refuses each of these; to remove the whole builder use `docker buildx rm`.",
      example: "docker buildx create --name multi --node amd\ndocker buildx create --name multi --leave --node amd",
      useInstead: "docker buildx create --name multi --node amd\ndocker buildx rm multi",
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
      buildxSays: "can not leave last node, do you want to rm instance instead?",
    },
  },
  check(model, ctx) {
    for (const f of createFindings(model, ['leave-without-name',  'leave-without-node',  'leave-unknown-node',  'leave-last-node'])) ctx.report({ span: f.span, message: f.message, related: f.related });
  },
});
