/**
 * `--allow`: buildx `util/buildflags/entitlements.go` (ParseEntitlements).
 */
import { type MappedString, sliceMapped } from '../../core/mapped-string';
import { closest } from '../platform';
import { type Problem, type Parsed, problem, whole, dyn, q, show, csvFields, kvOf } from './problem';

export const ENTITLEMENTS_PROBLEM_KINDS = ['allow-device-config', 'allow-local-delete-value', 'allow-unknown'] as const;
export type EntitlementsProblemKind = (typeof ENTITLEMENTS_PROBLEM_KINDS)[number];

export function parseAllow(v: MappedString): Parsed<{ entitlement: string; device?: string }> {
  const problems: Problem[] = [];
  if (v.text === '' || dyn(v)) return { value: null, problems };
  const t = v.text;
  if (t === 'network.host' || t === 'security.insecure' || t === 'buildx.local.delete' || t === 'device') return { value: { entitlement: t }, problems };
  if (t.startsWith('buildx.local.delete=')) {
    problems.push(
      whole('allow-local-delete-value', 'error', v, `--allow ${q(t)}: buildx.local.delete takes no value; write --allow=buildx.local.delete; buildx: buildx.local.delete does not accept a value`),
    );
    return { value: null, problems };
  }
  if (t.startsWith('device=')) {
    const rest = sliceMapped(v, 'device='.length);
    const fields = csvFields(rest, 'allow-device-config', '--allow device', problems);
    if (!fields) return { value: null, problems };
    for (const f of fields.slice(1)) {
      const kv = kvOf(f);
      if (kv.value === null) {
        problems.push(
          problem(
            'allow-device-config',
            'error',
            rest,
            f.from,
            f.to,
            `--allow device option ${q(f.value.text)} is not key=value; expected device=<name>[,alias=<alias>]; buildx: invalid device config ${q(f.value.text)}`,
          ),
        );
        return { value: null, problems };
      }
      if (kv.key.text !== 'alias') {
        problems.push(
          problem(
            'allow-device-config',
            'error',
            rest,
            f.from,
            f.from + kv.key.text.length,
            `--allow device option ${q(kv.key.text)} is unknown; only alias= is supported; buildx: unknown device config key ${q(kv.key.text)}`,
          ),
        );
        return { value: null, problems };
      }
    }
    return { value: { entitlement: 'device', device: fields[0]?.value.text }, problems };
  }
  const known = ['network.host', 'security.insecure', 'buildx.local.delete', 'device'];
  const sug = closest(t, known, 3);
  problems.push(
    whole(
      'allow-unknown',
      'error',
      v,
      `--allow ${q(t)} is not an entitlement; expected ${known.join(', ')}${sug ? ` (did you mean ${q(sug)}?)` : ''}; buildx: unknown entitlement ${show(t)}`,
      sug ? { suggestion: sug } : undefined,
    ),
  );
  return { value: null, problems };
}
