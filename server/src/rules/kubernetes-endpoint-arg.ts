/**
 * KBX409: a positional endpoint on `buildx create --driver kubernetes`; the kubernetes driver
 * makes its own endpoint from the builder and node names.
 */
import { DYNAMIC } from '../core/mapped-string';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX409',
    name: 'kubernetes-endpoint-arg',
    summary: 'A positional endpoint with the kubernetes driver',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports a positional `[CONTEXT|ENDPOINT]` argument on `buildx create` when the driver is kubernetes (given with `--driver` or inherited by `--append`).',
      why: 'The kubernetes driver synthesises its endpoint (`kubernetes:///<name>?deployment=<node>`); buildx up to 0.12 warned and ignored the argument, since 0.13 it rejects it. Often the intended node name was written as the positional.',
      example: 'docker buildx create --name multi --driver kubernetes --platform linux/amd64 multi-amd64',
      useInstead: 'docker buildx create --name multi --driver kubernetes --platform linux/amd64 --node multi-amd64',
      fixSafety: 'No fix is offered: whether the word was meant as `--node` is a guess.',
      buildxSays: 'kubernetes driver does not support endpoint args "multi-amd64"',
    },
  },
  check(model, ctx) {
    for (const c of model.creates) {
      if (c.driver !== 'kubernetes' || c.leave === true || !c.endpoint) continue;
      const ep = c.endpoint;
      if (!ep.static || ep.value.text.includes(DYNAMIC) || ep.value.text === '') continue;
      const text = ep.value.text;
      const platform = /^[a-z]+\/[a-z0-9_]+(\/[a-z0-9.]+)?,?$/i.test(text) && c.platformFlags.some((f) => f.value?.text.endsWith(','));
      const help = platform
        ? 'it looks like the rest of a --platform list split at a space: write the list without spaces'
        : /^[A-Za-z][A-Za-z0-9._-]*$/.test(text) && !c.node
          ? `if it is the node name, write --node ${text}`
          : undefined;
      ctx.report({
        span: ep.span,
        message: `the kubernetes driver takes no endpoint argument, found "${ep.value.text}"`,
        help,
        upstream: `kubernetes driver does not support endpoint args "${ep.value.text}"`,
      });
    }
  },
});
