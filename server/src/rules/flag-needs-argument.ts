/**
 * KBX002: a flag that takes a value is the last word of the command.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX002',
    name: 'flag-needs-argument',
    summary: 'A flag that takes a value is the last word of the command',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['flag-needs-argument'],
    docs: {
      what: 'Reports a flag that needs a value but has none, such as `--name` at the end of the command.',
      why: 'buildx stops with `flag needs an argument`.',
      example: 'docker buildx create --use --name',
      useInstead: 'docker buildx create --use --name ci',
      fixSafety: 'No fix is offered.',
      buildxSays: 'flag needs an argument: --name',
    },
  },
  onProblem(p) {
    return { span: p.span, message: 'the flag has no value', upstream: p.message };
  },
});
