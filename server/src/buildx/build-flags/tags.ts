/**
 * `-t` / `--tag`: buildx `build/build.go` (toSolveOpt) validating each name with distribution/reference.
 */
import type { MappedString } from '../../core/mapped-string';
import { type Problem, type Parsed, problem, dyn, q } from './problem';
import { parseNormalizedNamed, type Reference } from './reference';

export const TAGS_PROBLEM_KINDS = ['tag-invalid'] as const;
export type TagsProblemKind = (typeof TAGS_PROBLEM_KINDS)[number];

export function parseTag(v: MappedString): Parsed<Reference> {
  const problems: Problem[] = [];
  if (dyn(v)) return { value: null, problems };
  const r = parseNormalizedNamed(v.text);
  if (r.error) {
    let from = 0;
    let to = v.text.length;
    let what = 'is not a valid image reference (expected [registry/]repository[:tag][@digest])';
    if (r.error.includes('must be lowercase')) {
      const upper = /[A-Z]/.exec(v.text.replace(/^[^/]*[.:][^/]*\//, (m) => ' '.repeat(m.length)).split(/[:@]/)[0]);
      what = 'has upper-case letters in the repository name; repositories must be lower case (tags may be mixed case)';
      if (upper) {
        const lastUpper = /[A-Z][^A-Z]*$/.exec(v.text.split(/[:@]/)[0]);
        from = upper.index;
        to = lastUpper ? lastUpper.index + 1 : from + 1;
      }
    } else if (v.text === '') {
      what = 'is empty';
    } else if (/\s/.test(v.text)) {
      what = 'contains whitespace';
    }
    problems.push(problem('tag-invalid', 'error', v, from, to, `tag ${q(v.text)} ${what}; buildx: invalid tag ${q(v.text)}: ${r.error}`));
    return { value: null, problems };
  }
  return { value: r.ref, problems };
}
