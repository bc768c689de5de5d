/**
 * KBX001: a flag the buildx command does not define.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX001',
    name: 'unknown-flag',
    summary: 'A flag the buildx command does not define',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['unknown-flag', 'bad-flag-syntax'],
    docs: {
      what: 'Reports flags that the buildx subcommand does not define, as spf13/pflag would.',
      why: 'buildx stops with `unknown flag` before doing anything, so the whole command fails.',
      example: 'docker buildx create --name kube --drivr kubernetes',
      useInstead: 'docker buildx create --name kube --driver kubernetes',
      fixSafety: 'No fix is offered: the intended flag is a guess.',
      buildxSays: 'unknown flag: --drivr',
    },
  },
  onProblem(p) {
    return { span: p.span, message: p.kind === 'bad-flag-syntax' ? 'the argument is not a valid flag' : `${p.message} for "${p.inv?.command}"`, upstream: p.message };
  },
});
