/**
 * KBX406: Creating a builder that already exists without --append or --node. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import type { CreateEvent } from '../buildx/builder-graph';
import { defineRule } from './rule';

/**
 * recreatesExisting: buildx's first check on an existing builder (`builder.Create`): without
 * `--append` and `--node` the create is refused. Later checks (driver, node) only run past it.
 */
export function recreatesExisting(ev: CreateEvent): boolean {
  const c = ev.create;
  if (c.leave === true || ev.exists !== 'yes' || !ev.builder || ev.contextCreatedAt) return false;
  const appendMaybe = c.append === null || (c.append === undefined && ev.hiddenFlags);
  return c.append !== true && !appendMaybe && !c.node && !ev.hiddenFlags;
}

export default defineRule({
  meta: {
    code: 'KBX406',
    name: 'builder-exists',
    summary: 'Creating a builder that already exists without `--append` or `--node`',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `buildx create --name X` without `--append` and `--node` when this file certainly created `X` before (on every path reaching this command) and did not remove it.',
      why: 'buildx refuses to re-create an existing builder; the second command fails.',
      example: 'docker buildx create --name multi --use\ndocker buildx create --name multi --platform linux/arm64',
      useInstead: 'docker buildx create --name multi --use\ndocker buildx create --name multi --append --platform linux/arm64',
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
      buildxSays: 'existing instance for "multi" but no append mode, specify the node name to make changes for existing instances',
    },
  },
  check(model, ctx) {
    for (const ev of builderGraphOf(model).creates) {
      const c = ev.create;
      if (!recreatesExisting(ev)) continue;
      const first = ev.builder!.firstCreate;
      ctx.report({
        span: c.name!.valueSpan!,
        message: `builder ${JSON.stringify(c.nameValue)} already exists here (created earlier in this file and not removed)`,
        help: `add --append to add a node, --node NODE to change one, or run docker buildx rm ${c.nameValue} first`,
        upstream: `existing instance for ${JSON.stringify(c.nameValue)} but no append mode, specify the node name to make changes for existing instances`,
        related: first ? [{ span: first.name?.valueSpan ?? first.inv.span, message: 'created here' }] : undefined,
      });
    }
  },
});
