import { describe, expect, it } from 'vitest';
import { identity, MappedStringBuilder, type MappedString } from '../../server/src/core/mapped-string';
import type { Span } from '../../server/src/core/span';
import {
  checkBuildCombinations,
  parseAddHost,
  parseAllow,
  parseAnnotation,
  parseAttest,
  parseBuildContext,
  parseCache,
  parseCall,
  parseCheck,
  parseKeyValue,
  parseNetwork,
  parseOutput,
  parseProgress,
  parseResource,
  parseSecret,
  parseShmSize,
  parseSsh,
  checkSshList,
  parseTag,
  tagProblems,
  parseUlimit,
  type BuildFlagsInput,
} from '../../server/src/buildx/build-flags';
import { ramInBytes, parseBool, goQuote } from '../../server/src/buildx/goparse';
import { mulberry32 } from '../harness/random';

const I = (s: string) => identity(s);
const text = (src: string, sp: Span) => src.slice(sp.start, sp.end);

/** scattered places each piece at its own offset, as shell quote removal does. */
function scattered(src: string, pieces: string[]): MappedString {
  const b = new MappedStringBuilder();
  let from = 0;
  let end = 0;
  for (const p of pieces) {
    const at = src.indexOf(p, from);
    for (let i = 0; i < p.length; i++) b.push(p[i], at + i, at + i + 1);
    from = end = at + p.length;
  }
  return b.build(end);
}

