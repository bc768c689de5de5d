/**
 * Value parsers for `docker buildx build` flags, ported from buildx `util/buildflags`, `build/opt.go`
 * and `build/utils.go`, plus a checker for flag combinations buildx rejects (or silently mishandles).
 * Each parser takes one flag occurrence as a MappedString so problems point at the exact characters.
 * Values containing a run-time expansion (DYNAMIC) are never judged on the unknown part.
 */
import type { Span } from '../core/span';
import type { Severity } from '../core/diagnostic';
import { type MappedString, DYNAMIC, hasDynamic, sliceMapped, spanOf, splitFirst, splitMapped } from '../core/mapped-string';
import { parseCsvRecord, type CsvField } from './csv';
import { goQuote, parseBool, parseInt10, ramInBytes } from './goparse';
import { isGoIP } from './go-ip';
import { closest, parsePlatformSpec } from './platform';

export interface Problem {
  kind: string;
  span: Span;
  message: string;
  severity: Severity;
  data?: Record<string, unknown>;
}

export interface Parsed<T> {
  /** null when the occurrence is skipped by buildx (empty) or rejected. */
  value: T | null;
  problems: Problem[];
}

function problem(kind: string, severity: Severity, s: MappedString, from: number, to: number, message: string, data?: Record<string, unknown>): Problem {
  const p: Problem = { kind, severity, span: spanOf(s, from, to), message };
  if (data) p.data = data;
  return p;
}

function whole(kind: string, severity: Severity, s: MappedString, message: string, data?: Record<string, unknown>): Problem {
  return problem(kind, severity, s, 0, s.text.length, message, data);
}

const dyn = (s: MappedString | string | null | undefined): boolean => !!s && hasDynamic(typeof s === 'string' ? s : s.text);

/** Characters of a Go-quoted echo: dynamic parts are shown as `…`. */
function q(s: string): string {
  return goQuote(s.split(DYNAMIC).join('…'));
}

function show(s: string): string {
  return s.split(DYNAMIC).join('…');
}

function pflagErr(flag: string, value: string, cause: string): string {
  return `invalid argument ${q(value)} for "${flag}" flag: ${cause}`;
}

/** csvFields runs go-csvvalue and turns its error into a problem located at the offending quote. */
function csvFields(v: MappedString, kind: string, what: string, problems: Problem[], wrap: (m: string) => string = (m) => m): CsvField[] | null {
  const r = parseCsvRecord(v);
  if (r.error) {
    const at = r.error.kind === 'eof' ? 0 : r.error.index;
    const hint = r.error.kind === 'bare-quote'
      ? 'quotes must wrap the whole CSV field, e.g. "key=a,b", not key="a,b"'
      : r.error.kind === 'quote'
        ? 'a quoted CSV field must end with a quote followed by a comma or the end of the value'
        : 'the value is empty';
    problems.push(problem(kind, 'error', v, at, r.error.kind === 'eof' ? v.text.length : at + 1,
      `${what} ${q(v.text)} is not valid CSV: ${hint}; buildx: ${wrap(r.error.message)}`, { csvError: r.error.kind }));
    return null;
  }
  return r.fields;
}

interface KV {
  field: CsvField;
  key: MappedString;
  value: MappedString | null;
}

function kvOf(field: CsvField): KV {
  const [key, value] = splitFirst(field.value, '=');
  return { field, key, value };
}

/** Span of a whole CSV field (quotes included) inside the flag value. */
function fieldSpan(v: MappedString, f: CsvField): [number, number] {
  return [f.from, f.to];
}

