/**
 * KBX424: One kubernetes node declares several architectures without QEMU. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { createFindings } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX424',
    name: 'node-multi-arch-without-qemu',
    summary: "One kubernetes node declares several architectures without QEMU",
    severity: 'info',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: "Reports a kubernetes node declaring platforms of several architectures (`linux/amd64,linux/arm64`) without `qemu.install=true`.",
      why: "A node is one Deployment whose pods run on one architecture; the other platforms are built there under emulation only if the image or host provides it. The supported pattern is one node per architecture with a matching nodeselector.",
      example: "docker buildx create --name multi --driver kubernetes --platform linux/amd64,linux/arm64",
      useInstead: "docker buildx create --name multi --driver kubernetes --platform linux/amd64,linux/arm64 --driver-opt qemu.install=true",
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
    },
  },
  check(model, ctx) {
    for (const f of createFindings(model, ['node-multi-arch-without-qemu'])) ctx.report({ span: f.span, message: f.message, related: f.related });
  },
});
