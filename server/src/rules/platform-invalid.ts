/**
 * KBX410: a `--platform` item buildx rejects, including lists the shell split at `, `.
 */
import { analysePlatforms } from './platform-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX410',
    name: 'platform-invalid',
    summary: 'A --platform value that buildx cannot parse',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what:
        'Parses every comma-separated item of `--platform` on `docker buildx create` and `docker buildx build` the way buildx does (containerd `platforms.Parse`) and reports items it rejects: empty items from a stray comma, items with spaces, unknown single words, more than three parts, wildcards. ' +
        'When a list written as `linux/amd64, linux/arm64` reaches buildx as two words (`--platform linux/amd64,` plus a separate `linux/arm64`), the pair is reported once, at the comma and the extra word.',
      why:
        'buildx does not trim list items, so `linux/amd64, linux/arm64` fails on " linux/arm64"; unquoted, the space makes the second platform a separate argument, which `build` takes as a second build context and `create` as the endpoint. The command fails before anything is built.',
      example: 'docker buildx build --platform linux/amd64, linux/arm64 -t app .',
      useInstead: 'docker buildx build --platform linux/amd64,linux/arm64 -t app .',
      fixSafety: 'No fix is offered yet. Removing a space after a comma would be safe; which platform a typo meant is a guess.',
      buildxSays: "docker: 'docker buildx build' requires 1 argument",
    },
  },
  check(model, ctx) {
    for (const f of analysePlatforms(model).findings) {
      if (f.kind === 'invalid' || f.kind === 'space-split') ctx.report({ span: f.span, message: f.message });
    }
  },
});