// ---------------------------------------------------------------------------------------------
// -o / --output

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
    type: null, writtenType: null, dest: null, attrs: {}, shorthand: false, toStdout: false, loadsToDocker: false,
    pushes: false, localOrTar: false, dynamic: false, span: spanOf(v),
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
        problems.push(whole('output-shorthand-trap', 'warning', v,
          `output ${q(v.text)} has no "type=" field at its start, so buildx exports into a local directory literally named ${q(v.text)}` +
          (key === 'type' ? '; "type=" must be written in lower case' : looksLikeSpec ? `; to set ${key}= write the exporter type first, e.g. "type=local,${show(v.text)}"` : ''),
          { directory: v.text, key }));
      }
    }
  } else {
    for (const f of fields) {
      const kv = kvOf(f);
      const [a, b] = fieldSpan(v, f);
      if (kv.value === null) {
        if (dyn(f.value)) { out.dynamic = true; continue; }
        problems.push(problem('output-invalid-field', 'error', v, a, b,
          `output field ${q(f.value.text)} has no "=": every field after the first must be key=value; buildx: invalid value ${show(f.value.text)}`));
        return { value: null, problems };
      }
      if (dyn(kv.key)) { out.dynamic = true; continue; }
      const key = kv.key.text.toLowerCase().trim();
      if (key === 'type') out.writtenType = out.type = dyn(kv.value) ? null : kv.value.text;
      else if (key === 'dest') out.dest = kv.value.text;
      else out.attrs[key] = kv.value.text;
      if (key === 'type' && !dyn(kv.value) && !KNOWN_EXPORTERS.includes(kv.value.text)) {
        const sug = closest(kv.value.text, KNOWN_EXPORTERS);
        problems.push(problem('output-unknown-type', 'warning', v, a + kv.key.text.length + 1 + (f.quoted ? 1 : 0), b - (f.quoted ? 1 : 0),
          `output type ${q(kv.value.text)} is not an exporter buildx knows (${KNOWN_EXPORTERS.join(', ')}); buildx passes it on and BuildKit fails` +
          (sug ? `; did you mean ${q(sug)}?` : ''), sug ? { suggestion: sug } : undefined));
      }
    }
    const typeSeen = fields.some((f) => { const k = kvOf(f); return k.value !== null && k.key.text.toLowerCase().trim() === 'type'; });
    if (!typeSeen) {
      if (out.dynamic) return { value: out, problems };
      problems.push(whole('output-missing-type', 'error', v,
        `output ${q(v.text)} has no "type=" field; expected e.g. type=local,dest=<dir> or type=image; buildx: type is required for output`));
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
      problems.push(whole('output-dest-required', 'error', v,
        `${t} output ${q(v.text)} has no destination directory; add dest=<dir>; buildx: dest is required for ${t} exporter`));
    } else if (out.dest === '-') {
      problems.push(whole('output-dest-stdout', 'error', v,
        `${t} output ${q(v.text)} writes a directory tree, which cannot go to stdout; use type=tar for a stream; buildx: dest cannot be stdout for ${t} exporter`));
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

// ---------------------------------------------------------------------------------------------
// --cache-from / --cache-to

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
      if (dyn(f.value)) { unknown = true; continue; }
      problems.push(problem('cache-invalid-field', 'error', v, f.from, f.to,
        `${flag} field ${q(f.value.text)} has no "=": expected key=value (type=…, ref=…, dest=…); buildx: invalid value ${show(f.value.text)}`));
      return null;
    }
    if (dyn(kv.key)) { unknown = true; continue; }
    const key = kv.key.text.toLowerCase();
    if (key === 'type') {
      typed = true;
      e.type = dyn(kv.value) ? null : kv.value.text;
      if (e.type !== null && !KNOWN_CACHES.includes(e.type)) {
        const sug = closest(e.type, KNOWN_CACHES);
        problems.push(problem('cache-unknown-type', 'warning', v, f.from + (f.quoted ? 1 : 0) + 5, f.to - (f.quoted ? 1 : 0),
          `${flag} type ${q(e.type)} is not a cache backend BuildKit ships (${KNOWN_CACHES.join(', ')})` + (sug ? `; did you mean ${q(sug)}?` : ''),
          sug ? { suggestion: sug } : undefined));
      }
    } else {
      e.attrs[key] = kv.value.text;
    }
  }
  if (!typed && !unknown) {
    problems.push(whole('cache-missing-type', 'error', v,
      `${flag} ${q(v.text)} has key=value fields but no "type="; expected e.g. type=registry,ref=<image>; buildx: type required for ${q(v.text)}`));
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
        problems.push(problem('cache-empty-ref', 'error', v, f.from, Math.min(f.to + 1, v.text.length),
          `${name} ${q(v.text)} has an empty image reference in its comma-separated list (a doubled or trailing comma); buildx: EOF`));
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

// ---------------------------------------------------------------------------------------------
// --secret

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
      if (dyn(f.value)) { unknown = true; continue; }
      problems.push(problem('secret-invalid-field', 'error', v, f.from, f.to,
        `--secret field ${q(f.value.text)} has no "=": expected id=<id>,src=<file> or id=<id>,env=<VAR>; buildx: invalid field '${show(f.value.text)}' must be a key=value pair`));
      return { value: null, problems };
    }
    if (dyn(kv.key)) { unknown = true; continue; }
    const key = kv.key.text.toLowerCase();
    const val = kv.value.text;
    const vFrom = f.from + (f.quoted ? 1 : 0) + kv.key.text.length + 1;
    switch (key) {
      case 'type':
        if (!dyn(val) && val !== 'file' && val !== 'env') {
          const sug = closest(val, ['file', 'env']);
          problems.push(problem('secret-unknown-type', 'error', v, vFrom, f.to - (f.quoted ? 1 : 0),
            `--secret type ${q(val)} is not supported; expected file or env${sug ? ` (did you mean ${q(sug)}?)` : ''}; buildx: unsupported secret type ${q(val)}`));
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
        problems.push(problem('secret-unknown-key', 'error', v, f.from + (f.quoted ? 1 : 0), f.from + (f.quoted ? 1 : 0) + kv.key.text.length,
          `--secret key ${q(kv.key.text)} is unknown; expected type, id, src/source or env${sug ? ` (did you mean ${q(sug)}?)` : ''}; buildx: unexpected key '${show(kv.key.text)}' in '${show(v.text)}'`,
          sug ? { suggestion: sug } : undefined));
        return { value: null, problems };
      }
    }
  }
  if (s.type === 'env' && s.env === '') {
    s.env = s.src;
    s.src = '';
  }
  if (s.id === '' && !unknown) {
    problems.push(whole('secret-missing-id', 'error', v,
      `--secret ${q(v.text)} has no id=; the Dockerfile mounts secrets by id (RUN --mount=type=secret,id=…); buildx: secret missing ID`));
  }
  return { value: s, problems };
}

// ---------------------------------------------------------------------------------------------
// --ssh

export interface SshSpec {
  id: string;
  paths: string[];
  span: Span;
}

export function parseSsh(v: MappedString): Parsed<SshSpec> {
  const problems: Problem[] = [];
  if (v.text === '') return { value: null, problems };
  const [id, rest] = splitFirst(v, '=');
  const spec: SshSpec = { id: id.text === '' ? 'default' : id.text, paths: [], span: spanOf(v) };
  if (rest !== null) {
    const parts = splitMapped(rest, ',');
    for (const p of parts) {
      spec.paths.push(p.text);
      if (p.text === '') {
        problems.push(problem('ssh-empty-path', 'warning', v, 0, v.text.length,
          `--ssh ${q(v.text)} has an empty socket/key path (nothing after "=" or a doubled comma); buildx will fail to read it`));
      }
    }
  }
  return { value: spec, problems };
}

