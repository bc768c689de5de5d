/**
 * KBX205: A docker-container limit the Docker daemon rejects.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX205',
    name: 'docker-daemon-limits',
    summary: 'A docker-container limit the Docker daemon rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['daemon-rejected'],
    docs: {
      what: 'Checks docker-container resource options against the Docker daemon rules applied when the builder container is created: cpu-period range, cpu-quota minimum, memory minimum, memory-swap versus memory, restart policy names.',
      why: 'buildx accepts these values, then the builder fails to start.',
      example: 'docker buildx create --driver docker-container --driver-opt cpu-quota=500',
      useInstead: 'docker buildx create --driver docker-container --driver-opt cpu-quota=50000',
      fixSafety: 'No fix is offered.',
      buildxSays: undefined,
    },
  },
});