describe('go helpers', () => {
  it('RAMInBytes', () => {
    expect(ramInBytes('2g')).toEqual({ ok: true, value: 2147483648 });
    expect(ramInBytes('64m')).toEqual({ ok: true, value: 67108864 });
    expect(ramInBytes('1 KiB')).toEqual({ ok: true, value: 1024 });
    expect(ramInBytes('10')).toEqual({ ok: true, value: 10 });
    expect(ramInBytes('10b')).toEqual({ ok: true, value: 10 });
    expect(ramInBytes('1.5k')).toEqual({ ok: true, value: 1536 });
    expect(ramInBytes('abc')).toEqual({ ok: false, error: "invalid size: 'abc'" });
    expect(ramInBytes('-1')).toEqual({ ok: false, error: "invalid size: '-1'" });
    expect(ramInBytes('1x')).toEqual({ ok: false, error: "invalid suffix: 'x'" });
    expect(ramInBytes('1GBB')).toEqual({ ok: false, error: "invalid suffix: 'gbb'" });
    expect(ramInBytes('1gigs')).toEqual({ ok: false, error: "invalid suffix: 'gigs'" });
    expect(ramInBytes('1.2.3')).toEqual({ ok: false, error: 'strconv.ParseFloat: parsing "1.2.3": invalid syntax' });
  });
  it('ParseBool and quoting', () => {
    expect(parseBool('True')).toEqual({ ok: true, value: true });
    expect(parseBool('yes')).toEqual({ ok: false, error: 'strconv.ParseBool: parsing "yes": invalid syntax' });
    expect(goQuote('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
  });
});

describe('--output', () => {
  it('shorthand forms', () => {
    expect(parseOutput(I('./out')).value).toMatchObject({ type: 'local', dest: './out', shorthand: true });
    expect(parseOutput(I('-')).value).toMatchObject({ type: 'tar', dest: '-', toStdout: true });
    expect(parseOutput(I('')).value).toBeNull();
  });
  it('dest= trap', () => {
    const src = '-o dest=./out';
    const r = parseOutput(identity(src, 3));
    expect(r.value).toMatchObject({ type: 'local', dest: 'dest=./out' });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ kind: 'output-shorthand-trap', severity: 'warning' });
    expect(text(src, r.problems[0].span)).toBe('dest=./out');
    expect(parseOutput(I('TYPE=docker')).problems[0].kind).toBe('output-shorthand-trap');
  });
  it('full forms', () => {
    expect(parseOutput(I('type=local,dest=out')).problems).toEqual([]);
    expect(parseOutput(I('type=registry')).value).toMatchObject({ type: 'image', writtenType: 'registry', pushes: true });
    expect(parseOutput(I('type=registry,unpack=true')).value!.attrs.push).toBe('true');
    expect(parseOutput(I('type=image,push=true')).value!.pushes).toBe(true);
    expect(parseOutput(I('type=image')).value!.pushes).toBe(false);
    expect(parseOutput(I('type=docker')).value).toMatchObject({ loadsToDocker: true, toStdout: false });
    expect(parseOutput(I('type=oci')).value!.toStdout).toBe(true);
    expect(parseOutput(I('type=tar,dest=x.tar')).value!.toStdout).toBe(false);
    expect(parseOutput(I(' TYPE =local,dest=x')).value!.type).toBe('local');
  });
  it('errors', () => {
    const cases: [string, string, string][] = [
      ['type=local', 'output-dest-required', 'dest is required for local exporter'],
      ['type=local,dest=-', 'output-dest-stdout', 'dest cannot be stdout for local exporter'],
      ['type=oci,tar=false', 'output-dest-required', 'dest is required for oci exporter'],
      ['dest=out,push=true', 'output-missing-type', 'type is required for output'],
      ['type=local,out', 'output-invalid-field', 'invalid value out'],
      ['type=local,dest="a,b"', 'output-csv', 'parse error on line 1, column 17: bare " in non-quoted-field'],
    ];
    for (const [input, kind, msg] of cases) {
      const r = parseOutput(I(input));
      expect(
        r.problems.map((p) => p.kind),
        input,
      ).toContain(kind);
      const p = r.problems.find((x) => x.kind === kind)!;
      expect(p.upstream?.endsWith(msg), p.upstream).toBe(true);
    }
  });
  it('spans point at the bad field through quoting', () => {
    // -o 'type=local','out'   (shell joins them)
    const src = `-o 'type=local,'"out"`;
    const ms = scattered(src, ['type=local,', 'out']);
    const r = parseOutput(ms);
    expect(r.problems[0].kind).toBe('output-invalid-field');
    expect(text(src, r.problems[0].span)).toBe(`out`);
    const unk = parseOutput(identity('-o type=dockr', 3));
    expect(unk.problems[0].kind).toBe('output-unknown-type');
    expect(text('-o type=dockr', unk.problems[0].span)).toBe('dockr');
    expect(unk.problems[0].data).toEqual({ suggestion: 'docker' });
  });
  it('dynamic values are not judged', () => {
    expect(parseOutput(I('\uE000')).problems).toEqual([]);
    expect(parseOutput(I('type=local,dest=\uE000')).problems).toEqual([]);
    expect(parseOutput(I('\uE000,dest=x')).problems).toEqual([]);
  });
});

describe('--cache-from / --cache-to (cache_test)', () => {
  it('ref-only list', () => {
    const r = parseCache(I('ref1,ref2'));
    expect(r.value!.map((e) => [e.type, e.attrs.ref])).toEqual([
      ['registry', 'ref1'],
      ['registry', 'ref2'],
    ]);
  });
  it('missing type', () => {
    const r = parseCache(I('test=test'));
    expect(r.problems[0].kind).toBe('cache-missing-type');
    expect(r.problems[0].upstream?.endsWith('type required for "test=test"')).toBe(true);
  });
  it('typed entries', () => {
    const r = parseCache(I('type=registry,ref=user/app:cache,mode=max'), 'cache-to');
    expect(r.problems).toEqual([]);
    expect(r.value![0]).toMatchObject({ type: 'registry', attrs: { ref: 'user/app:cache', mode: 'max' } });
    expect(parseCache(I('TYPE=gha')).value![0].type).toBe('gha');
  });
  it('empty list items fail with EOF', () => {
    for (const s of ['a,,b', 'a,']) {
      const r = parseCache(I(s));
      expect(r.problems[0].kind).toBe('cache-empty-ref');
      expect(r.problems[0].upstream?.endsWith('EOF')).toBe(true);
    }
  });
  it('field without =', () => {
    const src = 'type=local,src=x,oops';
    const r = parseCache(I(src));
    expect(r.problems[0].upstream?.endsWith('invalid value oops')).toBe(true);
    expect(text(src, r.problems[0].span)).toBe('oops');
  });
  it('unknown type warns', () => {
    expect(parseCache(I('type=registy,ref=x')).problems[0]).toMatchObject({ kind: 'cache-unknown-type', severity: 'warning' });
  });
});

