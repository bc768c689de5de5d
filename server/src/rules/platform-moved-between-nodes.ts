/**
 * KBX425: A platform pinned on two nodes of one builder. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { createFindings } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX425',
    name: 'platform-moved-between-nodes',
    summary: "A platform pinned on two nodes of one builder",
    severity: 'info',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: "Reports a `--platform` that another node of the same builder already declares.",
      why: "A platform belongs to one node only: buildx removes it from the earlier node, so the builder does not share it between nodes as the script may intend.",
      example: "docker buildx create --name multi --node a --platform linux/amd64,linux/arm64\ndocker buildx create --name multi --append --node b --platform linux/arm64 ssh://arm-host",
      useInstead: "docker buildx create --name multi --node a --platform linux/amd64\ndocker buildx create --name multi --append --node b --platform linux/arm64 ssh://arm-host",
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
    },
  },
  check(model, ctx) {
    for (const f of createFindings(model, ['platform-moved'])) ctx.report({ span: f.span, message: f.message, related: f.related });
  },
});
