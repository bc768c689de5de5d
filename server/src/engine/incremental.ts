/**
 * Incremental lint of one document that changes a little at a time (the language server's case).
 *
 * IncrementalLint keeps, per document, the diagnostics of the latest text and an index of the
 * top-level commands of its shell region. For a new version it finds the lines the edit touched
 * and decides whether the edit can have changed anything but positions:
 *
 *   - the host is a plain shell script (one region, the file itself), the old text parsed without
 *     syntax errors, the configuration is the same;
 *   - every top-level command in the edited lines is *inert*, before and after the edit: simple
 *     commands (or pipelines and and-or lists of them) with a literal name that is no builtin with
 *     effects, no wrapper, no shell and no function of the file, no assignment, no here-document,
 *     no arithmetic, no `${X:=d}`, and no `docker`, `buildx` or `kbx-lint` in the text;
 *   - the new lines parse alone without errors and end where a command ends (no continuation),
 *     so the rest of the file parses as before; the references to `$NAME` are the same ones (fixes
 *     depend on how often a value is read); the wrapper-replay budget, which grows with the length
 *     of the file, never ran out; when the file has suppression comments, the lines keep their
 *     number and which of them are blank or comments (a comment applies to the next line that is
 *     neither).
 *
 * Such an edit changes nothing the values walk, the builder graph, the suppressions or any rule
 * reads: the new diagnostics are the old ones with every offset after the edited lines moved by
 * the length difference. Anything else is linted in full. The differential test
 * (test/engine/incremental.test.ts) compares every answer with a fresh full lint.
 */
import type { Diagnostic } from '../core/diagnostic';
import { identity, isLazyMapped, plainMapped, sliceMapped } from '../core/mapped-string';
import type { Script, SimpleCommand, Stmt, WordPart } from '../shell/ast';
import { parseShell } from '../shell/parser';
import { replayBudgetLeft } from '../shell/values';
import { type Config, LIMITS } from './config';
import { type LintInput, type LintResult, lintIfBuildx, mayContainBuildx, tooLarge } from './lint';

/** The old text's [at, oldEnd) became `oldEnd - at + delta` characters; offsets at or after oldEnd move by delta. */
export interface OffsetShift {
  at: number;
  oldEnd: number;
  delta: number;
}

/** What `update` answers for one version. */
export interface IncrementalUpdate {
  diagnostics: Diagnostic[];
  internalErrors: string[];
  /** The full result when this version was linted in full; null when it was derived from the previous one. */
  result: LintResult | null;
  /** How the offsets moved from the previous version when it was derived; null after a full lint. */
  shift: OffsetShift | null;
}

interface Top {
  start: number;
  end: number;
  inert: boolean;
  /** The command has a here-document: its body follows in the lines after it. */
  heredoc: boolean;
}

interface Index {
  tops: Top[];
  functions: Set<string>;
  budgetLeft: number;
  dialect: 'bash' | 'sh';
  suppressions: boolean;
}

/**
 * Commands whose running changes what the values walk, the graph or the extraction sees: builtins
 * with effects (POSIX special builtins, declarations, readers), the wrappers extraction looks
 * through, and shells that may run a `-c` string.
 */
const NOT_INERT = new Set([
  // POSIX special builtins but `exit` and `times`, which only keep prefix assignments (inert
  // commands have none).
  ...[':', '.', 'break', 'continue', 'eval', 'exec', 'export', 'readonly', 'return', 'set', 'shift', 'trap', 'unset'],
  ...['local', 'declare', 'typeset', 'source', 'read', 'mapfile', 'readarray', 'getopts', 'let', 'printf', 'wait', 'alias', 'unalias', 'shopt', 'builtin', 'enable'],
  ...['sudo', 'env', 'command', 'nohup', 'time', 'nice', 'timeout', 'xargs'],
  ...['sh', 'bash', 'dash', 'ksh', 'ash', 'busybox', 'zsh', 'mksh', 'posh'],
  ...['docker', 'buildx', 'docker-buildx', 'podman', 'nerdctl'],
]);

