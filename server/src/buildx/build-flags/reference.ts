/**
 * Image references as distribution/reference parses them (`Parse`, `ParseNormalizedNamed`).
 */

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
