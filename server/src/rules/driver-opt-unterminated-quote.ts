/**
 * KBX103: An unbalanced quote in a quoted CSV field.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX103',
    name: 'driver-opt-unterminated-quote',
    summary: 'An unbalanced quote in a quoted CSV field',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['csv-quote'],
    docs: {
      what: 'Reports a quoted `--driver-opt` field that is not closed, or whose closing quote is followed by something other than a comma.',
      why: 'go-csvvalue rejects the record and `buildx create` fails.',
      example: "docker buildx create --driver kubernetes --driver-opt '\"namespace=ci'",
      useInstead: 'docker buildx create --driver kubernetes --driver-opt \'"namespace=ci"\'',
      fixSafety: 'No fix is offered: where the field was meant to end is a guess.',
      buildxSays: 'parse error on line 1, column 2: extraneous or missing " in quoted-field',
    },
  },
});
