/**
 * KBX690: a suppression comment that suppresses nothing. Reported by engine/lint.ts, which alone
 * sees which findings each comment suppressed; the rule holds the metadata and documentation.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX690',
    name: 'unused-suppression',
    summary: 'A suppression comment suppresses nothing',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: false,
    docs: {
      what: 'Reports each rule id in a `# kbx-lint disable=` or `disable-file=` comment that suppressed no finding (the rule ran and found nothing there). Enable it with `--report-unused-disable` or in the configuration.',
      why: 'A suppression left behind after the problem was fixed hides the next real problem of that kind on the same command.',
      example: '# kbx-lint disable=KBX101 -- pool is set by the chart\ndocker buildx create --name ci --driver kubernetes',
      useInstead: 'docker buildx create --name ci --driver kubernetes',
      fixSafety: 'No fix is offered: remove the id, or the comment.',
    },
  },
  check() {
    /* reported by the engine */
  },
});
