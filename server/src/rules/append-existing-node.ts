/**
 * KBX404: --append with the --node of an existing node replaces it. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { createFindings } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX404',
    name: 'append-existing-node',
    summary: "`--append` with the `--node` of an existing node replaces it",
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: "Reports `buildx create --append --node N` when the builder, as created earlier in this file, already has a node named `N`.",
      why: "buildx does not add a node then: it silently updates the existing one, replacing its platforms and driver options, so the builder ends up with one node instead of two.",
      example: "docker buildx create --name multi --driver kubernetes --node k8s --platform linux/amd64\ndocker buildx create --name multi --append --node k8s --platform linux/arm64",
      useInstead: "docker buildx create --name multi --driver kubernetes --node k8s-amd64 --platform linux/amd64\ndocker buildx create --name multi --append --node k8s-arm64 --platform linux/arm64",
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
    },
  },
  check(model, ctx) {
    for (const f of createFindings(model, ['append-existing-node'])) ctx.report({ span: f.span, message: f.message, related: f.related });
  },
});
