/**
 * KBX506: A --build-context that is not name=value or has an invalid name.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX506',
    name: 'build-context-invalid',
    summary: 'A --build-context that is not name=value or has an invalid name',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['build-context-invalid', 'build-context-invalid-name'],
    docs: {
      what: 'Reports `--build-context` values without `=` and names that are not valid image-style names (upper case, invalid characters).',
      why: 'buildx stops with `invalid context value` or `invalid context name` before building.',
      example: 'docker buildx build --build-context Base=docker-image://alpine:3.20 .',
      useInstead: 'docker buildx build --build-context base=docker-image://alpine:3.20 .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid context name Base: invalid reference format: repository name (library/Base) must be lowercase',
    },
  },
});
