/**
 * KBX407: A different --driver for an existing builder. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { recreatesExisting } from './builder-exists';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX407',
    name: 'builder-driver-mismatch',
    summary: 'A different `--driver` for an existing builder',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `--driver D` on `buildx create --append`/`--node` for a builder this file created with another driver.',
      why: 'All nodes of a builder share its driver; buildx rejects the command.',
      example: 'docker buildx create --name multi --driver docker-container\ndocker buildx create --name multi --append --driver kubernetes --node k8s',
      useInstead: 'docker buildx create --name multi --driver docker-container\ndocker buildx create --name multi-k8s --driver kubernetes --node k8s',
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
      buildxSays: 'existing instance for "multi" but has mismatched driver "docker-container"',
    },
  },
  check(model, ctx) {
    for (const ev of builderGraphOf(model).creates) {
      const c = ev.create;
      const b = ev.builder;
      if (!b || !b.driver || recreatesExisting(ev) || c.leave === true) continue;
      if (c.driverSource !== 'flag' || !c.driver || c.driver === b.driver) continue;
      ctx.report({
        span: c.driverFlag!.valueSpan!,
        message: `builder ${JSON.stringify(c.nameValue)} uses the ${JSON.stringify(b.driver)} driver, not ${JSON.stringify(c.driver)}`,
        help: 'all nodes of a builder share one driver: drop --driver or create a separate builder',
        upstream: `existing instance for ${JSON.stringify(c.nameValue)} but has mismatched driver ${JSON.stringify(b.driver)}`,
      });
    }
  },
});
