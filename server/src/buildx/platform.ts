/**
 * Platform specifiers as buildx reads them (`util/platformutil.Parse` over containerd `platforms.Parse`
 * + `Normalize`), and the `platforms.Only` compatibility used to route platforms to builder nodes.
 * The client machine is assumed to be linux/amd64: forms that depend on it are flagged instead.
 */
import { type MappedString, hasDynamic, splitMapped } from '../core/mapped-string';
import { goQuote } from './goparse';
import { editDistance } from '../core/edit-distance';

export interface Platform {
  os: string;
  arch: string;
  variant: string;
  osVersion?: string;
  /** OS features (`linux(+gpu)/amd64`), decoded, sorted and without duplicates once normalised. */
  osFeatures?: string[];
}

export interface PlatformItem extends ItemFacts {
  raw: MappedString;
  /** The item contains a run-time expansion; nothing is known about it. */
  dynamic: boolean;
}

const CLIENT_OS = 'linux';
const CLIENT_ARCH = 'amd64';

// Go's GOOS list (src/internal/syslist/syslist.go, with wasip1 since Go 1.21), and `wasi`: the OS
// of Docker's and containerd's WebAssembly images (`--platform wasi/wasm`, run by the runwasi
// shims; docs.docker.com "Wasm workloads"), which no GOOS names but registries and builders take.
export const KNOWN_OS = [
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasi',
  'wasip1',
  'windows',
  'zos',
];
export const KNOWN_ARCH = [
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'armbe',
  'arm64',
  'arm64be',
  'ppc64',
  'ppc64le',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'ppc',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
];
const KNOWN_OS_SET = new Set(KNOWN_OS);
const KNOWN_ARCH_SET = new Set(KNOWN_ARCH);

const OS_RE_SRC = '^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.%-]*)((?:\\+[A-Za-z0-9_.%-]+)*)\\))?$';
const OS_RE = new RegExp(OS_RE_SRC);
const SPECIFIER_RE_SRC = '^[A-Za-z0-9_.-]+$';
const SPECIFIER_RE = new RegExp(SPECIFIER_RE_SRC);

function normalizeOS(os: string): string {
  if (os === '') return CLIENT_OS;
  os = os.toLowerCase();
  return os === 'macos' ? 'darwin' : os;
}

function normalizeArch(arch: string, variant: string): [string, string] {
  arch = arch.toLowerCase();
  variant = variant.toLowerCase();
  switch (arch) {
    case 'i386':
      return ['386', ''];
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return ['amd64', variant === 'v1' ? '' : variant];
    case 'aarch64':
    case 'arm64':
      if (variant === '8' || variant === 'v8' || variant === 'v8.0') variant = '';
      else if (variant === '9' || variant === '9.0' || variant === 'v9.0') variant = 'v9';
      return ['arm64', variant];
    case 'armhf':
      return ['arm', 'v7'];
    case 'armel':
      return ['arm', 'v6'];
    case 'arm':
      if (variant === '' || variant === '7') variant = 'v7';
      else if (variant === '5' || variant === '6' || variant === '8') variant = 'v' + variant;
      return ['arm', variant];
  }
  return [arch, variant];
}

export function normalizePlatform(p: Platform): Platform {
  const [arch, variant] = normalizeArch(p.arch, p.variant);
  const out: Platform = { os: normalizeOS(p.os), arch, variant };
  if (p.osVersion) out.osVersion = p.osVersion;
  if (p.osFeatures?.length) out.osFeatures = [...new Set(p.osFeatures)].sort(compareGoStrings);
  return out;
}

/** Go's sort.Strings order: byte-wise, which for these ASCII-safe values is UTF-16 order. */
function compareGoStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * encodeOSOption escapes the characters that would be read as platform syntax inside an OS
 * version or feature, exactly as containerd's FormatAll does (`%` first, then `+ ( ) /`).
 */
export function encodeOSOption(v: string): string {
  return v.replace(/%/g, '%25').replace(/\+/g, '%2B').replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\//g, '%2F');
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.arch, p.variant].filter((s) => s !== '').join('/');
}

