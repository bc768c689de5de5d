/**
 * `--secret`: buildx `util/buildflags/secrets.go` (ParseSecretSpecs).
 */
import type { Span } from '../../core/span';
import { type MappedString, spanOf } from '../../core/mapped-string';
import { closest } from '../platform';
import { type Problem, type Parsed, problem, whole, dyn, q, show, csvFields, kvOf } from './problem';

export const SECRETS_PROBLEM_KINDS = ['secret-csv', 'secret-invalid-field', 'secret-missing-id', 'secret-unknown-key', 'secret-unknown-type'] as const;
export type SecretsProblemKind = (typeof SECRETS_PROBLEM_KINDS)[number];

export interface SecretSpec {
  id: string;
  type: string;
  src: string;
  env: string;
  span: Span;
}

export function parseSecret(v: MappedString): Parsed<SecretSpec> {
  const problems: Problem[] = [];
  if (v.text === '') return { value: null, problems };
  const fields = csvFields(v, 'secret-csv', '--secret', problems, (m) => `failed to parse csv secret: ${m}`);
  if (!fields) return { value: null, problems };
  const s: SecretSpec = { id: '', type: '', src: '', env: '', span: spanOf(v) };
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
          'secret-invalid-field',
          'error',
          v,
          f.from,
          f.to,
          `--secret field ${q(f.value.text)} has no "=": expected id=<id>,src=<file> or id=<id>,env=<VAR>; buildx: invalid field '${show(f.value.text)}' must be a key=value pair`,
        ),
      );
      return { value: null, problems };
    }
    if (dyn(kv.key)) {
      unknown = true;
      continue;
    }
    const key = kv.key.text.toLowerCase();
    const val = kv.value.text;
    const vFrom = f.from + (f.quoted ? 1 : 0) + kv.key.text.length + 1;
    switch (key) {
      case 'type':
        if (!dyn(val) && val !== 'file' && val !== 'env') {
          const sug = closest(val, ['file', 'env']);
          problems.push(
            problem(
              'secret-unknown-type',
              'error',
              v,
              vFrom,
              f.to - (f.quoted ? 1 : 0),
              `--secret type ${q(val)} is not supported; expected file or env${sug ? ` (did you mean ${q(sug)}?)` : ''}; buildx: unsupported secret type ${q(val)}`,
            ),
          );
          return { value: null, problems };
        }
        s.type = val;
        break;
      case 'id':
        s.id = val;
        break;
      case 'source':
      case 'src':
        s.src = val;
        break;
      case 'env':
        s.env = val;
        break;
      default: {
        const sug = closest(key, ['type', 'id', 'src', 'source', 'env']);
        problems.push(
          problem(
            'secret-unknown-key',
            'error',
            v,
            f.from + (f.quoted ? 1 : 0),
            f.from + (f.quoted ? 1 : 0) + kv.key.text.length,
            `--secret key ${q(kv.key.text)} is unknown; expected type, id, src/source or env${sug ? ` (did you mean ${q(sug)}?)` : ''}; buildx: unexpected key '${show(kv.key.text)}' in '${show(v.text)}'`,
            sug ? { suggestion: sug } : undefined,
          ),
        );
        return { value: null, problems };
      }
    }
  }
  if (s.type === 'env' && s.env === '') {
    s.env = s.src;
    s.src = '';
  }
  if (s.id === '' && !unknown) {
    problems.push(whole('secret-missing-id', 'error', v, `--secret ${q(v.text)} has no id=; the Dockerfile mounts secrets by id (RUN --mount=type=secret,id=…); buildx: secret missing ID`));
  }
  return { value: s, problems };
}
