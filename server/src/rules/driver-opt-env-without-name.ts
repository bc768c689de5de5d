/**
 * KBX203: env. option without a variable name.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX203',
    name: 'driver-opt-env-without-name',
    summary: 'env. option without a variable name',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['env-without-name'],
    docs: {
      what: 'Reports `env.=value`: an environment option with no variable name.',
      why: 'buildx rejects it.',
      example: 'docker buildx create --driver-opt env.=1',
      useInstead: 'docker buildx create --driver-opt env.BUILDKIT_STEP_LOG_MAX_SIZE=1',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid env option "env.", expecting env.FOO=bar',
    },
  },
});
