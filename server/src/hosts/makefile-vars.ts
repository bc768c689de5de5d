/**
 * Makefile variables: consumes assignment lines and recipe text, produces variable values and
 * expanded recipe text. It mirrors GNU make 4.3's text rules (collapse_continuations,
 * remove_comments, parse_variable_definition, variable_expand_string) closely enough that a
 * resolved expansion is byte-identical to make's; anything it cannot know statically (functions,
 * automatic and undefined variables, `!=`, cycles) becomes one DYNAMIC character.
 */
import { DYNAMIC, spanOf, startAt } from '../core/mapped-string';
import { MapBuilder, type Seq } from './makefile-lines';

export type Flavor = 'recursive' | 'simple';

export interface VarDef {
  flavor: Flavor;
  /** Raw text for recursive variables, expanded text for simple ones. */
  value: string;
  /** Set by a `private` assignment; make hides such a global variable from every target. */
  private?: boolean;
  /** Set by an `override` assignment; later plain assignments leave the variable alone. */
  override?: boolean;
  /** The definition differs between branches make may or may not take: value and flavor unknown. */
  unknown?: boolean;
  /** An empty `X ?=`: an input the caller sets; empty only in a clean environment (conditionals). */
  input?: boolean;
  /** Unknown, yet in every branch made only of recipe prefix characters (`@`, `-`, `+`, blanks). */
  onlyPrefixes?: boolean;
  /** make's own definition, which no line of the file has replaced. */
  makeDefault?: boolean;
  /**
   * Unknown, but every branch holds either this definition or a dry run, a value that starts
   * with `echo` or `printf` (`ifdef DRYRUN` / `DOCKER := echo "[dry-run] $(DOCKER)"`): a recipe
   * line running the variable runs nothing in a dry-run branch, so recipes read this one.
   */
  live?: VarDef;
}

export type AssignOp = '=' | ':=' | '::=' | '+=' | '?=' | '!=';

