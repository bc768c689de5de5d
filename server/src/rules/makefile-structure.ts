/**
 * KBX602: a Makefile line that make will not read as intended.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX602',
    name: 'makefile-structure',
    summary: 'A Makefile line that make will not read as intended',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['host-structure'],
    docs: {
      what: 'Reports Makefile structure problems that change which recipe lines reach the shell, such as a recipe indented with spaces.',
      why: 'make stops with `missing separator` or silently treats the line as something else.',
      example: 'build:\n    docker buildx build .',
      useInstead: 'build:\n\tdocker buildx build .',
      fixSafety: 'No fix is offered.',
      exampleFileName: 'Makefile',
    },
  },
});
