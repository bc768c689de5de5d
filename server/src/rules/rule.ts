/**
 * The rule contract. A rule is metadata (code, name, severity, docs) plus one small function that
 * looks at the file model and reports. Rules never see LSP or CLI types.
 */
import type { Diagnostic, RelatedInfo, Severity } from '../core/diagnostic';
import type { Fix } from '../core/fix';
import type { Span } from '../core/span';
import { DYNAMIC } from '../core/mapped-string';
import type { FileModel } from '../buildx/model';

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
}

export interface RuleMeta {
  code: string;
  name: string;
  summary: string;
  severity: Severity;
  fixable: Fixability;
  /** Rules off by default (advice nobody asked for) are enabled in configuration. */
  enabledByDefault: boolean;
  docs: RuleDocs;
}

export interface Report {
  span: Span;
  message: string;
  /** What to do about it (shown on its own line). */
  help?: string;
  /** The exact error text buildx or the API server gives for this input (shown on its own line). */
  upstream?: string;
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
  check(model: FileModel, ctx: RuleContext): void;
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
  if (r.related?.length) d.related = r.related;
  if (r.fix) d.fix = r.fix;
  return d;
}
