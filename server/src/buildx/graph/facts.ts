/**
 * The facts the builder graph gathers and the rules read: what each `create`, `build`, `use`,
 * `rm`, `inspect` and `stop` meets when it runs. Each fact is stated only when it holds on every
 * path that reaches the command (see docs/architecture.md, "Reading model: paths and scopes");
 * the rules decide what is a mistake.
 */
import type { Span } from '../../core/span';
import type { Invocation } from '../../extract/invocation';
import type { KV } from '../kubernetes';
import type { BuildModel, CreateModel } from '../model';
import type { Platform, PlatformItem } from '../platform';
import type { Tri } from './store';

export type { Tri };

/** One node of a builder, as buildx stores it (`store.Node`), with where its settings came from. */
export interface GraphNode {
  /** Stored node name (lower-cased, as buildx stores it); generated names are computed like buildx. */
  name: string;
  /** The node name came from `--node` (not generated). */
  named: boolean;
  /** Whether the node exists, on the paths reaching the command that looks at it. */
  present: Tri;
  /** Declared (`--platform`) platforms, canonical, in order; empty when none were pinned. */
  platforms: Platform[];
  /** The PlatformItem each declared platform came from (same order), for spans. */
  platformItems: PlatformItem[];
  /** False when a `--platform` value of this node is dynamic, invalid, or differs between paths. */
  platformsKnown: boolean;
  driver: string | null;
  /** Static `nodeselector` pairs (kubernetes); buildx replaces driver options wholesale. */
  nodeSelector: KV[];
  /** `qemu.install` parsed: true/false, null when dynamic or path-dependent, undefined when absent. */
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

/** A builder as a command sees it. */
export interface GraphBuilder {
  /** Lower-cased name: the store key. */
  key: string;
  /** Name as first typed (buildx keeps the typed case in the store JSON). */
  name: string;
  /** Null when unknown or different between paths. */
  driver: string | null;
  /** The nodes that certainly exist, in buildx's order. */
  nodes: GraphNode[];
  /** Every node is known: made from scratch in this file by static creates, same on every path. */
  complete: boolean;
  /** The create that made it (this incarnation). */
  firstCreate: CreateModel | null;
}

export interface MovedPlatform {
  /** The item of this create that pins the platform. */
  item: PlatformItem;
  platform: Platform;
  /** The node that declared it until now, and the item there. */
  from: GraphNode;
  fromItem: PlatformItem | undefined;
}

export interface CreateEvent {
  create: CreateModel;
  /** Builder key (lower-cased) when the name is static. */
  key: string | null;
  /** Whether the builder exists when this create runs (`no` also covers "not in this file"). */
  exists: Tri;
  /** A word that may split (`$OPTS`) can carry `--append`/`--node`/`--platform` the file does not show. */
  hiddenFlags: boolean;
  /** The builder's header when it certainly exists (its nodes are not listed: see the node facts). */
  builder: Omit<GraphBuilder, 'nodes'> | undefined;
  /** The node `--node` names, when it certainly exists in that builder. */
  node: GraphNode | undefined;
  /** The builder certainly exists, is complete, and has no node named by `--node`. */
  nodeMissing: boolean;
  /** When nodeMissing: the names of the nodes it has. */
  nodeNames: string[] | undefined;
  /** `--leave`: the named node certainly is the builder's only node. */
  onlyNode: boolean;
  /** The stored name of the node this create adds or updates (generated like buildx without --node). */
  nodeName: string | undefined;
  /** Another node of the builder that certainly uses the endpoint this create gives its node. */
  twin: GraphNode | undefined;
  /** Platforms this create pins that another existing node of the builder declared. */
  moved: MovedPlatform[];
  /** The node as this create leaves it, when the create certainly succeeds. */
  result: GraphNode | undefined;
  /** `docker context create NAME` that certainly ran before, for a builder of that name. */
  contextCreatedAt: Span | undefined;
}

export type BuilderSource = 'flag' | 'env-prefix' | 'env' | 'use' | 'create-use' | 'context' | 'none' | 'dynamic';

export interface BuildState {
  build: BuildModel;
  /** Resolved builder key, or null when unknown / the context builder. */
  key: string | null;
  source: BuilderSource;
  /** Where the builder name was given (flag value or env assignment), when it was. */
  nameSpan: Span | null;
  /** The builder when this build runs, when it certainly exists. */
  builder: GraphBuilder | undefined;
  /** `docker build` run while a `use`/`create --use` selection certainly holds, which it ignores. */
  ignoredSelection: { key: string | null; by: Invocation } | undefined;
}

export interface BuilderRef {
  inv: Invocation;
  command: string;
  key: string;
  name: string;
  span: Span;
  /** The `rm` that removed this builder on every path here, with nothing creating it again. */
  removedBy: Invocation | undefined;
  /**
   * The name is a Docker context's builder and no buildx builder of that name exists here:
   * `default` always, or a `docker context create NAME` that certainly ran.
   */
  contextBuilder: { createdAt: Span | null } | undefined;
}

export interface BuilderGraph {
  creates: CreateEvent[];
  builds: BuildState[];
  refs: BuilderRef[];
  /** State of every builder the file made at the end of its scope, by key (certain ones). */
  builders: Map<string, GraphBuilder>;
}
