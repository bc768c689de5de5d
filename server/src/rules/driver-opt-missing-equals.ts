/**
 * KBX104: A driver-option field without key=value.
 */
import { forEachDriverOptProblem, plainReport } from './driver-opt-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX104',
    name: 'driver-opt-missing-equals',
    summary: 'A driver-option field without key=value',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a `--driver-opt` CSV field that has no `=`.',
      why: 'buildx splits each field on its first `=` and rejects a field without one.',
      example: 'docker buildx create --driver kubernetes --driver-opt rootless',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt rootless=true',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid value "rootless", expecting k=v',
    },
  },
  check(model, ctx) {
    forEachDriverOptProblem(model, (p) => p.kind === 'field-without-equals' && typeof p.data?.splitFrom !== 'string', plainReport, ctx);
  },
});
