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
