/**
 * Values through variables: one pass over a script in source order that keeps, for every shell
 * variable, the value the file gave it (or "dynamic"), and reports each simple command together
 * with a ValueScope that expand.ts reads `$X`, `"${A[@]}"`, `${X:-d}`, `"$@"` from.
 *
 * The reading model (docs/architecture.md, "Values through variables"):
 * - Straight line: `X=v`, `export`/`readonly`/`local`/`declare`/`typeset` (`-x`, `-r`, `-g`,
 *   `-a`), arrays `A=(…)`, `A+=(…)`, `X+=v`, `: "${X:=d}"`, `unset X`.
 * - A variable the file never sets comes from the environment: `$X` is dynamic, `${X:-d}` is d
 *   "when X is unset" (the fields carry a DefaultUse so findings say so).
 * - Branches (`if`, `case`, the right side of `&&`/`||`) are read each from the state before
 *   them; afterwards a variable keeps a value only when every branch (and the branch not taken)
 *   agrees on its text. A branch that ends in `exit` or `return` does not count. Where the
 *   branches leave a buildx program prefix each (`B=(buildx) || B=(docker buildx)`), the value
 *   is unknown text that keeps those prefixes, for extraction to read one by one. Loops may run
 *   any number of times: what their bodies assign is dynamic from the start of the loop on.
 * - `X=$(command -v docker-buildx)` (`which`, `type -P`): unknown text that runs that program.
 * - Subshells, `$(…)`, `<(…)`, pipeline elements and background commands never leak assignments.
 * - A function body is read where it is defined, from the values that hold there, except that a
 *   variable a later statement of the script assigns is dynamic in it (the call may come after
 *   that assignment: bash reads the value at the call); what it assigns becomes dynamic at each call. A function whose body reads the positional parameters (a
 *   wrapper such as `d() { docker buildx "$@"; }`) is read again at each call site with `"$@"`
 *   bound to the call's words (bounded: call depth, no recursion into a function already being
 *   called, a total budget proportional to the input).
 * - Where the positional parameters are unknown, `[[ $1 == word ]]` / `[ "$1" = word ]` gives its
 *   branch `$1` = word and an unknown rest (firstParameterTest).
 * - `eval`, `source`, `.` may set anything: every value known so far becomes dynamic.
 * - `sh -c 'text'`, `bash -c 'text'` and `trap 'text' SIG` with static text are parsed as shell,
 *   positions mapped into the quoted string, and read like a subshell.
 * Everything is iterative; the work is linear in the input plus the bounded replay budget.
 */
import { DYNAMIC, type MappedString, MappedStringBuilder, concatMapped, endAt, mappedWeight, sliceMapped, sliceWithEnd, spanOf, startAt, uniform } from '../core/mapped-string';
import type { Span } from '../core/span';
import type { ShellRegion } from '../hosts/region';
import type { Block, CaseClause, Command, ForClause, FuncDecl, IfClause, LoopClause, ParamExp, Script, SimpleCommand, Stmt, Word, WordPart } from './ast';
import { assignmentValue, type DefaultUse, expandWord, type Field, type Resolved, type ValueScope, type ValueUse } from './expand';
import { parseShell } from './parser';
import { LazyWord } from './slice';
import { type NestedSink, pushNestedOfCommand, type TreeItem, pushNestedParts, pushNestedRedirs, pushNestedWords } from './walk';

type Binding =
  | { t: 'dynamic' }
  | { t: 'unset' }
  | { t: 'str'; value: MappedString; spans: Span[]; word?: Word; defaults?: DefaultUse[]; host?: boolean; prefixes?: MappedString[][] }
  /** `varies`: an element came from an expansion that may split or vanish (`"${GROWN[@]}"`). */
  | { t: 'arr'; elements: MappedString[]; spans: Span[]; defaults?: DefaultUse[]; varies?: boolean; prefixes?: MappedString[][] };

type Stored = Binding & { seq: number };

type LogEntry = { name: string; prev: Stored | undefined } | { floor: number } | { frame: number; prevPositional: Field[] | null };

export interface WalkContext {
  /** Name of the innermost enclosing function definition (or the function being called). */
  inFunction: string | null;
  /** Inside `$(…)`, backticks, `<(…)` or a here-document substitution. */
  inSubstitution: boolean;
  /**
   * This reading is a wrapper function's body at one of its call sites. `definitionOf`: the call
   * is in the body of that function, read where it is defined (its only reading unless it is
   * itself a wrapper the file calls).
   */
  replay?: { name: string; callSpan: Span; callerFunction: string | null; definitionOf?: string };
  /** Read from the static text of `sh -c '…'`, `bash -c '…'` or `trap '…'`: the string's span. */
  shellString?: { kind: 'shell-c' | 'trap'; span: Span };
  /** The shell string was passed in the parameters of the call being replayed. */
  fromCall?: boolean;
  /** The command's program word names a function the file defined before it: the call runs that. */
  callsFunction?: string;
}

interface FunctionInfo {
  decl: FuncDecl;
  /** Variables the body assigns; 'all' after `eval`/`source` inside. */
  assigned: Set<string> | 'all';
  /** The body reads `$@`, `$*` or `$1`…: worth reading again at each call. */
  positional: boolean;
}

