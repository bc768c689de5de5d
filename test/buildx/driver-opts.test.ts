import { describe, expect, it } from 'vitest';
import { DYNAMIC, identity, MappedStringBuilder, type MappedString } from '../../server/src/core/mapped-string';
import { decodeDriverOpts, BUILDX_VERSION, lookupOption, type DriverName } from '../../server/src/buildx/driver-opts';
import { lint } from '../../server/src/engine/lint';
import { said } from '../harness/said';

const ids = (vals: string[]) => {
  // Place each value at its own offset in one fake source so spans are distinguishable.
  let src = '';
  const out: MappedString[] = [];
  for (const v of vals) {
    src += '--driver-opt ';
    out.push(identity(v, 0, v.length, src.length));
    src += v + ' ';
  }
  return { src, values: out };
};
const decode = (vals: string[], driver: DriverName = 'kubernetes') => decodeDriverOpts(ids(vals).values, driver);
const errors = (vals: string[], driver: DriverName = 'kubernetes') => decode(vals, driver).problems.filter((p) => p.severity === 'error');
const buildxTexts = (vals: string[], driver: DriverName = 'kubernetes') => errors(vals, driver).map((p) => p.upstream ?? '');

/** Simulates shell quote removal: every char except `"`/`'` of src[from..] maps to its offset. */
function unquoted(src: string, from: number): MappedString {
  const b = new MappedStringBuilder();
  for (let i = from; i < src.length; i++) if (src[i] !== '"' && src[i] !== "'") b.push(src[i], i, i + 1);
  return b.build(src.length);
}

describe('csvToMap (builder_test TestCsvToMap)', () => {
  it('merges all flags', () => {
    const m = decode(['"tolerations=key=foo,value=bar;key=foo2,value=bar2",replicas=1', 'namespace=default']);
    expect([...m.effective].map(([k, e]) => [k, e.value.text])).toEqual([
      ['tolerations', 'key=foo,value=bar;key=foo2,value=bar2'],
      ['replicas', '1'],
      ['namespace', 'default'],
    ]);
    expect(m.entries.map((e) => e.flagIndex)).toEqual([0, 0, 1]);
    expect(errors(['"tolerations=key=foo,value=bar;key=foo2,value=bar2",replicas=1', 'namespace=default'])).toEqual([]);
  });
});

describe('CSV and k=v errors', () => {
  it.each([
    ['', 'empty-record', 'EOF'],
    ['\n', 'empty-record', 'EOF'],
    ['x="a,b"', 'csv-bare-quote', 'parse error on line 1, column 3: bare " in non-quoted-field'],
    ['foo,aa"bb,cc', 'csv-bare-quote', 'parse error on line 1, column 7: bare " in non-quoted-field'],
    ['"', 'csv-quote', 'parse error on line 1, column 2: extraneous or missing " in quoted-field'],
    ['"""', 'csv-quote', 'parse error on line 1, column 4: extraneous or missing " in quoted-field'],
    ['"a "word","b"', 'csv-quote', 'parse error on line 1, column 4: extraneous or missing " in quoted-field'],
    ['image=a,', 'empty-field', 'invalid value "", expecting k=v'],
    ['image=a,,replicas=1', 'empty-field', 'invalid value "", expecting k=v'],
    ['rootless', 'field-without-equals', 'invalid value "rootless", expecting k=v'],
  ])('%j → %s', (v, kind, text) => {
    const ps = errors([v]);
    expect(ps.map((p) => p.kind)).toEqual([kind]);
    expect(ps[0].upstream).toBe(text);
  });
  it('suggests quoting the whole field for key="a,b"', () => {
    const p = errors(['nodeselector="a=b,c=d"'])[0];
    expect(p.data?.suggestion).toBe('"nodeselector=a=b,c=d"');
  });
  it('keeps whitespace, splits on first =', () => {
    const m = decode(['a==b', 'image=x, replicas=1', '"image=""q"""', 'namespace=n\n'], 'kubernetes');
    expect(m.effective.get('a')!.value.text).toBe('=b');
    expect(m.effective.has(' replicas')).toBe(true);
    expect(m.effective.get('image')!.value.text).toBe('"q"');
    expect(m.effective.get('namespace')!.value.text).toBe('n');
  });
  it('unquoted nodeselector comma (derived vector)', () => {
    expect(buildxTexts(['nodeselector=kubernetes.io/arch=arm64,kubernetes.io/os=linux'])).toEqual(['invalid driver option kubernetes.io/os for driver kubernetes']);
  });
  it('empty key gets two spaces', () => {
    expect(buildxTexts(['=v'], 'docker-container')).toEqual(['invalid driver option  for docker-container driver']);
  });
  it('duplicate keys: later wins, warning points at the earlier one', () => {
    const { src, values } = ids(['replicas=1', 'replicas=2']);
    const m = decodeDriverOpts(values, 'kubernetes');
    expect(m.effective.get('replicas')!.value.text).toBe('2');
    const d = m.problems.find((p) => p.kind === 'duplicate-key')!;
    expect(d.severity).toBe('warning');
    expect(src.slice(d.span.start, d.span.end)).toBe('replicas');
    const earlier = d.data!.earlierSpan as { start: number; end: number };
    expect(earlier.start).toBeLessThan(d.span.start);
  });
});

