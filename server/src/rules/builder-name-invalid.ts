/**
 * KBX401: builder and node names buildx rejects, the reserved `default`, and kubernetes node
 * names that cannot become a Deployment name.
 */
import { checkBuilderName, checkNodeName } from '../buildx/names';
import { splitMessageOnce } from '../buildx/split-message';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX401',
    name: 'builder-name-invalid',
    summary: 'A builder or node name buildx or Kubernetes rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Checks `--name` and `--node` of `buildx create`: a letter first, then letters, digits, `.`, `_`, `-`; `default` is reserved; for the kubernetes driver the node name (lower-cased, `_` → `-`) must also be a valid Deployment name and label value.',
      why: 'buildx refuses the name, or the API server refuses the Deployment when the builder boots.',
      example: 'docker buildx create --name 2fast --driver kubernetes',
      useInstead: 'docker buildx create --name fast2 --driver kubernetes',
      fixSafety: 'No fix is offered: renaming changes every later use of the builder.',
      buildxSays: 'invalid name 2fast, name needs to start with a letter and may not contain symbols, except ._-',
    },
  },
  check(model, ctx) {
    for (const c of model.creates) {
      if (c.nameValue !== null && c.name?.valueSpan) {
        for (const p of checkBuilderName(c.nameValue)) ctx.report({ span: c.name.valueSpan, ...splitMessageOnce(p.message), severity: p.severity });
      }
      // `--node=""`: buildx generates the node name (`<builder>0`), as without the flag.
      if (c.nodeValue !== null && c.nodeValue !== '' && c.node?.valueSpan) {
        for (const p of checkNodeName(c.nodeValue, c.driver ?? undefined)) ctx.report({ span: c.node.valueSpan, ...splitMessageOnce(p.message), severity: p.severity });
      }
    }
  },
});
