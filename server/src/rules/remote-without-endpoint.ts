/**
 * KBX421: the remote driver with neither a positional endpoint nor BUILDKIT_HOST.
 */
import { argCountUncertain, type FileModel } from '../buildx/model';
import { defineRule } from './rule';

/** Any mention of BUILDKIT_HOST (export, CI variables, `${BUILDKIT_HOST}`) may supply the endpoint. */
function buildModelHasBuildkitHost(model: FileModel): boolean {
  return /\bBUILDKIT_HOST\b/.test(model.text);
}

export default defineRule({
  meta: {
    code: 'KBX421',
    name: 'remote-without-endpoint',
    summary: 'The remote driver without an endpoint',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `buildx create --driver remote` (or an append to a remote builder) with no positional endpoint when the file never sets `BUILDKIT_HOST`.',
      why: 'The remote driver connects to an existing BuildKit daemon; buildx takes its address from the positional argument or `$BUILDKIT_HOST` and stops when both are missing. `--driver-opt endpoint=…` is not an option of the remote driver.',
      example: 'docker buildx create --name remote --driver remote',
      useInstead: 'docker buildx create --name remote --driver remote tcp://buildkitd:1234',
      fixSafety: 'No fix is offered: the address is unknown.',
      buildxSays: 'no remote endpoint provided',
    },
  },
  check(model, ctx) {
    if (buildModelHasBuildkitHost(model)) return;
    for (const c of model.creates) {
      if (c.driver !== 'remote' || c.leave === true || c.endpoint || argCountUncertain(c.inv)) continue;
      if (c.driverSource !== 'flag' && c.driverSource !== 'existing-builder') continue;
      if (c.inv.env.some((e) => e.name === 'BUILDKIT_HOST')) continue;
      const span = c.driverFlag?.valueSpan ?? c.inv.commandSpan ?? c.inv.span;
      ctx.report({
        span,
        message: 'the remote driver needs the address of a running BuildKit daemon and none is given',
        help: 'add it as the argument (e.g. tcp://buildkitd:1234) or set BUILDKIT_HOST',
        upstream: 'no remote endpoint provided',
      });
    }
  },
});
