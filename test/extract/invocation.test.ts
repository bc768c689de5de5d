import { describe, expect, it } from 'vitest';
import { argvOf, invocationsOf, spanText } from '../harness/lint-helpers';
import { flagValues } from '../../server/src/extract/invocation';
import { lint } from '../../server/src/engine/lint';

describe('finding invocations', () => {
  const cases: [string, string, string][] = [
    ['docker buildx create --name a', 'docker', 'create'],
    ['docker builder create --name a', 'docker', 'create'],
    ['docker build -t x .', 'docker', 'build'],
    ['docker image build -t x .', 'docker', 'build'],
    ['docker buildx b -t x .', 'docker', 'build'],
    ['buildx create --name a', 'buildx', 'create'],
    ['docker-buildx create --name a', 'docker-buildx', 'create'],
    ['/usr/local/bin/docker buildx ls', 'docker', 'ls'],
    ['sudo -E -u root docker buildx create --name a', 'docker', 'create'],
    ['sudo --user=root docker buildx create --name a', 'docker', 'create'],
    ['env -i FOO=1 BAR=2 docker buildx create --name a', 'docker', 'create'],
    ['command docker buildx create --name a', 'docker', 'create'],
    ['exec docker buildx create --name a', 'docker', 'create'],
    ['time docker buildx create --name a', 'docker', 'create'],
    ['nice -n 10 docker buildx create --name a', 'docker', 'create'],
    ['nohup docker buildx create --name a', 'docker', 'create'],
    ['timeout 30s docker buildx create --name a', 'docker', 'create'],
    ['timeout -k 5 30s docker buildx create --name a', 'docker', 'create'],
    ['docker --context prod --log-level debug buildx create --name a', 'docker', 'create'],
    ['docker -c prod buildx create --name a', 'docker', 'create'],
    ['docker buildx --builder kube build .', 'docker', 'build'],
    ['docker buildx -D create --name a', 'docker', 'create'],
    ['FOO=1 docker buildx create --name a', 'docker', 'create'],
  ];
  it.each(cases)('%s', (src, program, command) => {
    const invs = invocationsOf(src);
    expect(invs).toHaveLength(1);
    expect(invs[0].program).toBe(program);
    expect(invs[0].command).toBe(command);
  });

  it('ignores commands that are not buildx', () => {
    expect(invocationsOf('docker run --rm alpine\ndocker ps\ncommand -v docker\necho docker buildx create')).toHaveLength(0);
  });

  it('reads a help request as no invocation: cobra prints usage and runs nothing', () => {
    for (const t of ['docker buildx build --help', 'docker buildx create -h --name a', 'BUILDX=1 docker buildx --help', 'docker buildx build --help=true .', 'buildx bake -h']) {
      expect(invocationsOf(t), t).toEqual([]);
    }
    expect(lint({ text: 'if docker buildx build --help 2>&1 | grep -q -- --attest; then :; fi\n', fileName: 'a.sh' }).diagnostics).toEqual([]);
    // After `--`, or `--help=false`, it is a word like any other.
    expect(invocationsOf('docker buildx build --help=false .').map((i) => i.command)).toEqual(['build']);
    expect(invocationsOf('docker buildx build -- --help').map((i) => i.command)).toEqual(['build']);
  });

  it('finds invocations inside compound commands and substitutions', () => {
    const src = [
      'f() { docker buildx create --name a; }',
      'if docker buildx inspect a; then :; fi',
      'true && docker buildx use a || docker buildx ls',
      'id=$(docker buildx create --name b)',
      'x=`docker buildx create --name c`',
      'diff <(docker buildx ls) /dev/null',
      'case $x in a) docker buildx rm a ;; esac',
      'while false; do docker buildx stop a; done',
    ].join('\n');
    const invs = invocationsOf(src);
    expect(invs.map((i) => i.command)).toEqual(['create', 'inspect', 'use', 'ls', 'create', 'create', 'ls', 'rm', 'stop']);
    expect(invs[0].context.inFunction).toBe('f');
    expect(invs[4].context.inSubstitution).toBe(true);
  });
});

