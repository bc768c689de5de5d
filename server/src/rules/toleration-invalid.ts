/**
 * KBX301: A toleration the Kubernetes API server rejects.
 */
import { fixReplaceSpan } from './fix-support';
import { defineRule, reportOf } from './rule';

export default defineRule({
  meta: {
    code: 'KBX301',
    name: 'toleration-invalid',
    summary: 'A toleration the Kubernetes API server rejects',
    severity: 'error',
    fixable: 'sometimes',
    enabledByDefault: true,
    owns: ['k8s-unsupported-value', 'k8s-toleration-rule', 'empty-toleration'],
    docs: {
      what: 'Checks each toleration against the Kubernetes API rules: operator exactly `Exists` or `Equal`, effect one of `NoSchedule`, `PreferNoSchedule`, `NoExecute`, no value with `Exists`, `tolerationSeconds` only with `NoExecute`, an empty key only with `Exists`.',
      why: 'buildx passes tolerations through unchecked; the API server rejects the Deployment when the builder boots, minutes later.',
      example: 'docker buildx create --driver kubernetes --driver-opt \'"tolerations=key=ci,operator=exists"\'',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt \'"tolerations=key=ci,operator=Exists"\'',
      fixSafety: 'Safe for operator and effect written in the wrong case: the fix writes the exact value Kubernetes accepts.',
      buildxSays: 'error while calling Create for "…": … Unsupported value: "exists": supported values: "Equal", "Exists"',
    },
  },
  onProblem(p, model) {
    const create = p.create!;
    const r = reportOf(p);
    const suggestion = p.data?.suggestion;
    // Only a change of letter case is certain: `exists` can only have meant `Exists`.
    if (p.kind === 'k8s-unsupported-value' && typeof suggestion === 'string' && suggestion.toLowerCase() === model.text.slice(p.span.start, p.span.end).toLowerCase()) {
      r.fix = fixReplaceSpan(model, create.driverOptFlags, p.span, suggestion, `write ${suggestion}`, 'safe');
    }
    return r;
  },
});