const ALLOWED_KINDS = new Set(['simple', 'pipeline', 'andor', 'lit', 'sq', 'ansic', 'esc', 'dq', 'param', 'cmdsubst', 'procsubst']);
const REFERENCE = /\$\{?[#!]?([A-Za-z_][A-Za-z0-9_]*)/g;
/** Text that rules the fast path out wherever it appears in the edited lines. */
const RISKY_TEXT = /kbx-lint|docker|buildx|<<|\(\(|\$\{[^}\n]*=/;

function literalName(parts: WordPart[]): string | null {
  let s = '';
  for (const p of parts) {
    if (p.kind !== 'lit' && p.kind !== 'sq' && p.kind !== 'esc') return null;
    s += p.value.text;
  }
  return s;
}

/** Every node reachable from a statement, iteratively; getters (lazy parts) are not followed. */
function inert(stmt: Stmt, functions: Set<string>): boolean {
  if (stmt.background || stmt.redirects.length) return false;
  const stack: unknown[] = [stmt.command];
  const seen = new Set<object>();
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    const kind = (v as { kind?: unknown }).kind;
    if (typeof kind === 'string') {
      if (!ALLOWED_KINDS.has(kind)) return false;
      if (kind === 'simple') {
        const c = v as SimpleCommand;
        if (c.assigns.length) return false;
        for (const r of c.redirects) if (r.heredoc) return false;
        if (c.words.length) {
          const name = literalName(c.words[0].parts);
          if (name === null) return false;
          const base = name.slice(name.lastIndexOf('/') + 1);
          if (NOT_INERT.has(base) || functions.has(name) || functions.has(base)) return false;
        }
        // Lazily parsed words are flat (no substitutions): their parts need no visit.
        for (const w of c.words) stack.push(w.parts);
        for (const r of c.redirects) if (r.target) stack.push(r.target.parts);
        continue;
      }
    }
    for (const key of Object.keys(v)) stack.push((v as Record<string, unknown>)[key]);
  }
  return true;
}

/** Names of every function the script defines, at any depth. */
function functionNames(script: Script): Set<string> {
  const names = new Set<string>();
  const stack: unknown[] = [script.stmts];
  const seen = new Set<object>();
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    if ((v as { kind?: unknown }).kind === 'function') names.add((v as { name: string }).name);
    for (const key of Object.keys(v)) stack.push((v as Record<string, unknown>)[key]);
  }
  return names;
}

function topsOf(script: Script, text: string, functions: Set<string>): Top[] {
  return script.stmts.map((s) => ({ start: s.span.start, end: s.span.end, inert: inert(s, functions), heredoc: text.slice(s.span.start, s.span.end).includes('<<') }));
}

function references(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(REFERENCE)) out.set(m[1], (out.get(m[1]) ?? 0) + 1);
  return out;
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, n] of a) if (b.get(k) !== n) return false;
  return true;
}

/**
 * A suppression comment on its own line applies to the next line that is neither blank nor a
 * comment: the edited lines must keep their number and which of them are blank or comments.
 */
