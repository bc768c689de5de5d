/**
 * KBX611: a `# …` line inside the `driver-opts` input of docker/setup-buildx-action.
 */
import { hostProblemRule } from './host-problem-support';

export default hostProblemRule(
  {
    code: 'KBX611',
    name: 'action-driver-opts-comment',
    summary: 'A comment line inside setup-buildx-action driver-opts becomes a driver option',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a line starting with `#` inside the `driver-opts` input of docker/setup-buildx-action. Inside a YAML block scalar `#` is text, and the action reads the input one option per line with no comment syntax (docker/actions-toolkit `Util.getInputList`).',
      why: 'The action passes the line to `docker buildx create` as `--driver-opt "# …"`, and buildx stops with an invalid driver option.',
      example:
        'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/setup-buildx-action@v3\n        with:\n          driver-opts: |\n            # the registry mirror\n            image=moby/buildkit:latest',
      useInstead:
        'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      # the registry mirror\n      - uses: docker/setup-buildx-action@v3\n        with:\n          driver-opts: |\n            image=moby/buildkit:latest',
      fixSafety: 'No fix is offered: move the comment outside the block scalar.',
      buildxSays: 'invalid value "# the registry mirror", expecting k=v',
      exampleFileName: '.github/workflows/ci.yml',
    },
  },
  'driver-opts-comment',
  'move the comment above the input, outside the block scalar',
);