describe('kubernetes processDriverOpts (factory_test)', () => {
  it('ValidOptions', () => {
    const m = decode([
      'namespace=test-ns',
      'image=test:latest',
      'replicas=2',
      'timeout=300s',
      'requests.cpu=100m',
      'requests.memory=32Mi',
      'limits.cpu=200m',
      'limits.memory=64Mi',
      'rootless=true',
      'loadbalance=random',
      'qemu.install=true',
      'qemu.image=qemu:latest',
      'default-load=true',
    ]);
    expect(m.problems).toEqual([]);
    expect(m.kubernetes!.replicas).toBe(2);
    expect(m.kubernetes!.rootless).toBe(true);
    expect(m.kubernetes!.image).toBe('test:latest');
  });
  it('RootlessOverride', () => {
    const m = decode(['rootless=true', 'loadbalance=sticky']);
    expect(m.problems).toEqual([]);
    expect(m.kubernetes!.image).toBe('moby/buildkit:buildx-stable-1-rootless');
  });
  it.each([
    ['replicas=invalid', 'strconv.ParseInt: parsing "invalid": invalid syntax'],
    ['rootless=invalid', 'strconv.ParseBool: parsing "invalid": invalid syntax'],
    ['loadbalance=invalid', 'invalid loadbalance "invalid"'],
    ['qemu.install=invalid', 'strconv.ParseBool: parsing "invalid": invalid syntax'],
    ['invalid=foo', 'invalid driver option invalid for driver kubernetes'],
    ['timeout=invalid', 'cannot parse timeout: time: invalid duration "invalid"'],
    ['timeout=120', 'cannot parse timeout: time: missing unit in duration "120"'],
    ['loadbalance=round-robin', 'invalid loadbalance "round-robin"'],
    ['default-load=yes', 'strconv.ParseBool: parsing "yes": invalid syntax'],
    ['replicas=3000000000', 'strconv.ParseInt: parsing "3000000000": value out of range'],
    ['env.=x', 'invalid env option "env.", expecting env.FOO=bar'],
    ['"annotations=key,value"', 'cannot parse annotations: invalid key-value pair: key'],
    ['labels=key=value=foo', 'cannot parse labels: invalid key-value pair: key=value=foo'],
    ['"tolerations=key=foo,value=bar,invalid=foo2"', 'invalid tolaration "key=foo,value=bar,invalid=foo2"'],
    ['"tolerations=key=foo,value=bar,tolerationSeconds=invalid"', 'strconv.Atoi: parsing "invalid": invalid syntax'],
    ['requests.cpu=1K', "unable to parse quantity's suffix"],
  ])('%s', (v, err) => expect(buildxTexts([v])).toContain(err));
  it('valid multi-value vectors', () => {
    const m = decode(['"nodeselector=selector1=value1,selector2=value2"', '"annotations=example.com/expires-after=annotation1,example.com/other=annotation2"']);
    expect(m.problems).toEqual([]);
    expect(m.kubernetes!.nodeSelector.map((kv) => [kv.key.text, kv.value.text])).toEqual([
      ['selector1', 'value1'],
      ['selector2', 'value2'],
    ]);
    expect(m.kubernetes!.annotations).toHaveLength(2);
  });
  it('valid tolerations vector', () => {
    const m = decode(['"tolerations=key=tolerationKey1,value=tolerationValue1,operator=Equal,effect=NoSchedule,tolerationSeconds=60;key=tolerationKey2,operator=Exists"']);
    expect(m.kubernetes!.tolerations).toHaveLength(2);
    // tolerationSeconds without NoExecute is rejected by the API server only.
    expect(m.problems.map((p) => p.kind)).toEqual(['k8s-toleration-rule']);
  });
});

