/**
 * Makefile conditionals: consumes `ifeq`/`ifneq`/`ifdef`/`ifndef`/`else`/`endif` lines in file
 * order and tells the reader whether the lines that follow are read, the way GNU make 4.3's
 * conditional_line decides it, with the variable values of that point of the file.
 *
 * A condition can also be undecidable here (it depends on `$(shell …)`, another function, a value
 * from make's defaults, or a variable that an earlier undecided conditional left unknown). Then
 * every branch that could run is read, each starting from the state before the conditional, and
 * at `endif` each variable keeps its value only when every possible outcome agrees on it;
 * otherwise it becomes unknown (DYNAMIC at its uses).
 */
import { DYNAMIC } from '../core/mapped-string';
import { mergeDefs, type VarDef, type Variables } from './makefile-vars';

/** true / false, or null for a condition that cannot be decided statically. */
export type Tri = boolean | null;

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

export const CONDITIONAL_WORDS = new Set(['ifdef', 'ifndef', 'ifeq', 'ifneq', 'else', 'endif']);

/**
 * Undecided conditionals nested deeper than this are not tracked branch by branch: a variable
 * assigned inside one stays unknown. It bounds the merge work to a constant per assignment.
 */
const MAX_TRACKED_DEPTH = 32;

/** The outcome of evaluating an `if…` directive: the condition, or why make rejects the line. */
export interface Evaluated {
  value: Tri;
  /** make's "invalid syntax in conditional" (fatal there). */
  invalid?: boolean;
  /** make's "extraneous text after '…' directive" (an error, but make goes on). */
  extraText?: boolean;
}

function skipSpace(s: string, p: number): number {
  while (p < s.length && isSpace(s[p])) p++;
  return p;
}

/**
 * evaluateIf is the `if…` half of conditional_line: `rest` is the text after the directive word
 * (comments removed, continuations collapsed, leading whitespace skipped).
 */
export function evaluateIf(kind: string, rest: string, vars: Variables): Evaluated {
  if (kind === 'ifdef' || kind === 'ifndef') {
    const name = vars.expandCondition(rest);
    if (name.includes(DYNAMIC)) return { value: null };
    let e = 0;
    while (e < name.length && !isSpace(name[e])) e++;
    if (skipSpace(name, e) < name.length) return { value: null, invalid: true };
    const d = e === 0 ? false : vars.isDefined(name.slice(0, e));
    if (d === null) return { value: null };
    return { value: kind === 'ifdef' ? d : !d };
  }
  // ifeq / ifneq: `(a,b)`, or two quoted strings, each quoted with ' or ".
  let line = 0;
  let termin = rest[0] === '(' ? ',' : rest[0];
  if (termin !== ',' && termin !== '"' && termin !== "'") return { value: null, invalid: true };
  const s1Start = ++line;
  if (termin === ',') {
    let count = 0;
    for (; line < rest.length; line++) {
      const c = rest[line];
      if (c === '(') count++;
      else if (c === ')') count--;
      else if (c === ',' && count <= 0) break;
    }
  } else while (line < rest.length && rest[line] !== termin) line++;
  if (line >= rest.length) return { value: null, invalid: true };
  let s1End = line;
  if (termin === ',') {
    // Blanks before the comma are not part of the first string.
    while (s1End > s1Start && isBlank(rest[s1End - 1])) s1End--;
  }
  line++;
  const s1 = vars.expandCondition(rest.slice(s1Start, s1End));
  if (termin !== ',') line = skipSpace(rest, line);
  termin = termin === ',' ? ')' : rest[line];
  if (termin !== ')' && termin !== '"' && termin !== "'") return { value: null, invalid: true };
  let s2Start: number;
  if (termin === ')') {
    let count = 0;
    s2Start = skipSpace(rest, line);
    for (line = s2Start; line < rest.length; line++) {
      const c = rest[line];
      if (c === '(') count++;
      else if (c === ')') {
        if (count <= 0) break;
        count--;
      }
    }
  } else {
    s2Start = ++line;
    while (line < rest.length && rest[line] !== termin) line++;
  }
  if (line >= rest.length) return { value: null, invalid: true };
  const s2End = line++;
  const extraText = skipSpace(rest, line) < rest.length;
  const s2 = vars.expandCondition(rest.slice(s2Start, s2End));
  if (s1.includes(DYNAMIC) || s2.includes(DYNAMIC)) return { value: null, extraText };
  return { value: (s1 === s2) === (kind === 'ifeq'), extraText };
}

