/**
 * What the two YAML hosts share: parsing with source ranges, reading mapping keys, decoding a
 * scalar's value onto the file, and YAML syntax errors as host problems.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Alias, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';
import type { HostProblem, ShellRegion } from './region';
import { decodeScalar } from './yaml-scalar';

export function parseYaml(text: string): { docs: Document.Parsed[]; problems: HostProblem[] } {
  const docs = parseAllDocuments(text, { keepSourceTokens: true, lineCounter: new LineCounter(), uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [];
  const problems: HostProblem[] = [];
  for (const d of list) {
    // The first error of a document; the ones after it are mostly its echoes.
    for (const e of d.errors.slice(0, 1)) {
      const start = Math.min(e.pos[0], text.length);
      const end = Math.min(Math.max(e.pos[1], start + 1), text.length);
      problems.push({
        kind: 'yaml-syntax',
        span: { start: Math.max(0, Math.min(start, end - 1)), end },
        severity: 'error',
        message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
      });
    }
  }
  if (problems.length) return { docs: [], problems };
  for (const d of list) bindAliases(d);
  return { docs: list, problems };
}

/** Each alias's node: the anchor of that name most recently defined before it. */
const aliasTargets = new WeakMap<Alias, unknown>();

/** bindAliases walks a document in order (iteratively: nesting depth is the input's). */
function bindAliases(doc: Document.Parsed): void {
  const anchors = new Map<string, unknown>();
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (isAlias(n)) {
      if (anchors.has(n.source)) aliasTargets.set(n, anchors.get(n.source));
      continue;
    }
    const anchor = (n as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.set(anchor, n);
    if (isMap(n) || isSeq(n)) for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
    else if (isPair(n)) stack.push(n.value, n.key);
  }
}

/** deref follows an alias (GitLab and GitHub Actions both accept anchors) to its node. */
export function deref(n: unknown): unknown {
  for (let hops = 0; isAlias(n) && hops < 64; hops++) n = aliasTargets.get(n);
  return n;
}

export function keyOf(pair: Pair): string | null {
  return isScalar(pair.key) && pair.key.value !== null ? String(pair.key.value) : null;
}

/** get reads `key` of a mapping, through aliases and `<<` merge keys (bounded depth). */
export function get(map: unknown, key: string, depth = 0): unknown {
  map = deref(map);
  if (!isMap(map)) return undefined;
  for (const p of map.items) if (keyOf(p) === key) return deref(p.value);
  if (depth > 16) return undefined;
  for (const p of map.items) {
    if (keyOf(p) !== '<<') continue;
    const merged = deref(p.value);
    const sources = isSeq(merged) ? merged.items : [merged];
    for (const src of sources) {
      const v = get(src, key, depth + 1);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  for (const p of map.items) if (keyOf(p) === key) return p;
  return undefined;
}

export function spanOfNode(n: Node | null | undefined): Span {
  const r = n?.range;
  return r ? { start: r[0], end: Math.max(r[0], r[1]) } : { start: 0, end: 0 };
}

/** scalarText decodes a scalar node onto the file; null for anything else. */
export function scalarText(text: string, n: unknown): MappedString | null {
  if (!isScalar(n) || n.range === undefined || n.range === null) return null;
  const tok = (n as Scalar & { srcToken?: { indent?: number } }).srcToken;
  return decodeScalar(text, n, tok?.indent ?? 0);
}

/** isBlockScalar: a `|`/`>` scalar, whose lines a fix may edit without re-quoting the YAML. */
export function isBlockScalar(n: unknown): boolean {
  return isScalar(n) && (n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED');
}

/** envOf reads an `env:`/`variables:` mapping of scalars, later definitions winning. */
export function readVariables(text: string, map: unknown, into: Map<string, MappedString>, transform: (s: MappedString) => MappedString = (s) => s): void {
  map = deref(map);
  if (!isMap(map)) return;
  for (const p of map.items) {
    const name = keyOf(p);
    if (name === '<<') continue;
    if (!name) continue;
    let v: unknown = deref(p.value);
    // GitLab: `NAME: {value: …, description: …}`.
    if (isMap(v)) v = get(v, 'value');
    const s = scalarText(text, v);
    if (s) into.set(name, transform(s));
  }
}

export function variablesList(vars: Map<string, MappedString>): ShellRegion['variables'] {
  if (!vars.size) return undefined;
  return [...vars].map(([name, value]) => ({ name, value }));
}
