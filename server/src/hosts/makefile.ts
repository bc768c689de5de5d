/**
 * Makefile host: consumes the text of a Makefile and produces one shell region per command GNU
 * make 4.3 would hand to `$(SHELL) -c` (one per logical recipe line, or one per rule under
 * `.ONESHELL:`), with make variables expanded where they are statically known and DYNAMIC where
 * not. Every character maps back to the file: literals to themselves, expansions to the whole
 * reference. Host-level mistakes make would reject (spaces instead of a tab) become problems.
 */
import { DYNAMIC, startAt } from '../core/mapped-string';
import type { HostProblem, HostResult, ShellRegion } from './region';
import { CharMapBuilder, lineTerminator, MapBuilder, mapLine, seqSlice, splitLogicalLines, toMapped, type LogicalLine, type Seq } from './makefile-lines';
import { Conditionals, CONDITIONAL_WORDS } from './makefile-cond';
import { isGlob, MadeTargets, MAX_INCLUDE_DEPTH, MAX_INCLUDE_FILES, normalize, type MakeIncludes } from './makefile-include';
import { collapseContinuations, findMapUnquote, matchClose, parseVarAssignment, parseVariableDefinition, removeComments, Variables, workBudgetFor, type AssignOp, type VarDef } from './makefile-vars';

interface RecipeLine {
  /** Recipe text without its prefix character, as make stores it. */
  ms: Seq;
  /** Offset of the LF ending the line (the ONESHELL separator maps to it), or -1. */
  nl: number;
  /** The line sits in a branch of a conditional that make may or may not take. */
  maybe: boolean;
}

/**
 * The scope of what make runs while it reads the file (`$(shell …)` in a conditional), before any
 * recipe: a target name can never be it (`make:` prefixes those).
 */
/** Assignments whose value make expands as it reads the line (GNU make manual, "Flavors"). */
const IMMEDIATE = new Set<string>([':=', '::=']);
const READ_TIME: Rule = { prefix: '\t', lines: [], scope: 'make-read', after: [] };

interface Rule {
  /** The recipe prefix in force when the rule line was read. */
  prefix: string;
  lines: RecipeLine[];
  /** The rule names only special targets (`.PHONY:`): make never runs its recipe. */
  special?: string;
  /** `make:` and the rule's first target (a pattern rule's pattern): the recipe's scope. */
  scope: string;
  /** Scopes of the rule's normal prerequisites, which make brings up to date first. */
  after: string[];
  /** The rule line's targets, as written (blanks collapsed). */
  targets?: string;
}

/** The part of the reader's state a conditional branch can change: which rule recipe lines join. */
interface RuleState {
  current: Rule | null;
  noTargets: boolean;
}

/** Special targets whose recipe make ignores (`.DEFAULT` is missing on purpose: its recipe runs). */
const SPECIAL_TARGETS = new Set([
  '.PHONY',
  '.SUFFIXES',
  '.PRECIOUS',
  '.INTERMEDIATE',
  '.NOTINTERMEDIATE',
  '.SECONDARY',
  '.SECONDEXPANSION',
  '.DELETE_ON_ERROR',
  '.IGNORE',
  '.LOW_RESOLUTION_TIME',
  '.SILENT',
  '.EXPORT_ALL_VARIABLES',
  '.NOTPARALLEL',
  '.ONESHELL',
  '.POSIX',
]);

interface Mods {
  private: boolean;
  override: boolean;
}

/** Nesting of `$(eval …)` texts read as makefile lines; deeper ones are skipped. */
const MAX_EVAL_DEPTH = 8;

/**
 * fixedLine turns a line of an `$(eval …)` text into a line of the file whose every character
 * maps to the eval line `at`: the text exists only in make's memory.
 */
function fixedLine(l: LogicalLine, at: { start: number; end: number }): LogicalLine {
  const segs: number[] = [];
  for (let k = 0; k < l.segs.length; k += 3) segs.push(at.start, at.end, -1);
  return { text: l.text, segs, start: at.start, fixed: at };
}

const RULE_ENDERS = new Set(['export', 'unexport', 'vpath', 'include', '-include', 'sinclude', 'load', '-load']);
const BOURNE_SHELLS = new Set(['sh', 'bash', 'dash', 'ksh', 'rksh', 'zsh', 'ash']);

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
/**
 * The directory of the makefile being read, as its own lines spell it (make's MAKEFILE_LIST
 * holds the file last read): `$(shell dirname $(realpath $(lastword $(MAKEFILE_LIST))))`,
 * `$(abspath $(dir $(lastword $(MAKEFILE_LIST))))`, `$(patsubst %/,%,$(dir $(abspath …)))`;
 * group 1 is set for `$(dir $(abspath …))`, whose result ends in `/`.
 */
const LAST_FILE = String.raw`\$\((?:realpath|abspath)[ \t]+\$\(lastword[ \t]+\$\(MAKEFILE_LIST\)\)\)`;
const LAST_DIR = String.raw`\$\(dir[ \t]+\$\(lastword[ \t]+\$\(MAKEFILE_LIST\)\)\)`;
const HERE_DIR = new RegExp(
  String.raw`^[ \t]*(?:\$\(shell[ \t]+dirname[ \t]+${LAST_FILE}\)|\$\((?:realpath|abspath)[ \t]+${LAST_DIR}\)|\$\(patsubst[ \t]+%/,%,\$\(dir[ \t]+${LAST_FILE}\)\)|\$\(dir[ \t]+${LAST_FILE}(\)))[ \t]*$`,
);

const isPrefixOrBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '@' || c === '-' || c === '+';

