/**
 * KBX504: An --attest, --sbom or --provenance value buildx rejects.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX504',
    name: 'build-attest-invalid',
    summary: 'An --attest, --sbom or --provenance value buildx rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['attest-csv', 'attest-invalid-field', 'attest-unknown-type', 'attest-invalid-disabled', 'attest-missing-type'],
    docs: {
      what: 'Parses `--attest`, `--sbom` and `--provenance` values as buildx does: a boolean, or CSV `key=value` fields with a `type=` (sbom or provenance) and an optional boolean `disabled=`.',
      why: 'buildx stops with `attestation type not specified` or `invalid value …`; an unknown type is passed on and fails in BuildKit.',
      example: 'docker buildx build --attest mode=max -t app --push .',
      useInstead: 'docker buildx build --attest type=provenance,mode=max -t app --push .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'attestation type not specified',
    },
  },
});
