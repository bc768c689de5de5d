/**
 * KBX502: A --cache-from/--cache-to value buildx rejects.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX502',
    name: 'build-cache-invalid',
    summary: 'A --cache-from/--cache-to value buildx rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['cache-csv', 'cache-invalid-field', 'cache-unknown-type', 'cache-missing-type', 'cache-empty-ref'],
    docs: {
      what: 'Parses `--cache-from` and `--cache-to` values as buildx does: a value without `=` is a comma-separated list of registry refs (an empty item fails), otherwise CSV `key=value` fields that need a `type=`. Unknown cache backends are warnings.',
      why: 'buildx stops with `type required for …`, `invalid value …` or `EOF` before the build starts; an unknown backend fails in BuildKit.',
      example: 'docker buildx build --cache-to ref=registry.example.com/app:cache,mode=max .',
      useInstead: 'docker buildx build --cache-to type=registry,ref=registry.example.com/app:cache,mode=max .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'type required for "ref=registry.example.com/app:cache,mode=max"',
    },
  },
});
