/**
 * The builder store as the graph tracks it along one path, in cells of a trail store: builder
 * headers, nodes, endpoint and platform owners, Docker contexts, the `use` selection and
 * BUILDX_BUILDER. Each kind of cell has its join: what holds after two paths meet.
 */
import type { Span } from '../../core/span';
import type { Invocation } from '../../extract/invocation';
import type { CreateModel } from '../model';
import { formatPlatform } from '../platform';
import type { GraphBuilder, GraphNode } from './facts';
import { Cells, joinTri, Store, type Tri } from './store';

/** Names of the nodes ever added to one incarnation of a builder, newest first (shared tails). */
export interface NodeList {
  name: string;
  next: NodeList | null;
  len: number;
}

export interface Head {
  key: string;
  name: string;
  exists: Tri;
  /** The rm that removed it, when it is absent on every path because of one. */
  removedBy: Invocation | null;
  driver: string | null;
  complete: boolean;
  /** Incarnation: node cells are keyed by it, so a re-created builder starts without nodes. */
  epoch: number;
  nodes: NodeList | null;
  firstCreate: CreateModel | null;
  /** Where buildx's `nextNodeName` search may start: every `<name><i>` below it is taken. */
  genHint: number;
}

export interface Selection {
  key: string | null;
  by: Invocation;
}

export interface EnvBuilder {
  /** '' when unset, null when dynamic or path-dependent. */
  value: string | null;
  span: Span;
}

export interface ContextFact {
  state: Tri;
  span: Span | null;
}

export interface World {
  /** A create with a dynamic name ran: any builder may exist. */
  anyCreated: boolean;
  /**
   * `docker buildx install` ran (`yes`) or ran on some paths (`maybe`): the Docker CLI's `builder`
   * alias then forwards `docker build` without setting BUILDX_BUILDER, so it honours `use`.
   */
  aliasInstalled?: 'yes' | 'maybe';
}

/** A selection that differs between paths. */
export const UNKNOWN_SELECTION: Selection = { key: null, by: null as unknown as Invocation };

let epochs = 0;
export function newEpoch(): number {
  return ++epochs;
}

function joinList(a: NodeList | null, b: NodeList | null): NodeList | null {
  if (a === b) return a;
  if (!a) return b;
  if (!b) return a;
  const onlyA: string[] = [];
  const onlyB: string[] = [];
  let x: NodeList | null = a;
  let y: NodeList | null = b;
  while (x && (!y || x.len > y.len)) {
    onlyA.push(x.name);
    x = x.next;
  }
  while (y && (!x || y.len > x.len)) {
    onlyB.push(y.name);
    y = y.next;
  }
  while (x !== y && x && y) {
    onlyA.push(x.name);
    onlyB.push(y.name);
    x = x.next;
    y = y.next;
  }
  let out = x;
  const seen = new Set<string>();
  for (const names of [onlyA, onlyB]) {
    for (let i = names.length - 1; i >= 0; i--) {
      const n = names[i];
      if (seen.has(n)) continue;
      seen.add(n);
      out = { name: n, next: out, len: (out?.len ?? 0) + 1 };
    }
  }
  return out;
}

function joinHead(a: Head | undefined, b: Head | undefined): Head | undefined {
  if (a === b) return a;
  if (!a || !b) {
    const h = (a ?? b)!;
    return { ...h, exists: joinTri('no', h.exists), removedBy: null };
  }
  const exists = joinTri(a.exists, b.exists);
  const removedBy = a.exists === 'no' && b.exists === 'no' && a.removedBy && b.removedBy ? a.removedBy : null;
  if (a.epoch !== b.epoch) {
    // Two incarnations: which nodes exist depends on the path.
    return {
      ...a,
      exists,
      removedBy,
      driver: a.driver === b.driver ? a.driver : null,
      complete: false,
      epoch: newEpoch(),
      nodes: null,
      genHint: Math.max(a.genHint, b.genHint),
    };
  }
  return {
    ...a,
    exists,
    removedBy,
    driver: a.driver === b.driver ? a.driver : null,
    complete: a.complete && b.complete,
    nodes: joinList(a.nodes, b.nodes),
    firstCreate: a.firstCreate ?? b.firstCreate,
    genHint: Math.max(a.genHint, b.genHint),
  };
}

function samePlatforms(a: GraphNode, b: GraphNode): boolean {
  if (a.platforms === b.platforms) return true;
  return a.platforms.length === b.platforms.length && a.platforms.every((p, i) => formatPlatform(p) === formatPlatform(b.platforms[i]));
}