/** The parts of the reader's own state that a branch can change (its current rule). */
export interface BranchState<S> {
  save(): S;
  restore(s: S): void;
  same(a: S, b: S): boolean;
  /** The state after a conditional whose possible outcomes (`ends`, two or more) disagree on it. */
  confused(ends: S[]): S;
}

interface Level<S> {
  /** An outer branch is not read: nothing in this conditional is, and nothing is evaluated. */
  dead: boolean;
  seenElse: boolean;
  /** Whether an earlier branch ran: certainly not, maybe, or certainly. */
  prior: 'none' | 'maybe' | 'taken';
  /** Whether the current branch is read: yes, as one of several possible outcomes, or no. */
  status: 'yes' | 'maybe' | 'no';
  /** A branch with a condition true given that no earlier one ran: some branch certainly runs. */
  exhaustive: boolean;
  /** Set once a branch is read as a possible outcome; then the fields below are in use. */
  tracked: boolean;
  poisoned: boolean;
  mark: number;
  pre: S | null;
  /** Per variable: its merged definition over the outcomes that changed it, and their number. */
  merged: Map<string, { def: VarDef | undefined; n: number }>;
  outcomes: number;
  end: S | null;
  endAgree: boolean;
  /** The state at the end of each possible outcome, while they disagree. */
  ends: S[];
}

export interface CondProblem {
  message: string;
}

/**
 * Conditionals is make's conditional stack (struct conditionals) with a third state: a branch
 * read as one possible outcome. Every operation is constant time apart from the merge work,
 * which is bounded per assignment, so huge or deeply nested files stay linear.
 */
export class Conditionals<S> {
  private stack: Level<S>[] = [];
  /** Levels whose current branch is not read. */
  private inactive = 0;
  /** Levels read as possible outcomes (tracked or poisoned). */
  private undecided = 0;
  private tracked = 0;
  /**
   * Called where make expands a condition (`ifeq`, `ifneq`, `ifdef`, `ifndef`, and those after
   * `else` when no earlier branch ran), with whether that point may not be reached.
   */
  onCondition: ((maybe: boolean) => void) | null = null;

  constructor(
    private readonly vars: Variables,
    private readonly state: BranchState<S>,
  ) {}

  /** Whether the lines at this point are read (make's `ignoring == 0`). */
  get active(): boolean {
    return this.inactive === 0;
  }

  /** Whether this point of the file is inside a branch make may or may not take. */
  get maybe(): boolean {
    return this.undecided > 0;
  }

  get depth(): number {
    return this.stack.length;
  }

  /**
   * line handles one conditional directive (`word` is one of CONDITIONAL_WORDS, `rest` the text
   * after it); returns the problems make would report, as messages.
   */
  line(word: string, rest: string): string[] {
    if (word === 'endif') return this.endif(rest);
    if (word === 'else') return this.else(rest);
    return this.if(word, rest);
  }

  private if(word: string, rest: string): string[] {
    const level: Level<S> = {
      dead: !this.active,
      seenElse: false,
      prior: 'none',
      status: 'no',
      exhaustive: false,
      tracked: false,
      poisoned: false,
      mark: 0,
      pre: null,
      merged: new Map(),
      outcomes: 0,
      end: null,
      endAgree: true,
      ends: [],
    };
    this.stack.push(level);
    if (level.dead) {
      // make does not even expand the condition of a conditional inside an ignored branch.
      this.inactive++;
      return [];
    }
    this.onCondition?.(this.maybe);
    const ev = evaluateIf(word, rest, this.vars);
    const problems = this.syntaxProblems(word, ev);
    this.enter(level, ev.value);
    return problems;
  }

  private syntaxProblems(word: string, ev: Evaluated): string[] {
    if (ev.invalid) return ['invalid conditional: make reports "invalid syntax in conditional" and stops'];
    if (ev.extraText) return [`text after the closing quote or parenthesis: make reports "extraneous text after '${word}' directive"`];
    return [];
  }

  /** enter starts a branch whose own condition is c, given the level's earlier branches. */
  private enter(level: Level<S>, c: Tri): void {
    let status: Level<S>['status'];
    if (level.prior === 'taken' || c === false) status = 'no';
    else if (level.prior === 'maybe' || c === null) status = 'maybe';
    else status = 'yes';
    if (status !== 'no' && c === true) level.exhaustive = true;
    level.status = status;
    if (status === 'no') this.inactive++;
    else if (status === 'maybe') this.startOutcome(level);
  }

