/**
 * KBX528: Several exporters need BuildKit v0.13 or newer. Reports the problem kinds KIND_OWNER in build-flag-support.ts gives to KBX528.
 */
import { flagProblemRule } from './build-flag-support';

export default flagProblemRule({
  code: 'KBX528',
  name: 'build-multiple-exporters',
  summary: 'Several exporters need BuildKit v0.13 or newer',
  severity: 'info',
  fixable: 'never',
  enabledByDefault: false,
  docs: {
    what: 'Points at builds with more than one exporter (`--push --load`, several `-o`). Off by default: current BuildKit supports it.',
    why: 'BuildKit older than v0.13 refuses more than one output.',
    example: 'docker buildx build --push --load -t registry.example.com/app:1.0 .',
    useInstead: 'docker buildx build --push -t registry.example.com/app:1.0 .',
    fixSafety: 'No fix is offered.',
    buildxSays: 'multiple outputs currently unsupported by the current BuildKit daemon, please upgrade to version v0.13+ or use a single output',
  },
});
