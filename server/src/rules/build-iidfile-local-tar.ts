/**
 * KBX522: --iidfile with a local or tar output.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX522',
    name: 'build-iidfile-local-tar',
    summary: '--iidfile with a local or tar output',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['iidfile-local-tar'],
    docs: {
      what: 'Reports `--iidfile` on a build that exports to a local directory or a tar file.',
      why: 'Those exporters produce no image, so there is no ID to write; buildx refuses the combination.',
      example: 'docker buildx build -o type=local,dest=./out --iidfile id.txt .',
      useInstead: 'docker buildx build -o type=local,dest=./out .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'local and tar exporters are incompatible with image ID file',
    },
  },
});
