/**
 * The builder graph of one file: which builders exist, with which driver and nodes, which one is
 * selected, and what each `create`/`build`/`use`/`rm`/`inspect`/`stop` meets when it runs.
 *
 * Consumes: a FileModel (its invocations, typed `create`/`build` models, and the parsed regions for
 * `BUILDX_BUILDER=` / `export BUILDX_BUILDER=` / `unset BUILDX_BUILDER` statements).
 * Produces: a BuilderGraph with, per create, the builder state before and after it plus the
 * checks' findings; per build, the resolved builder and a snapshot of its nodes; per builder
 * reference (`use`/`rm`/`inspect`/`stop`/`build --builder`), whether this file removed it earlier.
 *
 * Reading model: the file is read straight through, in source order — a shell script top to
 * bottom, a Makefile recipe by recipe in the order written (not in `make`'s dependency order).
 * Function bodies count where they are defined. Conditional code (if/elif/else branches, case
 * items, loop bodies, the right-hand side of `&&`/`||`, and in a Makefile each rule's recipe) is
 * still accumulated, but a fact established there is only "possible" for code outside it:
 * findings that need something to have *certainly* happened (a builder certainly exists) look
 * only at events whose conditions enclose the command being judged. Two branches of the same
 * if/case, and two Makefile rules, are mutually exclusive.
 *
 * Anything dynamic (`--name "$B"`, `--node "$N"`, `--platform "$P"`, `rm "$B"`) makes the
 * builders it might touch "partially known" (`complete: false`): checks never judge those.
 */
import { DYNAMIC, type MappedString, spanOf } from '../core/mapped-string';
import type { Span } from '../core/span';
import type { Arg, FlagOccurrence, Invocation } from '../extract/invocation';
import type { Command, Script, SimpleCommand, Stmt } from '../shell/ast';
import { walkSimpleCommands } from '../shell/walk';
import { wordPartial, wordValue } from '../shell/expand';
import type { KV } from './kubernetes';
import { argCountUncertain, type BuildModel, type CreateModel, type FileModel } from './model';
import { type Platform, type PlatformItem, archFamily, formatPlatform, platformSatisfies } from './platform';

// ---------------------------------------------------------------------------------------------
// Graph types

export interface GraphNode {
  /** Stored node name (lower-cased, as buildx stores it); generated names are computed like buildx. */
  name: string;
  /** The node name came from `--node` (not generated). */
  named: boolean;
  /** Declared (`--platform`) platforms, canonical, in order; empty when none were pinned. */
  platforms: Platform[];
  /** The PlatformItem each declared platform came from (same order), for spans. */
  platformItems: PlatformItem[];
  /** False when a `--platform` value of this node is dynamic or invalid. */
  platformsKnown: boolean;
  driver: string | null;
  /** Static `nodeselector` pairs (kubernetes), last create wins as buildx replaces driver-opts wholesale. */
  nodeSelector: KV[];
  /** `qemu.install` parsed: true/false, null when dynamic, undefined when absent. */
  qemuInstall: boolean | null | undefined;
  /**
   * What buildx compares for `invalid duplicate endpoint`: the positional endpoint, or for
   * docker-container without one the Docker context in use (`context:` + name, `context:` alone for
   * the current context). Null when it depends on run time; undefined for kubernetes (synthetic).
   */
  endpoint?: string | null;
  /** The create that made the node and the last create that changed it. */
  createdBy: CreateModel;
  updatedBy: CreateModel;
}

export interface GraphBuilder {
  /** Lower-cased name: the store key. */
  key: string;
  /** Name as first typed (buildx keeps the typed case in the store JSON). */
  name: string;
  driver: string | null;
  nodes: GraphNode[];
  /** Every create of this builder was static and the file made it from scratch. */
  complete: boolean;
  /** Creates that touched this builder, in order. */
  creates: CreateModel[];
}

export type CreateFindingKind =
  | 'append-without-name'
  | 'append-unknown-builder'
  | 'append-existing-node'
  | 'node-not-found'
  | 'builder-exists'
  | 'driver-mismatch'
  | 'leave-without-name'
  | 'leave-without-node'
  | 'leave-unknown-node'
  | 'leave-last-node'
  | 'nodeselector-arch-mismatch'
  | 'node-multi-arch-without-qemu'
  | 'platform-moved'
  | 'duplicate-endpoint';

export interface CreateFinding {
  kind: CreateFindingKind;
  span: Span;
  message: string;
  related?: { span: Span; message: string }[];
}

export interface CreateState {
  create: CreateModel;
  /** Builder key when the name is static. */
  key: string | null;
  /** Builder state just before this create (a copy), when the file made it earlier. */
  before: GraphBuilder | undefined;
  /** Builder state just after this create (a copy). */
  after: GraphBuilder | undefined;
  /** The builder certainly exists when this create runs (created earlier on every path, not removed). */
  certainlyExists: boolean;
  /** The builder may exist when this create runs (some earlier create of it may have run, or something dynamic). */
  mayExist: boolean;
  findings: CreateFinding[];
}

export type BuilderSource = 'flag' | 'env-prefix' | 'env' | 'use' | 'create-use' | 'context' | 'none' | 'dynamic';

