/**
 * OS versions and OS features in platform specifiers, as containerd/platforms parses and formats
 * them (`Parse`, `Normalize`, `FormatAll` in platforms.go). Tables written from the vectors of
 * TestParseSelector, TestFormatAllEncoding and TestFormatAllSkipsEmptyOSFeatures in
 * containerd/platforms at 09756f59cb1d, which buildx vendors for `--platform`.
 *
 * The property test is the guard against a "safe" fix that changes meaning: whenever KBX412 or
 * KBX414 offers a safe replacement, parsing the replacement gives exactly the platform the original
 * text gave (OS, OS version, OS features, architecture, variant).
 */
import { describe, expect, it } from 'vitest';
import { identity } from '../../server/src/core/mapped-string';
import { applyEdits } from '../../server/src/core/fix';
import { formatPlatformAll, parsePlatformList, parsePlatformSpec, type Platform } from '../../server/src/buildx/platform';
import { lint } from '../../server/src/engine/lint';
import { mulberry32 } from '../harness/random';

const parse = (s: string) => parsePlatformSpec(s);

describe('containerd TestParseSelector: OS options', () => {
  const cases: [string, Partial<Platform>, string][] = [
    ['windows()', { os: 'windows' }, 'windows/amd64'],
    ['windows(10.0.17763)', { os: 'windows', osVersion: '10.0.17763' }, 'windows(10.0.17763)/amd64'],
    ['windows(10.0.17763+win32k)', { os: 'windows', osVersion: '10.0.17763', osFeatures: ['win32k'] }, 'windows(10.0.17763+win32k)/amd64'],
    ['linux(+gpu)', { os: 'linux', osFeatures: ['gpu'] }, 'linux(+gpu)/amd64'],
    ['linux(+gpu+simd)', { os: 'linux', osFeatures: ['gpu', 'simd'] }, 'linux(+gpu+simd)/amd64'],
    ['linux(+unsorted+erofs)', { os: 'linux', osFeatures: ['erofs', 'unsorted'] }, 'linux(+erofs+unsorted)/amd64'],
    ['windows(10.0.17763%2Bbuild.42)', { os: 'windows', osVersion: '10.0.17763+build.42' }, 'windows(10.0.17763%2Bbuild.42)/amd64'],
    ['windows(10.0.17763%2Bbuild.42+win32k)', { os: 'windows', osVersion: '10.0.17763+build.42', osFeatures: ['win32k'] }, 'windows(10.0.17763%2Bbuild.42+win32k)/amd64'],
    ['windows(50%25done)', { os: 'windows', osVersion: '50%done' }, 'windows(50%25done)/amd64'],
  ];
  it.each(cases)('%s', (input, want, formatted) => {
    const r = parse(input);
    expect(r.error).toBeNull();
    expect(r.platform!.os).toBe(want.os);
    expect(r.platform!.osVersion).toBe(want.osVersion);
    expect(r.platform!.osFeatures).toEqual(want.osFeatures);
    expect(formatPlatformAll(r.platform!)).toBe(formatted);
  });

  it('rejects empty and badly escaped features', () => {
    // osRe requires at least one character per feature, so `++` fails before parseOSFeatures.
    expect(parse('linux(++gpu)/amd64').error).toContain('is an invalid OS component of');
    expect(parse('linux(+%zz)/amd64').error).toBe('"linux(+%zz)/amd64" has invalid OS features: invalid os feature "%zz": invalid URL escape "%zz"');
  });
});

describe('containerd TestFormatAllEncoding / TestFormatAllSkipsEmptyOSFeatures', () => {
  const cases: [Platform, string][] = [
    [{ os: 'windows', osVersion: '10.0.17763+build.42', arch: 'amd64', variant: '' }, 'windows(10.0.17763%2Bbuild.42)/amd64'],
    [{ os: 'windows', osVersion: '10.0.17763+build.42', osFeatures: ['win32k'], arch: 'amd64', variant: '' }, 'windows(10.0.17763%2Bbuild.42+win32k)/amd64'],
    [{ os: 'windows', osVersion: '50%done', arch: 'amd64', variant: '' }, 'windows(50%25done)/amd64'],
    [{ os: 'windows', osVersion: '1.0(beta)', arch: 'amd64', variant: '' }, 'windows(1.0%28beta%29)/amd64'],
    [{ os: 'windows', osVersion: 'a/b', arch: 'amd64', variant: '' }, 'windows(a%2Fb)/amd64'],
    [{ os: 'linux', osFeatures: ['feat+v2'], arch: 'amd64', variant: '' }, 'linux(+feat%2Bv2)/amd64'],
    [{ os: 'linux', osFeatures: ['100%gpu'], arch: 'amd64', variant: '' }, 'linux(+100%25gpu)/amd64'],
    [{ os: 'windows', osVersion: '10.0+build', osFeatures: ['feat+1'], arch: 'amd64', variant: '' }, 'windows(10.0%2Bbuild+feat%2B1)/amd64'],
    [{ os: 'linux', osFeatures: ['', 'gpu', '', 'simd'], arch: 'amd64', variant: '' }, 'linux(+gpu+simd)/amd64'],
  ];
  it.each(cases)('%j', (p, want) => {
    expect(formatPlatformAll(p)).toBe(want);
    const back = parse(want).platform!;
    expect(back.osVersion).toBe(p.osVersion);
    expect(back.osFeatures ?? []).toEqual((p.osFeatures ?? []).filter((f) => f !== ''));
  });
});