/**
 * formatPlatformAll is containerd's `FormatAll`: the OS version and features written inside
 * parentheses, each encoded so that parsing the result gives back the same platform.
 */
export function formatPlatformAll(p: Platform): string {
  const features = p.osFeatures?.length ? [...new Set(p.osFeatures.filter((f) => f !== ''))].sort(compareGoStrings) : [];
  if (!p.osVersion && features.length === 0) return formatPlatform(p);
  const osv = encodeOSOption(p.osVersion ?? '');
  const feats = features.map(encodeOSOption).join('+');
  const os = `${p.os}(${osv}${feats ? '+' + feats : ''})`;
  return formatPlatform({ ...p, os });
}

function pathUnescape(s: string): string | Error {
  if (!s.includes('%')) return s;
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') continue;
    const h = s.slice(i, i + 3);
    if (!/^%[0-9A-Fa-f]{2}$/.test(h)) return new Error(`invalid URL escape ${goQuote(h)}`);
  }
  try {
    return decodeURIComponent(s);
  } catch {
    // Go unescapes to raw bytes, which need not be UTF-8; such a value is accepted by buildx but
    // cannot be written back as text, so the item is marked opaque (no alias, no fix).
    return OPAQUE;
  }
}

/** OPAQUE stands for an OS option whose unescaped bytes are not text. */
const OPAQUE = '\uE001';

/** parseOSFeatures is containerd's parseOSFeatures: `+`-separated, trimmed, decoded; an error text on failure. */
function parseOSFeatures(s: string): string[] | string {
  if (s === '') return [];
  const out: string[] = [];
  for (const piece of s.split('+')) {
    const raw = piece.trim();
    if (raw === '') return 'empty os feature: invalid argument';
    const feature = pathUnescape(raw);
    if (feature instanceof Error) return `invalid os feature ${goQuote(raw)}: ${feature.message}`;
    if (feature !== '') out.push(feature);
  }
  return out;
}

interface ParseOutcome {
  platform: Platform | null;
  error: string | null;
  parts: number;
}

/** containerdParse is `platforms.Parse` with a linux/amd64 client. */
function containerdParse(spec: string): ParseOutcome {
  const inv = ': invalid argument';
  if (spec.includes('*')) return { platform: null, error: `${goQuote(spec)}: wildcards not yet supported${inv}`, parts: 0 };
  const parts: string[] = [];
  let rest = spec;
  while (parts.length < 3) {
    const i = rest.indexOf('/');
    if (i < 0) break;
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  parts.push(rest);
  const p: Platform = { os: '', arch: '', variant: '' };
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i === 0) {
      const m = OS_RE.exec(part);
      if (!m) {
        return {
          platform: null,
          error: `${goQuote(part)} is an invalid OS component of ${goQuote(spec)}: OSAndVersion specifier component must match ${goQuote(OS_RE_SRC)}${inv}`,
          parts: parts.length,
        };
      }
      p.os = normalizeOS(m[1]);
      const v = pathUnescape(m[2] ?? '');
      if (v instanceof Error) {
        return { platform: null, error: `${goQuote(spec)} has an invalid OS version ${goQuote(m[2])}: ${v.message}`, parts: parts.length };
      }
      if (v) p.osVersion = v;
      if (m[3]) {
        const features = parseOSFeatures(m[3].slice(1));
        if (typeof features === 'string') return { platform: null, error: `${goQuote(spec)} has invalid OS features: ${features}`, parts: parts.length };
        if (features.length) p.osFeatures = features;
      }
    } else if (!SPECIFIER_RE.test(part)) {
      return {
        platform: null,
        error: `${goQuote(part)} is an invalid component of ${goQuote(spec)}: platform specifier component must match ${goQuote(SPECIFIER_RE_SRC)}${inv}`,
        parts: parts.length,
      };
    }
  }
  switch (parts.length) {
    case 1: {
      if (KNOWN_OS_SET.has(p.os)) {
        p.arch = CLIENT_ARCH;
        return { platform: p, error: null, parts: 1 };
      }
      const [arch, variant] = normalizeArch(parts[0], '');
      if (KNOWN_ARCH_SET.has(arch)) {
        return { platform: { os: CLIENT_OS, arch, variant: arch === 'arm' && variant === 'v7' ? '' : variant }, error: null, parts: 1 };
      }
      return { platform: null, error: `${goQuote(spec)}: unknown operating system or architecture${inv}`, parts: 1 };
    }
    case 2: {
      const [arch, variant] = normalizeArch(parts[1], '');
      p.arch = arch;
      p.variant = arch === 'arm' && variant === 'v7' ? '' : variant;
      return { platform: p, error: null, parts: 2 };
    }
    case 3: {
      const [arch, variant] = normalizeArch(parts[1], parts[2]);
      p.arch = arch;
      p.variant = arch === 'arm64' && variant === '' ? 'v8' : variant;
      return { platform: p, error: null, parts: 3 };
    }
  }
  return { platform: null, error: `${goQuote(spec)}: cannot parse platform specifier${inv}`, parts: parts.length };
}

