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
      what: 'Reports shell syntax errors found while reading the script or Makefile recipe: unterminated quotes, unclosed `$(`, a missing `fi`. bash stops at the first syntax error, and so does ShellCheck (SC1089 "Parsing stopped here"); kbx-lint reads on to check the commands after it, but reports at most one error per line (what follows on that line is read out of step and would only restate it: a stray `)))` is one finding, not three) and at most 100 per file, then one finding that counts the rest.',
      why: 'The shell fails before running the command, and kbx-lint cannot know the arguments after the error for sure.',
      example: "docker buildx create --driver-opt 'nodeselector=a=b",
      useInstead: "docker buildx create --driver-opt 'nodeselector=a=b'",
      fixSafety: 'No fix is offered.',
    },
  },
});
