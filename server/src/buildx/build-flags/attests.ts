/**
 * `--attest`, `--sbom`, `--provenance`: buildx `util/buildflags/attests.go` (ParseAttests).
 */
import type { Span } from '../../core/span';
import { type MappedString, spanOf } from '../../core/mapped-string';
import { parseBool } from '../goparse';
import { closest } from '../platform';
import { type Problem, type Parsed, problem, whole, dyn, q, show, csvFields, kvOf } from './problem';

export const ATTESTS_PROBLEM_KINDS = ['attest-csv', 'attest-invalid-disabled', 'attest-invalid-field', 'attest-missing-type', 'attest-unknown-type'] as const;
export type AttestsProblemKind = (typeof ATTESTS_PROBLEM_KINDS)[number];

export interface AttestSpec {
  type: string | null;
  disabled: boolean;
  attrs: Record<string, string>;
  source: 'attest' | 'sbom' | 'provenance';
  span: Span;
}

export function parseAttest(v: MappedString, source: 'attest' | 'sbom' | 'provenance' = 'attest'): Parsed<AttestSpec> {
  const problems: Problem[] = [];
  const flag = `--${source}`;
  const a: AttestSpec = { type: null, disabled: false, attrs: {}, source, span: spanOf(v) };
  if (source !== 'attest') {
    if (v.text === '') return { value: null, problems };
    a.type = source;
    const b = parseBool(v.text);
    if (b.ok) {
      a.disabled = !b.value;
      return { value: a, problems };
    }
    if (dyn(v) && !v.text.includes('=')) return { value: a, problems };
  }
  const fields = csvFields(v, 'attest-csv', flag, problems);
  if (!fields) return { value: null, problems };
  let unknown = false;
  for (const f of fields) {
    const kv = kvOf(f);
    if (kv.value === null) {
      if (dyn(f.value)) {
        unknown = true;
        continue;
      }
      problems.push(
        problem(
          'attest-invalid-field',
          'error',
          v,
          f.from,
          f.to,
          `${flag} field ${q(f.value.text)} has no "=": expected key=value (type=sbom, mode=max, disabled=true…); buildx: invalid value ${show(f.value.text)}`,
        ),
      );
      return { value: null, problems };
    }
    if (dyn(kv.key)) {
      unknown = true;
      continue;
    }
    const key = kv.key.text.trim().toLowerCase();
    if (key === 'type') {
      a.type = dyn(kv.value) ? null : kv.value.text;
      if (a.type !== null && a.type !== 'sbom' && a.type !== 'provenance') {
        const sug = closest(a.type, ['sbom', 'provenance']);
        problems.push(
          problem(
            'attest-unknown-type',
            'warning',
            v,
            f.from,
            f.to,
            `${flag} type ${q(a.type)} is not an attestation type BuildKit produces (sbom, provenance)${sug ? `; did you mean ${q(sug)}?` : ''}`,
            sug ? { suggestion: sug } : undefined,
          ),
        );
      }
    } else if (key === 'disabled') {
      if (dyn(kv.value)) continue;
      const b = parseBool(kv.value.text);
      if (!b.ok) {
        problems.push(
          problem(
            'attest-invalid-disabled',
            'error',
            v,
            f.from,
            f.to,
            `${flag} disabled=${q(kv.value.text)} is not a boolean; expected true or false; buildx: invalid value ${show(f.value.text)}: ${b.error}`,
          ),
        );
        return { value: null, problems };
      }
      a.disabled = b.value;
    } else {
      a.attrs[kv.key.text] = kv.value.text;
    }
  }
  if (
    a.type === null &&
    !unknown &&
    !fields.some((f) => {
      const k = kvOf(f);
      return k.value && k.key.text.trim().toLowerCase() === 'type';
    })
  ) {
    problems.push(whole('attest-missing-type', 'error', v, `${flag} ${q(v.text)} has no "type="; expected type=sbom or type=provenance; buildx: attestation type not specified`));
    return { value: null, problems };
  }
  return { value: a, problems };
}