/** checkSshList reports ids given twice across `--ssh` occurrences. */
export function checkSshList(values: MappedString[]): Problem[] {
  const seen = new Map<string, MappedString>();
  const problems: Problem[] = [];
  for (const v of values) {
    if (v.text === '' || dyn(splitFirst(v, '=')[0])) continue;
    const id = splitFirst(v, '=')[0].text || 'default';
    if (seen.has(id)) {
      problems.push(whole('ssh-duplicate-id', 'error', v,
        `--ssh id ${q(id)} is given twice; put all sockets/keys of one id in one value (id=a,b); buildx: duplicate agent ID ${q(id)}`));
    } else {
      seen.set(id, v);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// --attest / --sbom / --provenance

export interface AttestSpec {
  type: string | null;
  disabled: boolean;
  attrs: Record<string, string>;
  source: 'attest' | 'sbom' | 'provenance';
  span: Span;
}

export function parseAttest(v: MappedString, source: 'attest' | 'sbom' | 'provenance' = 'attest'): Parsed<AttestSpec> {
  const problems: Problem[] = [];
  const flag = `--${source}`;
  const a: AttestSpec = { type: null, disabled: false, attrs: {}, source, span: spanOf(v) };
  if (source !== 'attest') {
    if (v.text === '') return { value: null, problems };
    a.type = source;
    const b = parseBool(v.text);
    if (b.ok) {
      a.disabled = !b.value;
      return { value: a, problems };
    }
    if (dyn(v) && !v.text.includes('=')) return { value: a, problems };
  }
  const fields = csvFields(v, 'attest-csv', flag, problems);
  if (!fields) return { value: null, problems };
  let unknown = false;
  for (const f of fields) {
    const kv = kvOf(f);
    if (kv.value === null) {
      if (dyn(f.value)) { unknown = true; continue; }
      problems.push(problem('attest-invalid-field', 'error', v, f.from, f.to,
        `${flag} field ${q(f.value.text)} has no "=": expected key=value (type=sbom, mode=max, disabled=true…); buildx: invalid value ${show(f.value.text)}`));
      return { value: null, problems };
    }
    if (dyn(kv.key)) { unknown = true; continue; }
    const key = kv.key.text.trim().toLowerCase();
    if (key === 'type') {
      a.type = dyn(kv.value) ? null : kv.value.text;
      if (a.type !== null && a.type !== 'sbom' && a.type !== 'provenance') {
        const sug = closest(a.type, ['sbom', 'provenance']);
        problems.push(problem('attest-unknown-type', 'warning', v, f.from, f.to,
          `${flag} type ${q(a.type)} is not an attestation type BuildKit produces (sbom, provenance)${sug ? `; did you mean ${q(sug)}?` : ''}`,
          sug ? { suggestion: sug } : undefined));
      }
    } else if (key === 'disabled') {
      if (dyn(kv.value)) continue;
      const b = parseBool(kv.value.text);
      if (!b.ok) {
        problems.push(problem('attest-invalid-disabled', 'error', v, f.from, f.to,
          `${flag} disabled=${q(kv.value.text)} is not a boolean; expected true or false; buildx: invalid value ${show(f.value.text)}: ${b.error}`));
        return { value: null, problems };
      }
      a.disabled = b.value;
    } else {
      a.attrs[kv.key.text] = kv.value.text;
    }
  }
  if (a.type === null && !unknown && !fields.some((f) => { const k = kvOf(f); return k.value && k.key.text.trim().toLowerCase() === 'type'; })) {
    problems.push(whole('attest-missing-type', 'error', v,
      `${flag} ${q(v.text)} has no "type="; expected type=sbom or type=provenance; buildx: attestation type not specified`));
    return { value: null, problems };
  }
  return { value: a, problems };
}

// ---------------------------------------------------------------------------------------------
// Image references (distribution/reference)

const ALNUM = '[a-z0-9]+';
const SEP = '(?:[._]|__|[-]+)';
const PATH_COMP = `${ALNUM}(?:${SEP}${ALNUM})*`;
const DOM_COMP = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOM_COMP}(?:\\.${DOM_COMP})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const NAME = `(?:${HOST}(?::[0-9]+)?/)?${PATH_COMP}(?:/${PATH_COMP})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const REFERENCE_RE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export interface Reference {
  name: string;
  domain: string;
  path: string;
  tag: string;
  digest: string;
}

/** parseReference is distribution/reference Parse. */
export function parseReference(s: string): { ref: Reference | null; error: string | null } {
  const m = REFERENCE_RE.exec(s);
  if (!m) {
    if (s === '') return { ref: null, error: 'repository name must have at least one component' };
    if (REFERENCE_RE.test(s.toLowerCase())) return { ref: null, error: 'repository name must be lowercase' };
    return { ref: null, error: 'invalid reference format' };
  }
  const name = m[1];
  if (name.length > 255) return { ref: null, error: 'repository name must not be more than 255 characters' };
  const digest = m[3] ?? '';
  if (digest) {
    const [alg, hex] = digest.split(':');
    const sizes: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
    if (!(alg in sizes)) return { ref: null, error: 'unsupported digest algorithm' };
    if (hex.length !== sizes[alg]) return { ref: null, error: 'invalid checksum digest length' };
    if (!/^[a-f0-9]+$/.test(hex)) return { ref: null, error: 'invalid checksum digest format' };
  }
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasDomain = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first || first.startsWith('['));
  return {
    ref: { name, domain: hasDomain ? first : '', path: hasDomain ? name.slice(slash + 1) : name, tag: m[2] ?? '', digest },
    error: null,
  };
}

/** parseNormalizedNamed is distribution/reference ParseNormalizedNamed; `familiar` drops docker.io/library/. */
export function parseNormalizedNamed(s: string): { ref: Reference | null; familiar: string | null; error: string | null; remote?: string } {
  if (/^[a-f0-9]{64}$/.test(s)) {
    return { ref: null, familiar: null, error: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings` };
  }
  let domain: string;
  let remainder: string;
  const i = s.indexOf('/');
  if (i === -1 || (!/[.:]/.test(s.slice(0, i)) && s.slice(0, i) !== 'localhost' && s.slice(0, i).toLowerCase() === s.slice(0, i))) {
    domain = 'docker.io';
    remainder = s;
  } else {
    domain = s.slice(0, i);
    remainder = s.slice(i + 1);
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && !remainder.includes('/')) remainder = 'library/' + remainder;
  const tagSep = remainder.indexOf(':');
  const remote = tagSep > -1 ? remainder.slice(0, tagSep) : remainder;
  const tail = tagSep > -1 ? remainder.slice(tagSep) : '';
  if (remote.toLowerCase() !== remote) {
    return { ref: null, familiar: null, error: `invalid reference format: repository name (${remote}) must be lowercase`, remote };
  }
  const r = parseReference(`${domain}/${remote}${tail}`);
  if (!r.ref) return { ref: null, familiar: null, error: r.error, remote };
  let fam = r.ref.name;
  if (fam.startsWith('docker.io/')) fam = fam.slice('docker.io/'.length);
  if (fam.startsWith('library/') && fam.indexOf('/', 8) < 0) fam = fam.slice('library/'.length);
  if (r.ref.tag) fam += ':' + r.ref.tag;
  if (r.ref.digest) fam += '@' + r.ref.digest;
  return { ref: r.ref, familiar: fam, error: null, remote };
}

