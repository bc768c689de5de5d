/**
 * KBX525: -q/--quiet combined with a --progress mode. Reports the problem kinds KIND_OWNER in build-flag-support.ts gives to KBX525.
 */
import { flagProblemRule } from './build-flag-support';

export default flagProblemRule({
  code: 'KBX525',
  name: 'build-quiet-progress',
  summary: '-q/--quiet combined with a --progress mode',
  severity: 'error',
  fixable: 'never',
  enabledByDefault: true,
  docs: {
    what: 'Reports `--progress` other than auto or quiet on a build with `-q/--quiet`.',
    why: 'buildx refuses the combination before building.',
    example: 'docker buildx build -q --progress=plain .',
    useInstead: 'docker buildx build -q .',
    fixSafety: 'No fix is offered.',
    buildxSays: 'progress=plain and quiet cannot be used together',
  },
});
