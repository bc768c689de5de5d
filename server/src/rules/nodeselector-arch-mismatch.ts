/**
 * KBX423: A kubernetes node pinned to one architecture declares another. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import type { GraphNode } from '../buildx/builder-graph';
import type { KV } from '../buildx/kubernetes';
import { type Platform, archFamily, formatPlatform, platformSatisfies } from '../buildx/platform';
import { DYNAMIC, spanOf } from '../core/mapped-string';

const ARCH_KEYS = ['kubernetes.io/arch', 'beta.kubernetes.io/arch'];

/** nodeSelectorArch: the static architecture a kubernetes node is pinned to (the last such pair wins). */
function nodeSelectorArch(n: GraphNode): KV | undefined {
  for (let i = n.nodeSelector.length - 1; i >= 0; i--) {
    const kv = n.nodeSelector[i];
    if (ARCH_KEYS.includes(kv.key.text) && !kv.value.text.includes(DYNAMIC)) return kv;
  }
  return undefined;
}
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX423',
    name: 'nodeselector-arch-mismatch',
    summary: 'A kubernetes node pinned to one architecture declares another',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a kubernetes node whose `nodeselector` pins `kubernetes.io/arch` (or `beta.kubernetes.io/arch`) to one architecture while its `--platform` declares another (and `qemu.install` is not on).',
      why: 'buildx routes builds of the declared platform to this node, but its pods run on machines of the pinned architecture, so every `RUN` step is emulated or fails with `exec format error`.',
      example: 'docker buildx create --name multi --driver kubernetes --node arm --platform linux/arm64 --driver-opt nodeselector=kubernetes.io/arch=amd64',
      useInstead: 'docker buildx create --name multi --driver kubernetes --node arm --platform linux/arm64 --driver-opt nodeselector=kubernetes.io/arch=arm64',
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
    },
  },
  check(model, ctx) {
    for (const ev of builderGraphOf(model).creates) {
      const node = ev.result;
      const c = ev.create;
      if (!node || node.driver !== 'kubernetes' || !node.platformsKnown || node.platforms.length === 0) continue;
      const touchedPlatforms = c.platformFlags.length > 0;
      if (!touchedPlatforms && c.driverOptFlags.length === 0) continue;
      const sel = nodeSelectorArch(node);
      if (!sel || node.qemuInstall === true || node.qemuInstall === null) continue;
      const pinned: Platform = { os: 'linux', arch: sel.value.text.toLowerCase(), variant: '' };
      const bad = node.platforms.map((p, i) => ({ p, i })).filter(({ p }) => archFamily(p) !== pinned.arch && platformSatisfies(pinned, p) === 'no');
      if (!bad.length) continue;
      const first = bad[0];
      const item = node.platformItems[first.i];
      const span = touchedPlatforms && item && item.raw ? spanOf(item.raw) : spanOf(sel.value);
      const p = formatPlatform(first.p);
      ctx.report({
        span,
        message: `node ${JSON.stringify(node.name)} declares ${JSON.stringify(p)} but its nodeselector ${sel.key.text}=${sel.value.text} schedules it on ${sel.value.text} machines, where ${p} builds need emulation`,
        help: `pin ${sel.key.text}=${archFamily(first.p)} or declare linux/${sel.value.text}`,
        related: [{ span: spanOf(sel.value), message: 'architecture pinned here' }],
      });
    }
  },
});
