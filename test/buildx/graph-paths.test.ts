/**
 * The builder graph's reading model: facts flow only inside a scope (and from prerequisites),
 * and a fact a rule needs holds only when it holds on every path to the command.
 */
import { describe, expect, it } from 'vitest';
import { buildBuilderGraph } from '../../server/src/buildx/builder-graph';
import { growth } from '../harness/cost';
import { modelOf } from '../harness/lint-helpers';
import { modelOfRegions } from '../harness/graph-regions';

const exists = (text: string) => buildBuilderGraph(modelOf(text)).creates.map((c) => c.exists);

describe('scopes', () => {
  it('facts do not flow between scopes; another scope makes a builder "maybe"', () => {
    const g = buildBuilderGraph(
      modelOfRegions([
        { text: 'docker buildx create --name b --use', scope: 'job:one' },
        { text: 'docker buildx create --name b\ndocker build .', scope: 'job:two' },
        { text: 'docker buildx create --name c', scope: 'job:two' },
        { text: 'docker buildx create --name c --append --node n2', scope: 'job:two' },
      ]),
    );
    expect(g.creates.map((c) => [c.key, c.exists])).toEqual([
      ['b', 'maybe'],
      ['b', 'maybe'],
      ['c', 'no'],
      // Regions of one scope are one sequence.
      ['c', 'yes'],
    ]);
    // The `use` of job one does not reach job two's docker build.
    expect(g.builds[0].ignoredSelection).toBeUndefined();
  });
  it('a scope starts with the facts at the end of its prerequisites, recursively', () => {
    const g = buildBuilderGraph(
      modelOfRegions([
        { text: 'docker buildx create --name k --driver kubernetes --node amd --platform linux/amd64', scope: 'make:builder' },
        { text: 'docker buildx create --name k --append --node arm --platform linux/arm64', scope: 'make:arm', after: ['make:builder'] },
        { text: 'docker buildx build --builder k --platform linux/amd64,linux/arm64 .', scope: 'make:image', after: ['make:arm'] },
        { text: 'docker buildx build --builder k .', scope: 'make:other' },
      ]),
    );
    // `arm` needs `builder`, so it runs after it.
    expect(g.creates.map((c) => c.exists)).toEqual(['no', 'yes']);
    expect(g.builds[0].builder?.nodes.map((n) => n.name)).toEqual(['amd', 'arm']);
    expect(g.builds[1].builder).toBeUndefined();
  });
  it('BUILDX_BUILDER set by the host for a region (a CI env:) selects the builder there only', () => {
    const g = buildBuilderGraph(
      modelOfRegions([
        { text: 'docker buildx create --name k --driver kubernetes --platform linux/amd64', scope: 'job' },
        { text: 'docker buildx build --platform linux/amd64 .', scope: 'job', variables: { BUILDX_BUILDER: 'k' } },
        { text: 'docker buildx build .', scope: 'job' },
      ]),
    );
    expect(g.builds.map((b) => [b.source, b.key, b.builder?.name ?? null])).toEqual([
      ['env', 'k', 'k'],
      ['none', null, null],
    ]);
  });
  it('prerequisite cycles are cut, not followed', () => {
    const g = buildBuilderGraph(
      modelOfRegions([
        { text: 'docker buildx create --name a', scope: 'make:a', after: ['make:b'] },
        { text: 'docker buildx create --name a --append --node x tcp://x:1', scope: 'make:b', after: ['make:a'] },
      ]),
    );
    expect(g.creates).toHaveLength(2);
  });
  it('a scope that is not a prerequisite contributes only "maybe"', () => {
    const g = buildBuilderGraph(
      modelOfRegions([
        { text: 'docker buildx rm b', scope: 'make:clean' },
        { text: 'docker buildx create --name b\ndocker buildx inspect b', scope: 'make:builder' },
      ]),
    );
    expect(g.refs.map((r) => [r.command, !!r.removedBy])).toEqual([
      ['rm', false],
      ['inspect', false],
    ]);
  });
});

