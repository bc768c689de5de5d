/**
 * KBX610: a CI YAML file that does not parse; nothing in it is read.
 */
import { hostProblemRule } from './host-problem-support';

export default hostProblemRule(
  {
    code: 'KBX610',
    name: 'ci-yaml-syntax',
    summary: 'A GitHub Actions or GitLab CI file that is not valid YAML',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a YAML syntax error in a workflow, a composite action or a GitLab CI file. kbx-lint then reads none of its commands.',
      why: 'GitHub and GitLab reject the file before any job runs, and the buildx commands in it cannot be checked.',
      example: 'jobs:\n  build:\n    steps:\n      - run: docker buildx build .\n     - run: docker buildx ls',
      useInstead: 'jobs:\n  build:\n    steps:\n      - run: docker buildx build .\n      - run: docker buildx ls',
      fixSafety: 'No fix is offered.',
      exampleFileName: '.github/workflows/ci.yml',
    },
  },
  'yaml-syntax',
);
