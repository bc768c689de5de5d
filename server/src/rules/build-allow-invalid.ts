/**
 * KBX507: An --allow entitlement buildx does not know. Reports the problem kinds KIND_OWNER in build-flag-support.ts gives to KBX507.
 */
import { flagProblemRule } from './build-flag-support';

export default flagProblemRule({
  code: 'KBX507',
  name: 'build-allow-invalid',
  summary: 'An --allow entitlement buildx does not know',
  severity: 'error',
  fixable: 'never',
  enabledByDefault: true,
  docs: {
    what: 'Reports `--allow` values on `docker buildx build` that are not `network.host`, `security.insecure`, `buildx.local.delete` or `device[=name[,alias=…]]`, and `buildx.local.delete=…` with a value.',
    why: 'buildx stops with `unknown entitlement …` before building.',
    example: 'docker buildx build --allow network=host .',
    useInstead: 'docker buildx build --allow network.host .',
    fixSafety: 'No fix is offered.',
    buildxSays: 'unknown entitlement network=host',
  },
});
