/**
 * KBX526: docker buildx build without exactly one build context. Reports the problem kinds KIND_OWNER in build-flag-support.ts gives to KBX526.
 */
import { flagProblemRule } from './build-flag-support';

export default flagProblemRule({
  code: 'KBX526',
  name: 'build-context-count',
  summary: 'docker buildx build without exactly one build context',
  severity: 'error',
  fixable: 'never',
  enabledByDefault: true,
  docs: {
    what: 'Reports a build with no build context or with more than one (`PATH | URL | -`), explaining the usual causes: a boolean flag followed by `true`/`false`, or a list split by a space after a comma. Not reported when an unquoted expansion may change the number of arguments, or when KBX410/KBX530 already explain the extra word.',
    why: 'buildx refuses the command before doing anything.',
    example: 'docker buildx build -t app',
    useInstead: 'docker buildx build -t app .',
    fixSafety: 'No fix is offered.',
    buildxSays: 'docker: \'docker buildx build\' requires 1 argument',
  },
});