/**
 * `included`: the file is a fragment another Makefile includes (`*.mk`); the SHELL its recipes
 * run under is the including Makefile's, so a fragment that never sets SHELL is read as bash.
 */
export function readMakefile(text: string, maxExpansion?: number, included = false, includes?: MakeIncludes): HostResult {
  const { regions, problems } = readMakefileBranches(text, maxExpansion, included, includes);
  return { regions, problems };
}

/**
 * readMakefileBranches is readMakefile plus, for each region, whether it comes from a branch of a
 * conditional whose condition kbx-lint cannot decide (make may run it or not). A ONESHELL region
 * counts as such only when all of its lines do.
 */
export function readMakefileBranches(text: string, maxExpansion?: number, included = false, includes?: MakeIncludes): HostResult & { maybe: boolean[] } {
  try {
    const r = new MakefileReader(text, maxExpansion, included, includes).read();
    // The includer never reached its include of this fragment (a branch not taken): read alone.
    if (r.notReached) return new MakefileReader(text, maxExpansion, included, includes && { ...includes, includer: undefined }).read();
    return r;
  } catch (e) {
    // A reader bug must not take the linter down; report it and lint nothing in this file.
    return {
      maybe: [],
      regions: [],
      problems: [
        {
          span: { start: 0, end: 0 },
          message: `internal error while reading the Makefile: ${e instanceof Error ? e.message : String(e)}`,
          severity: 'info',
        },
      ],
    };
  }
}

/**
 * assignedNames lists the variable names the file assigns anywhere (`NAME = …`, `:=`, `::=`,
 * `?=`, `+=`, `!=`, with `override`/`export`/`private`, and `define NAME`), read from the raw
 * lines: a name built by an expansion (`$(X)_DIR = …`) is not listed, so everything a
 * condition reads and no line names stays unknown.
 */
