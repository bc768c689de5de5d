/**
 * KBX529: --sbom/--provenance ignored because --attest sets the same type.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX529',
    name: 'build-attest-shadowed',
    summary: '--sbom/--provenance ignored because --attest sets the same type',
    severity: 'info',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['attest-shadowed'],
    docs: {
      what: 'Reports `--sbom` or `--provenance` when an `--attest type=sbom` or `--attest type=provenance` is also given.',
      why: 'buildx keeps the first entry per attestation type, which is the `--attest` one, so the shorthand flag is silently ignored.',
      example: 'docker buildx build --attest type=provenance,mode=max --provenance=false -t app --push .',
      useInstead: 'docker buildx build --attest type=provenance,mode=max -t app --push .',
      fixSafety: 'No fix is offered.',
    },
  },
});
