/**
 * compact: a list as a file model keeps it. A list grown by `push` holds room for 17 elements
 * and a model keeps thousands of them (flags, positionals, platforms of every invocation); the
 * copy holds exactly its elements, and every empty list is one shared, frozen array (a write to
 * it throws instead of leaking into another model).
 */
export function compact<T>(list: T[]): T[] {
  return list.length === 0 ? (EMPTY as unknown as T[]) : list.slice();
}

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * LastMemo remembers what was computed for the last key only. A rule that indexes a value for
 * the findings on it (the fields of one `--driver-opt` record) is asked about one value's
 * findings in a row, in file order: a WeakMap keyed by the value kept every index until the
 * model died, as much memory as the values themselves on a command of 64,000 flags, while the
 * last one alone is used. Asked about another key, it computes again: the same result.
 */
export class LastMemo<K extends object, V> {
  private key: K | null = null;
  private value: V | undefined;

  get(key: K): V | undefined {
    return key === this.key ? this.value : undefined;
  }

  set(key: K, value: V): void {
    this.key = key;
    this.value = value;
  }
}
