/**
 * KBX422: a `tcp://`, `unix://`, `ssh://`… positional without `--driver` makes a remote builder.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX422',
    name: 'endpoint-implies-remote',
    summary: 'A URL endpoint without --driver silently selects the remote driver',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `buildx create tcp://…` (or `unix://`, `ssh://`, `npipe://`, `docker-container://`, `kube-pod://`) without `--driver`.',
      why: 'The help text says the endpoint is a Docker daemon, but buildx picks the remote driver for these URLs and talks BuildKit gRPC to the address. Pointing it at a Docker daemon fails at boot; if a BuildKit daemon is meant, say so with `--driver remote`.',
      example: 'docker buildx create --name arm tcp://arm-host:2376',
      useInstead: 'docker buildx create --name arm --driver docker-container tcp://arm-host:2376',
      fixSafety: 'No fix is offered: either driver may be meant.',
    },
  },
  check(model, ctx) {
    for (const c of model.creates) {
      if (c.driverSource !== 'endpoint-url' || !c.endpoint || c.leave === true) continue;
      const ep = c.endpoint.value.text;
      ctx.report({
        span: c.endpoint.span,
        message: `without --driver, the endpoint "${ep}" makes a remote builder (BuildKit gRPC at that address), not a docker-container builder on a Docker daemon there`,
        help: 'add --driver remote if a BuildKit daemon listens there, or --driver docker-container for a Docker daemon',
      });
    }
  },
});
