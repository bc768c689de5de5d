/**
 * The builder graph's reading of a file: scopes, then paths inside each scope.
 *
 * Scopes: regions with the same `ShellRegion.scope` (undefined: the file) form one sequence of
 * commands, read in file order; facts never flow from one scope to another, except that a scope
 * listing others in `after` (a Makefile target's prerequisites) starts with the facts that hold
 * at their end (recursively; a cycle is cut where it closes). A builder created in another scope
 * may or may not exist (that target may have run first), unless that scope needs this one (then it
 * runs after it). A command that runs is taken to succeed, or the script stops there.
 *
 * Paths: inside a scope the shell is walked as it runs. A command runs for certain unless it is
 * under `if`/`elif`/`else`, `case`, a loop, a function body, a background `&`, after `&&`/`||`,
 * or its failure is handled (it is followed by `||`, it is an `if`/`while` condition, it is
 * negated with `!`): then its effects are "maybe" after the construct. Alternatives (`if` branches,
 * `case` items, the not-taken path) are followed separately from the same state and joined.
 */
import { DYNAMIC, spanOf } from '../../core/mapped-string';
import type { Span } from '../../core/span';
import type { Invocation } from '../../extract/invocation';
import type { ShellRegion } from '../../hosts/region';
import type { Command, Redirect, Script, SimpleCommand, Stmt, Word, WordPart } from '../../shell/ast';
import { wordPartial, wordValue } from '../../shell/expand';
import { LazyWord } from '../../shell/slice';
import { walkSimpleCommands } from '../../shell/walk';
import type { BuildModel, CreateModel, FileModel, RegionModel } from '../model';
import { GraphMachine } from './commands';
import type { BuilderGraph, GraphBuilder } from './facts';
import { GraphState, type Head, newEpoch } from './state';
import { ALL, type Cells, type TrailEntry } from './store';

/**
 * staticText is `wordValue(w)?.text`, without expanding a plain word: one literal with no brace,
 * tilde or run-time part is its own value. Every command's program word is read here.
 */
function staticText(w: Word): string | null {
  // A flat literal word is read from its source: its parts were let go after extraction.
  const literal = (w as unknown) instanceof LazyWord ? (w as unknown as LazyWord).literalText() : null;
  if (literal !== null && !literal.includes(DYNAMIC) && literal !== '' && literal[0] !== '~' && !literal.includes('{')) return literal;
  const parts = w.parts;
  if (parts.length === 1 && parts[0].kind === 'lit') {
    const t = parts[0].value.text;
    if (t.includes(DYNAMIC)) return null;
    if (t !== '' && t[0] !== '~' && !t.includes('{')) return t;
  }
  return wordValue(w)?.text ?? null;
}

