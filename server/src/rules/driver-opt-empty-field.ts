/**
 * KBX105: An empty CSV field (trailing or doubled comma).
 */
import { forEachDriverOptProblem, plainReport } from './driver-opt-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX105',
    name: 'driver-opt-empty-field',
    summary: 'An empty CSV field (trailing or doubled comma)',
    severity: 'error',
    fixable: 'always',
    enabledByDefault: true,
    docs: {
      what: 'Reports an empty field in a `--driver-opt` value: a trailing comma or two commas in a row.',
      why: 'buildx keeps empty CSV fields and rejects them as `invalid value ""`.',
      example: 'docker buildx create --driver kubernetes --driver-opt namespace=ci,replicas=2,',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt namespace=ci,replicas=2',
      fixSafety: 'Safe: removing the stray comma gives buildx exactly the fields that were written.',
      buildxSays: 'invalid value "", expecting k=v',
    },
  },
  check(model, ctx) {
    forEachDriverOptProblem(model, (p) => p.kind === 'empty-field', plainReport, ctx);
  },
});