export interface ParsedAssignment {
  name: string;
  op: AssignOp;
  /** Value with leading blanks removed, as make stores it (trailing blanks kept). */
  value: string;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';

/**
 * Built-in functions of GNU make (4.3 plus 4.4 additions). `$(name args)` with one of these names
 * is a call, whose result is unknown here.
 */
const FUNCTIONS = new Set(
  (
    'abspath addprefix addsuffix basename dir notdir subst suffix filter filter-out findstring ' +
    'firstword flavor join lastword patsubst realpath shell sort strip wildcard word wordlist words ' +
    'origin foreach let call info error warning intcmp if or and value eval file guile'
  ).split(' '),
);

/**
 * Variables make defines itself (`make -p -f /dev/null`). `?=` leaves them alone, so their value
 * is make's default or the environment's: unknown here.
 */
const MAKE_DEFAULTS = (
  'AR ARFLAGS AS CC CO COFLAGS CPP CTANGLE CWEAVE CXX FC F77 F77FLAGS GET LD LEX LINT M2C MAKE ' +
  'MAKEINFO PC RM TANGLE TEX TEXI2DVI WEAVE YACC OUTPUT_OPTION SHELL MAKEFLAGS MFLAGS MAKELEVEL ' +
  'MAKEFILES MAKEFILE_LIST MAKECMDGOALS MAKE_VERSION MAKE_HOST MAKE_COMMAND CURDIR GNUMAKEFLAGS ' +
  '.SHELLFLAGS .LIBPATTERNS .DEFAULT_GOAL .VARIABLES .FEATURES .INCLUDE_DIRS .LOADED SUFFIXES ' +
  'LEX.l LEX.m YACC.m YACC.y LINT.c PREPROCESS.S PREPROCESS.F PREPROCESS.r'
).split(' ');

/**
 * Total expansion work allowed for one file, counted in characters read and produced: 8 times
 * the file's length (at least 4 million, at most 40 million). Beyond it every expansion is
 * DYNAMIC (and reported once), so a file that appends to a variable and expands it on every one
 * of thousands of lines (output quadratic in its length) is read in time linear in its length.
 */
const WORK_PER_CHAR = 8;
const MIN_WORK_BUDGET = 4_000_000;
const MAX_WORK_BUDGET = 40_000_000;
export const workBudgetFor = (fileLength: number) => Math.min(MAX_WORK_BUDGET, Math.max(MIN_WORK_BUDGET, WORK_PER_CHAR * fileLength));
/**
 * Longest value an expansion may produce by default before it is given up as DYNAMIC (and
 * reported): make hands a recipe line to `sh -c` as one argument, and Linux refuses to exec one
 * longer than MAX_ARG_STRLEN, 131072 bytes (execve(2)). `limits.maxExpansion` overrides it.
 */
export const MAX_EXPANSION = 128 * 1024;
/** The work one `$(call …)` counts besides its arguments (see call). */
const CALL_WORK = 64;
/** Deepest nesting of recursive expansions followed. */
const MAX_DEPTH = 200;

/**
 * collapseContinuations is make's collapse_continuations (non-POSIX mode unless `posix`): each
 * backslash-newline, the blanks before it and the blanks after it become one space; an even run of
 * backslashes before a newline keeps half of them and the newline.
 */
export function collapseContinuations(line: string, posix = false): string {
  if (!line.includes('\n')) return line;
  // Pieces, not one growing string: trimming the blanks before each continuation then costs what
  // it removes (a regular expression over the whole output made 100,000 continuations quadratic).
  const out: string[] = [];
  let inPos = 0;
  let q = line.indexOf('\n');
  while (q >= 0) {
    let bs = 0;
    for (let k = q - 1; k >= 0 && line[k] === '\\'; k--) bs++;
    // make copies the run and keeps half of the backslashes (rounding odd runs down).
    const keep = bs - Math.ceil(bs / 2);
    out.push(line.slice(inPos, q - bs) + '\\'.repeat(keep));
    inPos = q + 1;
    if (bs & 1) {
      while (isBlank(line[inPos])) inPos++;
      if (!posix) trimTrailingBlanks(out);
      out.push(' ');
    } else {
      out.push('\n');
    }
    q = line.indexOf('\n', inPos);
  }
  out.push(line.slice(inPos));
  return out.join('');
}

/** Drops the spaces and tabs at the end of the text the pieces make up. */
function trimTrailingBlanks(pieces: string[]): void {
  while (pieces.length) {
    const last = pieces[pieces.length - 1];
    let e = last.length;
    while (e > 0 && (last[e - 1] === ' ' || last[e - 1] === '\t')) e--;
    if (e > 0) {
      if (e < last.length) pieces[pieces.length - 1] = last.slice(0, e);
      return;
    }
    pieces.pop();
  }
}

/**
 * findMapUnquote mirrors make's find_map_unquote: the index of the first character of `stops`
 * that is outside variable references and not backslash-escaped, together with the string after
 * make's in-place removal of the escaping backslashes it met on the way.
 */
export function findMapUnquote(str: string, stops: string): { text: string; index: number } {
  let s = str;
  let p = 0;
  for (;;) {
    while (p < s.length && s[p] !== '$' && !stops.includes(s[p])) p++;
    if (p >= s.length) return { text: s, index: -1 };
    if (s[p] === '$') {
      const open = s[p + 1];
      if (open === undefined) return { text: s, index: -1 };
      p += 2;
      if (open === '(' || open === '{') {
        const close = open === '(' ? ')' : '}';
        let count = 1;
        while (p < s.length) {
          if (s[p] === open) count++;
          else if (s[p] === close && --count === 0) {
            p++;
            break;
          }
          p++;
        }
      }
      continue;
    }
    if (p > 0 && s[p - 1] === '\\') {
      let bs = 0;
      for (let k = p - 1; k >= 0 && s[k] === '\\'; k--) bs++;
      const half = Math.floor(bs / 2);
      s = s.slice(0, p - bs) + s.slice(p - bs + (bs - half));
      p = p - bs + half;
      if (bs % 2 === 0) return { text: s, index: p };
      p++;
      continue;
    }
    return { text: s, index: p };
  }
}

/** removeComments cuts an assignment or directive line at its first unescaped `#`. */
export function removeComments(line: string): string {
  const r = findMapUnquote(line, '#');
  return r.index < 0 ? r.text : r.text.slice(0, r.index);
}

/**
 * parseVariableDefinition mirrors make 4.3's parse_variable_definition: it recognises
 * `NAME op value` where the name has no blanks outside references.
 */
export function parseVariableDefinition(str: string): ParsedAssignment | null {
  let p = 0;
  while (isBlank(str[p])) p++;
  const nameStart = p;
  let end = -1;
  let op: AssignOp;
  for (;;) {
    const c = str[p++];
    if (c === undefined || c === '#') return null;
    if (isBlank(c)) {
      if (end >= 0) return null;
      end = p - 1;
      while (isBlank(str[p])) p++;
      continue;
    }
    if (c === '=') {
      if (end < 0) end = p - 1;
      op = '=';
      break;
    }
    if (c === ':') {
      if (end < 0) end = p - 1;
      const c2 = str[p++];
      if (c2 === '=') {
        op = ':=';
        break;
      }
      if (c2 === ':' && str[p++] === '=') {
        op = '::=';
        break;
      }
      return null;
    }
    if (str[p] === '=' && (c === '+' || c === '?' || c === '!')) {
      if (end < 0) end = p - 1;
      p++;
      op = (c + '=') as AssignOp;
      break;
    }
    if (end >= 0) return null;
    if (c === '$') {
      const o = str[p++];
      if (o === undefined) return null;
      if (o !== '(' && o !== '{') continue;
      const close = o === '(' ? ')' : '}';
      let count = 1;
      for (; p < str.length; p++) {
        if (str[p] === close && --count === 0) {
          p++;
          break;
        }
        if (str[p] === o) count++;
      }
    }
  }
  let v = p;
  while (isBlank(str[v])) v++;
  return { name: str.slice(nameStart, end), op, value: str.slice(v) };
}

export interface VarModifiers {
  assign: ParsedAssignment | null;
  private: boolean;
  override: boolean;
  define: string | null;
  undefine: string | null;
}

/**
 * parseVarAssignment mirrors make's parse_var_assignment: optional export/unexport/override/
 * private modifiers, then an assignment, or `define NAME [op]`, or `undefine NAME`. Returns null
 * for any other line. With `targetVar`, define/undefine are not allowed (target-specific syntax).
 */
export function parseVarAssignment(line: string, targetVar = false): VarModifiers | null {
  let p = 0;
  let priv = false;
  let over = false;
  while (isBlank(line[p])) p++;
  if (p >= line.length) return null;
  for (;;) {
    const a = parseVariableDefinition(line.slice(p));
    if (a) return { assign: a, private: priv, override: over, define: null, undefine: null };
    let e = p;
    while (e < line.length && !isSpace(line[e])) e++;
    const word = line.slice(p, e);
    let q = e;
    while (isBlank(line[q])) q++;
    if (!targetVar && word === 'define') return { assign: null, private: priv, override: over, define: line.slice(q), undefine: null };
    if (!targetVar && word === 'undefine') return { assign: null, private: priv, override: over, define: null, undefine: line.slice(q) };
    if (word !== 'export' && word !== 'unexport' && word !== 'override' && word !== 'private') return null;
    if (word === 'private') priv = true;
    if (word === 'override') over = true;
    p = q;
    if (p >= line.length) return null;
  }
}

/** The value of a variable whose definition differs between branches make may or may not take. */
export const UNKNOWN_DEF: VarDef = { flavor: 'simple', value: DYNAMIC, unknown: true };
/** Same, where some branch made it `override`: later plain assignments may be ignored. */
const UNKNOWN_OVERRIDE_DEF: VarDef = { flavor: 'simple', value: DYNAMIC, unknown: true, override: true };

/**
 * mergeDefs is the definition after branches that ended with `a` and `b`. An override on either
 * side is kept: a later plain assignment is then ignored, which leaves the value unknown, and
 * unknown is what it may be.
 */
export function mergeDefs(a: VarDef | undefined, b: VarDef | undefined): VarDef | undefined {
  if (sameDef(a, b)) return a;
  if (a?.override || b?.override) return UNKNOWN_OVERRIDE_DEF;
  const live = liveOf(a, b) ?? liveOf(b, a);
  if (live) return { flavor: 'simple', value: DYNAMIC, unknown: true, live };
  return onlyPrefixes(a) && onlyPrefixes(b) ? UNKNOWN_PREFIX_DEF : UNKNOWN_DEF;
}

/** A definition of the file's own lines, known in full: not unknown, an input, make's or private. */
function plainDef(d: VarDef | undefined): d is VarDef {
  return d !== undefined && !d.unknown && !d.input && !d.makeDefault && !d.private;
}

/** A dry run: a plain value that runs `echo` or `printf` when a recipe line starts with it. */
function dryRun(d: VarDef | undefined): boolean {
  return plainDef(d) && /^[ \t]*(?:echo|printf)(?:[ \t]|$)/.test(d.value);
}

/**
 * liveOf: the definition recipes read after branches that ended with `a` and `b`, when `b` is a
 * dry run (or a merge of one) and `a` the one other value, or a merge already holding it.
 */
function liveOf(a: VarDef | undefined, b: VarDef | undefined): VarDef | undefined {
  const la = a?.live ?? (plainDef(a) && !dryRun(a) ? a : undefined);
  if (!la) return undefined;
  if (dryRun(b)) return la;
  if (b?.live && sameDef(b.live, la)) return la;
  return undefined;
}

/**
 * Unknown, but in every branch only recipe prefix characters or nothing (`VECHO = @` when
 * VERBOSE is off, undefined otherwise): at the start of a recipe line make strips it either way.
 */
const UNKNOWN_PREFIX_DEF: VarDef = { flavor: 'simple', value: DYNAMIC, unknown: true, onlyPrefixes: true };

function onlyPrefixes(d: VarDef | undefined): boolean {
  if (!d) return true;
  if (d.onlyPrefixes) return true;
  if (d.unknown || d.private || d.input || d.makeDefault) return false;
  return /^[ \t@+-]*$/.test(d.value);
}

export function sameDef(a: VarDef | undefined, b: VarDef | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.flavor === b.flavor && a.value === b.value && !a.private === !b.private && !a.override === !b.override && !a.unknown === !b.unknown && !a.input === !b.input;
}

/** Expansion results from a reference: the value, and where the reference ends. */
interface RefResult {
  end: number;
  value: string;
}

/**
 * Variables is the variable table of one Makefile plus the expander. During reading, `assign`
 * follows make's per-flavor rules in file order; after reading, `expandMapped` expands recipe text
 * against the final table, as make does when it runs a recipe.
 */
export class Variables {
  private vars = new Map<string, VarDef>();
  /** Names a reference or `$(call …)` has expanded so far (the reader swaps it for another file's text). */
  used = new Set<string>();
  /** Names given a target- or pattern-specific value anywhere: unknown in recipes. */
  private targetSpecific = new Set<string>();
  private cache = new Map<string, string>();
  /** Cached values that hold an undecided `$(if …)` read as taken (see ifCall). */
  private undecidedIn = new Set<string>();
  /**
   * Set when a recipe expansion read an undecided `$(if COND,THEN)` as THEN: the line may not run.
   * The reader clears it before each recipe line.
   */
  undecidedIf = false;
  private condCache = new Map<string, string>();
  private expanding = new Set<string>();
  private work = 0;
  private depth = 0;
  /** The first expansion given up for its size since takeOverflow() last ran. */
  private overflow: string | null = null;
  /** Expansions cut short for their size, and the size of the last one. */
  private cuts = 0;
  private cutSize = 0;
  private cutsTaken = 0;
  /** Variables whose value was given up for its size, until the next assignment: each use is reported. */
  private oversized = new Map<string, number>();
  /** The work budget ran out: reported once per file. */
  private exhausted = false;
  private inRecipes = false;
  /**
   * Set while the reader expands a top-level line made of `$(eval …)` calls: each eval's expanded
   * text is handed over in order, for the reader to read as makefile lines (function.c func_eval).
   */
  evalSink: ((text: string) => void) | null = null;
  /** Expanding a conditional's arguments: an undefined variable is empty, as in a clean environment. */
  private inCondition = false;
  /**
   * Undo log of definitions replaced while a conditional with an undecidable condition is read,
   * so each branch can start from the state before the conditional. Null when no such branch is open.
   */
  private journal: { name: string; prev: VarDef | undefined }[] | null = null;
  /** Names assigned in a branch nested too deep to track exactly: unknown from then on. */
  private poisoned = new Set<string>();
  /** Depth of open branches whose assignments poison instead of being tracked. */
  private poisoning = 0;
  /** Set by forgetAll: only the names in knownAgain, assigned since, are known. */
  private allUnknown = false;
  private knownAgain = new Set<string>();

