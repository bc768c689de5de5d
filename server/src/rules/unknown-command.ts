/**
 * KBX003: a buildx subcommand that does not exist.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX003',
    name: 'unknown-command',
    summary: 'A buildx subcommand that does not exist',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['unknown-command'],
    docs: {
      what: 'Reports a word in subcommand position after `docker buildx` that is not a buildx command.',
      why: 'buildx prints its help and fails.',
      example: 'docker buildx ./rm mybuilder',
      useInstead: 'docker buildx rm mybuilder',
      fixSafety: 'No fix is offered.',
      buildxSays: 'unknown command: "./rm"',
    },
  },
  onProblem(p) {
    return { span: p.span, message: `"${p.inv?.command}" is not a buildx command`, upstream: p.message };
  },
});
