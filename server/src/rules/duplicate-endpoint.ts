/**
 * KBX429: a second docker-container (or remote) node on the endpoint another node already uses.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX429',
    name: 'duplicate-endpoint',
    summary: 'Two nodes of one builder on the same Docker context or endpoint',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `buildx create` that adds a docker-container or remote node (`--append`), or moves an existing node (`--node N` with a new endpoint), onto the endpoint another node of the builder already uses — for docker-container without a positional argument, that is the current Docker context. buildx applies the change, then checks for duplicates (`NodeGroup.Update`, `validateDuplicates` in `store/nodegroup.go` at buildx 461836ba0).',
      why: 'buildx identifies docker-container and remote nodes by their endpoint and refuses a second node on the same one, so the append fails. Each extra docker-container node needs its own Docker context (another machine), passed as the positional argument.',
      example: 'docker buildx create --name ci --driver docker-container --platform linux/amd64\ndocker buildx create --name ci --append --platform linux/arm64',
      useInstead: 'docker buildx create --name ci --driver docker-container --platform linux/amd64\ndocker buildx create --name ci --append --platform linux/arm64 arm-host',
      fixSafety: 'No fix is offered: which machine should run the node is for the author to say.',
      buildxSays: 'invalid duplicate endpoint default',
    },
  },
  check(model, ctx) {
    for (const ev of builderGraphOf(model).creates) {
      const twin = ev.twin;
      const c = ev.create;
      if (!twin || !twin.endpoint) continue;
      const ep = twin.endpoint;
      const isContext = ep.startsWith('context:');
      const shown = isContext ? ep.slice(8) || 'the current Docker context' : ep;
      const node = ev.nodeName ?? 'the new node';
      ctx.report({
        span: c.endpoint?.span ?? c.name?.valueSpan ?? c.inv.span,
        message: `node ${JSON.stringify(node)} would use the same endpoint as node ${JSON.stringify(twin.name)} (${shown})`,
        help: `each ${twin.driver ?? 'docker-container'} node of a builder needs its own Docker context or endpoint`,
        upstream: `invalid duplicate endpoint ${isContext ? ep.slice(8) || '<context>' : ep}`,
        related: [{ span: twin.createdBy.endpoint?.span ?? twin.createdBy.inv.span, message: `node ${JSON.stringify(twin.name)} uses it` }],
      });
    }
  },
});
