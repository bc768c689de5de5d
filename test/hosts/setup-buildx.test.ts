/**
 * docker/setup-buildx-action inputs → the `docker buildx create` commands the action runs: unit
 * cases on positions and host problems, and a differential test against the oracle transcribed
 * from the action's source (test/harness/setup-buildx-oracle.ts) over generated workflows.
 */
import { describe, expect, it } from 'vitest';
import { modelOf, argvOf, lintText, spanText } from '../harness/lint-helpers';
import { mulberry32 } from '../harness/random';
import { setupBuildxArgv, workflowSetupBuildxInputs } from '../harness/setup-buildx-oracle';

const WF = '.github/workflows/ci.yml';

function workflow(withLines: string[]): string {
  return ['jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: docker/setup-buildx-action@v3', '        with:', ...withLines.map((l) => '          ' + l), ''].join('\n');
}

function creates(text: string) {
  return modelOf(text, WF).invocations.filter((i) => i.command === 'create');
}

describe('setup-buildx-action inputs', () => {
  it('runs docker buildx install for install: true before v4, so docker build uses the builder', () => {
    const steps = (uses: string, install: string) =>
      ['jobs:', '  b:', '    runs-on: ubuntu-latest', '    steps:', `      - uses: ${uses}`, '        with:', `          install: ${install}`, '      - run: docker build -t a .', ''].join('\n');
    const commands = (text: string) => modelOf(text, WF).invocations.map((i) => i.command);
    const kbx427 = (text: string) => lintText(text, WF).diagnostics.filter((d) => d.code === 'KBX427').length;
    for (const uses of ['docker/setup-buildx-action@v3', 'docker/setup-buildx-action@v2.10.0', 'docker/setup-buildx-action@988b5a0280414f521da01fcc63a27aeeb4b104db']) {
      const text = steps(uses, 'true');
      expect(commands(text)).toEqual(['create', 'install', 'build']);
      expect(spanText(text, modelOf(text, WF).invocations[1].programSpan)).toBe('true');
      expect(kbx427(text)).toBe(0);
    }
    // v4 removed the input; false runs nothing.
    expect(commands(steps('docker/setup-buildx-action@v4', 'true'))).toEqual(['create', 'build']);
    expect(kbx427(steps('docker/setup-buildx-action@v4', 'true'))).toBe(1);
    expect(commands(steps('docker/setup-buildx-action@v3', 'false'))).toEqual(['create', 'build']);
    expect(kbx427(steps('docker/setup-buildx-action@v3', 'false'))).toBe(1);
    // Unknown: read as installed, so docker build is not said to ignore the builder.
    expect(kbx427(steps('docker/setup-buildx-action@v3', '${{ inputs.install }}'))).toBe(0);
  });
  it('synthesises the create command with defaults', () => {
    const text = workflow(['name: ci']);
    const [inv, ...rest] = creates(text);
    expect(rest).toHaveLength(0);
    expect(argvOf(inv)).toEqual([
      'buildx',
      'create',
      '--name',
      'ci',
      '--driver',
      'docker-container',
      '--buildkitd-flags',
      '--allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host',
      '--use',
    ]);
  });

  it('maps each driver option to its line in the block scalar', () => {
    const text = workflow(['driver: kubernetes', 'driver-opts: |', '  namespace=buildkit', '  "nodeselector=a=b,c=d"', '  replicas=2']);
    const [inv] = creates(text);
    const opts = inv.flags.filter((f) => f.name === 'driver-opt');
    expect(opts.map((f) => f.value!.text)).toEqual(['namespace=buildkit', '"nodeselector=a=b,c=d"', 'replicas=2']);
    for (const f of opts) expect(spanText(text, f.valueSpan!)).toBe(f.value!.text);
    expect(spanText(text, opts[0].nameSpan)).toBe('driver-opts');
  });

  it('reports buildx findings on the input line', () => {
    const text = workflow(['driver: kubernetes', 'driver-opts: |', '  namespace=buildkit', '  replicas=two']);
    const d = lintText(text, WF).diagnostics.find((x) => x.code === 'KBX202')!;
    expect(spanText(text, d.span)).toBe('two');
  });

  it('reads a comment line as an option and says so once', () => {
    const text = workflow(['driver-opts: |', '  # mirror', '  image=moby/buildkit:master']);
    const [inv] = creates(text);
    expect(inv.flags.filter((f) => f.name === 'driver-opt').map((f) => f.value!.text)).toEqual(['# mirror', 'image=moby/buildkit:master']);
    const ds = lintText(text, WF).diagnostics.filter((d) => spanText(text, d.span) === '# mirror');
    expect(ds.map((d) => d.code)).toEqual(['KBX611']);
  });

  it('passes a string append driver-opts one character at a time and reports it once', () => {
    const text = workflow(['driver: kubernetes', 'append: |', '  - name: arm', '    driver-opts: ab=1']);
    const appends = creates(text).filter((i) => i.flags.some((f) => f.name === 'append'));
    expect(appends).toHaveLength(1);
    expect(appends[0].flags.filter((f) => f.name === 'driver-opt').map((f) => f.value!.text)).toEqual(['a', 'b', '=', '1']);
    const ds = lintText(text, WF).diagnostics;
    expect(ds.filter((d) => d.code === 'KBX612')).toHaveLength(1);
    expect(ds.filter((d) => d.code === 'KBX104')).toHaveLength(0);
    expect(spanText(text, ds.find((d) => d.code === 'KBX612')!.span)).toBe('ab=1');
  });

  it('warns on an empty platforms item', () => {
    const text = workflow(['platforms: linux/amd64,,linux/arm64,']);
    const ds = lintText(text, WF).diagnostics.filter((d) => d.code === 'KBX613');
    expect(ds).toHaveLength(2);
    const [inv] = creates(text);
    expect(inv.flags.find((f) => f.name === 'platform')!.value!.text).toBe('linux/amd64,linux/arm64');
  });

  it('runs no create for the docker driver, and appends to the context builder', () => {
    expect(creates(workflow(['driver: docker']))).toHaveLength(0);
  });

  it('keeps ${{ }} unknown and never offers a fix inside the synthesised command', () => {
    const text = workflow(['driver: kubernetes', 'driver-opts: |', '  namespace=${{ env.NS }}', '  nodeselector=kubernetes.io/arch=amd64,pool=ci']);
    const [inv] = creates(text);
    expect(argvOf(inv)[argvOf(inv).indexOf('--driver-opt') + 1]).toBeNull();
    const d = lintText(text, WF).diagnostics.find((x) => x.code === 'KBX101')!;
    expect(d).toBeDefined();
    expect(d.fix).toBeUndefined();
  });

  it('blames the step for the generated name and the default flags', () => {
    const text = workflow(['driver: kubernetes']);
    const [inv] = creates(text);
    const name = inv.flags.find((f) => f.name === 'name')!;
    expect(spanText(text, name.valueSpan!)).toBe('docker/setup-buildx-action@v3');
  });
});