function joinNode(a: GraphNode | undefined, b: GraphNode | undefined): GraphNode | undefined {
  if (a === b) return a;
  if (!a || !b) {
    const n = (a ?? b)!;
    return { ...n, present: joinTri('no', n.present) };
  }
  const same = samePlatforms(a, b);
  return {
    ...a,
    present: joinTri(a.present, b.present),
    platformsKnown: a.platformsKnown && b.platformsKnown && same,
    nodeSelector: a.nodeSelector === b.nodeSelector ? a.nodeSelector : a.nodeSelector,
    qemuInstall: a.qemuInstall === b.qemuInstall && a.nodeSelector === b.nodeSelector ? a.qemuInstall : null,
    endpoint: a.endpoint === b.endpoint ? a.endpoint : null,
  };
}

/** An owner cell: the node name, or null when it differs between paths. */
function joinOwner(a: string | null | undefined, b: string | null | undefined): string | null | undefined {
  return a === b ? a : null;
}

function joinContext(a: ContextFact | undefined, b: ContextFact | undefined): ContextFact | undefined {
  if (a === b) return a;
  return { state: joinTri(a?.state ?? 'no', b?.state ?? 'no'), span: a?.span ?? b?.span ?? null };
}

function joinSelection(a: Selection | undefined, b: Selection | undefined): Selection | undefined {
  if (a === b) return a;
  if (a && b && a.key !== null && a.key === b.key) return a;
  return UNKNOWN_SELECTION;
}

function joinEnv(a: EnvBuilder | undefined, b: EnvBuilder | undefined): EnvBuilder | undefined {
  if (a === b) return a;
  if (a && b && a.value === b.value) return a;
  return { value: null, span: (a ?? b)!.span };
}

function joinWorld(a: World | undefined, b: World | undefined): World | undefined {
  if (a === b) return a;
  const alias = a?.aliasInstalled === b?.aliasInstalled ? a?.aliasInstalled : 'maybe';
  return { anyCreated: !!a?.anyCreated || !!b?.anyCreated, ...(alias ? { aliasInstalled: alias } : {}) };
}

/** The cells of one scope's walk. Registration order matters: snapshots are loaded by it. */
export class GraphState {
  readonly store = new Store();
  readonly heads = new Cells<Head>(this.store, joinHead);
  /** `key \0 epoch \0 node` → node. */
  readonly nodes = new Cells<GraphNode>(this.store, joinNode);
  /** `key \0 epoch \0 endpoint` → the node using it. */
  readonly endpoints = new Cells<string | null>(this.store, joinOwner);
  /** `key \0 epoch \0 platform` → the node declaring it. */
  readonly owners = new Cells<string | null>(this.store, joinOwner);
  readonly contexts = new Cells<ContextFact>(this.store, joinContext);
  readonly selection = new Cells<Selection>(this.store, joinSelection);
  readonly env = new Cells<EnvBuilder>(this.store, joinEnv);
  readonly world = new Cells<World>(this.store, joinWorld);

  nodeKey(h: Head, node: string): string {
    return `${h.key}\0${h.epoch}\0${node}`;
  }

  node(h: Head, name: string): GraphNode | undefined {
    return this.nodes.get(this.nodeKey(h, name));
  }

  anyCreated(): boolean {
    return !!this.world.get('')?.anyCreated;
  }

  /** existence of a builder key here; `no` is only certain when no dynamic create ran. */
  exists(key: string): Tri {
    const h = this.heads.get(key);
    const e = h?.exists ?? 'no';
    return e === 'no' && this.anyCreated() ? 'maybe' : e;
  }

  /** Nodes of an incarnation in buildx's order (oldest first), with their facts. */
  listNodes(h: Head): GraphNode[] {
    const names: string[] = [];
    for (let l = h.nodes; l; l = l.next) names.push(l.name);
    const out: GraphNode[] = [];
    for (let i = names.length - 1; i >= 0; i--) {
      const n = this.node(h, names[i]);
      if (n && n.present !== 'no') out.push(n);
    }
    return out;
  }

  private views = new WeakMap<Head, GraphBuilder>();

  /** view is the builder as a command sees it, shared while the builder does not change. */
  view(h: Head): GraphBuilder {
    let v = this.views.get(h);
    if (v) return v;
    const all = this.listNodes(h);
    const nodes = all.filter((n) => n.present === 'yes');
    v = { key: h.key, name: h.name, driver: h.driver, nodes, complete: h.complete && nodes.length === all.length, firstCreate: h.firstCreate };
    this.views.set(h, v);
    return v;
  }
}
