/**
 * Shared plumbing for the rules that report driver-option problems: each such rule is its
 * metadata plus the list of problem kinds (from buildx/driver-opts.ts and buildx/kubernetes.ts)
 * it owns. A test checks that every kind the model can emit is owned by exactly one rule.
 */
import type { CreateModel, FileModel } from '../buildx/model';
import type { DriverOptProblem } from '../buildx/driver-opts';
import type { Report, RuleContext } from './rule';
import { type Span, spansOverlap } from '../core/span';
import type { FlagOccurrence } from '../extract/invocation';

export function forEachDriverOptProblem(
  model: FileModel,
  owns: (p: DriverOptProblem) => boolean,
  visit: (p: DriverOptProblem, create: CreateModel) => Report | null,
  ctx: RuleContext,
): void {
  for (const c of model.creates) {
    if (!c.driverOpts) continue;
    for (const p of c.driverOpts.problems) {
      if (!owns(p)) continue;
      const r = visit(p, c);
      if (r) ctx.report(r);
    }
  }
}

/** plainReport passes the model's own message through. */
export function plainReport(p: DriverOptProblem): Report {
  return { span: p.span, message: p.message, severity: p.severity };
}

/** buildxText is the part of a model message after `buildx: `, i.e. what buildx prints. */
export function buildxText(message: string): string | null {
  const i = message.lastIndexOf('buildx: ');
  return i >= 0 ? message.slice(i + 'buildx: '.length) : null;
}

/** driverOptFlagAt is the `--driver-opt` occurrence whose value holds `span`. */
export function driverOptFlagAt(create: CreateModel, span: Span): FlagOccurrence | undefined {
  return create.driverOptFlags.find((f) => f.value && f.valueSpan && spansOverlap(f.valueSpan, span));
}