  /**
   * `assignedInFile`: every variable name the file assigns somewhere. A variable a condition reads
   * that the file never sets can only come from the environment (or the command line): unknown,
   * so the condition keeps both branches. One the file sets later is empty until then, as make
   * reads it in a clean environment.
   */
  constructor(
    private readonly assignedInFile: Set<string> | null = null,
    private readonly maxExpansion = MAX_EXPANSION,
    private readonly workBudget = MAX_WORK_BUDGET,
  ) {
    for (const name of MAKE_DEFAULTS) this.vars.set(name, { flavor: 'simple', value: DYNAMIC, makeDefault: true });
  }

  /**
   * knowShell gives SHELL make's own default, /bin/sh: GNU make never takes SHELL from the
   * environment (main.c, "SHELL is not imported" outside Windows), so on the Unix hosts recipes
   * run on, `ifeq ($(SHELL),sh.exe)` is false unless the file sets SHELL.
   */
  knowShell(): void {
    this.vars.set('SHELL', { flavor: 'simple', value: '/bin/sh', makeDefault: true });
  }

  /**
   * takeOverflow says whether an expansion since the last call was given up for its size (or the
   * file's work budget ran out), as a message for the line being read; null otherwise.
   */
  takeOverflow(): string | null {
    if (this.overflow === null && this.cuts !== this.cutsTaken) this.tooLarge('this line', this.cutSize);
    const o = this.overflow;
    this.overflow = null;
    this.cutsTaken = this.cuts;
    return o;
  }