function sameLineShapes(a: string, b: string): boolean {
  const x = a.split('\n');
  const y = b.split('\n');
  return x.length === y.length && x.every((line, i) => SKIPPED_LINE.test(line) === SKIPPED_LINE.test(y[i]));
}
const SKIPPED_LINE = /^\s*(#.*)?$/;

/** The index of a fully linted text, or null when its edits are never derived. */
function indexOf(result: LintResult, text: string): Index | null {
  const m = result.model;
  if (m.host !== 'shell' || m.regions.length !== 1 || m.hostProblems.length || m.syntaxErrors.length || result.internalErrors.length) return null;
  const { region, script } = m.regions[0];
  if (region.source.text !== text || script.errors.length) return null;
  const budgetLeft = replayBudgetLeft(script);
  if (budgetLeft === undefined || budgetLeft <= 0) return null;
  const functions = functionNames(script);
  return { tops: topsOf(script, text, functions), functions, budgetLeft, dialect: region.dialect === 'sh' ? 'sh' : 'bash', suppressions: text.includes('kbx-lint') };
}

/** The first top-level command whose end is after `offset`. */
function firstEndingAfter(tops: Top[], offset: number): number {
  let lo = 0;
  let hi = tops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tops[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lineStart(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** Just past the newline at or after `offset` (the text's end when there is none). */
function lineEnd(text: string, offset: number): number {
  const k = text.indexOf('\n', offset);
  return k < 0 ? text.length : k + 1;
}

/** shiftOffset moves one offset; NaN when it lies strictly inside the replaced range. */
export function shiftOffset(x: number, s: OffsetShift): number {
  if (x <= s.at) return x;
  if (x >= s.oldEnd) return x + s.delta;
  return Number.NaN;
}

/**
 * shiftOffsets copies plain data (diagnostics, the language server's view of a model) with every
 * offset moved by `s`: the `start`/`end` of spans, the `starts`/`ends`/`endOffset` of mapped
 * strings. Shared references stay shared; iterative. Null when an offset lies inside the replaced
 * range (the data concerns the edited text).
 */
export function shiftOffsets<T>(root: T, s: OffsetShift): T | null {
  const copies = new Map<object, unknown>();
  const stack: [object, object][] = [];
  let inside = false;
  const move = (x: number): number => {
    const y = shiftOffset(x, s);
    if (Number.isNaN(y)) inside = true;
    return y;
  };
  const moveArray = (a: Int32Array): Int32Array => {
    const out = new Int32Array(a.length);
    for (let i = 0; i < a.length; i++) out[i] = move(a[i]);
    return out;
  };
  const copyOf = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const known = copies.get(v);
    if (known !== undefined) return known;
    if (isLazyMapped(v)) v = plainMapped(v as Parameters<typeof plainMapped>[0]);
    if (ArrayBuffer.isView(v) || v instanceof RegExp || v instanceof Date) return v;
    const o = v as Record<string, unknown>;
    if (typeof o.text === 'string' && o.starts instanceof Int32Array && o.ends instanceof Int32Array && typeof o.endOffset === 'number') {
      const c = { ...o, starts: moveArray(o.starts), ends: moveArray(o.ends), endOffset: move(o.endOffset) };
      copies.set(v as object, c);
      return c;
    }
    const out: object = Array.isArray(v) ? new Array(v.length) : v instanceof Map ? new Map() : v instanceof Set ? new Set() : {};
    copies.set(v as object, out);
    stack.push([v as object, out]);
    return out;
  };
  const top = copyOf(root);
  while (stack.length) {
    const [from, to] = stack.pop()!;
    if (Array.isArray(from)) {
      for (let i = 0; i < from.length; i++) (to as unknown[])[i] = copyOf(from[i]);
    } else if (from instanceof Map) {
      for (const [k, v] of from) (to as Map<unknown, unknown>).set(copyOf(k), copyOf(v));
    } else if (from instanceof Set) {
      for (const v of from) (to as Set<unknown>).add(copyOf(v));
    } else {
      const o = from as Record<string, unknown>;
      const span = typeof o.start === 'number' && typeof o.end === 'number';
      for (const key of Object.keys(o)) {
        const value = o[key];
        (to as Record<string, unknown>)[key] = span && (key === 'start' || key === 'end') ? move(value as number) : copyOf(value);
      }
    }
    if (inside) return null;
  }
  return inside ? null : (top as T);
}

export class IncrementalLint {
  private text: string | null = null;
  private configKey = '';
  private fileName = '';
  private languageId: LintInput['languageId'];
  private diagnostics: Diagnostic[] = [];
  private internalErrors: string[] = [];
  private index: Index | null = null;
  /** How many versions were derived and how many linted in full (for tests and logs). */
  readonly stats = { derived: 0, full: 0 };

  constructor(private readonly full: (input: LintInput, config: Config) => LintResult = lintIfBuildx) {}

  /** `beforeFull` runs just before a full lint: a caller drops what it keeps of older versions, so two models are never alive at once. */
  update(input: LintInput, config: Config, beforeFull?: () => void): IncrementalUpdate {
    const key = JSON.stringify(config);
    if (this.text !== null && this.index && key === this.configKey && input.fileName === this.fileName && input.languageId === this.languageId) {
      const derived = this.derive(input.text, config);
      if (derived) {
        this.stats.derived++;
        return derived;
      }
    }
    this.stats.full++;
    beforeFull?.();
    const result = this.full(input, config);
    this.text = input.text;
    this.configKey = key;
    this.fileName = input.fileName;
    this.languageId = input.languageId;
    this.diagnostics = result.diagnostics;
    this.internalErrors = result.internalErrors;
    this.index = result.model.regions.length && mayContainBuildx(input.text, input.fileName, input.languageId) ? indexOf(result, input.text) : null;
    return { diagnostics: result.diagnostics, internalErrors: result.internalErrors, result, shift: null };
  }

  /** The new version's answer from the previous one, or null when the edit needs a full lint. */
  private derive(text: string, config: Config): IncrementalUpdate | null {
    const old = this.text!;
    const index = this.index!;
    if (text === old) return { diagnostics: this.diagnostics, internalErrors: this.internalErrors, result: null, shift: { at: 0, oldEnd: 0, delta: 0 } };
    const limits = { ...LIMITS, ...config.limits };
    const min = Math.min(old.length, text.length);
    let p = 0;
    while (p < min && old.charCodeAt(p) === text.charCodeAt(p)) p++;
    let s = 0;
    while (s < min - p && old.charCodeAt(old.length - 1 - s) === text.charCodeAt(text.length - 1 - s)) s++;
    const delta = text.length - old.length;
    const changedEnd = old.length - s;
    let at = lineStart(old, p);
    // The newline that ends the window lies in the common tail, so the new text has it too.
    let oldEnd = lineEnd(old, changedEnd);
    // Grow the window over every top-level command it touches, whole lines.
    const tops = index.tops;
    let first = firstEndingAfter(tops, at);
    let last = first;
    for (;;) {
      last = first;
      while (last < tops.length && tops[last].start < oldEnd) last++;
      let grown = false;
      for (let k = first; k < last; k++) {
        if (!tops[k].inert) return null;
        const a = lineStart(old, tops[k].start);
        const b = lineEnd(old, Math.max(tops[k].start, tops[k].end - 1));
        if (a < at) {
          at = a;
          grown = true;
        }
        if (b > oldEnd) {
          oldEnd = b;
          grown = true;
        }
      }
      if (!grown) break;
      first = firstEndingAfter(tops, at);
    }
    // The first line names the dialect; a here-document's body lies in the lines after its command.
    if (at === 0 || (first > 0 && tops[first - 1].heredoc)) return null;
    const newEnd = oldEnd + delta;
    if (newEnd < at) return null;
    const before = old.slice(at, oldEnd);
    const after = text.slice(at, newEnd);
    if (RISKY_TEXT.test(before) || RISKY_TEXT.test(after)) return null;
    if (/\\\r?\n$/.test(after) || (newEnd < text.length && !after.endsWith('\n'))) return null;
    if (!sameCounts(references(before), references(after))) return null;
    if (index.suppressions && !sameLineShapes(before, after)) return null;
    if (index.budgetLeft + 4 * delta <= 0 || after.length >= limits.maxWordLength) return null;
    if (tooLarge(text, limits) || !mayContainBuildx(text, this.fileName, this.languageId)) return null;
    const script = parseShell(sliceMapped(identity(text), at, newEnd), { dialect: index.dialect });
    if (script.errors.length) return null;
    const fresh = topsOf(script, text, index.functions);
    if (fresh.some((t) => !t.inert || t.heredoc)) return null;
    const shift: OffsetShift = { at, oldEnd, delta };
    const diagnostics = shiftOffsets(this.diagnostics, shift);
    if (!diagnostics) return null;
    const moved: Top[] = tops.slice(0, first);
    for (const t of fresh) moved.push(t);
    for (let k = last; k < tops.length; k++) moved.push({ ...tops[k], start: tops[k].start + delta, end: tops[k].end + delta });
    this.index = { ...index, tops: moved, budgetLeft: index.budgetLeft + 4 * delta };
    this.text = text;
    this.diagnostics = diagnostics;
    return { diagnostics, internalErrors: this.internalErrors, result: null, shift };
  }
}
