import { describe, expect, it } from 'vitest';

import { brief, diags } from '../harness/flag-rules';
import { said } from '../harness/said';

describe('KBX410 platform-invalid', () => {
  it('reports a list split by the shell at ", " once, at the comma and the extra word (build)', () => {
    const src = 'docker buildx build --platform linux/amd64, linux/arm64 -t app .';
    expect(brief(src)).toEqual([['KBX410', 'error', ', linux/arm64']]);
    const [d] = diags(src);
    expect(said(d)).toContain('a second build context');
    expect(said(d)).toContain('remove the space: --platform linux/amd64,linux/arm64');
    expect(said(d)).toContain("'docker buildx build' requires 1 argument");
  });

  it('follows a list split at several commas', () => {
    const src = 'docker buildx build --platform=linux/amd64, linux/arm64, linux/arm/v7 .';
    expect(brief(src)).toEqual([['KBX410', 'error', ', linux/arm64, linux/arm/v7']]);
    expect(said(diags(src)[0])).toContain('--platform linux/amd64,linux/arm64,linux/arm/v7');
  });

  it('explains the split on create as the endpoint', () => {
    const src = 'docker buildx create --name multi --platform linux/amd64, linux/arm64 --use';
    expect(brief(src)).toEqual([['KBX410', 'error', ', linux/arm64']]);
    expect(said(diags(src)[0])).toContain("builder's endpoint");
  });

  it('reports a leading space inside quotes with the trimmed spelling', () => {
    const src = 'docker buildx build --platform "linux/amd64, linux/arm64" .';
    expect(brief(src)).toEqual([['KBX410', 'error', ' linux/arm64']]);
    const m = said(diags(src)[0]);
    expect(m).toMatch(/^platform " linux\/arm64" has a leading space/);
    expect(m).toContain('"linux/amd64,linux/arm64"');
    expect(m).toContain('" linux" is an invalid OS component of " linux/arm64"');
  });

  it('reports a trailing comma before the build context at the comma', () => {
    expect(brief('docker buildx build --platform linux/amd64, .')).toEqual([['KBX410', 'error', ',']]);
    expect(brief('docker buildx build --platform linux/amd64,,linux/arm64 .')).toEqual([['KBX410', 'error', ',']]);
  });

  it("reports words buildx cannot parse, with containerd's message", () => {
    const src = "docker buildx build --platform 'linux/*' --platform foo .";
    const d = diags(src);
    expect(d.map((x) => [x.code, x.severity, x.text])).toEqual([
      ['KBX410', 'error', 'linux/*'],
      ['KBX410', 'error', 'foo'],
    ]);
    expect(said(d[0])).toContain('"linux/*": wildcards not yet supported: invalid argument');
    expect(said(d[1])).toContain('"foo": unknown operating system or architecture: invalid argument');
  });

  it('reports an empty value', () => {
    expect(brief('docker buildx build --platform "" .')).toEqual([['KBX410', 'error', '""']]);
  });

  it('works in a Makefile recipe through $(VAR)', () => {
    const mk = 'PLATFORMS = linux/amd64,,linux/arm64\nimage:\n\tdocker buildx build --platform $(PLATFORMS) -t app .\n';
    expect(brief(mk, 'Makefile')).toEqual([['KBX410', 'error', '$(PLATFORMS)']]);
  });
});

describe('KBX411 platform-unknown-os-arch', () => {
  it('warns on architecture typos that buildx accepts, with a suggestion', () => {
    const src = 'docker buildx build --platform "linux/amd64,linux/arm64v8" --platform linux/amd .';
    const d = diags(src);
    expect(d.map((x) => [x.code, x.severity, x.text])).toEqual([
      ['KBX411', 'warning', 'linux/arm64v8'],
      ['KBX411', 'warning', 'linux/amd'],
    ]);
    expect(said(d[0])).toContain('did you mean "linux/arm64"?');
    expect(said(d[1])).toContain('did you mean "linux/amd64"?');
  });

  it('warns on an unknown OS', () => {
    const d = diags('docker buildx create --platform linx/amd64');
    expect(d.map((x) => [x.code, x.text])).toEqual([['KBX411', 'linx/amd64']]);
    expect(said(d[0])).toContain('unknown operating system "linx"');
  });
});

