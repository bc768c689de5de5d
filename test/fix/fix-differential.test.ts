/**
 * The proof of the fixes: every fixed script and Makefile is run for real (bash / GNU make with a
 * stub docker that records argv). After the fix buildx receives the intended driver options, every
 * command the fix did not touch keeps its argv byte for byte, and a second pass changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { fixText } from '../../server/src/engine/fix';
import { lint } from '../../server/src/engine/lint';
import { decodeDriverOpts } from '../../server/src/buildx/driver-opts';
import { identity } from '../../server/src/core/mapped-string';
import { runMake, runScript } from '../harness/stub-docker';

/** driverOptsOf decodes the --driver-opt values of one recorded create call as buildx would. */
function driverOptsOf(argv: string[], driver: 'kubernetes' | 'docker-container' | 'remote' = 'kubernetes'): Record<string, string> {
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--driver-opt') values.push(argv[++i]);
    else if (argv[i].startsWith('--driver-opt=')) values.push(argv[i].slice('--driver-opt='.length));
  }
  const m = decodeDriverOpts(
    values.map((v) => identity(v)),
    driver,
  );
  return Object.fromEntries([...m.effective].map(([k, e]) => [k, e.value.text]));
}

interface Case {
  name: string;
  kind: 'sh' | 'make';
  source: string;
  /** Index of the recorded docker call the fix must change. */
  call: number;
  expected: Record<string, string>;
  unsafe?: boolean;
  targets?: string[];
}

