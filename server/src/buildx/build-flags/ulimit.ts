/**
 * `--ulimit`: buildx `util/buildflags/ulimit.go`, docker/go-units ParseUlimit.
 */
import type { MappedString } from '../../core/mapped-string';
import { parseInt10 } from '../goparse';
import { closest } from '../platform';
import { type Problem, type Parsed, problem, dyn, q, pflagErr } from './problem';

export const ULIMIT_PROBLEM_KINDS = ['ulimit-invalid'] as const;
export type UlimitProblemKind = (typeof ULIMIT_PROBLEM_KINDS)[number];

export interface UlimitSpec {
  name: string;
  soft: bigint;
  hard: bigint;
}

const ULIMIT_NAMES = ['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'];

export function parseUlimit(v: MappedString): Parsed<UlimitSpec> {
  const problems: Problem[] = [];
  if (dyn(v)) return { value: null, problems };
  const fail = (what: string, cause: string, from = 0, to = v.text.length, data?: Record<string, unknown>): Parsed<UlimitSpec> => {
    problems.push(problem('ulimit-invalid', 'error', v, from, to, `--ulimit ${q(v.text)} ${what}; buildx: ${pflagErr('--ulimit', v.text, cause)}`, data));
    return { value: null, problems };
  };
  const eq = v.text.indexOf('=');
  if (eq < 0) return fail('has no "="; expected name=soft[:hard], e.g. nofile=1024:2048', `invalid ulimit argument: ${v.text}`);
  const name = v.text.slice(0, eq);
  if (!ULIMIT_NAMES.includes(name)) {
    const sug = closest(name, ULIMIT_NAMES);
    return fail(
      `names an unknown limit ${q(name)}; expected one of ${ULIMIT_NAMES.join(', ')}${sug ? ` (did you mean ${q(sug)}?)` : ''}`,
      `invalid ulimit type: ${name}`,
      0,
      eq,
      sug ? { suggestion: sug } : undefined,
    );
  }
  const rest = v.text.slice(eq + 1);
  const vals = rest.split(':');
  if (vals.length > 2) return fail('has more than two limit values; expected soft[:hard]', `too many limit value arguments - ${rest}, can only have up to two, \`soft[:hard]\``, eq + 1);
  let hard: bigint | null = null;
  if (vals.length === 2) {
    const h = parseInt10(vals[1], 64);
    if (!h.ok) return fail(`has a hard limit ${q(vals[1])} that is not an integer`, h.error, eq + 2 + vals[0].length);
    hard = h.value;
  }
  const s = parseInt10(vals[0], 64);
  if (!s.ok) return fail(`has a soft limit ${q(vals[0])} that is not an integer`, s.error, eq + 1, eq + 1 + vals[0].length);
  const soft = s.value;
  const h = hard ?? soft;
  if (h !== -1n) {
    if (soft === -1n) return fail('sets an unlimited soft limit above a finite hard limit', `ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: ${h}`, eq + 1);
    if (soft > h) return fail('has a soft limit above its hard limit', `ulimit soft limit must be less than or equal to hard limit: ${soft} > ${h}`, eq + 1);
  }
  return { value: { name, soft, hard: h }, problems };
}