  private tooLarge(what: string, _size: number): void {
    this.overflow ??= `${what} expands to more than limits.maxExpansion (${this.maxExpansion}) characters: it is not checked`;
  }

  private budgetSpent(): void {
    if (this.exhausted) return;
    this.exhausted = true;
    this.overflow ??= `the Makefile's expansions produce more than ${this.workBudget} characters in all: from here on they are not checked`;
  }

  /** An included file's assignments count as the file's own from now on (see the constructor). */
  addAssigned(names: Iterable<string>): void {
    if (this.assignedInFile) for (const n of names) this.assignedInFile.add(n);
  }

  /**
   * forgetAll: a file make includes here could not be read (its name is unknown, or make would
   * build it first), and it may set any variable. Every variable is unknown from now on, until
   * an assignment after this point sets it again.
   */
  forgetAll(): void {
    this.allUnknown = true;
    this.knownAgain = new Set();
    this.changed();
  }

  /** environmentOnly: the file never assigns `name`, so its value comes from outside the file. */
  private environmentOnly(name: string): boolean {
    return this.assignedInFile !== null && !this.assignedInFile.has(name);
  }

  private changed(): void {
    if (this.oversized.size) this.oversized = new Map();
    if (this.cache.size) this.cache = new Map();
    if (this.condCache.size) this.condCache = new Map();
    if (this.undecidedIn.size) this.undecidedIn = new Set();
  }

  get(name: string): VarDef | undefined {
    if (this.allUnknown && !this.knownAgain.has(name)) return UNKNOWN_DEF;
    if (this.poisoned.size && this.poisoned.has(name)) return UNKNOWN_DEF;
    return this.vars.get(name);
  }

  /** set replaces a definition, logged so that an open undecided branch can undo it. */
  private set(name: string, def: VarDef | undefined): void {
    if (this.journal) this.journal.push({ name, prev: this.vars.get(name) });
    if (this.allUnknown) this.knownAgain.add(name);
    if (def) this.vars.set(name, def);
    else this.vars.delete(name);
    // Outside every undecided branch an assignment makes a poisoned name known again.
    if (!this.journal && this.poisoned.size) this.poisoned.delete(name);
    this.changed();
  }

  /** startJournal begins logging replaced definitions; returns the mark to roll back to. */
  startJournal(): number {
    if (!this.journal) this.journal = [];
    return this.journal.length;
  }

  /** rollback undoes every change since `mark` and returns the definitions it undid, by name. */
  rollback(mark: number): Map<string, VarDef | undefined> {
    const j = this.journal ?? [];
    const undone = new Map<string, VarDef | undefined>();
    for (let k = mark; k < j.length; k++) {
      const name = j[k].name;
      if (!undone.has(name)) undone.set(name, this.vars.get(name));
    }
    for (let k = j.length - 1; k >= mark; k--) {
      const e = j[k];
      // The value restored may be one from before a forgetAll: unknown again.
      if (this.allUnknown) this.knownAgain.delete(e.name);
      if (e.prev) this.vars.set(e.name, e.prev);
      else this.vars.delete(e.name);
    }
    j.length = mark;
    this.changed();
    return undone;
  }

  /** setMerged sets a definition directly (the merge of a conditional's branches), logged. */
  setMerged(name: string, def: VarDef | undefined): void {
    if (!sameDef(this.vars.get(name), def)) this.set(name, def);
  }

  /** stopJournal ends logging when the outermost undecided conditional closes. */
  stopJournal(): void {
    this.journal = null;
  }

  /** poison makes every assignment until unpoison() leave its variable unknown for good. */
  poison(): void {
    this.poisoning++;
  }

  unpoison(): void {
    this.poisoning--;
  }

  /**
   * isDefined is make's ifdef test: the variable exists with a non-empty value, not expanded.
   * Null when that cannot be known (a value from make's defaults, the environment or a branch).
   */
  isDefined(name: string): boolean | null {
    const v = this.get(name);
    if (!v) return this.environmentOnly(name) ? null : false;
    if (v.value === '') return false;
    if (v.flavor === 'simple') {
      for (let i = 0; i < v.value.length; i++) if (v.value[i] !== DYNAMIC) return true;
      return null;
    }
    return true;
  }

  /** expandCondition expands a conditional's argument; an undefined variable is empty there. */
  expandCondition(text: string): string {
    this.inCondition = true;
    try {
      return this.expand(text);
    } finally {
      this.inCondition = false;
    }
  }

  /** recipeMode switches to recipe-time lookups, once the whole file has been read. */
  recipeMode(): void {
    this.inRecipes = true;
    this.changed();
  }

  /** assign applies one assignment; returns the stored definition. */
  assign(rawName: string, op: AssignOp | 'define', value: string, mods: { private?: boolean; override?: boolean } = {}): VarDef | undefined {
    const name = this.expand(rawName).trim();
    if (name === '' || name.includes(DYNAMIC)) return undefined;
    if (this.poisoning > 0) {
      this.poisoned.add(name);
      this.changed();
      return UNKNOWN_DEF;
    }
    const old = this.get(name);
    if (old?.override && !mods.override) return old;
    let def: VarDef;
    switch (op) {
      case '=':
      case 'define':
        def = { flavor: 'recursive', value };
        break;
      case ':=':
      case '::=':
        def = { flavor: 'simple', value: this.expand(value) };
        break;
      case '?=':
        if (old) return old;
        // `X ?=` with nothing after it changes nothing in a clean environment: it only says that
        // X comes from the caller (`make image GOARCH=arm64`, a CI job's variables). A recipe that
        // breaks on the empty default is one nobody runs without it, whether or not the file checks
        // (`[ -n "$(X)" ] || exit 1`), so recipes read it as unknown. Conditionals still read it
        // empty, as make does in a clean environment.
        def = value.trim() === '' ? { flavor: 'recursive', value: '', input: true } : { flavor: 'recursive', value };
        break;
      case '!=':
        def = { flavor: 'simple', value: DYNAMIC };
        break;
      case '+=': {
        if (!old) {
          def = { flavor: 'recursive', value };
          break;
        }
        if (old.unknown) {
          // The flavor differs between branches, so whether `$(…)` in the value expands now or
          // at each use is unknown too; plain text appends the same either way.
          if (value.includes('$')) return this.setUnknown(name, old);
          // The old value may be empty (then make adds no space): DYNAMIC stands for "old ".
          def = { flavor: 'simple', value: DYNAMIC + value };
          break;
        }
        const add = old.flavor === 'recursive' ? value : this.expand(value);
        // make 4.3 (variable.c): appending an empty value changes nothing, not even a space.
        if (add === '') return old;
        def = { flavor: old.flavor, value: join(old.value, add) };
        break;
      }
    }
    if (old?.input && op === '+=') def.input = true;
    // make never clears the private mark once set.
    if (mods.private || old?.private) def.private = true;
    if (mods.override || old?.override) def.override = true;
    this.set(name, def);
    return def;
  }