// ---- differential: the host against the oracle transcribed from the action's source ----

const OPT_LINES = [
  'image=moby/buildkit:master',
  'network=host',
  'namespace=buildkit',
  '"nodeselector=a=b,c=d"',
  'nodeselector=kubernetes.io/arch=amd64',
  '# a comment',
  'replicas=2',
  "env.X='y z'",
  'a=1,b=2',
  'qemu.install=true',
  'requests.cpu=1',
  'x="a,b"',
  'k=v,',
  '"quoted=1",b=2',
  'tab\there=1',
];
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/riscv64', '', '"linux/amd64,linux/arm64"', 'linux/s390x  ', '"linux/ppc64le"'];

function pick<T>(r: () => number, xs: T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

/** One input written in a random YAML style; the lines must hold no YAML-special starts. */
function emit(r: () => number, key: string, lines: string[]): string[] {
  const single = lines.join(lines.length > 1 ? pick(r, [',', ', ', ' ,,']) : '');
  const style = lines.length > 1 ? pick(r, ['literal', 'literal-strip', 'folded', 'double']) : pick(r, ['plain', 'single', 'double', 'literal']);
  switch (style) {
    case 'literal':
      return [`${key}: |`, ...lines.map((l) => '  ' + l)];
    case 'literal-strip':
      return [`${key}: |-`, ...lines.map((l) => '  ' + l)];
    case 'folded':
      return [`${key}: >`, ...lines.map((l) => '  ' + l)];
    case 'double':
      return [`${key}: "${lines.join('\\n').replace(/"/g, '\\"')}"`];
    case 'single':
      return [`${key}: '${single.replace(/'/g, "''")}'`];
    default:
      return /^[#"'&*!|>%@`-]|: | #|^\s|\s$/.test(single) || single === '' ? [`${key}: '${single.replace(/'/g, "''")}'`] : [`${key}: ${single}`];
  }
}

function generate(r: () => number): string[] {
  const out: string[] = [];
  if (r() < 0.5) out.push(...emit(r, 'name', [pick(r, ['ci', 'my-builder', 'b1'])]));
  if (r() < 0.8) out.push(...emit(r, 'driver', [pick(r, ['docker-container', 'kubernetes', 'remote', 'docker', 'cloud'])]));
  if (r() < 0.7)
    out.push(
      ...emit(
        r,
        'driver-opts',
        Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(r, OPT_LINES)),
      ),
    );
  if (r() < 0.5)
    out.push(
      ...emit(
        r,
        'platforms',
        Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(r, PLATFORMS)).filter((p, i) => p || i),
      ),
    );
  if (r() < 0.3) out.push(...emit(r, 'use', [pick(r, ['true', 'false', 'True', 'FALSE'])]));
  if (r() < 0.3) out.push(...emit(r, 'endpoint', [pick(r, ['tcp://buildkitd:1234', 'unix:///run/b.sock', 'ctx'])]));
  if (r() < 0.3) out.push(...emit(r, 'buildkitd-flags', [pick(r, ['--debug', '--allow-insecure-entitlement network.host'])]));
  if (r() < 0.15) out.push('buildkitd-config-inline: |', '  [worker.oci]', '  max-parallelism = 4');
  if (r() < 0.4) {
    out.push('append: |');
    const n = 1 + Math.floor(r() * 2);
    for (let k = 0; k < n; k++) {
      const node: string[] = [];
      if (r() < 0.8) node.push(`name: node${k}`);
      if (r() < 0.5) node.push(`endpoint: tcp://node${k}:1234`);
      if (r() < 0.5) node.push(`platforms: ${pick(r, ['linux/arm64', 'linux/amd64,linux/arm64'])}`);
      if (r() < 0.3) node.push(`buildkitd-flags: --debug`);
      const o = r();
      if (o < 0.4)
        node.push('driver-opts:', ...Array.from({ length: 1 + Math.floor(r() * 2) }, () => `  - ${pick(r, ['namespace=b', 'image=moby/buildkit', 'nodeselector=kubernetes.io/arch=arm64'])}`));
      else if (o < 0.6) node.push(`driver-opts: ${pick(r, ['namespace=b', 'ab'])}`);
      if (!node.length) node.push('name: only');
      out.push(`  - ${node[0]}`, ...node.slice(1).map((l) => `    ${l}`));
    }
  }
  return out;
}

describe('setup-buildx-action: host argv equals the action oracle', () => {
  const CONFIG = '\u0000config';
  it('over 400 generated workflows', () => {
    const r = mulberry32(20261201);
    for (let n = 0; n < 400; n++) {
      const text = workflow(generate(r));
      const inputs = workflowSetupBuildxInputs(text)!;
      let expected: (string | null)[][];
      try {
        expected = setupBuildxArgv(inputs, 'builder-generated-1', CONFIG).map((a) => a.map((x) => (x === CONFIG ? null : x)));
      } catch {
        continue; // the action fails on this input (an invalid boolean): nothing to compare
      }
      const got = creates(text).map((i) => argvOf(i).slice(1));
      expect(got, `case ${n}:\n${text}`).toEqual(expected);
    }
  });
});
