/**
 * What each buildx command does to the builder store, as buildx does it (`builder.Create` and
 * `store.NodeGroup.Update`/`Leave` in buildx 461836ba0, `commands/rm.go`, `commands/use.go`), and
 * the facts it meets, recorded for the rules. A command whose outcome depends on something that
 * holds only on some paths (the builder may exist, the node may exist) is applied on both
 * assumptions and the results joined; facts for the rules are recorded only from what is certain.
 * A create that buildx refuses changes nothing.
 */
import { DYNAMIC } from '../../core/mapped-string';
import type { Span } from '../../core/span';
import type { Arg, FlagOccurrence, Invocation } from '../../extract/invocation';
import type { KV } from '../kubernetes';
import { argCountUncertain, type BuildModel, type CreateModel } from '../model';
import { type Platform, type PlatformItem, formatPlatform } from '../platform';
import type { BuilderGraph, BuilderSource, BuildState, CreateEvent, GraphNode } from './facts';
import { type GraphState, type Head, newEpoch, UNKNOWN_SELECTION } from './state';

function staticArg(a: Arg | undefined): string | null {
  if (!a || !a.static || a.value.text.includes(DYNAMIC)) return null;
  return a.value.text;
}

function staticFlag(f: FlagOccurrence | undefined): string | null {
  if (!f || !f.value || f.value.text.includes(DYNAMIC)) return null;
  return f.value.text;
}