  private setUnknown(name: string, old: VarDef): VarDef {
    const def = old.override ? UNKNOWN_OVERRIDE_DEF : UNKNOWN_DEF;
    this.set(name, def);
    return def;
  }

  undefine(rawName: string, override = false): void {
    const name = this.expand(rawName).trim();
    if (this.poisoning > 0) {
      this.poisoned.add(name);
      this.changed();
      return;
    }
    if (this.get(name)?.override && !override) return;
    this.set(name, undefined);
  }

  /** isTargetSpecific tells whether some rule sets the variable for its own recipes. */
  isTargetSpecific(name: string): boolean {
    return this.targetSpecific.has(name);
  }

  markTargetSpecific(rawName: string): void {
    const name = this.expand(rawName).trim();
    if (name && !name.includes(DYNAMIC)) this.targetSpecific.add(name);
  }

  /** expand is make's variable_expand on plain text. */
  expand(text: string): string {
    if (!text.includes('$')) return text;
    let out = '';
    let i = 0;
    for (;;) {
      const d = text.indexOf('$', i);
      if (d < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, d);
      const r = this.reference(text, d);
      out += r.value;
      i = r.end;
      if (out.length > this.maxExpansion) {
        this.cuts++;
        this.cutSize = out.length;
        this.work += out.length;
        return DYNAMIC;
      }
    }
    this.work += text.length + out.length;
    return out;
  }

  /**
   * expandMapped expands recipe text: literal characters keep their map, and every character a
   * reference produces maps to the whole reference (`$$` gives `$` over both characters).
   */
  expandMapped(ms: Seq, recipeLine = false): Seq {
    const text = ms.text;
    if (!text.includes('$')) return ms;
    const b = new MapBuilder();
    let i = 0;
    // Only prefix characters so far: make strips them from the line before the shell sees it.
    let lead = recipeLine;
    for (;;) {
      const d = text.indexOf('$', i);
      const stop = d < 0 ? text.length : d;
      b.copy(ms, i, stop);
      if (lead && !/^[ \t@+-]*$/.test(text.slice(i, stop))) lead = false;
      if (d < 0) break;
      const r = this.reference(text, d);
      if (lead && r.value === DYNAMIC && this.prefixOnlyRef(text, d, r.end)) r.value = '';
      if (lead && !/^[ \t@+-]*$/.test(r.value)) lead = false;
      const start = startAt(ms, d);
      const end = spanOf(ms, d, r.end).end;
      // A value with newlines (a `define`, a `$(call …)` of one) splits the line into several shell
      // calls; `command` in makefile.ts runs each as make does.
      b.push(r.value, start, end);
      i = r.end;
      if (b.length > this.maxExpansion) {
        this.tooLarge('this recipe line', b.length);
        // The whole line becomes one unknown word: nothing of it is read.
        const whole = new MapBuilder();
        whole.push(DYNAMIC, text.length ? startAt(ms, 0) : ms.endOffset, ms.endOffset);
        this.work += b.length;
        return whole.build(ms.endOffset);
      }
    }
    this.work += text.length + b.length;
    return b.build(ms.endOffset);
  }

  /** prefixOnlyRef: text[d, end) is a plain `$(NAME)` whose branches all hold prefix characters only. */
  private prefixOnlyRef(text: string, d: number, end: number): boolean {
    const open = text[d + 1];
    const name = open === '(' || open === '{' ? text.slice(d + 2, end - 1) : text.slice(d + 1, end);
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || this.targetSpecific.has(name)) return false;
    return this.get(name)?.onlyPrefixes === true;
  }

