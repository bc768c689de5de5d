/**
 * KBX406: Creating a builder that already exists without --append or --node. The builder graph (buildx/builder-graph.ts) finds it; this rule reports it.
 */
import { createFindings } from '../buildx/builder-graph';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX406',
    name: 'builder-exists',
    summary: "Creating a builder that already exists without `--append` or `--node`",
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: "Reports `buildx create --name X` without `--append` and `--node` when this file certainly created `X` before (on every path reaching this command) and did not remove it.",
      why: "buildx refuses to re-create an existing builder; the second command fails.",
      example: "docker buildx create --name multi --use\ndocker buildx create --name multi --platform linux/arm64",
      useInstead: "docker buildx create --name multi --use\ndocker buildx create --name multi --append --platform linux/arm64",
      fixSafety: 'No fix is offered: the intended builder layout is a guess.',
      buildxSays: "existing instance for \"multi\" but no append mode, specify the node name to make changes for existing instances",
    },
  },
  check(model, ctx) {
    for (const f of createFindings(model, ['builder-exists'])) ctx.report({ span: f.span, message: f.message, related: f.related });
  },
});