describe('unknown keys and suggestions', () => {
  it.each([
    ['nodeSelector', 'nodeselector'],
    ['namspace', 'namespace'],
    ['annotation', 'annotations'],
    ['request.cpu', 'requests.cpu'],
    ['limit.memory', 'limits.memory'],
    ['loadBalance', 'loadbalance'],
    ['qemu-install', 'qemu.install'],
    ['serviceAccount', 'serviceaccount'],
    ['schedulerName', 'schedulername'],
    ['requests.storage', 'persistent-volume-claim.requests.storage'],
    ['env', 'env.NAME'],
  ])('%s → %s', (key, sugg) => {
    const p = errors([`${key}=x`])[0];
    expect(p.kind).toBe('unknown-key');
    expect(p.data?.suggestion).toBe(sugg);
    expect(said(p)).toContain(`did you mean "${sugg}"?`);
  });
  it('exact message format', () => {
    expect(errors(['nodeSelector=a=b'])[0]).toMatchObject({
      message: 'unknown kubernetes driver option "nodeSelector"',
      help: 'did you mean "nodeselector"?',
      upstream: 'invalid driver option nodeSelector for driver kubernetes',
    });
  });
  it('another driver option', () => {
    const p = errors(['memory=1g'])[0];
    expect(p.data?.otherDriver).toBe('docker-container');
    expect(said(p)).toContain('docker-container driver');
    const r = errors(['namespace=x'], 'remote')[0];
    expect(r.upstream).toBe('invalid driver option namespace for remote driver');
  });
  it('platform was removed', () => {
    const p = errors(['platform=linux/amd64'], 'docker-container')[0];
    expect(said(p)).toContain('--platform');
    expect(p.upstream).toBe('invalid driver option platform for docker-container driver');
  });
  it('split hint for tolerations (ai-dynamo)', () => {
    const ps = errors(['tolerations=key=buildkit-worker,value=true,operator=Equal,effect=NoSchedule']).filter((p) => p.kind === 'comma-split');
    expect(ps.map((p) => p.data?.key)).toEqual(['value', 'operator', 'effect']);
    expect(ps[2].data?.suggestion).toBe('"tolerations=key=buildkit-worker,value=true,operator=Equal,effect=NoSchedule"');
  });
});