export interface BuildState {
  build: BuildModel;
  /** Resolved builder key, or null when unknown / the context builder. */
  key: string | null;
  source: BuilderSource;
  /** Where the builder name was given (flag value or env assignment), when it was. */
  nameSpan: Span | null;
  /** The builder's state when this build runs (a copy); undefined when not made in this file. */
  builder: GraphBuilder | undefined;
  /** `docker build` run while this file had selected a builder with use/--use, ignoring it (§7.7). */
  ignoredSelection: { key: string | null; by: Invocation } | undefined;
}

export interface BuilderRef {
  inv: Invocation;
  command: string;
  key: string;
  name: string;
  span: Span;
  /** The `rm` that certainly removed this builder earlier, with nothing re-creating it in between. */
  removedBy: Invocation | undefined;
}

export interface BuilderGraph {
  creates: CreateState[];
  builds: BuildState[];
  refs: BuilderRef[];
  /** Final state of every builder the file made, by key. */
  builders: Map<string, GraphBuilder>;
}

// ---------------------------------------------------------------------------------------------
// Conditional paths

/** One enclosing condition: an if/case branch, a loop body, an and-or tail, a Makefile rule. */
interface PathStep {
  id: string;
  branch: number;
  /** Siblings with another branch never run together with this one. */
  exclusive: boolean;
}
type Path = PathStep[];

function stepsKey(s: PathStep): string {
  return `${s.id}:${s.branch}`;
}

/** exclusive: the two commands can never both run. */
function exclusive(a: Path, b: Path): boolean {
  for (const x of a) for (const y of b) if (x.id === y.id && x.exclusive && y.exclusive && x.branch !== y.branch) return true;
  return false;
}

/** encloses: every condition of `outer` also holds for `inner`, so if inner runs, outer ran (when earlier). */
function encloses(outer: Path, inner: Path): boolean {
  const keys = new Set(inner.map(stepsKey));
  return outer.every((s) => keys.has(stepsKey(s)));
}

interface CmdPath {
  span: Span;
  path: Path;
}

function collectPaths(script: Script, base: Path, out: CmdPath[]): void {
  let n = 0;
  const id = (c: { span: Span }) => `${c.span.start}-${c.span.end}-${n++}`;
  const stmts = (list: Stmt[], path: Path) => {
    for (const s of list) cmd(s.command, path);
  };
  const cmd = (c: Command, path: Path): void => {
    switch (c.kind) {
      case 'simple':
        out.push({ span: c.span, path });
        return;
      case 'pipeline':
        for (const x of c.commands) cmd(x, path);
        return;
      case 'andor': {
        const i0 = id(c);
        c.items.forEach((x, i) => cmd(x, i === 0 ? path : [...path, { id: i0, branch: i, exclusive: false }]));
        return;
      }
      case 'if': {
        const i0 = id(c);
        c.branches.forEach((b, i) => {
          stmts(b.cond, i === 0 ? path : [...path, { id: i0, branch: -i, exclusive: false }]);
          stmts(b.body, [...path, { id: i0, branch: i, exclusive: true }]);
        });
        if (c.elseBody) stmts(c.elseBody, [...path, { id: i0, branch: c.branches.length, exclusive: true }]);
        return;
      }
      case 'case': {
        const i0 = id(c);
        c.items.forEach((it, i) => stmts(it.body, [...path, { id: i0, branch: i, exclusive: true }]));
        return;
      }
      case 'while':
      case 'until': {
        const i0 = id(c);
        stmts(c.cond, path);
        stmts(c.body, [...path, { id: i0, branch: 0, exclusive: false }]);
        return;
      }
      case 'for':
        stmts(c.body, [...path, { id: id(c), branch: 0, exclusive: false }]);
        return;
      case 'brace':
      case 'subshell':
        stmts(c.body, path);
        return;
      case 'function':
        cmd(c.body, [...path, { id: `fn:${c.name}:${id(c)}`, branch: 0, exclusive: false }]);
        return;
      default:
        return;
    }
  };
  stmts(script.stmts, base);
}

