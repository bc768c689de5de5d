/**
 * KBX528: Several exporters need BuildKit v0.13 or newer.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX528',
    name: 'build-multiple-exporters',
    summary: 'Several exporters need BuildKit v0.13 or newer',
    severity: 'info',
    fixable: 'never',
    enabledByDefault: false,
    owns: ['multiple-outputs'],
    docs: {
      what: 'Points at builds with more than one exporter (`--push --load`, several `-o`). Off by default: current BuildKit supports it.',
      why: 'BuildKit older than v0.13 refuses more than one output.',
      example: 'docker buildx build --push --load -t registry.example.com/app:1.0 .',
      useInstead: 'docker buildx build --push -t registry.example.com/app:1.0 .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'multiple outputs currently unsupported by the current BuildKit daemon, please upgrade to version v0.13+ or use a single output',
    },
  },
});
