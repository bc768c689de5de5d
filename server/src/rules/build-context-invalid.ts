/**
 * KBX506: A --build-context that is not name=value or has an invalid name. Reports the problem kinds KIND_OWNER in build-flag-support.ts gives to KBX506.
 */
import { flagProblemRule } from './build-flag-support';

export default flagProblemRule({
  code: 'KBX506',
  name: 'build-context-invalid',
  summary: 'A --build-context that is not name=value or has an invalid name',
  severity: 'error',
  fixable: 'never',
  enabledByDefault: true,
  docs: {
    what: 'Reports `--build-context` values without `=` and names that are not valid image-style names (upper case, invalid characters).',
    why: 'buildx stops with `invalid context value` or `invalid context name` before building.',
    example: 'docker buildx build --build-context Base=docker-image://alpine:3.20 .',
    useInstead: 'docker buildx build --build-context base=docker-image://alpine:3.20 .',
    fixSafety: 'No fix is offered.',
    buildxSays: 'invalid context name Base: invalid reference format: repository name (library/Base) must be lowercase',
  },
});
