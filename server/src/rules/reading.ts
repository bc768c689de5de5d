/**
 * KBX6xx: problems reading the file (shell syntax, Makefile structure) and, as advice, arguments
 * whose value is only known at run time.
 */
import { defineRule, type Rule } from './rule';

export const shellSyntaxError: Rule = defineRule({
  meta: {
    code: 'KBX601',
    name: 'shell-syntax-error',
    summary: 'The shell cannot read this text',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports shell syntax errors found while reading the script or Makefile recipe: unterminated quotes, unclosed `$(`, a missing `fi`.',
      why: 'The shell fails before running the command, and kbx-lint cannot know the arguments after the error for sure.',
      example: "docker buildx create --driver-opt 'nodeselector=a=b",
      useInstead: "docker buildx create --driver-opt 'nodeselector=a=b'",
      fixSafety: 'No fix is offered.',
    },
  },
  check(model, ctx) {
    for (const e of model.syntaxErrors) ctx.report({ span: e.span, message: e.message });
  },
});

export const makefileProblem: Rule = defineRule({
  meta: {
    code: 'KBX602',
    name: 'makefile-structure',
    summary: 'A Makefile line that make will not read as intended',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports Makefile structure problems that change which recipe lines reach the shell, such as a recipe indented with spaces.',
      why: 'make stops with `missing separator` or silently treats the line as something else.',
      example: 'build:\n    docker buildx build .',
      useInstead: 'build:\n\tdocker buildx build .',
      fixSafety: 'No fix is offered.',
    },
  },
  check(model, ctx) {
    for (const p of model.hostProblems) ctx.report({ span: p.span, message: p.message, severity: p.severity });
  },
});

export const dynamicArgument: Rule = defineRule({
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
        if ((f.name === 'driver-opt' || f.name === 'platform') && f.value && f.valueSpan && !f.arg.static) {
          ctx.report({ span: f.valueSpan, message: `the value of --${f.name} depends on run-time expansion; only its static parts are checked` });
        }
      }
    }
  },
});
