/**
 * KBX511: A --network, --progress, --call or --check value buildx rejects.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX511',
    name: 'build-mode-invalid',
    summary: 'A --network, --progress, --call or --check value buildx rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['network-unsupported', 'progress-invalid', 'call-csv', 'call-invalid', 'call-unknown-method', 'check-invalid-bool'],
    docs: {
      what: 'Checks the single-choice flags: `--network` (default, none, host), `--progress` (auto, tty, plain, quiet, rawjson, none), `--call` (a method plus `format=`/`ignorestatus=`; unknown methods are warnings) and `--check=<bool>`. Applies to `bake` too for --progress, --call and --check.',
      why: 'buildx stops with `invalid progress mode`, `network mode … not supported by buildkit`, or `invalid print value` before building.',
      example: 'docker buildx build --progress=verbose --network=mynet .',
      useInstead: 'docker buildx build --progress=plain --network=host .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'invalid progress mode verbose',
    },
  },
});