type ParsedSpec = { platform: Platform | null; error: string | null; parts: number; local: boolean };

/**
 * Specifiers already parsed, by text. A command's platforms are parsed by several readers (the
 * build model, the platform checks, each alias finding and its fix), and a file repeats the same
 * few platforms on every command: parsing each occurrence again was most of the cost of a file of
 * builds. The parse is a pure function of the text; callers get their own copy of the platform.
 */
const parsedSpecs = new Map<string, ParsedSpec>();
const PARSED_SPECS_MAX = 512;
const PARSED_SPEC_MAX_LENGTH = 64;

function copyParsed(r: ParsedSpec): ParsedSpec {
  if (!r.platform) return { ...r };
  const platform = { ...r.platform };
  if (platform.osFeatures) platform.osFeatures = [...platform.osFeatures];
  return { ...r, platform };
}

/** parsePlatformSpec parses one comma-free specifier the way platformutil's `parse` + Normalize do. */
export function parsePlatformSpec(spec: string): ParsedSpec {
  const known = parsedSpecs.get(spec);
  if (known) return copyParsed(known);
  const r = parsePlatformSpecOnce(spec);
  if (spec.length <= PARSED_SPEC_MAX_LENGTH) {
    if (parsedSpecs.size >= PARSED_SPECS_MAX) parsedSpecs.clear();
    parsedSpecs.set(spec, copyParsed(r));
  }
  return r;
}

function parsePlatformSpecOnce(spec: string): ParsedSpec {
  if (spec.toLowerCase() === 'local') {
    return { platform: { os: CLIENT_OS, arch: CLIENT_ARCH, variant: '' }, error: null, parts: 1, local: true };
  }
  const r = containerdParse(spec);
  return { ...r, platform: r.platform ? normalizePlatform(r.platform) : null, local: false };
}

/** closest returns the nearest candidate within a small edit distance, or undefined. */
export function closest(word: string, candidates: readonly string[], maxDist = 2): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= Math.min(maxDist, Math.max(1, Math.floor(word.length / 2))) ? best : undefined;
}

// Docker Hub's per-arch organisation names (arm64v8/…) are a common source of wrong arch strings.
const HUB_ARCH: Record<string, string> = {
  arm64v8: 'arm64',
  arm32v7: 'arm/v7',
  arm32v6: 'arm/v6',
  arm32v5: 'arm/v5',
  armv7: 'arm/v7',
  armv6: 'arm/v6',
  armv7l: 'arm/v7',
  armv6l: 'arm/v6',
  armv8: 'arm64',
  arm64v9: 'arm64/v9',
  i686: '386',
  x64: 'amd64',
  x86: '386',
  amd64v2: 'amd64/v2',
  amd64v3: 'amd64/v3',
  ppc64el: 'ppc64le',
  aarch32: 'arm/v7',
};

