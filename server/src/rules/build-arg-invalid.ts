/**
 * KBX512: A --build-arg or --label with an empty name, or an empty BUILDKIT_SYNTAX.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX512',
    name: 'build-arg-invalid',
    summary: 'A --build-arg or --label with an empty name, or an empty BUILDKIT_SYNTAX',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['build-arg-empty-key', 'label-empty-key', 'buildkit-syntax-empty'],
    docs: {
      what: 'Reports `--build-arg` and `--label` values whose name (the text before `=`) is empty, and `--build-arg BUILDKIT_SYNTAX=` with an empty value.',
      why: 'buildx stops with `invalid key-value pair …: empty key` or `empty BUILDKIT_SYNTAX build-arg is invalid` before building.',
      example: 'docker buildx build --build-arg =1.0 .',
      useInstead: 'docker buildx build --build-arg VERSION=1.0 .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid key-value pair "=1.0": empty key',
    },
  },
});