// ---------------------------------------------------------------------------------------------
// -t / --tag

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

// ---------------------------------------------------------------------------------------------
// --build-context

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
    problems.push(whole('build-context-invalid', 'error', v,
      `--build-context ${q(v.text)} has no "="; expected name=<path|url|docker-image://ref|target:stage|oci-layout://dir>; buildx: invalid context value: ${show(v.text)}, expected key=value`));
    return { value: null, problems };
  }
  if (dyn(key)) return { value: { name: key.text, value: val.text, span: spanOf(v) }, problems };
  const r = parseNormalizedNamed(key.text);
  if (r.error) {
    const lower = r.error.includes('lowercase');
    problems.push(problem('build-context-invalid-name', 'error', v, 0, key.text.length,
      `--build-context name ${q(key.text)} ${lower ? 'must be lower case (it is matched like an image name)' : 'is not a valid image-style name'}; buildx: invalid context name ${show(key.text)}: ${r.error}`));
    return { value: null, problems };
  }
  const name = r.familiar!.replace(/:latest$/, '');
  return { value: { name, value: val.text, span: spanOf(v) }, problems };
}

// ---------------------------------------------------------------------------------------------
// --allow

export function parseAllow(v: MappedString): Parsed<{ entitlement: string; device?: string }> {
  const problems: Problem[] = [];
  if (v.text === '' || dyn(v)) return { value: null, problems };
  const t = v.text;
  if (t === 'network.host' || t === 'security.insecure' || t === 'buildx.local.delete' || t === 'device') return { value: { entitlement: t }, problems };
  if (t.startsWith('buildx.local.delete=')) {
    problems.push(whole('allow-local-delete-value', 'error', v,
      `--allow ${q(t)}: buildx.local.delete takes no value; write --allow=buildx.local.delete; buildx: buildx.local.delete does not accept a value`));
    return { value: null, problems };
  }
  if (t.startsWith('device=')) {
    const rest = sliceMapped(v, 'device='.length);
    const fields = csvFields(rest, 'allow-device-config', '--allow device', problems);
    if (!fields) return { value: null, problems };
    for (const f of fields.slice(1)) {
      const kv = kvOf(f);
      if (kv.value === null) {
        problems.push(problem('allow-device-config', 'error', rest, f.from, f.to,
          `--allow device option ${q(f.value.text)} is not key=value; expected device=<name>[,alias=<alias>]; buildx: invalid device config ${q(f.value.text)}`));
        return { value: null, problems };
      }
      if (kv.key.text !== 'alias') {
        problems.push(problem('allow-device-config', 'error', rest, f.from, f.from + kv.key.text.length,
          `--allow device option ${q(kv.key.text)} is unknown; only alias= is supported; buildx: unknown device config key ${q(kv.key.text)}`));
        return { value: null, problems };
      }
    }
    return { value: { entitlement: 'device', device: fields[0]?.value.text }, problems };
  }
  const known = ['network.host', 'security.insecure', 'buildx.local.delete', 'device'];
  const sug = closest(t, known, 3);
  problems.push(whole('allow-unknown', 'error', v,
    `--allow ${q(t)} is not an entitlement; expected ${known.join(', ')}${sug ? ` (did you mean ${q(sug)}?)` : ''}; buildx: unknown entitlement ${show(t)}`,
    sug ? { suggestion: sug } : undefined));
  return { value: null, problems };
}

// ---------------------------------------------------------------------------------------------
// --add-host

export interface ExtraHost {
  host: string;
  ip: string;
  hostGateway: boolean;
}

/** pflagSliceFields is pflag's stringSlice reader: encoding/csv, first record only. */
function pflagSliceFields(v: MappedString, flag: string, problems: Problem[]): MappedString[] | null {
  if (v.text === '') return [];
  let inQuote = false;
  let cut = -1;
  for (let i = 0; i < v.text.length; i++) {
    const c = v.text[i];
    if (c === '"') inQuote = !inQuote;
    else if (c === '\n' && !inQuote) { cut = i; break; }
  }
  let rec = v;
  if (cut >= 0 && cut < v.text.length - 1) {
    problems.push(problem('add-host-multiline', 'warning', v, cut + 1, v.text.length,
      `${flag} value ${q(v.text)} spans several lines; pflag reads it as CSV and keeps only the first line, so the rest is ignored`));
  }
  if (cut >= 0) rec = sliceMapped(v, 0, cut + 1);
  const r = parseCsvRecord(rec);
  if (r.error) {
    const at = r.error.kind === 'eof' ? 0 : r.error.index;
    problems.push(problem('add-host-csv', 'error', v, at, at + 1,
      `${flag} ${q(v.text)} is not valid CSV (pflag splits this flag with encoding/csv; quotes must wrap whole entries); buildx: ${pflagErr(flag, v.text, r.error.message)}`));
    return null;
  }
  return r.fields.map((f) => f.value);
}