function suggestArch(arch: string): string | undefined {
  const a = arch.toLowerCase();
  if (HUB_ARCH[a]) return HUB_ARCH[a];
  // A truncated name (`amd`) is more likely than a one-letter slip into another arch (`arm`).
  const prefixed = KNOWN_ARCH.filter((k) => k.startsWith(a)).sort((x, y) => x.length - y.length)[0];
  if (prefixed && a.length >= 2) return prefixed;
  const c = closest(a, [...KNOWN_ARCH, 'x86_64', 'aarch64']);
  return c ? normalizeArch(c, '')[0] : undefined;
}

function suggestFor(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed !== text && trimmed !== '') {
    const r = parsePlatformSpec(trimmed);
    if (r.platform) return formatPlatformAll(r.platform);
  }
  const parts = trimmed.split('/');
  if (parts.length === 1) {
    const c = closest(trimmed, [...KNOWN_OS, ...KNOWN_ARCH, 'local']);
    if (c) return c;
    const hub = HUB_ARCH[trimmed.toLowerCase()];
    return hub ? `${CLIENT_OS}/${hub}` : undefined;
  }
  if (parts.length === 2 || parts.length === 3) {
    const os = KNOWN_OS_SET.has(normalizeOS(parts[0])) ? normalizeOS(parts[0]) : (closest(parts[0], KNOWN_OS) ?? parts[0].toLowerCase());
    const [na] = normalizeArch(parts[1], '');
    const arch = KNOWN_ARCH_SET.has(na) ? null : suggestArch(parts[1]);
    if (arch) return `${os}/${arch}`;
    const r = parsePlatformSpec([os, ...parts.slice(1)].join('/'));
    if (r.platform) return formatPlatform(r.platform);
  }
  return undefined;
}

function samePlatformFields(a: Platform, b: Platform): boolean {
  const fa = a.osFeatures ?? [];
  const fb = b.osFeatures ?? [];
  return a.os === b.os && a.arch === b.arch && a.variant === b.variant && (a.osVersion ?? '') === (b.osVersion ?? '') && fa.length === fb.length && fa.every((f, i) => f === fb[i]);
}

/**
 * canonicalSpelling is containerd's FormatAll of a parsed platform, but only when parsing that
 * text gives back the very same platform: FormatAll does not escape every character (a space from
 * `%20` is written raw and no longer parses), and undecodable escapes have no text form. Null means
 * the platform has no spelling a fix could safely write.
 */
export function canonicalSpelling(p: Platform): string | null {
  if ((p.osVersion ?? '').includes(OPAQUE) || (p.osFeatures ?? []).some((f) => f.includes(OPAQUE))) return null;
  const text = formatPlatformAll(p);
  const back = parsePlatformSpec(text);
  return back.platform && samePlatformFields(back.platform, normalizePlatform(p)) ? text : null;
}

/** What makeItem derives from an item's text alone. */
interface ItemFacts {
  platform: Platform | null;
  /** buildx's exact message when the item is rejected. */
  error: string | null;
  canonical: string | null;
  /** The raw text differs from the canonical form (e.g. `linux/x86_64`). */
  isAlias: boolean;
  /** A 2/3-part value whose architecture is not a Go architecture (e.g. `linux/amd`). */
  unknownArch: boolean;
  unknownOs: boolean;
  /** `local`, a bare OS or a bare architecture: the result depends on the client machine. */
  clientDependent: boolean;
  /** Closest valid spelling of the whole item, for typos and stray spaces. */
  suggestion?: string;
}