describe('docker-container', () => {
  it('valid options', () => {
    const m = decode(
      [
        'network=host',
        'memory=1g',
        'memory-swap=-1',
        'cpu-period=100000',
        'cpu-quota=50000',
        'cpu-shares=1024',
        'cpuset-cpus=0-3',
        '"cpuset-mems=0,1"',
        'cgroup-parent=/x',
        'restart-policy=always',
        'default-load=true',
        'env.FOO=bar',
        'provenance-add-gha=false',
        'allow-untrusted-image=1',
        'image=',
        'restart-policy=',
      ],
      'docker-container',
    );
    expect(m.problems.filter((p) => p.kind !== 'duplicate-key')).toEqual([]);
  });
  it.each([
    ['memory=1gbb', "invalid suffix: 'gbb'"],
    ['memory=1gb2', 'strconv.ParseFloat: parsing "1gb2": invalid syntax'],
    ['memory=lots', "invalid size: 'lots'"],
    ['memory-swap=-2', "invalid size: '-2'"],
    ['cpu-shares=1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['restart-policy=:3', 'invalid restart policy format: no policy provided before colon'],
    ['restart-policy=on-failure:x', 'invalid restart policy format: maximum retry count must be an integer'],
    ['env.=x', 'invalid env option "env.", expecting env.FOO=bar'],
    ['replicas=1', 'invalid driver option replicas for docker-container driver'],
  ])('%s', (v, err) => expect(buildxTexts([v], 'docker-container')).toContain(err));
  it('daemon-side checks', () => {
    const kinds = (v: string[]) => errors(v, 'docker-container').map((p) => p.kind);
    expect(kinds(['cpu-period=500'])).toEqual(['daemon-rejected']);
    expect(kinds(['cpu-quota=10'])).toEqual(['daemon-rejected']);
    expect(kinds(['memory=1m'])).toEqual(['daemon-rejected']);
    expect(kinds(['memory=2g', 'memory-swap=1g'])).toEqual(['daemon-rejected']);
    expect(kinds(['memory-swap=1g'])).toEqual(['daemon-rejected']);
    expect(kinds(['restart-policy=sometimes'])).toEqual(['daemon-rejected']);
    expect(kinds(['cpu-period=0'])).toEqual([]);
  });
});

describe('remote', () => {
  it('valid', () => {
    expect(decode(['cacert=/c/ca.pem', 'cert=/c/cert.pem', 'key=/c/key.pem', 'servername=x', 'default-load=true'], 'remote').problems).toEqual([]);
    expect(decode(['cacert=/c/ca.pem'], 'remote').problems).toEqual([]);
  });
  it.each([
    [['cacert=ca.pem'], ["non-absolute path 'ca.pem' provided for cacert"]],
    [
      ['cacert=', 'servername=a'],
      ["non-absolute path '' provided for cacert", 'tls enabled, but missing keys cacert'],
    ],
    [['servername=x'], ['tls enabled, but missing keys cacert']],
    [['servername='], ['tls enabled, but missing keys cacert']],
    [['cert=/a'], ['tls enabled, but missing keys cacert, key']],
    [['cacert=/a', 'key=/b'], ['tls enabled, but missing keys cert']],
    [['endpoint=tcp://x:1234'], ['invalid driver option endpoint for remote driver']],
  ])('%j', (v, errs) => expect(buildxTexts(v, 'remote')).toEqual(errs));
  it('kinds', () => {
    expect(errors(['cacert=ca.pem'], 'remote').map((p) => p.kind)).toEqual(['remote-path-not-absolute']);
    expect(errors(['servername=x'], 'remote').map((p) => p.kind)).toEqual(['remote-tls-incomplete']);
  });
});

describe('dynamic values', () => {
  it('are never judged', () => {
    expect(errors([`replicas=${DYNAMIC}`, `timeout=${DYNAMIC}`, `nodeselector=${DYNAMIC}`, `tolerations=${DYNAMIC}`, `${DYNAMIC}`, `x${DYNAMIC}=1`])).toEqual([]);
    expect(errors([`cacert=${DYNAMIC}`, `key=${DYNAMIC}`], 'remote').map((p) => p.kind)).toEqual(['remote-tls-incomplete']);
  });
  it('static structure around them is', () => {
    expect(errors([`image=${DYNAMIC},pool=ci`]).map((p) => p.kind)).toEqual(['unknown-key']);
  });
});

describe('spans', () => {
  it('points at the unknown key split off an unquoted nodeselector', () => {
    const src = 'docker buildx create --driver kubernetes --driver-opt=nodeselector=kubernetes.io/arch=amd64,pool=ci';
    const v = identity(src, src.indexOf('nodeselector'));
    const p = decodeDriverOpts([v], 'kubernetes').problems.find((x) => x.kind === 'comma-split')!;
    expect(src.slice(p.span.start, p.span.end)).toBe('pool');
    const f = p.data!.fieldSpan as { start: number; end: number };
    expect(src.slice(f.start, f.end)).toBe('pool=ci');
    expect(p.data!.suggestion).toBe('"nodeselector=kubernetes.io/arch=amd64,pool=ci"');
  });
  it('survives shell quote removal (non-contiguous map)', () => {
    const src = `--driver-opt=nodeselector="kubernetes.io/arch=amd64,pool"=ci`;
    const v = unquoted(src, src.indexOf('nodeselector'));
    expect(v.text).toBe('nodeselector=kubernetes.io/arch=amd64,pool=ci');
    const p = decodeDriverOpts([v], 'kubernetes').problems.find((x) => x.kind === 'comma-split')!;
    expect(src.slice(p.span.start, p.span.end)).toBe('pool');
    const f = p.data!.fieldSpan as { start: number; end: number };
    expect(src.slice(f.start, f.end)).toBe('pool"=ci');
  });
  it('invalid value span', () => {
    const src = `create --driver-opt 'rootless=yes'`;
    const v = unquoted(src, src.indexOf("'"));
    const p = decodeDriverOpts([v], 'kubernetes').problems[0];
    expect(src.slice(p.span.start, p.span.end)).toBe('yes');
    expect(p.data?.suggestion).toBe('true');
  });
  it('bare quote span', () => {
    const src = `x="a,b"`;
    const p = decodeDriverOpts([identity(src)], 'kubernetes').problems[0];
    expect(src.slice(p.span.start, p.span.end)).toBe('"');
    expect(p.span.start).toBe(2);
  });
  it('trailing comma span', () => {
    const src = `image=a,`;
    const p = decodeDriverOpts([identity(src)], 'kubernetes').problems[0];
    expect(src.slice(p.span.start, p.span.end)).toBe(',');
  });
});

describe('option table', () => {
  it('records the buildx version and is queryable', () => {
    expect(BUILDX_VERSION).toContain('461836ba0');
    expect(lookupOption('kubernetes', 'env.FOO')?.since).toBe('v0.28');
    expect(lookupOption('docker-container', 'allow-untrusted-image')?.since).toBe('v0.36');
    expect(lookupOption('remote', 'image')).toBeUndefined();
  });
});

describe('docker driver', () => {
  it('cannot be created, so its options are never decoded: only the driver is reported', () => {
    const { diagnostics } = lint({ text: 'docker buildx create --driver docker --driver-opt image=x\n', fileName: 'x.sh' });
    expect(diagnostics.map((d) => d.name)).toEqual(['unknown-driver']);
  });
});