  private startOutcome(level: Level<S>): void {
    if (level.tracked || level.poisoned) {
      if (level.poisoned) this.vars.poison();
      return;
    }
    this.undecided++;
    level.pre = this.state.save();
    if (this.tracked >= MAX_TRACKED_DEPTH) {
      level.poisoned = true;
      this.vars.poison();
      return;
    }
    level.tracked = true;
    this.tracked++;
    level.mark = this.vars.startJournal();
  }

  /** endOutcome closes a branch read as a possible outcome and returns to the state before it. */
  private endOutcome(level: Level<S>): void {
    this.noteEnd(level, this.state.save());
    this.state.restore(level.pre as S);
    if (level.poisoned) {
      this.vars.unpoison();
      return;
    }
    const undone = this.vars.rollback(level.mark);
    for (const [name, def] of undone) {
      const m = level.merged.get(name);
      if (!m) level.merged.set(name, { def, n: 1 });
      else {
        m.def = mergeDefs(m.def, def);
        m.n++;
      }
    }
    level.outcomes++;
  }

  private noteEnd(level: Level<S>, s: S): void {
    if (level.end === null) level.end = s;
    else if (level.endAgree && !this.state.same(level.end, s)) level.endAgree = false;
    level.ends.push(s);
  }

  /** leaveBranch ends the current branch of the top level. */
  private leaveBranch(level: Level<S>): void {
    if (level.status === 'no') this.inactive--;
    else if (level.status === 'maybe') this.endOutcome(level);
    // After a branch whose condition held (certainly, or given that no earlier one ran), no later one runs.
    if (level.status === 'yes' || level.exhaustive) level.prior = 'taken';
    else if (level.status === 'maybe' && level.prior === 'none') level.prior = 'maybe';
  }

  private else(rest: string): string[] {
    const level = this.stack[this.stack.length - 1];
    if (!level) return ['"else" without a conditional: make reports "extraneous \'else\'" and stops'];
    const problems: string[] = [];
    if (level.seenElse) problems.push('a second "else" in one conditional: make reports "only one \'else\' per conditional" and stops');
    this.leaveBranch(level);
    if (level.dead) {
      this.inactive++;
      level.status = 'no';
      return problems;
    }
    let c: Tri = true;
    if (rest === '') level.seenElse = true;
    else {
      let e = 1;
      while (e < rest.length && !isSpace(rest[e])) e++;
      const word = rest.slice(0, e);
      if (word === 'ifeq' || word === 'ifneq' || word === 'ifdef' || word === 'ifndef') {
        if (level.prior === 'taken') {
          // A branch already ran: make pushes the level as ignored without expanding anything.
          c = false;
        } else {
          this.onCondition?.(this.maybe || level.prior === 'maybe');
          const ev = evaluateIf(word, rest.slice(skipSpace(rest, e)), this.vars);
          problems.push(...this.syntaxProblems(word, ev));
          c = ev.invalid ? null : ev.value;
        }
      } else problems.push('text after "else" that is not a conditional: make reports "extraneous text after \'else\' directive"');
    }
    this.enter(level, c);
    return problems;
  }

  private endif(rest: string): string[] {
    const problems: string[] = [];
    if (rest !== '') problems.push('text after "endif": make reports "extraneous text after \'endif\' directive"');
    const level = this.stack.pop();
    if (!level) {
      problems.push('"endif" without a conditional: make reports "extraneous \'endif\'" and stops');
      return problems;
    }
    this.leaveBranch(level);
    if (level.tracked || level.poisoned) this.finish(level);
    return problems;
  }

  /** finish merges the possible outcomes of an undecided conditional into the current state. */
  private finish(level: Level<S>): void {
    this.undecided--;
    const pre = level.pre as S;
    // Without a branch that certainly runs, "no branch ran" is an outcome too.
    if (!level.exhaustive) this.noteEnd(level, pre);
    this.state.restore(level.endAgree && level.end !== null ? level.end : this.state.confused(level.ends));
    if (level.poisoned) return;
    this.tracked--;
    const outcomes = level.outcomes + (level.exhaustive ? 0 : 1);
    for (const [name, m] of level.merged) {
      let def = m.def;
      // Outcomes that left the variable alone keep the value from before the conditional.
      if (m.n < outcomes) def = mergeDefs(def, this.vars.get(name));
      this.vars.setMerged(name, def);
    }
    if (this.tracked === 0) this.vars.stopJournal();
  }

  /** unclosed is the number of conditionals still open at end of file (make: "missing 'endif'"). */
  unclosed(): number {
    return this.stack.length;
  }
}
