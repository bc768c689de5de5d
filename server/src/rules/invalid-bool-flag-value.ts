/**
 * KBX004: a boolean flag given a value that is not a Go boolean.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX004',
    name: 'invalid-bool-flag-value',
    summary: 'A boolean flag given a value that is not a Go boolean',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['invalid-bool'],
    docs: {
      what: 'Reports `--flag=value` on a boolean flag when the value is not one of 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False.',
      why: 'pflag parses booleans with Go `strconv.ParseBool` and rejects anything else.',
      example: 'docker buildx create --use=yes --name ci',
      useInstead: 'docker buildx create --use --name ci',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid argument "yes" for "--use" flag: strconv.ParseBool: parsing "yes": invalid syntax',
    },
  },
  onProblem(p) {
    return { span: p.span, message: 'not a boolean', upstream: p.message };
  },
});
