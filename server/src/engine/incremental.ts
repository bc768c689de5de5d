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
 *     no arithmetic, no `${X:=d}`, and no `docker`, `buildx`, `kbx-lint` or `BUILDKIT_HOST` in
 *     the text; or a function definition whose body is inert and whose name, number of
 *     commands and reads of positional parameters stay the same (its callers run the same); or
 *     inert but for assignments (`ARGS=(…)`, `git fetch && V="$(git describe)"`, `export K=v`)
 *     whose changed names nothing else may read: no identifier outside the inert commands (a
 *     builtin, a function, a here-document body, a comment may name a variable in any way) and no
 *     `$NAME` of another assignment is one of them, the file has no `${!X}`, and none is a name
 *     the shell or buildx reads unnamed (IFS, BUILDX_*, DOCKER_*…). When the edited lines keep
 *     the same assignments of the same names, the changed names are those whose assignment text
 *     changed and those whose value reads one of them; a value's read of its own name
 *     (`K="${K:-d}"`) reads the value before it and is no read of the new one;
 *   - the new lines parse alone without errors and end where a command ends (no continuation),
 *     so the rest of the file parses as before; the references to `$NAME` are the same ones (fixes
 *     depend on how often a value is read); the wrapper-replay budget, which grows with the length
 *     of the file, never ran out; when the file has suppression comments, the lines keep their
 *     number and which of them are blank or comments (a comment applies to the next line that is
 *     neither).
 *
 * Such an edit changes nothing the values walk, the builder graph, the suppressions or any rule
 * reads: the new diagnostics are the old ones with every offset after the edited lines moved by
 * the length difference.
 *
 * An edit that keeps the length, inside one top-level command that only runs a program (`docker
 * buildx build …`, on lines of its own, its words only quotes, escapes and `$NAME`s, the same
 * `$NAME`s after the edit) is *spliced* (`splice`): that command alone is parsed and extracted
 * again with the values its previous reading found (extract/invocation.ts `valueReadsOf`), put in
 * place of the old one in the syntax tree and the invocations, and the rest of the lint (create and
 * build models, the builder graph, every rule, suppressions) runs on that model (`lintModel`).
 * When the builder graph reads the same of the old and new build or create (`graphInput`,
 * `createGraphInput`) the graph is kept too; otherwise its walk is resumed at the edited statement
 * (graph/walk.ts `resumeBuilderGraph`: the statements that read nothing the edit changed are
 * replayed, not walked). Such a command sets no variable and calls no function,
 * so nothing the values walk gives any other command changes.
 *
 * Anything else is linted in full (`stats.fullBecause` counts why). The differential test
 * (test/engine/incremental.test.ts) compares every answer with a fresh full lint.
 */
import type { Diagnostic } from '../core/diagnostic';
import { DYNAMIC, identity, isLazyMapped, type MappedString, plainMapped, spanOf } from '../core/mapped-string';
import type { FileModel } from '../buildx/model';
import { builderGraphOf, rememberBuilderGraph } from '../buildx/builder-graph';
import { recordingWalks, resumeBuilderGraph } from '../buildx/graph/walk';
import { type BuildModel, buildBuildModels, buildCreateModels, type CreateModel } from '../buildx/model';
import { commandCost, extractAgain, type FlagOccurrence, type Invocation, valueReadsOf } from '../extract/invocation';
import type { Script, SimpleCommand, Stmt, WordPart } from '../shell/ast';
import { parseShell } from '../shell/parser';
import { LazyWord } from '../shell/slice';
import { replayBudgetLeft } from '../shell/values';
import { type Config, LIMITS } from './config';
import { forgetCreateIndex } from '../rules/fix-support';
import { capLargeWords, capLongWords } from './limits';
import { type LintInput, type LintResult, lintIfBuildx, lintModel, mayContainBuildx, tooLarge } from './lint';

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
  /** Why the command is not inert (see notInert). */
  why: string | null;
  /**
   * When the command is inert but for assignments: the names it assigns, those its values read
   * (but a value's read of its own name), and each assignment's name and text in order.
   */
  assigns: { names: string[]; reads: string[]; items: { name: string; text: string }[] } | null;
  /** A function definition whose body is inert: its name, replayed commands and positional reads (inertFunction). */
  defines: string | null;
  /** The command has a here-document: its body follows in the lines after it. */
  heredoc: boolean;
  /** Its syntax tree, whose offsets are those of the text while no edit changed the length. */
  stmt: Stmt;
}

