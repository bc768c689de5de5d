/**
 * Build-time node selection: which node of a builder gets each requested platform, as buildx's
 * `build/resolver/driver.go` (`nodeResolver.Resolve`, `get`) does it, from declared platforms only.
 */
import { type PlatformItem, formatPlatform, onlyRank, platformSatisfies } from '../platform';
import type { GraphBuilder } from './facts';

export type PlatformMatch = 'declared' | 'compatible' | 'fallback-node-0' | 'unknown';

export interface PlatformAssignment {
  platform: string;
  builder: string | null;
  node: string | null;
  nodeIndex: number | null;
  match: PlatformMatch;
}

/**
 * assignBuildPlatforms: a strict pass (`platforms.OnlyStrict`: the first node declaring the exact
 * platform); when any platform is left, every platform goes through a `platforms.Only` pass where a
 * later node wins when its platform's compatibility vector ranks the request strictly before the
 * best platform so far (so for linux/arm/v7, a linux/arm/v8 node beats an arm64 one); what matches
 * nothing goes to node 0. BuildKit worker platforms (what a node can emulate) are unknown
 * statically, so the second pass may differ from buildx when nodes can emulate.
 */
export function assignBuildPlatforms(builder: GraphBuilder | undefined, requested: PlatformItem[]): PlatformAssignment[] {
  const valid = requested.filter((r) => r.platform && !r.error && !r.dynamic);
  const label = (r: PlatformItem) => r.canonical ?? formatPlatform(r.platform!);
  if (!builder || !builder.complete || builder.nodes.length === 0 || builder.nodes.some((n) => !n.platformsKnown)) {
    return valid.map((r) => ({ platform: label(r), builder: builder?.name ?? null, node: null, nodeIndex: null, match: 'unknown' as const }));
  }
  const nodes = builder.nodes;
  const strict = valid.map((r) => nodes.findIndex((n) => n.platforms.some((p) => platformSatisfies(p, r.platform!) === 'exact')));
  if (strict.every((i) => i >= 0)) {
    return valid.map((r, k) => ({ platform: label(r), builder: builder.name, node: nodes[strict[k]].name, nodeIndex: strict[k], match: 'declared' as const }));
  }
  return valid.map((r) => {
    const want = r.platform!;
    let best = -1;
    let bestPlatform = want;
    nodes.forEach((n, i) => {
      for (const p of n.platforms) {
        const rank = onlyRank(p, want);
        if (rank < 0) continue;
        if (best < 0) {
          best = i;
          bestPlatform = p;
          continue;
        }
        const bestRank = onlyRank(p, bestPlatform);
        if (bestRank < 0 || rank < bestRank) {
          best = i;
          bestPlatform = p;
        }
      }
    });
    if (best < 0) return { platform: label(r), builder: builder.name, node: nodes[0].name, nodeIndex: 0, match: 'fallback-node-0' as const };
    const exact = platformSatisfies(bestPlatform, want) === 'exact';
    return { platform: label(r), builder: builder.name, node: nodes[best].name, nodeIndex: best, match: exact ? ('declared' as const) : ('compatible' as const) };
  });
}
