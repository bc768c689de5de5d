/**
 * KBX691: a suppression comment names no rule. Reported by engine/lint.ts, where the comments
 * are read; the rule holds the metadata and documentation.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX691',
    name: 'suppression-unknown-rule',
    summary: 'A suppression comment names a rule that does not exist',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports an id in a `# kbx-lint disable=` or `disable-file=` comment that is neither a rule code nor a rule name (in any case), and suggests the closest one.',
      why: 'A misspelt id suppresses nothing, so the finding the comment was meant to silence is still reported, or a later one is silenced by accident when the spelling is corrected.',
      example: '# kbx-lint disable=KBX1O1\ndocker buildx create --name ci --driver kubernetes',
      useInstead: '# kbx-lint disable=KBX101\ndocker buildx create --name ci --driver kubernetes',
      fixSafety: 'No fix is offered: the suggestion is a guess.',
    },
  },
  check() {
    /* reported by the engine */
  },
});