describe('paths', () => {
  it.each([
    ['if ! docker buildx ls | grep -q b; then docker buildx create --name b; fi\ndocker buildx create --name b', ['no', 'maybe']],
    ['docker buildx inspect b || docker buildx create --name b\ndocker buildx create --name b', ['no', 'maybe']],
    ['docker buildx inspect b >/dev/null 2>&1 || docker buildx create --name b --use\ndocker buildx create --name b', ['no', 'maybe']],
    ['docker buildx create --name b || true\ndocker buildx create --name b', ['no', 'maybe']],
    ['docker buildx create --name b && echo ok\ndocker buildx create --name b', ['no', 'yes']],
    ['docker buildx create --name b && docker buildx create --name b --append --node n2', ['no', 'yes']],
    ['case "$1" in k8s) docker buildx create --name b;; esac\ndocker buildx create --name b', ['no', 'maybe']],
    [
      'case "$1" in k8s) docker buildx create --name b;; *) docker buildx create --name b --driver remote tcp://h:1;; esac\ndocker buildx create --name b --append --node n2 tcp://h:2',
      ['no', 'no', 'yes'],
    ],
    ['for i in 1 2; do docker buildx create --name b; done\ndocker buildx create --name b', ['no', 'maybe']],
    ['while false; do docker buildx create --name b; done\ndocker buildx create --name b', ['no', 'maybe']],
    ['setup() { docker buildx create --name b; }\ndocker buildx create --name b', ['no', 'maybe']],
    ['docker buildx create --name b &\ndocker buildx create --name b', ['no', 'maybe']],
    ['(docker buildx create --name b)\ndocker buildx create --name b', ['no', 'yes']],
    ['if docker buildx create --name b; then :; fi\ndocker buildx create --name b', ['no', 'maybe']],
    ['docker buildx create --name b\nif x; then docker buildx rm b; fi\ndocker buildx create --name b', ['no', 'maybe']],
    ['if x; then docker buildx create --name b; fi\ndocker buildx create --name b\ndocker buildx create --name b', ['no', 'maybe', 'yes']],
    ['docker buildx create --name b\ndocker buildx rm b\ndocker buildx create --name b', ['no', 'no']],
    ['docker buildx create --name "$B"\ndocker buildx create --name b --append', ['maybe', 'maybe']],
  ])('%s', (text, want) => {
    expect(exists(text)).toEqual(want);
  });
  it('guarded creates never chain into phantom nodes', () => {
    const text = ['amd64', 'arm64', 's390x', 'ppc64le'].map((a) => `if ! docker buildx ls | grep -q multi; then docker buildx create --name multi --platform linux/${a}; fi`).join('\n');
    const g = buildBuilderGraph(modelOf(text + '\n'));
    expect(g.creates.map((c) => [c.exists, c.moved.length, c.result?.name ?? null])).toEqual([
      ['no', 0, 'multi0'],
      // On its path each create made the builder afresh (had it existed, the create would fail).
      ['maybe', 0, 'multi0'],
      ['maybe', 0, 'multi0'],
      ['maybe', 0, 'multi0'],
    ]);
    expect(g.builders.get('multi')).toBeUndefined();
  });
  it('a use in one branch is not a selection after the if', () => {
    const g = buildBuilderGraph(modelOf('if x; then docker buildx create --name a --use; fi\ndocker build .\ndocker buildx use a\ndocker build .\n'));
    expect(g.builds.map((b) => b.ignoredSelection?.key ?? null)).toEqual([null, 'a']);
  });
  it('BUILDX_BUILDER set on one path only is not known', () => {
    const g = buildBuilderGraph(modelOf('docker buildx create --name a\nif x; then export BUILDX_BUILDER=a; fi\ndocker buildx build .\n(export BUILDX_BUILDER=b)\n'));
    expect(g.builds.map((b) => [b.source, b.key])).toEqual([['dynamic', null]]);
  });
  it('a create buildx refuses adds no node', () => {
    const g = buildBuilderGraph(
      modelOf('docker buildx create --name a --node x\ndocker buildx create --name a --platform linux/arm64\ndocker buildx create --name a --node y --platform linux/arm64\n'),
    );
    expect(g.builders.get('a')!.nodes.map((n) => n.name)).toEqual(['x']);
  });
  it('a removed node is gone on every path only when removed unconditionally', () => {
    const base = 'docker buildx create --name a --driver kubernetes --node x\ndocker buildx create --name a --append --node y\n';
    const g1 = buildBuilderGraph(modelOf(base + 'docker buildx create --name a --leave --node y\ndocker buildx create --name a --leave --node y\n'));
    expect(g1.creates[3].nodeMissing).toBe(true);
    const g2 = buildBuilderGraph(modelOf(base + 'if x; then docker buildx create --name a --leave --node y; fi\ndocker buildx create --name a --leave --node y\n'));
    expect(g2.creates[3].nodeMissing).toBe(false);
  });
});

