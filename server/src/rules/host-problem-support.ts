/**
 * The host-problem rules of the YAML hosts each own one host problem kind; the engine's dispatcher
 * hands them their problems, and `help` is the rule's advice for all of them.
 */
import type { HostProblemKind } from '../hosts/region';
import { reportOf, type Rule, type RuleMeta } from './rule';

export function hostProblemRule(meta: RuleMeta, kind: Exclude<HostProblemKind, 'host-structure'>, help?: string): Rule {
  return {
    meta: { ...meta, owns: [kind] },
    onProblem: (p) => ({ ...reportOf(p), ...(help ? { help } : {}) }),
  };
}
