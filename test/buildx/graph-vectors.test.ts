/**
 * Vectors from docker/buildx's own tests (buildx 461836ba0), written as command lines: node
 * selection at build time, node group updates, and context builders.
 */
import { describe, expect, it } from 'vitest';
import { assignBuildPlatforms, buildBuilderGraph } from '../../server/src/buildx/builder-graph';
import type { GraphBuilder } from '../../server/src/buildx/builder-graph';
import { formatPlatform, parsePlatformList } from '../../server/src/buildx/platform';
import { identity } from '../../server/src/core/mapped-string';
import { lint } from '../../server/src/engine/lint';
import { modelOf } from '../harness/lint-helpers';

/**
 * build/resolver/driver_test.go (`makeTestResolver` sorts nodes by name; `resolve` with
 * `platforms.Only`, or `OnlyStrict` in TestFindDriverSanity). `perfect: false` is buildx's
 * fallback to node 0. Left out: TestSelectNodeNoPlatform (no platform requested) and the second
 * half of TestSelectNodeAdditionalPlatforms (worker platforms, known only at run time).
 */
const SELECTION: { test: string; nodes: Record<string, string[]>; request: string[]; want: string[]; perfect: boolean }[] = [
  { test: 'TestFindDriverSanity', nodes: { 'builder-amd64': ['linux/amd64'] }, request: ['linux/amd64'], want: ['builder-amd64'], perfect: true },
  { test: 'TestFindDriverWeirdName', nodes: { 'builder-amd64': ['linux/amd64'], 'builder-beta': ['linux/beta'] }, request: ['linux/beta'], want: ['builder-beta'], perfect: true },
  { test: 'TestFindDriverUnknown', nodes: { 'builder-amd64': ['linux/amd64'] }, request: ['linux/riscv64'], want: ['builder-amd64'], perfect: false },
  { test: 'TestSelectNodeSinglePlatform', nodes: { 'builder-amd64': ['linux/amd64'], 'builder-riscv64': ['linux/riscv64'] }, request: ['linux/amd64'], want: ['builder-amd64'], perfect: true },
  { test: 'TestSelectNodeSinglePlatform', nodes: { 'builder-amd64': ['linux/amd64'], 'builder-riscv64': ['linux/riscv64'] }, request: ['linux/riscv64'], want: ['builder-riscv64'], perfect: true },
  { test: 'TestSelectNodeSinglePlatform', nodes: { 'builder-amd64': ['linux/amd64'], 'builder-riscv64': ['linux/riscv64'] }, request: ['linux/unknown'], want: ['builder-amd64'], perfect: false },
  {
    test: 'TestSelectNodeMultiPlatform',
    nodes: { 'builder-amd64-arm64': ['linux/amd64', 'linux/arm64'], 'builder-riscv64': ['linux/riscv64'] },
    request: ['linux/amd64'],
    want: ['builder-amd64-arm64'],
    perfect: true,
  },
  {
    test: 'TestSelectNodeMultiPlatform',
    nodes: { 'builder-amd64-arm64': ['linux/amd64', 'linux/arm64'], 'builder-riscv64': ['linux/riscv64'] },
    request: ['linux/arm64'],
    want: ['builder-amd64-arm64'],
    perfect: true,
  },
  {
    test: 'TestSelectNodeMultiPlatform',
    nodes: { 'builder-amd64-arm64': ['linux/amd64', 'linux/arm64'], 'builder-riscv64': ['linux/riscv64'] },
    request: ['linux/riscv64'],
    want: ['builder-riscv64'],
    perfect: true,
  },
  { test: 'TestSelectNodeNonStrict', nodes: { 'builder-amd64': ['linux/amd64'], 'builder-arm64': ['linux/arm64'] }, request: ['linux/arm64'], want: ['builder-arm64'], perfect: true },
  { test: 'TestSelectNodeNonStrict', nodes: { 'builder-amd64': ['linux/amd64'], 'builder-arm64': ['linux/arm64'] }, request: ['linux/arm/v8'], want: ['builder-arm64'], perfect: true },
  { test: 'TestSelectNodeNonStrict', nodes: { 'builder-amd64': ['linux/amd64'], 'builder-arm64': ['linux/arm64'] }, request: ['linux/arm/v7'], want: ['builder-arm64'], perfect: true },
  {
    test: 'TestSelectNodeNonStrictARM',
    nodes: { 'builder-amd64': ['linux/amd64'], 'builder-arm64': ['linux/arm64'], 'builder-armv8': ['linux/arm/v8'] },
    request: ['linux/arm/v8'],
    want: ['builder-armv8'],
    perfect: true,
  },
  {
    test: 'TestSelectNodeNonStrictARM',
    nodes: { 'builder-amd64': ['linux/amd64'], 'builder-arm64': ['linux/arm64'], 'builder-armv8': ['linux/arm/v8'] },
    request: ['linux/arm/v7'],
    want: ['builder-armv8'],
    perfect: true,
  },
  { test: 'TestSelectNodeNonStrictLower', nodes: { 'builder-amd64': ['linux/amd64'], 'builder-armv7': ['linux/arm/v7'] }, request: ['linux/arm/v8'], want: ['builder-amd64'], perfect: false },
  { test: 'TestSelectNodeNonStrictLower', nodes: { 'builder-amd64': ['linux/amd64'], 'builder-armv7': ['linux/arm/v7'] }, request: ['linux/arm/v6'], want: ['builder-armv7'], perfect: true },
  {
    test: 'TestSelectNodePreferStart',
    nodes: { 'builder-amd64': ['linux/amd64'], 'builder-riscv64-1': ['linux/riscv64'], 'builder-riscv64-2': ['linux/riscv64'] },
    request: ['linux/riscv64'],
    want: ['builder-riscv64-1'],
    perfect: true,
  },
  { test: 'TestSelectNodePreferExact', nodes: { 'builder-armv8': ['linux/arm/v8'], 'builder-armv7': ['linux/arm/v7'] }, request: ['linux/arm/v7'], want: ['builder-armv7'], perfect: true },
  { test: 'TestSelectNodeAdditionalPlatforms', nodes: { 'builder-amd64': ['linux/amd64'], 'builder-armv8': ['linux/arm/v8'] }, request: ['linux/arm/v7'], want: ['builder-armv8'], perfect: true },
  {
    test: 'TestSplitNodeMultiPlatform',
    nodes: { 'builder-amd64-arm64': ['linux/amd64', 'linux/arm64'], 'builder-riscv64': ['linux/riscv64'] },
    request: ['linux/amd64', 'linux/arm64'],
    want: ['builder-amd64-arm64', 'builder-amd64-arm64'],
    perfect: true,
  },
  {
    test: 'TestSplitNodeMultiPlatform',
    nodes: { 'builder-amd64-arm64': ['linux/amd64', 'linux/arm64'], 'builder-riscv64': ['linux/riscv64'] },
    request: ['linux/amd64', 'linux/riscv64'],
    want: ['builder-amd64-arm64', 'builder-riscv64'],
    perfect: true,
  },
  {
    test: 'TestSplitNodeMultiPlatformNoUnify',
    nodes: { 'builder-amd64': ['linux/amd64'], 'builder-amd64-riscv64': ['linux/amd64', 'linux/riscv64'] },
    request: ['linux/amd64', 'linux/riscv64'],
    want: ['builder-amd64', 'builder-amd64-riscv64'],
    perfect: true,
  },
];