const MAKE_RULE_LINE = /^(?![\t#])[^=\n]*?[^:=\s][^=\n]*?::?(?!=)/;

/**
 * makeRuleOf finds the rule line (offset) a recipe belongs to. Used only when the Makefile host
 * gave its regions no scopes, so that each rule's recipe still reads as its own sequence, after
 * its prerequisites (static names only).
 */
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

interface Scope {
  name: string;
  regions: RegionModel[];
  after: string[];
}

/** The fallback scope of a recipe: its rule line's first target, after its static prerequisites. */
function makeRuleScope(text: string, offset: number): { name: string; after: string[] } {
  const at = makeRuleOf(text, offset);
  const line = text.slice(at, text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at));
  const colon = line.search(/::?(?!=)/);
  const targets = line.slice(0, colon).trim().split(/\s+/);
  const prereqs = line
    .slice(colon)
    .replace(/^::?/, '')
    .split(/[;#|]/)[0]
    .trim()
    .split(/\s+/)
    .filter((p) => p && !p.includes('$'));
  return { name: `make:${targets[0] ?? at}`, after: prereqs.map((p) => `make:${p}`) };
}

function scopesOf(model: FileModel): Scope[] {
  const fallback = model.host === 'makefile' && model.regions.every((r) => r.region.scope === undefined);
  const byName = new Map<string, Scope>();
  const order: Scope[] = [];
  for (const r of model.regions) {
    const rule = fallback && r.region.source.text.length > 0 ? makeRuleScope(model.text, r.region.source.starts[0] ?? 0) : undefined;
    const name = rule ? rule.name : (r.region.scope ?? '');
    let s = byName.get(name);
    if (!s) {
      byName.set(name, (s = { name, regions: [], after: [] }));
      order.push(s);
    }
    s.regions.push(r);
    for (const a of rule ? rule.after : (r.region.after ?? [])) if (!s.after.includes(a)) s.after.push(a);
  }
  return order;
}

/** Prerequisites before dependents (iterative DFS; an edge back into the stack is a cycle, cut). */
function scopeOrder(scopes: Scope[]): { order: Scope[]; cyclic: boolean } {
  const byName = new Map(scopes.map((s) => [s.name, s]));
  const mark = new Map<string, 1 | 2>();
  const out: Scope[] = [];
  let cyclic = false;
  for (const root of scopes) {
    if (mark.has(root.name)) continue;
    mark.set(root.name, 1);
    const stack: { s: Scope; i: number }[] = [{ s: root, i: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i < top.s.after.length) {
        const d = byName.get(top.s.after[top.i++]);
        // A target listing itself (`t0: t0`) puts no other scope out of order.
        if (d && d !== top.s && mark.get(d.name) === 1) cyclic = true;
        if (d && !mark.has(d.name)) {
          mark.set(d.name, 1);
          stack.push({ s: d, i: 0 });
        }
        continue;
      }
      stack.pop();
      mark.set(top.s.name, 2);
      out.push(top.s);
    }
  }
  return { order: out, cyclic };
}

/** Every scope that lists `name` among its prerequisites, directly or through others. */
function dependentsOf(name: string, dependents: Map<string, string[]>): Set<string> {
  const out = new Set<string>();
  const todo = [name];
  while (todo.length) {
    for (const d of dependents.get(todo.pop()!) ?? []) {
      if (out.has(d)) continue;
      out.add(d);
      todo.push(d);
    }
  }
  return out;
}

/** The scopes that create one builder name (static, not `--leave`). */
interface ForeignCreators {
  /** In the order of each scope's first create of the name. */
  scopes: string[];
  /** The spelling of each scope's last create. */
  names: Map<string, string>;
  /** When every scope spells it alike: the creating scope that runs first; otherwise null. */
  first: string | null;
}

/**
 * ForeignHeads gives each scope the base of its builder heads: a builder another scope creates
 * may exist (that scope may have run before), unless that scope needs this one, so runs after it.
 * It is looked up per name when a scope first reads it, never set up for every name in every scope.
 * A scope also starts with what its prerequisites' bases held (the last prerequisite read wins),
 * which only matters for the spelling of a name the creators spell differently, or when
 * prerequisites form a cycle; otherwise a creator placed before the scope in prerequisite order
 * cannot need it, and only past that are the scope's dependents gathered, once.
 */
class ForeignHeads {
  private readonly scopes = new Map<string, { at: number; received: string[]; memo: Map<string, Head | null>; later: Set<string> | null }>();

  constructor(
    private readonly creators: Map<string, ForeignCreators>,
    private readonly position: Map<string, number>,
    private readonly cyclic: boolean,
    private readonly dependents: Map<string, string[]>,
  ) {}

  /** The base of `scope`, which read the ends of `received` (in that order). */
  baseOf(scope: string, received: string[]): (key: string) => Head | undefined {
    this.scopes.set(scope, { at: this.position.get(scope)!, received, memo: new Map(), later: null });
    return (key) => this.head(scope, key) ?? undefined;
  }

  /**
   * overwrite: when the ends of several prerequisites were laid over each other, a builder a later
   * one did not touch but holds from its base replaces what an earlier one left. Asked per builder
   * from the last prerequisite back, which stops at once in the usual case.
   */
  overwrite(st: GraphState, received: string[], heads: Map<string, unknown>[]): void {
    for (const key of [...st.heads.keys()]) {
      if (!this.creators.has(key)) continue;
      for (let j = heads.length - 1; j > 0; j--) {
        if (heads[j].has(key)) break;
        const h = this.head(received[j], key);
        if (h) {
          st.heads.set(key, h);
          break;
        }
      }
    }
  }

  private head(scope: string, key: string): Head | null {
    const fc = this.creators.get(key);
    if (!fc) return null;
    const sc = this.scopes.get(scope)!;
    if (!this.cyclic && fc.first !== null) {
      if (this.position.get(fc.first)! < sc.at) return fresh(key, fc.names.get(fc.first)!);
      return this.own(scope, fc, key);
    }
    // What the prerequisites' bases held: the last one read that holds the name, each asked the
    // same way, on an explicit stack (a chain of targets is as deep as it is long).
    const known = sc.memo.get(key);
    if (known !== undefined) return known;
    const stack: { scope: string; next: number }[] = [{ scope, next: sc.received.length - 1 }];
    let found: Head | null = null;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const at = this.scopes.get(top.scope)!;
      if (found === null) {
        while (top.next >= 0 && !this.scopes.has(at.received[top.next])) top.next--;
        if (top.next >= 0) {
          const from = this.scopes.get(at.received[top.next])!;
          const memo = from.memo.get(key);
          top.next--;
          if (memo !== undefined) found = memo;
          else stack.push({ scope: at.received[top.next + 1], next: from.received.length - 1 });
          continue;
        }
        found = this.own(top.scope, fc, key);
      }
      at.memo.set(key, found);
      stack.pop();
    }
    return found;
  }

  private own(scope: string, fc: ForeignCreators, key: string): Head | null {
    const sc = this.scopes.get(scope)!;
    for (const s of fc.scopes) {
      if (s === scope) continue;
      // Scopes that need this one run after it, in one run of the file.
      sc.later ??= dependentsOf(scope, this.dependents);
      if (!sc.later.has(s)) return fresh(key, fc.names.get(s)!);
    }
    return null;
  }
}

function fresh(key: string, name: string): Head {
  return { key, name, exists: 'maybe', removedBy: null, driver: null, complete: false, epoch: newEpoch(), nodes: null, firstCreate: null, genHint: 0 };
}

/** How many recordingWalks calls are running. */
let recording = 0;

/**
 * recordingWalks runs `f` with the builder graphs built meanwhile recorded for a resumed walk
 * (resumeBuilderGraph): the language server's incremental lint asks for it; a lint of the CLI
 * does not pay for the record.
 */
export function recordingWalks<T>(f: () => T): T {
  recording++;
  try {
    return f();
  } finally {
    recording--;
  }
}

export function buildBuilderGraph(model: FileModel): BuilderGraph {
  const out: BuilderGraph = { creates: [], builds: [], refs: [], builders: new Map() };
  const machine = new GraphMachine(out);
  const scopes = scopesOf(model);
  const createByInv = new Map<Invocation, CreateModel>(model.creates.map((c) => [c.inv, c]));
  const buildByInv = new Map<Invocation, BuildModel>(model.builds.map((b) => [b.inv, b]));
  const scopeOfRegion = new Map<ShellRegion, string>();
  for (const s of scopes) for (const r of s.regions) scopeOfRegion.set(r.region, s.name);
  // Static builder names each scope creates, for "may exist" in the others: per name, the
  // creating scopes in order of their first create, each with the spelling of its last one.
  const scopeRank = new Map<string, number>();
  for (const c of model.creates) {
    if (!c.nameValue || c.leave === true) continue;
    const s = scopeOfRegion.get(c.inv.region) ?? '';
    if (!scopeRank.has(s)) scopeRank.set(s, scopeRank.size);
  }
  const creators = new Map<string, ForeignCreators>();
  for (const c of model.creates) {
    if (!c.nameValue || c.leave === true) continue;
    const s = scopeOfRegion.get(c.inv.region) ?? '';
    const key = c.nameValue.toLowerCase();
    let fc = creators.get(key);
    if (!fc) creators.set(key, (fc = { scopes: [], names: new Map(), first: null }));
    if (!fc.names.has(s)) fc.scopes.push(s);
    fc.names.set(s, c.nameValue);
  }
  for (const fc of creators.values()) fc.scopes.sort((a, b) => scopeRank.get(a)! - scopeRank.get(b)!);
  const needed = new Set(scopes.flatMap((s) => s.after));
  const dependents = new Map<string, string[]>();
  for (const s of scopes) {
    for (const a of s.after) {
      let l = dependents.get(a);
      if (!l) dependents.set(a, (l = []));
      l.push(s.name);
    }
  }
  const ends = new Map<string, Map<string, unknown>[]>();
  const invsByRegion = new Map<ShellRegion, Invocation[]>();
  for (const inv of model.invocations) {
    let l = invsByRegion.get(inv.region);
    if (!l) invsByRegion.set(inv.region, (l = []));
    l.push(inv);
  }

  // How many scopes still start from each scope's end: the last one takes the cells over.
  const readers = new Map<string, number>();
  for (const s of scopes) for (const a of s.after) readers.set(a, (readers.get(a) ?? 0) + 1);
  // The head each builder's entry in out.builders was made from: an inherited, unchanged head
  // has the same view, so a chain of scopes does not rebuild every view in each.
  const shownFrom = new Map<string, Head>();

  const { order, cyclic } = scopeOrder(scopes);
  const position = new Map(order.map((s, i) => [s.name, i]));
  for (const fc of creators.values()) {
    let first = fc.scopes[0];
    for (const s of fc.scopes) if (position.get(s)! < position.get(first)!) first = s;
    const spelling = fc.names.get(fc.scopes[0]);
    fc.first = [...fc.names.values()].every((n) => n === spelling) ? first : null;
  }
  const foreign = creators.size ? new ForeignHeads(creators, position, cyclic, dependents) : null;
  // One file-wide sequence of one region that always runs: the walk can be resumed at a statement.
  const only = recording > 0 && scopes.length === 1 && scopes[0].after.length === 0 && scopes[0].regions.length === 1 ? scopes[0].regions[0] : null;
  let record: WalkRecord | null = null;
  for (const scope of order) {
    const st = new GraphState();
    machine.st = st;
    let written = false;
    const received: string[] = [];
    const receivedHeads: Map<string, unknown>[] = [];
    const headsAt = st.store.all.indexOf(st.heads as Cells<unknown>);
    for (const a of scope.after) {
      const snap = ends.get(a);
      const left = (readers.get(a) ?? 1) - 1;
      readers.set(a, left);
      if (left === 0) ends.delete(a);
      if (!snap) continue;
      received.push(a);
      if (!written && left === 0) st.store.adopt(snap);
      else st.store.overlay(snap);
      written = true;
      receivedHeads.push(snap[headsAt]);
    }
    if (foreign && received.length > 1) foreign.overwrite(st, received, receivedHeads);
    if (!st.contexts.get('default')) st.contexts.set('default', { state: 'yes', span: null });
    if (foreign) st.heads.base = foreign.baseOf(scope.name, received);
    for (const r of scope.regions) {
      const v = r.region.variables?.filter((x) => x.name === 'BUILDX_BUILDER').pop();
      st.env.set('', v ? { value: v.value.text.includes(DYNAMIC) ? null : v.value.text, span: spanOf(v.value) } : undefined);
      const invs = invsByRegion.get(r.region);
      // Without invocations a region changes the graph only through BUILDX_BUILDER or a Docker
      // context (most recipe lines of a Makefile do neither): not walked at all.
      if (!invs && !mayTouchGraph(r.region.source.text)) continue;
      if (r === only && invs && !r.region.conditional) {
        const walker = new RegionWalker(machine, r, invs, createByInv, buildByInv);
        if (!walker.hasLeftover) {
          const rec = newRecord(st, r, out);
          record = rec;
          walker.run({
            before: (i, inert) => {
              mark(rec, out, i);
              if (!inert) st.store.reads = [];
              return false;
            },
            after: (i) => {
              rec.reads[i] = st.store.reads;
              st.store.reads = null;
            },
          });
          continue;
        }
        walker.run();
        continue;
      }
      const walk = () => new RegionWalker(machine, r, invs ?? [], createByInv, buildByInv).run();
      if (r.region.conditional) st.store.maybe(walk);
      else walk();
    }
    for (const [k, h] of st.heads.map) {
      if (h.exists !== 'yes' || (shownFrom.get(k) === h && out.builders.has(k))) continue;
      out.builders.set(k, st.view(h));
      shownFrom.set(k, h);
    }
    if (needed.has(scope.name) && (readers.get(scope.name) ?? 0) > 0) ends.set(scope.name, st.store.ends());
  }
  if (record) {
    record.st.store.journal = record.journal;
    keepRecord(out, record);
  }
  sortEvents(out);
  return out;
}

function sortEvents(out: BuilderGraph): void {
  const byPos =
    <T>(span: (x: T) => number) =>
    (a: T, b: T) =>
      span(a) - span(b);
  out.creates.sort(byPos((e) => e.create.inv.span.start));
  out.builds.sort(byPos((e) => e.build.inv.span.start));
  out.refs.sort(byPos((e) => e.span.start));
}

/**
 * What a walk of one region keeps so that a later walk of the same file with one top-level
 * statement re-read (the language server's splice, engine/incremental.ts) can start at that
 * statement: the walk's state, every top-level write with the value it replaced (Store.journal),
 * and per statement where the journal and the events (in walk order) stood before it.
 */
interface WalkRecord {
  st: GraphState;
  r: RegionModel;
  journal: TrailEntry[];
  /** Per top-level statement: journal length, then counts of creates, builds and refs before it. */
  marks: Int32Array;
  creates: BuilderGraph['creates'];
  builds: BuilderGraph['builds'];
  refs: BuilderGraph['refs'];
  /** Per top-level statement walked: the keys it read (Store.reads). */
  reads: (string[] | null)[];
  /** A resumed walk went on from this record's state: it no longer holds. */
  spent: boolean;
}

const RECORDS = new WeakMap<BuilderGraph, WalkRecord>();

function newRecord(st: GraphState, r: RegionModel, out: BuilderGraph, journal: TrailEntry[] = [], from?: WalkRecord): WalkRecord {
  st.store.journal = journal;
  const n = r.script.stmts.length;
  const m = new Int32Array(4 * n);
  if (from) m.set(from.marks.subarray(0, Math.min(from.marks.length, m.length)));
  const reads: (string[] | null)[] = from ? from.reads.slice() : new Array(n).fill(null);
  return { st, r, journal, marks: m, creates: out.creates, builds: out.builds, refs: out.refs, reads, spent: false };
}

/** Keeps `rec` for the graph `out`, with copies of its lists as the walk left them (sorting reorders them). */
function keepRecord(out: BuilderGraph, rec: WalkRecord): void {
  rec.creates = out.creates.slice();
  rec.builds = out.builds.slice();
  rec.refs = out.refs.slice();
  RECORDS.set(out, rec);
}

function mark(rec: WalkRecord, out: BuilderGraph, i: number): void {
  rec.marks[4 * i] = rec.journal.length;
  rec.marks[4 * i + 1] = out.creates.length;
  rec.marks[4 * i + 2] = out.builds.length;
  rec.marks[4 * i + 3] = out.refs.length;
}

const keyOf = (e: TrailEntry) => `${e.cells.idx}\0${e.key}`;

/**
 * The previous walk's writes from one statement on, to replay them: each journal entry's key and
 * the value it wrote, and where each key was written.
 */
class OldWrites {
  readonly keys: string[];
  readonly wrote: unknown[];
  private readonly at = new Map<string, number[]>();
  private readonly final = new Map<string, unknown>();

  /** `entries`: the journal from the statement on; the cells hold the walk's end. */
  constructor(readonly entries: TrailEntry[]) {
    this.keys = entries.map(keyOf);
    this.wrote = new Array(entries.length);
    const later = new Map<string, unknown>();
    for (let p = entries.length - 1; p >= 0; p--) {
      const k = this.keys[p];
      const e = entries[p];
      if (!this.final.has(k)) this.final.set(k, e.cells.map.get(e.key));
      this.wrote[p] = later.has(k) ? later.get(k) : this.final.get(k);
      later.set(k, e.old);
    }
    this.keys.forEach((k, p) => {
      let l = this.at.get(k);
      if (!l) this.at.set(k, (l = []));
      l.push(p);
    });
  }

  has(k: string): boolean {
    return this.at.has(k);
  }

  /** The value a key it wrote held in the previous walk when its journal (from the statement on) had `p` entries. */
  valueAt(k: string, p: number): unknown {
    const l = this.at.get(k)!;
    let lo = 0;
    let hi = l.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (l[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    return lo < l.length ? this.entries[l[lo]].old : this.final.get(k);
  }
}

/** Whether a statement that read `reads` may read a key in `differ`. */
function readsAny(reads: string[], differ: Set<string>): boolean {
  if (!differ.size) return false;
  for (const k of reads) {
    if (differ.has(k)) return true;
    if (k.endsWith(`\0${ALL}`)) {
      const prefix = k.slice(0, -1);
      for (const d of differ) if (d.startsWith(prefix)) return true;
    }
  }
  return false;
}

/**
 * resumeBuilderGraph is buildBuilderGraph(model) for a model that is `graph`'s model with the
 * top-level statement `at` of its one region read again (and its invocation and create or build
 * model replaced; every other invocation and model the same objects): the walk's state is taken
 * back to where it stood before that statement and the walk goes on from there, the events before
 * it kept. Null when the graph was not recorded or the models differ otherwise; the old graph
 * stays valid as a graph, but cannot be resumed again.
 */
export function resumeBuilderGraph(graph: BuilderGraph, model: FileModel, at: number): BuilderGraph | null {
  const rec = RECORDS.get(graph);
  if (!rec || rec.spent || model.regions.length !== 1) return null;
  const r = model.regions[0];
  const stmts = r.script.stmts;
  if (r.region !== rec.r.region || stmts.length !== rec.r.script.stmts.length || at < 0 || at >= stmts.length) return null;
  const [j, nc, nb, nr] = rec.marks.subarray(4 * at, 4 * at + 4);
  const creates = new Set(model.creates);
  const builds = new Set(model.builds);
  for (let i = 0; i < nc; i++) if (!creates.has(rec.creates[i].create)) return null;
  for (let i = 0; i < nb; i++) if (!builds.has(rec.builds[i].build)) return null;
  const createByInv = new Map<Invocation, CreateModel>(model.creates.map((c) => [c.inv, c]));
  const buildByInv = new Map<Invocation, BuildModel>(model.builds.map((b) => [b.inv, b]));
  const invs = model.invocations.filter((inv) => inv.region === r.region);
  const out: BuilderGraph = { creates: rec.creates.slice(0, nc), builds: rec.builds.slice(0, nb), refs: rec.refs.slice(0, nr), builders: new Map() };
  const machine = new GraphMachine(out);
  const walker = new RegionWalker(machine, r, invs, createByInv, buildByInv, at);
  if (walker.hasLeftover) return null;
  rec.spent = true;
  const st = rec.st;
  const old = new OldWrites(rec.journal.slice(j));
  const oldMarks = rec.marks;
  const n = stmts.length;
  /** Where statement i's writes and events start in the previous walk (the journal from `at` on). */
  const oldAt = (i: number, f: number) =>
    (i < n ? oldMarks[4 * i + f] : f === 0 ? rec.journal.length : f === 1 ? rec.creates.length : f === 2 ? rec.builds.length : rec.refs.length) - (f === 0 ? j : 0);
  const oldEnds = [0, 1, 2, 3].map((f) => oldAt(n, f));
  if (!st.store.rewind(j)) return null;
  machine.st = st;
  const next = newRecord(st, r, out, rec.journal, rec);
  // The keys whose value differs from the previous walk's at the same statement. A statement that
  // reads none of them does what it did then: its writes are replayed and its events kept.
  const differ = new Set<string>();
  const nextMark = (i: number, f: number) => (i + 1 < n ? oldAt(i + 1, f) : oldEnds[f]);
  // A statement's events are kept only when the models they point at are the new model's.
  const replayable = (i: number) => {
    for (let x = oldAt(i, 1), y = nextMark(i, 1); x < y; x++) if (!creates.has(rec.creates[x].create)) return false;
    for (let x = oldAt(i, 2), y = nextMark(i, 2); x < y; x++) if (!builds.has(rec.builds[x].build)) return false;
    return true;
  };
  /** What the previous walk held in a key after statement i: a key it did not write after `at` held what it held then. */
  const before = (k: string, p: number, now: unknown) => {
    if (old.has(k)) return old.valueAt(k, p);
    for (let q = j; q < next.journal.length; q++) if (keyOf(next.journal[q]) === k) return next.journal[q].old;
    return now;
  };
  /** After statement i: the keys it wrote, now or then, are equal to the previous walk's or not. */
  const settle = (i: number) => {
    const from = oldAt(i, 0);
    const to = nextMark(i, 0);
    const touched = new Map<string, TrailEntry>();
    for (let p = from; p < to; p++) touched.set(old.keys[p], old.entries[p]);
    for (let p = next.marks[4 * i]; p < next.journal.length; p++) touched.set(keyOf(next.journal[p]), next.journal[p]);
    for (const [k, e] of touched) {
      const now = e.cells.map.get(e.key);
      if (before(k, to, now) === now) differ.delete(k);
      else differ.add(k);
    }
  };
  walker.run({
    before: (i, inert) => {
      mark(next, out, i);
      // The edited statement may have become one the walk skips: what it wrote before differs now.
      if (inert) {
        if (i === at) settle(i);
        return false;
      }
      const reads = rec.reads[i];
      if (i > at && reads && !readsAny(reads, differ) && replayable(i)) {
        const to = nextMark(i, 0);
        for (let p = oldAt(i, 0); p < to; p++) {
          const e = old.entries[p];
          e.cells.set(e.key, old.wrote[p]);
        }
        for (let x = oldAt(i, 1), y = nextMark(i, 1); x < y; x++) out.creates.push(rec.creates[x]);
        for (let x = oldAt(i, 2), y = nextMark(i, 2); x < y; x++) out.builds.push(rec.builds[x]);
        for (let x = oldAt(i, 3), y = nextMark(i, 3); x < y; x++) out.refs.push(rec.refs[x]);
        next.reads[i] = reads;
        return true;
      }
      st.store.reads = [];
      return false;
    },
    after: (i) => {
      next.reads[i] = st.store.reads;
      st.store.reads = null;
      settle(i);
    },
  });
  for (const [k, h] of st.heads.map) if (h.exists === 'yes') out.builders.set(k, st.view(h));
  keepRecord(out, next);
  sortEvents(out);
  return out;
}

/**
 * Text that may spell a word the walk reads without invocations (RegionWalker.env, .context):
 * `BUILDX_BUILDER` or `context`, also when quotes, backslashes (a continued line) or glob
 * characters split it, or any expansion (`$`, a backquote) that could make it.
 */
const GRAPH_WORDS = new RegExp(['BUILDX_BUILDER', 'context'].map((w) => w.split('').join(`[\\\\'"\\n\\[\\]*?]*`)).join('|') + '|[$`]');

function mayTouchGraph(text: string): boolean {
  return GRAPH_WORDS.test(text);
}

/** The words RegionWalker.env acts on after them. */
const ENV_SETTERS = new Set(['export', 'declare', 'typeset', 'readonly', 'local', 'unset']);

/**
 * touchesGraph: the command may be one RegionWalker.env or .context acts on (set or unset
 * BUILDX_BUILDER, `docker context create|rm`): decided on its assignments' names and its program
 * word, and true whenever that word is not a plain literal.
 */
function touchesGraph(cmd: SimpleCommand): boolean {
  for (const a of cmd.assigns) if (a.name === 'BUILDX_BUILDER') return true;
  if (!cmd.words.length) return false;
  const w0 = cmd.words[0] as unknown;
  const literal = w0 instanceof LazyWord ? w0.literalText() : null;
  if (literal === null || literal === '' || literal.includes(DYNAMIC) || literal[0] === '~' || literal.includes('{')) return true;
  return ENV_SETTERS.has(literal) || literal.slice(literal.lastIndexOf('/') + 1) === 'docker';
}

/**
 * A top-level statement's simple commands in walkSimpleCommands' order, and touchesGraph of a
 * command, kept per syntax node: the language server splices one re-parsed statement into the
 * previous tree (engine/incremental.ts), and the graph of the spliced model then reads every other
 * statement from here instead of walking its tree again. A tree is never changed after parsing.
 */
const COMMANDS = new WeakMap<Stmt, SimpleCommand[]>();
const TOUCHES = new WeakMap<SimpleCommand, boolean>();

function commandsOf(stmt: Stmt): SimpleCommand[] {
  let list = COMMANDS.get(stmt);
  if (!list) {
    const found: SimpleCommand[] = [];
    walkSimpleCommands({ stmts: [stmt], errors: [] } as unknown as Script, (c) => {
      found.push(c);
    });
    COMMANDS.set(stmt, (list = found));
  }
  return list;
}

function touchesGraphOnce(cmd: SimpleCommand): boolean {
  let t = TOUCHES.get(cmd);
  if (t === undefined) TOUCHES.set(cmd, (t = touchesGraph(cmd)));
  return t;
}

const DOCKER_VALUE_FLAGS = new Set(['-c', '--context', '-H', '--host', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);
const CONTEXT_CREATE_VALUE_FLAGS = new Set(['--description', '--docker', '--from', '--kubernetes', '--default-stack-orchestrator']);

/** One region's shell, walked as it runs. */
class RegionWalker {
  private invs = new Map<SimpleCommand, Invocation[]>();
  private leftover: Invocation[] = [];
  /** Per top-level statement of the region: nothing inside it runs an invocation or touches BUILDX_BUILDER or a context. */
  private inert: Uint8Array;

  /**
   * `from`: the walk starts at that top-level statement (a resumed walk, resumeBuilderGraph); the
   * statements before it and the invocations that lie in them are left out.
   */
  constructor(
    private readonly m: GraphMachine,
    private readonly r: RegionModel,
    invs: Invocation[],
    private readonly createByInv: Map<Invocation, CreateModel>,
    private readonly buildByInv: Map<Invocation, BuildModel>,
    private readonly from = 0,
  ) {
    const cmds: SimpleCommand[] = [];
    // Where each top-level statement's commands end in the walk's order.
    const tops = r.script.stmts;
    const ends = new Int32Array(tops.length);
    for (let i = from; i < tops.length; i++) {
      for (const c of commandsOf(tops[i])) cmds.push(c);
      ends[i] = cmds.length;
    }
    const inTopOrder = cmds.slice();
    const before = (a: SimpleCommand, b: SimpleCommand) => a.span.start - b.span.start || b.span.end - a.span.end;
    // Statements follow each other and most hold their commands in order: sorted only when not.
    let sorted = true;
    for (let i = 1; i < cmds.length && sorted; i++) if (before(cmds[i - 1], cmds[i]) > 0) sorted = false;
    if (!sorted) cmds.sort(before);
    const startAt = from > 0 ? tops[from].span.start : Number.NEGATIVE_INFINITY;
    for (const inv of invs) {
      if (inv.span.start < startAt) continue;
      // A trap's commands run when the shell exits, after everything the region does.
      if (inv.hidden?.kind === 'trap') {
        this.leftover.push(inv);
        continue;
      }
      const p = inv.span.start;
      let lo = 0;
      let hi = cmds.length - 1;
      let last = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (cmds[mid].span.start <= p) {
          last = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      let found: SimpleCommand | undefined;
      for (let i = last, n = 0; i >= 0 && n < 64; i--, n++) {
        if (cmds[i].span.start <= p && p < Math.max(cmds[i].span.end, cmds[i].span.start + 1)) {
          found = cmds[i];
          break;
        }
      }
      if (!found) {
        this.leftover.push(inv);
        continue;
      }
      let l = this.invs.get(found);
      if (!l) this.invs.set(found, (l = []));
      l.push(inv);
    }
    // A statement whose commands do nothing the graph sees leaves every cell as it was (its
    // forks join paths that wrote nothing): it is not walked.
    this.inert = new Uint8Array(tops.length);
    for (let i = from, k = 0; i < tops.length; i++) {
      let inert = 1;
      // A statement without commands (a bare compound, `( )`) keeps the end of the one before.
      if (i > from && ends[i] < ends[i - 1]) ends[i] = ends[i - 1];
      for (; k < ends[i]; k++) if (inert && (this.invs.has(inTopOrder[k]) || touchesGraphOnce(inTopOrder[k]))) inert = 0;
      this.inert[i] = inert;
    }
  }

  /** Invocations placed in no command of the walked statements (traps, synthesised ones): run after them. */
  get hasLeftover(): boolean {
    return this.leftover.length > 0;
  }

  /**
   * With `step`: `before(i)` runs before each top-level statement i, and says whether the
   * statement was taken care of (a resumed walk replayed it); `after(i)` runs after each statement
   * walked.
   */
  run(step?: { before(i: number, inert: boolean): boolean; after(i: number): void }): void {
    const tops = this.r.script.stmts;
    for (let i = this.from; i < tops.length; i++) {
      const inert = !!this.inert[i];
      if (step?.before(i, inert) || inert) continue;
      this.stmt(tops[i]);
      step?.after(i);
    }
    for (const inv of this.leftover) this.invocation(inv);
  }

  private get store() {
    return this.m.st.store;
  }

  private stmts(list: Stmt[]): void {
    for (const s of list) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    const run = () => {
      this.redirects(s.redirects);
      this.command(s.command);
    };
    if (s.background) this.store.maybe(run);
    else run();
  }

  /** A subshell: docker state persists, shell variables do not. */
  private subshell(run: () => void): void {
    const env = this.m.st.env.get('');
    run();
    this.m.st.env.set('', env);
  }

  private command(c: Command): void {
    const extra = (c as Command & { redirects?: Redirect[] }).redirects;
    if (extra && c.kind !== 'simple') this.redirects(extra);
    switch (c.kind) {
      case 'simple':
        this.simple(c);
        return;
      case 'pipeline': {
        const run = () => {
          if (c.commands.length === 1) this.command(c.commands[0]);
          else for (const x of c.commands) this.subshell(() => this.command(x));
        };
        if (c.negated) this.store.maybe(run);
        else run();
        return;
      }
      case 'andor':
        this.andOr(c.items, c.ops);
        return;
      case 'if': {
        for (const b of c.branches) this.store.maybe(() => this.stmts(b.cond));
        const paths = c.branches.map((b) => () => this.stmts(b.body));
        paths.push(c.elseBody ? () => this.stmts(c.elseBody!) : () => {});
        this.store.fork(paths);
        return;
      }
      case 'case': {
        this.words([c.word]);
        const paths = c.items.map((it) => () => this.stmts(it.body));
        const catchAll = c.items.some((it) => it.patterns.some((p) => staticText(p) === '*'));
        if (!catchAll) paths.push(() => {});
        this.store.fork(paths);
        return;
      }
      case 'while':
      case 'until':
        this.store.maybe(() => this.stmts(c.cond));
        this.store.maybe(() => this.stmts(c.body));
        return;
      case 'for':
        if (c.items) this.words(c.items);
        this.store.maybe(() => this.stmts(c.body));
        return;
      case 'brace':
        this.stmts(c.body);
        return;
      case 'subshell':
        this.subshell(() => this.stmts(c.body));
        return;
      case 'function':
        this.store.maybe(() => this.command(c.body));
        return;
      case 'test':
      case 'arithcmd':
        this.words(c.words);
        return;
    }
  }

  /**
   * `a && b || c`: the first item runs; the items after an operator may not. An item followed
   * by `||` somewhere later has its failure handled, so its effects are "maybe" too; an item
   * followed only by `&&` is assumed to succeed like any command that runs.
   */
  private andOr(items: Command[], ops: ('&&' | '||')[]): void {
    const handled = ops.includes('||');
    let open: (() => void)[] = [];
    const flush = () => {
      if (!open.length) return;
      const block = open;
      open = [];
      this.store.maybe(() => {
        for (const f of block) f();
      });
    };
    items.forEach((item, i) => {
      const run = () => this.command(item);
      if (i === 0) {
        if (handled) open.push(run);
        else run();
        return;
      }
      if (ops[i - 1] === '||') flush();
      open.push(run);
    });
    flush();
  }

  private redirects(list: Redirect[]): void {
    for (const r of list) {
      if (r.heredoc) for (const s of r.heredoc.scripts) this.subshell(() => this.stmts(s.stmts));
      if (r.target) this.words([r.target]);
    }
  }

  /** Commands inside words (`$(…)`, backticks, `<(…)`) run first, each in a subshell. */
  private words(ws: Word[]): void {
    for (const w of ws) {
      if ((w as unknown) instanceof LazyWord) continue;
      this.parts(w.parts);
    }
  }

  private parts(ps: WordPart[]): void {
    for (const p of ps) {
      if (p.kind === 'dq') this.parts(p.parts);
      else if (p.kind === 'param' && p.words) this.words(p.words);
      else if (p.kind === 'cmdsubst' || p.kind === 'procsubst') this.subshell(() => this.stmts(p.script.stmts));
    }
  }

  private simple(cmd: SimpleCommand): void {
    for (const a of cmd.assigns) {
      if (a.value) this.words([a.value]);
      if (a.array) this.words(a.array);
    }
    this.words(cmd.words);
    this.redirects(cmd.redirects);
    this.env(cmd);
    this.context(cmd);
    for (const inv of this.invs.get(cmd) ?? []) this.invocation(inv);
  }

  private invocation(inv: Invocation): void {
    const c = this.createByInv.get(inv);
    if (c) return this.m.create(c);
    const b = this.buildByInv.get(inv);
    if (b) return this.m.build(b);
    this.m.other(inv);
  }

  /** Statements that set BUILDX_BUILDER for the rest of the shell. */
  private env(cmd: SimpleCommand): void {
    if (cmd.words.length === 0) {
      for (const a of cmd.assigns) {
        if (a.name !== 'BUILDX_BUILDER') continue;
        const v = a.value ? wordValue(a.value) : null;
        this.m.setEnv(a.value ? (v ? v.text : null) : '', a.value?.span ?? a.span);
      }
      return;
    }
    const w0 = staticText(cmd.words[0]) ?? undefined;
    if (w0 === 'export' || w0 === 'declare' || w0 === 'typeset' || w0 === 'readonly' || w0 === 'local') {
      for (const w of cmd.words.slice(1)) {
        const raw = staticText(w);
        if (raw === null) {
          // `export BUILDX_BUILDER="$X"`: the name is known only at run time.
          if (wordPartial(w).text.startsWith('BUILDX_BUILDER=')) this.m.setEnv(null, w.span);
          continue;
        }
        if (!raw.startsWith('BUILDX_BUILDER=')) continue;
        this.m.setEnv(raw.slice(raw.indexOf('=') + 1), w.span);
      }
    } else if (w0 === 'unset') {
      for (const w of cmd.words.slice(1)) if (staticText(w) === 'BUILDX_BUILDER') this.m.setEnv('', w.span);
    }
  }

  /** `docker context create NAME` / `docker context rm NAME…` with static words. */
  private context(cmd: SimpleCommand): void {
    const ws = cmd.words;
    if (ws.length < 3) return;
    const text = (i: number) => (i < ws.length ? staticText(ws[i]) : null);
    const w0 = text(0);
    if (w0 === null || w0.slice(w0.lastIndexOf('/') + 1) !== 'docker') return;
    let i = 1;
    for (; i < ws.length; i++) {
      const t = text(i);
      if (t === null || !t.startsWith('-')) break;
      if (DOCKER_VALUE_FLAGS.has(t)) i++;
    }
    if (text(i) !== 'context') return;
    const sub = text(i + 1);
    const rest: { name: string | null; span: Span }[] = [];
    for (let k = i + 2; k < ws.length; k++) {
      const t = text(k);
      if (t !== null && t.startsWith('-')) {
        if (sub === 'create' && CONTEXT_CREATE_VALUE_FLAGS.has(t)) k++;
        continue;
      }
      rest.push({ name: t, span: ws[k].span });
    }
    if (sub === 'create') {
      const n = rest[0];
      if (n?.name) this.m.contextCreated(n.name, n.span);
    } else if (sub === 'rm' || sub === 'remove') {
      for (const n of rest) if (n.name) this.m.contextRemoved(n.name);
    }
  }
}

export type { GraphBuilder };
