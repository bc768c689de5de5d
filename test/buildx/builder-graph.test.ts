/** The builder graph: state per builder, selection, removals and build-time node assignment. */
import { describe, expect, it } from 'vitest';
import { assignBuildPlatforms, buildBuilderGraph } from '../../server/src/buildx/builder-graph';
import { modelOf } from '../harness/lint-helpers';

const SCRIPT = `docker buildx create --name Multi --driver kubernetes --platform linux/amd64 --node amd --driver-opt nodeselector=kubernetes.io/arch=amd64
docker buildx create --name multi --append --platform linux/arm64,linux/arm/v7 --driver-opt qemu.install=false
docker buildx build --builder multi --platform linux/amd64,linux/arm64,linux/arm/v6,linux/riscv64 .
`;

describe('buildBuilderGraph', () => {
  it('accumulates nodes, generated names, driver, selectors and qemu', () => {
    const g = buildBuilderGraph(modelOf(SCRIPT));
    const b = g.builders.get('multi')!;
    expect(b.name).toBe('Multi');
    expect(b.driver).toBe('kubernetes');
    expect(b.complete).toBe(true);
    expect(b.nodes.map((n) => n.name)).toEqual(['amd', 'multi0']);
    expect(b.nodes[0].nodeSelector.map((kv) => `${kv.key.text}=${kv.value.text}`)).toEqual(['kubernetes.io/arch=amd64']);
    expect(b.nodes[1].qemuInstall).toBe(false);
    expect(g.creates[1].exists).toBe('yes');
    expect(g.creates[0].exists).toBe('no');
  });
  it('assigns build platforms like build/resolver', () => {
    const g = buildBuilderGraph(modelOf(SCRIPT));
    const st = g.builds[0];
    expect(st.key).toBe('multi');
    expect(st.source).toBe('flag');
    expect(assignBuildPlatforms(st.builder, st.build.platforms).map((a) => [a.platform, a.node, a.match])).toEqual([
      ['linux/amd64', 'amd', 'declared'],
      ['linux/arm64', 'multi0', 'declared'],
      ['linux/arm/v6', 'multi0', 'compatible'],
      ['linux/riscv64', 'amd', 'fallback-node-0'],
    ]);
  });
  it('strict pass wins when every platform is declared', () => {
    const g = buildBuilderGraph(modelOf(SCRIPT.replace(',linux/arm/v6,linux/riscv64', '')));
    expect(assignBuildPlatforms(g.builds[0].builder, g.builds[0].build.platforms).map((a) => a.match)).toEqual(['declared', 'declared']);
  });
  it('moves a platform pinned again to the later node', () => {
    const g = buildBuilderGraph(modelOf(`docker buildx create --name b --node x --platform linux/amd64,linux/arm64\ndocker buildx create --name b --append --node y --platform linux/arm64 ssh://h\n`));
    const b = g.builders.get('b')!;
    expect(b.nodes.map((n) => [n.name, n.platforms.map((p) => `${p.os}/${p.arch}`)])).toEqual([
      ['x', ['linux/amd64']],
      ['y', ['linux/arm64']],
    ]);
    expect(g.creates[1].moved.map((m) => [m.from.name, `${m.platform.os}/${m.platform.arch}`])).toEqual([['x', 'linux/arm64']]);
  });
  it('resolves the builder from use, create --use, BUILDX_BUILDER and prefix assignments', () => {
    const text = `docker buildx create --name a --use
docker buildx build .
docker buildx use b
docker buildx build .
export BUILDX_BUILDER=c
docker buildx build .
BUILDX_BUILDER=d docker buildx build .
unset BUILDX_BUILDER
docker build .
docker buildx build --builder "$X" .
`;
    const g = buildBuilderGraph(modelOf(text));
    expect(g.builds.map((b) => [b.source, b.key])).toEqual([
      ['create-use', 'a'],
      ['use', 'b'],
      ['env', 'c'],
      ['env-prefix', 'd'],
      ['context', null],
      ['dynamic', null],
    ]);
    expect(g.builds[4].ignoredSelection?.key).toBe('b');
  });
  it('tracks removals and re-creation', () => {
    const g = buildBuilderGraph(modelOf(`docker buildx create --name a\ndocker buildx rm a\ndocker buildx inspect a\ndocker buildx create --name a\ndocker buildx use a\n`));
    expect(g.refs.map((r) => [r.command, r.key, !!r.removedBy])).toEqual([
      ['rm', 'a', false],
      ['inspect', 'a', true],
      ['use', 'a', false],
    ]);
  });
  it('dynamic names and platforms make builders partially known', () => {
    const g1 = buildBuilderGraph(modelOf(`docker buildx create --name a --platform linux/amd64\ndocker buildx create --name "$B" --append --platform linux/arm64\n`));
    expect(g1.builders.get('a')!.complete).toBe(false);
    const g2 = buildBuilderGraph(modelOf(`docker buildx create --name a --platform "$P"\n`));
    expect(g2.builders.get('a')!.complete).toBe(false);
    expect(assignBuildPlatforms(g2.builders.get('a'), modelOf('docker buildx build --platform linux/amd64 .').builds[0].platforms)[0].match).toBe('unknown');
    const g3 = buildBuilderGraph(modelOf(`docker buildx create --name a --append --platform linux/amd64\n`));
    expect(g3.builders.get('a')!.complete).toBe(false);
  });
  it('branches: exclusive if/else, conditional || and loops', () => {
    const g = buildBuilderGraph(
      modelOf(`if x; then docker buildx create --name a; else docker buildx create --name a --driver remote tcp://h:1; fi
docker buildx inspect b || docker buildx create --name b
docker buildx create --name b --append
docker buildx create --name c
for i in 1 2; do docker buildx create --name c --append; done
`),
    );
    expect(g.creates.map((c) => [c.key, c.exists])).toEqual([
      ['a', 'no'],
      ['a', 'no'],
      ['b', 'no'],
      ['b', 'maybe'],
      ['c', 'no'],
      ['c', 'yes'],
    ]);
  });
  it('Makefile rules without host scopes are still read one rule at a time', () => {
    const g = buildBuilderGraph(
      modelOf(`B := kb\none:\n\tdocker buildx create --name $(B)\ntwo:\n\tdocker buildx create --name $(B) --append\n\tdocker buildx create --name $(B) --append\n`, 'Makefile'),
    );
    expect(g.creates.map((c) => [c.key, c.exists])).toEqual([
      // The other rule may or may not have run before.
      ['kb', 'maybe'],
      ['kb', 'maybe'],
      // The append before it in the same recipe succeeded, or make stopped.
      ['kb', 'yes'],
    ]);
  });
});