describe('argv', () => {
  it('is what bash passes, with null for dynamic words', () => {
    const [inv] = invocationsOf(`docker buildx create --name "$NAME" '--driver-opt="a=1,b=2"' --platform=linux/amd64`);
    expect(argvOf(inv)).toEqual(['buildx', 'create', '--name', null, '--driver-opt="a=1,b=2"', '--platform=linux/amd64']);
  });
});

describe('flag parsing like pflag', () => {
  const spellings = [
    'docker buildx create --driver-opt=a=b --name x',
    'docker buildx create --driver-opt a=b --name x',
    'docker buildx create --name x --driver-opt a=b',
    'docker buildx create --name=x --driver-opt=a=b',
    "docker buildx create --name x '--driver-opt'=a=b",
    'docker buildx create --name x --driver-opt "a=b"',
    'docker buildx create --name x --driver-\\\nopt a=b',
  ];
  it.each(spellings)('%s', (src) => {
    const [inv] = invocationsOf(src);
    expect(flagValues(inv, 'driver-opt').map((f) => f.value?.text)).toEqual(['a=b']);
    expect(flagValues(inv, 'name').map((f) => f.value?.text)).toEqual(['x']);
    expect(inv.positionals).toHaveLength(0);
    expect(inv.problems).toEqual([]);
  });

  it('short flags: -t v, -tv, -t=v, clusters', () => {
    const [inv] = invocationsOf('docker buildx build -t a -tb -t=c -qf Dockerfile.x .');
    expect(flagValues(inv, 'tag').map((f) => f.value?.text)).toEqual(['a', 'b', 'c']);
    expect(flagValues(inv, 'quiet')[0].bool).toBe(true);
    expect(flagValues(inv, 'file')[0].value?.text).toBe('Dockerfile.x');
    expect(inv.positionals.map((p) => p.value.text)).toEqual(['.']);
  });

  it('booleans never consume the next word', () => {
    const [inv] = invocationsOf('docker buildx build --push false .');
    expect(flagValues(inv, 'push')[0].bool).toBe(true);
    expect(inv.positionals.map((p) => p.value.text)).toEqual(['false', '.']);
  });

  it('--flag=false', () => {
    const [inv] = invocationsOf('docker buildx build --push=false --load=0 .');
    expect(flagValues(inv, 'push')[0].bool).toBe(false);
    expect(flagValues(inv, 'load')[0].bool).toBe(false);
  });

  it('-- ends flags', () => {
    const [inv] = invocationsOf('docker buildx rm -- --weird');
    expect(inv.positionals.map((p) => p.value.text)).toEqual(['--weird']);
  });

  it('reports unknown flags at the flag name, and missing values', () => {
    const src = 'docker buildx create --drivr kubernetes --name';
    const [inv] = invocationsOf(src);
    expect(inv.problems.map((p) => [p.kind, spanText(src, p.span)])).toEqual([
      ['unknown-flag', '--drivr'],
      ['flag-needs-argument', '--name'],
    ]);
  });

  it('keeps exact value spans through quoting', () => {
    const src = `docker buildx create --driver-opt "namespace=ci"`;
    const [inv] = invocationsOf(src);
    const f = flagValues(inv, 'driver-opt')[0];
    expect(spanText(src, f.valueSpan!)).toBe('"namespace=ci"');
    expect(spanText(src, f.nameSpan)).toBe('--driver-opt');
  });

  it('reads the builder from buildx root flags and from the subcommand', () => {
    const [a, b] = invocationsOf('docker buildx --builder one build .\ndocker buildx build --builder two .');
    expect(a.globalFlags.find((f) => f.name === 'builder')?.value?.text).toBe('one');
    expect(flagValues(b, 'builder')[0].value?.text).toBe('two');
  });

  it('collects env assignments from prefixes and env', () => {
    const [inv] = invocationsOf('BUILDX_BUILDER=kube env FOO=1 docker buildx build .');
    expect(inv.env.map((e) => [e.name, e.value?.text])).toEqual([
      ['BUILDX_BUILDER', 'kube'],
      ['FOO', '1'],
    ]);
  });
});
