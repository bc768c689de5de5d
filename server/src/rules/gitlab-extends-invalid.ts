/**
 * KBX614: a GitLab CI `extends` chain that GitLab rejects (too deep, or circular).
 */
import { hostProblemRule } from './host-problem-support';

export default hostProblemRule(
  {
    code: 'KBX614',
    name: 'gitlab-extends-invalid',
    summary: 'A GitLab CI `extends` chain nested too deep or circular',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports an `extends` of a GitLab CI file that makes a chain of more than eleven `extends` steps (a template reached through eleven others that extends yet another one) or that leads back to a job already in its chain (a job extending itself, or two templates extending each other). kbx-lint then reads none of the commands of that YAML document. Only the jobs and templates of the file itself are followed: a template of an included file ends a chain.',
      why: 'GitLab rejects the whole pipeline configuration with `nesting too deep in \\`extends\\`` or `circular dependency detected in \\`extends\\`` (gitlab-org/gitlab lib/gitlab/ci/config/extendable/entry.rb, MAX_NESTING_LEVELS = 10): no job of it runs.',
      example: '.base:\n  extends: .build\n.build:\n  extends: .base\n  script:\n    - docker buildx build .',
      useInstead: '.base:\n  image: docker:27\n.build:\n  extends: .base\n  script:\n    - docker buildx build .',
      fixSafety: 'No fix is offered.',
      exampleFileName: '.gitlab-ci.yml',
    },
  },
  'gitlab-extends',
);
