/**
 * The rule contract. A rule is metadata (code, name, severity, docs) plus how it judges:
 * - `owns` lists the model problem kinds it reports; the engine hands it every problem of those
 *   kinds (the dispatcher in engine/lint.ts), and `onProblem` may phrase one or add a fix;
 * - `check` looks at the file model directly, for judgments no model layer makes.
 * A rule may do both. Rules never see LSP or CLI types.
 */
import type { Diagnostic, RelatedInfo, Severity } from '../core/diagnostic';
import type { Fix } from '../core/fix';
import type { Span } from '../core/span';
import { DYNAMIC } from '../core/mapped-string';
import type { FileModel } from '../buildx/model';
import type { ModelProblem, ProblemKind } from '../buildx/problems';

export type Fixability = 'never' | 'sometimes' | 'always';

export interface RuleDocs {
  /** What it does: one paragraph. */
  what: string;
  /** Why is this bad? */
  why: string;
  /** A shell snippet that fires the rule. */
  example: string;
  /** The same snippet corrected; it must lint clean for this rule. */
  useInstead: string;
  /** When a fix is offered and why it is safe or unsafe; "No fix is offered." otherwise. */
  fixSafety: string;
  /** What buildx (or the API server) prints, when it does. */
  buildxSays?: string;
  /** File name the examples are linted as (default `example.sh`; `Makefile` for Makefile rules). */
  exampleFileName?: string;
  /** `.kbx-lint.json` settings the examples are linted with, when the rule depends on them. */
  exampleConfig?: { limits?: { maxFileSize?: number; maxLineLength?: number }; buildx?: string };
}

export interface RuleMeta {
  code: string;
  name: string;
  summary: string;
  severity: Severity;
  fixable: Fixability;
  /** Rules off by default (advice nobody asked for) are enabled in configuration. */
  enabledByDefault: boolean;
  /** The model problem kinds this rule reports; each kind has exactly one owner. */
  owns?: readonly ProblemKind[];
  docs: RuleDocs;
}

export interface Report {
  span: Span;
  message: string;
  /** What to do about it (shown on its own line). */
  help?: string;
  /** The exact error text buildx or the API server gives for this input (shown on its own line). */
  upstream?: string;
  /** Who prints `upstream` when it is not buildx. */
  upstreamFrom?: 'kubernetes' | 'docker';
  /** Overrides the rule's default severity for this finding (e.g. a warning-level variant). */
  severity?: Severity;
  related?: RelatedInfo[];
  fix?: Fix;
}

export interface RuleContext {
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  check?(model: FileModel, ctx: RuleContext): void;
  /** Turns one problem of an owned kind into a report, or null to stay quiet; without it the problem is reported as it is. */
  onProblem?(problem: ModelProblem<ProblemKind>, model: FileModel): Report | null;
}

/** reportOf is a problem reported as the model phrased it. */
export function reportOf(p: ModelProblem): Report {
  const r: Report = { span: p.span, message: p.message };
  if (p.help) r.help = p.help;
  if (p.upstream) r.upstream = p.upstream;
  if (p.upstreamFrom) r.upstreamFrom = p.upstreamFrom;
  if (p.severity) r.severity = p.severity;
  return r;
}

/** problemOwners maps each owned kind to its rule; a kind claimed by two rules is a programming error. */
export function problemOwners(rules: readonly Rule[]): Map<ProblemKind, Rule> {
  const owners = new Map<ProblemKind, Rule>();
  for (const rule of rules) {
    for (const kind of rule.meta.owns ?? []) {
      const other = owners.get(kind);
      if (other) throw new Error(`problem kind "${kind}" is owned by both ${other.meta.code} and ${rule.meta.code}`);
      owners.set(kind, rule);
    }
  }
  return owners;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** Messages quote decoded text; a run-time part shows as `…`, never as an invisible placeholder. */
function readable(text: string): string {
  return text.includes(DYNAMIC) ? text.split(DYNAMIC).join('…') : text;
}

export function toDiagnostic(meta: RuleMeta, r: Report): Diagnostic {
  const d: Diagnostic = {
    span: r.span,
    severity: r.severity ?? meta.severity,
    code: meta.code,
    name: meta.name,
    message: readable(r.message),
  };
  if (r.help) d.help = readable(r.help);
  if (r.upstream) d.upstream = r.upstream;
  if (r.upstreamFrom) d.upstreamFrom = r.upstreamFrom;
  if (r.related?.length) d.related = r.related;
  if (r.fix) d.fix = r.fix;
  return d;
}
