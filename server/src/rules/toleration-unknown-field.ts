/**
 * KBX302: A toleration field buildx does not know.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX302',
    name: 'toleration-unknown-field',
    summary: 'A toleration field buildx does not know',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['toleration-unknown-field'],
    docs: {
      what: 'Reports a toleration `name=value` field whose name is not `key`, `operator`, `value`, `effect` or `tolerationSeconds` (case-sensitive; a leading space counts).',
      why: 'buildx rejects the whole tolerations option with its misspelled message `invalid tolaration`.',
      example: 'docker buildx create --driver kubernetes --driver-opt \'"tolerations=key=ci,Value=true"\'',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt \'"tolerations=key=ci,value=true"\'',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid tolaration "key=ci,Value=true"',
    },
  },
});
