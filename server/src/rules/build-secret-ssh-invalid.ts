/**
 * KBX503: A --secret or --ssh value buildx rejects.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX503',
    name: 'build-secret-ssh-invalid',
    summary: 'A --secret or --ssh value buildx rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['secret-csv', 'secret-invalid-field', 'secret-unknown-type', 'secret-unknown-key', 'secret-missing-id', 'ssh-empty-path', 'ssh-duplicate-id'],
    docs: {
      what: 'Parses `--secret` (CSV `id=`, `src=`/`source=`, `env=`, `type=file|env`) and `--ssh` (`id[=path,…]`) values and reports unknown keys and types, fields without `=`, secrets without an id, empty ssh paths and ssh ids given twice.',
      why: 'buildx rejects the value (`unexpected key`, `secret missing ID`, `duplicate agent ID`) and nothing is built; a secret without an id can never be mounted by the Dockerfile.',
      example: 'docker buildx build --secret name=npmrc,src=$HOME/.npmrc .',
      useInstead: 'docker buildx build --secret id=npmrc,src=$HOME/.npmrc .',
      fixSafety: 'No fix is offered.',
      buildxSays: "unexpected key 'name' in 'name=npmrc,src=…/.npmrc'",
    },
  },
});
