/**
 * KBX304: A selector, label or annotation item that is not key=value.
 */
import { forEachDriverOptProblem, plainReport } from './driver-opt-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX304',
    name: 'k8s-key-value-syntax',
    summary: 'A selector, label or annotation item that is not key=value',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports items of `nodeselector`, `labels` and `annotations` that do not split into exactly one key and one value on `=`, including the common `key:value`.',
      why: 'Since buildx v0.12 this is an error; before it the pair was silently dropped, leaving no selector at all.',
      example: 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch:amd64',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64',
      fixSafety: 'No fix is offered yet; the message names the intended pair.',
      buildxSays: 'cannot parse node selector: invalid key-value pair: kubernetes.io/arch:amd64',
    },
  },
  check(model, ctx) {
    forEachDriverOptProblem(model, (p) => p.kind === 'invalid-key-value-pair', plainReport, ctx);
  },
});