  /** reference reads the reference starting at the `$` at index d. */
  private reference(text: string, d: number): RefResult {
    const c = text[d + 1];
    if (c === undefined) return { end: d + 1, value: '$' };
    if (c === '$') return { end: d + 2, value: '$' };
    if (c !== '(' && c !== '{') {
      // `$ ` names the variable " ", which never exists: make outputs nothing.
      if (isSpace(c)) return { end: d + 2, value: '' };
      return { end: d + 2, value: this.lookup(c) };
    }
    const open = c;
    const close = open === '(' ? ')' : '}';
    const beg = d + 2;
    // A built-in function: `$(name` followed by whitespace or end of text.
    let e = beg;
    while (e < text.length && /[A-Za-z0-9_-]/.test(text[e])) e++;
    if (e > beg && (e >= text.length || isSpace(text[e])) && FUNCTIONS.has(text.slice(beg, e))) {
      const m = matchClose(text, e, open, close);
      if (m >= 0 && text.slice(beg, e) === 'call') return { end: m + 1, value: this.call(text.slice(e, m), open, close) };
      if (m >= 0 && text.slice(beg, e) === 'foreach') return { end: m + 1, value: this.foreach(text.slice(e, m), open, close) };
      if (m >= 0 && text.slice(beg, e) === 'if') return { end: m + 1, value: this.ifCall(text.slice(e, m), open, close) };
      const textFn = TEXT_FUNCTIONS.get(text.slice(beg, e));
      if (m >= 0 && textFn) return { end: m + 1, value: this.textFunction(textFn, text.slice(e, m), open, close) };
      if (m >= 0 && text.slice(beg, e) === 'eval' && this.inRecipes) return { end: m + 1, value: this.evalInRecipe(text.slice(e, m)) };
      if (m >= 0 && text.slice(beg, e) === 'eval' && this.evalSink) {
        this.evalSink(this.expand(text.slice(e, m)));
        return { end: m + 1, value: '' };
      }
      return { end: m < 0 ? text.length : m + 1, value: DYNAMIC };
    }
    const firstClose = text.indexOf(close, beg);
    if (firstClose < 0) return { end: text.length, value: DYNAMIC }; // make: unterminated reference
    let name: string;
    let end: number;
    const dollar = text.indexOf('$', beg);
    if (dollar >= 0 && dollar < firstClose) {
      const m = matchClose(text, beg, open, close);
      if (m >= 0) {
        if (this.depth > MAX_DEPTH) return { end: m + 1, value: DYNAMIC };
        this.depth++;
        try {
          name = this.expand(text.slice(beg, m));
        } finally {
          this.depth--;
        }
        end = m + 1;
      } else {
        // make's "simple case": the raw text up to the first close is the name, e.g. `$($(a)`.
        name = text.slice(beg, firstClose);
        end = firstClose + 1;
      }
    } else {
      name = text.slice(beg, firstClose);
      end = firstClose + 1;
    }
    if (name.includes(DYNAMIC)) return { end, value: DYNAMIC };
    const colon = name.lastIndexOf(':');
    if (colon >= 0) {
      const eq = name.lastIndexOf('=');
      if (eq > colon) return { end, value: this.substRef(name.slice(0, colon), name.slice(colon + 1, eq), name.slice(eq + 1)) };
    }
    return { end, value: this.lookup(name) };
  }

  /**
   * call is make's `$(call NAME,ARG1,ARG2,…)` (function.c func_call): the arguments are split at
   * the commas outside parentheses and expanded, `$(0)`…`$(n)` are bound to the name and the
   * arguments while NAME's value is expanded, and unbound numbered variables are empty. A name
   * known only at run time, or a variable that is not defined, gives an unknown result.
   */
  private call(argsText: string, open: string, close: string): string {
    if (this.depth > MAX_DEPTH) return DYNAMIC;
    // The budget is counted here too: a function that calls itself twice in its own arguments
    // (`g = $(call g,$(call g,$(1)))`) branches at every level without looking a variable up.
    // A call costs about what reading CALL_WORK characters does: it binds ten variables and
    // empties the caches twice.
    this.work += argsText.length + CALL_WORK;
    if (this.work > this.workBudget) {
      this.budgetSpent();
      return DYNAMIC;
    }
    const raw = splitTopLevelCommas(argsText.replace(/^[ \t]+/, ''), open, close);
    this.depth++;
    try {
      const args = raw.map((a) => this.expand(a));
      const name = (args[0] ?? '').trim();
      if (!name || name.includes(DYNAMIC)) return DYNAMIC;
      const def = this.get(name);
      this.used.add(name);
      if (!def || def.value === DYNAMIC) return DYNAMIC;
      const saved: [string, VarDef | undefined][] = [];
      const bind = (n: string, value: string) => {
        saved.push([n, this.vars.get(n)]);
        this.vars.set(n, { flavor: 'simple', value });
      };
      bind('0', name);
      // make also hides the numbered variables of an outer call beyond this call's arguments.
      for (let k = 1; k < Math.max(args.length, 10); k++) bind(String(k), args[k] ?? '');
      this.changed();
      try {
        return def.flavor === 'simple' ? def.value : this.expand(def.value);
      } finally {
        for (let k = saved.length - 1; k >= 0; k--) {
          const [n, prev] = saved[k];
          if (prev) this.vars.set(n, prev);
          else this.vars.delete(n);
        }
        this.changed();
      }
    } finally {
      this.depth--;
    }
  }

  /**
   * foreach is make's `$(foreach VAR,LIST,TEXT)` (function.c func_foreach): VAR and LIST are
   * expanded, then TEXT once per word of LIST with VAR a simple variable holding that word; the
   * results are joined by single spaces. A list known only at run time gives an unknown result.
   */
  private foreach(argsText: string, open: string, close: string): string {
    return this.withArguments(argsText, open, close, 3, (raw) => {
      const body = raw.slice(2).join(',');
      const name = this.expand(raw[0]).trim();
      const list = this.expand(raw[1]);
      if (!name || name.includes(DYNAMIC) || list.includes(DYNAMIC)) return DYNAMIC;
      const words = list.split(/[ \t\n\v\f\r]+/).filter((w) => w !== '');
      if (!words.length) return '';
      const prev = this.vars.get(name);
      const results: string[] = [];
      try {
        for (const w of words) {
          this.vars.set(name, { flavor: 'simple', value: w });
          this.changed();
          results.push(this.expand(body));
          if (this.work > this.workBudget) return DYNAMIC;
        }
      } finally {
        if (prev) this.vars.set(name, prev);
        else this.vars.delete(name);
        this.changed();
      }
      return results.join(' ');
    });
  }

  /**
   * ifCall is make's `$(if COND,THEN[,ELSE])` (function.c func_if): COND, stripped of surrounding
   * blanks, is expanded; a non-empty result selects THEN, an empty one ELSE (or nothing). A COND
   * known only at run time that holds nothing else may be empty: without an ELSE the result is
   * THEN or nothing, read as THEN with `undecidedIf` set (the caller's line may not run, as in an
   * undecided `ifeq` branch); with an ELSE it is unknown.
   */
  private ifCall(argsText: string, open: string, close: string): string {
    return this.withArguments(argsText, open, close, 2, (raw) => {
      const elsePart = raw.slice(2).join(',');
      const cond = this.expand(raw[0].trim());
      if (cond === '') return raw.length > 2 ? this.expand(elsePart) : '';
      let known = false;
      for (let i = 0; i < cond.length && !known; i++) known = cond[i] !== DYNAMIC && !isSpace(cond[i]);
      if (known) return this.expand(raw[1]);
      // Outside recipes the value is stored: one branch read as taken would stand for both.
      if (!this.inRecipes || (raw.length > 2 && this.expand(elsePart) !== '')) return DYNAMIC;
      this.undecidedIf = true;
      return this.expand(raw[1]);
    });
  }

