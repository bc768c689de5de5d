/**
 * KBX201: An option the driver does not have.
 */
import { fixReplaceSpan } from './fix-support';
import { defineRule, reportOf } from './rule';

export default defineRule({
  meta: {
    code: 'KBX201',
    name: 'driver-opt-unknown-key',
    summary: 'An option the driver does not have',
    severity: 'error',
    fixable: 'sometimes',
    enabledByDefault: true,
    owns: ['unknown-key'],
    docs: {
      what: 'Reports driver option keys that the chosen driver does not define, with a did-you-mean: wrong case (`nodeSelector`), typos (`namspace`), old spellings (`annotation`, `request.cpu`), an option of another driver, the removed `platform` option.',
      why: 'Each driver has a closed set of keys; buildx rejects any other key and the builder is not created.',
      example: 'docker buildx create --driver kubernetes --driver-opt nodeSelector=kubernetes.io/arch=arm64',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=arm64',
      fixSafety: 'Unsafe: when a close known key exists (wrong case, a typo, an old spelling), the fix renames the key to it; the author should confirm it was the intended option.',
      buildxSays: 'invalid driver option nodeSelector for driver kubernetes',
    },
  },
  onProblem(p, model) {
    const create = p.create!;
    const r = reportOf(p);
    const suggestion = p.data?.suggestion;
    // Unsafe: the closest key is a likely meaning, not a certain one.
    if (typeof suggestion === 'string' && /^[a-z0-9.-]+$/.test(suggestion) && !p.data?.otherDriver) {
      r.fix = fixReplaceSpan(model, create.driverOptFlags, p.span, suggestion, `rename the option to ${suggestion}`, 'unsafe');
    }
    return r;
  },
});
