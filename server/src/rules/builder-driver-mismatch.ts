/**
 * KBX407: A different --driver for an existing builder. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { createFindings } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX407',
    name: 'builder-driver-mismatch',
    summary: "A different `--driver` for an existing builder",
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: "Reports `--driver D` on `buildx create --append`/`--node` for a builder this file created with another driver.",
      why: "All nodes of a builder share its driver; buildx rejects the command.",
      example: "docker buildx create --name multi --driver docker-container\ndocker buildx create --name multi --append --driver kubernetes --node k8s",
      useInstead: "docker buildx create --name multi --driver docker-container\ndocker buildx create --name multi-k8s --driver kubernetes --node k8s",
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
      buildxSays: "existing instance for \"multi\" but has mismatched driver \"docker-container\"",
    },
  },
  check(model, ctx) {
    for (const f of createFindings(model, ['driver-mismatch'])) ctx.report({ span: f.span, message: f.message, related: f.related });
  },
});
