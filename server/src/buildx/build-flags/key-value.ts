/**
 * `--build-arg`, `--label`: buildx `commands/build.go` (listToMap) and the BUILDKIT_SYNTAX build argument.
 */
import { type MappedString, splitFirst } from '../../core/mapped-string';
import { type Problem, type Parsed, whole, dyn, q, show } from './problem';

export const KEY_VALUE_PROBLEM_KINDS = ['build-arg-empty-key', 'build-arg-from-env', 'buildkit-syntax-empty', 'label-empty-key'] as const;
export type KeyValueProblemKind = (typeof KEY_VALUE_PROBLEM_KINDS)[number];

export interface KeyValueSpec {
  key: string;
  /** null: build-arg taken from the environment (dropped when unset). */
  value: string | null;
}

export function parseKeyValue(v: MappedString, flag: 'build-arg' | 'label'): Parsed<KeyValueSpec> {
  const problems: Problem[] = [];
  const [k, val] = splitFirst(v, '=');
  if (k.text === '') {
    problems.push(whole(`${flag}-empty-key`, 'error', v, `--${flag} ${q(v.text)} has an empty name; expected NAME=value; buildx: invalid key-value pair ${q(v.text)}: empty key`));
    return { value: null, problems };
  }
  if (dyn(k)) return { value: { key: k.text, value: val ? val.text : null }, problems };
  if (flag === 'build-arg') {
    if (val === null) {
      problems.push(
        whole('build-arg-from-env', 'info', v, `--build-arg ${q(v.text)} has no "=": buildx takes the value of the environment variable ${show(k.text)} and drops the build-arg when it is unset`),
      );
    } else if (k.text === 'BUILDKIT_SYNTAX' && val.text.trim() === '') {
      problems.push(
        whole(
          'buildkit-syntax-empty',
          'error',
          v,
          `--build-arg BUILDKIT_SYNTAX is set to an empty value; buildx: empty BUILDKIT_SYNTAX build-arg is invalid, use --build-arg BUILDKIT_SYNTAX without '=' for optional behavior`,
        ),
      );
      return { value: null, problems };
    }
  }
  return { value: { key: k.text, value: val ? val.text : flag === 'label' ? '' : null }, problems };
}
