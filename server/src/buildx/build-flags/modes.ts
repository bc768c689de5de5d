/**
 * `--network`, `--progress`, `--call`, `--check`: buildx `commands/build.go` and `util/buildflags/printfunc.go` (ParsePrintFunc).
 */
import type { MappedString } from '../../core/mapped-string';
import { parseBool } from '../goparse';
import { closest } from '../platform';
import { type Problem, type Parsed, problem, whole, dyn, q, show, pflagErr, csvFields, kvOf } from './problem';

export const MODES_PROBLEM_KINDS = ['call-csv', 'call-invalid', 'call-unknown-method', 'check-invalid-bool', 'network-unsupported', 'progress-invalid'] as const;
export type ModesProblemKind = (typeof MODES_PROBLEM_KINDS)[number];

export function parseNetwork(v: MappedString): Parsed<string> {
  const problems: Problem[] = [];
  if (dyn(v) || ['', 'default', 'none', 'host'].includes(v.text)) return { value: v.text, problems };
  const sug = closest(v.text, ['default', 'none', 'host']);
  problems.push(
    whole(
      'network-unsupported',
      'error',
      v,
      `--network ${q(v.text)} is not supported by buildx build; expected default, none or host${sug ? ` (did you mean ${q(sug)}?)` : ''}; to use a custom network, create the builder with --driver-opt network=${show(v.text)}; buildx: network mode ${q(v.text)} not supported by buildkit - you can define a custom network for your builder using the network driver-opt in buildx create`,
    ),
  );
  return { value: null, problems };
}

export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'quiet', 'rawjson', 'none'];

export function parseProgress(v: MappedString): Parsed<string> {
  const problems: Problem[] = [];
  if (dyn(v) || PROGRESS_MODES.includes(v.text)) return { value: v.text, problems };
  const sug = closest(v.text, PROGRESS_MODES);
  problems.push(
    whole(
      'progress-invalid',
      'error',
      v,
      `--progress ${q(v.text)} is not a progress mode; expected ${PROGRESS_MODES.join(', ')}${sug ? ` (did you mean ${q(sug)}?)` : ''}; buildx: invalid progress mode ${show(v.text)}`,
      sug ? { suggestion: sug } : undefined,
    ),
  );
  return { value: null, problems };
}

export interface CallSpec {
  /** null means a normal build. */
  name: string | null;
  format: string;
  ignoreStatus: boolean;
}

const CALL_METHODS = ['build', 'check', 'lint', 'outline', 'targets', 'subrequests.describe'];

export function parseCall(v: MappedString): Parsed<CallSpec> {
  const problems: Problem[] = [];
  const spec: CallSpec = { name: null, format: '', ignoreStatus: false };
  if (v.text === '' || v.text === 'build' || dyn(v)) return { value: spec, problems };
  const fields = csvFields(v, 'call-csv', '--call', problems);
  if (!fields) return { value: null, problems };
  for (const f of fields) {
    const kv = kvOf(f);
    if (kv.value !== null) {
      if (kv.key.text === 'format') spec.format = kv.value.text;
      else if (kv.key.text === 'ignorestatus') {
        const b = parseBool(kv.value.text);
        if (!b.ok) {
          problems.push(
            problem('call-invalid', 'error', v, f.from, f.to, `--call ignorestatus=${q(kv.value.text)} is not a boolean; buildx: invalid ignorestatus print value: ${show(kv.value.text)}: ${b.error}`),
          );
          return { value: null, problems };
        }
        spec.ignoreStatus = b.value;
      } else {
        problems.push(
          problem(
            'call-invalid',
            'error',
            v,
            f.from,
            f.to,
            `--call field ${q(f.value.text)} is unknown; only format= and ignorestatus= may follow the method; buildx: invalid print field: ${show(f.value.text)}`,
          ),
        );
        return { value: null, problems };
      }
    } else {
      if (spec.name !== null) {
        problems.push(
          problem('call-invalid', 'error', v, f.from, f.to, `--call ${q(v.text)} names two methods (${q(spec.name)} and ${q(f.value.text)}); give one; buildx: invalid print value: ${show(v.text)}`),
        );
        return { value: null, problems };
      }
      spec.name = f.value.text === 'check' ? 'lint' : f.value.text;
      if (!dyn(f.value) && !CALL_METHODS.includes(f.value.text)) {
        const sug = closest(f.value.text, CALL_METHODS);
        problems.push(
          problem(
            'call-unknown-method',
            'warning',
            v,
            f.from,
            f.to,
            `--call method ${q(f.value.text)} is not one the Dockerfile frontend documents (check, outline, targets, subrequests.describe)${sug ? `; did you mean ${q(sug)}?` : ''}`,
            sug ? { suggestion: sug } : undefined,
          ),
        );
      }
    }
  }
  return { value: spec, problems };
}

/** parseCheck handles `--check=<bool>`: true means `--call=check`. */
export function parseCheck(v: MappedString): Parsed<boolean> {
  const problems: Problem[] = [];
  if (dyn(v)) return { value: null, problems };
  const b = parseBool(v.text);
  if (!b.ok) {
    problems.push(
      whole('check-invalid-bool', 'error', v, `--check=${q(v.text)} is not a boolean (the flag takes no value; use --check or --call=check); buildx: ${pflagErr('--check', v.text, b.error)}`),
    );
    return { value: null, problems };
  }
  return { value: b.value, problems };
}
