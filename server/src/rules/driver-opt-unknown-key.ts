/**
 * KBX201: An option the driver does not have.
 */
import { forEachDriverOptProblem, plainReport } from './driver-opt-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX201',
    name: 'driver-opt-unknown-key',
    summary: 'An option the driver does not have',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports driver option keys that the chosen driver does not define, with a did-you-mean: wrong case (`nodeSelector`), typos (`namspace`), old spellings (`annotation`, `request.cpu`), an option of another driver, the removed `platform` option.',
      why: 'Each driver has a closed set of keys; buildx rejects any other key and the builder is not created.',
      example: 'docker buildx create --driver kubernetes --driver-opt nodeSelector=kubernetes.io/arch=arm64',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=arm64',
      fixSafety: 'No fix is offered yet; the suggestion is in the message.',
      buildxSays: 'invalid driver option nodeSelector for driver kubernetes',
    },
  },
  check(model, ctx) {
    forEachDriverOptProblem(model, (p) => p.kind === 'unknown-key' && typeof p.data?.splitFrom !== 'string', plainReport, ctx);
  },
});
