/**
 * KBX304: A selector, label or annotation item that is not key=value.
 */
import { fixReplaceSpan } from './fix-support';
import { defineRule, reportOf } from './rule';

export default defineRule({
  meta: {
    code: 'KBX304',
    name: 'k8s-key-value-syntax',
    summary: 'A selector, label or annotation item that is not key=value',
    severity: 'error',
    fixable: 'sometimes',
    enabledByDefault: true,
    owns: ['invalid-key-value-pair'],
    docs: {
      what: 'Reports items of `nodeselector`, `labels` and `annotations` that do not split into exactly one key and one value on `=`, including the common `key:value`.',
      why: 'Since buildx v0.12 this is an error; before it the pair was silently dropped, leaving no selector at all.',
      example: 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch:amd64',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64',
      fixSafety: 'Unsafe: for `key:value` the fix writes `key=value`, the likely meaning; a colon could also belong to a value, so confirm it. No fix for other shapes.',
      buildxSays: 'cannot parse node selector: invalid key-value pair: kubernetes.io/arch:amd64',
    },
  },
  onProblem(p, model) {
    const create = p.create!;
    const r = reportOf(p);
    const suggestion = p.data?.suggestion;
    // Unsafe: `a:b` most likely meant `a=b`, but a colon can be part of a value.
    if (typeof suggestion === 'string') r.fix = fixReplaceSpan(model, create.driverOptFlags, p.span, suggestion, `write ${suggestion}`, 'unsafe');
    return r;
  },
});