const cases: Case[] = [
  {
    name: 'unquoted comma in an unquoted word',
    kind: 'sh',
    source: 'docker buildx create --driver kubernetes --driver-opt=namespace=ci,nodeselector=kubernetes.io/arch=amd64,pool=ci\ndocker buildx ls\n',
    call: 0,
    expected: { namespace: 'ci', nodeselector: 'kubernetes.io/arch=amd64,pool=ci' },
  },
  {
    name: 'double quotes removed by the shell, separate word',
    kind: 'sh',
    source: 'docker buildx create --driver kubernetes --driver-opt "tolerations=key=ci,operator=Exists"\n',
    call: 0,
    expected: { tolerations: 'key=ci,operator=Exists' },
  },
  {
    name: 'quotes mid-word removed by the shell',
    kind: 'sh',
    source: 'docker buildx create --driver kubernetes --driver-opt=nodeselector="a=1,b=2"\n',
    call: 0,
    expected: { nodeselector: 'a=1,b=2' },
  },
  {
    name: 'inside a double-quoted word next to ${VAR}',
    kind: 'sh',
    source: 'NS=build\ndocker buildx create --driver kubernetes "--driver-opt=namespace=${NS},labels=team=ci,tier=build"\n',
    call: 0,
    expected: { namespace: 'build', labels: 'team=ci,tier=build' },
  },
  {
    name: 'next to an unquoted $VAR in the same word',
    kind: 'sh',
    source: 'NS=build\ndocker buildx create --driver kubernetes --driver-opt=nodeselector=kubernetes.io/arch=arm64,pool=ci,namespace=$NS\n',
    call: 0,
    expected: { namespace: 'build', nodeselector: 'kubernetes.io/arch=arm64,pool=ci' },
  },
  {
    name: 'a $VAR inside the joined value keeps expanding',
    kind: 'sh',
    source: 'ARCH=arm64\ndocker buildx create --driver kubernetes "--driver-opt=nodeselector=kubernetes.io/arch=$ARCH,pool=ci"\n',
    call: 0,
    expected: { nodeselector: 'kubernetes.io/arch=arm64,pool=ci' },
  },
  {
    name: 'inside $(…)',
    kind: 'sh',
    source: 'name=$(docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2)\necho "$name" >/dev/null\n',
    call: 0,
    expected: { nodeselector: 'a=1,b=2' },
  },
  {
    name: 'across line continuations',
    kind: 'sh',
    source: 'docker buildx create --name k --driver kubernetes \\\n  --driver-opt annotations=a.io/x=1,a.io/y=2 \\\n  --platform linux/amd64\n',
    call: 0,
    expected: { annotations: 'a.io/x=1,a.io/y=2' },
  },
  {
    name: 'mid-field quote protected from the shell',
    kind: 'sh',
    source: `docker buildx create --driver kubernetes --driver-opt 'nodeselector="a=1,b=2"'\n`,
    call: 0,
    expected: { nodeselector: 'a=1,b=2' },
  },
  {
    name: 'trailing comma',
    kind: 'sh',
    source: 'docker buildx create --driver kubernetes --driver-opt namespace=ci,replicas=2,\n',
    call: 0,
    expected: { namespace: 'ci', replicas: '2' },
  },
  {
    name: 'toleration operator case',
    kind: 'sh',
    source: `docker buildx create --driver kubernetes --driver-opt '"tolerations=key=ci,operator=exists,effect=noschedule"'\n`,
    call: 0,
    expected: { tolerations: 'key=ci,operator=Exists,effect=NoSchedule' },
  },
  {
    name: 'unsafe: did-you-mean key',
    kind: 'sh',
    source: 'docker buildx create --driver kubernetes --driver-opt nodeSelector=kubernetes.io/arch=amd64\n',
    call: 0,
    unsafe: true,
    expected: { nodeselector: 'kubernetes.io/arch=amd64' },
  },
  {
    name: 'unsafe: key:value in a selector',
    kind: 'sh',
    source: 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch:amd64\n',
    call: 0,
    unsafe: true,
    expected: { nodeselector: 'kubernetes.io/arch=amd64' },
  },
  {
    name: 'unsafe: duplicate key keeps the effective one',
    kind: 'sh',
    source: 'docker buildx create --driver kubernetes --driver-opt replicas=1 --driver-opt namespace=ci,replicas=3\n',
    call: 0,
    unsafe: true,
    expected: { namespace: 'ci', replicas: '3' },
  },
  {
    name: 'Makefile recipe with $$ and a make variable',
    kind: 'make',
    source:
      'NS := build\nbuilder:\n\t@docker buildx create --driver kubernetes --driver-opt namespace=$(NS) \\\n\t  --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n\tdocker buildx ls --format "$$HOME"\n',
    call: 0,
    targets: ['builder'],
    expected: { namespace: 'build', nodeselector: 'kubernetes.io/arch=amd64,pool=ci' },
  },
  {
    name: 'Makefile recipe, value needing quotes and a $ in it',
    kind: 'make',
    source: 'all:\n\tdocker buildx create --driver kubernetes --driver-opt labels=cost=$$USER,team=ci,tier=x\n',
    call: 0,
    targets: ['all'],
    expected: { labels: 'cost=kbx,team=ci,tier=x' },
  },
];

function run(c: Case, text: string) {
  return c.kind === 'sh' ? runScript(text) : runMake(text, c.targets ?? []);
}

const fileName = (c: Case) => (c.kind === 'sh' ? 'fix.sh' : 'Makefile');

describe('fixes give buildx the intended options (bash/make oracle)', () => {
  it.each(cases)('$name', (c) => {
    const lintText = (t: string) => lint({ text: t, fileName: fileName(c) });
    const before = run(c, c.source);
    const fixed = fixText(c.source, !!c.unsafe, lintText);
    expect(fixed.applied, 'at least one fix applies').toBeGreaterThan(0);
    expect(fixed.text).not.toBe(c.source);
    const after = run(c, fixed.text);
    expect(after.calls.length).toBe(before.calls.length);
    expect(driverOptsOf(after.calls[c.call])).toEqual(c.expected);
    // Everything the fix did not touch gives the same argv, byte for byte.
    after.calls.forEach((argv, i) => {
      if (i !== c.call) expect(argv).toEqual(before.calls[i]);
    });
    // The fixed text lints clean of driver-option errors, and a second pass changes nothing.
    expect(lintText(fixed.text).diagnostics.filter((d) => d.severity === 'error' && d.code < 'KBX400')).toEqual([]);
    expect(fixText(fixed.text, !!c.unsafe, lintText).applied).toBe(0);
  });
});

