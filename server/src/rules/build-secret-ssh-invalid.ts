/**
 * KBX503: A --secret or --ssh value buildx rejects. Reports the problem kinds KIND_OWNER in build-flag-support.ts gives to KBX503.
 */
import { flagProblemRule } from './build-flag-support';

export default flagProblemRule({
  code: 'KBX503',
  name: 'build-secret-ssh-invalid',
  summary: 'A --secret or --ssh value buildx rejects',
  severity: 'error',
  fixable: 'never',
  enabledByDefault: true,
  docs: {
    what: 'Parses `--secret` (CSV `id=`, `src=`/`source=`, `env=`, `type=file|env`) and `--ssh` (`id[=path,…]`) values and reports unknown keys and types, fields without `=`, secrets without an id, empty ssh paths and ssh ids given twice.',
    why: 'buildx rejects the value (`unexpected key`, `secret missing ID`, `duplicate agent ID`) and nothing is built; a secret without an id can never be mounted by the Dockerfile.',
    example: 'docker buildx build --secret name=npmrc,src=$HOME/.npmrc .',
    useInstead: 'docker buildx build --secret id=npmrc,src=$HOME/.npmrc .',
    fixSafety: 'No fix is offered.',
    buildxSays: 'unexpected key \'name\' in \'name=npmrc,src=…/.npmrc\'',
  },
});