  /**
   * The arguments of a make function split at their top-level commas, handed to `body` one
   * nesting level down; unknown past the nesting budget or with fewer than `least` arguments
   * (make: "insufficient number of arguments").
   */
  private withArguments(argsText: string, open: string, close: string, least: number, body: (raw: string[]) => string): string {
    if (this.depth > MAX_DEPTH) return DYNAMIC;
    const raw = splitTopLevelCommas(argsText.replace(/^[ \t]+/, ''), open, close);
    if (raw.length < least) return DYNAMIC;
    this.depth++;
    try {
      return body(raw);
    } finally {
      this.depth--;
    }
  }

  /**
   * textFunction is one of make's text and file-name functions (GNU make manual, "Functions for
   * String Substitution and Analysis" and "Functions for File Names"): its arguments, split at
   * the top-level commas up to its argument count (the last one keeps the rest), are expanded and
   * the function applied. An argument known only at run time gives an unknown result.
   */
  private textFunction(fn: TextFunction, argsText: string, open: string, close: string): string {
    return this.withArguments(argsText, open, close, fn.args, (raw) => {
      const args = [...raw.slice(0, fn.args - 1), raw.slice(fn.args - 1).join(',')].map((a) => this.expand(a));
      if (args.some((a) => a.includes(DYNAMIC))) return DYNAMIC;
      return fn.apply(args) ?? DYNAMIC;
    });
  }

  /**
   * `$(eval TEXT)` in a recipe expands to nothing (function.c func_eval): make reads TEXT as
   * makefile lines while it expands the recipe, before the shell runs. The variables TEXT assigns
   * hold values known only then, so they are unknown from here on.
   */
  private evalInRecipe(argsText: string): string {
    const expanded = this.expand(argsText);
    for (const line of expanded.split('\n')) {
      const def = parseVariableDefinition(line.replace(/^[ \t]+/, '').replace(/^(?:override|export|private)[ \t]+/, ''));
      if (def && def.name && !def.name.includes(DYNAMIC)) {
        this.vars.set(def.name, UNKNOWN_DEF);
        this.changed();
      }
    }
    return '';
  }

  /** substRef is `$(VAR:from=to)`, make's patsubst with an implied leading `%`. */
  private substRef(name: string, from: string, to: string): string {
    const v = this.lookup(name);
    if (v.includes(DYNAMIC) || from.includes('\\') || to.includes('\\')) return DYNAMIC;
    if (v === '') return '';
    const pat = from.includes('%') ? from : '%' + from;
    const rep = from.includes('%') ? to : '%' + to;
    return patsubstWords(pat, rep, v);
  }

  /** lookup is the value of variable `name` as a recipe or `:=` would see it now. */
  private lookup(name: string): string {
    if (this.work > this.workBudget) {
      this.budgetSpent();
      return DYNAMIC;
    }
    this.work++;
    this.used.add(name);
    // A conditional is read while the file is read: it sees the global value, never a target's.
    if (!this.inCondition && this.targetSpecific.has(name)) return DYNAMIC;
    let v = this.get(name);
    if (!v) return this.inCondition && !this.environmentOnly(name) ? '' : DYNAMIC;
    // Recipes run the value of the branches that are not a dry run (see VarDef.live).
    if (v.live && this.inRecipes && !this.inCondition) v = v.live;
    if (v.private && this.inRecipes) return DYNAMIC;
    if (v.input && !this.inCondition) return DYNAMIC;
    if (v.flavor === 'simple') return v.value;
    const cache = this.inCondition ? this.condCache : this.cache;
    const cached = cache.get(name);
    if (cached !== undefined) {
      const size = this.oversized.get(name);
      if (size !== undefined) this.tooLarge(`$(${name})`, size);
      if (this.undecidedIn.has(name)) this.undecidedIf = true;
      return cached;
    }
    if (this.expanding.has(name) || this.depth > MAX_DEPTH) return DYNAMIC; // make: "references itself"
    this.expanding.add(name);
    this.depth++;
    const cutsBefore = this.cuts;
    const undecidedBefore = this.undecidedIf;
    this.undecidedIf = false;
    let value: string;
    try {
      value = this.expand(v.value);
    } finally {
      this.depth--;
      this.expanding.delete(name);
      if (this.undecidedIf) this.undecidedIn.add(name);
      this.undecidedIf ||= undecidedBefore;
    }
    const size = value.length > this.maxExpansion ? value.length : this.cuts !== cutsBefore ? this.cutSize : 0;
    if (size) {
      this.tooLarge(`$(${name})`, size);
      this.oversized.set(name, size);
      value = DYNAMIC;
    }
    cache.set(name, value);
    return value;
  }
}

/** join is make's `+=` of a non-empty value: old, a space, the new text (no space after nothing). */
function join(old: string, add: string): string {
  if (old === '') return add;
  // A value made only of unknowns may be empty, and then make writes no space: the DYNAMIC
  // stands for the space too.
  if (allDynamic(add)) return old + DYNAMIC;
  if (allDynamic(old)) return DYNAMIC + add;
  return old + ' ' + add;
}

/**
 * allDynamic tells whether a short value is only DYNAMIC characters. Long values never are, and
 * are not looked at: indexing a string built by `+=` would flatten it, once per append.
 */
function allDynamic(s: string): boolean {
  if (s.length > 16) return false;
  for (let i = 0; i < s.length; i++) if (s[i] !== DYNAMIC) return false;
  return true;
}

/** splitTopLevelCommas splits function arguments at the commas outside nested parentheses. */
function splitTopLevelCommas(text: string, open: string, close: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let p = 0; p < text.length; p++) {
    const c = text[p];
    if (c === open || c === '(' || c === '{') depth++;
    else if ((c === close || c === ')' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(from, p));
      from = p + 1;
    }
  }
  out.push(text.slice(from));
  return out;
}