/** A kubernetes builder with one node per entry, in buildx's order (the test helper sorts by name). */
function selectionScript(nodes: Record<string, string[]>, request: string[]): string {
  const names = Object.keys(nodes).sort();
  const lines = names.map((n, i) => `docker buildx create --name b --driver kubernetes ${i ? '--append ' : ''}--node ${n} --platform ${nodes[n].join(',')}`);
  lines.push(`docker buildx build --builder b --platform ${request.join(',')} .`);
  return lines.join('\n') + '\n';
}

/** The builder exactly as the resolver test builds it: nodes given directly, in name order. */
function resolverBuilder(nodes: Record<string, string[]>): GraphBuilder {
  const c = modelOf('docker buildx create --name b\n').creates[0];
  return {
    key: 'b',
    name: 'b',
    driver: 'kubernetes',
    complete: true,
    firstCreate: c,
    nodes: Object.keys(nodes)
      .sort()
      .map((name) => {
        const items = parsePlatformList([identity(nodes[name].join(','))]);
        return {
          name,
          named: true,
          present: 'yes' as const,
          platforms: items.map((i) => i.platform!),
          platformItems: items,
          platformsKnown: true,
          driver: 'kubernetes',
          nodeSelector: [],
          qemuInstall: undefined,
          createdBy: c,
          updatedBy: c,
        };
      }),
  };
}

