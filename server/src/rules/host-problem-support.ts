/**
 * The host-problem rules of the YAML hosts share one check: report the host problems of their kind.
 */
import type { HostProblem } from '../hosts/region';
import type { Rule, RuleMeta } from './rule';

export function hostProblemRule(meta: RuleMeta, kind: NonNullable<HostProblem['kind']>, help?: string): Rule {
  return {
    meta,
    check(model, ctx) {
      for (const p of model.hostProblems) if (p.kind === kind) ctx.report({ span: p.span, message: p.message, severity: p.severity, help });
    },
  };
}
