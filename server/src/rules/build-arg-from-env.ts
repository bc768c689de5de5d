/**
 * KBX513: A --build-arg without "=" takes its value from the environment.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX513',
    name: 'build-arg-from-env',
    summary: 'A --build-arg without "=" takes its value from the environment',
    severity: 'info',
    fixable: 'never',
    enabledByDefault: false,
    owns: ['build-arg-from-env'],
    docs: {
      what: 'Points at `--build-arg NAME` without `=`: buildx copies the value of the environment variable NAME, and drops the build-arg entirely when the variable is unset. Off by default: the form is often deliberate.',
      why: 'When the variable is not exported (a Makefile variable, a CI step without it), the Dockerfile silently gets its ARG default instead.',
      example: 'docker buildx build --build-arg VERSION .',
      useInstead: 'docker buildx build --build-arg VERSION="$VERSION" .',
      fixSafety: 'No fix is offered.',
    },
  },
});