export function parseAddHost(v: MappedString): Parsed<ExtraHost[]> {
  const problems: Problem[] = [];
  const entries = pflagSliceFields(v, '--add-host', problems);
  if (!entries) return { value: null, problems };
  const out: ExtraHost[] = [];
  let prevHost: ExtraHost | null = null;
  for (const e of entries) {
    if (dyn(e)) { prevHost = null; continue; }
    let [host, ip] = splitFirst(e, '=');
    if (ip === null) [host, ip] = splitFirst(e, ':');
    const bad = (detail: string, from = 0, to = e.text.length) => {
      problems.push(problem('add-host-invalid', 'error', e, from, to, `--add-host entry ${q(e.text)} ${detail}; buildx: invalid host ${show(e.text)}`));
    };
    if (ip === null || host.text === '' || ip.text === '') {
      if (ip === null && prevHost && isGoIP(e.text.replace(/^\[(.*)\]$/, '$1'))) {
        problems.push(whole('add-host-comma-split', 'error', e,
          `--add-host splits its value on commas (pflag stringSlice), so ${q(e.text)} became an entry of its own instead of a second address of ${q(prevHost.host)}; quote the whole entry as CSV ("${prevHost.host}=${prevHost.ip},${e.text}") or repeat --add-host ${prevHost.host}=${e.text}; buildx: invalid host ${e.text}`));
      } else if (ip === null) {
        bad(e.text === '' ? 'is empty (a doubled or trailing comma)' : 'has neither "=" nor ":" between host name and address; expected host=ip or host:ip');
      } else if (host.text === '') {
        bad('has an empty host name; expected host=ip');
      } else {
        bad('has no address after the separator; expected host=ip', host.text.length, e.text.length);
      }
      prevHost = null;
      continue;
    }
    if (ip.text === 'host-gateway') {
      const h = { host: host.text, ip: ip.text, hostGateway: true };
      out.push(h);
      prevHost = null;
      continue;
    }
    let ok = true;
    let off = host.text.length + 1;
    for (const part of ip.text.split(',')) {
      let a = part;
      if (a.length > 2 && a[0] === '[' && a[a.length - 1] === ']') a = a.slice(1, -1);
      if (!isGoIP(a)) {
        bad(`has ${q(part)}, which is not an IP address`, off, off + part.length);
        ok = false;
        break;
      }
      off += part.length + 1;
    }
    if (ok) {
      const h = { host: host.text, ip: ip.text, hostGateway: false };
      out.push(h);
      prevHost = h;
    } else {
      prevHost = null;
    }
  }
  return { value: problems.some((p) => p.severity === 'error') ? null : out, problems };
}

// ---------------------------------------------------------------------------------------------
// --annotation

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
    problems.push(whole('annotation-invalid', 'error', v,
      `--annotation ${q(v.text)} has no "="; expected [type[,type…]:]key=value; buildx: parse annotations: invalid annotation ${q(v.text)}, expected key=value`));
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
      problems.push(problem('annotation-invalid-type', 'error', v, from, to,
        `--annotation type ${q(t)} is not a type with an optional [platform]; a plain annotation key cannot contain ":" because the text before the first ":" is read as the type list` +
        `; buildx: parse annotations: invalid annotation type ${q(t)}, expected type and optional platform in square brackets`));
      return { value: null, problems };
    }
    if (!ANNOTATION_TYPES.includes(m[1])) {
      const sug = closest(m[1], ANNOTATION_TYPES);
      const dotted = /[.]/.test(t);
      problems.push(problem('annotation-unknown-type', 'error', v, from, from + m[1].length,
        `--annotation type ${q(m[1])} is unknown; expected ${ANNOTATION_TYPES.join(', ')}${sug ? ` (did you mean ${q(sug)}?)` : ''}` +
        (dotted ? '' : '; a key containing ":" must be prefixed with its type, e.g. manifest:' + show(k.text)) +
        `; buildx: parse annotations: unknown annotation type ${q(m[1])}`, sug ? { suggestion: sug } : undefined));
      return { value: null, problems };
    }
    let plat: string | null = null;
    if (m[2] !== undefined) {
      const p = parsePlatformSpec(m[2]);
      if (!p.platform) {
        problems.push(problem('annotation-invalid-platform', 'error', v, from + m[1].length + 1, to - 1,
          `--annotation platform ${q(m[2])} is not a valid platform; buildx: parse annotations: invalid platform ${q(m[2])}: ${p.error}`));
        return { value: null, problems };
      }
      plat = m[2];
      if (m[1].startsWith('index')) {
        problems.push(problem('annotation-index-platform-dropped', 'info', v, from + m[1].length, to,
          `--annotation platform [${m[2]}] on an ${m[1]} annotation is ignored: an index covers all platforms`));
      }
    }
    out.push({ types: [m[1]], platform: plat, key: key.text, value: val.text });
  }
  checkAnnotationKey(v, key, colon + 1, problems);
  return { value: out, problems };
}

function checkAnnotationKey(v: MappedString, key: MappedString, offset: number, problems: Problem[]): void {
  if (/\s/.test(key.text) || key.text === '') {
    problems.push(problem('annotation-key-whitespace', 'warning', v, offset, offset + key.text.length,
      `--annotation key ${q(key.text)} ${key.text === '' ? 'is empty' : 'contains whitespace'}; BuildKit only applies annotation keys without whitespace, so it is silently dropped`));
  }
}

// ---------------------------------------------------------------------------------------------
// --ulimit

export interface UlimitSpec {
  name: string;
  soft: bigint;
  hard: bigint;
}

const ULIMIT_NAMES = ['core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack'];