const MAX_CALL_DEPTH = 8;
/** Growing a value by `+=` copies it: past these sizes it is dynamic, so a long script stays linear. */
const MAX_ELEMENTS = 1024;
const MAX_VALUE_CHARS = 16_384;
const MAX_VALUE_SPANS = 32;
/** Stored values of one region may weigh this much per character of its text, plus the base. */
const VALUE_BUDGET_PER_CHAR = 16;
const VALUE_BUDGET_BASE = 1 << 20;
/** Characters brace expansion may write in one region: each becomes an object, then an argument. */
const BRACE_BUDGET_PER_CHAR = 2;
const BRACE_BUDGET_BASE = 1 << 16;
const MAX_SHELL_STRING_DEPTH = 4;
const SHELLS = new Set(['sh', 'bash', 'dash', 'ksh', 'ash', 'busybox']);
const DECLARATION = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);
const SPECIAL_BUILTINS = new Set([':', '.', 'break', 'continue', 'eval', 'exec', 'exit', 'export', 'readonly', 'return', 'set', 'shift', 'times', 'trap', 'unset']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGNMENT_WORD = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** The builtins `builtin` reads itself; every other program is a function call or may run `sh -c`. */
const BUILTINS_READ_HERE = new Set(['eval', 'source', '.', 'unset', 'read', 'mapfile', 'readarray', 'getopts', 'let', 'printf', 'wait', 'shift', 'set', 'trap']);
/** Programs whose arguments the reading looks at: builtins with effects, and what may run `sh -c`. */
const ARGUMENT_READERS = new Set(['unset', 'read', 'mapfile', 'readarray', 'getopts', 'let', 'printf', 'wait', 'shift', 'set', 'trap', 'eval', 'sudo', 'exec', 'command', 'env', 'nohup']);

function storedWeight(b: Binding & ({ t: 'str' } | { t: 'arr' })): number {
  if (b.t === 'str') return mappedWeight(b.value);
  let w = 0;
  for (const e of b.elements) w += mappedWeight(e);
  return w;
}

function basename(s: string): string {
  const i = s.lastIndexOf('/');
  return i >= 0 ? s.slice(i + 1) : s;
}

function sameBinding(a: Stored | undefined, b: Stored | undefined): boolean {
  if (!a || !b) return a === b;
  if (a === b) return true;
  if (a.t !== b.t) return false;
  // Two unknown values agree on their text: only the same program prefixes keep them readable.
  if ((a.t === 'str' || a.t === 'arr') && (b.t === 'str' || b.t === 'arr') && prefixesKey(a.prefixes) !== prefixesKey(b.prefixes)) return false;
  if (a.t === 'str' && b.t === 'str') return a.value.text === b.value.text;
  if (a.t === 'arr' && b.t === 'arr') return !a.varies === !b.varies && a.elements.length === b.elements.length && a.elements.every((e, i) => e.text === b.elements[i].text);
  return a.t === 'dynamic' || a.t === 'unset';
}

/**
 * The value after branches that leave an array with different elements: the elements they all
 * start with, then one unknown that may split or vanish (`CMD=(docker buildx bake)`, then
 * `CMD=("${CMD[@]}" --push)` in an `if`; `args=(docker buildx build …)`, then `+=(--push)` or
 * `+=(--load)`). The command it holds is still known; anything else is dynamic.
 */
/**
 * The positional parameters after paths that set them differently: the fields every path has in
 * front, then one that stands for whatever words follow (none, or several). Null (unknown) when the
 * paths share no first field.
 */
function commonFields(outcomes: (Field[] | null)[]): Field[] | null {
  const first = outcomes[0];
  if (!first) return null;
  let n = first.length;
  let same = true;
  for (const o of outcomes) {
    if (!o) return null;
    if (o === first) continue;
    let k = 0;
    while (k < n && k < o.length && (o[k] === first[k] || (o[k].static && first[k].static && o[k].value.text === first[k].value.text))) k++;
    if (k < n || o.length !== first.length) same = false;
    n = k;
  }
  if (same) return first;
  if (n === 0) return null;
  const last = first[n - 1];
  const at = last.word.span.end;
  return [...first.slice(0, n), { value: uniform(DYNAMIC, at, at), static: false, mayVary: true, word: last.word }];
}

function commonHead(outcomes: (Stored | undefined)[]): Binding {
  const first = outcomes[0];
  if (first?.t === 'str') return commonStringHead(outcomes);
  if (!first || first.t !== 'arr') return { t: 'dynamic' };
  let n = first.elements.length;
  for (const o of outcomes) {
    if (!o || o.t !== 'arr') return { t: 'dynamic' };
    let k = 0;
    // An unknown element is the same only when it is the same one (kept from before the branches).
    while (k < n && k < o.elements.length && (o.elements[k] === first.elements[k] || (o.elements[k].text === first.elements[k].text && !o.elements[k].text.includes(DYNAMIC)))) k++;
    n = k;
  }
  if (n === 0) return { t: 'dynamic' };
  const at = first.spans[first.spans.length - 1];
  return { t: 'arr', elements: [...first.elements.slice(0, n), uniform(DYNAMIC, at.start, at.end)], spans: first.spans, varies: true };
}

/**
 * A string the branches extend differently (`CMD="docker buildx build -t $IMG"`, then
 * `CMD="$CMD -f $FILE"` in an `if`): the words every outcome starts with, up to the last blank
 * they share, then unknown text, as a command string built from `$*` reads (`eval "$CMD"`).
 */
function commonStringHead(outcomes: (Stored | undefined)[]): Binding {
  const first = outcomes[0] as Stored & { t: 'str' };
  if (first.prefixes) return { t: 'dynamic' };
  let n = first.value.text.length;
  for (const o of outcomes) {
    if (!o || o.t !== 'str' || o.prefixes) return { t: 'dynamic' };
    const t = o.value.text;
    let k = 0;
    while (k < n && k < t.length && t[k] === first.value.text[k]) k++;
    n = k;
  }
  // An unknown part may differ between outcomes though it reads the same: the head stops before it.
  const dyn = first.value.text.indexOf(DYNAMIC);
  if (dyn >= 0 && dyn < n) n = dyn;
  const head = first.value.text.slice(0, n);
  // Every outcome ends there or goes on with a blank: the shared words are whole.
  const whole = outcomes.every((o) => {
    const c = (o as Stored & { t: 'str' }).value.text[n];
    return c === undefined || c === ' ' || c === '\t';
  });
  const cut = whole ? n : Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t')) + 1;
  if (cut === 0 || head.slice(0, cut).trim() === '') return { t: 'dynamic' };
  const at = first.spans[first.spans.length - 1];
  const parts = [sliceMapped(first.value, 0, cut)];
  if (whole) parts.push(uniform(' ', at.end, at.end));
  parts.push(uniform(DYNAMIC, at.start, at.end));
  return { t: 'str', value: concatMapped(parts), spans: first.spans };
}

const MAX_PROGRAM_PATHS = 4;
const BUILDX_PROGRAMS = new Set(['docker', 'buildx', 'docker-buildx']);
/** What a program path may hold and still be one argument, quoted or not. */
const PLAIN_PATH = /^[A-Za-z0-9_./+@%:-]+$/;

function prefixesKey(prefixes: MappedString[][] | undefined): string {
  return prefixes ? prefixes.map((p) => p.map((e) => e.text).join('\0')).join('\n') : '';
}

/**
 * The program words a value stands for when it names a buildx program: `(buildx)`,
 * `(docker buildx)`, `/usr/libexec/docker/cli-plugins/docker-buildx`, or a value already read as
 * such (`$(command -v docker-buildx)`, an earlier choice). Null for anything else.
 */
function programPrefixes(b: Stored | undefined): MappedString[][] | null {
  if (!b || (b.t !== 'str' && b.t !== 'arr')) return null;
  if (b.prefixes) return b.prefixes;
  const els = b.t === 'str' ? [b.value] : b.varies ? null : b.elements;
  if (!els || !els.length || els.length > 2 || !els.every((e) => PLAIN_PATH.test(e.text))) return null;
  const head = basename(els[0].text);
  if (els.length === 1 ? !BUILDX_PROGRAMS.has(head) : head !== 'docker' || els[1].text !== 'buildx') return null;
  return [els];
}

/**
 * The value after branches that each leave a buildx program prefix (longhorn's
 * `BUILD_CMD=(buildx) || BUILD_CMD=(docker buildx)`): unknown text, with the prefixes every path
 * may hold, which extraction reads one by one. Null when some path holds anything else.
 */
function programChoice(outcomes: (Stored | undefined)[]): Binding | null {
  const first = outcomes[0];
  if (!first || (first.t !== 'str' && first.t !== 'arr')) return null;
  const prefixes: MappedString[][] = [];
  const seen = new Set<string>();
  for (const o of outcomes) {
    if (!o || o.t !== first.t) return null;
    const p = programPrefixes(o);
    if (!p) return null;
    for (const one of p) {
      const key = prefixesKey([one]);
      // Each path is read again at every use: a few are worth it, a file of them is not.
      if (!seen.has(key) && prefixes.length >= MAX_PROGRAM_PATHS) return null;
      if (!seen.has(key)) {
        seen.add(key);
        prefixes.push(one);
      }
    }
  }
  const at = first.spans[first.spans.length - 1];
  const unknown = uniform(DYNAMIC, at.start, at.end);
  if (first.t === 'str') return { t: 'str', value: unknown, spans: first.spans, prefixes };
  return { t: 'arr', elements: [unknown], spans: first.spans, varies: true, prefixes };
}

/** The answers of a lookup that carry nothing but their kind (read-only, shared by every lookup). */
const FROM_ENV: Resolved = Object.freeze({ t: 'env' });
const RESOLVED_DYNAMIC: Resolved = Object.freeze({ t: 'dynamic' });
const RESOLVED_UNSET: Resolved = Object.freeze({ t: 'unset' });

/** What an alternative assigned: the names with their bindings at its end. Read, never written. */
/** `positional`: the current frame's positional parameters at the end, when the alternative set them. */
type Changes = { changed: ReadonlyMap<string, Stored | undefined>; poisoned: boolean; positional?: Field[] | null };
const NO_CHANGES: Changes = Object.freeze({ changed: new Map<string, Stored | undefined>(), poisoned: false });

/** The variable state: a map plus an undo log, so branches and subshells cost what they assign. */
class Env implements ValueScope {
  private vars = new Map<string, Stored>();
  private log: LogEntry[] = [];
  private seq = 1;
  private floor = 0;
  readonly positionals: (Field[] | null)[] = [null];
  private refCounts: Map<string, number> | null = null;

  /** What stored values may still hold, in characters (runs weigh more): see set(). */
  private valueBudget: number;
  readonly braceBudget: { left: number };

  constructor(private readonly regionText: string) {
    this.valueBudget = VALUE_BUDGET_PER_CHAR * regionText.length + VALUE_BUDGET_BASE;
    this.braceBudget = { left: BRACE_BUDGET_PER_CHAR * regionText.length + BRACE_BUDGET_BASE };
  }

  mark(): number {
    return this.log.length;
  }

  set(name: string, b: Binding): void {
    if ((b.t === 'str' && (b.value.text.length > MAX_VALUE_CHARS || b.spans.length > MAX_VALUE_SPANS)) || (b.t === 'arr' && (b.elements.length > MAX_ELEMENTS || b.spans.length > MAX_VALUE_SPANS))) {
      b = { t: 'dynamic' };
    }
    // Every stored value stays alive (the undo log keeps the ones it replaces). `X1="$X0$X0"`,
    // `X2="$X1$X1"`… fills each value up to the caps above line after line; past a budget in
    // proportion to the file, new values are dynamic, so memory stays linear in the input.
    if (b.t === 'str' || b.t === 'arr') {
      const weight = storedWeight(b);
      if (weight > this.valueBudget) b = { t: 'dynamic' };
      else this.valueBudget -= weight;
    }
    this.log.push({ name, prev: this.vars.get(name) });
    // Every caller hands a fresh literal: stamping it saves a copy per assignment.
    const stored = b as Stored;
    stored.seq = this.seq++;
    this.vars.set(name, stored);
  }

  get(name: string): Stored | undefined {
    const b = this.vars.get(name);
    if (b && b.seq < this.floor) return { t: 'dynamic', seq: b.seq };
    return b;
  }

  /** Every value set so far becomes dynamic (`eval`, `source`). */
  poison(): void {
    this.log.push({ floor: this.floor });
    this.floor = this.seq;
  }

  /** `set --` and `shift` in the current frame, undone with the assignments of a branch or subshell. */
  setPositional(fields: Field[] | null): void {
    const frame = this.positionals.length - 1;
    this.log.push({ frame, prevPositional: this.positionals[frame] });
    this.positionals[frame] = fields;
  }

  undo(to: number): void {
    while (this.log.length > to) {
      const e = this.log.pop()!;
      if ('frame' in e) {
        if (e.frame < this.positionals.length) this.positionals[e.frame] = e.prevPositional;
      } else if ('floor' in e) this.floor = e.floor;
      else if (e.prev) this.vars.set(e.name, e.prev);
      else this.vars.delete(e.name);
    }
  }

  /** The names changed since `from`, with their current bindings; whether a poison happened. */
  changesSince(from: number): Changes {
    // Most alternatives (the side of an `&&`, a branch that only runs programs) assign nothing.
    if (from === this.log.length) return NO_CHANGES;
    const changed = new Map<string, Stored | undefined>();
    let poisoned = false;
    let positionalSet = false;
    const frame = this.positionals.length - 1;
    for (let k = from; k < this.log.length; k++) {
      const e = this.log[k];
      if ('frame' in e) positionalSet ||= e.frame === frame;
      else if ('floor' in e) poisoned = true;
      else if (!changed.has(e.name)) changed.set(e.name, undefined);
    }
    for (const name of changed.keys()) changed.set(name, this.get(name));
    return positionalSet ? { changed, poisoned, positional: this.positionals[frame] } : { changed, poisoned };
  }

  restore(name: string, b: Stored | undefined): void {
    this.log.push({ name, prev: this.vars.get(name) });
    if (b) this.vars.set(name, b);
    else this.vars.delete(name);
  }

  /** How many `$NAME`/`${NAME…}` the region's text holds: a fix may edit a value read once. */
  refs(name: string): number {
    if (!this.refCounts) {
      this.refCounts = new Map();
      const re = /\$\{?[#!]?([A-Za-z_][A-Za-z0-9_]*)/g;
      for (let m = re.exec(this.regionText); m; m = re.exec(this.regionText)) this.refCounts.set(m[1], (this.refCounts.get(m[1]) ?? 0) + 1);
    }
    return this.refCounts.get(name) ?? 0;
  }

  lookup(name: string, useSpan: Span): Resolved {
    const b = this.get(name);
    if (!b) return FROM_ENV;
    if (b.t === 'dynamic' || b.t === 'unset') return b.t === 'dynamic' ? RESOLVED_DYNAMIC : RESOLVED_UNSET;
    const host = b.t === 'str' && b.host;
    const use: ValueUse = { name, valueSpans: b.spans, useSpan, refs: () => (host ? Infinity : this.refs(name)) };
    if (b.t === 'str')
      return b.prefixes ? { t: 'str', value: b.value, use, defaults: b.defaults, word: b.word, prefixes: b.prefixes } : { t: 'str', value: b.value, use, defaults: b.defaults, word: b.word };
    if (b.prefixes) return { t: 'arr', elements: b.elements, use, defaults: b.defaults, varies: true, prefixes: b.prefixes };
    return b.varies ? { t: 'arr', elements: b.elements, use, defaults: b.defaults, varies: true } : { t: 'arr', elements: b.elements, use, defaults: b.defaults };
  }

  positional(): Field[] | null {
    return this.positionals[this.positionals.length - 1];
  }
}

type Item =
  | TreeItem<WalkContext>
  /** The statements of a list from `i` on: one item per list, not one per statement. */
  | { t: 'stmts'; v: Stmt[]; i: number; ctx: WalkContext }
  | { t: 'undo'; to: number; positional?: boolean; string?: boolean }
  | { t: 'alt' }
  /** `leaves`: the alternative ends in `exit` or `return`: nothing after the choice runs on it. */
  | { t: 'altEnd'; leaves?: boolean }
  | { t: 'choice' }
  | { t: 'choiceEnd'; notTaken: boolean }
  | { t: 'fnEnd'; decl: FuncDecl; from: number; undoTo: number; positional: boolean }
  | { t: 'callEnd'; fn: FunctionInfo; to: number }
  /** The branch of `[[ $1 == build ]]` runs with $1 known: set when the parameters are unknown. */
  | { t: 'narrow'; fields: Field[] };

/** The markers of a choice carry nothing but their kind (read-only, shared by every choice). */
const CHOICE: Item = Object.freeze({ t: 'choice' });
const CHOICE_END: Item = Object.freeze({ t: 'choiceEnd', notTaken: false });
const CHOICE_END_NOT_TAKEN: Item = Object.freeze({ t: 'choiceEnd', notTaken: true });
const ALT: Item = Object.freeze({ t: 'alt' });
const ALT_END: Item = Object.freeze({ t: 'altEnd' });
const ALT_END_LEAVES: Item = Object.freeze({ t: 'altEnd', leaves: true });

export interface ValueWalk {
  /** Functions that were read again at a call site. */
  replayed: Set<string>;
}

/**
 * The fields of one command's words, expanded on demand with the values that hold when the
 * command runs, and shared by every reader of that command. Most commands are not buildx: their
 * program word is all anyone needs, so the other words are never expanded.
 */
export class CommandFields {
  private readonly fields: Field[] = [];
  private next = 0;
  private literal: string | null | undefined = undefined;

  constructor(
    private readonly words: Word[],
    private readonly dialect: ShellRegion['dialect'],
    private readonly scope: ValueScope,
  ) {}

  /** The first field (the program word, or what precedes it); undefined when the words expand to nothing. */
  first(): Field | undefined {
    while (!this.fields.length && this.next < this.words.length) this.expandNext();
    return this.fields[0];
  }

  /** The field at index n, expanding only the words up to it. */
  at(n: number): Field | undefined {
    while (this.fields.length <= n && this.next < this.words.length) this.expandNext();
    return this.fields[n];
  }

  /**
   * The program word's text when the lexer kept it as one plain literal (no brace, tilde, glob or
   * run-time character): its one field's text, read without expanding it; null otherwise. A
   * command that is not buildx and runs no builtin needs nothing more of its words.
   */
  literalFirst(): string | null {
    // Asked by extraction and by the walk: the word's text is cut from the source once.
    if (this.literal !== undefined) return this.literal;
    const w = this.words[0] as unknown;
    const t = w instanceof LazyWord ? w.literalText() : null;
    this.literal = t !== null && t !== '' && t[0] !== '~' && !NOT_PLAIN.test(t) ? t : null;
    return this.literal;
  }

  /** Every field, in order. */
  all(): Field[] {
    while (this.next < this.words.length) this.expandNext();
    return this.fields;
  }

  private expandNext(): void {
    const w = this.words[this.next++];
    const plain = plainField(w);
    if (plain) this.fields.push(plain);
    else for (const f of expandWord(w, this.dialect, this.scope)) this.fields.push(f);
  }
}

/** The fields handed to `builtin` for a program it reads only by name. */
const NO_FIELDS: Field[] = Object.freeze([]) as unknown as Field[];

/** Characters that make a literal word more than itself: braces, globs, a make expansion. */
const NOT_PLAIN = /[{*?[\uE000]/;

/**
 * plainField is expandWord's field for a word that is one literal with no brace, tilde, glob or
 * run-time character (most arguments: `-t`, `linux/amd64`, `.`): the literal's own value, without
 * decoding it character by character.
 */
function plainField(w: Word): Field | null {
  let v: MappedString;
  // A word the lexer saw as one literal run: its value without making its parts.
  const lazy = (w as unknown) instanceof LazyWord ? (w as unknown as LazyWord) : null;
  if (lazy?.isLiteral) {
    const lit = lazy.literalValue();
    if (!lit) return null;
    v = lit;
  } else {
    const parts = w.parts;
    if (parts.length !== 1 || parts[0].kind !== 'lit') return null;
    v = parts[0].value;
  }
  const t = v.text;
  // endAt, not `ends[…]`: the per-character arrays would be built, and kept, for every argument.
  if (t === '' || t[0] === '~' || NOT_PLAIN.test(t) || v.endOffset !== endAt(v, t.length - 1)) return null;
  return { value: v, static: true, mayVary: false, word: w };
}

/**
 * walkWithValues reports every simple command in source order (as walkSimpleCommands does), each
 * with the variable state that holds when it runs.
 */
/**
 * What the wrapper-replay budget had left after the last walk of a script. The budget depends on
 * the region's length, so an incremental lint (engine/incremental.ts) may only keep results
 * across an edit that changes the length when the budget never ran out, in either text.
 */
const budgetLeftAfter = new WeakMap<Script, number>();
export function replayBudgetLeft(script: Script): number | undefined {
  return budgetLeftAfter.get(script);
}

export function walkWithValues(script: Script, region: ShellRegion, visit: (cmd: SimpleCommand, ctx: WalkContext, scope: ValueScope, fields: CommandFields) => void): ValueWalk {
  const env = new Env(region.source.text);
  for (const v of region.variables ?? []) env.set(v.name, { t: 'str', value: v.value, spans: [spanOf(v.value)], host: true });
  const functions = new Map<string, FunctionInfo>();
  const replayed = new Set<string>();
  const dialect = region.dialect;
  let budget = 50_000 + 4 * region.source.text.length;
  const choices: { results: Changes[] }[] = [];
  const alts: number[] = [];
  const callChain: string[] = [];
  let stringDepth = 0;
  /** Index, in the script's list, of the statement after the function definition being read. */
  let laterAt = -1;
  let later: Map<string, number> | undefined;
  /** For each name the script's own statements assign, the index of the last one that does. */
  const laterAssigned = (): Map<string, number> => {
    if (later) return later;
    later = new Map();
    script.stmts.forEach((st, i) => {
      const c = st.command;
      // A later function's body runs at its calls, which come later still.
      const names = assignedNames(c.kind === 'function' ? c.body : c, functions, region);
      if (names !== 'all') for (const n of names) later!.set(n, i);
    });
    return later;
  };

  const stack: Item[] = [{ t: 'script', v: script, ctx: { inFunction: null, inSubstitution: false } }];
  const pushStmts = (list: Stmt[], ctx: WalkContext): void => {
    if (list.length) stack.push({ t: 'stmts', v: list, i: 0, ctx });
  };
  /** Pushes `body` to run in a subshell: its assignments are undone afterwards. */
  const pushForked = (push: () => void, positional?: Field[] | null): void => {
    const to = env.mark();
    if (positional !== undefined) env.positionals.push(positional);
    stack.push({ t: 'undo', to, positional: positional !== undefined });
    push();
  };
  // A substitution or here-document runs in a subshell: its assignments are undone afterwards.
  const sink: NestedSink<WalkContext> = {
    parts: (v, ctx) => stack.push({ t: 'parts', v, ctx }),
    words: (v, ctx) => stack.push({ t: 'words', v, ctx }),
    script: (v, ctx) => {
      stack.push({ t: 'undo', to: env.mark(), positional: false });
      stack.push({ t: 'script', v, ctx: { ...ctx, inSubstitution: true } });
    },
  };
  const pushParts = (parts: WordPart[], ctx: WalkContext): void => pushNestedParts(parts, ctx, sink);
  const pushWords = (words: Word[], ctx: WalkContext): void => pushNestedWords(words, ctx, sink);
  const pushRedirs = (list: Stmt['redirects'], ctx: WalkContext): void => pushNestedRedirs(list, ctx, sink);
  /** A choice between alternatives (pushed in source order); `notTaken`: none may run. */
  const pushChoice = (alternatives: (() => void)[], notTaken: boolean, leaves?: boolean[]): void => {
    stack.push(notTaken ? CHOICE_END_NOT_TAKEN : CHOICE_END);
    for (let i = alternatives.length - 1; i >= 0; i--) {
      stack.push(leaves?.[i] ? ALT_END_LEAVES : ALT_END);
      alternatives[i]();
      stack.push(ALT);
    }
    stack.push(CHOICE);
  };
  const makeDynamic = (names: Set<string> | 'all'): void => {
    if (names === 'all') env.poison();
    else for (const n of names) env.set(n, { t: 'dynamic' });
  };

  while (stack.length) {
    const item = stack.pop()!;
    if (callChain.length) budget--;
    switch (item.t) {
      case 'script':
        pushStmts(item.v.stmts, item.ctx);
        break;
      case 'stmts':
      case 'stmt': {
        let v: Stmt;
        if (item.t === 'stmts') {
          // The rest of the list stays below what this statement pushes: it runs after them.
          v = item.v[item.i++];
          if (item.i < item.v.length) stack.push(item);
        } else v = item.v;
        const ctx = item.ctx;
        // A function defined in the script's own list reads, when it is called, what the lines
        // after its definition assigned: those names are unknown in its body (laterAssigned).
        if (item.t === 'stmts' && item.v === script.stmts && v.command.kind === 'function' && !v.background) laterAt = item.i;
        if (v.background) pushBackground(v, ctx);
        else {
          pushRedirs(v.redirects, ctx);
          // A simple command is read here, as it would be when popped next (its budget step too).
          if (v.command.kind === 'simple') {
            if (callChain.length) budget--;
            simple(v.command, ctx);
          } else stack.push({ t: 'cmd', v: v.command, ctx });
        }
        break;
      }
      case 'words':
        pushWords(item.v, item.ctx);
        break;
      case 'parts':
        pushParts(item.v, item.ctx);
        break;
      case 'undo':
        env.undo(item.to);
        if (item.positional) env.positionals.pop();
        if (item.string) stringDepth--;
        break;
      case 'choice':
        choices.push({ results: [] });
        break;
      case 'alt':
        alts.push(env.mark());
        break;
      case 'altEnd': {
        const from = alts.pop()!;
        if (!item.leaves) choices[choices.length - 1].results.push(env.changesSince(from));
        env.undo(from);
        break;
      }
      case 'choiceEnd': {
        const { results } = choices.pop()!;
        if (item.notTaken) results.push(NO_CHANGES);
        if (results.some((r) => r.poisoned)) env.poison();
        if (results.every((r) => r === NO_CHANGES)) break;
        if (results.some((r) => r.positional !== undefined)) {
          const before = env.positional();
          env.setPositional(commonFields(results.map((r) => (r.positional !== undefined ? r.positional : before))));
        }
        const seen = new Map<string, { count: number; first: Stored | undefined; agree: boolean }>();
        for (const r of results) {
          for (const [name, b] of r.changed) {
            const s = seen.get(name);
            if (!s) seen.set(name, { count: 1, first: b, agree: true });
            else {
              s.count++;
              if (!sameBinding(s.first, b)) s.agree = false;
            }
          }
        }
        for (const [name, s] of seen) {
          const before = env.get(name);
          const agree = s.agree && (s.count === results.length || sameBinding(s.first, before));
          if (agree) {
            if (s.first !== before) env.restore(name, s.first);
          } else {
            const outcomes = results.map((r) => (r.changed.has(name) ? r.changed.get(name) : before));
            env.set(name, programChoice(outcomes) ?? commonHead(outcomes));
          }
        }
        break;
      }
      case 'fnEnd': {
        const { changed, poisoned } = env.changesSince(item.from);
        functions.set(item.decl.name, {
          decl: item.decl,
          assigned: poisoned ? 'all' : new Set(changed.keys()),
          positional: item.positional,
        });
        env.undo(item.undoTo);
        env.positionals.pop();
        break;
      }
      case 'narrow':
        if (env.positional() === null) env.setPositional(item.fields);
        break;
      case 'callEnd':
        env.undo(item.to);
        env.positionals.pop();
        callChain.pop();
        makeDynamic(item.fn.assigned);
        break;
      case 'cmd': {
        const c = item.v;
        const ctx = item.ctx;
        const extra = (c as Command & { redirects?: Stmt['redirects'] }).redirects;
        if (extra && c.kind !== 'simple') pushRedirs(extra, ctx);
        switch (c.kind) {
          case 'simple':
            simple(c, ctx);
            break;
          case 'pipeline':
            for (let i = c.commands.length - 1; i >= 0; i--) {
              const one = c.commands[i];
              if (c.commands.length > 1) pushForked(cmdThunk(one, ctx));
              else stack.push({ t: 'cmd', v: one, ctx });
            }
            break;
          case 'andor': {
            // `a && b || c`: a always runs, each later item may or may not.
            for (let i = c.items.length - 1; i >= 1; i--) {
              const one = c.items[i];
              pushChoice([cmdThunk(one, ctx)], true, [leavesCommand(one)]);
            }
            stack.push({ t: 'cmd', v: c.items[0], ctx });
            break;
          }
          case 'if':
            ifClause(c, ctx);
            break;
          case 'while':
          case 'until':
          case 'for': {
            const names = assignedNames(c, functions, region);
            if (c.kind === 'for' && names !== 'all') names.add(c.name);
            makeDynamic(names);
            // The body runs in a fork: what it assigns was made dynamic above and stays so.
            pushForked(loopThunk(c, ctx));
            break;
          }
          case 'case':
            caseClause(c, ctx);
            break;
          case 'brace':
            pushStmts(c.body, ctx);
            break;
          case 'subshell':
            pushForked(subshellThunk(c, ctx));
            break;
          case 'function': {
            const undoTo = env.mark();
            if (laterAt >= 0) {
              const later = laterAssigned();
              for (const name of namesRead(c.body)) if ((later.get(name) ?? -1) >= laterAt) env.set(name, { t: 'dynamic' });
              laterAt = -1;
            }
            const from = env.mark();
            env.positionals.push(null);
            const positional = readsPositional(c.body);
            stack.push({ t: 'fnEnd', decl: c, from, undoTo, positional });
            stack.push({ t: 'cmd', v: c.body, ctx: { inFunction: c.name, inSubstitution: ctx.inSubstitution } });
            break;
          }
          case 'test':
            pushWords(c.words, ctx);
            break;
          case 'arithcmd':
            makeDynamic(arithNames(region, c.span));
            pushWords(c.words, ctx);
            break;
        }
        break;
      }
    }
  }
  budgetLeftAfter.set(script, budget);
  return { replayed };

  // The closures the walk hands to pushForked and pushChoice are made here, not in the loop: a
  // variable a closure captures lives in a context object, and in the loop's blocks that would
  // be one more object for every statement and command read.
  function pushBackground(v: Stmt, ctx: WalkContext): void {
    pushForked(() => {
      pushRedirs(v.redirects, ctx);
      stack.push({ t: 'cmd', v: v.command, ctx });
    });
  }

  function cmdThunk(v: Command, ctx: WalkContext): () => void {
    return () => {
      stack.push({ t: 'cmd', v, ctx });
    };
  }

  function loopThunk(c: LoopClause | ForClause, ctx: WalkContext): () => void {
    return () => {
      if (c.kind === 'for') {
        pushStmts(c.body, ctx);
        if (c.items) pushWords(c.items, ctx);
      } else {
        pushStmts(c.body, ctx);
        pushStmts(c.cond, ctx);
      }
    };
  }

  function subshellThunk(c: Block, ctx: WalkContext): () => void {
    return () => pushStmts(c.body, ctx);
  }

  function ifClause(c: IfClause, ctx: WalkContext): void {
    // A test whose operands the file fixes (`[ -n "$REGISTRY" ]` after `REGISTRY=""`)
    // decides its branch: the commands of a branch that cannot run are not read.
    const verdicts = c.branches.map((b) => staticTest(b.cond, region, env));
    // `elif` is `else if`: condition k runs once, on every path past branch k-1, so the
    // chain is read as nested two-way choices and no condition is read on two paths.
    const elseBody = c.elseBody;
    // leavesFrom[k]: every path from branch k on ends the script; filled from the end so a long
    // chain costs one pass, not one pass per branch.
    const n = c.branches.length;
    const leavesFrom: boolean[] = new Array(n + 1);
    leavesFrom[n] = elseBody ? leavesAfter(elseBody) : false;
    for (let k = n - 1; k >= 0; k--) {
      if (verdicts[k] === true) leavesFrom[k] = leavesAfter(c.branches[k].body);
      else if (verdicts[k] === false) leavesFrom[k] = leavesFrom[k + 1];
      else leavesFrom[k] = leavesAfter(c.branches[k].body) && leavesFrom[k + 1];
    }
    const pushFrom = (start: number): void => {
      // Branches the file rules out are skipped in a loop (their conditions still run, last
      // pushed first read), so a long chain of them does not recurse.
      let k = start;
      const skipped: number[] = [];
      while (k < n && verdicts[k] === false) skipped.push(k++);
      if (k === n) {
        if (elseBody) pushStmts(elseBody, ctx);
      } else {
        const b = c.branches[k];
        if (verdicts[k] === true) pushStmts(b.body, ctx);
        else {
          const first = firstParameterTest(b.cond);
          const body = () => {
            pushStmts(b.body, ctx);
            if (first) stack.push({ t: 'narrow', fields: first });
          };
          if (k + 1 === n && !elseBody) pushChoice([body], true, [leavesAfter(b.body)]);
          else pushChoice([body, () => pushFrom(k + 1)], false, [leavesAfter(b.body), leavesFrom[k + 1]]);
        }
        pushStmts(b.cond, ctx);
      }
      for (let j = skipped.length - 1; j >= 0; j--) pushStmts(c.branches[skipped[j]].cond, ctx);
    };
    pushFrom(0);
  }

  /**
   * `[[ $1 == build ]]`, `[ "$1" = build ]`: in the branch it guards, $1 is that word and the
   * parameters after it are unknown (they may be none or many). Null for any other condition.
   */
  function firstParameterTest(cond: Stmt[]): Field[] | null {
    if (cond.length !== 1 || cond[0].background || cond[0].redirects.length) return null;
    const c = cond[0].command;
    let words: Word[];
    if (c.kind === 'test') words = c.words;
    else if (c.kind === 'simple' && !c.assigns.length && !c.redirects.length) {
      const prog = c.words[0] ? wordText(c.words[0]) : null;
      if (prog === '[' && c.words.length === 5 && wordText(c.words[4]) === ']') words = c.words.slice(1, 4);
      else if (prog === 'test' && c.words.length === 4) words = c.words.slice(1);
      else return null;
    } else return null;
    if (words.length !== 3) return null;
    const [a, op, b] = words;
    const opText = wordText(op);
    if (opText !== '=' && !(opText === '==' && (c.kind === 'test' || dialect === 'bash'))) return null;
    const part = a.parts.length === 1 ? (a.parts[0].kind === 'dq' && a.parts[0].parts.length === 1 ? a.parts[0].parts[0] : a.parts[0]) : null;
    if (!part || part.kind !== 'param' || part.name !== '1' || part.op || part.prefix || part.index !== undefined) return null;
    const fields = expandWord(b, dialect, env);
    if (fields.length !== 1 || !fields[0].static || /[*?[]/.test(fields[0].value.text)) return null;
    return [fields[0], { value: uniform(DYNAMIC, a.span.start, a.span.end), static: false, mayVary: true, word: a }];
  }

  function caseClause(c: CaseClause, ctx: WalkContext): void {
    const hasCatchAll = c.items.some((it) => it.patterns.some((p) => wordText(p) === '*'));
    pushChoice(
      c.items.map((it) => () => {
        pushStmts(it.body, ctx);
        pushWords(it.patterns, ctx);
      }),
      !hasCatchAll,
      c.items.map((it) => leavesAfter(it.body)),
    );
    if (!((c.word as unknown) instanceof LazyWord)) pushParts(c.word.parts, ctx);
  }

  function simple(c: SimpleCommand, ctx: WalkContext): void {
    const words = new CommandFields(c.words, dialect, env);
    const literal = words.literalFirst();
    // A function of that name runs instead of any program (bash looks functions up first): a
    // `docker() { … }` or `buildx() { docker buildx "$@"; }` of the file is read through its body.
    if (literal !== null && functions.has(literal)) visit(c, { ...ctx, callsFunction: literal }, env, words);
    else visit(c, ctx, env, words);
    let prog: string | null;
    let fields: Field[];
    let runs: boolean;
    if (literal !== null && !readsArguments(basename(literal))) {
      // `builtin` reads nothing but the program's name of such a command: no field is made.
      prog = basename(literal);
      fields = NO_FIELDS;
      runs = true;
    } else {
      const first = words.first();
      prog = first && first.static ? basename(first.value.text) : null;
      // The command's own effects below change the values: expand now what `builtin` will read.
      fields = prog !== null && readsArguments(prog) ? words.all() : first ? [first] : [];
      runs = fields.length > 0;
    }
    // What the command's own words set (`: "${X:=d}"`, `$((i++))`), left to right. A flat word
    // holds no `${X:=d}` or `$((…))`.
    for (const a of c.assigns) if (a.value && !((a.value as unknown) instanceof LazyWord)) wordSideEffects(a.value);
    for (const w of c.words) if (!((w as unknown) instanceof LazyWord)) wordSideEffects(w);
    if (!runs) {
      for (const a of c.assigns) assign(a.name, a.append, a.value, a.array ?? null, a.span);
    } else if (c.assigns.length && (SPECIAL_BUILTINS.has(prog ?? '') || (prog !== null && functions.has(prog)) || prog === null)) {
      // Prefix assignments persist for special builtins in POSIX mode, and hold during a function.
      for (const a of c.assigns) env.set(a.name, { t: 'dynamic' });
    }
    // Substitutions inside the command's words run (in subshells) before it: read them.
    pushNestedOfCommand(c, ctx, sink);
    if (prog === null) return;
    builtin(prog, fields, c, ctx);
  }

  function wordSideEffects(w: Word): void {
    let effects = false;
    for (const p of w.parts) if (p.kind === 'dq' || p.kind === 'arith' || p.kind === 'param') effects = true;
    if (!effects) return;
    const parts: WordPart[] = [...w.parts];
    while (parts.length) {
      const p = parts.pop()!;
      if (p.kind === 'dq') for (const q of p.parts) parts.push(q);
      else if (p.kind === 'arith') makeDynamic(arithNames(region, p.span));
      else if (p.kind === 'param') {
        if (p.words) for (const x of p.words) for (const q of x.parts) parts.push(q);
        if ((p.op === ':=' || p.op === '=') && NAME.test(p.name) && p.index === undefined) assignDefault(p);
      }
    }
  }

  function assignDefault(p: ParamExp): void {
    const b = env.get(p.name);
    if (b && b.t === 'dynamic') return;
    const set = b && (b.t === 'str' || b.t === 'arr');
    const empty = b && b.t === 'str' ? b.value.text === '' : b && b.t === 'arr' ? (b.elements[0]?.text ?? '') === '' : true;
    if (set && (p.op === '=' || !empty)) return;
    const w = p.words?.[0];
    const v = w ? assignmentValue(w, env, MAX_VALUE_CHARS) : null;
    if (v?.tooLong) return env.set(p.name, { t: 'dynamic' });
    const value = v ? v.value : { text: '', starts: new Int32Array(0), ends: new Int32Array(0), endOffset: p.span.end };
    const defaults = [...(v?.defaults ?? [])];
    if (!b) defaults.push({ name: p.name, span: w?.span ?? p.span, paramSpan: p.span });
    env.set(p.name, { t: 'str', value, spans: [w?.span ?? p.span], word: w, defaults: defaults.length ? defaults : undefined });
  }

  function assign(name: string, append: boolean, valueWord: Word | null, array: Word[] | null, span: Span): void {
    const prev = env.get(name);
    if (array) {
      const els: MappedString[] = [];
      const defaults: DefaultUse[] = [];
      let varies = false;
      for (const w of array) {
        // `A=([3]=x)` sets chosen indexes: not modelled.
        if (wordPrefixText(w)?.startsWith('[')) return env.set(name, { t: 'dynamic' });
        for (const f of expandWord(w, dialect, env)) {
          if (f.mayVary) varies = true;
          els.push(f.value);
          if (f.defaults) defaults.push(...f.defaults);
        }
      }
      // `CMD=(docker buildx imagetools create "${TAG_ARGS[@]}" "$REF")` with TAG_ARGS grown in a
      // loop: the elements around the expansion stay known, and every reading of the array may
      // split or vanish, as `"$@"` with such an argument does.
      const vary = varies ? { varies: true as const } : {};
      if (append) {
        if (!prev || prev.t === 'dynamic') return env.set(name, { t: 'dynamic' });
        if (prev.t === 'arr') {
          const grown = prev.varies || varies ? { varies: true as const } : {};
          return env.set(name, { t: 'arr', elements: prev.elements.concat(els), spans: [...prev.spans, span], defaults: merge(prev.defaults, defaults), ...grown });
        }
        if (prev.t === 'str') return env.set(name, { t: 'arr', elements: [prev.value, ...els], spans: [...prev.spans, span], defaults: merge(prev.defaults, defaults), ...vary });
      }
      return env.set(name, { t: 'arr', elements: els, spans: [span], defaults: defaults.length ? defaults : undefined, ...vary });
    }
    // A string past MAX_VALUE_CHARS is dynamic in set(): such a value is not built (an array's
    // first element may still grow, as before).
    const v = valueWord ? assignmentValue(valueWord, env, append && prev?.t === 'arr' ? Infinity : MAX_VALUE_CHARS) : null;
    if (v?.tooLong) return env.set(name, { t: 'dynamic' });
    const value = v ? v.value : { text: '', starts: new Int32Array(0), ends: new Int32Array(0), endOffset: span.end };
    const vspan = valueWord && valueWord.parts.length ? valueWord.span : span;
    const defaults = v?.defaults.length ? v.defaults : undefined;
    if (append) {
      if (!prev || prev.t === 'dynamic') return env.set(name, { t: 'dynamic' });
      if (prev.t === 'str') return env.set(name, { t: 'str', value: concatMapped([prev.value, value]), spans: [...prev.spans, vspan], defaults: merge(prev.defaults, defaults ?? []) });
      if (prev.t === 'arr') {
        const els = prev.elements.slice();
        els[0] = concatMapped([els[0] ?? value, ...(els.length ? [value] : [])]);
        return env.set(name, { t: 'arr', elements: els, spans: [...prev.spans, vspan], defaults: merge(prev.defaults, defaults ?? []) });
      }
    }
    const lookedUp = valueWord && !append ? programLookup(valueWord) : null;
    env.set(name, { t: 'str', value, spans: [vspan], word: valueWord && valueWord.parts.length ? valueWord : undefined, defaults, ...(lookedUp ? { prefixes: [[lookedUp]] } : {}) });
  }

  /**
   * `$(command -v docker-buildx)`, `$(which buildx)`, `$(type -P docker)`: the path bash finds on
   * PATH, or nothing; a program run through it is that program. A function of the same name is
   * what `command -v` names instead, so the file's functions rule it out.
   */
  function programLookup(w: Word): MappedString | null {
    let parts = w.parts;
    if (parts.length === 1 && parts[0].kind === 'dq') parts = parts[0].parts;
    if (parts.length !== 1 || parts[0].kind !== 'cmdsubst') return null;
    const stmts = parts[0].script.stmts;
    if (stmts.length !== 1 || stmts[0].background) return null;
    const st = stmts[0];
    // Only a redirect of stderr: any other may take the path from the output.
    const stderrOnly = (r: Stmt['redirects'][number]) => r.fd === '2' && r.op === '>';
    const c = st.command;
    if (c.kind !== 'simple' || c.assigns.length || !st.redirects.every(stderrOnly) || !c.redirects.every(stderrOnly)) return null;
    const texts = c.words.map(wordText);
    const last = c.words[c.words.length - 1];
    const form = texts.slice(0, -1).join(' ');
    // `type -P` is bash's; an alias would be what `command -v` prints.
    if (form !== 'command -v' && form !== 'which' && (form !== 'type -P' || dialect !== 'bash')) return null;
    if (/\balias\b/.test(region.source.text)) return null;
    const name = texts[texts.length - 1];
    if (name === null || !BUILDX_PROGRAMS.has(name) || functions.has(name)) return null;
    if (last.parts.length !== 1 || last.parts[0].kind !== 'lit') return null;
    return last.parts[0].value;
  }

  /** Whether `builtin` reads more than the program word of a command running `prog`. */
  function readsArguments(prog: string): boolean {
    return ARGUMENT_READERS.has(prog) || SHELLS.has(prog) || ASSIGNMENT_WORD.test(prog) || functions.has(prog);
  }

  function builtin(prog: string, fields: Field[], c: SimpleCommand, ctx: WalkContext): void {
    if (DECLARATION.has(prog)) return declaration(prog, c);
    if (!BUILTINS_READ_HERE.has(prog)) {
      const fn = functions.get(prog);
      if (fn) return call(fn, fields, c, ctx);
      return shellCommand(fields, ctx);
    }
    const args = fields.slice(1);
    const texts = args.map((f) => (f.static ? f.value.text : null));
    switch (prog) {
      case 'eval': {
        // What the string assigns stays unknown afterwards (as for `source`), but its commands
        // are read: `eval "docker buildx build $ARGS"` runs here, with the current "$@".
        env.poison();
        const str = evalText(args);
        if (!str || /^-/.test(str.value.text)) return;
        // A string that came in through the parameters of a replayed call (`run() { eval "$@"; }`)
        // is that call's command: read at the call, as the wrapper's own `"$@"` command is.
        readString(str, 'shell-c', env.positional(), ctx.replay && readsPositional(c) ? { ...ctx, fromCall: true } : ctx);
        return;
      }
      case 'source':
      case '.':
        env.poison();
        return;
      case 'unset': {
        if (texts.includes('-f')) return;
        for (const t of texts) if (t && NAME.test(t)) env.set(t, { t: 'unset' });
        if (texts.some((t) => t === null)) env.poison();
        return;
      }
      case 'read':
      case 'mapfile':
      case 'readarray':
      case 'getopts':
      case 'let':
      case 'printf':
      case 'wait':
        // Every plain name among the arguments may be set (`read -r a b`, `printf -v x`, `let i++`).
        for (const t of texts) {
          if (t === null) continue;
          for (const m of t.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) if (prog !== 'printf' || texts.includes('-v')) env.set(m[0], { t: 'dynamic' });
        }
        if (prog === 'mapfile' || prog === 'readarray') env.set('MAPFILE', { t: 'dynamic' });
        if (prog === 'read') env.set('REPLY', { t: 'dynamic' });
        if (prog === 'getopts') env.set('OPTARG', { t: 'dynamic' });
        return;
      case 'shift': {
        const pos = env.positional();
        if (!pos) return;
        const n = texts.length ? Number(texts[0]) : 1;
        // A field that may split or vanish leaves what follows it at unknown positions.
        env.setPositional(Number.isInteger(n) && n >= 0 && !pos.slice(0, n).some((f) => f.mayVary) ? pos.slice(n) : null);
        return;
      }
      case 'set': {
        const dd = texts.indexOf('--');
        if (dd >= 0) {
          const rest = args.slice(dd + 1);
          env.setPositional(rest);
          return;
        }
        for (let k = 0; k < texts.length; k++) {
          const t = texts[k];
          if (t === null) return void env.setPositional(null);
          if (t === '-o' || t === '+o') k++;
          else if (!/^[-+]/.test(t)) return void env.setPositional(null);
        }
        return;
      }
      case 'trap': {
        const str = args[0];
        if (!str || !readableString(str) || args.length < 2 || /^-/.test(str.value.text)) return;
        readString(str, 'trap', null, ctx);
        return;
      }
    }
    const fn = functions.get(prog);
    if (fn) return call(fn, fields, c, ctx);
    shellCommand(fields, ctx);
  }

  function declaration(prog: string, c: SimpleCommand): void {
    // Arguments of a declaration builtin are assignments: no splitting, the parser kept the word.
    let arrayAttr = false;
    let other = false;
    for (const w of c.words.slice(1)) {
      const text = wordPrefixText(w);
      if (text !== null && /^[-+][a-zA-Z]+$/.test(text) && !w.array) {
        if (text.includes('p') || text.includes('f') || text.includes('F')) return; // prints, or names functions
        if (text[0] === '-' && text.includes('a')) arrayAttr = true;
        if (/[AinluctfF]/.test(text.slice(1))) other = true;
        continue;
      }
      const m = text !== null ? /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/.exec(text) : null;
      if (m) {
        const name = m[1];
        if (other) {
          env.set(name, { t: 'dynamic' });
          continue;
        }
        if (w.array) {
          assign(name, m[2] === '+', null, w.array, w.span);
          continue;
        }
        assign(name, m[2] === '+', valueAfterEquals(w, m[0].length), null, w.span);
        continue;
      }
      const bare = text !== null && NAME.test(text) && w.parts.length === 1 ? text : null;
      if (bare) {
        if (other) env.set(bare, { t: 'dynamic' });
        else if (prog === 'local' || ((prog === 'declare' || prog === 'typeset') && !env.get(bare))) env.set(bare, arrayAttr ? { t: 'arr', elements: [], spans: [w.span] } : { t: 'unset' });
        continue;
      }
      // A computed argument may declare anything.
      if (!text || text.includes(DYNAMIC)) env.poison();
    }
  }

  function call(fn: FunctionInfo, fields: Field[], c: SimpleCommand, ctx: WalkContext): void {
    const name = fn.decl.name;
    // A library of functions (`build() { try docker build …; }`) is often never called in the
    // file itself: a body read at its definition replays the wrappers it calls too (what that
    // gives is dropped when the function is itself replayed at a call site).
    if (!fn.positional || callChain.includes(name) || callChain.length >= MAX_CALL_DEPTH || budget <= 0) {
      makeDynamic(fn.assigned);
      return;
    }
    replayed.add(name);
    callChain.push(name);
    const to = env.mark();
    env.positionals.push(fields.slice(1));
    stack.push({ t: 'callEnd', fn, to });
    const replay = ctx.replay ? { ...ctx.replay, name } : { name, callSpan: c.span, callerFunction: ctx.inFunction, definitionOf: ctx.inFunction ?? undefined };
    stack.push({ t: 'cmd', v: fn.decl.body, ctx: { inFunction: name, inSubstitution: ctx.inSubstitution, replay, shellString: ctx.shellString } });
  }

  /** `sh -c 'text' [name args…]` (after `sudo`, `env`, `exec`, `command`): read the text. */
  function shellCommand(fields: Field[], ctx: WalkContext): void {
    let i = 0;
    while (i < fields.length && fields[i].static) {
      const t = basename(fields[i].value.text);
      if (t === 'sudo' || t === 'exec' || t === 'command' || t === 'env' || t === 'nohup' || ASSIGNMENT_WORD.test(t)) i++;
      else break;
    }
    const sh = fields[i];
    if (!sh || !sh.static || !SHELLS.has(basename(sh.value.text))) return;
    let k = i + 1;
    let dashC = false;
    if (basename(sh.value.text) === 'busybox') {
      if (fields[k]?.value.text !== 'sh') return;
      k++;
    }
    for (; k < fields.length; k++) {
      const f = fields[k];
      if (!f.static) {
        if (dashC && readableString(f)) break;
        return;
      }
      const t = f.value.text;
      if (t === '--' || t === '-') {
        k++;
        break;
      }
      if (!/^[-+]/.test(t)) break;
      if (t === '-o' || t === '+o' || t === '-O' || t === '+O' || t === '--rcfile' || t === '--init-file') k++;
      else if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(t)) dashC = true;
    }
    if (!dashC) return;
    const str = fields[k];
    if (!str || !readableString(str)) return;
    const rest = fields.slice(k + 2);
    readString(str, 'shell-c', rest.some((f) => f.mayVary) ? null : rest, ctx, basename(sh.value.text) === 'bash' ? 'bash' : 'sh');
  }

  function readString(str: Field, kind: 'shell-c' | 'trap', positional: Field[] | null, ctx: WalkContext, dial = dialect): void {
    if (stringDepth >= MAX_SHELL_STRING_DEPTH || str.mayVary) return;
    const inner = parseShell(str.value, { dialect: dial });
    if (inner.errors.length) return;
    stringDepth++;
    const span = str.word.span;
    const to = env.mark();
    env.positionals.push(positional);
    // The string is read like a subshell; its commands report where they are written.
    stack.push({ t: 'undo', to, positional: true, string: true });
    stack.push({ t: 'script', v: inner, ctx: { ...ctx, shellString: ctx.shellString ?? { kind, span } } });
  }
}

/**
 * A `-c` or trap string is read when its text is one word of known shape: static, or one whose
 * expansions (`"…$name…"` expanded when the trap is set, a make variable of unknown value in a
 * recipe) stand inside it as DYNAMIC. The inner script then sees those parts as unknown text,
 * as a top-level recipe line does; an unquoted expansion may split or vanish, so it is not read.
 */
function readableString(f: Field): boolean {
  return f.static || (!f.mayVary && f.value.text.includes(DYNAMIC));
}

/**
 * The text `eval` runs: its arguments joined by single spaces, then read again (bash's
 * eval_builtin concatenates them with string_list). One readable argument is read as it stands.
 * With several, an unquoted expansion that may split or vanish changes only the blanks between
 * words of the joined text, which the second reading splits again, so it stands as unknown text.
 */
function evalText(args: Field[]): Field | null {
  if (args.length === 0) return null;
  if (args.length === 1) return readableString(args[0]) ? args[0] : null;
  const b = new MappedStringBuilder();
  let isStatic = true;
  for (let i = 0; i < args.length; i++) {
    const f = args[i];
    if (!f.static && !f.value.text.includes(DYNAMIC)) return null;
    if (!f.static) isStatic = false;
    if (i > 0) b.push(' ', args[i - 1].word.span.end, args[i - 1].word.span.end);
    b.append(f.value);
  }
  const last = args[args.length - 1];
  const span = { start: args[0].word.span.start, end: last.word.span.end };
  return { value: b.build(last.value.endOffset), static: isStatic, mayVary: false, word: { span, parts: [] } };
}

function merge(a: DefaultUse[] | undefined, b: DefaultUse[]): DefaultUse[] | undefined {
  const out = [...(a ?? []), ...b];
  return out.length ? out : undefined;
}

/** The static text of a word's leading characters up to the first expansion, or null. */
function wordPrefixText(w: Word): string | null {
  const literal = (w as unknown) instanceof LazyWord ? (w as unknown as LazyWord).literalText() : null;
  if (literal !== null) return literal;
  let out = '';
  for (const p of w.parts) {
    if (p.kind === 'lit' || p.kind === 'sq' || p.kind === 'esc' || p.kind === 'ansic') out += p.value.text;
    else if (p.kind === 'dq' && p.parts.every((q) => q.kind === 'lit' || q.kind === 'esc')) out += p.parts.map((q) => (q as { value: MappedString }).value.text).join('');
    else return out + DYNAMIC;
  }
  return out;
}

/**
 * The statements end in `exit` or `return` at their own level (not in a subshell, a pipeline or
 * the background): the path through them never reaches what follows their choice.
 */
function leavesAfter(stmts: Stmt[]): boolean {
  const last = stmts[stmts.length - 1];
  return last !== undefined && !last.background && leavesCommand(last.command);
}

function leavesCommand(c: Command): boolean {
  if (c.kind === 'brace') return leavesAfter(c.body);
  if (c.kind !== 'simple' || !c.words.length) return false;
  const prog = wordText(c.words[0]);
  return prog === 'exit' || prog === 'return';
}

function wordText(w: Word): string | null {
  const t = wordPrefixText(w);
  return t === null || t.includes(DYNAMIC) ? null : t;
}

/** The value word of a declaration argument `NAME=value`: the parts after the `=`. */
function valueAfterEquals(w: Word, k: number): Word {
  const first = w.parts[0];
  if (!first || first.kind !== 'lit') return { span: { start: w.span.end, end: w.span.end }, parts: [] };
  const v = first.value;
  const rest: WordPart[] = [];
  if (k < v.text.length) {
    // A slice keeps the value's runs: no per-character arrays for an assignment nobody decodes.
    const sliced = sliceWithEnd(v, k, v.text.length, v.endOffset);
    rest.push({ kind: 'lit', span: { start: startAt(sliced, 0), end: endAt(sliced, sliced.text.length - 1) }, value: sliced });
  }
  for (let m = 1; m < w.parts.length; m++) rest.push(w.parts[m]);
  const start = rest.length ? rest[0].span.start : w.span.end;
  return { span: { start, end: w.span.end }, parts: rest };
}

/** The names an arithmetic expression may assign (`i=1`, `i+=2`, `i++`, `--i`). */
function arithNames(region: ShellRegion, span: Span): Set<string> {
  const text = textOfSpan(region.source, span);
  const out = new Set<string>();
  for (const m of text.matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[[^\]]*\])?\s*(?:[-+*/%&|^]|<<|>>)?=(?!=)|([A-Za-z_][A-Za-z0-9_]*)\s*(?:\+\+|--)|(?:\+\+|--)\s*([A-Za-z_][A-Za-z0-9_]*)/g)) {
    out.add(m[1] ?? m[2] ?? m[3]);
  }
  return out;
}

/** The decoded text whose characters come from `span` (region offsets only grow). */
function textOfSpan(s: MappedString, span: Span): string {
  const lower = (x: number) => {
    let lo = 0;
    let hi = s.text.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.starts[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return s.text.slice(lower(span.start), lower(span.end));
}

/** Does the function body read the positional parameters? (iterative) */
/**
 * The outcome of an `if` condition that is one `[ … ]` or `test …` with operands the file fixes
 * (string tests only: `-n`, `-z`, `=`, `==`, `!=`, a lone string), else null. In a Makefile a
 * variable may come from the command line (`make PUSH=true`), so only emptiness tests, whose
 * branch uses the value it tests, are decided there.
 */
function staticTest(cond: Stmt[], region: ShellRegion, scope: ValueScope): boolean | null {
  if (cond.length !== 1 || cond[0].background || cond[0].redirects.length) return null;
  const c = cond[0].command;
  if (c.kind !== 'simple' || c.assigns.length || c.redirects.length || c.words.length > 5) return null;
  const args: string[] = [];
  for (const w of c.words)
    for (const f of expandWord(w, region.dialect, scope)) {
      if (!f.static || f.defaults?.length) return null;
      args.push(f.value.text);
    }
  const prog = args.shift();
  if (prog === '[') {
    if (args.pop() !== ']') return null;
  } else if (prog !== 'test') return null;
  const emptiness = args.length === 2 && (args[0] === '-n' || args[0] === '-z');
  if (region.encoding === 'makefile' && !emptiness) return null;
  if (emptiness) return (args[1] === '') === (args[0] === '-z');
  if (args.length === 1) return args[0] !== '';
  // dash's test has no `==`: it fails with "unexpected operator".
  const eq = args[1] === '=' || (args[1] === '==' && region.dialect === 'bash');
  if (args.length === 3 && (eq || args[1] === '!=')) return (args[0] === args[2]) === (args[1] !== '!=');
  return null;
}

/** The variable names a function body reads (`$X`, `${X…}`), nested definitions' own aside. */
function namesRead(body: Command): Set<string> {
  const out = new Set<string>();
  walkAllParts(body, (p) => {
    if (p.kind === 'param' && NAME.test(p.name)) out.add(p.name);
    return false;
  });
  return out;
}

function readsPositional(body: Command): boolean {
  let found = false;
  walkAllParts(body, (p) => {
    if (p.kind === 'param' && (p.name === '@' || p.name === '*' || /^[1-9]/.test(p.name))) found = true;
    return found;
  });
  return found;
}

/** The variables a compound command may assign anywhere inside (for loops). */
function assignedNames(c: Command, functions: Map<string, FunctionInfo>, region: ShellRegion): Set<string> | 'all' {
  const out = new Set<string>();
  let all = false;
  const stack: Command[] = [c];
  const stmts = (l: Stmt[]) => {
    for (const s of l) stack.push(s.command);
  };
  while (stack.length && !all) {
    const x = stack.pop()!;
    switch (x.kind) {
      case 'simple': {
        for (const a of x.assigns) out.add(a.name);
        const w0 = x.words[0] ? wordText(x.words[0]) : null;
        if (x.words.length && w0 === null) break;
        const prog = w0 ? basename(w0) : '';
        if (prog === 'eval' || prog === 'source' || prog === '.') all = true;
        const fn = functions.get(prog);
        if (fn) {
          if (fn.assigned === 'all') all = true;
          else for (const n of fn.assigned) out.add(n);
        }
        const words = x.words.slice(1);
        if (DECLARATION.has(prog) || ['read', 'mapfile', 'readarray', 'getopts', 'let', 'printf', 'unset'].includes(prog)) {
          for (const w of words) {
            const t = wordPrefixText(w) ?? '';
            for (const m of t.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) out.add(m[0]);
          }
          if (prog === 'read') out.add('REPLY');
          if (prog === 'mapfile' || prog === 'readarray') out.add('MAPFILE');
        }
        for (const w of x.words) {
          if ((w as unknown) instanceof LazyWord) continue;
          const parts = [...w.parts];
          while (parts.length) {
            const p = parts.pop()!;
            if (p.kind === 'dq') parts.push(...p.parts);
            else if (p.kind === 'arith') for (const n of arithNames(region, p.span)) out.add(n);
            else if (p.kind === 'param') {
              if ((p.op === ':=' || p.op === '=') && NAME.test(p.name)) out.add(p.name);
              if (p.words) for (const q of p.words) parts.push(...q.parts);
            }
          }
        }
        break;
      }
      case 'pipeline':
        // Only a single command (not a pipeline of several) runs in this shell.
        if (x.commands.length === 1) stack.push(x.commands[0]);
        break;
      case 'andor':
        for (const i of x.items) stack.push(i);
        break;
      case 'if':
        for (const b of x.branches) {
          stmts(b.cond);
          stmts(b.body);
        }
        if (x.elseBody) stmts(x.elseBody);
        break;
      case 'while':
      case 'until':
        stmts(x.cond);
        stmts(x.body);
        break;
      case 'for':
        out.add(x.name);
        stmts(x.body);
        break;
      case 'case':
        for (const it of x.items) stmts(it.body);
        break;
      case 'brace':
        stmts(x.body);
        break;
      case 'arithcmd':
        for (const n of arithNames(region, x.span)) out.add(n);
        break;
      default:
        break;
    }
  }
  return all ? 'all' : out;
}

/** Visits every word part under a command but literal words' (iterative); stops when `fn` returns true. */
function walkAllParts(root: Command, fn: (p: WordPart) => boolean): void {
  const cmds: Command[] = [root];
  const parts: WordPart[] = [];
  // A literal word's one Lit is all `fn` would see of it: its parts are not made for that.
  const words = (ws: Word[]) => {
    for (const w of ws) if (!((w as unknown) instanceof LazyWord && (w as unknown as LazyWord).isLiteral)) for (const p of w.parts) parts.push(p);
  };
  const stmts = (l: Stmt[]) => {
    for (const s of l) cmds.push(s.command);
  };
  while (cmds.length || parts.length) {
    if (parts.length) {
      const p = parts.pop()!;
      if (fn(p)) return;
      if (p.kind === 'dq') for (const q of p.parts) parts.push(q);
      else if (p.kind === 'param' && p.words) words(p.words);
      else if (p.kind === 'cmdsubst' || p.kind === 'procsubst') stmts(p.script.stmts);
      continue;
    }
    const c = cmds.pop()!;
    switch (c.kind) {
      case 'simple':
        words(c.words);
        for (const a of c.assigns) {
          if (a.value) words([a.value]);
          if (a.array) words(a.array);
        }
        break;
      case 'pipeline':
        cmds.push(...c.commands);
        break;
      case 'andor':
        cmds.push(...c.items);
        break;
      case 'if':
        for (const b of c.branches) {
          stmts(b.cond);
          stmts(b.body);
        }
        if (c.elseBody) stmts(c.elseBody);
        break;
      case 'while':
      case 'until':
        stmts(c.cond);
        stmts(c.body);
        break;
      case 'for':
        if (c.items) words(c.items);
        stmts(c.body);
        break;
      case 'case':
        words([c.word]);
        for (const it of c.items) stmts(it.body);
        break;
      case 'brace':
      case 'subshell':
        stmts(c.body);
        break;
      case 'function':
        // A nested definition's `$@` is its own.
        break;
      case 'test':
      case 'arithcmd':
        words(c.words);
        break;
    }
  }
}