describe('canonical spellings with OS options are not aliases', () => {
  it.each(['windows(10.0.17763%2Bbuild.42)/amd64', 'windows(a%2Fb)/amd64', 'windows(1.0%28beta%29)/amd64', 'linux(+gpu+simd)/amd64', 'windows(10.0.17763)/amd64'])('%s', (s) => {
    const [item] = parsePlatformList([identity(s)]);
    expect(item.error).toBeNull();
    expect(item.isAlias).toBe(false);
    const r = lint({ text: `docker buildx build --platform '${s}' -t a .\n`, fileName: 'x.sh' });
    expect(r.diagnostics.filter((d) => d.code === 'KBX412')).toEqual([]);
  });
});

/** The platform BuildKit receives: Parse + Normalize, compared field by field. */
function meaning(s: string): string | null {
  const r = parse(s);
  if (!r.platform) return null;
  const p = r.platform;
  return JSON.stringify([p.os, p.osVersion ?? '', p.osFeatures ?? [], p.arch, p.variant]);
}

function randomSpec(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const optChars = ['a', 'b', '1', '0', '.', '-', '_', '%2B', '%2F', '%28', '%29', '%25', '%20', '%2b', '%41'];
  const opt = () => Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pick(optChars)).join('');
  let os = pick(['linux', 'Linux', 'windows', 'WINDOWS', 'macos', 'darwin', 'freebsd']);
  if (rand() < 0.7) {
    const version = rand() < 0.6 ? opt() : '';
    const features = Array.from({ length: Math.floor(rand() * 3) }, opt);
    if (rand() < 0.2 && features.length) features.push(features[0]);
    os += `(${version}${features.map((f) => '+' + f).join('')})`;
  }
  const shape = rand();
  if (shape < 0.15) return os;
  const arch = pick(['amd64', 'x86_64', 'X86-64', 'arm64', 'aarch64', 'arm', 'armhf', 'armel', 'i386', '386', 'ppc64le', 's390x']);
  if (shape < 0.6) return `${os}/${arch}`;
  return `${os}/${arch}/${pick(['v1', 'v2', 'v6', 'v7', 'v8', '8', '7', 'v8.2', '9'])}`;
}

describe('property: a safe platform fix never changes the platform', () => {
  it.each([1, 2, 3, 20261201])('seed %i', (seed) => {
    const rand = mulberry32(seed);
    let fixesSeen = 0;
    for (let n = 0; n < 400; n++) {
      const spec = randomSpec(rand);
      const before = meaning(spec);
      if (before === null) continue;
      const text = `docker buildx build --platform '${spec}' -t app .\n`;
      const r = lint({ text, fileName: 'x.sh' });
      for (const d of r.diagnostics) {
        if (!d.fix || d.fix.applicability !== 'safe' || !['KBX412', 'KBX414'].includes(d.code)) continue;
        fixesSeen++;
        const fixed = applyEdits(text, d.fix.edits).text;
        const value = /--platform '?([^' ]*)'?/.exec(fixed)![1];
        expect(meaning(value), `${d.code} on ${spec} wrote ${value}`).toBe(before);
      }
    }
    expect(fixesSeen).toBeGreaterThan(20);
  });
});

describe('KBX414 keeps the OS version in what it suggests', () => {
  it('windows(10.0.17763) → windows(10.0.17763)/amd64', () => {
    const r = lint({ text: `docker buildx build --platform 'windows(10.0.17763)' -t a .\n`, fileName: 'x.sh' });
    const d = r.diagnostics.find((x) => x.code === 'KBX414');
    const said = `${d?.message}; ${d?.help}`;
    expect(said).toContain('"windows(10.0.17763)/amd64"');
    expect(said).not.toContain('"windows/amd64"');
  });
});
