/**
 * Every problem the file model can report, in one list. Each model declares its own kinds next to
 * the code that emits them; this module joins them so the engine can route each problem to the one
 * rule that owns its kind (`RuleMeta.owns`), and a test can prove every kind has exactly one owner.
 *
 * Not here: the builder-graph findings (buildx/builder-graph.ts), which their rules read directly.
 */
import { HOST_PROBLEM_KINDS } from '../hosts/region';
import { SHELL_PROBLEM_KINDS } from '../shell/ast';
import { INVOCATION_PROBLEM_KINDS } from '../extract/invocation';
import { DRIVER_OPT_PROBLEM_KINDS } from './driver-opt-entry';
import { KUBERNETES_PROBLEM_KINDS } from './kubernetes';
import { PLATFORM_PROBLEM_KINDS, analysePlatforms } from './platform-problems';
import { BUILD_FLAG_PROBLEM_KINDS, analyseBuildFlags } from './build-flags/index';
import type { FileModel } from './model';
import type { ModelProblem } from './model-problem';

export const PROBLEM_KINDS = [
  ...HOST_PROBLEM_KINDS,
  ...SHELL_PROBLEM_KINDS,
  ...INVOCATION_PROBLEM_KINDS,
  ...DRIVER_OPT_PROBLEM_KINDS,
  ...KUBERNETES_PROBLEM_KINDS,
  ...PLATFORM_PROBLEM_KINDS,
  ...BUILD_FLAG_PROBLEM_KINDS,
] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

export type { ModelProblem };

/**
 * collectProblems lists the problems of every model layer, in pipeline order. Invocation problems
 * carry pflag's own error text as `message`; their rules phrase it.
 */
export function collectProblems(model: FileModel): ModelProblem<ProblemKind>[] {
  const out: ModelProblem<ProblemKind>[] = [];
  for (const p of model.hostProblems) out.push({ kind: p.kind ?? 'host-structure', span: p.span, message: p.message, severity: p.severity });
  for (const e of model.syntaxErrors) out.push({ kind: 'shell-syntax', span: e.span, message: e.message });
  for (const inv of model.invocations) {
    for (const p of inv.problems) out.push({ kind: p.kind, span: p.span, message: p.message, inv });
  }
  for (const create of model.creates) {
    const found = create.driverOpts?.problems;
    if (!found) continue;
    // Field by field, in the shape driverOptProblem gives: a spread copied each by a slow path.
    for (const p of found) {
      out.push({ kind: p.kind, span: p.span, message: p.message, help: p.help, upstream: p.upstream, upstreamFrom: p.upstreamFrom, severity: p.severity, data: p.data, inv: create.inv, create });
    }
  }
  for (const p of analysePlatforms(model).findings) out.push(p);
  for (const p of analyseBuildFlags(model)) out.push(p as ModelProblem<ProblemKind>);
  return out;
}
