/**
 * `-o` / `--output`: buildx `util/buildflags/export.go` (ParseExports) and the exporter attributes of `build/build.go`.
 */
import type { Span } from '../../core/span';
import { type MappedString, spanOf } from '../../core/mapped-string';
import { parseBool } from '../goparse';
import { closest } from '../platform';
import { type Problem, type Parsed, problem, whole, dyn, q, show, csvFields, kvOf, fieldSpan } from './problem';

export const OUTPUT_PROBLEM_KINDS = [
  'output-csv',
  'output-dest-required',
  'output-dest-stdout',
  'output-invalid-field',
  'output-missing-type',
  'output-shorthand-trap',
  'output-unknown-type',
] as const;
export type OutputProblemKind = (typeof OUTPUT_PROBLEM_KINDS)[number];

export interface OutputSpec {
  /** Exporter type as buildx sees it (`registry` is already `image`); null if unknown (dynamic). */
  type: string | null;
  /** The type the user wrote (`registry` stays `registry`). */
  writtenType: string | null;
  dest: string | null;
  attrs: Record<string, string>;
  /** Written in the shorthand form (`-o ./dir`, `-o -`). */
  shorthand: boolean;
  /** The exporter writes to stdout. */
  toStdout: boolean;
  /** `type=docker` without a dest: loads into the Docker daemon. */
  loadsToDocker: boolean;
  /** image/registry output with push=true. */
  pushes: boolean;
  /** local or tar output (incompatible with --iidfile). */
  localOrTar: boolean;
  dynamic: boolean;
  span: Span;
}

const KNOWN_EXPORTERS = ['local', 'tar', 'oci', 'docker', 'image', 'registry', 'cacheonly'];

export function parseOutput(v: MappedString): Parsed<OutputSpec> {
  const problems: Problem[] = [];
  if (v.text === '') return { value: null, problems };
  const fields = csvFields(v, 'output-csv', 'output', problems);
  if (!fields) return { value: null, problems };
  const out: OutputSpec = {
    type: null,
    writtenType: null,
    dest: null,
    attrs: {},
    shorthand: false,
    toStdout: false,
    loadsToDocker: false,
    pushes: false,
    localOrTar: false,
    dynamic: false,
    span: spanOf(v),
  };
  if (fields.length === 1 && fields[0].value.text === v.text && !v.text.startsWith('type=')) {
    out.shorthand = true;
    if (dyn(v)) {
      // `-o $OUT` may expand to a full type=… spec; nothing is known.
      out.dynamic = true;
      return { value: out, problems };
    }
    if (v.text === '-') {
      out.type = out.writtenType = 'tar';
      out.dest = '-';
    } else {
      out.type = out.writtenType = 'local';
      out.dest = v.text;
      const eq = v.text.indexOf('=');
      if (eq > 0) {
        const key = v.text.slice(0, eq).trim().toLowerCase();
        const looksLikeSpec = ['type', 'dest', 'name', 'push', 'tar', 'compression', 'oci-mediatypes', 'unpack'].includes(key) || key.startsWith('annotation');
        problems.push(
          whole(
            'output-shorthand-trap',
            'warning',
            v,
            `output ${q(v.text)} has no "type=" field at its start, so buildx exports into a local directory literally named ${q(v.text)}` +
              (key === 'type' ? '; "type=" must be written in lower case' : looksLikeSpec ? `; to set ${key}= write the exporter type first, e.g. "type=local,${show(v.text)}"` : ''),
            { directory: v.text, key },
          ),
        );
      }
    }
  } else {
    for (const f of fields) {
      const kv = kvOf(f);
      const [a, b] = fieldSpan(v, f);
      if (kv.value === null) {
        if (dyn(f.value)) {
          out.dynamic = true;
          continue;
        }
        problems.push(
          problem('output-invalid-field', 'error', v, a, b, `output field ${q(f.value.text)} has no "=": every field after the first must be key=value; buildx: invalid value ${show(f.value.text)}`),
        );
        return { value: null, problems };
      }
      if (dyn(kv.key)) {
        out.dynamic = true;
        continue;
      }
      const key = kv.key.text.toLowerCase().trim();
      if (key === 'type') out.writtenType = out.type = dyn(kv.value) ? null : kv.value.text;
      else if (key === 'dest') out.dest = kv.value.text;
      else out.attrs[key] = kv.value.text;
      if (key === 'type' && !dyn(kv.value) && !KNOWN_EXPORTERS.includes(kv.value.text)) {
        const sug = closest(kv.value.text, KNOWN_EXPORTERS);
        problems.push(
          problem(
            'output-unknown-type',
            'warning',
            v,
            a + kv.key.text.length + 1 + (f.quoted ? 1 : 0),
            b - (f.quoted ? 1 : 0),
            `output type ${q(kv.value.text)} is not an exporter buildx knows (${KNOWN_EXPORTERS.join(', ')}); buildx passes it on and BuildKit fails` + (sug ? `; did you mean ${q(sug)}?` : ''),
            sug ? { suggestion: sug } : undefined,
          ),
        );
      }
    }
    const typeSeen = fields.some((f) => {
      const k = kvOf(f);
      return k.value !== null && k.key.text.toLowerCase().trim() === 'type';
    });
    if (!typeSeen) {
      if (out.dynamic) return { value: out, problems };
      problems.push(whole('output-missing-type', 'error', v, `output ${q(v.text)} has no "type=" field; expected e.g. type=local,dest=<dir> or type=image; buildx: type is required for output`));
      return { value: null, problems };
    }
  }
  if (out.type === 'registry') {
    out.type = 'image';
    out.attrs.push ??= 'true';
  }
  const t = out.type;
  if (t === null) return { value: out, problems };
  let supportFile = false;
  let supportDir = false;
  if (t === 'local') supportDir = true;
  else if (t === 'tar') supportFile = true;
  else if (t === 'oci' || t === 'docker') {
    const tar = parseBool(out.attrs.tar ?? '');
    supportFile = !tar.ok || tar.value;
    supportDir = !supportFile;
  }
  const destUnknown = dyn(out.dest);
  if (supportDir && !destUnknown) {
    if (!out.dest) {
      problems.push(whole('output-dest-required', 'error', v, `${t} output ${q(v.text)} has no destination directory; add dest=<dir>; buildx: dest is required for ${t} exporter`));
    } else if (out.dest === '-') {
      problems.push(
        whole(
          'output-dest-stdout',
          'error',
          v,
          `${t} output ${q(v.text)} writes a directory tree, which cannot go to stdout; use type=tar for a stream; buildx: dest cannot be stdout for ${t} exporter`,
        ),
      );
    }
  }
  if (supportFile && !destUnknown) {
    if (!out.dest && t !== 'docker') out.toStdout = true;
    if (out.dest === '-') out.toStdout = true;
  }
  out.loadsToDocker = t === 'docker' && !out.dest;
  out.localOrTar = t === 'local' || t === 'tar';
  if (t === 'image') {
    const p = parseBool(out.attrs.push ?? '');
    out.pushes = p.ok && p.value;
  }
  return { value: out, problems };
}
