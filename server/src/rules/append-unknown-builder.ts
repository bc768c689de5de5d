/**
 * KBX403: --append to a builder this file never creates. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { defineRule } from './rule';

/**
 * A create without `--name` gets a generated name (`store.GenerateName`, buildx `store/util.go` at
 * 461836ba0: Docker's `namesgenerator`, `adjective_surname` and a digit on a retry), which the
 * transcript or the reader learns only from its output: an append to such a name may target it.
 */
const GENERATED_NAME = /^[a-z]+_[a-z]+[0-9]?$/;
const mayBeGeneratedName = (key: string) => GENERATED_NAME.test(key);

export default defineRule({
  meta: {
    code: 'KBX403',
    name: 'append-unknown-builder',
    summary: '`--append` to a builder this file never creates',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `buildx create --append --name X` when `X` certainly does not exist there: nothing before it in its scope creates it on any path (or an `rm` removed it on every path), and no other scope of the file (another Make target) creates it. A name of the form buildx generates (`adjective_surname`) after a create without `--name` in the same scope is not reported: that create may have been given it. The builder may exist from elsewhere (an earlier CI step, a setup action), so this is a warning.',
      why: 'Since buildx 0.13 `--append` on a builder that does not exist fails instead of creating it; a common mistake is `--append` on the first create (docker/buildx#2346).',
      example: 'docker buildx create --name multi --append --driver kubernetes --node amd --platform linux/amd64',
      useInstead: 'docker buildx create --name multi --driver kubernetes --node amd --platform linux/amd64',
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
      buildxSays: 'failed to find instance "multi" for append',
    },
  },
  check(model, ctx) {
    const creates = builderGraphOf(model).creates;
    // Where each scope's first create without --name starts: one pass over the creates.
    const firstUnnamed = new Map<string | undefined, number>();
    for (const e of creates) {
      const scope = e.create.inv.region.scope;
      if (!e.create.name && !firstUnnamed.has(scope)) firstUnnamed.set(scope, e.create.inv.span.start);
    }
    for (const ev of creates) {
      const c = ev.create;
      if (c.append !== true || c.leave === true || !ev.key || ev.exists !== 'no' || ev.contextCreatedAt) continue;
      if (mayBeGeneratedName(ev.key) && (firstUnnamed.get(c.inv.region.scope) ?? Number.POSITIVE_INFINITY) < c.inv.span.start) continue;
      ctx.report({
        span: c.name!.valueSpan!,
        message: `--append to builder ${JSON.stringify(c.nameValue)}, which this file does not create before`,
        help: 'if it does not exist yet, drop --append on the first create',
        upstream: `failed to find instance ${JSON.stringify(c.nameValue)} for append`,
      });
    }
  },
});
