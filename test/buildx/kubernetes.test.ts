import { describe, expect, it } from 'vitest';
import { identity, type MappedString } from '../../server/src/core/mapped-string';
import { isDns1123Label, isLabelValue, isQualifiedName, parseTolerations, splitMultiValues } from '../../server/src/buildx/kubernetes';
import { decodeDriverOpts } from '../../server/src/buildx/driver-opts';
import { said } from '../harness/said';

const smv = (s: string, what: 'nodeselector' | 'labels' | 'annotations' = 'nodeselector') => splitMultiValues(identity(s), what);
const k8s = (vals: string[]) =>
  decodeDriverOpts(
    vals.map((v) => identity(v)),
    'kubernetes',
  );
const kinds = (vals: string[]) => k8s(vals).problems.map((p) => p.kind);

describe('splitMultiValues (derived vectors)', () => {
  it.each([
    ['a=b', [['a', 'b']]],
    [
      'a=b,c=d',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    [
      '"a=b,c=d"',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
    ],
    ['""a=b"', [['a', 'b']]],
    ['a=', [['a', '']]],
    ['=b', [['', 'b']]],
    [
      'a=b, c=d',
      [
        ['a', 'b'],
        [' c', 'd'],
      ],
    ],
  ])('%j', (s, pairs) => {
    const r = smv(s);
    expect(r.problems).toEqual([]);
    expect(r.pairs.map((p) => [p.key.text, p.value.text])).toEqual(pairs);
  });
  it.each([
    ['a=b,', ''],
    ['', ''],
    ['a', 'a'],
    ['a=b=c', 'a=b=c'],
  ])('%j → invalid key-value pair: %s', (s, item) => {
    const r = smv(s);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].upstream).toBe(`cannot parse node selector: invalid key-value pair: ${item}`);
  });
  it('prefixes per option', () => {
    expect(said(smv('x', 'labels').problems[0])).toContain('cannot parse labels: invalid key-value pair: x');
    expect(said(smv('x', 'annotations').problems[0])).toContain('cannot parse annotations: invalid key-value pair: x');
  });
  it('detects key:value (M3)', () => {
    const src = 'nodeselector=kubernetes.io/arch:amd64';
    const r = splitMultiValues(identity(src, 13, src.length, 0), 'nodeselector');
    const p = r.problems[0];
    expect(p.data?.suggestion).toBe('kubernetes.io/arch=amd64');
    expect(src.slice(p.span.start, p.span.end)).toBe('kubernetes.io/arch:amd64');
    expect(said(p)).toContain('cannot parse node selector: invalid key-value pair: kubernetes.io/arch:amd64');
  });
  it('reports every bad item with its own span', () => {
    const src = 'a=1,b,c=2,d:3';
    const r = splitMultiValues(identity(src), 'labels');
    expect(r.problems.map((p) => src.slice(p.span.start, p.span.end))).toEqual(['b', 'd:3']);
  });
});