const MAKE_RULE_LINE = /^(?![\t#])[^=\n]*?[^:=\s][^=\n]*?::?(?!=)/;

/** makeRuleOf finds the rule line (offset) a recipe belongs to: the nearest earlier non-recipe rule line. */
function makeRuleOf(text: string, offset: number): number {
  let lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  while (lineStart > 0) {
    const prev = text.lastIndexOf('\n', lineStart - 2) + 1;
    const line = text.slice(prev, lineStart - 1);
    if (MAKE_RULE_LINE.test(line) && !/^\s*(ifn?eq|ifn?def|else|endif|export|define)\b/.test(line)) return prev;
    lineStart = prev;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Events

type Event =
  | { kind: 'inv'; pos: number; inv: Invocation; path: Path; region: number }
  | { kind: 'env'; pos: number; value: string | null; span: Span; path: Path; region: number };

function staticArg(a: Arg | undefined): string | null {
  if (!a || !a.static || a.value.text.includes(DYNAMIC)) return null;
  return a.value.text;
}

function staticFlag(f: FlagOccurrence | undefined): string | null {
  if (!f || !f.value || f.value.text.includes(DYNAMIC)) return null;
  return f.value.text;
}

/** envAssignments finds statements that set BUILDX_BUILDER for the rest of the shell. */
function envEvents(script: Script, region: number, pathOf: (span: Span) => Path, out: Event[]): void {
  walkSimpleCommands(script, (cmd: SimpleCommand, ctx) => {
    if (ctx.inSubstitution) return;
    if (cmd.words.length === 0) {
      for (const a of cmd.assigns) {
        if (a.name !== 'BUILDX_BUILDER') continue;
        const v = a.value ? wordValue(a.value) : null;
        out.push({ kind: 'env', pos: a.span.start, value: a.value ? (v ? v.text : null) : '', span: a.value?.span ?? a.span, path: pathOf(cmd.span), region });
      }
      return;
    }
    const w0 = wordValue(cmd.words[0])?.text;
    if (w0 === 'export' || w0 === 'declare' || w0 === 'typeset' || w0 === 'readonly' || w0 === 'local') {
      for (const w of cmd.words.slice(1)) {
        const full = wordValue(w);
        const raw = full?.text ?? null;
        if (raw !== null && !raw.startsWith('BUILDX_BUILDER=')) continue;
        if (raw === null) {
          // `export BUILDX_BUILDER="$X"`: the name is known only at run time.
          if (!wordPartial(w).text.startsWith('BUILDX_BUILDER=')) continue;
          out.push({ kind: 'env', pos: w.span.start, value: null, span: w.span, path: pathOf(cmd.span), region });
          continue;
        }
        const eq = raw.indexOf('=');
        out.push({ kind: 'env', pos: w.span.start, value: raw.slice(eq + 1), span: w.span, path: pathOf(cmd.span), region });
      }
    } else if (w0 === 'unset') {
      for (const w of cmd.words.slice(1)) {
        if (wordValue(w)?.text === 'BUILDX_BUILDER') out.push({ kind: 'env', pos: w.span.start, value: '', span: w.span, path: pathOf(cmd.span), region });
      }
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Graph state helpers

function cloneBuilder(b: GraphBuilder): GraphBuilder {
  return { ...b, nodes: b.nodes.map((n) => ({ ...n, platforms: [...n.platforms], platformItems: [...n.platformItems], nodeSelector: [...n.nodeSelector] })), creates: [...b.creates] };
}

function parseBool(s: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return null;
}

const ARCH_KEYS = ['kubernetes.io/arch', 'beta.kubernetes.io/arch'];

/** nodeSelectorArch returns the arch a kubernetes node is pinned to, when static. */
/**
 * endpointOf is the endpoint buildx stores for a new node (§1.2 step 12), as far as the script
 * shows it: kubernetes endpoints are synthetic and unique, so they never collide.
 */
function endpointOf(c: CreateModel, driver: string | null): string | null | undefined {
  if (driver !== 'docker-container' && driver !== 'remote') return undefined;
  if (c.endpoint) return c.endpoint.static && !c.endpoint.value.text.includes(DYNAMIC) && c.endpoint.value.text !== '' ? c.endpoint.value.text : null;
  if (driver === 'remote') return null;
  const ctx = c.inv.globalFlags.filter((f) => f.name === 'context').pop();
  if (ctx) return ctx.value && !ctx.value.text.includes(DYNAMIC) ? 'context:' + ctx.value.text : null;
  if (c.inv.env.some((e) => e.name === 'DOCKER_CONTEXT' || e.name === 'DOCKER_HOST')) return null;
  return 'context:';
}

export function nodeSelectorArch(n: GraphNode): KV | undefined {
  for (let i = n.nodeSelector.length - 1; i >= 0; i--) {
    const kv = n.nodeSelector[i];
    if (ARCH_KEYS.includes(kv.key.text) && !kv.value.text.includes(DYNAMIC)) return kv;
  }
  return undefined;
}

function platformsOfCreate(c: CreateModel): { platforms: Platform[]; items: PlatformItem[]; known: boolean } {
  const platforms: Platform[] = [];
  const items: PlatformItem[] = [];
  let known = true;
  for (const it of c.platforms) {
    if (it.dynamic || !it.platform || it.error) {
      known = false;
      continue;
    }
    platforms.push(it.platform);
    items.push(it);
  }
  if (c.platformFlags.some((f) => !f.value || f.value.text.includes(DYNAMIC) || (f.valueArg && f.valueArg.mayVary))) known = false;
  return { platforms, items, known };
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** distinctArchs: the architectures a platform list needs natively, dropping those served by another (arm64 serves arm/v7). */
export function distinctArchs(ps: Platform[]): Platform[] {
  const out: Platform[] = [];
  for (const p of ps) {
    if (out.some((q) => platformSatisfies(q, p) !== 'no')) continue;
    for (let i = out.length - 1; i >= 0; i--) if (platformSatisfies(p, out[i]) !== 'no') out.splice(i, 1);
    out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Build-time node selection (§5.3)

export type PlatformMatch = 'declared' | 'compatible' | 'fallback-node-0' | 'unknown';

export interface PlatformAssignment {
  platform: string;
  builder: string | null;
  node: string | null;
  nodeIndex: number | null;
  match: PlatformMatch;
}

/**
 * assignBuildPlatforms routes requested platforms to nodes as `build/resolver` does, from declared
 * platforms only: a strict pass; if anything is left, a pass with `platforms.Only` compatibility
 * (exact beats compatible, first node wins); what still matches nothing goes to node 0. BuildKit
 * worker platforms (what a node can emulate) are unknown statically, so the second pass may differ
 * from buildx when nodes can emulate.
 */
export function assignBuildPlatforms(builder: GraphBuilder | undefined, requested: PlatformItem[]): PlatformAssignment[] {
  const valid = requested.filter((r) => r.platform && !r.error && !r.dynamic);
  const label = (r: PlatformItem) => r.canonical ?? formatPlatform(r.platform!);
  if (!builder || !builder.complete || builder.nodes.length === 0 || builder.nodes.some((n) => !n.platformsKnown)) {
    return valid.map((r) => ({ platform: label(r), builder: builder?.name ?? null, node: null, nodeIndex: null, match: 'unknown' as const }));
  }
  const strict = valid.map((r) => builder.nodes.findIndex((n) => n.platforms.some((p) => platformSatisfies(p, r.platform!) === 'exact')));
  if (strict.every((i) => i >= 0)) {
    return valid.map((r, k) => ({ platform: label(r), builder: builder.name, node: builder.nodes[strict[k]].name, nodeIndex: strict[k], match: 'declared' as const }));
  }
  return valid.map((r) => {
    let best = -1;
    let bestExact = false;
    builder.nodes.forEach((n, i) => {
      for (const p of n.platforms) {
        const m = platformSatisfies(p, r.platform!);
        if (m === 'exact' && !bestExact) {
          best = i;
          bestExact = true;
        } else if (m === 'compatible' && best < 0) best = i;
      }
    });
    if (best >= 0) return { platform: label(r), builder: builder.name, node: builder.nodes[best].name, nodeIndex: best, match: bestExact ? ('declared' as const) : ('compatible' as const) };
    return { platform: label(r), builder: builder.name, node: builder.nodes[0].name, nodeIndex: 0, match: 'fallback-node-0' as const };
  });
}

// ---------------------------------------------------------------------------------------------
// The walk

interface History {
  /** Creates of this key, with paths. */
  creates: { pos: number; path: Path; append: boolean }[];
  /** rm of this key, with paths. */
  removes: { pos: number; path: Path; inv: Invocation }[];
}

export function buildBuilderGraph(model: FileModel): BuilderGraph {
  const cmdPaths: CmdPath[] = [];
  const events: Event[] = [];
  const isMake = model.host === 'makefile';
  model.regions.forEach((r, ri) => {
    // Two rules may run in one `make` call or not: neither encloses the other, neither excludes it.
    const rulePath: Path =
      isMake && r.region.source.text.length > 0 ? [{ id: 'rule', branch: makeRuleOf(model.text, r.region.source.starts[0] ?? 0), exclusive: false }] : [];
    const start = cmdPaths.length;
    collectPaths(r.script, rulePath, cmdPaths);
    const mine = cmdPaths.slice(start);
    const pathOf = (span: Span): Path => {
      let best: CmdPath | undefined;
      for (const c of mine) {
        if (c.span.start <= span.start && span.start < Math.max(c.span.end, c.span.start + 1) && (!best || c.span.end - c.span.start < best.span.end - best.span.start)) best = c;
      }
      return best ? best.path : rulePath;
    };
    envEvents(r.script, ri, pathOf, events);
    for (const inv of model.invocations) {
      if (inv.region !== r.region) continue;
      events.push({ kind: 'inv', pos: inv.span.start, inv, path: pathOf(inv.span), region: ri });
    }
  });
  events.sort((a, b) => a.pos - b.pos);

  const createByInv = new Map(model.creates.map((c) => [c.inv, c]));
  const buildByInv = new Map(model.builds.map((b) => [b.inv, b]));
  const builders = new Map<string, GraphBuilder>();
  const history = new Map<string, History>();
  const hist = (k: string): History => {
    let h = history.get(k);
    if (!h) history.set(k, (h = { creates: [], removes: [] }));
    return h;
  };
  /** Dynamic creates/removes: they may touch any builder. */
  const dynamicEvents: { pos: number; path: Path; kind: 'create' | 'rm' }[] = [];
  let current: { key: string | null; by: Invocation } | undefined;
  let envBuilder: { value: string | null; span: Span; region: number } | undefined;

  const graph: BuilderGraph = { creates: [], builds: [], refs: [], builders };

  const existence = (key: string, pos: number, path: Path) => {
    const h = history.get(key);
    const possibleRemove = (after: number) =>
      (h?.removes ?? []).some((r) => r.pos > after && r.pos < pos && !exclusive(r.path, path)) ||
      dynamicEvents.some((d) => d.kind === 'rm' && d.pos > after && d.pos < pos && !exclusive(d.path, path));
    const certain = (h?.creates ?? []).some((c) => c.pos < pos && encloses(c.path, path) && !possibleRemove(c.pos));
    const may =
      (h?.creates ?? []).some((c) => c.pos < pos && !exclusive(c.path, path)) ||
      dynamicEvents.some((d) => d.kind === 'create' && d.pos < pos && !exclusive(d.path, path));
    return { certain, may };
  };

  const removedBy = (key: string, pos: number, path: Path): Invocation | undefined => {
    const h = history.get(key);
    if (!h) return undefined;
    for (let i = h.removes.length - 1; i >= 0; i--) {
      const r = h.removes[i];
      if (r.pos >= pos || !encloses(r.path, path)) continue;
      const recreated =
        h.creates.some((c) => c.pos > r.pos && c.pos < pos && !exclusive(c.path, path)) ||
        dynamicEvents.some((d) => d.kind === 'create' && d.pos > r.pos && d.pos < pos && !exclusive(d.path, path));
      return recreated ? undefined : r.inv;
    }
    return undefined;
  };

  const markAllIncomplete = () => {
    for (const b of builders.values()) b.complete = false;
  };

  for (const ev of events) {
    if (ev.kind === 'env') {
      envBuilder = { value: ev.value, span: ev.span, region: ev.region };
      continue;
    }
    const inv = ev.inv;
    // A Makefile recipe line is its own shell: exported variables die with it.
    if (isMake && envBuilder && envBuilder.region !== ev.region) envBuilder = undefined;
    const create = createByInv.get(inv);
    if (create) {
      graph.creates.push(handleCreate(create, ev.pos, ev.path));
      continue;
    }
    const build = buildByInv.get(inv);
    if (build) {
      graph.builds.push(handleBuild(build, ev.pos, ev.path));
      continue;
    }
    handleOther(inv, ev.pos, ev.path);
  }
  return graph;

  function handleCreate(c: CreateModel, pos: number, path: Path): CreateState {
    const findings: CreateFinding[] = [];
    const nameStatic = c.name ? c.nameValue : null;
    const nameDynamic = !!c.name && c.nameValue === null && !!c.name.value;
    const key = nameStatic ? nameStatic.toLowerCase() : null;
    const state: CreateState = { create: c, key, before: undefined, after: undefined, certainlyExists: false, mayExist: false, findings };
    const leave = c.leave === true;
    const append = c.append === true;
    // A word that may split into several arguments (`$OPTS`, an unresolved `$(ARGS)`) can carry
    // `--append`, `--node` or `--platform` that the file does not show: their absence is unknown.
    const hiddenFlags = argCountUncertain(c.inv);
    const appendMaybe = c.append === null || (c.append === undefined && hiddenFlags);
    const nodeMaybe = !c.node && hiddenFlags;

    if (nameDynamic) {
      dynamicEvents.push({ pos, path, kind: leave ? 'rm' : 'create' });
      // It may append to, update or leave any builder.
      markAllIncomplete();
      if (c.use === true) current = { key: null, by: c.inv };
      return state;
    }

    if (leave) {
      if (!c.name || nameStatic === '') {
        findings.push({ kind: 'leave-without-name', span: c.inv.flags.find((f) => f.name === 'leave')!.nameSpan, message: '--leave without --name: buildx does not know which builder to remove the node from; add --name BUILDER --node NODE; buildx: leave requires instance name' });
        return state;
      }
      if (!c.node || c.nodeValue === '') {
        findings.push({ kind: 'leave-without-node', span: c.inv.flags.find((f) => f.name === 'leave')!.nameSpan, message: `--leave without --node: buildx does not know which node of ${quote(nameStatic!)} to remove; add --node NODE; buildx: leave requires node name` });
        return state;
      }
      const b = builders.get(key!);
      const ex = existence(key!, pos, path);
      state.before = b && cloneBuilder(b);
      state.certainlyExists = ex.certain;
      state.mayExist = ex.may;
      if (!b) return state;
      if (c.nodeValue === null) {
        b.complete = false;
        return state;
      }
      const idx = b.nodes.findIndex((n) => n.name === c.nodeValue);
      if (ex.certain && b.complete) {
        if (idx < 0) {
          findings.push({ kind: 'leave-unknown-node', span: c.node.valueSpan!, message: `builder ${quote(b.name)} has no node ${quote(c.nodeValue)} (nodes: ${b.nodes.map((n) => quote(n.name)).join(', ') || 'none'}); buildx: node ${quote(c.nodeValue)} not found for ${nameStatic}` });
        } else if (b.nodes.length === 1) {
          findings.push({ kind: 'leave-last-node', span: c.node.valueSpan!, message: `node ${quote(c.nodeValue)} is the only node of builder ${quote(b.name)}; use docker buildx rm ${b.name} to remove the builder; buildx: can not leave last node, do you want to rm instance instead?` });
        }
      }
      if (idx >= 0 && b.nodes.length > 1) b.nodes.splice(idx, 1);
      state.after = cloneBuilder(b);
      return state;
    }

    if (append && (!c.name || nameStatic === '')) {
      findings.push({ kind: 'append-without-name', span: c.inv.flags.find((f) => f.name === 'append')!.nameSpan, message: '--append without --name: buildx needs the name of the builder to add the node to; add --name BUILDER; buildx: append requires a builder name' });
      if (c.use === true) current = { key: null, by: c.inv };
      return state;
    }

    if (!key) {
      // A builder with a generated name: nothing later can name it statically.
      if (c.use === true) current = { key: null, by: c.inv };
      return state;
    }

    const ex = existence(key, pos, path);
    state.certainlyExists = ex.certain;
    state.mayExist = ex.may;
    let b = builders.get(key);
    // A builder removed on every path before this create starts afresh.
    if (b && !ex.may) {
      builders.delete(key);
      b = undefined;
    }
    state.before = b && cloneBuilder(b);
    const nameSpan = c.name!.valueSpan!;
    let fails = false;

    if (append && !ex.may) {
      findings.push({
        kind: 'append-unknown-builder',
        span: nameSpan,
        message: `--append to builder ${quote(nameStatic!)}, which this file does not create before; if it does not exist yet, drop --append on the first create; buildx: failed to find instance ${quote(nameStatic!)} for append`,
      });
    }
    if (ex.certain && b && !append && !appendMaybe && !c.node && !nodeMaybe) {
      const first = b.creates[0];
      findings.push({
        kind: 'builder-exists',
        span: nameSpan,
        message: `builder ${quote(nameStatic!)} already exists here (created earlier in this file and not removed); add --append to add a node, --node NODE to change one, or run docker buildx rm ${nameStatic} first; buildx: existing instance for ${quote(nameStatic!)} but no append mode, specify the node name to make changes for existing instances`,
        related: first ? [{ span: first.name?.valueSpan ?? first.inv.span, message: 'created here' }] : undefined,
      });
      fails = true;
    }
    if (!fails && ex.certain && b && b.driver && c.driverSource === 'flag' && c.driver && c.driver !== b.driver) {
      findings.push({
        kind: 'driver-mismatch',
        span: c.driverFlag!.valueSpan!,
        message: `builder ${quote(nameStatic!)} uses the ${quote(b.driver)} driver, not ${quote(c.driver)}; all nodes of a builder share one driver: drop --driver or create a separate builder; buildx: existing instance for ${quote(nameStatic!)} but has mismatched driver ${quote(b.driver)}`,
      });
      fails = true;
    }

    const nodeDynamic = !!c.node && c.nodeValue === null;
    const nodeIdx = b && c.nodeValue !== null ? b.nodes.findIndex((n) => n.name === c.nodeValue) : -1;
    if (!fails && b && ex.certain && b.complete && c.nodeValue !== null && !append && !appendMaybe && nodeIdx < 0 && b.nodes.length > 0) {
      findings.push({
        kind: 'node-not-found',
        span: c.node!.valueSpan!,
        message: `builder ${quote(nameStatic!)} has no node ${quote(c.nodeValue)} (nodes: ${b.nodes.map((n) => quote(n.name)).join(', ')}); add --append to add it as a new node; buildx: node ${c.nodeValue} not found, did you mean to append?`,
      });
      fails = true;
    }
    if (!fails && b && append && nodeIdx >= 0 && ex.certain) {
      const n = b.nodes[nodeIdx];
      findings.push({
        kind: 'append-existing-node',
        span: c.node!.valueSpan!,
        message: `--append with --node ${quote(c.nodeValue!)}, a node builder ${quote(nameStatic!)} already has: buildx replaces that node's settings instead of adding one (it declares ${n.platforms.length ? n.platforms.map(formatPlatform).join(', ') : 'no platforms'}); give the new node its own name`,
        related: [{ span: n.createdBy.node?.valueSpan ?? n.createdBy.inv.span, message: 'node created here' }],
      });
    }
    if (fails) return state;

    // Apply NodeGroup.Update.
    if (!b) {
      b = { key, name: nameStatic!, driver: c.driver, nodes: [], complete: !append, creates: [] };
      builders.set(key, b);
    } else if (!b.driver && c.driver) b.driver = c.driver;
    b.creates.push(c);
    hist(key).creates.push({ pos, path, append });
    const pl = platformsOfCreate(c);
    if (nodeDynamic || !pl.known || hiddenFlags) b.complete = false;
    const opts = c.driverOpts;
    const optsDynamic = c.driverOptFlags.some((f) => !f.value || f.value.text.includes(DYNAMIC) || f.valueArg?.mayVary);
    const qemu = opts?.effective.get('qemu.install');
    const qemuValue = qemu ? (qemu.value.text.includes(DYNAMIC) ? null : parseBool(qemu.value.text)) : optsDynamic ? null : undefined;
    let node: GraphNode | undefined;
    if (!nodeDynamic) {
      const idx = c.nodeValue !== null ? b.nodes.findIndex((n) => n.name === c.nodeValue) : -1;
      if (idx >= 0) {
        node = b.nodes[idx];
        node.updatedBy = c;
        if (c.platformFlags.length) {
          node.platforms = pl.platforms;
          node.platformItems = pl.items;
          node.platformsKnown = pl.known;
        }
        if (c.driverOptFlags.length) {
          node.nodeSelector = opts?.kubernetes?.nodeSelector ?? [];
          node.qemuInstall = qemuValue;
        }
      } else {
        let name = c.nodeValue;
        if (name === null) {
          for (let i = 0; ; i++) {
            if (!b.nodes.some((n) => n.name === `${b.name}${i}`)) {
              name = `${b.name}${i}`;
              break;
            }
          }
        }
        node = {
          name: name.toLowerCase(),
          named: c.nodeValue !== null,
          platforms: pl.platforms,
          platformItems: pl.items,
          platformsKnown: pl.known,
          driver: b.driver,
          nodeSelector: opts?.kubernetes?.nodeSelector ?? [],
          qemuInstall: qemuValue,
          endpoint: endpointOf(c, b.driver),
          createdBy: c,
          updatedBy: c,
        };
        const twin = node.endpoint ? b.nodes.find((n) => n.endpoint === node!.endpoint) : undefined;
        if (twin && ex.certain && c.append === true) {
          const shown = node.endpoint!.startsWith('context:') ? (node.endpoint!.slice(8) || 'the current Docker context') : node.endpoint!;
          findings.push({
            kind: 'duplicate-endpoint',
            span: c.endpoint?.span ?? c.name?.valueSpan ?? c.inv.span,
            message: `node ${quote(node.name)} would use the same endpoint as node ${quote(twin.name)} (${shown}); each ${b.driver} node of a builder needs its own Docker context or endpoint; buildx: invalid duplicate endpoint ${node.endpoint!.startsWith('context:') ? node.endpoint!.slice(8) || '<context>' : node.endpoint}`,
            related: [{ span: twin.createdBy.endpoint?.span ?? twin.createdBy.inv.span, message: `node ${quote(twin.name)} uses it` }],
          });
          return state;
        }
        b.nodes.push(node);
      }
      // Platform exclusivity: a platform pinned here leaves every other node.
      if (c.platformFlags.length) {
        for (const other of b.nodes) {
          if (other === node) continue;
          for (let i = other.platforms.length - 1; i >= 0; i--) {
            const p = other.platforms[i];
            if (!node.platforms.some((q) => formatPlatform(q) === formatPlatform(p))) continue;
            const item = node.platformItems.find((it) => it.platform && formatPlatform(it.platform) === formatPlatform(p));
            if (item) {
              findings.push({
                kind: 'platform-moved',
                span: item.raw.text.length ? spanOfItem(item) : c.inv.span,
                message: `${quote(formatPlatform(p))} is already pinned on node ${quote(other.name)} of builder ${quote(b.name)}; a platform belongs to one node only, so buildx moves it to node ${quote(node.name)} and ${quote(other.name)} no longer declares it`,
                related: other.platformItems[i] ? [{ span: spanOfItem(other.platformItems[i]), message: `pinned on node ${quote(other.name)} here` }] : undefined,
              });
            }
            other.platforms.splice(i, 1);
            other.platformItems.splice(i, 1);
          }
        }
      }
      checkNodePlatforms(b, node, c, findings);
    }
    if (c.use === true) current = { key, by: c.inv };
    state.after = cloneBuilder(b);
    return state;
  }

  function checkNodePlatforms(b: GraphBuilder, node: GraphNode, c: CreateModel, findings: CreateFinding[]): void {
    if (b.driver !== 'kubernetes' || !node.platformsKnown || node.platforms.length === 0) return;
    const touchedPlatforms = c.platformFlags.length > 0;
    const touchedOpts = c.driverOptFlags.length > 0;
    if (!touchedPlatforms && !touchedOpts) return;
    const sel = nodeSelectorArch(node);
    if (sel && node.qemuInstall !== true && node.qemuInstall !== null) {
      const pinned: Platform = { os: 'linux', arch: sel.value.text.toLowerCase(), variant: '' };
      const bad = node.platforms.map((p, i) => ({ p, i })).filter(({ p }) => archFamily(p) !== pinned.arch && platformSatisfies(pinned, p) === 'no');
      if (bad.length) {
        const first = bad[0];
        const span = touchedPlatforms && node.platformItems[first.i] && node.platformItems[first.i].raw ? spanOfItem(node.platformItems[first.i]) : spanOfMapped(sel.value);
        findings.push({
          kind: 'nodeselector-arch-mismatch',
          span,
          message: `node ${quote(node.name)} declares ${quote(formatPlatform(first.p))} but its nodeselector ${sel.key.text}=${sel.value.text} schedules it on ${sel.value.text} machines; buildx routes ${formatPlatform(first.p)} builds to this node, where they need emulation; pin ${sel.key.text}=${archFamily(first.p)} or declare linux/${sel.value.text}`,
          related: [{ span: spanOfMapped(sel.value), message: 'architecture pinned here' }],
        });
      }
    }
    if (touchedPlatforms && node.qemuInstall !== true && node.qemuInstall !== null) {
      const archs = distinctArchs(node.platforms);
      if (archs.length > 1) {
        const firstArch = archFamily(node.platforms[0]);
        const i = node.platforms.findIndex((p) => archFamily(p) !== firstArch && platformSatisfies(node.platforms[0], p) === 'no');
        const item = node.platformItems[i >= 0 ? i : 1];
        findings.push({
          kind: 'node-multi-arch-without-qemu',
          span: spanOfItem(item),
          message: `kubernetes node ${quote(node.name)} declares ${archs.map((p) => quote(formatPlatform(p))).join(' and ')} without qemu.install=true: its pods run on one architecture, so the others need emulation; use one node per architecture (--append --node NAME --platform … with a matching nodeselector) or add --driver-opt qemu.install=true`,
        });
      }
    }
  }

  function handleBuild(build: BuildModel, pos: number, path: Path): BuildState {
    const inv = build.inv;
    let key: string | null = null;
    let source: BuilderSource = 'none';
    let nameSpan: Span | null = null;
    let ignoredSelection: BuildState['ignoredSelection'];
    const prefix = [...inv.env].reverse().find((e) => e.name === 'BUILDX_BUILDER' && (e.value === null || e.value.text !== ''));
    if (build.builderFlag) {
      const v = staticFlag(build.builderFlag);
      nameSpan = build.builderFlag.valueSpan;
      source = v === null ? 'dynamic' : 'flag';
      key = v === null ? null : v.toLowerCase();
    } else if (prefix) {
      const v = prefix.value && !prefix.value.text.includes(DYNAMIC) ? prefix.value.text : null;
      source = v === null ? 'dynamic' : 'env-prefix';
      key = v === null ? null : v.toLowerCase();
      nameSpan = prefix.span;
    } else if (envBuilder && envBuilder.value !== '') {
      source = envBuilder.value === null ? 'dynamic' : 'env';
      key = envBuilder.value === null ? null : envBuilder.value.toLowerCase();
      nameSpan = envBuilder.span;
    } else if (inv.forwardedByDockerCli) {
      source = 'context';
      if (current) ignoredSelection = current;
    } else if (current) {
      source = current.key === null ? 'dynamic' : current.by.command === 'create' ? 'create-use' : 'use';
      key = current.key;
    }
    const b = key ? builders.get(key) : undefined;
    const st: BuildState = { build, key, source, nameSpan, builder: b && cloneBuilder(b), ignoredSelection };
    if (key && (source === 'flag' || source === 'env-prefix' || source === 'env') && nameSpan) {
      graph.refs.push({ inv, command: 'build', key, name: key, span: nameSpan, removedBy: removedBy(key, pos, path) });
    }
    return st;
  }

  function handleOther(inv: Invocation, pos: number, path: Path): void {
    const cmd = inv.command;
    if (cmd !== 'use' && cmd !== 'rm' && cmd !== 'inspect' && cmd !== 'stop') return;
    const rootBuilder = inv.globalFlags.filter((f) => f.name === 'builder').pop() ?? inv.flags.filter((f) => f.name === 'builder').pop();
    const named: { name: string | null; span: Span }[] = inv.positionals.map((a) => ({ name: staticArg(a), span: a.span }));
    if (named.length === 0 && rootBuilder && rootBuilder.valueSpan) named.push({ name: staticFlag(rootBuilder), span: rootBuilder.valueSpan });
    if (cmd === 'rm' && (argCountUncertain(inv) || inv.flags.some((f) => f.name === 'all-inactive' && f.bool !== false))) {
      if (inv.flags.some((f) => f.name === 'all-inactive')) {
        dynamicEvents.push({ pos, path, kind: 'rm' });
        markAllIncomplete();
        return;
      }
    }
    if (named.length === 0) {
      if (cmd === 'rm') {
        // No name: the current builder (or BUILDX_BUILDER).
        const k = envBuilder && envBuilder.value ? envBuilder.value.toLowerCase() : envBuilder?.value === null ? null : (current?.key ?? null);
        if (k) {
          hist(k).removes.push({ pos, path, inv });
        } else if (current || envBuilder) {
          dynamicEvents.push({ pos, path, kind: 'rm' });
        }
      }
      return;
    }
    for (const n of named) {
      if (n.name === null) {
        if (cmd === 'rm') dynamicEvents.push({ pos, path, kind: 'rm' });
        if (cmd === 'use') current = { key: null, by: inv };
        continue;
      }
      const key = n.name.toLowerCase();
      graph.refs.push({ inv, command: cmd, key, name: n.name, span: n.span, removedBy: removedBy(key, pos, path) });
      if (cmd === 'rm') {
        hist(key).removes.push({ pos, path, inv });
        if (current?.key === key) current = undefined;
      }
      if (cmd === 'use') current = key === 'default' ? undefined : { key, by: inv };
    }
  }
}

function spanOfMapped(m: MappedString): Span {
  return spanOf(m);
}

function spanOfItem(it: PlatformItem): Span {
  return spanOfMapped(it.raw);
}

// ---------------------------------------------------------------------------------------------
// Shared access for rules: the graph is built once per model.

const GRAPHS = new WeakMap<FileModel, BuilderGraph>();

/** builderGraphOf memoises buildBuilderGraph per model, so each graph rule does not rebuild it. */
export function builderGraphOf(model: FileModel): BuilderGraph {
  let g = GRAPHS.get(model);
  if (!g) GRAPHS.set(model, (g = buildBuilderGraph(model)));
  return g;
}

/** createFindings lists the graph's findings of the given kinds, in source order. */
export function createFindings(model: FileModel, kinds: CreateFindingKind[]): CreateFinding[] {
  const out: CreateFinding[] = [];
  for (const c of builderGraphOf(model).creates) for (const f of c.findings) if (kinds.includes(f.kind)) out.push(f);
  return out;
}