function itemFacts(text: string): ItemFacts {
  const facts: ItemFacts = { platform: null, error: null, canonical: null, isAlias: false, unknownArch: false, unknownOs: false, clientDependent: false };
  const r = parsePlatformSpec(text);
  if (!r.platform) {
    facts.error = r.error;
    const s = suggestFor(text);
    if (s) facts.suggestion = s;
    return facts;
  }
  facts.platform = r.platform;
  facts.canonical = formatPlatform(r.platform);
  facts.clientDependent = r.parts === 1;
  if (r.parts >= 2) {
    facts.unknownArch = !KNOWN_ARCH_SET.has(r.platform.arch);
    facts.unknownOs = !KNOWN_OS_SET.has(r.platform.os);
    const spelled = canonicalSpelling(r.platform);
    facts.isAlias = spelled !== null && text !== spelled;
    if (facts.unknownArch || facts.unknownOs) {
      const s = suggestFor(text);
      if (s && s !== facts.canonical) facts.suggestion = s;
    }
  }
  return facts;
}

/**
 * A file names the same few platforms again and again: their facts (two parses, a spelling
 * check) are kept per text. Bounded, and only short texts, so memory stays small.
 */
const ITEM_FACTS = new Map<string, ItemFacts>();
const MAX_ITEM_FACTS = 4096;
const MAX_CACHED_ITEM_TEXT = 256;

function makeItem(raw: MappedString): PlatformItem {
  const item: PlatformItem = {
    raw,
    platform: null,
    error: null,
    canonical: null,
    isAlias: false,
    unknownArch: false,
    unknownOs: false,
    clientDependent: false,
    dynamic: false,
  };
  const text = raw.text;
  if (hasDynamic(text)) {
    item.dynamic = true;
    return item;
  }
  let facts = ITEM_FACTS.get(text);
  if (!facts) {
    facts = itemFacts(text);
    if (text.length <= MAX_CACHED_ITEM_TEXT) {
      if (ITEM_FACTS.size >= MAX_ITEM_FACTS) ITEM_FACTS.clear();
      ITEM_FACTS.set(text, facts);
    }
  }
  // Each item gets its own platform object: readers may hold on to it.
  const p = facts.platform;
  if (p) {
    const copy: Platform = { os: p.os, arch: p.arch, variant: p.variant };
    if (p.osVersion !== undefined) copy.osVersion = p.osVersion;
    if (p.osFeatures !== undefined) copy.osFeatures = p.osFeatures.slice();
    item.platform = copy;
  }
  item.error = facts.error;
  item.canonical = facts.canonical;
  item.isAlias = facts.isAlias;
  item.unknownArch = facts.unknownArch;
  item.unknownOs = facts.unknownOs;
  item.clientDependent = facts.clientDependent;
  if (facts.suggestion !== undefined) item.suggestion = facts.suggestion;
  return item;
}

/**
 * parsePlatformList mirrors platformutil.Parse over a list of `--platform` occurrences. Unlike buildx
 * it keeps going after the first bad item so every bad item can be reported.
 */
export function parsePlatformList(values: MappedString[]): PlatformItem[] {
  const out: PlatformItem[] = [];
  for (const v of values) {
    const parts = splitMapped(v, ',');
    for (const p of parts) out.push(makeItem(p));
  }
  return out;
}

function vector(p: Platform): Platform[] {
  const base = { os: p.os, osVersion: p.osVersion };
  const out: Platform[] = [p];
  switch (p.arch) {
    case 'amd64': {
      const v = goAtoi(p.variant.replace(/^v/, ''));
      if (v !== null && v > 1) for (let i = v - 1; i >= 1; i--) out.push({ ...base, arch: 'amd64', variant: 'v' + i });
      out.push({ ...base, arch: '386', variant: '' });
      break;
    }
    case 'arm': {
      const v = goAtoi(p.variant.replace(/^v/, ''));
      if (v !== null && v > 5) for (let i = v - 1; i >= 5; i--) out.push({ ...base, arch: 'arm', variant: 'v' + i });
      break;
    }
    case 'arm64': {
      let variant = p.variant || 'v8';
      const dot = variant.indexOf('.');
      const majorS = dot < 0 ? variant : variant.slice(0, dot);
      const minorS = dot < 0 ? '' : variant.slice(dot + 1);
      let major = goAtoi(majorS.replace(/^v/, ''));
      if (major !== null && major >= 8) {
        let minor = 0;
        if (variant.length === 4 && dot >= 0) {
          const m = goAtoi(minorS);
          if (m !== null) minor = m;
        }
        const push = (maj: number, min: number) => out.push({ ...base, arch: 'arm64', variant: min === 0 ? `v${maj}` : `v${maj}.${min}` });
        if (major === 9) {
          for (let m = minor - 1; m >= 0; m--) push(9, m);
          minor = Math.min(minor + 5, 9);
          major = 8;
          out.push({ ...base, arch: 'arm64', variant: 'v8.' + minor });
        }
        for (let m = minor - 1; m >= 0; m--) push(major, m);
      }
      if (variant.startsWith('v8.') || variant.startsWith('v9.')) variant = 'v8';
      out.push(...vector({ ...base, arch: 'arm', variant }));
      break;
    }
  }
  return out;
}

