/**
 * KBX307: Resource requests and limits the API server rejects.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX307',
    name: 'k8s-resources',
    summary: 'Resource requests and limits the API server rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['k8s-negative-quantity', 'k8s-request-exceeds-limit', 'ephemeral-storage-request-as-limit', 'ephemeral-storage-request-ignored'],
    docs: {
      what: 'Checks `requests.*` and `limits.*`: no negative quantities, each request no larger than its limit; also warns about the buildx bug that applies `requests.ephemeral-storage` as a limit.',
      why: 'The API server rejects the pod spec when the builder boots.',
      example: 'docker buildx create --driver kubernetes --driver-opt requests.memory=4Gi,limits.memory=2Gi',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt requests.memory=2Gi,limits.memory=4Gi',
      fixSafety: 'No fix is offered.',
      buildxSays: 'must be less than or equal to memory limit of 2Gi',
    },
  },
});
