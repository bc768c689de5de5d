/**
 * KBX510: An --ulimit, --resource or --shm-size value buildx rejects.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX510',
    name: 'build-limit-invalid',
    summary: 'An --ulimit, --resource or --shm-size value buildx rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['ulimit-invalid', 'resource-invalid', 'resource-unknown', 'resource-invalid-value', 'resource-cpuset-syntax', 'shm-size-invalid'],
    docs: {
      what: 'Parses `--ulimit name=soft[:hard]`, `--resource key=value` (memory, memory-swap, cpu-shares, cpu-period, cpu-quota, cpuset-cpus, cpuset-mems) and `--shm-size` as buildx and go-units do.',
      why: 'buildx rejects the value (`invalid ulimit type`, `unknown resource`, `invalid size`) before building; a malformed cpuset is rejected later by the daemon.',
      example: 'docker buildx build --ulimit nofiles=1024:2048 --shm-size 2gb .',
      useInstead: 'docker buildx build --ulimit nofile=1024:2048 --shm-size 2g .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid argument "nofiles=1024:2048" for "--ulimit" flag: invalid ulimit type: nofiles',
    },
  },
});
