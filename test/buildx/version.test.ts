/**
 * buildx-version awareness: the `since` data (flags: scripts/buildx-since.mjs over buildx's release
 * tags; driver options: grammar/drivers.json) and KBX450 against a configured or pinned target.
 */
import { describe, expect, it } from 'vitest';
import { compareVersions, isBefore, parseVersion } from '../../server/src/buildx/version';
import { COMMANDS } from '../../server/src/extract/spec';
import { lint } from '../../server/src/engine/lint';

const kbx450 = (text: string, buildx?: string) => lint({ text, fileName: 'x.sh' }, { rules: {}, ...(buildx ? { buildx } : {}) }).diagnostics.filter((d) => d.code === 'KBX450');

describe('parseVersion', () => {
  it.each([
    ['0.12', [0, 12, 0]],
    ['v0.12.1', [0, 12, 1]],
    ['0.13.0-rc1', [0, 13, 0]],
    [' v1.2 ', [1, 2, 0]],
    ['latest', null],
    ['twelve', null],
  ])('%s', (s, want) => expect(parseVersion(s)).toEqual(want));

  it('orders releases numerically', () => {
    expect(compareVersions(parseVersion('0.9')!, parseVersion('0.10')!)).toBeLessThan(0);
    expect(isBefore(parseVersion('0.14.1')!, 'v0.15')).toBe(true);
    expect(isBefore(parseVersion('0.15')!, 'v0.15')).toBe(false);
    expect(isBefore(parseVersion('0.15')!, undefined)).toBe(false);
  });
});

describe('flag history read from buildx release tags', () => {
  // Facts from buildx's changelog-visible releases: --attest/--sbom/--provenance arrived in 0.10,
  // --annotation in 0.12, --call/--check in 0.15, --policy in 0.31; create --bootstrap in 0.7.
  it.each([
    ['build', 'attest', 'v0.10'],
    ['build', 'annotation', 'v0.12'],
    ['build', 'call', 'v0.15'],
    ['build', 'policy', 'v0.31'],
    ['build', 'tag', 'v0.2'],
    ['create', 'bootstrap', 'v0.7'],
    ['create', 'buildkitd-config', 'v0.13'],
  ])('%s --%s since %s', (command, flag, since) => {
    expect(COMMANDS.get(command)!.flags.find((f) => f.name === flag)?.since).toBe(since);
  });
});

describe('KBX450 buildx-version-unsupported', () => {
  it('is silent without a target, and on a new enough one', () => {
    const text = 'docker buildx build --call check --annotation a=b .\n';
    expect(kbx450(text)).toEqual([]);
    expect(kbx450(text, 'latest')).toEqual([]);
    expect(kbx450(text, '0.15')).toEqual([]);
    expect(kbx450(text, 'v0.36.1')).toEqual([]);
  });

  it('reports each flag the target lacks, at the flag name', () => {
    const text = 'docker buildx build --call check --annotation a=b .\n';
    const d = kbx450(text, '0.11');
    expect(d.map((x) => text.slice(x.span.start, x.span.end))).toEqual(['--call', '--annotation']);
    expect(d[0].message).toBe('--call needs buildx v0.15 or later; the target is buildx v0.11');
    expect(d[0].upstream).toBe('unknown flag: --call');
    expect(kbx450(text, '0.12').map((x) => text.slice(x.span.start, x.span.end))).toEqual(['--call']);
  });

  it('reports driver options the target lacks', () => {
    const text = 'docker buildx create --driver kubernetes --driver-opt namespace=ci,timeout=5m,"nodeselector=a=b"\n';
    const d = kbx450(text, '0.14');
    expect(d.map((x) => text.slice(x.span.start, x.span.end))).toEqual(['timeout']);
    expect(d[0].upstream).toBe('invalid driver option timeout for driver kubernetes');
    expect(kbx450(text, '0.15')).toEqual([]);
  });

  it('honours a pin comment in the file over the configuration', () => {
    const text = '# kbx-lint buildx=0.14\ndocker buildx build --call check .\n';
    expect(kbx450(text)).toHaveLength(1);
    expect(kbx450(text, '0.20')).toHaveLength(1);
    expect(kbx450('# kbx-lint buildx=0.15\ndocker buildx build --call check .\n', '0.11')).toEqual([]);
  });

  it('rejects an unreadable configured version', async () => {
    const { validateConfig } = await import('../../server/src/engine/config');
    expect(validateConfig({ buildx: 'twelve' }, () => true).problems).toEqual(['"buildx" must be a release such as "0.12", "v0.13.1" or "latest"']);
    expect(validateConfig({ buildx: '0.12' }, () => true).config.buildx).toBe('0.12');
  });
});

describe('behaviour that changed between releases', () => {
  const text = 'docker context create arm --docker host=ssh://build@arm\ndocker buildx create --name arm\n';
  const kbx430 = (buildx?: string) => lint({ text, fileName: 'x.sh' }, { rules: {}, ...(buildx ? { buildx } : {}) }).diagnostics.filter((d) => d.code === 'KBX430');
  it('a builder named after a context: an error from 0.13 (and by default), a warning before', () => {
    expect(kbx430().map((d) => d.severity)).toEqual(['error']);
    expect(kbx430('0.13').map((d) => d.severity)).toEqual(['error']);
    expect(kbx430('0.12').map((d) => [d.severity, d.upstream])).toEqual([['warning', undefined]]);
  });
});

describe('a CI host pins the release', () => {
  const workflow = (version: string) =>
    [
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: docker/setup-buildx-action@v3',
      '        with:',
      `          version: ${version}`,
      '          driver: kubernetes',
      '          driver-opts: |',
      '            timeout=5m',
      '      - run: docker buildx build --call check .',
      'other:',
      '',
    ].join('\n');
  const found = (version: string) => {
    const text = workflow(version);
    return lint({ text, fileName: '.github/workflows/ci.yml' })
      .diagnostics.filter((d) => d.code === 'KBX450')
      .map((d) => [text.slice(d.span.start, d.span.end), text.slice(d.related![0].span.start, d.related![0].span.end)]);
  };
  it("setup-buildx-action's version: applies to its create and the job's later commands", () => {
    expect(found('v0.12.1')).toEqual([
      ['timeout', 'v0.12.1'],
      ['--call', 'v0.12.1'],
    ]);
    expect(found('v0.15.0')).toEqual([]);
    expect(found('latest')).toEqual([]);
  });
});
