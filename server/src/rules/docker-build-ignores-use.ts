/**
 * KBX427: plain `docker build` after `docker buildx use` / `create --use` keeps using the
 * Docker context's builder.
 */
import { builderGraphOf } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX427',
    name: 'docker-build-ignores-use',
    summary: '`docker build` ignores the builder selected with `buildx use`',
    severity: 'info',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `docker build` (and `docker image build`) without `--builder` or `BUILDX_BUILDER` when a builder selected with `docker buildx use` or `create --use` is in force on every path to it, in the same scope (a selection in another Make target, or in one branch of an `if`, does not count).',
      why: "The Docker CLI forwards `docker build` to buildx but sets `BUILDX_BUILDER` to the current Docker context, so the selection is ignored (unless the `builder` alias from `docker buildx install` is configured): the build runs on the context's docker driver, without the multi-node or multi-platform builder.",
      example: 'docker buildx create --name multi --use\ndocker build --platform linux/amd64,linux/arm64 -t img .',
      useInstead: 'docker buildx create --name multi --use\ndocker buildx build --platform linux/amd64,linux/arm64 -t img .',
      fixSafety: 'No fix is offered.',
    },
  },
  check(model, ctx) {
    for (const st of builderGraphOf(model).builds) {
      const sel = st.ignoredSelection;
      if (!sel) continue;
      const inv = st.build.inv;
      const span = { start: inv.programSpan.start, end: (inv.commandSpan ?? inv.programSpan).end };
      const which = sel.key ? `builder "${sel.key}"` : 'the builder';
      const how = sel.by.command === 'create' ? 'create --use' : 'docker buildx use';
      ctx.report({
        span,
        message: `docker build ignores ${which} selected with ${how}: the Docker CLI sets BUILDX_BUILDER to the current context, so this builds on the context's docker driver`,
        help: `use docker buildx build, or pass --builder${sel.key ? ` ${sel.key}` : ''}`,
        related: [{ span: sel.by.span, message: 'builder selected here' }],
      });
    }
  },
});
