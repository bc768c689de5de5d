/**
 * `--annotation`: buildx `util/buildflags/annotations.go` (ParseAnnotations).
 */
import { type MappedString, sliceMapped, splitFirst } from '../../core/mapped-string';
import { closest, parsePlatformSpec } from '../platform';
import { type Problem, type Parsed, problem, whole, dyn, q, show } from './problem';

export const ANNOTATIONS_PROBLEM_KINDS = [
  'annotation-index-platform-dropped',
  'annotation-invalid',
  'annotation-invalid-platform',
  'annotation-invalid-type',
  'annotation-key-whitespace',
  'annotation-unknown-type',
] as const;
export type AnnotationsProblemKind = (typeof ANNOTATIONS_PROBLEM_KINDS)[number];

export interface AnnotationSpec {
  types: string[];
  platform: string | null;
  key: string;
  value: string;
}

const ANNOTATION_TYPE_RE = /^([a-z-]+)(?:\[([A-Za-z0-9_/-]+)\])?$/;
const ANNOTATION_TYPES = ['index', 'index-descriptor', 'manifest', 'manifest-descriptor'];

export function parseAnnotation(v: MappedString): Parsed<AnnotationSpec[]> {
  const problems: Problem[] = [];
  if (v.text === '') return { value: null, problems };
  const [k, val] = splitFirst(v, '=');
  if (val === null) {
    if (dyn(v)) return { value: null, problems };
    problems.push(
      whole(
        'annotation-invalid',
        'error',
        v,
        `--annotation ${q(v.text)} has no "="; expected [type[,type…]:]key=value; buildx: parse annotations: invalid annotation ${q(v.text)}, expected key=value`,
      ),
    );
    return { value: null, problems };
  }
  if (dyn(k)) return { value: [], problems };
  const colon = k.text.indexOf(':');
  if (colon < 0) {
    checkAnnotationKey(v, k, 0, problems);
    return { value: [{ types: [], platform: null, key: k.text, value: val.text }], problems };
  }
  const typesPart = sliceMapped(k, 0, colon);
  const key = sliceMapped(k, colon + 1);
  const out: AnnotationSpec[] = [];
  let off = 0;
  for (const t of typesPart.text.split(',')) {
    const m = ANNOTATION_TYPE_RE.exec(t);
    const from = off;
    const to = off + t.length;
    off = to + 1;
    if (!m) {
      problems.push(
        problem(
          'annotation-invalid-type',
          'error',
          v,
          from,
          to,
          `--annotation type ${q(t)} is not a type with an optional [platform]; a plain annotation key cannot contain ":" because the text before the first ":" is read as the type list` +
            `; buildx: parse annotations: invalid annotation type ${q(t)}, expected type and optional platform in square brackets`,
        ),
      );
      return { value: null, problems };
    }
    if (!ANNOTATION_TYPES.includes(m[1])) {
      const sug = closest(m[1], ANNOTATION_TYPES);
      const dotted = /[.]/.test(t);
      problems.push(
        problem(
          'annotation-unknown-type',
          'error',
          v,
          from,
          from + m[1].length,
          `--annotation type ${q(m[1])} is unknown; expected ${ANNOTATION_TYPES.join(', ')}${sug ? ` (did you mean ${q(sug)}?)` : ''}` +
            (dotted ? '' : '; a key containing ":" must be prefixed with its type, e.g. manifest:' + show(k.text)) +
            `; buildx: parse annotations: unknown annotation type ${q(m[1])}`,
          sug ? { suggestion: sug } : undefined,
        ),
      );
      return { value: null, problems };
    }
    let plat: string | null = null;
    if (m[2] !== undefined) {
      const p = parsePlatformSpec(m[2]);
      if (!p.platform) {
        problems.push(
          problem(
            'annotation-invalid-platform',
            'error',
            v,
            from + m[1].length + 1,
            to - 1,
            `--annotation platform ${q(m[2])} is not a valid platform; buildx: parse annotations: invalid platform ${q(m[2])}: ${p.error}`,
          ),
        );
        return { value: null, problems };
      }
      plat = m[2];
      if (m[1].startsWith('index')) {
        problems.push(
          problem('annotation-index-platform-dropped', 'info', v, from + m[1].length, to, `--annotation platform [${m[2]}] on an ${m[1]} annotation is ignored: an index covers all platforms`),
        );
      }
    }
    out.push({ types: [m[1]], platform: plat, key: key.text, value: val.text });
  }
  checkAnnotationKey(v, key, colon + 1, problems);
  return { value: out, problems };
}

function checkAnnotationKey(v: MappedString, key: MappedString, offset: number, problems: Problem[]): void {
  if (/\s/.test(key.text) || key.text === '') {
    problems.push(
      problem(
        'annotation-key-whitespace',
        'warning',
        v,
        offset,
        offset + key.text.length,
        `--annotation key ${q(key.text)} ${key.text === '' ? 'is empty' : 'contains whitespace'}; BuildKit only applies annotation keys without whitespace, so it is silently dropped`,
      ),
    );
  }
}
