/**
 * KBX104: A driver-option field without key=value.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX104',
    name: 'driver-opt-missing-equals',
    summary: 'A driver-option field without key=value',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['field-without-equals'],
    docs: {
      what: 'Reports a `--driver-opt` CSV field that has no `=`.',
      why: 'buildx splits each field on its first `=` and rejects a field without one.',
      example: 'docker buildx create --driver kubernetes --driver-opt rootless',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt rootless=true',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid value "rootless", expecting k=v',
    },
  },
});
