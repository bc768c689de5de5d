/**
 * KBX429: a second docker-container (or remote) node on the endpoint another node already uses.
 */
import { createFindings } from '../buildx/builder-graph';
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
      what: 'Reports `buildx create --append` that adds a docker-container or remote node on the endpoint another node of the builder already uses — for docker-container without a positional argument, that is the current Docker context.',
      why: 'buildx identifies docker-container and remote nodes by their endpoint and refuses a second node on the same one, so the append fails. Each extra docker-container node needs its own Docker context (another machine), passed as the positional argument.',
      example: 'docker buildx create --name ci --driver docker-container --platform linux/amd64\ndocker buildx create --name ci --append --platform linux/arm64',
      useInstead: 'docker buildx create --name ci --driver docker-container --platform linux/amd64\ndocker buildx create --name ci --append --platform linux/arm64 arm-host',
      fixSafety: 'No fix is offered: which machine should run the node is for the author to say.',
      buildxSays: 'invalid duplicate endpoint default',
    },
  },
  check(model, ctx) {
    for (const f of createFindings(model, ['duplicate-endpoint'])) ctx.report({ span: f.span, message: f.message, related: f.related });
  },
});