function goAtoi(s: string): number | null {
  return /^[+-]?\d+$/.test(s) ? parseInt(s, 10) : null;
}

function same(a: Platform, b: Platform): boolean {
  const x = normalizePlatform(a);
  const y = normalizePlatform(b);
  if (x.os !== y.os || x.arch !== y.arch || x.variant !== y.variant) return false;
  // Windows OS versions only matter when both sides state one.
  if (x.os === 'windows' && x.osVersion && y.osVersion) return x.osVersion === y.osVersion;
  return true;
}

/**
 * The answers of platformSatisfies and onlyRank by the fields they read (`same` and `vector` read
 * only the OS, its version, the architecture and the variant): the builder graph's rules ask the
 * same few pairs for every build of a file, and each answer normalises both platforms and builds a
 * vector. Cleared when it grows past MEMO_SIZE, so no input makes it large.
 */
const satisfiesMemo = new Map<string, 'exact' | 'compatible' | 'no'>();
const rankMemo = new Map<string, number>();
const MEMO_SIZE = 4096;

function pairKey(a: Platform, b: Platform): string {
  return `${a.os}\0${a.osVersion ?? ''}\0${a.arch}\0${a.variant}\0${b.os}\0${b.osVersion ?? ''}\0${b.arch}\0${b.variant}`;
}

/** platformSatisfies says whether a node declaring nodePlatform builds `requested` (platforms.Only / OnlyStrict). */
export function platformSatisfies(nodePlatform: Platform, requested: Platform): 'exact' | 'compatible' | 'no' {
  const key = pairKey(nodePlatform, requested);
  const known = satisfiesMemo.get(key);
  if (known !== undefined) return known;
  let out: 'exact' | 'compatible' | 'no' = 'no';
  if (same(nodePlatform, requested)) out = 'exact';
  else {
    for (const cand of vector(normalizePlatform(nodePlatform))) {
      if (same(cand, requested)) {
        out = 'compatible';
        break;
      }
    }
  }
  if (satisfiesMemo.size >= MEMO_SIZE) satisfiesMemo.clear();
  satisfiesMemo.set(key, out);
  return out;
}

/** archFamily is the value a `kubernetes.io/arch` node label has for machines that run p natively. */
export function archFamily(p: Platform): string {
  return normalizePlatform(p).arch;
}

/**
 * onlyRank is where `requested` first matches in the vector of `platforms.Only(nodePlatform)`
 * (0: the node platform itself), or -1. buildx's resolver (`build/resolver/driver.go`, `get`)
 * keeps a later candidate when its matcher ranks the request strictly before the best platform
 * found so far (`orderedPlatformComparer.Less`).
 */
export function onlyRank(nodePlatform: Platform, requested: Platform): number {
  const key = pairKey(nodePlatform, requested);
  const known = rankMemo.get(key);
  if (known !== undefined) return known;
  const v = vector(normalizePlatform(nodePlatform));
  let out = -1;
  for (let i = 0; i < v.length; i++) {
    if (same(v[i], requested)) {
      out = i;
      break;
    }
  }
  if (rankMemo.size >= MEMO_SIZE) rankMemo.clear();
  rankMemo.set(key, out);
  return out;
}
