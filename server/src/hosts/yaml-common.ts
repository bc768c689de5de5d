/**
 * What the two YAML hosts share: parsing with source ranges, reading mapping keys, decoding a
 * scalar's value onto the file, and YAML syntax errors as host problems.
 */
import { Composer, CST, isAlias, isMap, isPair, isScalar, isSeq, Lexer, Parser, type Alias, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';
import { type HostProblem, MAX_ALIASES, MAX_DOCUMENT_SIZE, type ShellRegion } from './region';
import { decodeScalar } from './yaml-scalar';

/**
 * Collections nested deeper than this are not read. The yaml package composes nested collections
 * recursively: past some depth the stack overflows, and where depends on the thread (the CLI's
 * main thread holds about 900 levels of one-line flow collections, a worker several thousand), so
 * the CLI with one job, with several, and the language server would disagree. No real workflow or
 * pipeline comes near this depth.
 */
export const MAX_YAML_NESTING = 256;

/**
 * The offset of the first collection nested deeper than `max` in the syntax tree of one document,
 * or -1. On the way it notes each block scalar's indentation (by offset), which is all a reader
 * needs of the syntax tree once the document is composed.
 */
function tooDeep(token: CST.Token, max: number, blockIndents: Map<number, number>): number {
  const stack: [CST.Token | null | undefined, number][] = [[token, 0]];
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (!t) continue;
    if (t.type === 'document') stack.push([t.value, depth]);
    else if (t.type === 'block-scalar') blockIndents.set(t.offset, t.indent);
    else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth >= max) return t.offset;
      for (const item of t.items as { key?: CST.Token | null; value?: CST.Token }[]) {
        stack.push([item.key, depth + 1]);
        stack.push([item.value, depth + 1]);
      }
    }
  }
  return -1;
}

/**
 * The indentation of the node holding each block scalar (the syntax tree token's `indent`), which
 * an explicit indentation indicator (`|2`) counts from. Kept per node instead of keeping the whole
 * syntax tree with the document (`keepSourceTokens`): the tree is about as large again as the
 * composed document, and a reader needs nothing else from it.
 */
const blockIndentOf = new WeakMap<Scalar, number>();

/**
 * A line that starts a YAML document (`---`) or ends one (`...`). YAML 1.2 forbids either at the
 * start of a line inside any scalar (c-forbidden), block scalars included, so these lines cut
 * the documents of a file without parsing it.
 */
const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
const DOCUMENT_MARKER_AT = /^(?:---|\.\.\.)(?:[ \t\r\n]|$)/;

/** The limits on one YAML document: its characters and its aliases. */
export interface YamlLimits {
  maxDocumentSize?: number;
  maxAliases?: number;
}

/**
 * The offset of alias number `max + 1` (`*name`) of text[start, end), or -1 when it has no more
 * than `max`. The yaml package's lexer tells an alias from a `*` inside a scalar or a comment; it
 * yields one token at a time and builds no tree, and stops at that alias: counting costs a pass
 * over the text up to it, and no memory that grows with it. A document with no more `*`
 * characters than `max` is not lexed at all.
 */
function aliasPast(text: string, start: number, end: number, max: number): number {
  if (starsAtMost(text, start, end, max)) return -1;
  let offset = start;
  let count = 0;
  let inScalar = false;
  for (const lexeme of new Lexer().lex(text.slice(start, end))) {
    // The lexer marks the start of a plain or block scalar's text with SCALAR; DOCUMENT and
    // FLOW_END are markers of its own, not text of the file (the Parser's offsets skip them).
    if (lexeme === CST.SCALAR) {
      inScalar = true;
      continue;
    }
    if (lexeme === CST.DOCUMENT || lexeme === CST.FLOW_END) continue;
    if (inScalar) inScalar = false;
    else if (lexeme[0] === '*' && ++count > max) return offset;
    offset += lexeme.length;
  }
  return -1;
}

/** Whether text[start, end) holds no more than `max` `*` characters (so no more aliases). */
function starsAtMost(text: string, start: number, end: number, max: number): boolean {
  let stars = 0;
  for (let i = text.indexOf('*', start); i >= 0 && i < end; i = text.indexOf('*', i + 1)) if (++stars > max) return false;
  return true;
}

/** An alias token: `*` and its anchor name, up to a blank or a flow indicator. */
const ALIAS_TOKEN = /\*[^\s,[\]{}]*/y;

