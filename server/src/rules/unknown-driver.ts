/**
 * KBX207: `--driver` names a driver buildx does not have, or `docker`, which cannot be created.
 */
import { closest } from '../buildx/platform';
import { CREATABLE_DRIVERS, VENDOR_DRIVERS } from '../buildx/model';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX207',
    name: 'unknown-driver',
    summary: 'A --driver that buildx cannot create',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `--driver` values other than `docker-container`, `kubernetes` and `remote` (names are case-sensitive), and `--driver docker`, which exists only as the implicit builder of each Docker context. `cloud` (Docker Build Cloud, in the buildx that Docker Desktop ships) is accepted and not checked.',
      why: 'buildx stops with `failed to find driver` or `additional instances of driver "docker" cannot be created`.',
      example: 'docker buildx create --driver docker --use',
      useInstead: 'docker buildx create --driver docker-container --use',
      fixSafety: 'No fix is offered: which driver was meant is a guess.',
      buildxSays: 'additional instances of driver "docker" cannot be created',
    },
  },
  check(model, ctx) {
    for (const c of model.creates) {
      if (c.driverSource !== 'flag' || !c.driver || !c.driverFlag?.valueSpan) continue;
      if (CREATABLE_DRIVERS.includes(c.driver) || VENDOR_DRIVERS.includes(c.driver)) continue;
      const span = c.driverFlag.valueSpan;
      if (c.driver === 'docker') {
        ctx.report({
          span,
          message: 'the docker driver cannot be created: it is the built-in builder of each Docker context',
          help: 'use docker-container for a new builder',
          upstream: 'additional instances of driver "docker" cannot be created',
        });
        continue;
      }
      const guess = closest(c.driver.toLowerCase(), [...CREATABLE_DRIVERS, 'docker'], 4) ?? (CREATABLE_DRIVERS.includes(c.driver.toLowerCase()) ? c.driver.toLowerCase() : undefined);
      ctx.report({
        span,
        message: `unknown driver "${c.driver}", expected docker-container, kubernetes or remote`,
        help: guess ? `did you mean "${guess}"?` : undefined,
        upstream: `failed to find driver "${c.driver}"`,
      });
    }
  },
});