describe('no fix where none is certain', () => {
  it('does not offer unsafe fixes without --unsafe-fixes', () => {
    const src = 'docker buildx create --driver kubernetes --driver-opt nodeSelector=a=b\n';
    expect(fixText(src, false, (t) => lint({ text: t, fileName: 'x.sh' })).applied).toBe(0);
  });
  it('does not touch a value built from a make variable', () => {
    const src = 'SEL = kubernetes.io/arch:amd64\nall:\n\tdocker buildx create --driver kubernetes --driver-opt nodeselector=$(SEL)\n';
    expect(fixText(src, true, (t) => lint({ text: t, fileName: 'Makefile' })).applied).toBe(0);
  });
  it('does not fix a split when a split-off piece is itself an option', () => {
    const src = 'docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,namespace=ci\n';
    const r = lint({ text: src, fileName: 'x.sh' });
    expect(r.diagnostics.filter((d) => d.fix)).toEqual([]);
  });
  it('never rewrites a file with shell syntax errors', () => {
    const src = 'docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\necho "unterminated\n';
    expect(fixText(src, true, (t) => lint({ text: t, fileName: 'x.sh' })).applied).toBe(0);
  });
});

describe('argv fixes (bash oracle)', () => {
  const argvCases: { name: string; source: string; want: string[] }[] = [
    {
      name: 'space after a comma in --platform',
      source: 'docker buildx build --platform linux/amd64, linux/arm64 -t app .\n',
      want: ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '-t', 'app', '.'],
    },
    {
      name: 'space after a comma across a continuation',
      source: 'docker buildx build --platform "linux/amd64", \\\n  linux/arm64 .\n',
      want: ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '.'],
    },
    { name: 'platform alias', source: 'docker buildx build --platform "linux/x86_64,linux/aarch64" .\n', want: ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '.'] },
    { name: 'bool flag followed by false', source: 'docker buildx build --push false -t app .\n', want: ['buildx', 'build', '--push=false', '-t', 'app', '.'] },
  ];
  it.each(argvCases)('$name', ({ source, want }) => {
    const lintText = (t: string) => lint({ text: t, fileName: 'fix.sh' });
    const fixed = fixText(source, false, lintText);
    expect(fixed.applied).toBeGreaterThan(0);
    expect(runScript(fixed.text).calls[0]).toEqual(want);
    expect(fixText(fixed.text, false, lintText).applied).toBe(0);
  });
  it('Makefile: platform list split across a recipe continuation', () => {
    const src = 'all:\n\tdocker buildx build --platform linux/amd64, \\\n\t  linux/arm64 .\n';
    const lintText = (t: string) => lint({ text: t, fileName: 'Makefile' });
    const fixed = fixText(src, false, lintText);
    expect(fixed.applied).toBe(1);
    expect(runMake(fixed.text, ['all']).calls[0]).toEqual(['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '.']);
  });
});

describe('env.NAME values with commas', () => {
  it('rejoins and proves it under bash', () => {
    const src = 'docker buildx create --driver docker-container --driver-opt env.NO_PROXY=localhost,.svc,10.0.0.0/8\n';
    const lintText = (t: string) => lint({ text: t, fileName: 'x.sh' });
    const d = lintText(src).diagnostics.find((x) => x.code === 'KBX101');
    expect(d?.message).toContain('buildx will read ".svc" as a separate driver option');
    const fixed = fixText(src, false, lintText);
    expect(driverOptsOf(runScript(fixed.text).calls[0], 'docker-container')).toEqual({ 'env.NO_PROXY': 'localhost,.svc,10.0.0.0/8' });
  });
});