export function parseUlimit(v: MappedString): Parsed<UlimitSpec> {
  const problems: Problem[] = [];
  if (dyn(v)) return { value: null, problems };
  const fail = (what: string, cause: string, from = 0, to = v.text.length, data?: Record<string, unknown>): Parsed<UlimitSpec> => {
    problems.push(problem('ulimit-invalid', 'error', v, from, to, `--ulimit ${q(v.text)} ${what}; buildx: ${pflagErr('--ulimit', v.text, cause)}`, data));
    return { value: null, problems };
  };
  const eq = v.text.indexOf('=');
  if (eq < 0) return fail('has no "="; expected name=soft[:hard], e.g. nofile=1024:2048', `invalid ulimit argument: ${v.text}`);
  const name = v.text.slice(0, eq);
  if (!ULIMIT_NAMES.includes(name)) {
    const sug = closest(name, ULIMIT_NAMES);
    return fail(`names an unknown limit ${q(name)}; expected one of ${ULIMIT_NAMES.join(', ')}${sug ? ` (did you mean ${q(sug)}?)` : ''}`,
      `invalid ulimit type: ${name}`, 0, eq, sug ? { suggestion: sug } : undefined);
  }
  const rest = v.text.slice(eq + 1);
  const vals = rest.split(':');
  if (vals.length > 2) return fail('has more than two limit values; expected soft[:hard]', `too many limit value arguments - ${rest}, can only have up to two, \`soft[:hard]\``, eq + 1);
  let hard: bigint | null = null;
  if (vals.length === 2) {
    const h = parseInt10(vals[1], 64);
    if (!h.ok) return fail(`has a hard limit ${q(vals[1])} that is not an integer`, h.error, eq + 2 + vals[0].length);
    hard = h.value;
  }
  const s = parseInt10(vals[0], 64);
  if (!s.ok) return fail(`has a soft limit ${q(vals[0])} that is not an integer`, s.error, eq + 1, eq + 1 + vals[0].length);
  const soft = s.value;
  const h = hard ?? soft;
  if (h !== -1n) {
    if (soft === -1n) return fail('sets an unlimited soft limit above a finite hard limit', `ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: ${h}`, eq + 1);
    if (soft > h) return fail('has a soft limit above its hard limit', `ulimit soft limit must be less than or equal to hard limit: ${soft} > ${h}`, eq + 1);
  }
  return { value: { name, soft, hard: h }, problems };
}

// ---------------------------------------------------------------------------------------------
// --network, --progress, --call, --check

export function parseNetwork(v: MappedString): Parsed<string> {
  const problems: Problem[] = [];
  if (dyn(v) || ['', 'default', 'none', 'host'].includes(v.text)) return { value: v.text, problems };
  const sug = closest(v.text, ['default', 'none', 'host']);
  problems.push(whole('network-unsupported', 'error', v,
    `--network ${q(v.text)} is not supported by buildx build; expected default, none or host${sug ? ` (did you mean ${q(sug)}?)` : ''}; to use a custom network, create the builder with --driver-opt network=${show(v.text)}; buildx: network mode ${q(v.text)} not supported by buildkit - you can define a custom network for your builder using the network driver-opt in buildx create`));
  return { value: null, problems };
}

export const PROGRESS_MODES = ['auto', 'tty', 'plain', 'quiet', 'rawjson', 'none'];

export function parseProgress(v: MappedString): Parsed<string> {
  const problems: Problem[] = [];
  if (dyn(v) || PROGRESS_MODES.includes(v.text)) return { value: v.text, problems };
  const sug = closest(v.text, PROGRESS_MODES);
  problems.push(whole('progress-invalid', 'error', v,
    `--progress ${q(v.text)} is not a progress mode; expected ${PROGRESS_MODES.join(', ')}${sug ? ` (did you mean ${q(sug)}?)` : ''}; buildx: invalid progress mode ${show(v.text)}`,
    sug ? { suggestion: sug } : undefined));
  return { value: null, problems };
}

export interface CallSpec {
  /** null means a normal build. */
  name: string | null;
  format: string;
  ignoreStatus: boolean;
}

const CALL_METHODS = ['build', 'check', 'lint', 'outline', 'targets', 'subrequests.describe'];

export function parseCall(v: MappedString): Parsed<CallSpec> {
  const problems: Problem[] = [];
  const spec: CallSpec = { name: null, format: '', ignoreStatus: false };
  if (v.text === '' || v.text === 'build' || dyn(v)) return { value: spec, problems };
  const fields = csvFields(v, 'call-csv', '--call', problems);
  if (!fields) return { value: null, problems };
  for (const f of fields) {
    const kv = kvOf(f);
    if (kv.value !== null) {
      if (kv.key.text === 'format') spec.format = kv.value.text;
      else if (kv.key.text === 'ignorestatus') {
        const b = parseBool(kv.value.text);
        if (!b.ok) {
          problems.push(problem('call-invalid', 'error', v, f.from, f.to,
            `--call ignorestatus=${q(kv.value.text)} is not a boolean; buildx: invalid ignorestatus print value: ${show(kv.value.text)}: ${b.error}`));
          return { value: null, problems };
        }
        spec.ignoreStatus = b.value;
      } else {
        problems.push(problem('call-invalid', 'error', v, f.from, f.to,
          `--call field ${q(f.value.text)} is unknown; only format= and ignorestatus= may follow the method; buildx: invalid print field: ${show(f.value.text)}`));
        return { value: null, problems };
      }
    } else {
      if (spec.name !== null) {
        problems.push(problem('call-invalid', 'error', v, f.from, f.to,
          `--call ${q(v.text)} names two methods (${q(spec.name)} and ${q(f.value.text)}); give one; buildx: invalid print value: ${show(v.text)}`));
        return { value: null, problems };
      }
      spec.name = f.value.text === 'check' ? 'lint' : f.value.text;
      if (!dyn(f.value) && !CALL_METHODS.includes(f.value.text)) {
        const sug = closest(f.value.text, CALL_METHODS);
        problems.push(problem('call-unknown-method', 'warning', v, f.from, f.to,
          `--call method ${q(f.value.text)} is not one the Dockerfile frontend documents (check, outline, targets, subrequests.describe)${sug ? `; did you mean ${q(sug)}?` : ''}`,
          sug ? { suggestion: sug } : undefined));
      }
    }
  }
  return { value: spec, problems };
}

/** parseCheck handles `--check=<bool>`: true means `--call=check`. */
export function parseCheck(v: MappedString): Parsed<boolean> {
  const problems: Problem[] = [];
  if (dyn(v)) return { value: null, problems };
  const b = parseBool(v.text);
  if (!b.ok) {
    problems.push(whole('check-invalid-bool', 'error', v,
      `--check=${q(v.text)} is not a boolean (the flag takes no value; use --check or --call=check); buildx: ${pflagErr('--check', v.text, b.error)}`));
    return { value: null, problems };
  }
  return { value: b.value, problems };
}

