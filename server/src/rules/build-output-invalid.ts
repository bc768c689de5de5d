/**
 * KBX501: An -o/--output value buildx rejects or misreads.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX501',
    name: 'build-output-invalid',
    summary: 'An -o/--output value buildx rejects or misreads',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['output-csv', 'output-invalid-field', 'output-unknown-type', 'output-missing-type', 'output-dest-required', 'output-dest-stdout', 'output-shorthand-trap'],
    docs: {
      what: 'Parses each `-o/--output` value as buildx does (CSV, then `key=value` fields with a `type=`) and reports values without a type, fields without `=`, local/oci directory outputs without `dest=`, `dest=-` for a directory exporter, unknown exporter types (warning), and the shorthand trap: a single field such as `dest=./out` that does not start with `type=` is a local directory literally named `dest=./out` (warning).',
      why: 'buildx stops before building (`type is required for output`, `dest is required for local exporter`), or, for the shorthand trap, silently writes the result into a strangely named directory.',
      example: 'docker buildx build -o dest=./out .',
      useInstead: 'docker buildx build -o type=local,dest=./out .',
      fixSafety: 'No fix is offered: the intended exporter is a guess.',
      buildxSays: 'type is required for output',
    },
  },
});
