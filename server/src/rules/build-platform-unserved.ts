/**
 * KBX426: `buildx build --platform P` on a builder made in this file whose nodes neither declare P
 * (or a compatible platform) nor can emulate it.
 */
import { assignBuildPlatforms, builderGraphOf } from '../buildx/builder-graph';
import { formatPlatform } from '../buildx/platform';
import { spanOf } from '../core/mapped-string';
import type { GraphBuilder, PlatformAssignment } from '../buildx/builder-graph';
import type { PlatformItem } from '../buildx/platform';
import { defineRule } from './rule';

/**
 * Each build's assignment by builder view and platform list: a builder graph kept across the
 * language server's re-lint of one edited command (engine/incremental.ts) holds the same views and
 * the unchanged builds the same lists, so only the edited build is assigned again. The assignment
 * reads nothing else (graph/assign.ts); the rule only reads the answer.
 */
const assignments = new WeakMap<GraphBuilder, WeakMap<readonly PlatformItem[], PlatformAssignment[]>>();

function assignedOnce(b: GraphBuilder, platforms: readonly PlatformItem[]): PlatformAssignment[] {
  let byList = assignments.get(b);
  if (!byList) assignments.set(b, (byList = new WeakMap()));
  let out = byList.get(platforms);
  if (!out) byList.set(platforms, (out = assignBuildPlatforms(b, platforms as PlatformItem[])));
  return out;
}

export default defineRule({
  meta: {
    code: 'KBX426',
    name: 'build-platform-unserved',
    summary: 'A build platform no node of the builder declares or can emulate',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Resolves the builder of each `buildx build` (`--builder`, `BUILDX_BUILDER`, `use`, `create --use`) and, when every create of that builder is in this file and static, reports each requested `--platform` that no node declares (exactly or compatibly: arm64 serves arm/v7) while no node has `qemu.install=true`. Only kubernetes builders are judged: a docker-container or remote node also builds its host’s native platform and whatever the host’s binfmt_misc emulators provide, which a script does not show.',
      why: 'buildx does not fail: an unmatched platform goes to the first node, where its `RUN` steps run under emulation if any is available and fail with `exec format error` otherwise. On kubernetes that usually means a missing `--append` node for that architecture.',
      example: 'docker buildx create --name multi --driver kubernetes --node amd --platform linux/amd64\ndocker buildx build --builder multi --platform linux/amd64,linux/arm64 -t img --push .',
      useInstead:
        'docker buildx create --name multi --driver kubernetes --node amd --platform linux/amd64\ndocker buildx create --name multi --append --node arm --platform linux/arm64\ndocker buildx build --builder multi --platform linux/amd64,linux/arm64 -t img --push .',
      fixSafety: 'No fix is offered: adding a node needs a machine of that architecture.',
    },
  },
  check(model, ctx) {
    const g = builderGraphOf(model);
    // Builds whose builder a reference removes: one pass, not a scan of every reference per build.
    const removed = new Set(g.refs.filter((r) => r.removedBy).map((r) => r.inv));
    for (const st of g.builds) {
      const b = st.builder;
      if (!b || !b.complete || b.nodes.length === 0) continue;
      if (st.source === 'dynamic' || st.source === 'none' || st.source === 'context') continue;
      if (removed.has(st.build.inv)) continue;
      if (b.nodes.some((n) => !n.platformsKnown || n.platforms.length === 0 || n.qemuInstall === true || n.qemuInstall === null)) continue;
      // A docker-container or remote node runs on a host whose native platform and binfmt_misc
      // emulators (Docker Desktop, tonistiigi/binfmt) are unknown here: only kubernetes nodes,
      // whose emulation is qemu.install, can be judged.
      if (b.nodes.some((n) => n.driver !== 'kubernetes')) continue;
      // The node buildx picks (build/resolver): only a platform that falls back to node 0 is unserved.
      const valid = st.build.platforms.filter((item) => item.platform && !item.error && !item.dynamic);
      const assigned = assignedOnce(b, st.build.platforms);
      valid.forEach((item, k) => {
        if (assigned[k].match !== 'fallback-node-0') return;
        const want = formatPlatform(item.platform!);
        const nodes = b.nodes.map((n) => `"${n.name}" (${n.platforms.map(formatPlatform).join(', ')})`).join(', ');
        const via =
          st.source === 'flag' ? '' : st.source === 'use' ? ' (selected with docker buildx use)' : st.source === 'create-use' ? ' (selected with create --use)' : ' (selected with BUILDX_BUILDER)';
        ctx.report({
          span: spanOf(item.raw),
          message: `no node of builder "${b.name}"${via} declares "${want}" or can emulate it (nodes ${nodes}): buildx sends it to the first node "${b.nodes[0].name}", where RUN steps fail without emulation`,
          help: `append a node with --platform ${want} or set qemu.install=true`,
          related: b.nodes.map((n) => ({
            span: n.createdBy.node?.valueSpan ?? n.createdBy.name?.valueSpan ?? n.createdBy.inv.span,
            message: `node "${n.name}" declares ${n.platforms.map(formatPlatform).join(', ')}`,
          })),
        });
      });
    }
  },
});
