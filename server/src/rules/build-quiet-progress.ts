/**
 * KBX525: -q/--quiet combined with a --progress mode.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX525',
    name: 'build-quiet-progress',
    summary: '-q/--quiet combined with a --progress mode',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['quiet-progress'],
    docs: {
      what: 'Reports `--progress` other than auto or quiet on a build with `-q/--quiet`.',
      why: 'buildx refuses the combination before building.',
      example: 'docker buildx build -q --progress=plain .',
      useInstead: 'docker buildx build -q .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'progress=plain and quiet cannot be used together',
    },
  },
});