function parseBool(s: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return null;
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

/**
 * endpointOf is the endpoint buildx stores for a node (`builder.Create`, the `ep` switch), as far
 * as the script shows it: kubernetes endpoints are synthetic and unique, so they never collide.
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

interface CreateFlags {
  hidden: boolean;
  appendMaybe: boolean;
  nodeMaybe: boolean;
  platforms: { platforms: Platform[]; items: PlatformItem[]; known: boolean };
  nodeSelector: KV[];
  qemuInstall: boolean | null | undefined;
}

export class GraphMachine {
  st!: GraphState;
  constructor(readonly out: BuilderGraph) {}

  // ------------------------------------------------------------------------------------------
  // create

  create(c: CreateModel): void {
    const st = this.st;
    const hidden = argCountUncertain(c.inv);
    const nameDynamic = !!c.name && c.nameValue === null && !!c.name.value;
    const name = c.name ? c.nameValue : null;
    const key = name ? name.toLowerCase() : null;
    const ev: CreateEvent = {
      create: c,
      key,
      exists: 'no',
      hiddenFlags: hidden,
      builder: undefined,
      node: undefined,
      nodeMissing: false,
      nodeNames: undefined,
      onlyNode: false,
      nodeName: undefined,
      twin: undefined,
      moved: [],
      result: undefined,
      contextCreatedAt: undefined,
    };
    this.out.creates.push(ev);

    if (nameDynamic) {
      ev.exists = 'maybe';
      // It may create, append to, update or leave any builder.
      if (c.leave !== true) st.world.set('', { ...st.world.get(''), anyCreated: true });
      this.forAllHeads((h) => ({ ...h, complete: false }));
      if (c.use === true) st.selection.set('', { key: null, by: c.inv });
      return;
    }
    if (c.leave === true) {
      this.leave(c, ev);
      return;
    }
    if (!key) {
      // A generated name (or `--append` without one, which fails): nothing later names it statically.
      if (c.use === true && c.append !== true) st.selection.set('', { key: null, by: c.inv });
      return;
    }
    // `default` is reserved (`builder.Create`): buildx refuses before anything else.
    if (name === 'default') return;

    const opts = c.driverOpts;
    const optsDynamic = c.driverOptFlags.some((f) => !f.value || f.value.text.includes(DYNAMIC) || f.valueArg?.mayVary);
    const qemu = opts?.effective.get('qemu.install');
    const flags: CreateFlags = {
      hidden,
      appendMaybe: c.append === null || (c.append === undefined && hidden),
      nodeMaybe: !c.node && hidden,
      platforms: platformsOfCreate(c),
      nodeSelector: opts?.kubernetes?.nodeSelector ?? [],
      qemuInstall: qemu ? (qemu.value.text.includes(DYNAMIC) ? null : parseBool(qemu.value.text)) : optsDynamic ? null : undefined,
    };

    ev.exists = st.exists(key);
    // Without --append buildx first refuses a name that a Docker context has (buildx >= 0.13),
    // before it looks at its own store.
    const ctx = c.append === true ? undefined : st.contexts.get(name!);
    if (ctx?.state === 'yes') {
      if (ctx.span) ev.contextCreatedAt = ctx.span;
      return;
    }
    const h = st.heads.get(key);
    if (h && ev.exists === 'yes') {
      ev.builder = { key: h.key, name: h.name, driver: h.driver, complete: h.complete, firstCreate: h.firstCreate };
      if (c.node && c.nodeValue !== null) {
        const n = st.node(h, c.nodeValue);
        if (n?.present === 'yes') ev.node = n;
        else if (h.complete && (!n || n.present === 'no')) {
          ev.nodeMissing = true;
          ev.nodeNames = st
            .listNodes(h)
            .filter((x) => x.present === 'yes')
            .map((x) => x.name);
        }
      }
    }

    const proceed = (record: CreateEvent | null) => this.createByExistence(c, key, name!, flags, record);
    if (ctx?.state === 'maybe') st.store.fork([() => {}, () => proceed(null)]);
    else proceed(ev);
  }

  private createByExistence(c: CreateModel, key: string, name: string, f: CreateFlags, ev: CreateEvent | null): void {
    const st = this.st;
    const e = st.exists(key);
    if (e === 'yes') return this.createExisting(c, st.heads.get(key)!, f, ev);
    // A command that runs is taken to succeed, or the script stops there. Were the builder there,
    // a create without --append or --node would fail: past it, the builder is the new one.
    if (e === 'no' || ((c.append === false || c.append === undefined) && !c.node && !f.hidden)) return this.createAbsent(c, key, name, f, ev);
    st.store.fork([
      () => {
        const h = st.heads.get(key);
        const assumed: Head = h
          ? { ...h, exists: 'yes', removedBy: null }
          : { key, name, exists: 'yes', removedBy: null, driver: null, complete: false, epoch: newEpoch(), nodes: null, firstCreate: null, genHint: 0 };
        st.heads.set(key, assumed);
        this.createExisting(c, assumed, f, null);
      },
      () => this.createAbsent(c, key, name, f, null),
    ]);
  }

  private createAbsent(c: CreateModel, key: string, name: string, f: CreateFlags, ev: CreateEvent | null): void {
    const st = this.st;
    // With --append, buildx >= 0.13 refuses (`failed to find instance for append`) unless the
    // builder exists outside this file. A command that runs is taken to succeed (or the script
    // stops), so past it the builder exists, with nodes nobody here knows besides this one.
    const h: Head = {
      key,
      name,
      exists: 'yes',
      removedBy: null,
      driver: c.driver,
      complete: c.append !== true && !f.hidden && !f.appendMaybe,
      epoch: newEpoch(),
      nodes: null,
      firstCreate: c,
      genHint: 0,
    };
    st.heads.set(key, h);
    this.addNode(c, h, c.node ? c.nodeValue : null, f, ev);
  }

  private createExisting(c: CreateModel, h: Head, f: CreateFlags, ev: CreateEvent | null): void {
    const st = this.st;
    if (c.append !== true && (f.appendMaybe || f.nodeMaybe)) {
      // Flags the file does not show decide between a refusal and an update.
      st.heads.set(h.key, { ...h, complete: false });
      if (c.use === true) st.selection.set('', UNKNOWN_SELECTION);
      return;
    }
    if (!c.node && c.append !== true) return; // existing instance but no append mode
    if (c.driverSource === 'flag' && c.driver && h.driver && c.driver !== h.driver) return; // mismatched driver
    if ((c.driverFlag && !c.driver) || (c.node && c.nodeValue === null)) {
      // A dynamic driver or node name: the change is unknown.
      st.heads.set(h.key, { ...h, complete: false });
      if (c.use === true) st.selection.set('', { key: h.key, by: c.inv });
      return;
    }
    const nodeName = c.node ? c.nodeValue : null;
    const existing = nodeName !== null ? st.node(h, nodeName) : undefined;
    const absent = () => {
      if (c.append !== true) return; // node not found, did you mean to append?
      this.addNode(c, st.heads.get(h.key)!, nodeName, f, ev);
    };
    if (existing && existing.present === 'maybe') {
      st.store.fork([
        () => this.updateNode(c, h, { ...existing, present: 'yes' }, f, null),
        () => {
          if (!h.complete) this.updateNode(c, h, existing, f, null);
          else absent();
        },
      ]);
    } else if (existing && existing.present === 'yes') {
      this.updateNode(c, h, existing, f, ev);
    } else if (!h.complete && nodeName !== null && c.append !== true) {
      // A node the file does not know: the create succeeds (or the script stops) only if the
      // builder had it, so this updates it, and past this command it exists with these settings.
      const unknown: GraphNode = {
        name: nodeName.toLowerCase(),
        named: true,
        present: 'yes',
        platforms: [],
        platformItems: [],
        platformsKnown: false,
        driver: h.driver ?? c.driver,
        nodeSelector: [],
        qemuInstall: null,
        endpoint: null,
        createdBy: c,
        updatedBy: c,
      };
      this.updateNode(c, h, unknown, f, ev, true);
    } else {
      absent();
    }
  }

  private addNode(c: CreateModel, h: Head, nodeName: string | null, f: CreateFlags, ev: CreateEvent | null): void {
    const st = this.st;
    let name = nodeName;
    let genHint = h.genHint;
    if (name === null) {
      // `NodeGroup.nextNodeName`: the first free `<builder name><i>`.
      for (let i = genHint; ; i++) {
        const cand = `${h.name}${i}`.toLowerCase();
        const n = st.node(h, cand);
        if (!n || n.present === 'no') {
          name = `${h.name}${i}`;
          genHint = i + 1;
          break;
        }
      }
    }
    const driver = h.driver ?? c.driver;
    const endpoint = endpointOf(c, driver);
    if (ev) ev.nodeName = name.toLowerCase();
    if (endpoint) {
      const twin = this.endpointOwner(h, endpoint);
      if (twin) {
        if (ev && twin.present === 'yes') ev.twin = twin;
        if (twin.present === 'yes') return; // invalid duplicate endpoint
      }
    }
    const node: GraphNode = {
      name: name.toLowerCase(),
      named: nodeName !== null,
      present: 'yes',
      platforms: f.platforms.platforms,
      platformItems: f.platforms.items,
      platformsKnown: f.platforms.known,
      driver,
      nodeSelector: f.nodeSelector,
      qemuInstall: f.qemuInstall,
      endpoint,
      createdBy: c,
      updatedBy: c,
    };
    const existed = st.node(h, node.name);
    const head: Head = {
      ...h,
      driver,
      genHint,
      nodes: existed ? h.nodes : { name: node.name, next: h.nodes, len: (h.nodes?.len ?? 0) + 1 },
      complete: h.complete && f.platforms.known && !f.hidden,
    };
    st.heads.set(h.key, head);
    st.nodes.set(st.nodeKey(head, node.name), node);
    if (endpoint) st.endpoints.set(st.nodeKey(head, endpoint), node.name);
    this.claimPlatforms(head, node, [], ev);
    if (ev) ev.result = st.node(head, node.name);
    if (c.use === true) st.selection.set('', { key: h.key, by: c.inv });
  }

  private updateNode(c: CreateModel, h: Head, existing: GraphNode, f: CreateFlags, ev: CreateEvent | null, unlisted = false): void {
    const st = this.st;
    const driver = h.driver ?? c.driver;
    const ep = endpointOf(c, driver);
    const setEp = !!c.endpoint || driver === 'remote';
    if (ev) ev.nodeName = existing.name;
    const newEndpoint = setEp && driver !== 'kubernetes' ? ep : existing.endpoint;
    // `validateDuplicates` runs after the update, on the endpoint this create computed.
    if (ep && newEndpoint === ep) {
      const twin = this.endpointOwner(h, ep);
      if (twin && twin.name !== existing.name) {
        if (ev && twin.present === 'yes') ev.twin = twin;
        if (twin.present === 'yes') return;
      }
    }
    const node: GraphNode = { ...existing, updatedBy: c, endpoint: newEndpoint };
    if (c.platformFlags.length) {
      node.platforms = f.platforms.platforms;
      node.platformItems = f.platforms.items;
      node.platformsKnown = f.platforms.known;
    }
    if (c.driverOptFlags.length) {
      node.nodeSelector = f.nodeSelector;
      node.qemuInstall = f.qemuInstall;
    }
    const head: Head = {
      ...h,
      complete: h.complete && f.platforms.known && !f.hidden,
      nodes: unlisted && !st.node(h, node.name) ? { name: node.name, next: h.nodes, len: (h.nodes?.len ?? 0) + 1 } : h.nodes,
    };
    st.heads.set(h.key, head);
    st.nodes.set(st.nodeKey(head, node.name), node);
    if (newEndpoint !== existing.endpoint) {
      if (existing.endpoint && st.endpoints.get(st.nodeKey(head, existing.endpoint)) === node.name) st.endpoints.set(st.nodeKey(head, existing.endpoint), undefined);
      if (newEndpoint) st.endpoints.set(st.nodeKey(head, newEndpoint), node.name);
    }
    if (c.platformFlags.length) this.claimPlatforms(head, node, existing.platforms, ev);
    if (ev) ev.result = st.node(head, node.name);
    if (c.use === true) st.selection.set('', { key: h.key, by: c.inv });
  }

  private endpointOwner(h: Head, endpoint: string): GraphNode | undefined {
    const owner = this.st.endpoints.get(this.st.nodeKey(h, endpoint));
    if (typeof owner !== 'string') return undefined;
    const n = this.st.node(h, owner);
    return n && n.present !== 'no' && n.endpoint === endpoint ? n : undefined;
  }

  /** A platform belongs to one node: pinning it here removes it from the node that had it (`validateDuplicates`). */
  private claimPlatforms(h: Head, node: GraphNode, before: Platform[], ev: CreateEvent | null): void {
    const st = this.st;
    const mine = new Set(node.platforms.map(formatPlatform));
    for (const p of before) {
      const k = st.nodeKey(h, formatPlatform(p));
      if (!mine.has(formatPlatform(p)) && st.owners.get(k) === node.name) st.owners.set(k, undefined);
    }
    for (const p of node.platforms) {
      const pk = formatPlatform(p);
      const k = st.nodeKey(h, pk);
      const owner = st.owners.get(k);
      if (typeof owner === 'string' && owner !== node.name) {
        const other = st.node(h, owner);
        if (other) {
          const keep = other.platforms.map((q, i) => ({ q, i })).filter(({ q }) => formatPlatform(q) !== pk);
          const fromItem = other.platformItems[other.platforms.findIndex((q) => formatPlatform(q) === pk)];
          st.nodes.set(st.nodeKey(h, owner), { ...other, platforms: keep.map((x) => x.q), platformItems: keep.map((x) => other.platformItems[x.i]).filter((x) => x !== undefined) });
          const item = node.platformItems.find((it) => it.platform && formatPlatform(it.platform) === pk);
          if (ev && item && other.present === 'yes' && other.platformsKnown) ev.moved.push({ item, platform: p, from: other, fromItem });
        }
      }
      st.owners.set(k, node.name);
    }
  }

  private leave(c: CreateModel, ev: CreateEvent): void {
    const st = this.st;
    const name = c.name ? c.nameValue : null;
    if (!name || !c.node || c.nodeValue === '') return; // leave requires instance name / node name
    const key = name.toLowerCase();
    ev.exists = st.exists(key);
    // Without --append buildx first refuses a name that a Docker context has (buildx >= 0.13),
    // before it looks at its own store.
    const ctx = c.append === true ? undefined : st.contexts.get(name!);
    if (ctx?.state === 'yes') {
      if (ctx.span) ev.contextCreatedAt = ctx.span;
      return;
    }
    const h = st.heads.get(key);
    if (!h) return;
    if (c.nodeValue === null) {
      st.heads.set(key, { ...h, complete: false });
      return;
    }
    const n = st.node(h, c.nodeValue);
    const others = () => st.listNodes(h).filter((x) => x.name !== c.nodeValue);
    if (ev.exists === 'yes' && h.complete) {
      if (!n || n.present === 'no') {
        ev.nodeMissing = true;
        ev.nodeNames = st
          .listNodes(h)
          .filter((x) => x.present === 'yes')
          .map((x) => x.name);
        return;
      }
      if (n.present === 'yes' && others().length === 0) {
        ev.onlyNode = true;
        return;
      }
    }
    if (!n || n.present === 'no') return;
    const certain = ev.exists === 'yes' && n.present === 'yes' && others().some((x) => x.present === 'yes');
    st.nodes.set(st.nodeKey(h, n.name), { ...n, present: certain ? 'no' : 'maybe' });
    st.heads.set(key, { ...h });
  }

  // ------------------------------------------------------------------------------------------
  // build, use, rm, inspect, stop

  build(build: BuildModel): void {
    const st = this.st;
    const inv = build.inv;
    let key: string | null = null;
    let source: BuilderSource = 'none';
    let nameSpan: Span | null = null;
    let ignoredSelection: BuildState['ignoredSelection'];
    const prefix = [...inv.env].reverse().find((e) => e.name === 'BUILDX_BUILDER' && (e.value === null || e.value.text !== ''));
    const env = st.env.get('');
    const sel = st.selection.get('');
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
    } else if (env && env.value !== '') {
      source = env.value === null ? 'dynamic' : 'env';
      key = env.value === null ? null : env.value.toLowerCase();
      nameSpan = env.span;
    } else if (inv.forwardedByDockerCli && st.world.get('')?.aliasInstalled !== 'yes') {
      // docker/cli cmd/docker/builder.go: BUILDX_BUILDER is set to the context unless the
      // `builder` alias of `docker buildx install` is configured; on paths where it may be, the
      // builder is unknown.
      if (st.world.get('')?.aliasInstalled === 'maybe' && sel) source = 'dynamic';
      else {
        source = 'context';
        if (sel && sel !== UNKNOWN_SELECTION && !(env && env.value === null)) ignoredSelection = sel;
      }
    } else if (sel === UNKNOWN_SELECTION) {
      source = 'dynamic';
    } else if (sel) {
      source = sel.key === null ? 'dynamic' : sel.by.command === 'create' ? 'create-use' : 'use';
      key = sel.key;
    }
    const h = key ? st.heads.get(key) : undefined;
    const builder = h && key && st.exists(key) === 'yes' ? st.view(h) : undefined;
    this.out.builds.push({ build, key, source, nameSpan, builder, ignoredSelection });
    if (key && (source === 'flag' || source === 'env-prefix' || source === 'env') && nameSpan) this.ref(inv, 'build', key, key, nameSpan);
  }

  private ref(inv: Invocation, command: string, key: string, name: string, span: Span): void {
    const st = this.st;
    const h = st.heads.get(key);
    const absent = st.exists(key) === 'no';
    const removedBy = absent && h?.removedBy ? h.removedBy : undefined;
    let contextBuilder: { createdAt: Span | null } | undefined;
    if (absent) {
      const ctx = st.contexts.get(name);
      if (ctx?.state === 'yes') contextBuilder = { createdAt: ctx.span };
    }
    this.out.refs.push({ inv, command, key, name, span, removedBy, contextBuilder });
  }

  other(inv: Invocation): void {
    const st = this.st;
    const cmd = inv.command;
    if (cmd === 'install' || cmd === 'uninstall') {
      const anyCreated = !!st.world.get('')?.anyCreated;
      st.world.set('', cmd === 'install' ? { anyCreated, aliasInstalled: 'yes' } : { anyCreated });
      return;
    }
    if (cmd !== 'use' && cmd !== 'rm' && cmd !== 'inspect' && cmd !== 'stop') return;
    const rootBuilder = inv.globalFlags.filter((f) => f.name === 'builder').pop() ?? inv.flags.filter((f) => f.name === 'builder').pop();
    const named: { name: string | null; span: Span }[] = inv.positionals.map((a) => ({ name: staticArg(a), span: a.span }));
    if (named.length === 0 && rootBuilder && rootBuilder.valueSpan) named.push({ name: staticFlag(rootBuilder), span: rootBuilder.valueSpan });
    if (cmd === 'rm' && inv.flags.some((f) => f.name === 'all-inactive' && f.bool !== false)) {
      this.removeAny();
      return;
    }
    if (named.length === 0) {
      if (cmd === 'rm') {
        // No name: BUILDX_BUILDER, else the selected builder.
        const env = st.env.get('');
        const sel = st.selection.get('');
        const k = env && env.value ? env.value.toLowerCase() : env && env.value === null ? null : sel && sel !== UNKNOWN_SELECTION ? sel.key : null;
        if (k) this.remove(k, inv);
        else if (sel || (env && env.value !== '')) this.removeAny();
      }
      return;
    }
    for (const n of named) {
      if (n.name === null) {
        if (cmd === 'rm') this.removeAny();
        if (cmd === 'use') st.selection.set('', { key: null, by: inv });
        continue;
      }
      const key = n.name.toLowerCase();
      this.ref(inv, cmd, key, n.name, n.span);
      if (cmd === 'rm') this.remove(key, inv, n.name);
      if (cmd === 'use') st.selection.set('', key === 'default' ? undefined : { key, by: inv });
    }
  }

  private remove(key: string, inv: Invocation, typed?: string): void {
    const st = this.st;
    const absent = st.exists(key) === 'no';
    // A context builder cannot be removed (`commands/rm.go`).
    if (absent && typed !== undefined && st.contexts.get(typed)?.state === 'yes') return;
    const h = st.heads.get(key);
    st.heads.set(
      key,
      h
        ? { ...h, exists: 'no', removedBy: inv }
        : { key, name: typed ?? key, exists: 'no', removedBy: inv, driver: null, complete: false, epoch: newEpoch(), nodes: null, firstCreate: null, genHint: 0 },
    );
    const sel = st.selection.get('');
    if (sel && sel.key === key) st.selection.set('', undefined);
  }

  /** A removal whose target is unknown: any builder may be gone. */
  private removeAny(): void {
    this.forAllHeads((h) => (h.exists === 'yes' ? { ...h, exists: 'maybe', complete: false } : { ...h, complete: false }));
  }

  private forAllHeads(f: (h: Head) => Head): void {
    const st = this.st;
    for (const k of [...st.heads.keys()]) st.heads.set(k, f(st.heads.get(k)!));
  }

  // ------------------------------------------------------------------------------------------
  // shell facts

  setEnv(value: string | null, span: Span): void {
    this.st.env.set('', { value, span });
  }

  contextCreated(name: string, span: Span): void {
    this.st.contexts.set(name, { state: 'yes', span });
  }

  contextRemoved(name: string): void {
    if (name !== 'default') this.st.contexts.set(name, { state: 'no', span: null });
  }
}
