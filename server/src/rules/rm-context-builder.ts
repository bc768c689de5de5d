/**
 * KBX431: `docker buildx rm` of a Docker context's builder (`default`, or a context this file created).
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX431',
    name: 'rm-context-builder',
    summary: "`docker buildx rm` of a Docker context's builder",
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `docker buildx rm NAME` when NAME is the builder of a Docker context and no buildx builder of that name exists here: `default` always, or a context made by `docker context create NAME` earlier on every path.',
      why: "A context's builder is not in buildx's store; buildx refuses to remove it (`commands/rm.go`, `runRm`, at buildx 461836ba0) and the command fails. To remove the context itself use `docker context rm`.",
      example: 'docker buildx rm default',
      useInstead: 'docker buildx create --name ci --driver docker-container\ndocker buildx rm ci',
      fixSafety: 'No fix is offered.',
      buildxSays: 'context builder cannot be removed, run `docker context rm default` to remove this context',
    },
  },
  check(model, ctx) {
    for (const r of builderGraphOf(model).refs) {
      if (r.command !== 'rm' || !r.contextBuilder) continue;
      ctx.report({
        span: r.span,
        message: `${JSON.stringify(r.name)} is the builder of a Docker context, which docker buildx rm cannot remove`,
        help: `to remove the context, run docker context rm ${r.name}`,
        upstream: `context builder cannot be removed, run \`docker context rm ${r.name}\` to remove this context`,
        related: r.contextBuilder.createdAt ? [{ span: r.contextBuilder.createdAt, message: 'context created here' }] : undefined,
      });
    }
  },
});
