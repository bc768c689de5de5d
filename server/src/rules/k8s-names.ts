/**
 * KBX308: A namespace, service account, env name or replica count the API server rejects.
 */
import { forEachDriverOptProblem, plainReport } from './driver-opt-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX308',
    name: 'k8s-names',
    summary: 'A namespace, service account, env name or replica count the API server rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Checks `namespace` (DNS-1123 label), `serviceaccount` (DNS-1123 subdomain), `replicas` (not negative), `image` and `env.NAME` names against the Kubernetes rules.',
      why: 'buildx accepts them; the API server rejects the Deployment when the builder boots.',
      example: 'docker buildx create --driver kubernetes --driver-opt namespace=Build_Kit',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt namespace=buildkit',
      fixSafety: 'No fix is offered.',
      buildxSays: undefined,
    },
  },
  check(model, ctx) {
    forEachDriverOptProblem(model, (p) => p.kind === 'k8s-invalid-name' || p.kind === 'k8s-negative-replicas' || p.kind === 'k8s-invalid-image' || p.kind === 'k8s-invalid-env-name' || p.kind === 'k8s-env-name-strict', plainReport, ctx);
  },
});
