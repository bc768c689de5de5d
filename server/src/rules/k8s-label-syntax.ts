/**
 * KBX305: A label, selector or annotation the API server rejects.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX305',
    name: 'k8s-label-syntax',
    summary: 'A label, selector or annotation the API server rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['k8s-invalid-key', 'k8s-invalid-value', 'k8s-annotations-too-long'],
    docs: {
      what: 'Checks node selector, label and annotation keys (qualified names) and label values against the Kubernetes syntax rules.',
      why: 'buildx accepts them; the API server rejects the Deployment when the builder boots.',
      example: 'docker buildx create --driver kubernetes --driver-opt labels=team=Platform_',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt labels=team=platform',
      fixSafety: 'No fix is offered.',
      buildxSays: undefined,
    },
  },
});
