/**
 * KBX509: An --annotation buildx rejects or silently drops.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX509',
    name: 'build-annotation-invalid',
    summary: 'An --annotation buildx rejects or silently drops',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['annotation-invalid', 'annotation-invalid-type', 'annotation-unknown-type', 'annotation-invalid-platform', 'annotation-index-platform-dropped', 'annotation-key-whitespace'],
    docs: {
      what: 'Parses `--annotation [type[,type…]:]key=value`: reports values without `=`, keys whose text before the first `:` is not a known annotation type (so a plain key cannot contain `:`), invalid bracket platforms, platforms on index annotations (ignored, info) and keys with whitespace (dropped by BuildKit, warning).',
      why: 'buildx stops with `parse annotations: …`, or the annotation never reaches the image.',
      example: 'docker buildx build --annotation org.opencontainers.image.source:x=1 -t app .',
      useInstead: 'docker buildx build --annotation manifest:org.opencontainers.image.source=https://example.com/app -t app .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'parse annotations: unknown annotation type "org.opencontainers.image.source"',
    },
  },
});