describe('label rules', () => {
  it('reserved keys', () => {
    expect(k8s(['labels=app=x']).problems.map((p) => [p.message, p.upstream])).toEqual([
      ['label "app" is set by buildx to the deployment name', 'the label "app" is reserved and cannot be customized'],
    ]);
    expect(said(k8s(['annotations=buildx.docker.com/platform=linux/amd64']).problems[0])).toContain('the annotation "buildx.docker.com/platform" is reserved and cannot be customized');
  });
  it('qualified names', () => {
    expect(isQualifiedName('kubernetes.io/arch')).toEqual([]);
    expect(isQualifiedName('example.com/MyName')).toEqual([]);
    expect(isQualifiedName('a/b/c')[0]).toContain('a qualified name must consist of');
    expect(isQualifiedName('/b')).toEqual(['prefix part must be non-empty']);
    expect(isQualifiedName('Example.com/b')[0]).toContain('prefix part a lowercase RFC 1123 subdomain');
    expect(isQualifiedName('')).toEqual(['name part must be non-empty']);
    expect(isQualifiedName(' c')[0]).toContain('name part must consist of');
    expect(isQualifiedName('x'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
  });
  it('label values', () => {
    expect(isLabelValue('')).toEqual([]);
    expect(isLabelValue('amd64')).toEqual([]);
    expect(isLabelValue('-x')[0]).toContain('a valid label must be an empty string');
    expect(isLabelValue('x'.repeat(64))[0]).toBe('must be no more than 63 characters');
  });
  it('nodeselector with a space after the comma', () => {
    const m = k8s(['"nodeselector=a=b, c=d"']);
    const p = m.problems.find((x) => x.kind === 'k8s-invalid-key')!;
    expect(p.data?.suggestion).toBe('c');
  });
  it('annotation keys are validated lower-cased', () => {
    expect(kinds(['annotations=Example.COM/Foo=1'])).toEqual([]);
    expect(kinds(['annotations=x/y/z=1'])).toEqual(['k8s-invalid-key']);
  });
  it('namespace and serviceaccount', () => {
    expect(isDns1123Label('my-ns')).toEqual([]);
    expect(kinds(['namespace=My_NS'])).toEqual(['k8s-invalid-name']);
    expect(kinds(['namespace='])).toEqual([]);
    expect(kinds(['serviceaccount=buildkit.sa'])).toEqual([]);
    expect(kinds(['serviceaccount=BuildKit'])).toEqual(['k8s-invalid-name']);
  });
});

describe('tolerations (buildx parser)', () => {
  const tol = (s: string) => parseTolerations(identity(s));
  it('factory vector: two tolerations', () => {
    const r = tol('key=tolerationKey1,value=tolerationValue1,operator=Equal,effect=NoSchedule,tolerationSeconds=60;key=tolerationKey2,operator=Exists');
    expect(r.tolerations).toHaveLength(2);
    expect(r.tolerations[0].seconds).toBe(60);
    expect(r.tolerations[1].operator?.text).toBe('Exists');
  });
  it('unknown field: typo message with the whole value', () => {
    const r = tol('key=foo,value=bar,invalid=foo2');
    const p = r.problems.find((x) => x.kind === 'toleration-unknown-field')!;
    expect(p.upstream).toBe('invalid tolaration "key=foo,value=bar,invalid=foo2"');
  });
  it('tolerationSeconds must be an integer', () => {
    const r = tol('key=foo,value=bar,tolerationSeconds=invalid');
    expect(r.problems.find((x) => x.kind === 'invalid-value')!.upstream).toBe('strconv.Atoi: parsing "invalid": invalid syntax');
  });
  it('dropped pieces warn', () => {
    const r = tol('key=foo,NoSchedule');
    expect(r.tolerations[0].key?.text).toBe('foo');
    const p = r.problems.find((x) => x.kind === 'toleration-piece-dropped')!;
    expect(p.severity).toBe('warning');
    expect(p.data?.suggestion).toBe('effect=NoSchedule');
    expect(tol('key=foo,value=a=b').problems.map((x) => x.kind)).toEqual(['toleration-piece-dropped']);
  });
  it('trailing ; makes an empty toleration', () => {
    const r = tol('key=a,operator=Exists;');
    expect(r.tolerations).toHaveLength(2);
    expect(r.problems.map((x) => x.kind)).toEqual(['empty-toleration']);
    expect(tol('').problems.map((x) => x.kind)).toEqual(['empty-toleration']);
  });
  it('leading space in a field name', () => {
    const r = tol('key=foo, value=bar');
    const p = r.problems.find((x) => x.kind === 'toleration-unknown-field')!;
    expect(p.data?.suggestion).toBe('value');
    expect(p.upstream?.endsWith('invalid tolaration "key=foo, value=bar"')).toBe(true);
  });
});

describe('tolerations (API server rules)', () => {
  const k = (s: string) => parseTolerations(identity(s)).problems.map((p) => p.kind);
  it('operator case (docs example M4)', () => {
    const r = parseTolerations(identity('key=foo,value=bar;key=foo2,operator=exists;key=foo3,effect=NoSchedule'));
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].data?.suggestion).toBe('Exists');
    expect(said(r.problems[0])).toContain('Unsupported value: "exists": supported values: "Equal", "Exists"');
  });
  it.each([
    ['key=a,operator=Exists,value=b', ['k8s-toleration-rule']],
    ['operator=Equal,value=b', ['k8s-toleration-rule']],
    ['operator=Exists', []],
    ['key=a,effect=noschedule', ['k8s-unsupported-value']],
    ['key=a,tolerationSeconds=30', ['k8s-toleration-rule']],
    ['key=a,effect=NoExecute,tolerationSeconds=30', []],
    ['key=a b,value=x', ['k8s-invalid-key']],
    ['key=a,value=-x', ['k8s-invalid-value']],
    ['key=node.kubernetes.io/unschedulable,operator=Exists,effect=NoSchedule', []],
  ])('%j', (s, ks) => expect(k(s)).toEqual(ks));
  it('spans point at the operator', () => {
    const src = 'tolerations=key=foo2,operator=exists';
    const v = identity(src, 12);
    const p = parseTolerations(v).problems[0];
    expect(src.slice(p.span.start, p.span.end)).toBe('exists');
  });
});

