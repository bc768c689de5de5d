/**
 * KBX423: A kubernetes node pinned to one architecture declares another. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { createFindings } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX423',
    name: 'nodeselector-arch-mismatch',
    summary: "A kubernetes node pinned to one architecture declares another",
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: "Reports a kubernetes node whose `nodeselector` pins `kubernetes.io/arch` (or `beta.kubernetes.io/arch`) to one architecture while its `--platform` declares another (and `qemu.install` is not on).",
      why: "buildx routes builds of the declared platform to this node, but its pods run on machines of the pinned architecture, so every `RUN` step is emulated or fails with `exec format error`.",
      example: "docker buildx create --name multi --driver kubernetes --node arm --platform linux/arm64 --driver-opt nodeselector=kubernetes.io/arch=amd64",
      useInstead: "docker buildx create --name multi --driver kubernetes --node arm --platform linux/arm64 --driver-opt nodeselector=kubernetes.io/arch=arm64",
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
    },
  },
  check(model, ctx) {
    for (const f of createFindings(model, ['nodeselector-arch-mismatch'])) ctx.report({ span: f.span, message: f.message, related: f.related });
  },
});