/**
 * The text the parser reads: each document longer than `maxDocumentSize` characters or with more
 * than `maxAliases` aliases blanked after its marker (every character up to the line break before
 * the next marker becomes a space, so offsets stay those of the file), and one KBX604 problem at
 * its start (at its first alias past the limit for the second). The yaml package's tree of a
 * document is about 36 bytes a character and is held whole, its syntax tree of flow collections
 * of aliases over 150 bytes a character; a blank document costs nothing. Aliases are followed by
 * reference (a billion laughs costs its text, not its expansion): the alias bound bounds the parse.
 */
function withoutLargeDocuments(text: string, max: number, maxAliases: number): { text: string; problems: HostProblem[] } {
  if (text.length <= max && starsAtMost(text, 0, text.length, maxAliases)) return { text, problems: [] };
  const cuts = [0];
  for (const m of text.matchAll(DOCUMENT_MARKER)) if (m.index > 0) cuts.push(m.index);
  cuts.push(text.length);
  const problems: HostProblem[] = [];
  let out: string[] | null = null;
  let copied = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i];
    const end = cuts[i + 1];
    const alias = end - start <= max ? aliasPast(text, start, end, maxAliases) : -1;
    if (end - start <= max && alias < 0) continue;
    // Blanked from after its marker (`---` with a tag or a block scalar on it opens content too),
    // to the line break before the next marker: what is left is an empty document.
    const bodyStart = DOCUMENT_MARKER_AT.test(text.slice(start, start + 4)) ? start + 3 : start;
    const bodyEnd = end < text.length ? end - 1 : end;
    const eol = text.indexOf('\n', start);
    ALIAS_TOKEN.lastIndex = alias;
    const span =
      alias >= 0 ? { start: alias, end: Math.min(alias + 80, alias + (ALIAS_TOKEN.exec(text)?.[0].length ?? 1)) } : { start, end: Math.max(start + 1, Math.min(eol < 0 ? end : eol, start + 80, end)) };
    problems.push({
      kind: 'input-too-large',
      span,
      severity: 'error',
      message:
        alias >= 0
          ? `this YAML document has more than limits.maxAliases (${maxAliases}) aliases, this one the first past the limit: it is not read`
          : `this YAML document has ${end - start} characters, more than limits.maxDocumentSize (${max}): it is not read`,
    });
    if (bodyEnd <= bodyStart) continue;
    out ??= [];
    out.push(text.slice(copied, bodyStart), ' '.repeat(bodyEnd - bodyStart));
    copied = bodyEnd;
  }
  if (!out) return { text, problems };
  out.push(text.slice(copied));
  return { text: out.join(''), problems };
}

export function parseYaml(text: string, limits: YamlLimits = {}): { docs: Document.Parsed[]; problems: HostProblem[] } {
  const docs: Document.Parsed[] = [];
  const it = yamlDocuments(text, limits);
  for (let r = it.next(); ; r = it.next()) {
    if (r.done) return r.value.failed ? { docs: [], problems: r.value.problems } : { docs, problems: r.value.problems };
    docs.push(r.value);
  }
}

/**
 * What is left once every document of a file has been handed out: the problems, and whether
 * the file failed to parse (a syntax error or a document nested too deep in any document). A
 * reader that failed discards what it read of the earlier documents: a file with a syntax
 * error is not read at all, whichever document holds it.
 */
export interface YamlEnd {
  problems: HostProblem[];
  failed: boolean;
}

/**
 * The documents of a file one at a time, each composed, checked and bound when it is handed
 * out, and dropped by the parser once the next is read: a reader that keeps nothing of a
 * document after reading it holds one document's tree at a time, not the file's (10,000
 * documents held whole cost ten times the file).
 */
export function* yamlDocuments(text: string, limits: YamlLimits = {}): Generator<Document.Parsed, YamlEnd, undefined> {
  const large = withoutLargeDocuments(text, limits.maxDocumentSize ?? MAX_DOCUMENT_SIZE, limits.maxAliases ?? MAX_ALIASES);
  const end = yield* parseDocuments(large.text);
  return { problems: large.problems.length ? [...large.problems, ...end.problems] : end.problems, failed: end.failed };
}

