/**
 * KBX603: an argument known only at run time is not checked.
 */
import { DYNAMIC } from '../core/mapped-string';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX603',
    name: 'dynamic-argument',
    summary: 'An argument known only at run time is not checked',
    severity: 'info',
    fixable: 'never',
    enabledByDefault: false,
    docs: {
      what: 'Points at each `--driver-opt` or `--platform` value that depends on a variable or command substitution, so you know which parts kbx-lint could not check.',
      why: 'kbx-lint never guesses run-time values; this rule makes the blind spots visible. Off by default.',
      example: 'docker buildx create --driver kubernetes --driver-opt "$OPTS"',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt namespace=ci',
      fixSafety: 'No fix is offered.',
    },
  },
  check(model, ctx) {
    for (const inv of model.invocations) {
      for (const f of inv.flags) {
        if ((f.name === 'driver-opt' || f.name === 'platform') && f.value && f.valueSpan && (f.value.text.includes(DYNAMIC) || !(f.valueArg ?? f.arg).static)) {
          ctx.report({ span: f.valueSpan, message: `the value of --${f.name} depends on run-time expansion; only its static parts are checked` });
        }
      }
    }
  },
});
