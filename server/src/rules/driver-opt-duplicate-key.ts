/**
 * KBX107: The same driver option given twice.
 */
import { forEachDriverOptProblem, plainReport } from './driver-opt-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX107',
    name: 'driver-opt-duplicate-key',
    summary: 'The same driver option given twice',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a driver option key that appears more than once across the `--driver-opt` flags of one command.',
      why: 'buildx stores the options in a map: the last value silently wins, and the earlier one is ignored. That is rarely what was meant.',
      example: 'docker buildx create --driver kubernetes --driver-opt replicas=1 --driver-opt replicas=3',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt replicas=3',
      fixSafety: 'No fix is offered yet.',
      buildxSays: undefined,
    },
  },
  check(model, ctx) {
    forEachDriverOptProblem(model, (p) => p.kind === 'duplicate-key', plainReport, ctx);
  },
});