// ---------------------------------------------------------------------------------------------
// --resource, --shm-size

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
    problems.push(whole('resource-invalid', 'error', v,
      `--resource ${q(v.text)} has no "="; expected key=value (memory=2g, cpu-shares=512…); buildx: invalid resource ${q(v.text)}, expected key=value`));
    return { value: null, problems };
  }
  const key = v.text.slice(0, eq).trim();
  const val = v.text.slice(eq + 1).trim();
  if (dyn(key)) return { value: null, problems };
  if (!RESOURCE_KEYS.includes(key)) {
    const sug = closest(key, RESOURCE_KEYS);
    problems.push(problem('resource-unknown', 'error', v, 0, eq,
      `--resource key ${q(key)} is unknown; expected ${RESOURCE_KEYS.join(', ')}${sug ? ` (did you mean ${q(sug)}?)` : ''}; buildx: unknown resource ${q(key)}`,
      sug ? { suggestion: sug } : undefined));
    return { value: null, problems };
  }
  const out: ResourceSpec = { key, value: val };
  if (dyn(val)) return { value: out, problems };
  const badValue = (what: string, cause: string) => {
    problems.push(problem('resource-invalid-value', 'error', v, eq + 1, v.text.length,
      `--resource ${key} value ${q(val)} ${what}; buildx: invalid value ${q(val)} for resource ${key}: ${cause}`));
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
    problems.push(problem('resource-cpuset-syntax', 'warning', v, eq + 1, v.text.length,
      `--resource ${key} value ${q(val)} is not a CPU/memory-node list like 0-3 or 0,1; buildx passes it on and the daemon rejects it`));
  }
  return { value: out, problems };
}

export function parseShmSize(v: MappedString): Parsed<number> {
  const problems: Problem[] = [];
  if (dyn(v)) return { value: null, problems };
  const r = ramInBytes(v.text);
  if (!r.ok) {
    problems.push(whole('shm-size-invalid', 'error', v,
      `--shm-size ${q(v.text)} is not a size; expected a number with an optional unit (b, k, m, g, t, p), e.g. 2g; buildx: ${pflagErr('--shm-size', v.text, r.error)}`));
    return { value: null, problems };
  }
  return { value: r.value, problems };
}

// ---------------------------------------------------------------------------------------------
// --build-arg, --label

export interface KeyValueSpec {
  key: string;
  /** null: build-arg taken from the environment (dropped when unset). */
  value: string | null;
}

export function parseKeyValue(v: MappedString, flag: 'build-arg' | 'label'): Parsed<KeyValueSpec> {
  const problems: Problem[] = [];
  const [k, val] = splitFirst(v, '=');
  if (k.text === '') {
    problems.push(whole(`${flag}-empty-key`, 'error', v,
      `--${flag} ${q(v.text)} has an empty name; expected NAME=value; buildx: invalid key-value pair ${q(v.text)}: empty key`));
    return { value: null, problems };
  }
  if (dyn(k)) return { value: { key: k.text, value: val ? val.text : null }, problems };
  if (flag === 'build-arg') {
    if (val === null) {
      problems.push(whole('build-arg-from-env', 'info', v,
        `--build-arg ${q(v.text)} has no "=": buildx takes the value of the environment variable ${show(k.text)} and drops the build-arg when it is unset`));
    } else if (k.text === 'BUILDKIT_SYNTAX' && val.text.trim() === '') {
      problems.push(whole('buildkit-syntax-empty', 'error', v,
        `--build-arg BUILDKIT_SYNTAX is set to an empty value; buildx: empty BUILDKIT_SYNTAX build-arg is invalid, use --build-arg BUILDKIT_SYNTAX without '=' for optional behavior`));
      return { value: null, problems };
    }
  }
  return { value: { key: k.text, value: val ? val.text : flag === 'label' ? '' : null }, problems };
}

// ---------------------------------------------------------------------------------------------
// Combinations

export interface BuildFlagsInput {
  /** Canonical long flag name without dashes -> values in order. */
  flags: Map<string, MappedString[]>;
  boolFlags: Map<string, { value: boolean; span: Span }>;
  positionals: MappedString[];
  /** Span of the whole command, used when a problem has no better anchor. */
  commandSpan?: Span;
}

const BOOL_WORDS = ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'];

function boolOn(input: BuildFlagsInput, name: string): { value: boolean; span: Span } | null {
  const b = input.boolFlags.get(name);
  return b && b.value ? b : null;
}

