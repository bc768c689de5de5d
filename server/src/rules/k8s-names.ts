/**
 * KBX308: A namespace, service account, env name or replica count the API server rejects.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX308',
    name: 'k8s-names',
    summary: 'A namespace, service account, env name or replica count the API server rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['k8s-invalid-name', 'k8s-negative-replicas', 'k8s-invalid-image', 'k8s-invalid-env-name', 'k8s-env-name-strict'],
    docs: {
      what: 'Checks `namespace` (DNS-1123 label), `serviceaccount` (DNS-1123 subdomain), `replicas` (not negative), `image` and `env.NAME` names against the Kubernetes rules.',
      why: 'buildx accepts them; the API server rejects the Deployment when the builder boots.',
      example: 'docker buildx create --driver kubernetes --driver-opt namespace=Build_Kit',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt namespace=buildkit',
      fixSafety: 'No fix is offered.',
      buildxSays: undefined,
    },
  },
});
