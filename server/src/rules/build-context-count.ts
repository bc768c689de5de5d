/**
 * KBX526: docker buildx build without exactly one build context.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX526',
    name: 'build-context-count',
    summary: 'docker buildx build without exactly one build context',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['build-context-count'],
    docs: {
      what: 'Reports a build with no build context or with more than one (`PATH | URL | -`), explaining the usual causes: a boolean flag followed by `true`/`false`, or a list split by a space after a comma. Not reported when an unquoted expansion may change the number of arguments, or when KBX410/KBX530 already explain the extra word.',
      why: 'buildx refuses the command before doing anything.',
      example: 'docker buildx build -t app',
      useInstead: 'docker buildx build -t app .',
      fixSafety: 'No fix is offered.',
      buildxSays: "docker: 'docker buildx build' requires 1 argument",
    },
  },
});