function* parseDocuments(text: string): Generator<Document.Parsed, YamlEnd, undefined> {
  // parseAllDocuments in steps, one document at a time, so that each document's syntax tree is
  // checked before it is composed and dropped once it is. After a document too deep to compose,
  // the rest is only checked: the deepest place reported is that of the last such document.
  const blockIndents = new Map<number, number>();
  let deep = -1;
  function* checked(): Generator<CST.Token> {
    for (const t of new Parser().parse(text)) {
      const d = tooDeep(t, MAX_YAML_NESTING, blockIndents);
      if (d >= 0) deep = d;
      if (deep < 0) yield t;
    }
  }
  const problems: HostProblem[] = [];
  for (const d of new Composer({ uniqueKeys: false }).compose(checked()) as Iterable<Document.Parsed>) {
    // The first error of a document; the ones after it are mostly its echoes.
    for (const e of d.errors.slice(0, 1)) {
      const start = Math.min(e.pos[0], text.length);
      const end = Math.min(Math.max(e.pos[1], start + 1), text.length);
      // A stack overflow the depth bound did not foresee (a smaller stack): a limit, not a mistake.
      if (e.code === 'RESOURCE_EXHAUSTION') {
        problems.push({
          kind: 'input-too-large',
          span: { start: Math.max(0, Math.min(start, end - 1)), end },
          severity: 'error',
          message: 'collections nest here too deeply to be read: the file is not read',
        });
        continue;
      }
      problems.push({
        kind: 'yaml-syntax',
        span: { start: Math.max(0, Math.min(start, end - 1)), end },
        severity: 'error',
        message: e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''),
      });
    }
    // Once a document failed, the rest are only checked.
    if (problems.length || deep >= 0) continue;
    bindAliases(d, blockIndents);
    yield d;
  }
  if (deep >= 0) {
    const eol = text.indexOf('\n', deep);
    const end = Math.max(Math.min(eol < 0 ? text.length : eol, deep + 80), Math.min(deep + 1, text.length));
    return {
      failed: true,
      problems: [{ kind: 'input-too-large', span: { start: deep, end }, severity: 'error', message: `collections nest here more than ${MAX_YAML_NESTING} deep: the file is not read` }],
    };
  }
  return { problems, failed: problems.length > 0 };
}

/** Each alias's node: the anchor of that name most recently defined before it. */
const aliasTargets = new WeakMap<Alias, unknown>();

/**
 * bindAliases walks a document in order (iteratively: nesting depth is the input's), binding each
 * alias and noting each block scalar's indentation.
 */
function bindAliases(doc: Document.Parsed, blockIndents: Map<number, number>): void {
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
    if (isBlockScalar(n) && n.range) blockIndentOf.set(n, blockIndents.get(n.range[0]) ?? 0);
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

/** A mapping's own keys (the first of each name) and its `<<` merge values, built once per map. */
interface MapIndex {
  own: Map<string, unknown>;
  merges: unknown[];
}
const mapIndexes = new WeakMap<YAMLMap, MapIndex>();

function indexOf(map: YAMLMap): MapIndex {
  let ix = mapIndexes.get(map);
  if (ix) return ix;
  ix = { own: new Map(), merges: [] };
  for (const p of map.items) {
    const k = keyOf(p);
    if (k === null) continue;
    if (k === '<<') ix.merges.push(p.value);
    if (!ix.own.has(k)) ix.own.set(k, p.value);
  }
  mapIndexes.set(map, ix);
  return ix;
}

/** The most mappings one lookup enters: far beyond any real merge graph, a bound on a hostile one. */
const MAX_MERGED_MAPS = 1024;
const NOT_FOUND = Symbol('not found');
/** Per mapping and key, the value a lookup found through its merge keys (or NOT_FOUND). */
const mergedValues = new WeakMap<YAMLMap, Map<string, unknown>>();

/**
 * get reads `key` of a mapping, through aliases and `<<` merge keys: the map's own key first,
 * then its merge sources in order, depth first. A merge key can name the same anchor many times
 * over at every level (a billion laughs): each answer found through merges is kept per mapping and
 * key, so every mapping is searched once per key, and one lookup enters each mapping at most once
 * (a walk that revisited would take exponential time). The walk keeps its own stack: a merge chain
 * is as deep as the input makes it. A mapping whose answer passed through a cycle (an anchor
 * merged into itself) is not kept: from another start the cycle is cut elsewhere.
 */
export function get(map: unknown, key: string): unknown {
  map = deref(map);
  if (!isMap(map)) return undefined;
  const first = indexOf(map);
  if (first.own.has(key)) return deref(first.own.get(key));
  if (!first.merges.length) return undefined;
  const known = (m: YAMLMap) => mergedValues.get(m)?.get(key);
  const keep = (m: YAMLMap, v: unknown) => {
    let byKey = mergedValues.get(m);
    if (!byKey) mergedValues.set(m, (byKey = new Map()));
    byKey.set(key, v);
  };
  const cached = known(map);
  if (cached !== undefined) return cached === NOT_FOUND ? undefined : cached;
  interface Frame {
    map: YAMLMap;
    sources: unknown[];
    next: number;
    cut: boolean;
  }
  const sourcesOf = (ix: MapIndex) => {
    const out: unknown[] = [];
    for (const m of ix.merges) {
      const merged = deref(m);
      if (isSeq(merged)) for (const item of merged.items) out.push(item);
      else out.push(merged);
    }
    return out;
  };
  const entered = new Set<YAMLMap>([map]);
  const stack: Frame[] = [{ map, sources: sourcesOf(first), next: 0, cut: false }];
  let found: unknown = NOT_FOUND;
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (found !== NOT_FOUND || top.next >= top.sources.length) {
      stack.pop();
      if (!top.cut) keep(top.map, found);
      else if (stack.length) stack[stack.length - 1].cut = true;
      continue;
    }
    const src = deref(top.sources[top.next++]);
    if (!isMap(src)) continue;
    const ix = indexOf(src);
    if (ix.own.has(key)) {
      found = deref(ix.own.get(key));
      continue;
    }
    const k = known(src);
    if (k !== undefined) {
      if (k !== NOT_FOUND) found = k;
      continue;
    }
    if (entered.has(src) || entered.size >= MAX_MERGED_MAPS) {
      top.cut = true;
      continue;
    }
    entered.add(src);
    stack.push({ map: src, sources: sourcesOf(ix), next: 0, cut: false });
  }
  return found === NOT_FOUND ? undefined : found;
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
  return decodeScalar(text, n, blockIndentOf.get(n) ?? 0);
}

