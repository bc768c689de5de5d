/**
 * KBX202: A driver option value that does not parse.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX202',
    name: 'driver-opt-invalid-value',
    summary: 'A driver option value that does not parse',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['invalid-value'],
    docs: {
      what: 'Parses each driver option value the way the driver does (Go ParseBool, ParseInt, ParseDuration, Kubernetes quantities, go-units sizes, restart policies, `sticky`/`random`) and reports values that fail.',
      why: 'buildx (or the driver factory, when the builder is initialised) rejects the value and the builder is not created.',
      example: 'docker buildx create --driver kubernetes --driver-opt replicas=two,timeout=120,qemu.install=yes',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt replicas=2,timeout=120s,qemu.install=true',
      fixSafety: 'No fix is offered: the intended value is a guess.',
      buildxSays: 'strconv.ParseInt: parsing "two": invalid syntax',
    },
  },
});
