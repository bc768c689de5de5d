/**
 * KBX203: env. option without a variable name.
 */
import { forEachDriverOptProblem, plainReport } from './driver-opt-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX203',
    name: 'driver-opt-env-without-name',
    summary: 'env. option without a variable name',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `env.=value`: an environment option with no variable name.',
      why: 'buildx rejects it.',
      example: 'docker buildx create --driver-opt env.=1',
      useInstead: 'docker buildx create --driver-opt env.BUILDKIT_STEP_LOG_MAX_SIZE=1',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid env option "env.", expecting env.FOO=bar',
    },
  },
  check(model, ctx) {
    forEachDriverOptProblem(model, (p) => p.kind === 'env-without-name', plainReport, ctx);
  },
});
