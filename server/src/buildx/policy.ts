/**
 * `docker buildx build --policy` as buildx reads it: each value is one CSV record of `key=value`
 * fields (util/buildflags/policy.go `ParsePolicyConfig` at buildx 461836ba0), then all values
 * together must not mix `disabled=true` with anything else (build/build.go `withPolicyConfig`).
 */
import { DYNAMIC, type MappedString, spanOf } from '../core/mapped-string';
import type { Span } from '../core/span';
import { parseCsvRecord } from './csv';
import { parseBool } from './goparse';

export interface PolicyConfig {
  files: number;
  reset: boolean;
  disabled: boolean;
  strict: boolean | null;
  logLevel: string | null;
}

export interface PolicyProblem {
  span: Span;
  /** buildx's own error text. */
  upstream: string;
  kind: 'field' | 'disabled-combined';
}

/** logrus.ParseLevel's accepted names (lower-cased input). */
const LOG_LEVELS = new Set(['panic', 'fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace']);

/** parsePolicyValue returns the config, null when a dynamic part hides it, or the first problem. */
export function parsePolicyValue(value: MappedString): { config: PolicyConfig | null; problem: PolicyProblem | null } {
  if (value.text.includes(DYNAMIC)) return { config: null, problem: null };
  const csv = parseCsvRecord(value);
  if (csv.error) {
    return { config: null, problem: { kind: 'field', span: spanOf(value, csv.error.index, csv.error.index + 1), upstream: csv.error.message } };
  }
  const cfg: PolicyConfig = { files: 0, reset: false, disabled: false, strict: null, logLevel: null };
  for (const f of csv.fields) {
    const field = f.value.text;
    const span = f.value.text.length ? spanOf(f.value) : spanOf(value, f.from, f.to);
    const bad = (why?: string): { config: null; problem: PolicyProblem } => ({
      config: null,
      problem: { kind: 'field', span, upstream: `invalid value ${field}${why ? `: ${why}` : ''}` },
    });
    const eq = field.indexOf('=');
    if (eq < 0) return bad();
    const key = field.slice(0, eq).toLowerCase().trim();
    const v = field.slice(eq + 1);
    switch (key) {
      case 'filename':
        if (v === '') return bad();
        cfg.files++;
        break;
      case 'reset':
      case 'disabled':
      case 'strict': {
        const b = parseBool(v);
        if (!b.ok) return bad(b.error);
        if (key === 'reset') cfg.reset = b.value;
        else if (key === 'disabled') cfg.disabled = b.value;
        else cfg.strict = b.value;
        break;
      }
      case 'log-level':
        if (!LOG_LEVELS.has(v.toLowerCase())) return bad(`not a valid logrus Level: ${JSON.stringify(v)}`);
        cfg.logLevel = v.toLowerCase();
        break;
      default:
        return bad();
    }
  }
  return { config: cfg, problem: null };
}

/**
 * policyProblems checks every `--policy` value of one build, then the combination rule. A value
 * hidden by a run-time expansion makes the combination unknown, so it is not judged.
 */
export function policyProblems(values: { value: MappedString; span: Span }[]): PolicyProblem[] {
  const out: PolicyProblem[] = [];
  const configs: { config: PolicyConfig; span: Span }[] = [];
  let unknown = false;
  for (const v of values) {
    const r = parsePolicyValue(v.value);
    if (r.problem) out.push(r.problem);
    if (r.config) configs.push({ config: r.config, span: v.span });
    else unknown = true;
  }
  if (out.length || unknown) return out;
  const disabled = configs.find((c) => c.config.disabled);
  if (!disabled) return out;
  const c = disabled.config;
  if (c.reset || c.strict !== null || c.logLevel !== null || c.files > 0 || configs.length > 1) {
    out.push({ kind: 'disabled-combined', span: disabled.span, upstream: 'disabled policy cannot be combined with other policy flags' });
  }
  return out;
}
