import { describe, expect, it } from 'vitest';
import { identity, MappedStringBuilder, type MappedString } from '../../server/src/core/mapped-string';
import { archFamily, formatPlatform, parsePlatformList, platformSatisfies, type Platform } from '../../server/src/buildx/platform';

const one = (s: string) => parsePlatformList([identity(s)]);
const P = (s: string): Platform => {
  const [os, arch, variant = ''] = s.split('/');
  return { os, arch, variant };
};

describe('parsePlatformList: containerd platforms.Parse vectors (client linux/amd64)', () => {
  const ok: [string, string][] = [
    ...['linux/x86_64', 'linux/x86-64', 'linux/AMD64', 'Linux/amd64', 'linux/amd64/v1', 'amd64', 'x86_64', 'linux', 'local'].map((s): [string, string] => [s, 'linux/amd64']),
    ['linux/amd64/v2', 'linux/amd64/v2'],
    ...['linux/aarch64', 'linux/arm64/v8', 'linux/arm64/8', 'linux/arm64/v8.0', 'arm64', 'aarch64'].map((s): [string, string] => [s, 'linux/arm64']),
    ['linux/arm64/9', 'linux/arm64/v9'],
    ['linux/arm64/v8.2', 'linux/arm64/v8.2'],
    ...['linux/arm', 'linux/arm/7', 'linux/armhf', 'armhf', 'arm'].map((s): [string, string] => [s, 'linux/arm/v7']),
    ['linux/armel', 'linux/arm/v6'],
    ['linux/arm/6', 'linux/arm/v6'],
    ['linux/arm/8', 'linux/arm/v8'],
    ['linux/i386', 'linux/386'],
    ['windows', 'windows/amd64'],
    ['macos', 'darwin/amd64'],
    ['windows(10.0.17763)/amd64', 'windows/amd64'],
    ['linux/foo', 'linux/foo'],
    ['foo/bar', 'foo/bar'],
    ['linux/arm/v7.1', 'linux/arm/v7.1'],
    ['LOCAL', 'linux/amd64'],
  ];
  it.each(ok)('%s -> %s', (input, want) => {
    const items = one(input);
    expect(items).toHaveLength(1);
    expect(items[0].error).toBeNull();
    expect(items[0].canonical).toBe(want);
    expect(formatPlatform(items[0].platform!)).toBe(want);
  });

  it('keeps the windows OS version', () => {
    expect(one('windows(10.0.17763)/amd64')[0].platform!.osVersion).toBe('10.0.17763');
  });

  const OSRE = '"^([A-Za-z0-9_-]+)(?:\\\\(([A-Za-z0-9_.%-]*)((?:\\\\+[A-Za-z0-9_.%-]+)*)\\\\))?$"';
  const SPECRE = '"^[A-Za-z0-9_.-]+$"';
  const bad: [string[], string[]][] = [
    [['foo'], ['"foo": unknown operating system or architecture: invalid argument']],
    [['linux/amd64/v2/extra'], ['"linux/amd64/v2/extra": cannot parse platform specifier: invalid argument']],
    [[''], [`"" is an invalid OS component of "": OSAndVersion specifier component must match ${OSRE}: invalid argument`]],
    [['/amd64'], [`"" is an invalid OS component of "/amd64": OSAndVersion specifier component must match ${OSRE}: invalid argument`]],
    [['linux/amd64,'], [`"" is an invalid OS component of "": OSAndVersion specifier component must match ${OSRE}: invalid argument`]],
    [['linux/amd64, linux/arm64'], [`" linux" is an invalid OS component of " linux/arm64": OSAndVersion specifier component must match ${OSRE}: invalid argument`]],
    [[' linux/amd64'], [`" linux" is an invalid OS component of " linux/amd64": OSAndVersion specifier component must match ${OSRE}: invalid argument`]],
    [['linux/'], [`"" is an invalid component of "linux/": platform specifier component must match ${SPECRE}: invalid argument`]],
    [['linux//v7'], [`"" is an invalid component of "linux//v7": platform specifier component must match ${SPECRE}: invalid argument`]],
    [['linux/amd64 '], [`"amd64 " is an invalid component of "linux/amd64 ": platform specifier component must match ${SPECRE}: invalid argument`]],
    [['linux/*'], ['"linux/*": wildcards not yet supported: invalid argument']],
  ];
  it.each(bad)('%j is rejected', (input, errs) => {
    const items = parsePlatformList(input.map((s) => identity(s)));
    const got = items.map((i) => i.error).filter((e) => e !== null);
    expect(got).toEqual(errs);
  });

  it('splits comma lists and keeps duplicates', () => {
    const items = parsePlatformList([identity('linux/amd64,linux/arm64'), identity('linux/amd64')]);
    expect(items.map((i) => i.canonical)).toEqual(['linux/amd64', 'linux/arm64', 'linux/amd64']);
  });

  it('suggests the trimmed spelling for a stray space', () => {
    const items = one('linux/amd64, linux/arm64');
    expect(items[1].suggestion).toBe('linux/arm64');
    expect(one('linux/amd64 ')[0].suggestion).toBe('linux/amd64');
  });
});