interface Index {
  tops: Top[];
  /** How often each name may be read outside the inert commands (see countReads). */
  reads: Map<string, number>;
  /** The text has a `${!X}` (a read of a variable it does not name). */
  indirect: boolean;
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
/**
 * Text that rules the fast path out wherever it appears in the edited lines. `BUILDKIT_HOST`
 * anywhere in the file (a comment too) may supply a remote builder's endpoint (KBX421).
 */
const RISKY_TEXT = /kbx-lint|docker|buildx|BUILDKIT_HOST|<<|\(\(|\$\{[^}\n]*=/;

function isMappedString(v: object): boolean {
  return isLazyMapped(v) || (typeof (v as { text?: unknown }).text === 'string' && typeof (v as { endOffset?: unknown }).endOffset === 'number');
}

function literalName(parts: WordPart[]): string | null {
  let s = '';
  for (const p of parts) {
    if (p.kind !== 'lit' && p.kind !== 'sq' && p.kind !== 'esc') return null;
    s += p.value.text;
  }
  return s;
}

/**
 * Why a statement is not inert (a node kind, a command name, `assignment`…), or null when it is.
 * With `assigned`, assignments are allowed and their names collected: the statement is then
 * inert but for what it assigns (`ARGS=(…)`, `git fetch && VERSION="$(git describe)"`).
 * Every node reachable from it is visited, iteratively; getters (lazy parts) are not followed.
 */
function notInert(stmt: Stmt, functions: Set<string>, assigned?: Assigned): string | null {
  if (stmt.background || stmt.redirects.length) return 'background-or-redirect';
  return notInertNodes([stmt.command], functions, ALLOWED_KINDS, assigned);
}

/** What an assignment-only command assigns: each assignment (or `export` word) by name and extent, in order. */
interface Assigned {
  text: string;
  items: { name: string; start: number; end: number }[];
}

/** A word of `export` that only names or assigns a variable (`NAME`, `NAME=value`): no option, no quoted name. */
const EXPORT_WORD = /^([A-Za-z_][A-Za-z0-9_]*)(?:=|$)/;

/** Kinds a function body may hold besides those of ALLOWED_KINDS: groups of inert commands. */
const BODY_KINDS = new Set([...ALLOWED_KINDS, 'brace', 'subshell']);

function notInertNodes(roots: unknown[], functions: Set<string>, allowed: Set<string>, assigned?: Assigned, refused: Set<string> = NOT_INERT): string | null {
  const stack: unknown[] = roots.slice();
  const seen = new Set<object>();
  while (stack.length) {
    const v = stack.pop();
    // Flat words, mapped strings and typed arrays (their offset maps) hold no statements: not walked.
    if (v === null || typeof v !== 'object' || seen.has(v) || v instanceof LazyWord || ArrayBuffer.isView(v) || isMappedString(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    const kind = (v as { kind?: unknown }).kind;
    if (typeof kind === 'string') {
      if (!allowed.has(kind)) return kind;
      if (kind === 'simple') {
        const c = v as SimpleCommand;
        if (c.assigns.length) {
          if (!assigned) return 'assignment';
          for (const x of c.assigns) {
            assigned.items.push({ name: x.name, start: x.span.start, end: x.span.end });
            if (x.value) stack.push(x.value.parts);
            if (x.array) for (const w of x.array) stack.push(w.parts);
          }
        }
        for (const r of c.redirects) if (r.heredoc) return 'heredoc';
        if (c.words.length) {
          const name = literalName(c.words[0].parts);
          if (name === null) return 'dynamic-name';
          const base = name.slice(name.lastIndexOf('/') + 1);
          if (name === 'export' && assigned && !functions.has(name)) {
            // `export NAME=value…` assigns as `NAME=value` does (and marks the name exported,
            // which only what runs after it with the name in its text can see).
            if (c.words.length === 1) return 'export';
            for (let i = 1; i < c.words.length; i++) {
              const w = c.words[i];
              const m = EXPORT_WORD.exec(assigned.text.slice(w.span.start, w.span.end));
              if (!m) return 'export';
              assigned.items.push({ name: m[1], start: w.span.start, end: w.span.end });
              if (!(w instanceof LazyWord)) stack.push(w.parts);
            }
            for (const r of c.redirects) if (r.target) stack.push(r.target.parts);
            continue;
          }
          if (refused.has(base)) return base;
          if (functions.has(name) || functions.has(base)) return 'function-call';
        }
        // Lazily parsed words are flat (literals, quotes, `$NAME`; shell/slice.ts): nothing in
        // them can make a command more than inert, and reading their parts would parse them.
        for (const w of c.words) if (!(w instanceof LazyWord)) stack.push(w.parts);
        for (const r of c.redirects) if (r.target) stack.push(r.target.parts);
        continue;
      }
    }
    for (const key of Object.keys(v)) stack.push((v as Record<string, unknown>)[key]);
  }
  return null;
}

/** Calls `visit` on every syntax node under `root` (objects, not the arrays that hold them), each once. */
function eachNode(root: unknown, visit: (node: { kind?: unknown }) => void): void {
  const stack: unknown[] = [root];
  const seen = new Set<object>();
  while (stack.length) {
    const v = stack.pop();
    // Flat words, mapped strings and typed arrays (their offset maps) hold no statements: not walked.
    if (v === null || typeof v !== 'object' || seen.has(v) || v instanceof LazyWord || ArrayBuffer.isView(v) || isMappedString(v)) continue;
    seen.add(v);
    if (!Array.isArray(v)) visit(v as { kind?: unknown });
    for (const x of Array.isArray(v) ? v : Object.values(v)) stack.push(x);
  }
}

/** Names of every function the script defines, at any depth. */
function functionNames(script: Script): Set<string> {
  const names = new Set<string>();
  eachNode(script.stmts, (n) => {
    if (n.kind === 'function') names.add((n as { name: string }).name);
  });
  return names;
}

/**
 * What a function definition's body does when called, when that is nothing but inert commands
 * (no assignment, no call of a function of the file): its name, how many simple commands a call
 * replays (the wrapper-replay budget counts them) and how often it reads the positional
 * parameters (a body that reads them is replayed at each call).
 */
function inertFunction(s: Stmt, own: string, functions: Set<string>): string | null {
  const c = s.command;
  if (c.kind !== 'function' || s.background || s.redirects.length) return null;
  if (notInertNodes([c.body], functions, BODY_KINDS) !== null) return null;
  let simple = 0;
  eachNode(c.body, (n) => {
    if (n.kind === 'simple') simple++;
  });
  return `${c.name}:${simple}:${own.match(POSITIONAL)?.length ?? 0}`;
}
const POSITIONAL = /\$\{?[@*#0-9]/g;

/**
 * Builtins whose effects in a function body end with the body when the values walk reads it at
 * its definition (shell/values.ts: the variables it sets are undone at `fnEnd`, the positional
 * parameters are its own): in the body of a function nothing calls, they change nothing outside it.
 */
const BODY_SCOPED = new Set(['printf', 'read', 'mapfile', 'readarray', 'local', 'declare', 'typeset', 'let', 'export', 'readonly', 'shift', 'getopts', 'return', 'break', 'continue', 'wait', ':']);
const NOT_INERT_IN_UNCALLED = new Set([...NOT_INERT].filter((name) => !BODY_SCOPED.has(name)));
/** Kinds an uncalled function's body may hold: compound commands of inert commands, no nested definition. */
const UNCALLED_KINDS = new Set([...BODY_KINDS, 'if', 'while', 'until', 'for', 'case', 'test']);
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * A function definition that nothing in the file calls (its name appears in the text only as the
 * name of definitions) whose body, read at its definition, can make no invocation and change
 * nothing after it: no call of a function of the file, no wrapper, shell, `eval`, `trap`, `set`
 * or nested definition (builtins whose effects the body's reading undoes are allowed). Its body's
 * text then matters to nothing: `name:uncalled`, else null. A call can only appear through an
 * edit of a command that is not inert (a call, `eval`, a dynamic name) or of an assignment such a
 * command reads: both are linted in full.
 */
function uncalledFunction(s: Stmt, text: string, functions: Set<string>, calls: Map<string, boolean>): string | null {
  const c = s.command;
  if (c.kind !== 'function' || s.background || !SHELL_NAME.test(c.name)) return null;
  let called = calls.get(c.name);
  if (called === undefined) {
    // Every occurrence of the name as a word, against those that name a definition (`name()`, `function name`).
    const word = `(?<![A-Za-z0-9_.:/-])${c.name}(?![A-Za-z0-9_.:/-])`;
    const all = text.match(new RegExp(word, 'g'))?.length ?? 0;
    const defs = text.match(new RegExp(String.raw`(?:^|[\n;&|({}])[ \t]*${word}(?=[ \t]*\([ \t]*\))|\bfunction[ \t]+${word}`, 'g'))?.length ?? 0;
    called = all !== defs;
    calls.set(c.name, called);
  }
  if (called) return null;
  if (notInertNodes([c.body], functions, UNCALLED_KINDS, undefined, NOT_INERT_IN_UNCALLED) !== null) return null;
  return `${c.name}:uncalled`;
}

function topsOf(script: Script, text: string, functions: Set<string>): Top[] {
  const calls = new Map<string, boolean>();
  return script.stmts.map((s) => {
    let why = notInert(s, functions);
    const own = text.slice(s.span.start, s.span.end);
    let assigns: Top['assigns'] = null;
    let defines: string | null = null;
    if (why === 'assignment' || why === 'export') {
      const found: Assigned = { text, items: [] };
      if (notInert(s, functions, found) === null) {
        const reads = references(own);
        // `X="${X:-d}"` reads X before it assigns it: the read is of the X before the command.
        for (const item of found.items) {
          const self = references(text.slice(item.start, item.end)).get(item.name) ?? 0;
          if (self) reads.set(item.name, (reads.get(item.name) ?? 0) - self);
        }
        // Tops outlive the version they were read from: substrings of its text would keep it alive.
        const items = found.items.map((x) => ({ name: ownString(x.name), text: ownString(text.slice(x.start, x.end)) }));
        assigns = { names: [...new Set(items.map((x) => x.name))], reads: [...reads].flatMap(([name, n]) => Array<string>(Math.max(0, n)).fill(ownString(name))), items };
      }
    } else if (why === 'function') {
      defines = uncalledFunction(s, text, functions, calls) ?? inertFunction(s, own, functions);
      if (defines) why = null;
    }
    return { start: s.span.start, end: s.span.end, inert: why === null, why, assigns, defines, heredoc: own.includes('<<'), stmt: s };
  });
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;
/** Variables whose value the shell or buildx reads without the script naming them. */
const SPECIAL_NAME = /^(?:IFS|PATH|ENV|CDPATH|GLOBIGNORE|POSIXLY_CORRECT|SHELLOPTS|BASHOPTS|OPTIND|OPTARG|BASH\w*|BUILDX\w*|BUILDKIT\w*|DOCKER\w*|KBX\w*)$/;

/**
 * Which names may be read in [start, end) of `text`, counted into `into` with `sign`: every
 * identifier outside the inert commands and the assignment-only commands `tops[from..to)` (a
 * builtin, a function, a here-document body or a comment may name a variable in any way), and the
 * `$NAME` references of those assignment-only commands' values.
 */
function countReads(into: Map<string, number>, sign: number, text: string, start: number, end: number, tops: Top[], from: number, to: number): void {
  const add = (name: string) => into.set(name, (into.get(name) ?? 0) + sign);
  let p = start;
  const scan = (a: number, b: number) => {
    if (b > a) for (const m of text.slice(a, b).matchAll(IDENTIFIER)) add(m[0]);
  };
  for (let k = from; k < to; k++) {
    const t = tops[k];
    if (!t.inert && !t.assigns) continue;
    scan(p, t.start);
    if (t.assigns) for (const name of t.assigns.reads) add(name);
    p = t.end;
  }
  scan(p, end);
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

/**
 * The names whose value an edit of assignment-only commands may change: with the same assignments
 * of the same names in the same order, those whose text changed and those whose value reads one of
 * them; otherwise every name assigned before or after.
 */
function changedNames(before: { name: string; text: string }[], after: { name: string; text: string }[]): Set<string> {
  const changed = new Set<string>();
  if (before.length !== after.length || before.some((x, i) => x.name !== after[i].name)) {
    for (const x of [...before, ...after]) changed.add(x.name);
    return changed;
  }
  for (let i = 0; i < before.length; i++) if (before[i].text !== after[i].text) changed.add(before[i].name);
  for (let grown = changed.size > 0; grown; ) {
    grown = false;
    for (const x of [...before, ...after]) {
      if (changed.has(x.name)) continue;
      for (const name of references(x.text).keys()) {
        if (changed.has(name)) {
          changed.add(x.name);
          grown = true;
          break;
        }
      }
    }
  }
  return changed;
}

/** The index of a fully linted text, or null when its edits are never derived. */
function indexOf(result: LintResult, text: string): Index | null {
  const m = result.model;
  if (m.host !== 'shell' || m.regions.length !== 1 || m.hostProblems.length || m.syntaxErrors.length || result.internalErrors.length) return null;
  const { region, script } = m.regions[0];
  if (region.source.text !== text || script.errors.length) return null;
  const budgetLeft = replayBudgetLeft(script);
  if (budgetLeft === undefined || budgetLeft <= 0) return null;
  const functions = functionNames(script);
  const tops = topsOf(script, text, functions);
  const reads = new Map<string, number>();
  countReads(reads, 1, text, 0, text.length, tops, 0, tops.length);
  return { tops, reads, indirect: text.includes('${!'), functions, budgetLeft, dialect: region.dialect === 'sh' ? 'sh' : 'bash', suppressions: text.includes('kbx-lint') };
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

/** What a `copyGraph` hook answers when it leaves a value to the ordinary copy. */
export const ORDINARY: unique symbol = Symbol('ordinary copy');

export interface CopyHooks {
  /** A node's own copy (a typed array, a mapped string), or ORDINARY. Called once per node; the answer is shared like any copy. */
  node?(v: object): unknown;
  /** The copy of one field of a plain object, or ORDINARY to copy the value as usual. */
  field?(from: Record<string, unknown>, key: string, value: unknown): unknown;
  /** Fields, map entries and array elements left out (an element becomes undefined). */
  omit?(key: string | null, value: unknown): boolean;
  /** Checked after each node: true abandons the copy, which then answers null. */
  stop?(): boolean;
}

/**
 * copyGraph copies plain data (objects, arrays, maps, sets) keeping shared references shared,
 * with an explicit stack so that no input can make it recurse deep. Both copies the language
 * server makes of a model (the view without the engine's parts, and the view with offsets moved)
 * are this walk with different hooks. Typed arrays, regular expressions and dates are shared
 * unless `node` copies them; a lazily mapped string becomes a plain one first.
 */
export function copyGraph<T>(root: T, hooks: CopyHooks): T | null {
  const copies = new Map<object, unknown>();
  const stack: [object, object][] = [];
  const copyOf = (original: unknown): unknown => {
    if (original === null || typeof original !== 'object') return original;
    const known = copies.get(original);
    if (known !== undefined) return known;
    const v: object = isLazyMapped(original) ? plainMapped(original) : original;
    const own = hooks.node ? hooks.node(v) : ORDINARY;
    if (own !== ORDINARY) {
      copies.set(original, own);
      return own;
    }
    if (ArrayBuffer.isView(v) || v instanceof RegExp || v instanceof Date) return v;
    const out: object = Array.isArray(v) ? new Array(v.length) : v instanceof Map ? new Map() : v instanceof Set ? new Set() : {};
    copies.set(original, out);
    stack.push([v, out]);
    return out;
  };
  const omit = hooks.omit ?? (() => false);
  const top = copyOf(root);
  while (stack.length) {
    const [from, to] = stack.pop()!;
    if (Array.isArray(from)) {
      for (let i = 0; i < from.length; i++) (to as unknown[])[i] = omit(null, from[i]) ? undefined : copyOf(from[i]);
    } else if (from instanceof Map) {
      for (const [k, v] of from) if (!omit(null, v)) (to as Map<unknown, unknown>).set(copyOf(k), copyOf(v));
    } else if (from instanceof Set) {
      for (const v of from) (to as Set<unknown>).add(copyOf(v));
    } else {
      const o = from as Record<string, unknown>;
      for (const key of Object.keys(o)) {
        const value = o[key];
        if (omit(key, value)) continue;
        const own = hooks.field ? hooks.field(o, key, value) : ORDINARY;
        (to as Record<string, unknown>)[key] = own === ORDINARY ? copyOf(value) : own;
      }
    }
    if (hooks.stop?.()) return null;
  }
  return hooks.stop?.() ? null : (top as T);
}

/**
 * shiftOffsets copies plain data (diagnostics, the language server's view of a model) with every
 * offset moved by `s`: the `start`/`end` of spans, the `starts`/`ends`/`endOffset` of mapped
 * strings. Shared references stay shared. Null when an offset lies inside the replaced range (the
 * data concerns the edited text).
 */
export function shiftOffsets<T>(root: T, s: OffsetShift): T | null {
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
  return copyGraph(root, {
    node(v) {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string' && o.starts instanceof Int32Array && o.ends instanceof Int32Array && typeof o.endOffset === 'number') {
        return { ...o, starts: moveArray(o.starts), ends: moveArray(o.ends), endOffset: move(o.endOffset) };
      }
      return ORDINARY;
    },
    field(from, key, value) {
      if ((key === 'start' || key === 'end') && typeof from.start === 'number' && typeof from.end === 'number') return move(value as number);
      return ORDINARY;
    },
    stop: () => inside,
  });
}

/**
 * Text that rules a splice out: what runs or reads beyond the command's own words (a here-document,
 * arithmetic, a substitution), a `${X=d}` that assigns, and a brace outside `${…}` (brace
 * expansion shares one budget with the whole file).
 */
const SPLICE_RISKY = /<<|\(\(|\$\(|`|\$\{[^}\n]*=|(?:^|[^$])\{/;
const PROGRAMS = new Set(['docker', 'buildx', 'docker-buildx']);
const SPLICE_PARTS = new Set(['lit', 'sq', 'dq', 'esc', 'ansic', 'param']);

/**
 * Why a top-level statement cannot be spliced, or null: it must be one simple command without
 * assignments or redirections whose program is buildx's, or a literal name the values walk gives
 * no meaning (no builtin, wrapper, shell or function of the file), its words only quotes, escapes
 * and parameter expansions.
 */
function notSpliceable(stmt: Stmt, functions: Set<string>): string | null {
  if (stmt.background || stmt.redirects.length) return 'background-or-redirect';
  const c = stmt.command;
  if (c.kind !== 'simple') return c.kind;
  if (c.assigns.length || c.redirects.length || !c.words.length) return 'assignment-or-redirect';
  const name = literalName(c.words[0].parts);
  if (name === null) return 'dynamic-name';
  const base = name.slice(name.lastIndexOf('/') + 1);
  if (!PROGRAMS.has(base) && (NOT_INERT.has(base) || base === 'exit' || base === 'times' || name.includes('=') || functions.has(name) || functions.has(base))) return 'program';
  const parts: WordPart[] = [];
  for (const w of c.words) if (!(w instanceof LazyWord)) for (const p of w.parts) parts.push(p);
  while (parts.length) {
    const p = parts.pop()!;
    if (!SPLICE_PARTS.has(p.kind)) return p.kind;
    if (p.kind === 'dq') for (const q of p.parts) parts.push(q);
    else if (p.kind === 'param' && p.words) for (const w of p.words) for (const q of w.parts) parts.push(q);
  }
  return null;
}

/**
 * Everything the builder graph reads of a build (buildx/graph/commands.ts `build`, the walk that
 * places it): equal keys meet equal graph facts. Its platforms are not among them: the graph
 * records the build model, whose platforms the rules read when they assign them to nodes
 * (graph/assign.ts), and a kept graph's build model takes the new content in place.
 */
function graphInput(b: BuildModel): string {
  const inv = b.inv;
  const flag = (f: FlagOccurrence | undefined) => (f ? [f.name, f.value?.text ?? null, f.valueSpan?.start ?? null, f.valueSpan?.end ?? null, f.nameSpan.start, f.nameSpan.end] : null);
  return JSON.stringify([
    inv.span.start,
    inv.span.end,
    inv.program,
    inv.command,
    inv.forwardedByDockerCli,
    inv.hidden ?? null,
    flag(b.builderFlag),
    inv.env.map((e) => [e.name, e.value?.text ?? null, e.span.start, e.span.end]),
    inv.globalFlags.map(flag),
  ]);
}

/** JSON with each mapped string as its text and span. */
function keyOf(v: unknown): string {
  return JSON.stringify(v, (_key, x) => {
    if (x === null || typeof x !== 'object' || !isMappedString(x)) return x;
    const sp = spanOf(x as MappedString);
    return [(x as MappedString).text, sp.start, sp.end];
  });
}

/**
 * Everything the builder graph reads of a create (buildx/graph/commands.ts `create` and the
 * functions it calls, the walk that places it): equal keys meet equal graph facts.
 */
function createGraphInput(c: CreateModel): string {
  const inv = c.inv;
  const flag = (f: FlagOccurrence | undefined) => (f ? [f.name, f.value, f.valueSpan, f.nameSpan, f.valueArg?.mayVary ?? null, f.bool ?? null] : null);
  const opts = c.driverOpts;
  return keyOf([
    inv.span,
    inv.program,
    inv.command,
    inv.hidden ?? null,
    inv.env.map((e) => [e.name, e.value, e.span]),
    inv.globalFlags.map(flag),
    flag(c.name),
    c.nameValue,
    flag(c.driverFlag),
    c.driver,
    c.driverSource,
    flag(c.node),
    c.nodeValue,
    c.append ?? null,
    c.leave ?? null,
    c.use ?? null,
    c.endpoint ? [c.endpoint.static, c.endpoint.value, c.endpoint.span] : null,
    c.platformFlags.map(flag),
    c.platforms,
    c.driverOptFlags.map((f) => [!f.value, f.value?.text.includes(DYNAMIC) ?? null, f.valueArg?.mayVary ?? null]),
    opts === null,
    opts?.effective.get('qemu.install') ?? null,
    opts?.kubernetes?.nodeSelector ?? null,
  ]);
}

/**
 * The model of `inv` in place of `creates[k]`, as buildCreateModels makes it after the creates
 * before it: of those, only the first to give the name a driver is read (it remembers the driver
 * of a name already made), and that one's driver owes nothing to the creates before it.
 */
function freshCreate(creates: CreateModel[], k: number, inv: Invocation): CreateModel {
  const alone = buildCreateModels([inv])[0];
  const name = alone.nameValue?.toLowerCase();
  if (!name || alone.driverFlag) return alone;
  const first = creates.slice(0, k).find((c) => c.driver && c.nameValue?.toLowerCase() === name);
  return first ? buildCreateModels([first.inv, inv])[1] : alone;
}

/**
 * The create models after one create's invocation became `inv`: the old models of the others,
 * unless a later create without --driver has the old or new name (its driver may come from the
 * edited one), which buildCreateModels then makes again for all.
 */
function splicedCreates(creates: CreateModel[], oldInv: Invocation, inv: Invocation, invocations: Invocation[]): CreateModel[] {
  const k = creates.findIndex((m) => m.inv === oldInv);
  if (k < 0) return buildCreateModels(invocations);
  const fresh = freshCreate(creates, k, inv);
  const names = new Set([creates[k].nameValue?.toLowerCase(), fresh.nameValue?.toLowerCase()]);
  for (let j = k + 1; j < creates.length; j++) {
    const c = creates[j];
    if (!c.driverFlag && c.nameValue !== null && names.has(c.nameValue.toLowerCase())) return buildCreateModels(invocations);
  }
  const out = creates.slice();
  out[k] = fresh;
  return out;
}

/** A copy of `s` that points into no other string (V8 keeps the parent of a long slice alive). */
function ownString(s: string): string {
  return JSON.parse(JSON.stringify(s));
}

/**
 * The lines [from, to) of `text` to parse alone, mapped to their offsets in it. The tree read from
 * them is kept in the index across versions: a slice of the whole text would keep every version's
 * text alive (V8 slices point into their parent), so the lines are copied to a string of their own.
 */
function windowSource(text: string, from: number, to: number): MappedString {
  const own = ownString(text.slice(from, to));
  return identity(own, 0, own.length, from);
}

/** Characters compared at once when looking for the edited range. */
const CHUNK = 1024;

export class IncrementalLint {
  private text: string | null = null;
  private configKey = '';
  private fileName = '';
  private languageId: LintInput['languageId'];
  private diagnostics: Diagnostic[] = [];
  private internalErrors: string[] = [];
  private index: Index | null = null;
  /** How many versions were derived and how many linted in full, and why each full lint was needed (for tests and logs). */
  readonly stats = { derived: 0, spliced: 0, graphKept: 0, graphResumed: 0, full: 0, fullBecause: {} as Record<string, number> };
  /**
   * The model of the latest full or spliced lint. Its commands are read from `index.tops` (derived
   * edits put their re-read commands there), so it stands for the current text as long as no
   * derived edit changed the length (`moved`).
   */
  private model: FileModel | null = null;
  private moved = false;
  /** Why the latest version was linted in full; null when it was derived. */
  lastFullReason: string | null = null;
  private refusal = '';

  private refuse(reason: string): null {
    this.refusal = reason;
    return null;
  }

  constructor(private readonly full: (input: LintInput, config: Config) => LintResult = lintIfBuildx) {}

  /** `beforeFull` runs just before a full lint: a caller drops what it keeps of older versions, so two models are never alive at once. */
  update(input: LintInput, config: Config, beforeFull?: () => void): IncrementalUpdate {
    const key = JSON.stringify(config);
    this.refusal = this.text === null ? 'first' : !this.index ? 'not-derivable' : 'config';
    if (this.text !== null && this.index && key === this.configKey && input.fileName === this.fileName && input.languageId === this.languageId) {
      const derived = this.derive(input.text, config);
      if (derived) {
        this.stats.derived++;
        this.lastFullReason = null;
        return derived;
      }
      if (this.refusal.startsWith('command:') || this.refusal === 'risky-text') {
        // Counted as both reasons: why the edit was not derived, then why it was not spliced.
        const notDerived = this.refusal;
        const spliced = this.splice(input, config);
        this.refusal = `${notDerived}/${this.refusal}`;
        if (spliced) {
          this.stats.spliced++;
          this.lastFullReason = null;
          return { diagnostics: spliced.diagnostics, internalErrors: spliced.internalErrors, result: spliced, shift: null };
        }
      }
    }
    // The index holds the previous syntax tree (its commands' statements): dropped with the model,
    // so the full lint never has two trees alive.
    this.model = null;
    this.index = null;
    this.stats.full++;
    this.lastFullReason = this.refusal;
    this.stats.fullBecause[this.refusal] = (this.stats.fullBecause[this.refusal] ?? 0) + 1;
    beforeFull?.();
    // The builder graph's walk is recorded, so that a later splice can resume it (resumeBuilderGraph).
    const result = recordingWalks(() => this.full(input, config));
    this.text = input.text;
    this.configKey = key;
    this.fileName = input.fileName;
    this.languageId = input.languageId;
    this.diagnostics = result.diagnostics;
    this.internalErrors = result.internalErrors;
    this.index = result.model.regions.length && mayContainBuildx(input.text, input.fileName, input.languageId) ? indexOf(result, input.text) : null;
    this.model = this.index && this.full === lintIfBuildx ? result.model : null;
    this.moved = false;
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
    // Whole chunks first: string comparison is a memory compare, a loop over characters was most
    // of this path's cost in a long file.
    while (p + CHUNK <= min && old.slice(p, p + CHUNK) === text.slice(p, p + CHUNK)) p += CHUNK;
    while (p < min && old.charCodeAt(p) === text.charCodeAt(p)) p++;
    let s = 0;
    while (s + CHUNK <= min - p && old.slice(old.length - s - CHUNK, old.length - s) === text.slice(text.length - s - CHUNK, text.length - s)) s += CHUNK;
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
        if (!tops[k].inert && !tops[k].assigns) return this.refuse(`command:${tops[k].why}`);
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
    if (at === 0 || (first > 0 && tops[first - 1].heredoc)) return this.refuse('first-line-or-heredoc');
    const newEnd = oldEnd + delta;
    if (newEnd < at) return this.refuse('window');
    const before = old.slice(at, oldEnd);
    const after = text.slice(at, newEnd);
    if (RISKY_TEXT.test(before) || RISKY_TEXT.test(after)) return this.refuse('risky-text');
    if (/\\\r?\n$/.test(after) || (newEnd < text.length && !after.endsWith('\n'))) return this.refuse('continuation');
    if (!sameCounts(references(before), references(after))) return this.refuse('references');
    if (index.suppressions && !sameLineShapes(before, after)) return this.refuse('line-shapes');
    if (index.budgetLeft + 4 * delta <= 0 || after.length >= limits.maxWordLength) return this.refuse('budget');
    // The previous text was within the limits and only the edited lines changed.
    if (text.length > limits.maxFileSize || tooLarge(after, limits) || !mayContainBuildx(text, this.fileName, this.languageId)) return this.refuse('limits');
    const script = parseShell(windowSource(text, at, newEnd), { dialect: index.dialect });
    if (script.errors.length) return this.refuse('syntax');
    const fresh = topsOf(script, text, index.functions);
    const bad = fresh.find((t) => (!t.inert && !t.assigns) || t.heredoc);
    if (bad) return this.refuse(`new-command:${bad.why ?? 'heredoc'}`);
    // What the edited lines may read, after the edit; an assignment there must be read by no one.
    const readsDelta = new Map<string, number>();
    countReads(readsDelta, -1, old, at, oldEnd, tops, first, last);
    countReads(readsDelta, 1, text, at, newEnd, fresh, 0, fresh.length);
    // A function defined in the lines stays the same to its callers: same name, commands and positional reads.
    const defined = (list: Top[]) => JSON.stringify(list.filter((t) => t.defines).map((t) => t.defines));
    if (defined(tops.slice(first, last)) !== defined(fresh)) return this.refuse('function-shape');
    const assigned = changedNames(
      tops.slice(first, last).flatMap((t) => t.assigns?.items ?? []),
      fresh.flatMap((t) => t.assigns?.items ?? []),
    );
    if (assigned.size && (index.indirect || after.includes('${!'))) return this.refuse('assignment:indirect');
    for (const name of assigned) {
      if (SPECIAL_NAME.test(name)) return this.refuse('assignment:special');
      if ((index.reads.get(name) ?? 0) + (readsDelta.get(name) ?? 0) > 0) return this.refuse('assignment:read');
    }
    const shift: OffsetShift = { at, oldEnd, delta };
    const diagnostics = shiftOffsets(this.diagnostics, shift);
    if (!diagnostics) return this.refuse('diagnostic-inside');
    // In place: the previous index is dropped, and a copy of every command after the edit was
    // most of this path's cost in a long file.
    if (delta) {
      for (let k = last; k < tops.length; k++) {
        tops[k].start += delta;
        tops[k].end += delta;
      }
    }
    let moved = tops;
    if (fresh.length === last - first) for (let k = 0; k < fresh.length; k++) tops[first + k] = fresh[k];
    else moved = tops.slice(0, first).concat(fresh, tops.slice(last));
    for (const [name, n] of readsDelta) {
      const count = (index.reads.get(name) ?? 0) + n;
      if (count) index.reads.set(name, count);
      else index.reads.delete(name);
    }
    this.index = { ...index, tops: moved, budgetLeft: index.budgetLeft + 4 * delta };
    if (delta) this.moved = true;
    this.text = text;
    this.diagnostics = diagnostics;
    return { diagnostics, internalErrors: this.internalErrors, result: null, shift };
  }

  /**
   * The old model of a build or create and its new one, when the builder graph reads the same of
   * both (graphInput); null otherwise.
   */
  private sameGraphFacts(model: FileModel, oldInv: Invocation, inv: Invocation): { old: object; fresh: object } | null {
    if (inv.command !== oldInv.command) return null;
    if (inv.command === 'build') {
      const old = model.builds.find((m) => m.inv === oldInv);
      const fresh = buildBuildModels([inv])[0];
      return old && graphInput(old) === graphInput(fresh) ? { old, fresh } : null;
    }
    if (inv.command === 'create') {
      const k = model.creates.findIndex((m) => m.inv === oldInv);
      if (k < 0) return null;
      const old = model.creates[k];
      const fresh = freshCreate(model.creates, k, inv);
      return createGraphInput(old) === createGraphInput(fresh) ? { old, fresh } : null;
    }
    return null;
  }

  /**
   * The new version's full result from the previous model when the edit lies inside one top-level
   * command that only runs a program (`docker buildx build …`, no assignment, substitution,
   * here-document or brace): that command is parsed and extracted again with the values its old
   * reading found (`valueReadsOf`), spliced into the previous syntax tree and invocations, and
   * everything that depends on several commands (create and build models, the builder graph, the
   * rules, suppressions) is computed from the spliced model by the full lint's own code. Null
   * when that could differ from a full lint of the text (`refusal` says why).
   */
  private splice(input: LintInput, config: Config): LintResult | null {
    const model = this.model;
    const index = this.index!;
    const old = this.text!;
    const text = input.text;
    if (!model) return this.refuse('splice:no-model');
    if (this.moved) return this.refuse('splice:moved');
    if (text.length !== old.length) return this.refuse('splice:length');
    const limits = { ...LIMITS, ...config.limits };
    let p = 0;
    while (p + CHUNK <= text.length && old.slice(p, p + CHUNK) === text.slice(p, p + CHUNK)) p += CHUNK;
    while (p < text.length && old.charCodeAt(p) === text.charCodeAt(p)) p++;
    let end = text.length;
    while (end - CHUNK >= p && old.slice(end - CHUNK, end) === text.slice(end - CHUNK, end)) end -= CHUNK;
    while (end > p && old.charCodeAt(end - 1) === text.charCodeAt(end - 1)) end--;
    const tops = index.tops;
    const k = firstEndingAfter(tops, p);
    const top = tops[k];
    if (!top || top.start > p || end > top.end) return this.refuse('splice:window');
    // Whole lines, which no other command shares: the new lines are parsed alone.
    const from = lineStart(old, top.start);
    const to = lineEnd(old, Math.max(top.start, top.end - 1));
    if ((k > 0 && tops[k - 1].end > from) || (k + 1 < tops.length && tops[k + 1].start < to)) return this.refuse('splice:shared-line');
    if (from === 0 || (k > 0 && tops[k - 1].heredoc)) return this.refuse('first-line-or-heredoc');
    const before = old.slice(from, to);
    const after = text.slice(from, to);
    if (SPLICE_RISKY.test(before) || SPLICE_RISKY.test(after)) return this.refuse('splice:risky-text');
    if (/\\\r?\n$/.test(after) || (to < text.length && !after.endsWith('\n'))) return this.refuse('continuation');
    // A fix may edit a value read once: the counts of every `$NAME` stay as they were.
    if (!sameCounts(references(before), references(after))) return this.refuse('references');
    if (tooLarge(after, limits) || after.length >= limits.maxWordLength || !mayContainBuildx(text, this.fileName, this.languageId)) return this.refuse('limits');
    const region = model.regions[0].region;
    // The statements the old command gave back are not counted: the room left only shrinks, and
    // a lint in full, when it runs out, measures it again.
    const statements = { left: model.statementSlack ?? 0 };
    const parsed = parseShell(windowSource(text, from, to), { dialect: region.dialect, budget: statements });
    if (parsed.cutAt !== undefined) return this.refuse('limits');
    if (parsed.errors.length || parsed.stmts.length !== 1) return this.refuse('syntax');
    const stmt = parsed.stmts[0];
    const why = notSpliceable(top.stmt, index.functions) ?? notSpliceable(stmt, index.functions);
    if (why) return this.refuse(`splice:${why}`);
    if (capLongWords(parsed, text, limits).length) return this.refuse('limits');
    // The old command's invocations: one at most, read at the top level.
    const invocations = model.invocations;
    const inside: number[] = [];
    for (let i = 0; i < invocations.length; i++) if (invocations[i].span.start < top.end && invocations[i].span.end > top.start) inside.push(i);
    if (inside.length !== 1) return this.refuse('splice:invocations');
    const oldInv = invocations[inside[0]];
    const reads = valueReadsOf(oldInv);
    if (oldInv.hidden || !reads) return this.refuse('splice:not-recorded');
    const again = extractAgain(stmt.command as SimpleCommand, region, reads);
    if (!again) return this.refuse('splice:reads');
    if (again.inv && capLargeWords(text, [again.inv], limits).length) return this.refuse('limits');
    // Past limits.maxArguments the full read would stop at some command: only a lint in full says where.
    const grows = Math.max(commandCost(stmt.command as SimpleCommand, again.inv) - commandCost(top.stmt.command as SimpleCommand, oldInv), 0);
    const slack = model.argumentSlack ?? 0;
    if (grows > slack) return this.refuse('limits');
    const fresh = topsOf(parsed, text, index.functions);
    const stmts = tops.map((t) => t.stmt);
    stmts[k] = stmt;
    const script = model.regions[0].script;
    const regions = [{ ...model.regions[0], script: { ...script, stmts } }];
    const kept = again.inv ? this.sameGraphFacts(model, oldInv, again.inv) : null;
    let next: FileModel;
    if (kept) {
      // A build or create whose graph inputs stay as they were meets the same builder graph: the
      // old invocation and model become the new ones in place, so the graph's facts (which point
      // at them) hold for the new model unchanged.
      const graph = builderGraphOf(model);
      Object.assign(oldInv, again.inv);
      Object.assign(kept.old, kept.fresh, { inv: oldInv });
      // What the rules computed for the old model object is stale (build models have no such cache).
      if (oldInv.command === 'create') forgetCreateIndex(kept.old as CreateModel);
      next = { ...model, text, regions };
      rememberBuilderGraph(next, graph);
      this.stats.graphKept++;
    } else {
      const invs: Invocation[] = invocations.slice();
      if (again.inv) invs[inside[0]] = again.inv;
      else invs.splice(inside[0], 1);
      // A build's model is its invocation's alone; a create's depends on the creates before it.
      const byInv = new Map(model.builds.map((m) => [m.inv, m] as const));
      const builds: FileModel['builds'] = [];
      for (const inv of invs) {
        if (inv.command !== 'build') continue;
        builds.push((inv === again.inv ? undefined : byInv.get(inv)) ?? buildBuildModels([inv])[0]);
      }
      const creates =
        oldInv.command !== 'create' && again.inv?.command !== 'create'
          ? model.creates
          : oldInv.command === 'create' && again.inv?.command === 'create'
            ? splicedCreates(model.creates, oldInv, again.inv, invs)
            : buildCreateModels(invs);
      next = { ...model, text, regions, invocations: invs, creates, builds };
      // The builder graph's walk goes on from the edited statement: what it met before is kept.
      const resumed = resumeBuilderGraph(builderGraphOf(model), next, k);
      if (resumed) {
        rememberBuilderGraph(next, resumed);
        this.stats.graphResumed++;
      }
    }
    next.argumentSlack = slack - grows;
    next.statementSlack = statements.left;
    (region as { source: MappedString }).source = identity(text);
    const result = recordingWalks(() => lintModel({ text, fileName: this.fileName, languageId: this.languageId }, config, next));
    const readsDelta = new Map<string, number>();
    countReads(readsDelta, -1, old, from, to, tops, k, k + 1);
    countReads(readsDelta, 1, text, from, to, fresh, 0, fresh.length);
    for (const [name, n] of readsDelta) {
      const count = (index.reads.get(name) ?? 0) + n;
      if (count) index.reads.set(name, count);
      else index.reads.delete(name);
    }
    tops[k] = fresh[0];
    index.suppressions = text.includes('kbx-lint');
    index.indirect = text.includes('${!');
    this.text = text;
    this.model = result.model;
    this.diagnostics = result.diagnostics;
    this.internalErrors = result.internalErrors;
    return result;
  }
}