describe('Makefile scopes', () => {
  it('a target starts after its static prerequisites (the Makefile host sets scope and after)', () => {
    const text = `B := k\nbuilder:\n\tdocker buildx create --name $(B) --driver kubernetes --node amd --platform linux/amd64\nimage: builder\n\tdocker buildx build --builder $(B) --platform linux/amd64 .\nother:\n\tdocker buildx build --builder $(B) .\n`;
    const model = modelOf(text, 'Makefile');
    expect(model.regions.map((r) => [r.region.scope, r.region.after])).toEqual([
      ['make:builder', []],
      ['make:image', ['make:builder']],
      ['make:other', []],
    ]);
    const g = buildBuilderGraph(model);
    expect(g.builds.map((b) => b.builder?.nodes.map((n) => n.name) ?? null)).toEqual([['amd'], null]);
  });
});

describe('explain', () => {
  it('reports platform assignments per build', async () => {
    const { explainFile } = await import('../../server/src/cli/explain');
    const items = explainFile('x.sh', modelOf(SCRIPT));
    expect(items[2].builder).toEqual({ name: 'Multi', source: 'flag' });
    expect(items[2].platformAssignments?.map((a) => a.match)).toEqual(['declared', 'declared', 'compatible', 'fallback-node-0']);
  });
});
