/**
 * `--policy` values and remote endpoints, as buildx 461836ba0 judges them.
 * - policy fields: util/buildflags/policy.go `parsePolicyFields` (every case of its switch);
 * - combination: build/build.go `withPolicyConfig`, and tests/policy_build.go
 *   testBuildPolicyConfigFlags ("disabled-skips-default", "disabled-cannot-combine-with-extra");
 * - endpoints: driver/remote/util/endpoint.go `IsValidEndpoint` over Go's net/url scheme parsing.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { goUrlScheme } from '../../server/src/rules/remote-endpoint-scheme';

function findings(cmd: string, code: string) {
  return lint({ text: cmd + '\n', fileName: 'x.sh' }).diagnostics.filter((d) => d.code === code);
}

describe('--policy (KBX540)', () => {
  const rejected: [string, string][] = [
    ['--policy foo=bar', 'invalid value foo=bar'],
    ['--policy ""', 'EOF'],
    ['--policy disabled=maybe', 'invalid value disabled=maybe: strconv.ParseBool: parsing "maybe": invalid syntax'],
    ['--policy log-level=loud', 'invalid value log-level=loud: not a valid logrus Level: "loud"'],
    ['--policy filename=', 'invalid value filename='],
    ['--policy strict', 'invalid value strict'],
    ['--policy reset=yes', 'invalid value reset=yes: strconv.ParseBool: parsing "yes": invalid syntax'],
    ['--policy filename=a.rego,disabled=true', 'disabled policy cannot be combined with other policy flags'],
    ['--policy disabled=true,strict=false', 'disabled policy cannot be combined with other policy flags'],
    ['--policy disabled=true,log-level=info', 'disabled policy cannot be combined with other policy flags'],
    ['--policy disabled=true,reset=true', 'disabled policy cannot be combined with other policy flags'],
    ['--policy filename=extra.rego --policy disabled=true', 'disabled policy cannot be combined with other policy flags'],
  ];
  it.each(rejected)('%s', (flags, upstream) => {
    const d = findings(`docker buildx build ${flags} -t app .`, 'KBX540');
    expect(d).toHaveLength(1);
    expect(d[0].upstream).toBe(upstream);
  });

  const accepted = [
    '--policy disabled=true',
    '--policy filename=a.rego',
    '--policy FILENAME=a.rego,Strict=TRUE,log-level=Warn',
    '--policy reset=true,filename=b.rego --policy filename=c.rego',
    '--policy filename=a.rego,disabled=false',
    '--policy "$POLICY" --policy disabled=true',
    '--policy disabled=true,strict=$STRICT',
  ];
  it.each(accepted)('accepts %s', (flags) => {
    expect(findings(`docker buildx build ${flags} -t app .`, 'KBX540')).toEqual([]);
  });

  it('points at the offending field', () => {
    const text = 'docker buildx build --policy filename=a.rego,log-level=loud .\n';
    const d = lint({ text, fileName: 'x.sh' }).diagnostics.find((x) => x.code === 'KBX540')!;
    expect(text.slice(d.span.start, d.span.end)).toBe('log-level=loud');
  });
});

describe('remote endpoint schemes (KBX435)', () => {
  it.each([
    ['tcp://buildkitd:1234', 'tcp'],
    ['TCP://b:1', 'tcp'],
    ['unix:///run/buildkit/buildkitd.sock', 'unix'],
    ['https://b:1234', 'https'],
    ['b:1234', 'b'],
    ['buildkitd', ''],
    ['1.2.3.4:80', ''],
    ['/run/x.sock', ''],
    [':1234', null],
  ])('Go url scheme of %s is %j', (ep, scheme) => {
    expect(goUrlScheme(ep)).toBe(scheme);
  });

  it.each([
    ['https://buildkitd:1234', 'unrecognized url scheme https'],
    ['tls://buildkitd:1234', 'unrecognized url scheme tls'],
    ['grpc://buildkitd:1234', 'unrecognized url scheme grpc'],
    ['buildkitd:1234', 'unrecognized url scheme buildkitd'],
    ['buildkitd', 'unrecognized url scheme '],
  ])('rejects %s', (ep, upstream) => {
    const d = findings(`docker buildx create --name r --driver remote ${ep}`, 'KBX435');
    expect(d.map((x) => x.upstream)).toEqual([upstream]);
  });

  it.each([
    'docker buildx create --name r --driver remote tcp://buildkitd:1234',
    'docker buildx create --name r --driver remote ssh://me@host',
    'docker buildx create --name r --driver remote docker-container://buildkitd',
    'docker buildx create --name r --driver remote kube-pod://buildkitd-0',
    'docker buildx create --name r --driver remote npipe:////./pipe/buildkitd',
    'docker buildx create --name r --driver remote "$ENDPOINT"',
    'docker buildx create --name r https://not-remote.example',
  ])('accepts %s', (cmd) => {
    expect(findings(cmd, 'KBX435')).toEqual([]);
  });
});
