/**
 * KBX405: --node names a node the existing builder does not have, without --append. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { recreatesExisting } from './builder-exists';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX405',
    name: 'node-not-found',
    summary: '`--node` names a node the existing builder does not have, without `--append`',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `buildx create --name X --node N` without `--append` when `X` certainly exists here (created earlier in this file) and has no node `N`.',
      why: 'Without `--append`, `--node` selects a node to modify; buildx refuses an unknown one.',
      example: 'docker buildx create --name multi --node amd --platform linux/amd64\ndocker buildx create --name multi --node arm --platform linux/arm64 ssh://arm-host',
      useInstead: 'docker buildx create --name multi --node amd --platform linux/amd64\ndocker buildx create --name multi --append --node arm --platform linux/arm64 ssh://arm-host',
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
      buildxSays: 'node arm not found, did you mean to append?',
    },
  },
  check(model, ctx) {
    for (const ev of builderGraphOf(model).creates) {
      const c = ev.create;
      const b = ev.builder;
      if (!b || c.leave === true || !ev.nodeMissing || !ev.nodeNames?.length || recreatesExisting(ev)) continue;
      if (c.append !== false && c.append !== undefined) continue;
      if (ev.hiddenFlags || c.nodeValue === null) continue;
      if (b.driver && c.driverSource === 'flag' && c.driver && c.driver !== b.driver) continue;
      ctx.report({
        span: c.node!.valueSpan!,
        message: `builder ${JSON.stringify(c.nameValue)} has no node ${JSON.stringify(c.nodeValue)} (nodes: ${ev.nodeNames.map((n) => JSON.stringify(n)).join(', ')})`,
        help: 'add --append to add it as a new node',
        upstream: `node ${c.nodeValue} not found, did you mean to append?`,
      });
    }
  },
});