describe('--secret', () => {
  it('valid', () => {
    expect(parseSecret(I('id=npm,src=.npmrc')).value).toMatchObject({ id: 'npm', src: '.npmrc' });
    expect(parseSecret(I('id=tok,type=env,src=TOKEN')).value).toMatchObject({ env: 'TOKEN', src: '' });
    expect(parseSecret(I('id=x,env=Y')).problems).toEqual([]);
  });
  it('errors', () => {
    const cases: [string, string][] = [
      ['id=x,foo', "invalid field 'foo' must be a key=value pair"],
      ['id=x,type=ssh', 'unsupported secret type "ssh"'],
      ['id=x,file=y', "unexpected key 'file' in 'id=x,file=y'"],
      ['src=y', 'secret missing ID'],
      ['id=x,src="a', 'failed to parse csv secret: parse error on line 1, column 10: bare " in non-quoted-field'],
      ['id=x,"src=a', 'failed to parse csv secret: parse error on line 1, column 7: extraneous or missing " in quoted-field'],
    ];
    for (const [input, msg] of cases) {
      const r = parseSecret(I(input));
      expect(r.problems.length, input).toBeGreaterThan(0);
      expect(r.problems[0].upstream?.endsWith(msg), r.problems[0].upstream).toBe(true);
    }
    const src = 'id=x,sorce=y';
    expect(text(src, parseSecret(I(src)).problems[0].span)).toBe('sorce');
  });
});

describe('--ssh', () => {
  it('parses ids and paths', () => {
    expect(parseSsh(I('default')).value).toMatchObject({ id: 'default', paths: [] });
    expect(parseSsh(I('=a,b')).value).toMatchObject({ id: 'default', paths: ['a', 'b'] });
    expect(parseSsh(I('gh=~/.ssh/id')).value).toMatchObject({ id: 'gh', paths: ['~/.ssh/id'] });
    expect(parseSsh(I('gh=')).problems[0].kind).toBe('ssh-empty-path');
  });
  it('duplicate ids', () => {
    const p = checkSshList([I('default'), I('=x')]);
    expect(p[0].upstream?.endsWith('duplicate agent ID "default"')).toBe(true);
  });
});

describe('--attest / --sbom / --provenance', () => {
  it('valid', () => {
    expect(parseAttest(I('type=sbom')).value).toMatchObject({ type: 'sbom', disabled: false });
    expect(parseAttest(I('type=provenance,mode=max')).value!.attrs).toEqual({ mode: 'max' });
    expect(parseAttest(I('type=sbom,disabled=true')).value!.disabled).toBe(true);
    expect(parseAttest(I('type=sbom,"FOO=bar,baz"')).value!.attrs).toEqual({ FOO: 'bar,baz' });
    expect(parseAttest(I('false'), 'provenance').value).toMatchObject({ type: 'provenance', disabled: true });
    expect(parseAttest(I('mode=max'), 'provenance').value).toMatchObject({ type: 'provenance', attrs: { mode: 'max' } });
    expect(parseAttest(I('1'), 'sbom').value).toMatchObject({ type: 'sbom', disabled: false });
  });
  it('errors', () => {
    expect(parseAttest(I('')).problems[0].upstream?.endsWith('EOF')).toBe(true);
    expect(parseAttest(I('mode=max')).problems[0].upstream?.endsWith('attestation type not specified')).toBe(true);
    expect(parseAttest(I('type=sbom,x')).problems[0].upstream?.endsWith('invalid value x')).toBe(true);
    expect(parseAttest(I('type=sbom,disabled=maybe')).problems[0].upstream?.endsWith('invalid value disabled=maybe: strconv.ParseBool: parsing "maybe": invalid syntax')).toBe(true);
    expect(parseAttest(I('max'), 'provenance').problems[0].kind).toBe('attest-invalid-field');
  });
});

