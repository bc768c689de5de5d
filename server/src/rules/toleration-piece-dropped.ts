/**
 * KBX303: A toleration piece buildx silently drops.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX303',
    name: 'toleration-piece-dropped',
    summary: 'A toleration piece buildx silently drops',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['toleration-piece-dropped'],
    docs: {
      what: 'Reports toleration pieces that are not exactly one `name=value` (a bare `NoSchedule`, `value=a=b`, an empty field): buildx ignores them without a word.',
      why: 'The toleration then lacks what you wrote, and pods may never be scheduled.',
      example: 'docker buildx create --driver kubernetes --driver-opt \'"tolerations=key=ci,NoSchedule"\'',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt \'"tolerations=key=ci,effect=NoSchedule"\'',
      fixSafety: 'No fix is offered.',
      buildxSays: undefined,
    },
  },
});
