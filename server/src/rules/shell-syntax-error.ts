/**
 * KBX601: the shell cannot read this text.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX601',
    name: 'shell-syntax-error',
    summary: 'The shell cannot read this text',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['shell-syntax'],
    docs: {
      what: 'Reports shell syntax errors found while reading the script or Makefile recipe: unterminated quotes, unclosed `$(`, a missing `fi`.',
      why: 'The shell fails before running the command, and kbx-lint cannot know the arguments after the error for sure.',
      example: "docker buildx create --driver-opt 'nodeselector=a=b",
      useInstead: "docker buildx create --driver-opt 'nodeselector=a=b'",
      fixSafety: 'No fix is offered.',
    },
  },
});
