/**
 * KBX430: `docker buildx create --name X` (without `--append`) after `docker context create X`.
 */
import { compareVersions, targetVersion } from '../buildx/version';
import { builderGraphOf } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX430',
    name: 'builder-named-after-context',
    summary: 'A builder named after a Docker context',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `docker buildx create --name X` without `--append` when `docker context create X` certainly ran before it (on every path here). The `default` context always exists, but `--name default` is reported by KBX401 (buildx refuses that name before it looks at contexts).',
      why: "Every Docker context already has a builder of its own name. Since buildx 0.13 (`builder/builder.go`, `Create`, at buildx 461836ba0; the check moved there from `commands/create.go` in ceb5bc807) creating a builder with a context's name fails; buildx 0.9–0.12 only warned and then created a builder that the context's builder shadows.",
      example: 'docker context create arm-host --docker host=ssh://ci@arm-host\ndocker buildx create --name arm-host --driver docker-container arm-host',
      useInstead: 'docker context create arm-host --docker host=ssh://ci@arm-host\ndocker buildx create --name arm-builder --driver docker-container arm-host',
      fixSafety: 'No fix is offered: the builder needs a name of its own, which the later commands use too.',
      buildxSays: 'instance name "arm-host" already exists as context builder',
    },
  },
  check(model, ctx) {
    // (buildx ≥ 0.13 fails; with an older target from the configuration or a host pin, a warning.)
    for (const ev of builderGraphOf(model).creates) {
      const at = ev.contextCreatedAt;
      const c = ev.create;
      if (!at || c.append === true || c.leave === true || !c.name?.valueSpan) continue;
      // Before 0.13 buildx only warned (and the context's builder then shadows the new one).
      const target = targetVersion(c.inv, model.buildxTarget);
      const warnsOnly = target !== null && compareVersions(target, [0, 13, 0]) < 0;
      ctx.report({
        span: c.name.valueSpan,
        message: `builder name ${JSON.stringify(c.nameValue)} is the name of a Docker context created earlier in this file`,
        help: 'give the builder its own name (pass the context as the endpoint argument instead)',
        ...(warnsOnly ? { severity: 'warning' as const } : { upstream: `instance name ${JSON.stringify(c.nameValue)} already exists as context builder` }),
        related: [{ span: at, message: 'context created here' }],
      });
    }
  },
});