describe('growth', () => {
  // Linear: ~4x from n to 4n; a copy of the builder per create, or a walk of the chain per link, ~16x.
  it('4,000 appends to one builder stay linear', () => {
    const appends = (n: number) => {
      const lines = ['docker buildx create --name same --driver kubernetes --node n0 --platform linux/amd64'];
      for (let i = 1; i < n; i++) lines.push(`docker buildx create --append --name same --platform linux/arm64`);
      return { n, model: modelOf(lines.join('\n') + '\n') };
    };
    // CPU time: wall time on a loaded machine failed this now and then.
    const r = growth(appends, ({ n, model }) => expect(buildBuilderGraph(model).builders.get('same')!.nodes).toHaveLength(n), 1000, { clock: 'cpu' });
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
  it('a long || chain and many guarded creates stay linear', () => {
    const chain = (n: number) => Array.from({ length: n }, (_, i) => `docker buildx create --name b${i % 7}`).join(' || ') + '\n';
    const guarded = (n: number) => Array.from({ length: n }, (_, i) => `if x; then docker buildx create --append --name g --node n${i}; fi`).join('\n') + '\n';
    for (const make of [chain, guarded]) {
      const r = growth(
        (n) => modelOf(make(n)),
        (model) => buildBuilderGraph(model),
        1000,
        { runs: 2, clock: 'cpu' },
      );
      expect(r.ratio, `${make.name}: ${r.describe}`).toBeLessThan(10);
    }
  });
  it('Makefile targets that each create their own builder stay linear', () => {
    // Each target's builder may exist in every other one: set up per target for every name, that
    // was targets × targets heads.
    const targets = (n: number) => {
      const lines: string[] = [];
      for (let i = 0; i < n; i++) lines.push(`t${i}:`, `\tdocker buildx create --name b${i}`, `\tdocker buildx build --builder b${(i * 7) % n} .`);
      return modelOf(lines.join('\n') + '\n', 'Makefile');
    };
    const r = growth(targets, (model) => expect(buildBuilderGraph(model).creates).toHaveLength(model.creates.length), 500, { runs: 2, clock: 'cpu' });
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
});

describe('the trail store', () => {
  it('joins what the paths leave and keeps no trail outside forks', async () => {
    const { Cells, Store, joinTri } = await import('../../server/src/buildx/graph/store');
    const store = new Store();
    const cells = new Cells<'yes' | 'no' | 'maybe'>(store, (a, b) => joinTri(a ?? 'no', b ?? 'no'));
    cells.set('x', 'yes');
    expect(store.trail).toHaveLength(0);
    store.fork([
      () => cells.set('y', 'yes'),
      () => {
        cells.set('y', 'yes');
        cells.set('x', 'no');
      },
    ]);
    expect([cells.get('x'), cells.get('y')]).toEqual(['maybe', 'yes']);
    store.maybe(() => store.maybe(() => cells.set('z', 'yes')));
    expect(cells.get('z')).toBe('maybe');
    expect(store.trail).toHaveLength(0);
  });
});