describe('KBX412 platform-alias', () => {
  it('reports aliases through shell quoting, with the canonical form', () => {
    const src = 'docker buildx build --platform "linux/x86_64" --platform \'linux/aarch64\',linux/armhf .';
    const d = diags(src);
    expect(d.map((x) => [x.code, x.severity, x.text])).toEqual([
      ['KBX412', 'info', 'linux/x86_64'],
      ['KBX412', 'info', 'linux/aarch64'],
      ['KBX412', 'info', 'linux/armhf'],
    ]);
    expect(said(d[0])).toContain('"linux/amd64"');
    expect(said(d[1])).toContain('"linux/arm64"');
    expect(said(d[2])).toContain('"linux/arm/v7"');
  });

  it('reports upper case', () => {
    expect(brief('docker buildx build --platform Linux/AMD64 .')).toEqual([['KBX412', 'info', 'Linux/AMD64']]);
  });

  it('works in a Makefile recipe through $(VAR)', () => {
    const mk = 'PLATFORMS := linux/x86_64,linux/arm64\nbuild:\n\tdocker buildx build --platform $(PLATFORMS) -t app .\n';
    const d = diags(mk, 'Makefile');
    expect(d.map((x) => [x.code, x.text])).toEqual([['KBX412', '$(PLATFORMS)']]);
    expect(said(d[0])).toContain('"linux/x86_64" is another spelling of "linux/amd64"');
  });

  it('leaves the default variant alone, whether omitted or spelled out', () => {
    expect(brief('docker buildx build --platform linux/arm,linux/arm64/v8,linux/amd64/v1,linux/arm/v7,linux/amd64/v2 .')).toEqual([]);
  });
});

describe('KBX413 platform-arm-v8-32bit', () => {
  it('points out that linux/arm/v8 is 32-bit', () => {
    const d = diags('docker buildx build --platform linux/amd64,linux/arm/v8 -t app .');
    expect(d.map((x) => [x.code, x.severity, x.text])).toEqual([['KBX413', 'info', 'linux/arm/v8']]);
    expect(said(d[0])).toContain('"linux/arm64"');
  });
});

describe('KBX414 platform-client-dependent', () => {
  it('reports a bare architecture and a bare OS, not the deliberate local', () => {
    const d = diags('docker buildx build --platform local --platform "arm64" --platform linux --platform LOCAL --platform amd64 .');
    expect(d.map((x) => [x.code, x.severity, x.text])).toEqual([
      ['KBX414', 'info', 'arm64'],
      ['KBX414', 'info', 'linux'],
      ['KBX414', 'info', 'amd64'],
    ]);
    expect(said(d[0])).toContain('darwin/arm64');
    expect(said(d[0])).toContain('write "linux/arm64"');
    expect(said(d[1])).toContain('write "linux/amd64"');
  });

  it('applies to create --platform too', () => {
    expect(brief('docker buildx create --name x --platform amd64')).toEqual([['KBX414', 'info', 'amd64']]);
  });
});

describe('platform rules: clean and dynamic values', () => {
  it('accepts canonical lists', () => {
    expect(brief('docker buildx create --name kube --driver kubernetes --platform linux/amd64,linux/arm64 --use')).toEqual([]);
    expect(brief('docker buildx build --platform linux/amd64,linux/arm64,linux/arm/v7,linux/ppc64le,linux/s390x,linux/riscv64,linux/386 .')).toEqual([]);
    expect(brief('docker buildx build --platform windows/amd64 --platform darwin/arm64 .')).toEqual([]);
  });

  it('never judges the run-time part of a value', () => {
    expect(brief('docker buildx build --platform "$PLATFORMS" --platform "linux/${ARCH}" --platform $(echo x) .')).toEqual([]);
    const mk = 'build:\n\tdocker buildx build --platform $(PLATFORMS) --platform linux/$(ARCH) .\n';
    expect(brief(mk, 'Makefile')).toEqual([]);
  });

  it('still judges the static items of a partly dynamic list', () => {
    expect(brief('docker buildx build --platform "$BASE",linux/x86_64 .')).toEqual([['KBX412', 'info', 'linux/x86_64']]);
  });
});