describe('-t / --tag', () => {
  it('valid', () => {
    for (const t of ['alpine', 'user/app:1.0', 'localhost:5000/a/b:Tag_1', 'ghcr.io/Org/x:1'.toLowerCase(), 'MyRegistry.io/x:1']) {
      expect(parseTag(I(t)).problems, t).toEqual([]);
    }
  });
  it('errors', () => {
    const src = 'library/Foo';
    let r = parseTag(I('Foo'));
    expect(r.problems[0].upstream?.endsWith('invalid tag "Foo": invalid reference format: repository name (library/Foo) must be lowercase')).toBe(true);
    expect(text('Foo', r.problems[0].span)).toBe('F');
    r = parseTag(I('user/MyApp:1'));
    expect(text('user/MyApp:1', r.problems[0].span)).toBe('MyA');
    expect(parseTag(I('app:bad tag')).problems[0].upstream?.endsWith('invalid reference format')).toBe(true);
    expect(parseTag(I('app:')).problems[0].upstream?.endsWith('invalid tag "app:": invalid reference format')).toBe(true);
    expect(parseTag(I('')).problems[0].upstream?.endsWith('invalid tag "": invalid reference format')).toBe(true);
    expect(src).toBe('library/Foo');
  });
});

describe('tagProblems', () => {
  // Its fast path must agree with the full parse on every name, so names are drawn from the
  // characters that decide the grammar: separators, a port colon, a digest, case, a 64-hex name.
  it('agrees with parseTag on generated names', () => {
    const rnd = mulberry32(1412);
    const pieces = ['a', 'b', '0', '9', 'f', 'A', 'Z', '.', '_', '__', '-', '--', '/', ':', '@', ' ', 'x.io', 'localhost', '5000', 'sha256:' + 'ab'.repeat(32)];
    let plain = 0;
    for (let n = 0; n < 1500; n++) {
      let t = '';
      const len = Math.floor(rnd() * 12);
      for (let i = 0; i < len; i++) t += pieces[Math.floor(rnd() * pieces.length)];
      if (n % 97 === 0) t = 'ab12'.repeat(16); // 64 hexadecimal characters: never a name
      if (n % 89 === 0) t = 'a'.repeat(190 + (n % 40)) + ':t';
      const full = parseTag(I(t)).problems;
      expect(tagProblems(I(t)), t).toEqual(full);
      if (full.length === 0) plain++;
    }
    expect(plain).toBeGreaterThan(80);
  });
});

describe('--build-context', () => {
  it('valid and normalised', () => {
    expect(parseBuildContext(I('docker.io/library/alpine:latest=docker-image://alpine')).value!.name).toBe('alpine');
    expect(parseBuildContext(I('project=../src')).value).toMatchObject({ name: 'project', value: '../src' });
    expect(parseBuildContext(I('')).value).toBeNull();
  });
  it('errors', () => {
    expect(parseBuildContext(I('foo')).problems[0].upstream?.endsWith('invalid context value: foo, expected key=value')).toBe(true);
    const r = parseBuildContext(I('MyCtx=./x'));
    expect(r.problems[0].upstream?.endsWith('invalid context name MyCtx: invalid reference format: repository name (library/MyCtx) must be lowercase')).toBe(true);
    expect(text('MyCtx=./x', r.problems[0].span)).toBe('MyCtx');
  });
});

describe('--allow', () => {
  it('entitlements', () => {
    for (const a of ['network.host', 'security.insecure', 'buildx.local.delete', 'device', 'device=nvidia.com/gpu,alias=gpu']) {
      expect(parseAllow(I(a)).problems, a).toEqual([]);
    }
    expect(parseAllow(I('buildx.local.delete=true')).problems[0].upstream?.endsWith('buildx.local.delete does not accept a value')).toBe(true);
    expect(parseAllow(I('network.hosts')).problems[0].upstream?.endsWith('unknown entitlement network.hosts')).toBe(true);
    expect(parseAllow(I('network.hosts')).problems[0].data).toEqual({ suggestion: 'network.host' });
    expect(parseAllow(I('device=x,foo=1')).problems[0].upstream?.endsWith('unknown device config key "foo"')).toBe(true);
    expect(parseAllow(I('device=x,foo')).problems[0].upstream?.endsWith('invalid device config "foo"')).toBe(true);
  });
});

