/**
 * `--cache-from` / `--cache-to`: buildx `util/buildflags/cache.go` (ParseCacheEntry).
 */
import type { Span } from '../../core/span';
import { type MappedString, spanOf } from '../../core/mapped-string';
import type { CsvField } from '../csv';
import { closest } from '../platform';
import { type Problem, type Parsed, problem, whole, dyn, q, show, csvFields, kvOf } from './problem';

export const CACHE_PROBLEM_KINDS = ['cache-csv', 'cache-empty-ref', 'cache-invalid-field', 'cache-missing-type', 'cache-unknown-type'] as const;
export type CacheProblemKind = (typeof CACHE_PROBLEM_KINDS)[number];

export interface CacheEntry {
  type: string | null;
  attrs: Record<string, string>;
  span: Span;
}

const KNOWN_CACHES = ['registry', 'local', 'inline', 'gha', 's3', 'azblob'];

function cacheEntry(v: MappedString, fields: CsvField[], problems: Problem[], flag: string): CacheEntry | null {
  const e: CacheEntry = { type: null, attrs: {}, span: spanOf(v) };
  if (fields.length === 1 && !fields[0].value.text.includes('=')) {
    e.type = 'registry';
    e.attrs.ref = fields[0].value.text;
    return e;
  }
  let typed = false;
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
          'cache-invalid-field',
          'error',
          v,
          f.from,
          f.to,
          `${flag} field ${q(f.value.text)} has no "=": expected key=value (type=…, ref=…, dest=…); buildx: invalid value ${show(f.value.text)}`,
        ),
      );
      return null;
    }
    if (dyn(kv.key)) {
      unknown = true;
      continue;
    }
    const key = kv.key.text.toLowerCase();
    if (key === 'type') {
      typed = true;
      e.type = dyn(kv.value) ? null : kv.value.text;
      if (e.type !== null && !KNOWN_CACHES.includes(e.type)) {
        const sug = closest(e.type, KNOWN_CACHES);
        problems.push(
          problem(
            'cache-unknown-type',
            'warning',
            v,
            f.from + (f.quoted ? 1 : 0) + 5,
            f.to - (f.quoted ? 1 : 0),
            `${flag} type ${q(e.type)} is not a cache backend BuildKit ships (${KNOWN_CACHES.join(', ')})` + (sug ? `; did you mean ${q(sug)}?` : ''),
            sug ? { suggestion: sug } : undefined,
          ),
        );
      }
    } else {
      e.attrs[key] = kv.value.text;
    }
  }
  if (!typed && !unknown) {
    problems.push(whole('cache-missing-type', 'error', v, `${flag} ${q(v.text)} has key=value fields but no "type="; expected e.g. type=registry,ref=<image>; buildx: type required for ${q(v.text)}`));
    return null;
  }
  return e;
}

export function parseCache(v: MappedString, flag: 'cache-from' | 'cache-to' = 'cache-from'): Parsed<CacheEntry[]> {
  const problems: Problem[] = [];
  const name = `--${flag}`;
  if (v.text === '') return { value: null, problems };
  if (!v.text.includes('=')) {
    if (dyn(v)) return { value: [], problems };
    // Ref-only list: every CSV field is re-parsed as its own entry.
    const fields = csvFields(v, 'cache-csv', name, problems);
    if (!fields) return { value: null, problems };
    const out: CacheEntry[] = [];
    for (const f of fields) {
      if (f.value.text === '') {
        problems.push(
          problem(
            'cache-empty-ref',
            'error',
            v,
            f.from,
            Math.min(f.to + 1, v.text.length),
            `${name} ${q(v.text)} has an empty image reference in its comma-separated list (a doubled or trailing comma); buildx: EOF`,
          ),
        );
        return { value: null, problems };
      }
      const sub = csvFields(f.value, 'cache-csv', name, problems);
      if (!sub) return { value: null, problems };
      const e = cacheEntry(f.value, sub, problems, name);
      if (!e) return { value: null, problems };
      out.push(e);
    }
    return { value: out, problems };
  }
  const fields = csvFields(v, 'cache-csv', name, problems);
  if (!fields) return { value: null, problems };
  const e = cacheEntry(v, fields, problems, name);
  return { value: e ? [e] : null, problems };
}
