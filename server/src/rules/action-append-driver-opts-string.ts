/**
 * KBX612: `append[].driver-opts` of docker/setup-buildx-action given as a string.
 */
import { hostProblemRule } from './host-problem-support';

export default hostProblemRule(
  {
    code: 'KBX612',
    name: 'action-append-driver-opts-string',
    summary: 'setup-buildx-action append driver-opts given as a string instead of a list',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a node of the `append` input of docker/setup-buildx-action whose `driver-opts` is a string. The action loops over `driver-opts` as a list (`src/context.ts` getAppendArgs); a string is looped over one character at a time.',
      why: 'Each character becomes its own `--driver-opt` (`--driver-opt n --driver-opt a …`), and `docker buildx create --append` fails on the first one. The findings on the single characters are not reported separately.',
      example:
        'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/setup-buildx-action@v3\n        with:\n          driver: kubernetes\n          append: |\n            - name: arm\n              driver-opts: namespace=buildkit',
      useInstead:
        'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/setup-buildx-action@v3\n        with:\n          driver: kubernetes\n          append: |\n            - name: arm\n              driver-opts:\n                - namespace=buildkit',
      fixSafety: 'No fix is offered: write the options as a YAML list.',
      buildxSays: 'invalid value "n", expecting k=v',
      exampleFileName: '.github/workflows/ci.yml',
    },
  },
  'append-driver-opts-string',
  'write driver-opts as a YAML list, one option per item',
);