export function checkBuildCombinations(input: BuildFlagsInput, platformsCount: number): Problem[] {
  const problems: Problem[] = [];
  const vals = (n: string) => input.flags.get(n) ?? [];
  const anchor = input.commandSpan ?? { start: 0, end: 0 };
  const at = (kind: string, severity: Severity, span: Span, message: string, data?: Record<string, unknown>) => {
    const p: Problem = { kind, severity, span, message };
    if (data) p.data = data;
    problems.push(p);
  };

  // Build context count.
  const pos = input.positionals;
  if (pos.length !== 1) {
    const bools = pos.filter((p) => BOOL_WORDS.includes(p.text));
    const looksPlatform = pos.slice(1).find((p) => /^[a-z0-9]+\/[a-z0-9]/i.test(p.text) && !p.text.startsWith('.') && !p.text.startsWith('/'));
    let why = '';
    if (pos.length === 0) why = 'no build context given; add "." for the current directory';
    else if (bools.length) why = `${q(bools[0].text)} is a separate argument: boolean flags never take the next word, write --flag=${show(bools[0].text)}`;
    else if (looksPlatform) why = `${q(looksPlatform.text)} looks like part of a list split by a space after a comma; remove the space`;
    else why = `found ${pos.length}: ${pos.map((p) => q(p.text)).join(', ')}`;
    const span = pos.length > 1 ? { start: spanOf(pos[1]).start, end: spanOf(pos[pos.length - 1]).end } : anchor;
    at('build-context-count', 'error', span,
      `docker buildx build takes exactly one build context (PATH | URL | -): ${why}; buildx: docker: 'docker buildx build' requires 1 argument (older Docker CLIs: "docker buildx build" requires exactly 1 argument)`,
      { count: pos.length });
  }

  // Outputs.
  const outputs: { spec: OutputSpec; raw: MappedString }[] = [];
  for (const o of vals('output')) {
    const r = parseOutput(o);
    if (r.value) outputs.push({ spec: r.value, raw: o });
  }
  const load = boolOn(input, 'load');
  const push = boolOn(input, 'push');
  const anyDynamicOutput = outputs.some((o) => o.spec.dynamic || o.spec.type === null);

  const stdout = outputs.filter((o) => o.spec.toStdout);
  if (stdout.length > 1) {
    at('multiple-stdout', 'error', spanOf(stdout[1].raw),
      `outputs ${stdout.map((o) => q(o.raw.text)).join(' and ')} both write to stdout; give all but one a dest=<file>; buildx: multiple outputs configured to write to stdout`);
  }

  const dockerOut = outputs.find((o) => o.spec.type === 'docker');
  if (platformsCount > 1 && (load || dockerOut)) {
    const span = load ? load.span : spanOf(dockerOut!.raw);
    const withDest = !load && dockerOut && dockerOut.spec.dest;
    at('load-multi-platform', 'warning', span,
      `${load ? '--load' : `output ${q(dockerOut!.raw.text)}`} with ${platformsCount} platforms only works when the Docker daemon uses the containerd image store; otherwise buildx fails: ` +
      (withDest ? 'docker exporter does not support exporting manifest lists, use the oci exporter instead' : 'docker exporter does not currently support exporting manifest lists'),
      { platforms: platformsCount });
  }

  // Pushing without a name.
  const tags = vals('tag');
  const pushOut = outputs.find((o) => o.spec.pushes);
  if ((push || pushOut) && tags.length === 0) {
    const named = outputs.some((o) => o.spec.type === 'image' && (o.spec.attrs.name ?? '') !== '');
    if (!named && !anyDynamicOutput) {
      at('push-without-tag', 'error', push ? push.span : spanOf(pushOut!.raw),
        `${push ? '--push' : `output ${q(pushOut!.raw.text)}`} pushes an image but no name is given; add -t <registry>/<repo>:<tag> or name=… on the output; buildx: tag is needed when pushing to registry`);
    }
  }

  // --iidfile with local/tar.
  const iid = vals('iidfile');
  if (iid.length && iid[iid.length - 1].text !== '') {
    const lt = outputs.find((o) => o.spec.localOrTar);
    if (lt) {
      at('iidfile-local-tar', 'error', spanOf(iid[iid.length - 1]),
        `--iidfile cannot be used with the ${lt.spec.type} output ${q(lt.raw.text)}: those exporters produce no image ID; buildx: local and tar exporters are incompatible with image ID file`);
    }
  }

  // Several exporters need BuildKit v0.13+.
  const exporterCount = outputs.filter((o) => o.spec.type !== 'cacheonly').length + (load && !outputs.some((o) => o.spec.type === 'docker' && !o.spec.dest) ? 1 : 0) +
    (push && !outputs.some((o) => o.spec.type === 'image') ? 1 : 0);
  if (exporterCount > 1) {
    at('multiple-outputs', 'info', outputs[1] ? spanOf(outputs[1].raw) : (load ?? push ?? { span: anchor }).span,
      `this build configures ${exporterCount} exporters; that needs BuildKit v0.13 or newer (older daemons: multiple outputs currently unsupported by the current BuildKit daemon, please upgrade to version v0.13+ or use a single output)`);
  }

  // mode=delete outside the working directory.
  const allows = vals('allow').map((a) => a.text);
  for (const o of outputs) {
    if (o.spec.type === 'local' && o.spec.attrs.mode === 'delete' && o.spec.dest && !dyn(o.spec.dest) && !allows.includes('buildx.local.delete')) {
      const d = o.spec.dest.replace(/\/+$/, '');
      const outside = d.startsWith('/') || d === '.' || d === '' || d === '..' || d.startsWith('../') || d.startsWith('~');
      if (outside) {
        at('local-delete-needs-allow', 'error', spanOf(o.raw),
          `output ${q(o.raw.text)} deletes files in ${q(o.spec.dest)}, which is not strictly inside the working directory; add --allow=buildx.local.delete; buildx: local output mode=delete for destination ${q(o.spec.dest)} requires --allow=buildx.local.delete`);
      }
    }
  }

  // --no-cache with --no-cache-filter.
  const noCache = boolOn(input, 'no-cache');
  const filters = vals('no-cache-filter');
  if (noCache && filters.length) {
    at('no-cache-with-filter', 'error', spanOf(filters[0]),
      `--no-cache already disables the cache for every stage, so --no-cache-filter cannot be combined with it; keep one; buildx: --no-cache and --no-cache-filter cannot currently be used together`);
  }

  // -q with an explicit progress mode.
  const quiet = boolOn(input, 'quiet');
  const progress = vals('progress');
  if (quiet && progress.length) {
    const p = progress[progress.length - 1];
    if (!dyn(p) && p.text !== 'auto' && p.text !== 'quiet') {
      at('quiet-progress', 'error', spanOf(p),
        `-q/--quiet cannot be combined with --progress=${show(p.text)}; drop one of them; buildx: progress=${show(p.text)} and quiet cannot be used together`);
    }
  }

  // --provenance/--sbom ignored when --attest already sets the same type.
  const attestTypes = new Set<string>();
  for (const a of vals('attest')) {
    const r = parseAttest(a, 'attest');
    if (r.value?.type) attestTypes.add(r.value.type);
  }
  for (const t of ['provenance', 'sbom'] as const) {
    for (const v of vals(t)) {
      if (v.text !== '' && attestTypes.has(t)) {
        at('attest-shadowed', 'info', spanOf(v),
          `--${t}=${show(v.text)} is ignored: an --attest type=${t} is also given and buildx keeps the first entry per attestation type (the --attest one)`);
      }
    }
  }
  return problems;
}
