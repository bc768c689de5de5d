/**
 * A problem is what a model (host reader, shell parser, argv extractor, value parser) finds wrong
 * with its input, before any rule decides how to report it. Each model declares its own `kind`
 * union next to the code that emits it; `buildx/problems.ts` joins them, and the engine hands every
 * problem to the one rule whose metadata `owns` its kind.
 */
import type { Severity } from './diagnostic';
import type { Span } from './span';

export interface Problem<K extends string = string> {
  kind: K;
  span: Span;
  /** A short statement of the problem (one sentence). */
  message: string;
  /** What to do about it. */
  help?: string;
  /** The exact error text buildx (or the Kubernetes API server, or the Docker daemon) gives for this input. */
  upstream?: string;
  /** Who gives `upstream` when it is not buildx itself. */
  upstreamFrom?: UpstreamFrom;
  severity?: Severity;
  /** Facts a rule needs to build a fix or a related location (suggested spelling, field span, …). */
  data?: Record<string, unknown>;
}

export type UpstreamFrom = 'kubernetes' | 'docker';

const UPSTREAM_TAIL = /(?:; |(?<=\?) )(buildx|kubernetes|docker): /;

/**
 * splitMessage turns a one-line message written as `what; advice; buildx: error` into its three
 * parts. The advice is the last clause when it tells the reader what to do. Model code writes its
 * messages in that order so the split is predictable.
 */
export function splitMessage(text: string): { message: string; help?: string; upstream?: string; upstreamFrom?: UpstreamFrom } {
  let rest = text;
  let upstream: string | undefined;
  let from: UpstreamFrom | undefined;
  const m = UPSTREAM_TAIL.exec(rest);
  if (m) {
    upstream = rest.slice(m.index + m[0].length);
    rest = rest.slice(0, m.index);
    if (m[1] !== 'buildx') from = m[1] as UpstreamFrom;
  }
  let help: string | undefined;
  // The advice starts at the first clause that tells the reader what to do, and runs to the end.
  const clauses = rest.split('; ');
  const at = clauses.findIndex((c, i) => i > 0 && ADVICE.test(c));
  if (at > 0) {
    help = clauses.slice(at).join('; ');
    rest = clauses.slice(0, at).join('; ');
  }
  const out: { message: string; help?: string; upstream?: string; upstreamFrom?: UpstreamFrom } = { message: rest };
  if (help) out.help = help;
  if (upstream) out.upstream = upstream;
  if (from) out.upstreamFrom = from;
  return out;
}

const ADVICE =
  /^(?:write|use|remove|quote|add|expected|did you mean|set|make|configure|name|pass|give|drop|put|move|omit|leave|rename|join|split|either|for 64-bit|if |to |run|check|create|choose|list|escape|replace|keep)\b/;
