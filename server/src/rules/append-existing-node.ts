/**
 * KBX404: --append with the --node of an existing node replaces it. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { formatPlatform } from '../buildx/platform';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX404',
    name: 'append-existing-node',
    summary: '`--append` with the `--node` of an existing node replaces it',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `buildx create --append --node N` when the builder certainly has a node named `N` there (on every path).',
      why: 'buildx does not add a node then: it silently updates the existing one, replacing its platforms and driver options, so the builder ends up with one node instead of two.',
      example: 'docker buildx create --name multi --driver kubernetes --node k8s --platform linux/amd64\ndocker buildx create --name multi --append --node k8s --platform linux/arm64',
      useInstead: 'docker buildx create --name multi --driver kubernetes --node k8s-amd64 --platform linux/amd64\ndocker buildx create --name multi --append --node k8s-arm64 --platform linux/arm64',
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
    },
  },
  check(model, ctx) {
    for (const ev of builderGraphOf(model).creates) {
      const c = ev.create;
      const n = ev.node;
      const b = ev.builder;
      if (c.append !== true || c.leave === true || !n || !b) continue;
      if (b.driver && c.driverSource === 'flag' && c.driver && c.driver !== b.driver) continue;
      const declares = n.platforms.length ? n.platforms.map(formatPlatform).join(', ') : 'no platforms';
      ctx.report({
        span: c.node!.valueSpan!,
        message: `--append with --node ${JSON.stringify(c.nodeValue)}, a node builder ${JSON.stringify(c.nameValue)} already has: buildx replaces that node's settings (it declares ${declares}) instead of adding one`,
        help: 'give the new node its own name',
        related: [{ span: n.createdBy.node?.valueSpan ?? n.createdBy.inv.span, message: 'node created here' }],
      });
    }
  },
});
