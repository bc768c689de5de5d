/**
 * KBX613: a trailing or doubled comma in the `platforms` input of Docker's actions.
 */
import { hostProblemRule } from './host-problem-support';

export default hostProblemRule(
  {
    code: 'KBX613',
    name: 'action-platforms-empty-item',
    summary: 'A trailing or doubled comma in an action platforms input',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports an empty item in the `platforms` input of docker/setup-buildx-action or docker/build-push-action: a comma at the end, at the start or next to another comma.',
      why: 'The action drops empty items silently, so the list it passes differs from what is written; a trailing comma is often a platform that was deleted or never added.',
      example: 'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/setup-buildx-action@v3\n        with:\n          platforms: linux/amd64,linux/arm64,',
      useInstead: 'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/setup-buildx-action@v3\n        with:\n          platforms: linux/amd64,linux/arm64',
      fixSafety: 'No fix is offered.',
      exampleFileName: '.github/workflows/ci.yml',
    },
  },
  'platforms-empty-item',
  'remove the stray comma, or add the platform that was meant',
);
