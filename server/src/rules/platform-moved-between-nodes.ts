/**
 * KBX425: A platform pinned on two nodes of one builder. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { formatPlatform } from '../buildx/platform';
import { spanOf } from '../core/mapped-string';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX425',
    name: 'platform-moved-between-nodes',
    summary: 'A platform pinned on two nodes of one builder',
    severity: 'info',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a `--platform` that another node of the same builder already declares.',
      why: 'A platform belongs to one node only: buildx removes it from the earlier node, so the builder does not share it between nodes as the script may intend.',
      example: 'docker buildx create --name multi --node a --platform linux/amd64,linux/arm64\ndocker buildx create --name multi --append --node b --platform linux/arm64 ssh://arm-host',
      useInstead: 'docker buildx create --name multi --node a --platform linux/amd64\ndocker buildx create --name multi --append --node b --platform linux/arm64 ssh://arm-host',
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
    },
  },
  check(model, ctx) {
    for (const ev of builderGraphOf(model).creates) {
      const to = ev.result;
      if (!to || !ev.builder) continue;
      for (const m of ev.moved) {
        const p = formatPlatform(m.platform);
        ctx.report({
          span: m.item.raw.text.length ? spanOf(m.item.raw) : ev.create.inv.span,
          message: `${JSON.stringify(p)} is already pinned on node ${JSON.stringify(m.from.name)} of builder ${JSON.stringify(ev.builder.name)}: buildx moves it to node ${JSON.stringify(to.name)}, and ${JSON.stringify(m.from.name)} no longer declares it`,
          help: 'a platform belongs to one node only: pin it on one of them',
          related: m.fromItem ? [{ span: spanOf(m.fromItem.raw), message: `pinned on node ${JSON.stringify(m.from.name)} here` }] : undefined,
        });
      }
    }
  },
});
