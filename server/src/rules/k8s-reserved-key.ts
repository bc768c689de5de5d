/**
 * KBX306: A label or annotation buildx reserves.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX306',
    name: 'k8s-reserved-key',
    summary: 'A label or annotation buildx reserves',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['reserved-key'],
    docs: {
      what: 'Reports the label `app` and the annotation `buildx.docker.com/platform`, which buildx sets itself.',
      why: 'buildx refuses to build the manifest.',
      example: 'docker buildx create --driver kubernetes --driver-opt labels=app=builder',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt labels=component=builder',
      fixSafety: 'No fix is offered.',
      buildxSays: 'the label "app" is reserved and cannot be customized',
    },
  },
});
