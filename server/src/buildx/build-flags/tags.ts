/**
 * `-t` / `--tag`: buildx `build/build.go` (toSolveOpt) validating each name with distribution/reference.
 */
import type { MappedString } from '../../core/mapped-string';
import { type Problem, type Parsed, problem, dyn, q } from './problem';
import { parseNormalizedNamed, type Reference } from './reference';

export const TAGS_PROBLEM_KINDS = ['tag-invalid'] as const;
export type TagsProblemKind = (typeof TAGS_PROBLEM_KINDS)[number];

/**
 * A name distribution/reference accepts without a domain part, port or digest: lower-case path
 * components joined by its separators, then an optional tag. Every text this matches parses:
 * it is a docker.io path, or (a first component with a `.`) a domain followed by a path, and
 * both readings match distribution's grammar as path components; the length stays far below
 * the 255-character limit even with `docker.io/library/` in front.
 */
const PLAIN_NAME = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?$/;

/** parseTag's problems; a plain name is known to have none without building its reference. */
export function tagProblems(v: MappedString): Problem[] {
  const t = v.text;
  if (t.length <= 200 && !(t.length === 64 && /^[a-f0-9]+$/.test(t)) && PLAIN_NAME.test(t)) return [];
  return parseTag(v).problems;
}

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
