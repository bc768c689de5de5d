/**
 * KBX0xx: the command line itself. buildx's flag library (spf13/pflag) rejects these before it
 * looks at any value.
 */
import { defineRule, type Rule } from './rule';

export const unknownFlag: Rule = defineRule({
  meta: {
    code: 'KBX001',
    name: 'unknown-flag',
    summary: 'A flag the buildx command does not define',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports flags that the buildx subcommand does not define, as spf13/pflag would.',
      why: 'buildx stops with `unknown flag` before doing anything, so the whole command fails.',
      example: 'docker buildx create --name kube --drivr kubernetes',
      useInstead: 'docker buildx create --name kube --driver kubernetes',
      fixSafety: 'No fix is offered: the intended flag is a guess.',
      buildxSays: 'unknown flag: --drivr',
    },
  },
  check(model, ctx) {
    for (const inv of model.invocations) {
      for (const p of inv.problems) {
        if (p.kind === 'unknown-flag') ctx.report({ span: p.span, message: `${p.message.replace(/^unknown/, 'unknown')} for "${inv.command}"; buildx: ${p.message}` });
      }
    }
  },
});

export const flagNeedsArgument: Rule = defineRule({
  meta: {
    code: 'KBX002',
    name: 'flag-needs-argument',
    summary: 'A flag that takes a value is the last word of the command',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a flag that needs a value but has none, such as `--name` at the end of the command.',
      why: 'buildx stops with `flag needs an argument`.',
      example: 'docker buildx create --use --name',
      useInstead: 'docker buildx create --use --name ci',
      fixSafety: 'No fix is offered.',
      buildxSays: 'flag needs an argument: --name',
    },
  },
  check(model, ctx) {
    for (const inv of model.invocations) {
      for (const p of inv.problems) {
        if (p.kind === 'flag-needs-argument') ctx.report({ span: p.span, message: `the flag has no value; buildx: ${p.message}` });
      }
    }
  },
});

export const unknownCommand: Rule = defineRule({
  meta: {
    code: 'KBX003',
    name: 'unknown-command',
    summary: 'A buildx subcommand that does not exist',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a word in subcommand position after `docker buildx` that is not a buildx command.',
      why: 'buildx prints its help and fails.',
      example: 'docker buildx ./rm mybuilder',
      useInstead: 'docker buildx rm mybuilder',
      fixSafety: 'No fix is offered.',
      buildxSays: 'unknown command: "./rm"',
    },
  },
  check(model, ctx) {
    for (const inv of model.invocations) {
      for (const p of inv.problems) {
        if (p.kind === 'unknown-command') ctx.report({ span: p.span, message: `"${inv.command}" is not a buildx command; buildx: ${p.message}` });
      }
    }
  },
});

export const invalidBoolFlag: Rule = defineRule({
  meta: {
    code: 'KBX004',
    name: 'invalid-bool-flag-value',
    summary: 'A boolean flag given a value that is not a Go boolean',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `--flag=value` on a boolean flag when the value is not one of 1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False.',
      why: 'pflag parses booleans with Go `strconv.ParseBool` and rejects anything else.',
      example: 'docker buildx create --use=yes --name ci',
      useInstead: 'docker buildx create --use --name ci',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid argument "yes" for "--use" flag: strconv.ParseBool: parsing "yes": invalid syntax',
    },
  },
  check(model, ctx) {
    for (const inv of model.invocations) {
      for (const p of inv.problems) {
        if (p.kind === 'invalid-bool') ctx.report({ span: p.span, message: `not a boolean; buildx: ${p.message}` });
      }
    }
  },
});
