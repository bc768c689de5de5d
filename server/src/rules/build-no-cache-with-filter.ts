/**
 * KBX524: --no-cache combined with --no-cache-filter.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX524',
    name: 'build-no-cache-with-filter',
    summary: '--no-cache combined with --no-cache-filter',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['no-cache-with-filter'],
    docs: {
      what: 'Reports `--no-cache-filter` on a build that also has `--no-cache`.',
      why: '`--no-cache` already disables the cache for every stage; buildx refuses the combination.',
      example: 'docker buildx build --no-cache --no-cache-filter deps .',
      useInstead: 'docker buildx build --no-cache-filter deps .',
      fixSafety: 'No fix is offered: which flag is wanted is a guess.',
      buildxSays: '--no-cache and --no-cache-filter cannot currently be used together',
    },
  },
});
