/**
 * `--build-context`: buildx `util/buildflags/context.go` and `commands/build.go` (parseContextNames).
 */
import type { Span } from '../../core/span';
import { type MappedString, spanOf, splitFirst } from '../../core/mapped-string';
import { type Problem, type Parsed, problem, whole, dyn, q, show } from './problem';
import { parseNormalizedNamed } from './reference';

export const CONTEXT_PROBLEM_KINDS = ['build-context-invalid', 'build-context-invalid-name'] as const;
export type ContextProblemKind = (typeof CONTEXT_PROBLEM_KINDS)[number];

export interface BuildContextSpec {
  name: string;
  value: string;
  span: Span;
}

export function parseBuildContext(v: MappedString): Parsed<BuildContextSpec> {
  const problems: Problem[] = [];
  if (v.text === '') return { value: null, problems };
  const [key, val] = splitFirst(v, '=');
  if (val === null) {
    if (dyn(v)) return { value: null, problems };
    problems.push(
      whole(
        'build-context-invalid',
        'error',
        v,
        `--build-context ${q(v.text)} has no "="; expected name=<path|url|docker-image://ref|target:stage|oci-layout://dir>; buildx: invalid context value: ${show(v.text)}, expected key=value`,
      ),
    );
    return { value: null, problems };
  }
  if (dyn(key)) return { value: { name: key.text, value: val.text, span: spanOf(v) }, problems };
  const r = parseNormalizedNamed(key.text);
  if (r.error) {
    const lower = r.error.includes('lowercase');
    problems.push(
      problem(
        'build-context-invalid-name',
        'error',
        v,
        0,
        key.text.length,
        `--build-context name ${q(key.text)} ${lower ? 'must be lower case (it is matched like an image name)' : 'is not a valid image-style name'}; buildx: invalid context name ${show(key.text)}: ${r.error}`,
      ),
    );
    return { value: null, problems };
  }
  const name = r.familiar!.replace(/:latest$/, '');
  return { value: { name, value: val.text, span: spanOf(v) }, problems };
}
