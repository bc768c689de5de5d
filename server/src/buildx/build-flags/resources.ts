/**
 * `--resource`, `--shm-size`: buildx `build/build.go` resource limits, go-units RAMInBytes.
 */
import type { MappedString } from '../../core/mapped-string';
import { parseInt10, ramInBytes } from '../goparse';
import { closest } from '../platform';
import { type Problem, type Parsed, problem, whole, dyn, q, pflagErr } from './problem';

export const RESOURCES_PROBLEM_KINDS = ['resource-cpuset-syntax', 'resource-invalid', 'resource-invalid-value', 'resource-unknown', 'shm-size-invalid'] as const;
export type ResourcesProblemKind = (typeof RESOURCES_PROBLEM_KINDS)[number];

export interface ResourceSpec {
  key: string;
  value: string;
  bytes?: number;
}

const RESOURCE_KEYS = ['memory', 'memory-swap', 'cpu-shares', 'cpu-period', 'cpu-quota', 'cpuset-cpus', 'cpuset-mems'];

export function parseResource(v: MappedString): Parsed<ResourceSpec> {
  const problems: Problem[] = [];
  if (dyn(v) && !v.text.includes('=')) return { value: null, problems };
  const eq = v.text.indexOf('=');
  if (eq < 0) {
    problems.push(
      whole('resource-invalid', 'error', v, `--resource ${q(v.text)} has no "="; expected key=value (memory=2g, cpu-shares=512…); buildx: invalid resource ${q(v.text)}, expected key=value`),
    );
    return { value: null, problems };
  }
  const key = v.text.slice(0, eq).trim();
  const val = v.text.slice(eq + 1).trim();
  if (dyn(key)) return { value: null, problems };
  if (!RESOURCE_KEYS.includes(key)) {
    const sug = closest(key, RESOURCE_KEYS);
    problems.push(
      problem(
        'resource-unknown',
        'error',
        v,
        0,
        eq,
        `--resource key ${q(key)} is unknown; expected ${RESOURCE_KEYS.join(', ')}${sug ? ` (did you mean ${q(sug)}?)` : ''}; buildx: unknown resource ${q(key)}`,
        sug ? { suggestion: sug } : undefined,
      ),
    );
    return { value: null, problems };
  }
  const out: ResourceSpec = { key, value: val };
  if (dyn(val)) return { value: out, problems };
  const badValue = (what: string, cause: string) => {
    problems.push(problem('resource-invalid-value', 'error', v, eq + 1, v.text.length, `--resource ${key} value ${q(val)} ${what}; buildx: invalid value ${q(val)} for resource ${key}: ${cause}`));
    return { value: null, problems };
  };
  if (key === 'memory' || (key === 'memory-swap' && val !== '-1')) {
    const r = ramInBytes(val);
    if (!r.ok) return badValue('is not a size (e.g. 512m, 2g)', r.error);
    out.bytes = r.value;
  } else if (key === 'memory-swap') {
    out.bytes = -1;
  } else if (key.startsWith('cpu-')) {
    const r = parseInt10(val, 64);
    if (!r.ok) return badValue('is not an integer', r.error);
  } else if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(val)) {
    problems.push(
      problem(
        'resource-cpuset-syntax',
        'warning',
        v,
        eq + 1,
        v.text.length,
        `--resource ${key} value ${q(val)} is not a CPU/memory-node list like 0-3 or 0,1; buildx passes it on and the daemon rejects it`,
      ),
    );
  }
  return { value: out, problems };
}

export function parseShmSize(v: MappedString): Parsed<number> {
  const problems: Problem[] = [];
  if (dyn(v)) return { value: null, problems };
  const r = ramInBytes(v.text);
  if (!r.ok) {
    problems.push(
      whole(
        'shm-size-invalid',
        'error',
        v,
        `--shm-size ${q(v.text)} is not a size; expected a number with an optional unit (b, k, m, g, t, p), e.g. 2g; buildx: ${pflagErr('--shm-size', v.text, r.error)}`,
      ),
    );
    return { value: null, problems };
  }
  return { value: r.value, problems };
}