describe('--add-host (build/utils_test TestToBuildkitExtraHosts)', () => {
  const valid: [string, string][] = [
    ['myhost:192.168.0.1', 'myhost=192.168.0.1'],
    ['myhost=192.168.0.1', 'myhost=192.168.0.1'],
    ['myhost=[192.168.0.1]', 'myhost=[192.168.0.1]'],
    ['anipv6host:2003:ab34:e::1', 'anipv6host=2003:ab34:e::1'],
    ['anipv6host=[2003:ab34:e::1]', 'anipv6host=[2003:ab34:e::1]'],
    ['ipv6local:::1', 'ipv6local=::1'],
    ['ipv6local=0:0:0:0:0:0:0:1', 'ipv6local=0:0:0:0:0:0:0:1'],
    ['"myhost=162.242.195.82,162.242.195.83"', 'myhost=162.242.195.82,162.242.195.83'],
    ['h=host-gateway', 'h=host-gateway'],
  ];
  it.each(valid)('%s', (input, want) => {
    const r = parseAddHost(I(input));
    expect(r.problems).toEqual([]);
    expect(r.value!.map((h) => `${h.host}=${h.ip}`)).toEqual([want]);
  });
  const invalid = ['myhost:192.notanipaddress.1', 'thathost-nosemicolon10.0.0.1', 'anipv6host:::::1', 'ipv6local:::0::', 'ipv6addr=[::1', 'ipv6addr=::1]', 'myhost.invalid:', 'myhost.invalid='];
  it.each(invalid)('%s is rejected', (input) => {
    const r = parseAddHost(I(input));
    expect(r.problems[0].kind).toBe('add-host-invalid');
    expect(r.problems[0].upstream?.endsWith(`invalid host ${input}`)).toBe(true);
  });
  it('empty value adds nothing; empty CSV entry fails', () => {
    expect(parseAddHost(I('')).value).toEqual([]);
    expect(parseAddHost(I('a=1.1.1.1,')).problems[0].upstream?.endsWith('invalid host ')).toBe(true);
  });
  it('pflag splits unquoted commas', () => {
    const src = '--add-host myhost=162.242.195.82,162.242.195.83';
    const r = parseAddHost(identity(src, 11));
    expect(r.problems[0].kind).toBe('add-host-comma-split');
    expect(text(src, r.problems[0].span)).toBe('162.242.195.83');
  });
  it('CSV errors are wrapped like pflag', () => {
    const r = parseAddHost(I('a="1.1.1.1"'));
    expect(r.problems[0].upstream?.endsWith('invalid argument "a=\\"1.1.1.1\\"" for "--add-host" flag: parse error on line 1, column 3: bare " in non-quoted-field')).toBe(true);
  });
  it('span of the bad address', () => {
    const src = `--add-host 'db=10.0.0.300'`;
    const r = parseAddHost(scattered(src, ['db=10.0.0.300']));
    expect(text(src, r.problems[0].span)).toBe('10.0.0.300');
  });
});

