/**
 * KBX408: --leave without a builder or node, of an unknown node, or of the last node. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX408',
    name: 'leave-invalid',
    summary: '`--leave` without a builder or node, of an unknown node, or of the last node',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Checks `buildx create --leave`: it needs `--name` and `--node`; when the builder was made in this file, the node must exist and must not be the only one.',
      why: 'buildx refuses each of these; to remove the whole builder use `docker buildx rm`.',
      example: 'docker buildx create --name multi --node amd\ndocker buildx create --name multi --leave --node amd',
      useInstead: 'docker buildx create --name multi --node amd\ndocker buildx rm multi',
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
      buildxSays: 'can not leave last node, do you want to rm instance instead?',
    },
  },
  check(model, ctx) {
    for (const ev of builderGraphOf(model).creates) {
      const c = ev.create;
      if (c.leave !== true) continue;
      const leaveSpan = c.inv.flags.find((f) => f.name === 'leave')!.nameSpan;
      if (!c.name || c.nameValue === '') {
        ctx.report({
          span: leaveSpan,
          message: '--leave without --name: buildx does not know which builder to remove the node from',
          help: 'add --name BUILDER --node NODE',
          upstream: 'leave requires instance name',
        });
      } else if (!c.node || c.nodeValue === '') {
        ctx.report({
          span: leaveSpan,
          message: `--leave without --node: buildx does not know which node of ${JSON.stringify(c.nameValue ?? '')} to remove`,
          help: 'add --node NODE',
          upstream: 'leave requires node name',
        });
      } else if (ev.nodeMissing && c.nodeValue !== null) {
        ctx.report({
          span: c.node.valueSpan!,
          message: `builder ${JSON.stringify(c.nameValue)} has no node ${JSON.stringify(c.nodeValue)} (nodes: ${ev.nodeNames?.map((n) => JSON.stringify(n)).join(', ') || 'none'})`,
          upstream: `node ${JSON.stringify(c.nodeValue)} not found for ${c.nameValue}`,
        });
      } else if (ev.onlyNode) {
        ctx.report({
          span: c.node.valueSpan!,
          message: `node ${JSON.stringify(c.nodeValue)} is the only node of builder ${JSON.stringify(c.nameValue)}`,
          help: `use docker buildx rm ${c.nameValue} to remove the builder`,
          upstream: 'can not leave last node, do you want to rm instance instead?',
        });
      }
    }
  },
});