describe('node selection (build/resolver/driver_test.go)', () => {
  it.each(SELECTION)('$test: $request on $nodes', ({ nodes, request, want, perfect }) => {
    const got = assignBuildPlatforms(resolverBuilder(nodes), parsePlatformList([identity(request.join(','))]));
    expect(got.map((a) => a.node)).toEqual(want);
    expect(got.every((a) => a.match !== 'fallback-node-0')).toBe(perfect);
  });
  // Through creates, a platform two nodes pin stays on the later one (`validateDuplicates`), so
  // those vectors pick the later node; the others agree with the resolver.
  it.each(SELECTION)('as a script: $test: $request on $nodes', ({ nodes, request, want }) => {
    const g = buildBuilderGraph(modelOf(selectionScript(nodes, request)));
    const got = assignBuildPlatforms(g.builds[0].builder, g.builds[0].build.platforms).map((a) => a.node);
    const shared = Object.keys(nodes)
      .sort()
      .filter((n, i, all) => all.slice(i + 1).some((m) => nodes[m].some((p) => nodes[n].includes(p))));
    if (shared.length === 0) expect(got).toEqual(want);
    else for (const n of got) expect(shared, 'an earlier node lost the shared platform').not.toContain(n);
  });
  it('explain follows the ranking for linux/arm/v7 on amd64, arm64 and arm/v8 nodes', async () => {
    const { explainFile } = await import('../../server/src/cli/explain');
    const text = selectionScript({ 'builder-amd64': ['linux/amd64'], 'builder-arm64': ['linux/arm64'], 'builder-armv8': ['linux/arm/v8'] }, ['linux/arm/v7']);
    const items = explainFile('x.sh', modelOf(text));
    expect(items[3].platformAssignments?.map((a) => [a.platform, a.node, a.match])).toEqual([['linux/arm/v7', 'builder-armv8', 'compatible']]);
  });
});

/**
 * store/nodegroup_test.go TestNodeGroupUpdate: `Update(name, endpoint, platforms, …)` calls as
 * creates of a remote builder (endpoints as tcp:// URLs). An update is checked for duplicate
 * endpoints after it is applied, like an append.
 */
describe('node group updates (store/nodegroup_test.go TestNodeGroupUpdate)', () => {
  const steps = [
    'docker buildx create --name ng --driver remote --node foo --platform linux/amd64 tcp://foo0:1234',
    'docker buildx create --name ng --append --node foo1 --platform linux/arm64,linux/arm/v7 tcp://foo1:1234',
    'docker buildx create --name ng --node foo --platform linux/amd64,linux/arm tcp://foo2:1234',
    'docker buildx create --name ng --node foo1 tcp://foo2:1234',
    'docker buildx create --name ng --leave --node foo',
  ];
  const text = steps.join('\n') + '\n';
  it('platforms move to the updated node; the duplicate endpoint changes nothing; leave keeps one node', () => {
    const g = buildBuilderGraph(modelOf(text));
    const nodes = (i: number) => {
      const r = g.creates[i].result;
      return r ? [r.name, r.platforms.map(formatPlatform), r.endpoint] : null;
    };
    expect(nodes(0)).toEqual(['foo', ['linux/amd64'], 'tcp://foo0:1234']);
    expect(nodes(1)).toEqual(['foo1', ['linux/arm64', 'linux/arm/v7'], 'tcp://foo1:1234']);
    expect(nodes(2)).toEqual(['foo', ['linux/amd64', 'linux/arm/v7'], 'tcp://foo2:1234']);
    expect(g.creates[2].moved.map((m) => [m.from.name, formatPlatform(m.platform)])).toEqual([['foo1', 'linux/arm/v7']]);
    expect(g.creates[3].result).toBeUndefined();
    expect(g.creates[3].twin?.name).toBe('foo');
    const b = g.builders.get('ng')!;
    expect(b.nodes.map((n) => [n.name, n.platforms.map(formatPlatform)])).toEqual([['foo1', ['linux/arm64']]]);
  });
  it("the lint reports the duplicate endpoint of the update, with buildx's error", () => {
    const ds = lint({ text, fileName: 'x.sh' }).diagnostics.filter((d) => d.code === 'KBX429');
    expect(ds.map((d) => [text.slice(d.span.start, d.span.end), d.upstream])).toEqual([['tcp://foo2:1234', 'invalid duplicate endpoint tcp://foo2:1234']]);
  });
});

