/**
 * KBX504: An --attest, --sbom or --provenance value buildx rejects. Reports the problem kinds KIND_OWNER in build-flag-support.ts gives to KBX504.
 */
import { flagProblemRule } from './build-flag-support';

export default flagProblemRule({
  code: 'KBX504',
  name: 'build-attest-invalid',
  summary: 'An --attest, --sbom or --provenance value buildx rejects',
  severity: 'error',
  fixable: 'never',
  enabledByDefault: true,
  docs: {
    what: 'Parses `--attest`, `--sbom` and `--provenance` values as buildx does: a boolean, or CSV `key=value` fields with a `type=` (sbom or provenance) and an optional boolean `disabled=`.',
    why: 'buildx stops with `attestation type not specified` or `invalid value …`; an unknown type is passed on and fails in BuildKit.',
    example: 'docker buildx build --attest mode=max -t app --push .',
    useInstead: 'docker buildx build --attest type=provenance,mode=max -t app --push .',
    fixSafety: 'No fix is offered.',
    buildxSays: 'attestation type not specified',
  },
});