describe('parsePlatformList: lint flags', () => {
  it('marks aliases', () => {
    expect(one('linux/x86_64')[0].isAlias).toBe(true);
    expect(one('linux/arm64/v8')[0].isAlias).toBe(true);
    expect(one('linux/amd64')[0].isAlias).toBe(false);
    expect(one('linux/arm/v7')[0].isAlias).toBe(false);
    expect(one('windows(10.0.17763)/amd64')[0].isAlias).toBe(false);
  });
  it('marks client-dependent forms', () => {
    for (const s of ['local', 'arm64', 'linux', 'amd64', 'windows']) expect(one(s)[0].clientDependent).toBe(true);
    expect(one('linux/arm64')[0].clientDependent).toBe(false);
  });
  it('marks unknown architectures and suggests', () => {
    const a = one('linux/amd')[0];
    expect(a.error).toBeNull();
    expect(a.unknownArch).toBe(true);
    expect(a.suggestion).toBe('linux/amd64');
    const b = one('linux/arm64v8')[0];
    expect(b.unknownArch).toBe(true);
    expect(b.suggestion).toBe('linux/arm64');
    expect(one('linux/arm32v7')[0].suggestion).toBe('linux/arm/v7');
    expect(one('linux/foo')[0].unknownArch).toBe(true);
    expect(one('linux/riscv64')[0].unknownArch).toBe(false);
  });
  it('marks unknown OS', () => {
    const a = one('linxu/amd64')[0];
    expect(a.unknownOs).toBe(true);
    expect(a.suggestion).toBe('linux/amd64');
    expect(one('foo/bar')[0].unknownOs).toBe(true);
  });
  it('knows the WebAssembly platforms: wasi/wasm (Docker and containerd Wasm images) and GOOS wasip1', () => {
    for (const p of ['wasi/wasm', 'wasip1/wasm']) expect([p, one(p)[0].unknownOs, one(p)[0].unknownArch]).toEqual([p, false, false]);
    expect(one('wasii/wasm')[0].suggestion).toBe('wasi/wasm');
  });
  it('treats dynamic items as unknown', () => {
    const items = one('linux/amd64,linux/\uE000');
    expect(items[0].canonical).toBe('linux/amd64');
    expect(items[1].dynamic).toBe(true);
    expect(items[1].error).toBeNull();
  });
});

function scattered(parts: [string, number][]): MappedString {
  // Each part is placed at its own file offset, leaving gaps like removed shell quotes.
  const b = new MappedStringBuilder();
  let end = 0;
  for (const [text, at] of parts) {
    for (let i = 0; i < text.length; i++) b.push(text[i], at + i, at + i + 1);
    end = at + text.length;
  }
  return b.build(end);
}

describe('parsePlatformList: spans', () => {
  it('raw items map back to file offsets', () => {
    const src = '--platform linux/amd64,linux/arm64';
    const items = parsePlatformList([identity(src, 11)]);
    expect(items.map((i) => src.slice(i.raw.starts[0], i.raw.ends[i.raw.text.length - 1]))).toEqual(['linux/amd64', 'linux/arm64']);
  });
  it('works through quoting', () => {
    // --platform "linux/amd64",'linux/arm64'
    const src = `--platform "linux/amd64,"'linux/arm64'`;
    const ms = scattered([
      ['linux/amd64,', 12],
      ['linux/arm64', 26],
    ]);
    const items = parsePlatformList([ms]);
    const i = items[1];
    expect(src.slice(i.raw.starts[0], i.raw.ends[i.raw.text.length - 1])).toBe('linux/arm64');
  });
});

describe('platformSatisfies (buildx node selection by platform)', () => {
  const cases: [string, string, 'exact' | 'compatible' | 'no'][] = [
    ['linux/amd64', 'linux/amd64', 'exact'],
    ['linux/beta', 'linux/beta', 'exact'],
    ['linux/amd64', 'linux/riscv64', 'no'],
    ['linux/riscv64', 'linux/riscv64', 'exact'],
    ['linux/amd64', 'linux/unknown', 'no'],
    ['linux/arm64', 'linux/arm/v8', 'compatible'],
    ['linux/arm64', 'linux/arm/v7', 'compatible'],
    ['linux/arm64', 'linux/arm/v6', 'compatible'],
    ['linux/arm64', 'linux/arm/v5', 'compatible'],
    ['linux/arm/v8', 'linux/arm/v8', 'exact'],
    ['linux/arm/v8', 'linux/arm/v7', 'compatible'],
    ['linux/arm/v7', 'linux/arm/v8', 'no'],
    ['linux/arm/v7', 'linux/arm/v6', 'compatible'],
    ['linux/arm/v7', 'linux/arm', 'exact'],
    ['linux/amd64', 'linux/386', 'compatible'],
    ['linux/amd64/v3', 'linux/amd64/v2', 'compatible'],
    ['linux/amd64/v3', 'linux/amd64', 'compatible'],
    ['linux/amd64', 'linux/amd64/v2', 'no'],
    ['linux/arm64', 'linux/arm64/v8', 'exact'],
    ['linux/arm64/v8.2', 'linux/arm64/v8.1', 'compatible'],
    ['linux/arm64/v8.2', 'linux/arm64', 'compatible'],
    ['linux/arm64/v9.1', 'linux/arm64/v8.6', 'compatible'],
    ['linux/arm64/v9.1', 'linux/arm64/v9', 'compatible'],
    ['linux/arm64', 'linux/arm64/v8.1', 'no'],
    ['linux/arm64', 'linux/amd64', 'no'],
    ['windows/amd64', 'linux/amd64', 'no'],
  ];
  it.each(cases)('node %s, requested %s -> %s', (node, req, want) => {
    expect(platformSatisfies(P(node), P(req))).toBe(want);
  });
});

describe('archFamily', () => {
  it('maps to kubernetes.io/arch values', () => {
    expect(archFamily(P('linux/arm64'))).toBe('arm64');
    expect(archFamily(P('linux/arm/v7'))).toBe('arm');
    expect(archFamily(P('linux/x86_64'))).toBe('amd64');
    expect(archFamily(P('linux/aarch64'))).toBe('arm64');
    expect(archFamily(P('linux/s390x'))).toBe('s390x');
  });
});
