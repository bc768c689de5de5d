/**
 * KBX529: --sbom/--provenance ignored because --attest sets the same type. Reports the problem kinds KIND_OWNER in build-flag-support.ts gives to KBX529.
 */
import { flagProblemRule } from './build-flag-support';

export default flagProblemRule({
  code: 'KBX529',
  name: 'build-attest-shadowed',
  summary: '--sbom/--provenance ignored because --attest sets the same type',
  severity: 'info',
  fixable: 'never',
  enabledByDefault: true,
  docs: {
    what: 'Reports `--sbom` or `--provenance` when an `--attest type=sbom` or `--attest type=provenance` is also given.',
    why: 'buildx keeps the first entry per attestation type, which is the `--attest` one, so the shorthand flag is silently ignored.',
    example: 'docker buildx build --attest type=provenance,mode=max --provenance=false -t app --push .',
    useInstead: 'docker buildx build --attest type=provenance,mode=max -t app --push .',
    fixSafety: 'No fix is offered.',
  },
});
