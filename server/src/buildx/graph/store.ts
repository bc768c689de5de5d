/**
 * A fact store with an undo trail, so the graph can follow several paths through a script
 * without copying its state: a path writes cells, the fork records the cells it wrote, rolls
 * them back, runs the next path from the same start, and finally writes each touched cell once
 * with the join of the values the paths left in it. Work is proportional to the writes, never
 * to the size of the state, which keeps long scripts linear.
 *
 * Every value stored is immutable; a write replaces it. `undefined` means "no fact" (the cell is
 * absent) and is what a join sees for a path that never wrote the cell.
 */

export type Join<V> = (a: V | undefined, b: V | undefined) => V | undefined;

export class Cells<V> {
  /** Replaced only by Store.adopt, at the start of a scope. */
  map = new Map<string, V>();
  /** Its place in the store's registration order: the prefix of its keys in Store.reads. */
  readonly idx: number;
  constructor(
    readonly store: Store,
    readonly join: Join<V>,
  ) {
    this.idx = store.all.length;
    store.register(this as Cells<unknown>);
  }
  /**
   * base gives the value a cell holds at the start of the scope when nothing wrote it: read on
   * the first access and kept as if it had been there all along (no trail entry, so no fork rolls
   * it back). Setting every such cell up front made a Makefile whose targets create builders
   * quadratic. Only for cells never set to `undefined`: a deleted cell would come back.
   */
  base: ((key: string) => V | undefined) | null = null;
  get(key: string): V | undefined {
    const reads = this.store.reads;
    if (reads) reads.push(`${this.idx}\0${key}`);
    const v = this.map.get(key);
    if (v !== undefined || !this.base) return v;
    const b = this.base(key);
    if (b !== undefined) this.map.set(key, b);
    return b;
  }
  set(key: string, value: V | undefined): void {
    const old = this.get(key);
    if (old === value) return;
    // Outside any fork nothing is ever rolled back: the trail stays empty on straight-line code.
    if (this.store.depth > 0) this.store.trail.push({ cells: this as Cells<unknown>, key, old });
    else if (this.store.journal) this.store.journal.push({ cells: this as Cells<unknown>, key, old });
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, value);
  }
  keys(): IterableIterator<string> {
    const reads = this.store.reads;
    if (reads) reads.push(`${this.idx}\0${ALL}`);
    return this.map.keys();
  }
}

/** In Store.reads, a read of every key of a cell kind (its keys were listed). */
export const ALL = '\u0001';

export interface TrailEntry {
  cells: Cells<unknown>;
  key: string;
  old: unknown;
}

export class Store {
  readonly trail: TrailEntry[] = [];
  readonly all: Cells<unknown>[] = [];
  /** Number of forks being followed. */
  depth = 0;
  /**
   * When set, every write outside a fork (the walk's top level) is recorded here with the value it
   * replaced, so the walk can be taken back to the start of a top-level statement (graph/walk.ts
   * `resumeBuilderGraph`). Inside a fork the trail records writes; the join writes at the top.
   */
  journal: TrailEntry[] | null = null;
  /** When set, every key read (`idx \0 key`, or `idx \0 ALL` when the keys were listed) is added here. */
  reads: string[] | null = null;

  /**
   * rewind takes the top-level writes after `mark` back, newest first. False when that would put a
   * key back into a map it was deleted from (the map's order would then differ from a walk that
   * stopped at the mark): the store is then no longer usable.
   */
  rewind(mark: number): boolean {
    const j = this.journal!;
    for (let i = j.length - 1; i >= mark; i--) {
      const e = j[i];
      if (e.old === undefined) e.cells.map.delete(e.key);
      else if (!e.cells.map.has(e.key)) return false;
      else e.cells.map.set(e.key, e.old);
    }
    j.length = mark;
    return true;
  }

  register(c: Cells<unknown>): void {
    this.all.push(c);
  }

  private undo(mark: number): void {
    for (let i = this.trail.length - 1; i >= mark; i--) {
      const e = this.trail[i];
      if (e.old === undefined) e.cells.map.delete(e.key);
      else e.cells.map.set(e.key, e.old);
    }
    this.trail.length = mark;
  }

  /**
   * fork runs each path from the current state and leaves the join of their end states. A path
   * that is not taken at all (an `if` without `else`) is passed as an empty function.
   */
  fork(paths: (() => void)[]): void {
    const mark = this.trail.length;
    // Most paths (the side of an `&&`, a branch that only runs programs) write nothing: their end
    // is the start (null), and a fork none of whose paths wrote allocates nothing at all.
    const ends: (Map<Cells<unknown>, Map<string, unknown>> | null)[] = [];
    let touched: Map<Cells<unknown>, Set<string>> | null = null;
    for (const path of paths) {
      this.depth++;
      try {
        path();
      } finally {
        this.depth--;
      }
      if (this.trail.length === mark) {
        ends.push(null);
        continue;
      }
      const end = new Map<Cells<unknown>, Map<string, unknown>>();
      touched ??= new Map();
      for (let i = mark; i < this.trail.length; i++) {
        const e = this.trail[i];
        let m = end.get(e.cells);
        if (!m) end.set(e.cells, (m = new Map()));
        if (m.has(e.key)) continue;
        m.set(e.key, e.cells.map.get(e.key));
        let t = touched.get(e.cells);
        if (!t) touched.set(e.cells, (t = new Set()));
        t.add(e.key);
      }
      this.undo(mark);
      ends.push(end);
    }
    if (!touched) return;
    for (const [cells, keys] of touched) {
      for (const key of keys) {
        const start = cells.map.get(key);
        let acc: unknown;
        ends.forEach((end, i) => {
          const m = end?.get(cells);
          const v = m && m.has(key) ? m.get(key) : start;
          acc = i === 0 ? v : cells.join(acc, v);
        });
        cells.set(key, acc);
      }
    }
  }

  /** maybe: the block may or may not run. */
  maybe(block: () => void): void {
    this.fork([block, () => {}]);
  }

  /**
   * ends are the cells' maps themselves, by registration order, for scopes that start from this
   * one's end: the store must not be written after. Copying them here and again into each
   * dependent made a chain of Makefile targets quadratic in time and memory.
   */
  ends(): Map<string, unknown>[] {
    return this.all.map((c) => c.map);
  }

  /** overlay writes the ends of a store built the same way over this one's cells. */
  overlay(snap: Map<string, unknown>[]): void {
    snap.forEach((m, i) => {
      const c = this.all[i];
      for (const [k, v] of m) c.set(k, v);
    });
  }

  /**
   * adopt takes the ends of a store built the same way as this one's cells, without copying, when
   * no other scope will read them. Only on a store nothing has been written to.
   */
  adopt(snap: Map<string, unknown>[]): void {
    snap.forEach((m, i) => {
      this.all[i].map = m;
    });
  }
}

export type Tri = 'yes' | 'no' | 'maybe';

export function joinTri(a: Tri, b: Tri): Tri {
  return a === b ? a : 'maybe';
}