/**
 * Context builders: `builder.Create` (builder/builder.go) refuses a name that a Docker context
 * has, unless appending; `runRm` (commands/rm.go) refuses to remove a context's builder.
 */
describe('context builders (builder/builder.go Create, commands/rm.go runRm)', () => {
  const codes = (text: string) => lint({ text, fileName: 'x.sh' }).diagnostics.map((d) => [d.code, d.upstream ?? null]);
  it.each([
    ['docker context create x --docker host=tcp://h:2375\ndocker buildx create --name x x\n', [['KBX430', 'instance name "x" already exists as context builder']]],
    ['docker context create x\ndocker buildx create --name x --append --node n x\n', [['KBX403', 'failed to find instance "x" for append']]],
    ['docker buildx rm default\n', [['KBX431', 'context builder cannot be removed, run `docker context rm default` to remove this context']]],
    ['docker context create x\ndocker buildx rm x\n', [['KBX431', 'context builder cannot be removed, run `docker context rm x` to remove this context']]],
    ['docker context create x\ndocker buildx create --name other x\ndocker buildx rm other\n', []],
  ])('%s', (text, want) => {
    expect(codes(text).filter(([c]) => c === 'KBX430' || c === 'KBX431' || c === 'KBX403')).toEqual(want);
  });
});

/**
 * The graph walk leaves out regions and top-level statements in which nothing can change it: a
 * statement without invocations still counts when it sets BUILDX_BUILDER or creates a context,
 * however quoted, nested or split over recipe lines.
 */
describe('statements without invocations that change the graph', () => {
  const codes = (text: string, fileName = 'x.sh') => lint({ text, fileName }).diagnostics.map((d) => d.code);
  it.each([
    ['docker context create x\ndocker buildx rm x\n', 'x.sh'],
    ['{ docker con"tex"t create x; }\ndocker buildx rm x\n', 'x.sh'],
    ['if true; then\n  echo a\nfi\n(docker "context" \\\n  create x)\ndocker buildx rm x\n', 'x.sh'],
    ['all:\n\techo start\n\tdocker context create x\n\tdocker buildx rm x\n', 'Makefile'],
    ['all:\n\t@docker \\\n\t  context create x\n\tdocker buildx rm x\n', 'Makefile'],
  ])('%s', (text, fileName) => {
    expect(codes(text, fileName)).toContain('KBX431');
  });
  it('a BUILDX_BUILDER set by a statement of its own selects the builder', () => {
    const text = 'docker buildx create --name a\n{ export BUILD"X_B"UILDER=a; }\necho built\ndocker buildx build .\n';
    const g = buildBuilderGraph(modelOf(text));
    expect(g.builds.map((b) => [b.source, b.key])).toEqual([['env', 'a']]);
  });
  it('statements that do not touch the graph leave it as it was', () => {
    const inert = 'for f in a b; do echo "$f"; done\ncase "$1" in x) go build ./... ;; esac\nmake -C sub\n';
    const plain = 'docker buildx create --name a --use\ndocker buildx build .\ndocker context create c\ndocker buildx rm c\n';
    const lines = plain.split('\n');
    const mixed = `${inert}${lines[0]}\n${inert}${lines[1]}\n${inert}${lines.slice(2).join('\n')}`;
    const shape = (t: string) => {
      const g = buildBuilderGraph(modelOf(t));
      return { builds: g.builds.map((b) => [b.source, b.key]), refs: g.refs.map((r) => [r.command, r.key]), builders: [...g.builders.keys()] };
    };
    expect(shape(mixed)).toEqual(shape(plain));
    expect(codes(mixed).sort()).toEqual(codes(plain).sort());
  });
});
