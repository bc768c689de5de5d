/**
 * KBX424: One kubernetes node declares several architectures without QEMU. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { type Platform, archFamily, formatPlatform, platformSatisfies } from '../buildx/platform';
import { spanOf } from '../core/mapped-string';

/** distinctArchs: the architectures a platform list needs natively, dropping those served by another (arm64 serves arm/v7). */
function distinctArchs(ps: Platform[]): Platform[] {
  const out: Platform[] = [];
  for (const p of ps) {
    if (out.some((q) => platformSatisfies(q, p) !== 'no')) continue;
    for (let i = out.length - 1; i >= 0; i--) if (platformSatisfies(p, out[i]) !== 'no') out.splice(i, 1);
    out.push(p);
  }
  return out;
}
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX424',
    name: 'node-multi-arch-without-qemu',
    summary: 'One kubernetes node declares several architectures without QEMU',
    severity: 'info',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a kubernetes node declaring platforms of several architectures (`linux/amd64,linux/arm64`) without `qemu.install=true`.',
      why: 'A node is one Deployment whose pods run on one architecture; the other platforms are built there under emulation only if the image or host provides it. The supported pattern is one node per architecture with a matching nodeselector.',
      example: 'docker buildx create --name multi --driver kubernetes --platform linux/amd64,linux/arm64',
      useInstead: 'docker buildx create --name multi --driver kubernetes --platform linux/amd64,linux/arm64 --driver-opt qemu.install=true',
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
    },
  },
  check(model, ctx) {
    for (const ev of builderGraphOf(model).creates) {
      const node = ev.result;
      const c = ev.create;
      if (!node || node.driver !== 'kubernetes' || !node.platformsKnown || node.platforms.length === 0) continue;
      if (c.platformFlags.length === 0 || node.qemuInstall === true || node.qemuInstall === null) continue;
      const archs = distinctArchs(node.platforms);
      if (archs.length < 2) continue;
      const firstArch = archFamily(node.platforms[0]);
      const i = node.platforms.findIndex((p) => archFamily(p) !== firstArch && platformSatisfies(node.platforms[0], p) === 'no');
      const item = node.platformItems[i >= 0 ? i : 1];
      ctx.report({
        span: spanOf(item.raw),
        message: `kubernetes node ${JSON.stringify(node.name)} declares ${archs.map((p) => JSON.stringify(formatPlatform(p))).join(' and ')} without qemu.install=true: its pods run on one architecture, so the others need emulation`,
        help: 'use one node per architecture (--append --node NAME --platform … with a matching nodeselector) or add --driver-opt qemu.install=true',
      });
    }
  },
});