/** isBlockScalar: a `|`/`>` scalar, whose lines a fix may edit without re-quoting the YAML. */
export function isBlockScalar(n: unknown): n is Scalar {
  return isScalar(n) && (n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED');
}

/**
 * The variables a region starts with, by scope (a workflow's `env:`, a job's, a step's): each
 * scope holds its own definitions and asks its parent for the rest. A copy of every outer map per
 * job and step made 10,000 steps under 10,000 workflow variables cost 100 million entries.
 */
export class VarScope {
  private readonly own = new Map<string, MappedString>();
  /** Names a program reads from its environment without the script naming them (BUILDX_BUILDER). */
  private readonly programNames: string[] = [];

  constructor(private readonly parent: VarScope | null = null) {}

  set(name: string, value: MappedString): void {
    if (!this.own.has(name) && PROGRAM_VARIABLE.test(name)) this.programNames.push(name);
    this.own.set(name, value);
  }

  get(name: string): MappedString | undefined {
    for (let s: VarScope | null = this; s; s = s.parent) {
      const v = s.own.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /**
   * The variables a script can read: those it names, and those docker and buildx read themselves,
   * in the order they were first defined (outer scopes first), each with its innermost value.
   */
  list(script: string): ShellRegion['variables'] {
    const chain: VarScope[] = [];
    for (let s: VarScope | null = this; s; s = s.parent) chain.unshift(s);
    const names = new Set<string>();
    for (const s of chain) for (const n of s.programNames) names.add(n);
    for (const m of script.matchAll(IDENTIFIER)) names.add(m[0]);
    const kept: { name: string; level: number; index: number }[] = [];
    for (const name of names) {
      const level = chain.findIndex((s) => s.own.has(name));
      if (level >= 0) kept.push({ name, level, index: chain[level].indexOf(name) });
    }
    if (!kept.length) return undefined;
    kept.sort((x, y) => x.level - y.level || x.index - y.index);
    return kept.map(({ name }) => ({ name, value: this.get(name)! }));
  }

  private order: Map<string, number> | null = null;

  /** Where a name was first defined in this scope (its place in the map's insertion order). */
  private indexOf(name: string): number {
    if (!this.order || this.order.size !== this.own.size) {
      this.order = new Map();
      for (const n of this.own.keys()) this.order.set(n, this.order.size);
    }
    return this.order.get(name)!;
  }
}

const PROGRAM_VARIABLE = /^(?:BUILDX|BUILDKIT|DOCKER)_/;
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/** envOf reads an `env:`/`variables:` mapping of scalars, later definitions winning. */
export function readVariables(text: string, map: unknown, into: { set(name: string, value: MappedString): void }, transform: (s: MappedString) => MappedString = (s) => s): void {
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