/** matchClose finds the close paren matching an open one before `from`, counting nesting. */
export function matchClose(text: string, from: number, open: string, close: string): number {
  let count = 0;
  for (let p = from; p < text.length; p++) {
    const c = text[p];
    if (c === open) count++;
    else if (c === close && --count < 0) return p;
  }
  return -1;
}

/**
 * patsubstWords is make's patsubst_expand_pat on words: `pat` and `rep` hold one `%` each (rep
 * may hold none); the words of `text` matching `pat` are replaced, joined by single spaces.
 */
function patsubstWords(pat: string, rep: string, text: string): string {
  const pi = pat.indexOf('%');
  const pre = pat.slice(0, pi);
  const post = pat.slice(pi + 1);
  const ri = rep.indexOf('%');
  const words = text.split(/[ \t\n\v\f\r]+/).filter((w) => w !== '');
  let o = '';
  let spaced = false;
  for (const w of words) {
    const matched = w.length >= pre.length + post.length && w.startsWith(pre) && w.endsWith(post);
    if (matched) {
      const stem = w.slice(pre.length, w.length - post.length);
      o += ri >= 0 ? rep.slice(0, ri) + stem + rep.slice(ri + 1) : rep;
    } else o += w;
    // patsubst_expand_pat writes a space after every word except one replaced by a
    // %-less empty replacement, then drops the final space.
    if (!matched || ri >= 0 || rep !== '') {
      o += ' ';
      spaced = true;
    }
  }
  return spaced ? o.slice(0, -1) : o;
}

/** A make function computed here from its expanded arguments (null: make stops with an error). */
interface TextFunction {
  args: number;
  apply: (a: string[]) => string | null;
}

const wordsOf = (t: string): string[] => t.split(/[ \t\n\v\f\r]+/).filter((w) => w !== '');

/** make's `%` pattern of filter/filter-out: one unescaped `%` matches any stem; none, the word. */
function patternMatcher(p: string): ((w: string) => boolean) | null {
  if (p.includes('\\')) return null;
  const i = p.indexOf('%');
  if (i < 0) return (w) => w === p;
  const pre = p.slice(0, i);
  const post = p.slice(i + 1);
  return (w) => w.length >= pre.length + post.length && w.startsWith(pre) && w.endsWith(post);
}

function filterWords(patterns: string, text: string, keep: boolean): string | null {
  const ms = wordsOf(patterns).map(patternMatcher);
  if (ms.some((m) => m === null)) return null;
  return wordsOf(text)
    .filter((w) => ms.some((m) => m!(w)) === keep)
    .join(' ');
}

/** A positive decimal number, as make's word/wordlist want it (else make stops). */
function count(t: string, least: number): number | null {
  const s = t.trim();
  if (!/^[0-9]{1,9}$/.test(s)) return null;
  const n = Number(s);
  return n >= least ? n : null;
}

const TEXT_FUNCTIONS = new Map<string, TextFunction>([
  ['subst', { args: 3, apply: ([from, to, text]) => (from === '' ? null : text.split(from).join(to)) }],
  [
    'patsubst',
    {
      args: 3,
      apply: ([pat, rep, text]) => (pat.includes('%') && !pat.includes('\\') && !rep.includes('\\') ? patsubstWords(pat, rep, text) : null),
    },
  ],
  ['strip', { args: 1, apply: ([t]) => wordsOf(t).join(' ') }],
  ['findstring', { args: 2, apply: ([find, t]) => (t.includes(find) ? find : '') }],
  ['filter', { args: 2, apply: ([p, t]) => filterWords(p, t, true) }],
  ['filter-out', { args: 2, apply: ([p, t]) => filterWords(p, t, false) }],
  // make sorts with strcmp: code-unit order is the same for ASCII words.
  ['sort', { args: 1, apply: ([t]) => (/[^\x00-\x7f]/.test(t) ? null : [...new Set(wordsOf(t))].sort().join(' ')) }],
  [
    'word',
    {
      args: 2,
      apply: ([n, t]) => {
        const k = count(n, 1);
        return k === null ? null : (wordsOf(t)[k - 1] ?? '');
      },
    },
  ],
  [
    'wordlist',
    {
      args: 3,
      apply: ([s, e, t]) => {
        const a = count(s, 1);
        const b = count(e, 0);
        if (a === null || b === null) return null;
        // make copies the text from the first word to the last one, blanks between them kept.
        const spans = [...t.matchAll(/[^ \t\n\v\f\r]+/g)].slice(a - 1, b);
        return spans.length ? t.slice(spans[0].index, spans[spans.length - 1].index! + spans[spans.length - 1][0].length) : '';
      },
    },
  ],
  ['words', { args: 1, apply: ([t]) => String(wordsOf(t).length) }],
  ['firstword', { args: 1, apply: ([t]) => wordsOf(t)[0] ?? '' }],
  ['lastword', { args: 1, apply: ([t]) => wordsOf(t).at(-1) ?? '' }],
  [
    'addprefix',
    {
      args: 2,
      apply: ([p, t]) =>
        wordsOf(t)
          .map((w) => p + w)
          .join(' '),
    },
  ],
  [
    'addsuffix',
    {
      args: 2,
      apply: ([x, t]) =>
        wordsOf(t)
          .map((w) => w + x)
          .join(' '),
    },
  ],
  [
    'join',
    {
      args: 2,
      apply: ([a, b]) => {
        const x = wordsOf(a);
        const y = wordsOf(b);
        return Array.from({ length: Math.max(x.length, y.length) }, (_, i) => (x[i] ?? '') + (y[i] ?? '')).join(' ');
      },
    },
  ],
  [
    'dir',
    {
      args: 1,
      apply: ([t]) =>
        wordsOf(t)
          .map((w) => (w.includes('/') ? w.slice(0, w.lastIndexOf('/') + 1) : './'))
          .join(' '),
    },
  ],
  [
    'notdir',
    {
      args: 1,
      apply: ([t]) =>
        wordsOf(t)
          .map((w) => w.slice(w.lastIndexOf('/') + 1))
          .join(' '),
    },
  ],
]);
