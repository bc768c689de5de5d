/**
 * KBX507: An --allow entitlement buildx does not know.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX507',
    name: 'build-allow-invalid',
    summary: 'An --allow entitlement buildx does not know',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['allow-local-delete-value', 'allow-device-config', 'allow-unknown'],
    docs: {
      what: 'Reports `--allow` values on `docker buildx build` that are not `network.host`, `security.insecure`, `buildx.local.delete` or `device[=name[,alias=…]]`, and `buildx.local.delete=…` with a value.',
      why: 'buildx stops with `unknown entitlement …` before building.',
      example: 'docker buildx build --allow network=host .',
      useInstead: 'docker buildx build --allow network.host .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'unknown entitlement network=host',
    },
  },
});