describe('--annotation (export_test ParseAnnotations)', () => {
  it.each(['a=b', 'com.example=a', 'manifest:com.example=a', 'manifest[plat/form]:com.example=a', 'index,manifest:com.example=a', 'manifest:org.example:x=1'])('%s ok', (s) => {
    const r = parseAnnotation(I(s));
    expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
  it('index,manifest gives two entries', () => {
    expect(parseAnnotation(I('index,manifest:com.example=a')).value!.map((a) => a.types[0])).toEqual(['index', 'manifest']);
  });
  it('errors', () => {
    let r = parseAnnotation(I('bad:com.example=a'));
    expect(r.problems[0].upstream?.endsWith('parse annotations: unknown annotation type "bad"')).toBe(true);
    expect(text('bad:com.example=a', r.problems[0].span)).toBe('bad');
    r = parseAnnotation(I('org.example:x=1'));
    expect(r.problems[0].upstream?.endsWith('parse annotations: invalid annotation type "org.example", expected type and optional platform in square brackets')).toBe(true);
    r = parseAnnotation(I('foo'));
    expect(r.problems[0].upstream?.endsWith('parse annotations: invalid annotation "foo", expected key=value')).toBe(true);
    r = parseAnnotation(I('manifest[linux/amd64/v2/x]:k=v'));
    expect(r.problems[0].upstream).toContain('parse annotations: invalid platform "linux/amd64/v2/x": "linux/amd64/v2/x": cannot parse platform specifier');
    expect(parseAnnotation(I('manifest:my key=v')).problems[0].kind).toBe('annotation-key-whitespace');
    expect(parseAnnotation(I('index[linux/amd64]:k=v')).problems[0]).toMatchObject({ kind: 'annotation-index-platform-dropped', severity: 'info' });
  });
});

describe('--ulimit', () => {
  it('valid', () => {
    expect(parseUlimit(I('nofile=1024:2048')).value).toEqual({ name: 'nofile', soft: 1024n, hard: 2048n });
    expect(parseUlimit(I('nproc=512')).value).toEqual({ name: 'nproc', soft: 512n, hard: 512n });
    expect(parseUlimit(I('core=-1')).problems).toEqual([]);
    expect(parseUlimit(I('memlock=-1:-1')).problems).toEqual([]);
    expect(parseUlimit(I('nofile=1024:-1')).problems).toEqual([]);
  });
  const cases: [string, string][] = [
    ['nofile', 'invalid ulimit argument: nofile'],
    ['as=1', 'invalid ulimit type: as'],
    ['nofile=a', 'strconv.ParseInt: parsing "a": invalid syntax'],
    ['nofile=1:2:3', 'too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`'],
    ['nofile=2048:1024', 'ulimit soft limit must be less than or equal to hard limit: 2048 > 1024'],
    ['nofile=-1:1024', 'ulimit soft limit must be less than or equal to hard limit: soft: -1 (unlimited), hard: 1024'],
    ['nofile=99999999999999999999', 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
  ];
  it.each(cases)('%s', (input, msg) => {
    const r = parseUlimit(I(input));
    expect(r.problems[0].upstream?.endsWith(msg), r.problems[0].upstream).toBe(true);
    expect(r.problems[0].upstream).toContain(`invalid argument "${input}" for "--ulimit" flag`);
  });
  it('span of unknown name', () => {
    expect(text('nofiles=1', parseUlimit(I('nofiles=1')).problems[0].span)).toBe('nofiles');
  });
});

describe('--network / --progress / --call / --check', () => {
  it('network', () => {
    for (const n of ['', 'default', 'none', 'host']) expect(parseNetwork(I(n)).problems).toEqual([]);
    expect(
      parseNetwork(I('bridge')).problems[0].upstream?.endsWith(
        'network mode "bridge" not supported by buildkit - you can define a custom network for your builder using the network driver-opt in buildx create',
      ),
    ).toBe(true);
  });
  it('progress', () => {
    for (const n of ['auto', 'tty', 'plain', 'quiet', 'rawjson', 'none']) expect(parseProgress(I(n)).problems).toEqual([]);
    const r = parseProgress(I('plane'));
    expect(r.problems[0].upstream?.endsWith('invalid progress mode plane')).toBe(true);
    expect(r.problems[0].data).toEqual({ suggestion: 'plain' });
  });
  it('call', () => {
    expect(parseCall(I('build')).value!.name).toBeNull();
    expect(parseCall(I('')).value!.name).toBeNull();
    expect(parseCall(I('check')).value!.name).toBe('lint');
    expect(parseCall(I('outline,format=json')).value).toEqual({ name: 'outline', format: 'json', ignoreStatus: false });
    expect(parseCall(I('check,ignorestatus=true')).value!.ignoreStatus).toBe(true);
    expect(parseCall(I('check,outline')).problems[0].upstream?.endsWith('invalid print value: check,outline')).toBe(true);
    expect(parseCall(I('check,foo=1')).problems[0].upstream?.endsWith('invalid print field: foo=1')).toBe(true);
    expect(parseCall(I('check,ignorestatus=maybe')).problems[0].upstream?.endsWith('invalid ignorestatus print value: maybe: strconv.ParseBool: parsing "maybe": invalid syntax')).toBe(true);
    expect(parseCall(I('outlines')).problems[0]).toMatchObject({ kind: 'call-unknown-method', severity: 'warning', data: { suggestion: 'outline' } });
  });
  it('check', () => {
    expect(parseCheck(I('true')).value).toBe(true);
    expect(parseCheck(I('yes')).problems[0].upstream?.endsWith('invalid argument "yes" for "--check" flag: strconv.ParseBool: parsing "yes": invalid syntax')).toBe(true);
  });
});

describe('--resource (build/utils_test TestParseResourceLimits)', () => {
  it.each(['memory=2g', 'memory-swap=4g', 'cpu-shares=1024', 'cpu-period=100000', 'cpu-quota=50000', 'cpuset-cpus=0-3', 'cpuset-mems=0,1', 'memory-swap=-1', ' memory = 1g '])('%s ok', (s) => {
    expect(parseResource(I(s)).problems).toEqual([]);
  });
  it('memory=2g is 2147483648 bytes', () => {
    expect(parseResource(I('memory=2g')).value!.bytes).toBe(2147483648);
  });
  const bad: [string, string][] = [
    ['memory', 'invalid resource "memory", expected key=value'],
    ['bogus=1', 'unknown resource "bogus"'],
    ['cpu-shares=notanumber', 'invalid value "notanumber" for resource cpu-shares: strconv.ParseInt: parsing "notanumber": invalid syntax'],
    ['memory=lots', 'invalid value "lots" for resource memory: invalid size: \'lots\''],
  ];
  it.each(bad)('%s', (input, msg) => {
    const r = parseResource(I(input));
    expect(r.problems[0].severity).toBe('error');
    expect(r.problems[0].upstream?.endsWith(msg), r.problems[0].upstream).toBe(true);
  });
  it('cpuset syntax warning', () => {
    expect(parseResource(I('cpuset-cpus=all')).problems[0]).toMatchObject({ kind: 'resource-cpuset-syntax', severity: 'warning' });
  });
});

describe('--shm-size / --build-arg / --label', () => {
  it('shm-size', () => {
    expect(parseShmSize(I('2g')).value).toBe(2147483648);
    expect(parseShmSize(I('2gigs')).problems[0].upstream?.endsWith(`invalid argument "2gigs" for "--shm-size" flag: invalid suffix: 'gigs'`)).toBe(true);
  });
  it('build-arg / label', () => {
    expect(parseKeyValue(I('A=1'), 'build-arg').value).toEqual({ key: 'A', value: '1' });
    expect(parseKeyValue(I('A'), 'build-arg').problems[0]).toMatchObject({ kind: 'build-arg-from-env', severity: 'info' });
    expect(parseKeyValue(I('A'), 'label').value).toEqual({ key: 'A', value: '' });
    expect(parseKeyValue(I('=1'), 'label').problems[0].upstream?.endsWith('invalid key-value pair "=1": empty key')).toBe(true);
    expect(parseKeyValue(I(''), 'build-arg').problems[0].kind).toBe('build-arg-empty-key');
    expect(parseKeyValue(I('BUILDKIT_SYNTAX= '), 'build-arg').problems[0].kind).toBe('buildkit-syntax-empty');
  });
});

describe('checkBuildCombinations', () => {
  function input(flags: Record<string, string[]>, bools: Record<string, boolean> = {}, positionals = ['.']): BuildFlagsInput {
    let off = 0;
    const ms = (s: string) => {
      const m = identity(s, 0, s.length, off);
      off += s.length + 1;
      return m;
    };
    return {
      flags: new Map(Object.entries(flags).map(([k, v]) => [k, v.map(ms)])),
      boolFlags: new Map(Object.entries(bools).map(([k, v]) => [k, { value: v, span: { start: 0, end: 1 } }])),
      positionals: positionals.map(ms),
    };
  }
  const kinds = (i: BuildFlagsInput, n = 1) => checkBuildCombinations(i, n).map((p) => p.kind);

  it('clean build', () => {
    expect(kinds(input({ tag: ['a/b:1'] }, { push: true }))).toEqual([]);
  });
  it('--load with several platforms', () => {
    const p = checkBuildCombinations(input({}, { load: true }), 2);
    expect(p[0]).toMatchObject({ kind: 'load-multi-platform', severity: 'warning' });
    expect(p[0].upstream).toContain('docker exporter does not currently support exporting manifest lists');
    expect(kinds(input({ output: ['type=docker'] }), 2)).toContain('load-multi-platform');
    expect(kinds(input({}, { load: true }), 1)).toEqual([]);
  });
  it('push without tag', () => {
    const p = checkBuildCombinations(input({}, { push: true }), 1);
    expect(p[0].upstream?.endsWith('tag is needed when pushing to registry')).toBe(true);
    expect(kinds(input({ output: ['type=registry'] }))).toContain('push-without-tag');
    expect(kinds(input({ output: ['type=image,name=a/b,push=true'] }))).toEqual([]);
    expect(kinds(input({}, { push: false }))).toEqual([]);
  });
  it('iidfile with local output', () => {
    const p = checkBuildCombinations(input({ iidfile: ['id.txt'], output: ['./out'] }), 1);
    expect(p[0].upstream?.endsWith('local and tar exporters are incompatible with image ID file')).toBe(true);
  });
  it('two stdout outputs', () => {
    const p = checkBuildCombinations(input({ output: ['-', 'type=oci'] }), 1);
    expect(p.find((x) => x.kind === 'multiple-stdout')!.upstream?.endsWith('multiple outputs configured to write to stdout')).toBe(true);
  });
  it('no-cache with filter', () => {
    expect(kinds(input({ 'no-cache-filter': ['base'] }, { 'no-cache': true }))).toEqual(['no-cache-with-filter']);
    expect(kinds(input({ 'no-cache-filter': ['base'] }, { 'no-cache': false }))).toEqual([]);
  });
  it('quiet with progress', () => {
    const p = checkBuildCombinations(input({ progress: ['plain'] }, { quiet: true }), 1);
    expect(p[0].upstream?.endsWith('progress=plain and quiet cannot be used together')).toBe(true);
    expect(kinds(input({ progress: ['quiet'] }, { quiet: true }))).toEqual([]);
    expect(kinds(input({ progress: ['auto'] }, { quiet: true }))).toEqual([]);
  });
  it('context count', () => {
    expect(kinds(input({}, {}, []))).toEqual(['build-context-count']);
    const i = input({}, {}, ['.', 'linux/arm64']);
    const p = checkBuildCombinations(i, 1);
    expect(p[0].upstream).toContain('requires 1 argument');
    expect(p[0].message).toContain('space after a comma');
    expect(checkBuildCombinations(input({}, {}, ['false', '.']), 1)[0].message).toContain('boolean flags never take the next word');
  });
  it('local delete outside cwd', () => {
    expect(kinds(input({ output: ['type=local,dest=/tmp/x,mode=delete'] }))).toEqual(['local-delete-needs-allow']);
    expect(kinds(input({ output: ['type=local,dest=/tmp/x,mode=delete'], allow: ['buildx.local.delete'] }))).toEqual([]);
    expect(kinds(input({ output: ['type=local,dest=out,mode=delete'] }))).toEqual([]);
  });
  it('attest shadows --provenance', () => {
    expect(kinds(input({ attest: ['type=provenance,mode=max'], provenance: ['false'] }))).toEqual(['attest-shadowed']);
  });
  it('multiple outputs info', () => {
    expect(kinds(input({ tag: ['a/b'] }, { load: true, push: true }))).toEqual(['multiple-outputs']);
  });
});