describe('resources', () => {
  it('quantity errors are buildx errors', () => {
    const p = k8s(['requests.memory=1gb']).problems[0];
    expect(p.kind).toBe('invalid-value');
    expect(said(p)).toContain("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    expect(said(k8s(['limits.memory=1mi']).problems[0])).toContain("unable to parse quantity's suffix");
    expect(kinds(['buildkit-root-volume-memory=2Gi', 'persistent-volume-claim.requests.storage=10Gi'])).toEqual([]);
    expect(kinds(['buildkit-root-volume-memory='])).toEqual([]);
  });
  it('negative', () => {
    expect(kinds(['requests.cpu=-1'])).toEqual(['k8s-negative-quantity']);
  });
  it('request above limit', () => {
    const p = k8s(['requests.memory=2Gi', 'limits.memory=1Gi']).problems[0];
    expect(p.kind).toBe('k8s-request-exceeds-limit');
    expect(p.upstream?.endsWith('must be less than or equal to memory limit of 1Gi')).toBe(true);
    expect(kinds(['requests.cpu=500m', 'limits.cpu=0.5'])).toEqual([]);
    expect(kinds(['requests.cpu=1', 'limits.cpu=999m'])).toEqual(['k8s-request-exceeds-limit']);
  });
  it('ephemeral-storage regression', () => {
    expect(k8s(['requests.ephemeral-storage=1Gi']).problems.map((p) => [p.kind, p.severity])).toEqual([['ephemeral-storage-request-as-limit', 'warning']]);
    expect(k8s(['requests.ephemeral-storage=1Gi', 'limits.ephemeral-storage=2Gi']).problems.map((p) => [p.kind, p.severity])).toEqual([['ephemeral-storage-request-ignored', 'info']]);
  });
  it('replicas', () => {
    expect(kinds(['replicas=-1'])).toEqual(['k8s-negative-replicas']);
    expect(k8s(['replicas=3']).kubernetes!.replicas).toBe(3);
  });
  it('pvc makes a statefulset', () => {
    expect(k8s(['persistent-volume-claim.requests.storage=10Gi']).kubernetes!.statefulSet).toBe(true);
  });
});

describe('env and images', () => {
  it('env names', () => {
    expect(kinds(['env.FOO_BAR=1'])).toEqual([]);
    expect(k8s(['env.1FOO=1']).problems.map((p) => [p.kind, p.severity])).toEqual([['k8s-env-name-strict', 'warning']]);
    expect(kinds(['env.A\u0001=1'])).toEqual(['k8s-invalid-env-name']);
  });
  it('env span is the name', () => {
    const src = 'env.1FOO=1';
    const p = decodeDriverOpts([identity(src)], 'kubernetes').problems[0];
    expect(src.slice(p.span.start, p.span.end)).toBe('1FOO');
  });
  it('rootless with empty image', () => {
    const m = k8s(['rootless=true', 'image=']);
    expect(m.problems.map((p) => [p.kind, p.severity])).toEqual([['rootless-empty-image', 'warning']]);
    expect(m.kubernetes!.image).toBe('moby/buildkit:buildx-stable-1');
  });
  it('image whitespace', () => {
    expect(kinds(['image= moby/buildkit'])).toEqual(['k8s-invalid-image']);
  });
});

describe('explain output keeps spans', () => {
  it('nodeselector pairs map to the source', () => {
    const src = `--driver-opt '"nodeselector=kubernetes.io/arch=arm64,role=ci"'`;
    const start = src.indexOf('"');
    const v: MappedString = identity(src, start, src.length - 1);
    const m = decodeDriverOpts([v], 'kubernetes');
    expect(m.problems).toEqual([]);
    const [a, b] = m.kubernetes!.nodeSelector;
    const at = (ms: MappedString) => {
      const s = ms.starts[0];
      return src.slice(s, ms.ends[ms.text.length - 1]);
    };
    expect(at(a.key)).toBe('kubernetes.io/arch');
    expect(at(b.value)).toBe('ci');
  });
});