function assignedNames(src: string): Set<string> {
  const out = new Set<string>();
  const re = /^[ \t]*(?:(?:override|export|private|unexport)[ \t]+)*(?:define[ \t]+([^\s=:#]+)|([^\s=:#?+!$()]+)[ \t]*(?:::?=|:::=|\?=|\+=|!=|=))/gm;
  for (const m of src.matchAll(re)) out.add(m[1] ?? m[2]);
  return out;
}

class MakefileReader {
  private vars: Variables;
  private problems: HostProblem[] = [];
  private rules: Rule[] = [];
  private cmdPrefix = '\t';
  private posix = false;
  private oneShell = false;
  /** Parallel to the regions: see readMakefileBranches. */
  private maybe: boolean[] = [];
  /** Commands make runs while reading the file, expanded there, with whether their branch is undecided. */
  private readTimeCalls: { ms: Seq; maybe: boolean }[] = [];

  constructor(
    private readonly src: string,
    maxExpansion?: number,
    private readonly included = false,
    private readonly includes?: MakeIncludes,
  ) {
    this.vars = new Variables(assignedNames(src), maxExpansion, workBudgetFor(src.length));
    this.madeFrom.push(src);
    // A fragment runs under the SHELL of the Makefile that includes it, which may set it.
    if (!this.shellFromIncluder) this.vars.knowShell();
    this.ownUsed = this.vars.used;
  }

  /** A fragment read alone: the Makefile that includes it, unread, sets SHELL or not. */
  private get shellFromIncluder(): boolean {
    return this.included && !this.includes?.includer;
  }

  /** `current` is make's `filenames != 0`; `noTargets` swallows the recipe of a target-less rule. */
  private current: Rule | null = null;
  private noTargets = false;
  private inIgnoredDefine = false;
  private conds!: Conditionals<RuleState>;
  /** How deep the `$(eval …)` texts being read are nested (each read like makefile lines). */
  private evalDepth = 0;
  /** The included files being read, outermost first: their lines map to the include line. */
  private includeStack: string[] = [];
  /** Depth of text being read that is not this file's own (an included file, the includer). */
  private foreign = 0;
  /** The fragment's own lines were read where its includer includes it. */
  private reachedSelf = false;
  /**
   * What the file's own lines expand, apart from what other files' text does: a fragment's macro
   * its includer instantiates is still read as one only includers use (readUncalledDefines).
   */
  private readonly ownUsed: Set<string>;
  private readonly foreignUsed = new Set<string>();
  /** Variables set to the directory of the file read where they were set (HERE_DIR). */
  private hereDirs = new Map<string, { def: VarDef; dir: string }>();
  private includedFiles = 0;
  private includedBytes = 0;
  /** The rule targets of every text read so far: what make could build (each text read once). */
  private made: MadeTargets | null = null;
  private madeFrom: string[] = [];
  /** The file's own top-level `define`s, in order. */
  private defines: { name: string; body: string[]; span: { start: number; end: number } }[] = [];

  read(): HostResult & { maybe: boolean[]; notReached?: boolean } {
    const lines = splitLogicalLines(this.src);
    this.conds = new Conditionals<RuleState>(this.vars, {
      save: () => ({ current: this.current, noTargets: this.noTargets }),
      restore: (s) => {
        this.current = s.current;
        this.noTargets = s.noTargets;
      },
      same: (a, b) => a.current === b.current && a.noTargets === b.noTargets,
      confused: (ends) => this.sameTargetsRule(ends) ?? { current: null, noTargets: true },
    });
    const includer = this.includes?.includer;
    if (includer) {
      // The fragment's lines are read where the includer includes them (include, below).
      this.vars.addAssigned(assignedNames(includer.text));
      this.madeFrom.push(includer.text);
      this.foreign++;
      this.vars.used = this.foreignUsed;
      this.readLines(splitLogicalLines(includer.text).map((l) => fixedLine(l, { start: 0, end: 0 })));
      this.vars.used = this.ownUsed;
      this.foreign--;
      if (!this.reachedSelf) return { regions: [], problems: [], maybe: [], notReached: true };
    } else this.readLines(lines);
    if (lines.length) this.overflowAt(lines[lines.length - 1]);
    if (this.included && this.defines.length && this.conds.unclosed() === 0) this.readUncalledDefines();
    const conds = this.conds;
    if (conds.unclosed() > 0) {
      const end = this.src.length;
      this.problems.push({
        span: { start: end, end },
        message: `${conds.unclosed()} conditional(s) not closed at end of file: make reports "missing 'endif'" and stops`,
        severity: 'warning',
      });
    }
    const regions = this.regions();
    return { regions, problems: this.problems, maybe: this.maybe };
  }

  /**
   * The branches of an undecided conditional end in different rule lines. When every path ends
   * in a rule line for the same targets (`build_%:` then `ifeq (…)` `build_%: base` `endif`), the
   * recipe lines after the conditional are that target's recipe whichever path make took: they
   * join a rule of those targets whose prerequisites are the ones every path names. Otherwise
   * later recipe lines have no certain rule, so none is read.
   */
  private sameTargetsRule(ends: RuleState[]): RuleState | null {
    const first = ends[0]?.current;
    if (!first || ends.some((s) => s.noTargets || !s.current || s.current.targets !== first.targets || s.current.prefix !== first.prefix)) return null;
    const everyPath = first.after.filter((a) => ends.every((s) => s.current!.after.includes(a)));
    const rule: Rule = { prefix: first.prefix, lines: [], special: first.special, scope: first.scope, after: everyPath, targets: first.targets };
    if (this.foreign === 0) this.rules.push(rule);
    return { current: rule, noTargets: false };
  }

  /** readLines reads logical lines of the file, or of an `$(eval …)` text, as make's eval_buffer does. */
  private readLines(lines: LogicalLine[]): void {
    const conds = this.conds;
    for (let li = 0; li < lines.length; li++) {
      if (li > 0) this.overflowAt(lines[li - 1]);
      const line = lines[li];
      const t = line.text;
      if (t === '') continue;
      const current = this.current;
      if (t[0] === this.cmdPrefix) {
        if (this.noTargets) continue;
        if (current) {
          if (!conds.active) continue;
          if (current.special && current.lines.length === 0) {
            this.problem(line, `this recipe belongs to the special target ${current.special} and never runs; a recipe needs its own rule line naming the target ("name:")`);
          }
          current.lines.push({ ms: mapLine(line, 1), nl: lineTerminator(line), maybe: conds.maybe });
          continue;
        }
      }
      const collapsed = removeComments(collapseContinuations(t, this.posix));
      const mod = parseVarAssignment(collapsed);
      if (mod && !conds.active) {
        // make skips an ignored define's body up to the first endef, nested defines or not.
        if (mod.define !== null) this.inIgnoredDefine = true;
        continue;
      }
      if (mod) {
        this.current = null;
        this.noTargets = false;
        const mods = { private: mod.private, override: mod.override };
        if (mod.undefine !== null) this.vars.undefine(mod.undefine, mod.override);
        else if (mod.define !== null) li = this.readDefine(lines, li, mod.define, mods);
        else if (mod.assign) {
          // `BUILDER := $(shell docker buildx create --use)`: make expands a simple variable's
          // value, running the call, while it reads the line (every run of make, whatever the goal).
          if (IMMEDIATE.has(mod.assign.op) && mod.assign.value.includes('shell')) {
            this.shellCalls(collapseInRefs(mapLine(line)), READ_TIME, conds.maybe, null, (ms) => this.foreign === 0 && this.evalDepth === 0 && this.readTimeCalls.push({ ms, maybe: conds.maybe }));
          }
          this.assign(mod.assign.name, mod.assign.op, mod.assign.value, mods);
        }
        continue;
      }
      let p = 0;
      while (p < collapsed.length && isSpace(collapsed[p])) p++;
      if (p >= collapsed.length) continue;
      let e = p;
      while (e < collapsed.length && !isSpace(collapsed[e])) e++;
      const word = collapsed.slice(p, e);
      if (this.inIgnoredDefine) {
        if (word === 'endef' && collapsed.slice(e).trim() === '') this.inIgnoredDefine = false;
        continue;
      }
      // A conditional never ends the current rule: recipe lines after it stay with their rule.
      if (CONDITIONAL_WORDS.has(word)) {
        let r = e;
        while (r < collapsed.length && isSpace(collapsed[r])) r++;
        // make runs an `ifeq ($(shell docker buildx inspect …),running)` call while it reads the
        // file, when it expands the condition (not after a branch already taken).
        conds.onCondition = collapsed.includes('shell')
          ? (maybe) => this.shellCalls(collapseInRefs(mapLine(line)), READ_TIME, maybe, null, (ms) => this.foreign === 0 && this.readTimeCalls.push({ ms, maybe }))
          : null;
        for (const m of conds.line(word, collapsed.slice(r))) this.problem(line, m);
        conds.onCondition = null;
        continue;
      }
      if (!conds.active) continue;
      if (RULE_ENDERS.has(word)) {
        this.current = null;
        this.noTargets = false;
        if (this.includes && (word === 'include' || word === '-include' || word === 'sinclude')) {
          this.include(line, word === 'include', collapsed.slice(e));
          this.current = null;
          this.noTargets = false;
        }
        continue;
      }
      this.current = null;
      this.noTargets = false;
      if (t[0] === this.cmdPrefix) {
        this.problem(line, 'recipe line outside of any rule: make reports "recipe commences before first target"');
        continue;
      }
      if (collapsed.includes('eval') && this.readEvals(line, collapsed)) continue;
      const r = this.ruleLine(line, conds.maybe, current !== null);
      if (r === 'none') continue;
      if (r === 'no-targets') {
        this.noTargets = true;
        continue;
      }
      this.current = r;
    }
  }

  /**
   * readEvals reads a line made only of `$(eval …)` calls (`$(foreach t,$(TARGETS),$(eval
   * $(call TEMPLATE,$(t))))`): make expands it, and each eval reads its expanded text as makefile
   * lines there and then, before the expansion goes on (a template's own `$(eval X := $(1))` is
   * seen by the lines after it). Those lines map to the whole eval line. False when the line is not
   * one whole function call or holds no eval: then it is a rule line.
   */
  private readEvals(line: LogicalLine, collapsed: string): boolean {
    const text = collapsed.trim();
    if (!text.startsWith('$(') && !text.startsWith('${')) return false;
    if (matchClose(text, 2, text[1], text[1] === '(' ? ')' : '}') !== text.length - 1) return false;
    const at = { start: line.start, end: Math.max(line.segs[1], line.start) };
    let evals = 0;
    const outer = this.vars.evalSink;
    this.vars.evalSink = (t) => {
      evals++;
      // Nested evals beyond this depth are not read (make would recurse; the limit keeps this linear).
      if (this.evalDepth >= MAX_EVAL_DEPTH) return;
      this.evalDepth++;
      try {
        // Unknown parts (a `$(shell …)` value) stay unknown words of the lines they sit in.
        this.readLines(splitLogicalLines(t).map((l) => fixedLine(l, at)));
      } finally {
        this.evalDepth--;
      }
    };
    try {
      this.vars.expand(text);
    } finally {
      this.vars.evalSink = outer;
    }
    // What the call leaves besides its evals is a line make reads too; those are rare and not read.
    return evals > 0;
  }

  /**
   * include reads the files an include line names (read.c eval, `include`/`-include`/`sinclude`)
   * as make does, there and then: their assignments, defines, conditionals, rules and nested
   * includes take effect in order, before the next line. Their lines map to the include line, and
   * what they would report or run stays theirs: it is found when they are linted. A file that
   * cannot be read as make would (its name unknown, missing, too deep, past the bounds) may set
   * anything, so every variable is unknown from there on; only a missing `-include` that no rule
   * builds is skipped, as make skips it silently.
   */
  private include(line: LogicalLine, required: boolean, rest: string): void {
    const includes = this.includes;
    if (!includes) return;
    // The common idiom for "next to this file": the directory of the file being read, as make's
    // MAKEFILE_LIST names it (the include's name as written, relative to where make runs).
    const top = this.includeStack[this.includeStack.length - 1];
    const here = top && top.includes('/') ? top.slice(0, top.lastIndexOf('/') + 1) : './';
    let text = rest.replace(/\$\(dir \$\(lastword \$\(MAKEFILE_LIST\)\)\)/g, here);
    // A variable set to that directory (HERE_DIR) names it too, while no line has replaced it.
    if (this.hereDirs.size && text.includes('$'))
      text = text.replace(/\$(?:\(([A-Za-z_][A-Za-z0-9_.-]*)\)|\{([A-Za-z_][A-Za-z0-9_.-]*)\})/g, (ref, a, b) => {
        const known = this.hereDirs.get(a ?? b);
        return known && this.vars.get(a ?? b) === known.def ? known.dir : ref;
      });
    const names = this.vars.expand(text);
    if (names.includes(DYNAMIC)) return this.vars.forgetAll();
    const files: string[] = [];
    for (const word of names.split(/[ \t\n\r\f\v]+/)) {
      if (word === '') continue;
      // make globs each name; one that matches nothing stays as written (GLOB_NOCHECK).
      const matched = isGlob(word) ? includes.files.glob(word) : [];
      files.push(...(matched.length ? matched : [word]));
    }
    // The files of one include line are the project's own: a name one of them assigns is not
    // the environment's alone while an earlier one is read (`ifndef _main_mk` in build/a.mk,
    // `_main_mk := y` in build/main.mk, both of `include build/*.mk`).
    if (files.length > 1 && this.includeStack.length < MAX_INCLUDE_DEPTH && files.length <= MAX_INCLUDE_FILES - this.includedFiles)
      for (const name of files) {
        if (name.startsWith('/') || name.startsWith('~')) continue;
        const file = includes.files.read(name.replace(/^(?:\.\/)+/, ''));
        if (typeof file === 'object' && file.text.length <= includes.maxBytes - this.includedBytes) this.vars.addAssigned(assignedNames(file.text));
      }
    for (const name of files) {
      if (!this.includeOne(line, required, name)) return this.vars.forgetAll();
    }
  }

  /** includeOne reads one included file; false when what it sets cannot be known. */
  private includeOne(line: LogicalLine, required: boolean, name: string): boolean {
    const includes = this.includes!;
    // Outside the project (or a name make finds through -I): not read.
    if (name.startsWith('/') || name.startsWith('~')) return false;
    const key = name.replace(/^(?:\.\/)+/, '');
    // A file already being read is read again, as make does: an include guard (`ifndef _x_mk`,
    // `_x_mk := y` around the file) makes the second reading a no-op, so fragments may include the
    // file that includes them all. An unguarded cycle runs into the depth bound: unknown.
    if (this.includeStack.length >= MAX_INCLUDE_DEPTH || this.includedFiles >= MAX_INCLUDE_FILES) return false;
    const file = includes.files.read(key);
    if (file === 'unreadable') return false;
    if (file === 'missing') {
      if (required) return false;
      this.made ??= new MadeTargets();
      for (const t of this.madeFrom) this.made.add(t);
      this.madeFrom = [];
      return !this.made.has(key);
    }
    this.includedBytes += file.text.length;
    this.includedFiles++;
    if (this.includedBytes > includes.maxBytes) return false;
    this.vars.addAssigned(assignedNames(file.text));
    this.madeFrom.push(file.text);
    const self = includes.includer && !this.reachedSelf && normalize(key) === includes.includer.fragment;
    const at = { start: line.start, end: Math.max(line.segs[1], line.start) };
    const open = this.conds.unclosed();
    const foreign = this.foreign;
    const used = this.vars.used;
    this.includeStack.push(key);
    this.current = null;
    this.noTargets = false;
    try {
      if (self) {
        // The fragment being linted, included by the Makefile read around it: its own lines.
        this.reachedSelf = true;
        this.foreign = 0;
        this.vars.used = this.ownUsed;
        this.readLines(splitLogicalLines(this.src));
      } else {
        this.foreign++;
        this.vars.used = this.foreignUsed;
        this.readLines(splitLogicalLines(file.text).map((l) => fixedLine(l, at)));
      }
    } finally {
      this.includeStack.pop();
      this.foreign = foreign;
      this.vars.used = used;
    }
    // make stops at a file whose conditionals do not close ("missing 'endif'").
    const unclosed = this.conds.unclosed() > open;
    while (this.conds.unclosed() > open) this.conds.line('endif', '');
    return !unclosed;
  }

  /** overflowAt reports an expansion the line just read gave up for its size (KBX604). */
  private overflowAt(line: LogicalLine): void {
    const message = this.vars.takeOverflow();
    if (message && this.foreign === 0) this.problems.push({ kind: 'input-too-large', span: { start: line.start, end: Math.max(line.segs[1], line.start) }, message, severity: 'error' });
  }

  private problem(line: LogicalLine, message: string): void {
    // An eval's text is rebuilt here from values that may differ from make's (unknown ones, a
    // function not evaluated): its structure is not judged, only the commands it gives are read.
    if (this.evalDepth > 0 || this.foreign > 0) return;
    const end = line.segs[1];
    this.problems.push({ span: { start: line.start, end: Math.max(end, line.start) }, message, severity: 'warning' });
  }

  private assign(rawName: string, op: AssignOp | 'define', value: string, mods: Mods): void {
    const def = this.vars.assign(rawName, op, value, mods);
    // `ROOT_DIR := $(shell dirname $(realpath $(lastword $(MAKEFILE_LIST))))`: the directory of
    // the file being read, kept for the include lines that name files through it.
    if (def && (op === ':=' || op === '::=') && !def.unknown) {
      const m = HERE_DIR.exec(value);
      if (m) {
        const top = this.includeStack[this.includeStack.length - 1];
        const dir = top && top.includes('/') ? top.slice(0, top.lastIndexOf('/')) : '.';
        this.hereDirs.set(this.vars.expand(rawName).trim(), { def, dir: m[1] ? `${dir}/` : dir });
      }
    }
    if (def && this.vars.expand(rawName).trim() === '.RECIPEPREFIX') {
      // make switches the prefix at once, for the rules that follow.
      this.cmdPrefix = def.value === '' ? '\t' : def.value[0];
    }
  }

  /** readDefine reads `define NAME [op]` … `endef` (make's do_define); returns the last line used. */
  private readDefine(lines: LogicalLine[], li: number, header: string, mods: Mods): number {
    const parsed = parseVariableDefinition(header);
    const name = parsed ? parsed.name : header.trim();
    const op: AssignOp | 'define' = parsed ? parsed.op : 'define';
    const body: string[] = [];
    let levels = 1;
    let k = li + 1;
    for (; k < lines.length; k++) {
      const l = collapseContinuations(lines[k].text, this.posix);
      if (l[0] !== this.cmdPrefix) {
        const s = l.replace(/^[ \t]+/, '');
        if (/^define(?:[ \t]|$)/.test(s)) levels++;
        else if (/^endef(?:[ \t]|$)/.test(s) && --levels === 0) break;
      }
      body.push(l);
    }
    this.assign(name, op, body.join('\n'), mods);
    if (this.evalDepth === 0 && this.foreign === 0 && this.conds.active) {
      const end = k < lines.length ? lines[k].start + lines[k].text.length : this.src.length;
      this.defines.push({ name, body, span: { start: lines[li].start, end } });
    }
    return k;
  }

  /**
   * A fragment's macros that nothing in it expands are there for the Makefiles that include it
   * (upbound/build's makelib: `$(eval $(call xpkg.release.targets,…))` over XPKGS, a list each
   * project sets). Each is read
   * once as such a Makefile would use it, with every argument unknown: a body of recipe lines as
   * the recipe `$(call NAME,…)`, a body with a rule line as `$(eval $(call NAME,…))`. What they
   * give maps to the whole definition.
   */
  private readUncalledDefines(): void {
    // A recipe that names the macro expands it when its rule runs, which is after this.
    const inRecipes = new Set<string>();
    const names = new Set(this.defines.map((d) => d.name));
    for (const r of this.rules) for (const l of r.lines) for (const m of l.ms.text.matchAll(/[A-Za-z0-9_.-]+/g)) if (names.has(m[0])) inRecipes.add(m[0]);
    const from = this.rules.length;
    const order = new Map<Rule, number>();
    // Later macros first: they are the ones that call earlier ones, which then count as used.
    for (let i = this.defines.length - 1; i >= 0; i--) {
      const d = this.defines[i];
      // Expanded while the file was read (`$(eval $(call NAME,…))` over a list the file fills).
      if (this.vars.used.has(d.name) || inRecipes.has(d.name) || this.vars.get(d.name)?.flavor !== 'recursive') continue;
      const first = d.body.find((l) => l.trim() !== '' && !/^[ \t]*#/.test(l));
      if (first === undefined) continue;
      const call = `$(call ${d.name}${`,${DYNAMIC}`.repeat(9)})`;
      let text: string[];
      if (first[0] === this.cmdPrefix) text = [`kbx-define-${d.name}:`, `${this.cmdPrefix}${call}`];
      else if (d.body.some((l) => l[0] !== this.cmdPrefix && /^[^#=]*[^:=\s][ \t]*::?(?![=])/.test(l) && !/^[ \t]*(?:define|endef|ifeq|ifneq|ifdef|ifndef|else|endif|export|override)\b/.test(l)))
        text = [`$(eval ${call})`];
      else continue;
      this.current = null;
      this.noTargets = false;
      this.evalDepth++;
      const before = this.rules.length;
      try {
        this.readLines(splitLogicalLines(text.join('\n')).map((l) => fixedLine(l, d.span)));
      } finally {
        this.evalDepth--;
      }
      for (let k = before; k < this.rules.length; k++) order.set(this.rules[k], i);
    }
    this.current = null;
    // Their commands in the order the macros are written.
    const added = this.rules.splice(from).sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    this.rules.push(...added);
  }

  /**
   * ruleLine reads a rule line: its targets, a target-specific variable, or an inline recipe.
   * `afterRule`: the line follows a rule line or its recipe.
   */
  private ruleLine(line: LogicalLine, maybe: boolean, afterRule = false): Rule | 'no-targets' | 'none' {
    const raw = line.text;
    const semi = findMapUnquote(raw, ';#');
    let before = semi.text;
    let inline: Seq | null = null;
    if (semi.index >= 0) {
      before = semi.text.slice(0, semi.index);
      if (semi.text[semi.index] === ';') {
        // Backslashes make removed lie before the `;`, so the recipe part is shifted by their count.
        const orig = semi.index + (raw.length - semi.text.length);
        inline = mapLine(line, orig + 1);
      }
    }
    before = collapseContinuations(before, this.posix);
    const colon = findMapUnquote(before, ':');
    if (colon.index < 0) {
      if (!before.includes('$') && before.trim() !== '' && raw[0] === ' ' && this.cmdPrefix === '\t') {
        this.problem(line, 'recipe line starts with spaces, not a tab: make reports "missing separator"');
      }
      return 'none';
    }
    // `    docker buildx build -t $(IMAGE):$(TAG) .` under a rule, indented with spaces: the colon of
    // the image reference makes it a rule line to make, so the rule above loses the command and
    // nothing runs it (a docker or buildx program word is never a target anyone names).
    if (afterRule && raw[0] === ' ' && this.cmdPrefix === '\t' && /^[ \t]+(?:docker|buildx|docker-buildx)[ \t]/.test(before)) {
      this.problem(line, 'recipe line starts with spaces, not a tab: make reads it as a rule line (the colon in it separates targets from prerequisites), so this command never runs');
    }
    const targets = this.vars.expand(colon.text.slice(0, colon.index)).trim();
    if (targets === '') return 'no-targets';
    let restAt = colon.index + 1;
    if (colon.text[restAt] === ':') restAt++;
    const rest = colon.text.slice(restAt);
    const tv = parseVarAssignment(rest, true);
    if (tv && tv.assign) {
      this.vars.markTargetSpecific(tv.assign.name);
      return 'none';
    }
    for (const w of targets.split(/\s+/)) {
      if (w === '.ONESHELL') this.oneShell = true;
      else if (w === '.POSIX') this.posix = true;
    }
    const words = targets.split(/\s+/);
    const rule: Rule = {
      prefix: this.cmdPrefix,
      lines: [],
      special: words.every((w) => SPECIAL_TARGETS.has(w)) ? words[0] : undefined,
      scope: `make:${words[0]}`,
      after: this.prerequisites(rest),
      targets: words.join(' '),
    };
    if (inline) rule.lines.push({ ms: inline, nl: lineTerminator(line), maybe });
    // A rule of another file's text is linted in that file.
    if (this.foreign === 0) this.rules.push(rule);
    return rule;
  }

  /**
   * prerequisites lists the scopes of a rule's normal prerequisites: the words before `|`
   * (order-only ones after it need not be remade first), after the target pattern of a static
   * pattern rule, without pattern words (`%.c`), and without words that are not known statically.
   */
  private prerequisites(rest: string): string[] {
    let text = this.vars.expand(rest);
    const second = findMapUnquote(text, ':');
    if (second.index >= 0) text = second.text.slice(second.index + 1);
    const bar = text.indexOf('|');
    if (bar >= 0) text = text.slice(0, bar);
    const out: string[] = [];
    for (const w of text.split(/[ \t\n\v\f\r]+/)) {
      if (w === '' || w.includes(DYNAMIC) || w.includes('%')) continue;
      const scope = `make:${w}`;
      if (!out.includes(scope)) out.push(scope);
    }
    return out;
  }

  private regions(): ShellRegion[] {
    const out: ShellRegion[] = [];
    for (const c of this.readTimeCalls) this.emit(c.ms, READ_TIME, c.maybe, out);
    this.vars.recipeMode();
    const bourne = this.bourneShell();
    for (const rule of this.rules) {
      // execute_file_commands runs nothing when the unexpanded recipe is only blanks and prefixes.
      if (rule.lines.every((l) => /^[\s@+-]*$/.test(l.ms.text))) continue;
      if (this.oneShell) {
        const b = new MapBuilder();
        rule.lines.forEach((l, i) => {
          if (i > 0) {
            const prev = rule.lines[i - 1];
            if (prev.nl >= 0) b.push('\n', prev.nl, prev.nl + 1);
            else b.push('\n', prev.ms.endOffset, prev.ms.endOffset);
          }
          b.copy(l.ms, 0, l.ms.text.length);
        });
        const last = rule.lines[rule.lines.length - 1];
        this.command(
          b.build(last.ms.endOffset),
          rule,
          rule.lines.every((l) => l.maybe),
          bourne,
          out,
        );
      } else {
        // make expands every line of the recipe, running its `$(shell …)` calls, before the first runs.
        for (const l of rule.lines) if (l.ms.text.includes('shell')) this.shellCalls(collapseInRefs(l.ms), rule, l.maybe, out);
        for (const l of rule.lines) this.command(l.ms, rule, l.maybe, bourne, out);
      }
    }
    return out;
  }

  private emit(ms: Seq, rule: Rule, maybe: boolean, out: ShellRegion[], conditional = false): void {
    // make runs nothing for an empty command, and skips a lone `:` without forking.
    if (ms.text === '' || ms.text === ':') return;
    const region: ShellRegion = { source: toMapped(ms), dialect: this.dialect(), encoding: 'makefile', scope: rule.scope, after: rule.after };
    if (conditional) region.conditional = true;
    out.push(region);
    this.maybe.push(maybe);
  }

  /**
   * shellCalls emits the commands a recipe line runs through `$(shell …)` (make expands the whole
   * line, running them, before the line's own shell starts): `BUILDER=$(shell docker buildx
   * create --use)`. Only calls that name docker or buildx are worth a region.
   */
  private shellCalls(line: Seq, rule: Rule, maybe: boolean, out: ShellRegion[] | null, sink?: (ms: Seq) => void): void {
    const t = line.text;
    for (let i = t.indexOf('shell'); i >= 0; i = t.indexOf('shell', i + 1)) {
      const open = t[i - 1];
      if ((open !== '(' && open !== '{') || t[i - 2] !== '$') continue;
      let dollars = 0;
      for (let k = i - 2; k >= 0 && t[k] === '$'; k--) dollars++;
      if (dollars % 2 === 0) continue; // `$$(shell …)`: the shell's own substitution of a command named shell
      const e = i + 5;
      if (t[e] !== ' ' && t[e] !== '\t') continue;
      const m = matchClose(t, e, open, open === '(' ? ')' : '}');
      if (m < 0) return;
      const arg = seqSlice(line, e + 1, m);
      if (/docker|buildx/.test(arg.text)) {
        const ms = stripLeading(this.vars.expandMapped(arg), isBlank);
        if (sink) sink(ms);
        else if (out) this.emit(ms, rule, maybe, out);
      }
      i = m;
    }
  }

  /**
   * shellProgram is the program SHELL names (`/bin/bash` → `bash`, `/usr/bin/env bash -o pipefail`
   * → `bash`), null when SHELL is unset or known only at run time.
   */
  private shellProgram(): string | null {
    const sh = this.vars.get('SHELL');
    if (!sh || sh.value === DYNAMIC) return null;
    const v = sh.flavor === 'simple' ? sh.value : this.vars.expand(sh.value);
    if (v.includes(DYNAMIC)) return null;
    const words = v.trim().split(/\s+/);
    const base = (w: string | undefined) => (w ?? '').slice((w ?? '').lastIndexOf('/') + 1);
    let k = 0;
    if (base(words[0]) === 'env') {
      k = 1;
      while (k < words.length && (words[k].startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]))) k++;
    }
    return base(words[k]);
  }

  /** bourneShell tells whether SHELL names a POSIX shell, which decides ONESHELL prefix removal. */
  private bourneShell(): boolean {
    const prog = this.shellProgram();
    return prog === null || BOURNE_SHELLS.has(prog);
  }

  /**
   * The dialect recipes are read in: bash when SHELL names bash (or zsh, ksh), else POSIX sh. A
   * SHELL known only at run time (`SHELL := $(shell which bash)`) or set for some targets only
   * may well be bash: its recipes are read as bash, which accepts everything sh does, so no
   * bash-only construct is called an error.
   */
  private dialect(): 'bash' | 'sh' {
    const prog = this.shellProgram();
    if (this.vars.isTargetSpecific('SHELL') || (prog === null && !this.vars.get('SHELL')?.makeDefault)) return 'bash';
    if (this.shellFromIncluder && this.vars.get('SHELL')?.makeDefault) return 'bash';
    return prog === 'bash' || prog === 'zsh' || prog === 'ksh' || prog === 'mksh' ? 'bash' : 'sh';
  }

  /**
   * command follows one recipe chunk through make's new_job, start_job_command and
   * construct_command_argv_internal (slow path), emitting each `-c` argument.
   */
  private command(raw: Seq, rule: Rule, maybe: boolean, bourne: boolean, out: ShellRegion[]): void {
    const prefix = rule.prefix;
    const collapsed = collapseInRefs(raw);
    if (this.oneShell && collapsed.text.includes('shell')) this.shellCalls(collapsed, rule, maybe, out);
    this.vars.undecidedIf = false;
    let ms = this.vars.expandMapped(collapsed, true);
    // `$(if $(PUSH), docker buildx imagetools create …)`: make may run the line or nothing.
    const undecided = this.vars.undecidedIf;
    const overflow = this.vars.takeOverflow();
    if (overflow) {
      const start = raw.text.length ? startAt(raw, 0) : raw.endOffset;
      const nl = this.src.indexOf('\n', start);
      this.problems.push({ kind: 'input-too-large', span: { start, end: nl < 0 || nl > raw.endOffset ? raw.endOffset : nl }, message: overflow, severity: 'error' });
    }
    for (;;) {
      ms = stripLeading(ms, isPrefixOrBlank);
      ms = dropPrefixAfterNewline(ms, prefix);
      ms = stripLeading(ms, isBlank);
      if (ms.text === '') return;
      if (this.oneShell) {
        if (bourne) ms = stripInteriorPrefixes(ms);
        this.emit(ms, rule, maybe || undecided, out, undecided);
        return;
      }
      let nl = ms.text.indexOf('\n');
      while (nl > 0 && ms.text[nl - 1] === '\\') nl = ms.text.indexOf('\n', nl + 1);
      if (nl < 0) {
        this.emit(ms, rule, maybe || undecided, out, undecided);
        return;
      }
      // A bare newline (only from an expansion) ends this shell call; make runs the rest next.
      this.emit(seqSlice(ms, 0, nl), rule, maybe || undecided, out, undecided);
      ms = seqSlice(ms, nl + 1);
    }
  }
}

function stripLeading(ms: Seq, pred: (c: string) => boolean): Seq {
  let i = 0;
  while (i < ms.text.length && pred(ms.text[i])) i++;
  return i === 0 ? ms : seqSlice(ms, i);
}

/** dropPrefixAfterNewline removes the recipe prefix that follows each newline (POSIX asks so). */
function dropPrefixAfterNewline(ms: Seq, prefix: string): Seq {
  const t = ms.text;
  if (!t.includes('\n' + prefix)) return ms;
  const b = new MapBuilder();
  let from = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] === '\n' && t[i + 1] === prefix) {
      b.copy(ms, from, i + 1);
      i++;
      from = i + 1;
    }
  }
  b.copy(ms, from, t.length);
  return b.build(ms.endOffset);
}

/** stripInteriorPrefixes drops `@-+` and blanks at the start of each line of a ONESHELL script. */
function stripInteriorPrefixes(ms: Seq): Seq {
  const t = ms.text;
  const b = new MapBuilder();
  let f = 0;
  while (f < t.length) {
    let esc = false;
    while (f < t.length && isPrefixOrBlank(t[f])) f++;
    const from = f;
    while (f < t.length) {
      const c = t[f];
      f++;
      if (c === '\\') esc = !esc;
      else {
        if (c === '\n' && !esc) break;
        esc = false;
      }
    }
    b.copy(ms, from, f);
  }
  return b.build(ms.endOffset);
}

/**
 * collapseInRefs is the first step of make's new_job: inside `$(…)`/`${…}` (including the text
 * after a `$$`, which make also scans), a backslash-newline, the blanks before it and the blanks
 * after it become one space.
 */
export function collapseInRefs(ms: Seq): Seq {
  const t = ms.text;
  if (!t.includes('\n') || !t.includes('$')) return ms;
  // One walk over the references; the copy starts at the first backslash-newline it replaces, so
  // a line with none inside a reference (most recipe lines) is returned as it is.
  let b: CharMapBuilder | null = null;
  let starts: ArrayLike<number> = [];
  let ends: ArrayLike<number> = [];
  /** t[0, copied) is in b. */
  let copied = 0;
  const flush = (to: number): void => {
    for (let k = copied; k < to; k++) b!.put(t[k], starts[k], ends[k]);
    copied = to;
  };
  let i = 0;
  for (;;) {
    const d = t.indexOf('$', i);
    if (d < 0) break;
    i = d + 1;
    const open = t[i];
    if (open !== '(' && open !== '{') continue;
    const close = open === '(' ? ')' : '}';
    const ref = i;
    i++;
    // Where the reference's text starts in the output: blanks before a backslash-newline are
    // dropped back to there, never before it.
    const outRef = b ? b.c.length + (i - copied) : i;
    let count = 0;
    while (i < t.length) {
      const c = t[i];
      if (c === close && --count < 0) break;
      if (c === '\\' && t[i + 1] === '\n') {
        let quoted = false;
        for (let q = i - 1; q > ref && t[q] === '\\'; q--) quoted = !quoted;
        if (quoted) {
          i++;
          continue;
        }
        if (!b) {
          b = new CharMapBuilder();
          starts = ms.starts;
          ends = ms.ends;
        }
        flush(i);
        let s = starts[i];
        i += 2;
        while (isBlank(t[i])) i++;
        while (b.c.length > outRef && isBlank(b.c[b.c.length - 1])) {
          b.c.pop();
          s = Math.min(s, b.s.pop()!);
          b.e.pop();
        }
        const e = i < t.length ? starts[i] : ms.endOffset;
        b.put(' ', s, Math.max(e, s));
        copied = i;
        continue;
      }
      if (c === open) count++;
      i++;
    }
  }
  if (!b) return ms;
  flush(t.length);
  return (b as CharMapBuilder).build(ms.endOffset);
}
