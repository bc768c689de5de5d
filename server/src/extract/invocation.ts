/**
 * Invocation extraction: from the simple commands of a parsed script to buildx invocations with
 * argv, parsed flags and positionals.
 *
 * Consumes: shell SimpleCommands (via walkWithValues, with the variable values that hold there)
 * and their expanded fields.
 * Produces: Invocation records. Flags are parsed the way spf13/pflag parses them (interspersed
 * flags, `--f=v`, `--f v`, `-t v`, `-tv`, booleans never take the next word, `--`), so each flag
 * occurrence knows the exact span of its name and value.
 */
import { compact } from '../core/compact';
import { GO_FALSE_WORDS, GO_TRUE_WORDS } from '../core/go-bool';
import { concatMapped, DYNAMIC, type MappedString, sliceMapped, spanOf, uniform } from '../core/mapped-string';
import type { Span } from '../core/span';
import type { ShellRegion } from '../hosts/region';
import type { Script, SimpleCommand, Word, WordPart } from '../shell/ast';
import { type DefaultUse, expandWord, type Field, type Resolved, type ValueScope, type ValueUse } from '../shell/expand';
import { LazyWord, litIncludesUnit } from '../shell/slice';
import { CommandFields, walkWithValues, type WalkContext } from '../shell/values';
import { BUILDX_ROOT_FLAGS, COMMANDS, DOCKER_GLOBAL_FLAGS, type FlagSpec, type FlagTable, OTHER_COMMANDS, commandFlagTable, flagTable, resolveCommand, takesValue } from './spec';

/** Arg is one argument as the program receives it. */
export interface Arg {
  value: MappedString;
  /** Fully known before run time. */
  static: boolean;
  /** Contains an unquoted expansion: may become several arguments or none at run time. */
  mayVary: boolean;
  span: Span;
  /** Spans of the shell-quoted parts of the word (`'…'`, `"…"`, `$'…'`), quotes included. */
  quotedSpans: Span[];
  /** The shell word this argument came from (several arguments may share one through brace expansion). */
  word: Word;
  /**
   * The word's literal text holds a DYNAMIC placeholder a host left there (an unresolved make
   * expansion), read once here so that later stages need not read the word's parts again.
   */
  litDynamic?: boolean;
  /** Variables of the file whose values went into this argument (their characters map to the assignment). */
  uses?: ValueUse[];
  /** Defaults taken because a variable is not set in the file: the argument holds only "when X is unset". */
  defaults?: DefaultUse[];
  /** The argument is exactly one assignment's whole value (`"$X"`): the word a fix rewrites. */
  sourceWord?: Word;
}

export interface FlagOccurrence {
  /** Canonical long name without dashes, e.g. `driver-opt`; for unknown flags the name as written. */
  name: string;
  spec: FlagSpec | null;
  /** The argument holding the flag name. */
  arg: Arg;
  /** Span of the flag name including dashes (`--driver-opt`). */
  nameSpan: Span;
  /** The value for flags that take one; for booleans the `=value` part if written. Null when missing. */
  value: MappedString | null;
  /** Span of the value in the file (the value characters), or null. */
  valueSpan: Span | null;
  /** The value was given in the same argument (`--f=v`, `-tv`). */
  inline: boolean;
  /** The argument holding the value: `arg` itself when inline, else the next argument. */
  valueArg?: Arg;
  /** For bool flags: the parsed boolean when static (`--push` → true, `--push=false` → false). */
  bool?: boolean | null;
}

/** What reading argv the way cobra and pflag do can find wrong; `message` is pflag's own error text. */
export const INVOCATION_PROBLEM_KINDS = ['unknown-flag', 'flag-needs-argument', 'bad-flag-syntax', 'invalid-bool', 'unknown-command'] as const;
export type InvocationProblemKind = (typeof INVOCATION_PROBLEM_KINDS)[number];

export interface InvocationProblem {
  kind: InvocationProblemKind;
  span: Span;
  message: string;
}

export type Program = 'docker' | 'buildx' | 'docker-buildx';

export interface Invocation {
  program: Program;
  /** Canonical subcommand: `create`, `build`, `rm`, …; for commands kbx-lint does not model, the word as written. */
  command: string;
  /** Whether the command's flags are modelled (flag table known). */
  modelled: boolean;
  /** Arguments after the program name, exactly as the program receives them. */
  argv: Arg[];
  /** Span of the whole command, from the program word to the last argument. */
  span: Span;
  /** Span of the program word. */
  programSpan: Span;
  commandSpan: Span | null;
  flags: FlagOccurrence[];
  /** Buildx root flags and Docker global flags that came before the subcommand. */
  globalFlags: FlagOccurrence[];
  positionals: Arg[];
  problems: InvocationProblem[];
  /** Some argument may vary in number at run time: positional counts are not reliable. */
  argCountUncertain: boolean;
  /** `VAR=value` assignments in effect for this command (prefix assignments and `env`). */
  env: { name: string; value: MappedString | null; span: Span }[];
  /** `docker build` / `docker image build` are forwarded by the Docker CLI (BUILDX_BUILDER quirk). */
  forwardedByDockerCli: boolean;
  /** Inside a function body, `$(…)` and so on. */
  context: { inFunction: string | null; inSubstitution: boolean };
  region: ShellRegion;
  /**
   * Found behind a name: a wrapper function's body read at its call site (`span` is the call), or
   * the static text of `sh -c '…'`/`trap '…'` (`span` is the string; fixes never edit inside it).
   */
  hidden?: { kind: 'wrapper' | 'shell-c' | 'trap'; span: Span; name?: string };
}

/** Convenience accessors over an invocation's flags. */
export function flagValues(inv: Invocation, name: string): FlagOccurrence[] {
  return inv.flags.filter((f) => f.name === name);
}

export function lastFlag(inv: Invocation, name: string): FlagOccurrence | undefined {
  const all = inv.flags.filter((f) => f.name === name);
  return all[all.length - 1];
}

/** boolFlag: true/false when statically known, null when present but dynamic, undefined when absent. */
export function boolFlag(inv: Invocation, name: string): boolean | null | undefined {
  const f = lastFlag(inv, name);
  if (!f) return undefined;
  return f.bool ?? null;
}

/** Shared by every argument without a quoted part (most of them); never written to. */
const NO_SPANS: Span[] = [];

function fieldToArg(f: Field): Arg {
  // A word the lexer saw as one literal run has no quoted part: its parts need not be made.
  const lazy = (f.word as unknown) instanceof LazyWord ? (f.word as unknown as LazyWord) : null;
  if (lazy?.isLiteral)
    return withOptional({ value: f.value, static: f.static, mayVary: f.mayVary, span: f.word.span, quotedSpans: NO_SPANS, word: f.word, litDynamic: lazy.literalIncludesUnit(DYNAMIC) }, f);
  // Most words have no quoted part or one: an exact array without the filter's spare capacity.
  let quoted: WordPart | null = null;
  let count = 0;
  let litDynamic = false;
  for (const p of f.word.parts)
    if (p.kind === 'sq' || p.kind === 'dq' || p.kind === 'ansic') {
      quoted = p;
      count++;
    } else if (p.kind === 'lit' && !litDynamic && litIncludesUnit(p, DYNAMIC)) litDynamic = true;
  const quotedSpans = count === 0 ? NO_SPANS : count === 1 ? [quoted!.span] : f.word.parts.filter((p) => p.kind === 'sq' || p.kind === 'dq' || p.kind === 'ansic').map((p) => p.span);
  return withOptional({ value: f.value, static: f.static, mayVary: f.mayVary, span: f.word.span, quotedSpans, word: f.word, litDynamic }, f);
}

function withOptional(a: Arg, f: Field): Arg {
  if (f.uses) a.uses = f.uses;
  if (f.defaults) a.defaults = f.defaults;
  if (f.sourceWord) a.sourceWord = f.sourceWord;
  return a;
}

/** args[i] is docker or buildx written in place: its text comes from its own word, not an expansion. */
function writtenProgramAt(args: Arg[], i: number): boolean {
  const a = args[i];
  if (!a || !a.static || !PROGRAMS.has(basename(a.value.text))) return false;
  const at = spanOf(a.value);
  return at.start >= a.span.start && at.end <= a.span.end;
}

/** A word the lexer saw as one literal run: its one Lit part names no parameter and runs nothing. */
function isLiteralWord(w: Word): boolean {
  return (w as unknown) instanceof LazyWord && (w as unknown as LazyWord).isLiteral;
}

function basename(s: string): string {
  const i = s.lastIndexOf('/');
  return i >= 0 ? s.slice(i + 1) : s;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** The program words skipWrappers steps over, and the programs an invocation is read from. */
const WRAPPERS = new Set([...['sudo', 'env', 'command', 'exec', 'time', 'nice', 'nohup', 'timeout', 'xargs'], ...['stdbuf', 'ionice', 'setsid', 'taskset', 'flock', 'doas', 'chronic', 'unbuffer']]);
const PROGRAMS = new Set(['docker', 'buildx', 'docker-buildx']);
/**
 * Retry helpers kept outside the file (`.github/workflows/scripts/retry.sh docker buildx build …`,
 * `retry 3 docker buildx …` from a sourced library) run their arguments as a command, as
 * spire's, kueue's and eks-distro's do. One defined in the file is read through its body instead.
 */
const RETRY = /^(?:retry|with[-_]retry)(?:[-_][A-Za-z0-9]+)*(?:\.sh)?$/;
/** What a retry helper takes before the command: options and counts or delays (`-n 3`, `5`, `10s`). */
const RETRY_ARG = /^(?:-[A-Za-z-]+(?:=\S*)?|\d+(?:\.\d+)?[smh]?)$/;

export function isRetryWrapper(word: string): boolean {
  return RETRY.test(basename(word));
}

/**
 * mayRunBuildx: a command whose first field is this can be an invocation. Exactly what
 * skipWrappers and the program check below accept at the first argument: a dynamic program word
 * is never read as one, and anything but a wrapper or docker/buildx ends the search there.
 */
function mayRunBuildx(words: CommandFields, scope: ValueScope | undefined): boolean {
  // A plain literal program word is its own text: decided without expanding it.
  const literal = words.literalFirst();
  if (literal !== null) return runsBuildxByName(basename(literal));
  const first = words.first();
  if (!first) return false;
  if (!first.static) {
    if (scope && programPaths(first.word, scope)) return true;
    // `$SUDO docker …`, `$(DOCKER) buildx …`: decided on the word after the expansion.
    const next = words.at(1);
    return next !== undefined && next.static && (next.value.text === 'buildx' || PROGRAMS.has(basename(next.value.text)) || WRAPPERS.has(basename(next.value.text)));
  }
  return runsBuildxByName(basename(first.value.text));
}

function runsBuildxByName(word: string): boolean {
  return PROGRAMS.has(word) || WRAPPERS.has(word) || RETRY.test(word);
}

/**
 * programPaths: the program prefixes a program word stands for when it is exactly a variable the
 * walk read as a buildx program on every path (`"$buildx"` after `buildx=$(command -v
 * docker-buildx)`, `"${CMD[@]}"` after `CMD=(buildx) || CMD=(docker buildx)`). A string only
 * when quoted: a path not found is empty, and unquoted it would vanish and run the next word.
 */
function programPaths(word: Word, scope: ValueScope): MappedString[][] | null {
  let parts = word.parts;
  const quoted = parts.length === 1 && parts[0].kind === 'dq';
  if (quoted) parts = (parts[0] as Extract<WordPart, { kind: 'dq' }>).parts;
  if (parts.length !== 1 || parts[0].kind !== 'param') return null;
  const p = parts[0];
  if (p.op !== undefined || p.prefix !== undefined || p.words) return null;
  const r = scope.lookup(p.name, p.span);
  if (r.t === 'str') return quoted && p.index === undefined && r.prefixes ? r.prefixes : null;
  if (r.t === 'arr') return p.index === '@' && r.prefixes ? r.prefixes : null;
  return null;
}

/**
 * dynamicProgram decides a program word known only at run time by the literal word after it:
 * `$SUDO docker …` and `$cmd docker build …` (an unquoted expansion that is a prefix, often
 * empty: `sudo`, `echo` in a dry run) are read from the literal `docker`; `$(DOCKER) buildx …`
 * and `"$DOCKER" buildx …` run the buildx plugin through the Docker CLI. Returns the index of the
 * program word and whether the expansion itself stands for `docker`, or null.
 */
function dynamicProgram(fields: Arg[], p: number, env: Invocation['env'], appends: { on: boolean }): { at: number; docker: boolean } | null {
  const next = fields[p + 1];
  if (!next?.static) return null;
  if (next.value.text === 'buildx') return { at: p, docker: true };
  if (!fields[p].mayVary) return null;
  const name = basename(next.value.text);
  if (!PROGRAMS.has(name) && !WRAPPERS.has(name)) return null;
  const rest = fields.slice(p + 1);
  const q = skipWrappers(rest, env, appends);
  if (q < 0 || q >= rest.length || !rest[q].static) return null;
  return { at: p + 1 + q, docker: false };
}

/**
 * markReplaced: an argument of a command xargs runs with a replace string, each occurrence of the
 * string made one DYNAMIC character (mapped to where the string is written): the input line xargs
 * puts there is known only at run time, and stays inside this one argument.
 */
function markReplaced(a: Arg, replace: string): void {
  const text = a.value.text;
  if (!text.includes(replace)) return;
  const parts: MappedString[] = [];
  let from = 0;
  for (let at = text.indexOf(replace); at >= 0; at = text.indexOf(replace, from)) {
    if (at > from) parts.push(sliceMapped(a.value, from, at));
    const span = spanOf(a.value, at, at + replace.length);
    parts.push(uniform(DYNAMIC, span.start, span.end));
    from = at + replace.length;
  }
  if (from < text.length) parts.push(sliceMapped(a.value, from));
  a.value = concatMapped(parts, a.value.endOffset);
  a.static = false;
}

/**
 * skipWrappers steps over `sudo`, `env`, `command`, `exec`, `time`, `nice`, `nohup`, `timeout`,
 * `stdbuf`, `ionice`, `setsid`, `taskset`, `flock`, `doas`, `chronic`, `unbuffer` and their options, collecting `VAR=value` words that `env`/`sudo` pass on. Returns the index of
 * the real program word, or -1 when the wrapper does not run a command (`command -v docker`).
 */
function skipWrappers(args: Arg[], env: Invocation['env'], appends: { on: boolean }): number {
  let i = 0;
  for (let guard = 0; guard < 64 && i < args.length; guard++) {
    const a = args[i];
    if (!a.static) return i;
    const word = basename(a.value.text);
    const takeOpts = (withArg: Set<string>, longWithArg: Set<string>, stopOn?: Set<string>): boolean => {
      i++;
      while (i < args.length && args[i].static) {
        const t = args[i].value.text;
        if (t === '--') {
          i++;
          break;
        }
        if (!t.startsWith('-') || t === '-') break;
        if (stopOn && stopOn.has(t)) return false;
        if (t.startsWith('--')) {
          const name = t.slice(2).split('=')[0];
          i += longWithArg.has(name) && !t.includes('=') ? 2 : 1;
          continue;
        }
        // Clustered short options: the first one that takes an argument consumes the rest or the next word.
        let consumedNext = false;
        for (let k = 1; k < t.length; k++) {
          if (withArg.has(t[k])) {
            if (k === t.length - 1) consumedNext = true;
            break;
          }
        }
        i += consumedNext ? 2 : 1;
      }
      return true;
    };
    const takeAssignments = () => {
      // `env DOCKER_CONFIG="$HOME/.docker" docker …`: the name is static even when the value is not.
      while (i < args.length && ASSIGNMENT.test(args[i].value.text)) {
        const t = args[i].value;
        const eq = t.text.indexOf('=');
        env.push({ name: t.text.slice(0, eq), value: args[i].static ? sliceMapped(t, eq + 1) : null, span: args[i].span });
        i++;
      }
    };
    switch (word) {
      case 'sudo':
        if (
          !takeOpts(new Set(['u', 'g', 'C', 'D', 'p', 'r', 't', 'U', 'T', 'h']), new Set(['user', 'group', 'close-from', 'chdir', 'prompt', 'role', 'type', 'other-user', 'command-timeout', 'host']))
        )
          return -1;
        takeAssignments();
        continue;
      case 'env':
        if (!takeOpts(new Set(['u', 'C', 'S']), new Set(['unset', 'chdir', 'split-string']))) return -1;
        takeAssignments();
        continue;
      case 'command':
        if (!takeOpts(new Set(), new Set(), new Set(['-v', '-V']))) return -1;
        continue;
      case 'exec':
        takeOpts(new Set(['a']), new Set());
        continue;
      case 'time':
        takeOpts(new Set(['f', 'o']), new Set(['format', 'output']));
        continue;
      case 'nice':
        takeOpts(new Set(['n']), new Set(['adjustment']));
        continue;
      case 'nohup':
        takeOpts(new Set(), new Set());
        continue;
      case 'timeout':
        takeOpts(new Set(['s', 'k']), new Set(['signal', 'kill-after']));
        if (i < args.length) i++; // the DURATION
        continue;
      // coreutils stdbuf(1), util-linux ionice(1), setsid(1), taskset(1) and flock(1), OpenBSD
      // doas(1), moreutils chronic(1), expect's unbuffer(1): each runs the command after its
      // options (and the mask or lock file it takes first); the forms that run none or a string
      // (`ionice -p PID`, `taskset -p`, `flock FILE -c '…'`, `doas -s`) are not read through.
      // The command must be docker or buildx written there (not `$DOCKER`): the incremental
      // linter relints such a line whole, since its text names docker.
      case 'stdbuf':
        takeOpts(new Set(['i', 'o', 'e']), new Set(['input', 'output', 'error']));
        if (!writtenProgramAt(args, i)) return -1;
        continue;
      case 'ionice':
        if (!takeOpts(new Set(['c', 'n']), new Set(['class', 'classdata']), new Set(['-p', '--pid', '-P', '--pgid', '-u', '--uid']))) return -1;
        if (!writtenProgramAt(args, i)) return -1;
        continue;
      case 'setsid':
      case 'chronic':
      case 'unbuffer':
        takeOpts(new Set(), new Set());
        if (!writtenProgramAt(args, i)) return -1;
        continue;
      case 'taskset':
        if (!takeOpts(new Set(), new Set(), new Set(['-p', '--pid']))) return -1;
        if (i < args.length) i++; // the mask or CPU list
        if (!writtenProgramAt(args, i)) return -1;
        continue;
      case 'flock':
        if (!takeOpts(new Set(['w', 'E']), new Set(['timeout', 'wait', 'conflict-exit-code']), new Set(['-c', '--command']))) return -1;
        if (i + 1 < args.length && args[i + 1].static && /^(?:-c|--command)$/.test(args[i + 1].value.text)) return -1;
        if (i < args.length) i++; // the lock file
        if (!writtenProgramAt(args, i)) return -1;
        continue;
      case 'doas':
        if (!takeOpts(new Set(['C', 'u']), new Set(), new Set(['-s', '-L']))) return -1;
        if (!writtenProgramAt(args, i)) return -1;
        continue;
      case 'xargs': {
        // The arguments xargs reads are appended: how many is known only at run time. With a
        // replace string (`-I {}`, `-i`, `--replace`) none is appended: each input line replaces
        // the string inside the initial arguments, one command per line (GNU findutils, xargs
        // `-I replace-str`), so those arguments keep their number and hold an unknown part there.
        const from = i;
        if (!takeOpts(new Set(['a', 'd', 'E', 'I', 'L', 'n', 'P', 's']), new Set(['arg-file', 'delimiter', 'eof', 'max-lines', 'max-args', 'max-procs', 'max-chars', 'process-slot-var']))) return -1;
        let replace: string | null = null;
        for (let k = from + 1; k < i; k++) {
          const t = args[k].value.text;
          if (t === '--replace') replace = '{}';
          else if (t.startsWith('--replace=')) replace = t.slice('--replace='.length);
          else if (/^-[^-]/.test(t)) {
            // A cluster of short options: the first one taking an argument ends it (as takeOpts).
            for (let c = 1; c < t.length; c++) {
              if (t[c] === 'i') {
                replace = t.slice(c + 1) || '{}';
                break;
              }
              if (t[c] === 'I') {
                if (c < t.length - 1) replace = t.slice(c + 1);
                else if (k + 1 < i && args[k + 1].static) replace = args[k + 1].value.text;
                else return -1;
                break;
              }
              if ('adELnPs'.includes(t[c])) break;
            }
          }
        }
        if (replace === null) {
          appends.on = true;
          continue;
        }
        if (replace === '') return -1;
        for (let k = i; k < args.length; k++) markReplaced(args[k], replace);
        continue;
      }
      default: {
        if (!RETRY.test(word)) return i;
        // Only a command that plainly follows: docker or buildx after the helper's own arguments.
        let k = i + 1;
        while (k < args.length && k - i <= 4 && args[k].static && RETRY_ARG.test(args[k].value.text)) k++;
        if (k >= args.length || !args[k].static || !PROGRAMS.has(basename(args[k].value.text))) return -1;
        i = k;
        continue;
      }
    }
  }
  return i;
}

interface FlagParseResult {
  flags: FlagOccurrence[];
  positionals: Arg[];
  problems: InvocationProblem[];
  /** Index after the last consumed argument (for non-interspersed parsing). */
  next: number;
}

function parseBoolLiteral(s: string): boolean | null {
  if (GO_TRUE_WORDS.includes(s)) return true;
  if (GO_FALSE_WORDS.includes(s)) return false;
  return null;
}

/**
 * parseFlags walks args the way pflag does. With `interspersed` false (Docker's root command), it
 * stops at the first positional. Unknown flags are reported and do not consume the next word.
 */
function parseFlags(args: Arg[], start: number, table: FlagTable, interspersed: boolean): FlagParseResult {
  const flags: FlagOccurrence[] = [];
  const positionals: Arg[] = [];
  const problems: InvocationProblem[] = [];
  let i = start;
  const setValue = (occ: FlagOccurrence, arg: Arg, from: number) => {
    occ.value = sliceMapped(arg.value, from);
    occ.valueArg = arg;
    occ.valueSpan = occ.value.text.length ? spanOf(occ.value) : { start: arg.span.end, end: arg.span.end };
  };
  while (i < args.length) {
    const a = args[i];
    const t = a.value.text;
    if (!t.startsWith('-') || t === '-' || t[0] === DYNAMIC) {
      if (!interspersed) break;
      positionals.push(a);
      i++;
      continue;
    }
    if (t === '--') {
      i++;
      for (; i < args.length; i++) positionals.push(args[i]);
      break;
    }
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const name = eq >= 0 ? t.slice(2, eq) : t.slice(2);
      const nameSpan = spanOf(a.value, 0, eq >= 0 ? eq : t.length);
      if (name.includes(DYNAMIC)) {
        i++;
        continue; // a flag whose name is computed at run time: unknowable
      }
      const spec = table.long.get(name) ?? null;
      const occ: FlagOccurrence = { name, spec, arg: a, nameSpan, value: null, valueSpan: null, inline: eq >= 0, valueArg: undefined, bool: undefined };
      if (name.length === 0 || name.startsWith('-') || name.startsWith('=')) {
        problems.push({ kind: 'bad-flag-syntax', span: a.span, message: `bad flag syntax: ${t}` });
        i++;
        continue;
      }
      if (!spec) {
        problems.push({ kind: 'unknown-flag', span: nameSpan, message: `unknown flag: --${name}` });
        if (eq >= 0) setValue(occ, a, eq + 1);
        flags.push(occ);
        i++;
        continue;
      }
      if (takesValue(spec)) {
        if (eq >= 0) {
          setValue(occ, a, eq + 1);
          i++;
        } else if (i + 1 < args.length) {
          const v = args[i + 1];
          occ.value = v.value;
          occ.valueSpan = v.span;
          occ.valueArg = v;
          i += 2;
        } else {
          problems.push({ kind: 'flag-needs-argument', span: nameSpan, message: `flag needs an argument: --${name}` });
          i++;
        }
      } else {
        if (eq >= 0) {
          setValue(occ, a, eq + 1);
          const lit = occ.value!.text;
          occ.bool = lit.includes(DYNAMIC) ? null : parseBoolLiteral(lit);
          if (occ.bool === null && !lit.includes(DYNAMIC)) {
            problems.push({
              kind: 'invalid-bool',
              span: occ.valueSpan!,
              message: `invalid argument "${lit}" for "--${name}" flag: strconv.ParseBool: parsing "${lit}": invalid syntax`,
            });
          }
        } else {
          occ.bool = true;
        }
        i++;
      }
      flags.push(occ);
      continue;
    }
    // Shorthand cluster: -abc, -tvalue, -t value, -t=value.
    let k = 1;
    let consumedNext = false;
    while (k < t.length) {
      const c = t[k];
      const spec = table.short.get(c) ?? null;
      const nameSpan = spanOf(a.value, k, k + 1);
      if (c === DYNAMIC) break;
      if (!spec) {
        problems.push({ kind: 'unknown-flag', span: nameSpan, message: `unknown shorthand flag: '${c}' in ${t}` });
        break;
      }
      const occ: FlagOccurrence = { name: spec.name, spec, arg: a, nameSpan, value: null, valueSpan: null, inline: false, valueArg: undefined, bool: undefined };
      if (takesValue(spec)) {
        if (k + 1 < t.length) {
          const from = t[k + 1] === '=' ? k + 2 : k + 1;
          setValue(occ, a, from);
          occ.inline = true;
        } else if (i + 1 < args.length) {
          occ.value = args[i + 1].value;
          occ.valueSpan = args[i + 1].span;
          occ.valueArg = args[i + 1];
          consumedNext = true;
        } else {
          problems.push({ kind: 'flag-needs-argument', span: nameSpan, message: `flag needs an argument: '${c}' in -${c}` });
        }
        flags.push(occ);
        break;
      }
      if (t[k + 1] === '=') {
        setValue(occ, a, k + 2);
        occ.inline = true;
        const lit = occ.value!.text;
        occ.bool = lit.includes(DYNAMIC) ? null : parseBoolLiteral(lit);
        flags.push(occ);
        break;
      }
      occ.bool = true;
      flags.push(occ);
      k++;
    }
    i += consumedNext ? 2 : 1;
  }
  return { flags, positionals, problems, next: i };
}

const DOCKER_TABLE = flagTable(DOCKER_GLOBAL_FLAGS);
const BUILDX_ROOT_TABLE = flagTable(BUILDX_ROOT_FLAGS);

/**
 * extractInvocation reads one simple command; returns null when it is not a buildx invocation.
 */
export function extractInvocation(
  cmd: SimpleCommand,
  region: ShellRegion,
  context: Invocation['context'] = { inFunction: null, inSubstitution: false },
  scope?: ValueScope,
  words?: CommandFields,
): Invocation | null {
  const fields: Arg[] = [];
  if (words) {
    // Decided on the first field alone: the other words of a command that is not buildx are
    // never expanded.
    if (!mayRunBuildx(words, scope)) return null;
    for (const f of words.all()) fields.push(fieldToArg(f));
  } else for (const w of cmd.words) for (const f of expandWord(w, region.dialect, scope)) fields.push(fieldToArg(f));
  if (fields.length === 0) return null;
  const env: Invocation['env'] = cmd.assigns.map((as) => ({
    name: as.name,
    value: null,
    span: as.span,
  }));
  // Prefix assignment values are resolved lazily by consumers that care (BUILDX_BUILDER).
  cmd.assigns.forEach((as, idx) => {
    if (as.value) {
      const f = expandWord(as.value, region.dialect, scope)[0];
      if (f && f.static) env[idx].value = f.value;
    } else env[idx].value = sliceMapped({ text: '', starts: new Int32Array(0), ends: new Int32Array(0), endOffset: as.span.end }, 0, 0);
  });
  const appends = { on: false };
  const p = skipWrappers(fields, env, appends);
  if (p < 0 || p >= fields.length) return null;
  const paths = !fields[p].static && scope ? programPaths(fields[p].word, scope) : null;
  if (paths) return onEveryPath(fields, p, paths, env, appends.on, context, region);
  return readInvocation(fields, p, env, appends.on, context, region);
}

/**
 * A program word that holds a different buildx program prefix on each path: the words after it
 * are the same arguments on every path, read once per prefix. The invocation stands only when
 * every path reads it the same way (command, flags, problems); it is the first path's.
 */
function onEveryPath(fields: Arg[], p: number, paths: MappedString[][], env: Invocation['env'], appended: boolean, context: Invocation['context'], region: ShellRegion): Invocation | null {
  const word = fields[p];
  // `"${CMD[@]}"` with CMD unknown in number of words is one field here; more would be a split.
  if (fields.some((f, k) => k !== p && f.word === word.word)) return null;
  let first: Invocation | null = null;
  for (const path of paths) {
    const prefix: Arg[] = path.map((value) => ({ value, static: true, mayVary: false, span: word.span, quotedSpans: word.quotedSpans, word: word.word }));
    const one = readInvocation([...fields.slice(0, p), ...prefix, ...fields.slice(p + 1)], p, env.slice(), appended, context, region);
    if (!one) return null;
    if (!first) first = one;
    else if (!sameReading(first, one)) return null;
  }
  return first;
}

function sameReading(a: Invocation, b: Invocation): boolean {
  const flags = (inv: Invocation) => [...inv.globalFlags, ...inv.flags].map((f) => `${f.name}=${f.value?.text ?? ''}`).join('\0');
  const problems = (inv: Invocation) => inv.problems.map((x) => `${x.kind}:${x.span.start}`).join('\0');
  return (
    a.command === b.command &&
    a.modelled === b.modelled &&
    a.positionals.length === b.positionals.length &&
    flags(a) === flags(b) &&
    problems(a) === problems(b) &&
    a.argCountUncertain === b.argCountUncertain &&
    a.forwardedByDockerCli === b.forwardedByDockerCli
  );
}

function readInvocation(fields: Arg[], p: number, env: Invocation['env'], appended: boolean, context: Invocation['context'], region: ShellRegion): Invocation | null {
  const appends = { on: appended };
  let dockerByName = false;
  if (!fields[p].static) {
    const d = dynamicProgram(fields, p, env, appends);
    if (!d) return null;
    p = d.at;
    dockerByName = d.docker;
  }
  const progArg = fields[p];
  const progName = dockerByName ? 'docker' : basename(progArg.value.text);
  let program: Program;
  let i = p + 1;
  const globalFlags: FlagOccurrence[] = [];
  const problems: InvocationProblem[] = [];
  let forwarded = false;
  let argCountUncertain = appends.on;
  if (progName === 'docker') {
    program = 'docker';
    const r = parseFlags(fields, i, DOCKER_TABLE, false);
    globalFlags.push(...r.flags);
    i = r.next;
    if (i >= fields.length || !fields[i].static) return null;
    const cmdWord = fields[i].value.text;
    if (cmdWord === 'buildx' || cmdWord === 'builder') {
      i++;
    } else if (cmdWord === 'build') {
      forwarded = true;
    } else if (cmdWord === 'image' && fields[i + 1]?.static && fields[i + 1].value.text === 'build') {
      forwarded = true;
      i++;
    } else {
      return null;
    }
  } else if (progName === 'buildx' || progName === 'docker-buildx') {
    program = progName;
  } else {
    return null;
  }
  // Buildx's root flags may precede the subcommand (TraverseChildren).
  let commandIndex = i;
  while (commandIndex < fields.length) {
    const t = fields[commandIndex].value.text;
    // `--builder="$B"`: the value is dynamic, the flag (and so where the subcommand is) is not.
    const attachedDynamic = !fields[commandIndex].static && /^--[a-z][a-z-]*=/.test(t) && !fields[commandIndex].mayVary;
    if ((!fields[commandIndex].static && !attachedDynamic) || !t.startsWith('-') || t === '-' || t === '--') break;
    const r = parseFlags(fields.slice(commandIndex, commandIndex + 2), 0, BUILDX_ROOT_TABLE, false);
    if (r.next === 0) break;
    globalFlags.push(...r.flags);
    problems.push(...r.problems);
    commandIndex += r.next;
  }
  const rootPositionalsBad = commandIndex < fields.length && !fields[commandIndex].static;
  if (commandIndex >= fields.length || rootPositionalsBad) {
    return null; // `docker buildx` alone or a computed subcommand: nothing to judge
  }
  // Cobra gives every command `-h`/`--help`: the command prints its usage and runs nothing
  // (`docker buildx build --help | grep -q -- --attest` is how scripts probe for features).
  if (asksForHelp(fields, p + 1)) return null;
  const cmdArg = fields[commandIndex];
  const cmdText = cmdArg.value.text;
  const canonical = resolveCommand(cmdText);
  const argv = fields.slice(p + 1);
  const last = fields[fields.length - 1];
  // Words read from a `bash -c` string may map anywhere (a value the outer shell expanded).
  const span = { start: Math.min(progArg.span.start, last.span.start), end: Math.max(last.span.end, progArg.span.end) };
  if (!canonical) {
    if (!OTHER_COMMANDS.has(cmdText)) {
      problems.push({ kind: 'unknown-command', span: cmdArg.span, message: `unknown command: "${cmdText}"` });
    }
    return makeInvocation(program, argv, span, progArg.span, cmdArg.span, globalFlags, env, forwarded, context, region, cmdText, false, [], [], problems, true);
  }
  const table = commandFlagTable(canonical)!;
  const r = parseFlags(fields, commandIndex + 1, table, true);
  for (const p of r.problems) problems.push(p);
  for (let k = commandIndex + 1; k < fields.length; k++) if (fields[k].mayVary) argCountUncertain = true;
  return makeInvocation(
    program,
    argv,
    span,
    progArg.span,
    cmdArg.span,
    globalFlags,
    env,
    forwarded,
    context,
    region,
    canonical,
    COMMANDS.has(canonical),
    r.flags,
    r.positionals,
    problems,
    argCountUncertain,
  );
}

/**
 * One object literal for every invocation (no spread of a shared base): thousands of them are
 * made per file and read by every rule, so they keep one shape.
 */
/** The context of every command at the top level of a region (most of them): one object, never written to. */
const TOP_LEVEL: Invocation['context'] = Object.freeze({ inFunction: null, inSubstitution: false });

function makeInvocation(
  program: Program,
  argv: Arg[],
  span: Span,
  programSpan: Span,
  commandSpan: Span,
  globalFlags: FlagOccurrence[],
  env: Invocation['env'],
  forwardedByDockerCli: boolean,
  context: Invocation['context'],
  region: ShellRegion,
  command: string,
  modelled: boolean,
  flags: FlagOccurrence[],
  positionals: Arg[],
  problems: InvocationProblem[],
  argCountUncertain: boolean,
): Invocation {
  if (context.inFunction === null && !context.inSubstitution) context = TOP_LEVEL;
  return {
    program,
    argv,
    span,
    programSpan,
    commandSpan,
    globalFlags: compact(globalFlags),
    env: compact(env),
    forwardedByDockerCli,
    context,
    region,
    command,
    modelled,
    flags: compact(flags),
    positionals: compact(positionals),
    problems: compact(problems),
    argCountUncertain,
  };
}

/** A static `-h`, `--help` or `--help=<true>` before any `--`. */
function asksForHelp(fields: Arg[], from: number): boolean {
  for (let i = from; i < fields.length; i++) {
    if (!fields[i].static) continue;
    const t = fields[i].value.text;
    if (t === '--') return false;
    if (t === '-h' || t === '--help') return true;
    if (t.startsWith('--help=')) return parseBoolLiteral(t.slice(7)) === true;
  }
  return false;
}

/**
 * How many arguments the invocations of one file may still hold together (`limits.maxArguments`).
 * The first command that does not fit is recorded, and it and every later command stay unread:
 * what the model weighs is bounded by the budget, not by the file.
 */
export interface ArgumentBudget {
  left: number;
  /** The first command left unread, and how many words or arguments it had. */
  stoppedAt: { span: Span; args: number } | null;
  /**
   * The least room any command read had: what it had left less the larger of its words and
   * arguments. An edit that grows no command by more than this keeps every command read.
   */
  slack: number;
}

export interface ExtractOptions {
  budget?: ArgumentBudget;
  /**
   * Record what each top-level command read of variables (`valueReadsOf`), which only the
   * incremental lint of a single-region shell script reads: a map per command, about a
   * kilobyte, for nothing in a workflow or a Makefile with a region per command.
   */
  keepReads?: boolean;
}

/**
 * extractInvocations finds every buildx invocation in a parsed region, in source order, with the
 * values variables hold there. A wrapper function's forwarding command (`docker buildx "$@"`) is
 * an invocation at each call site; its reading at the definition is kept only when the function
 * is never called.
 */
export function extractInvocations(script: Script, region: ShellRegion, options: ExtractOptions = { keepReads: true }): Invocation[] {
  const { budget, keepReads = false } = options;
  const out: Invocation[] = [];
  const atDefinition = new Map<Invocation, string>();
  const throughRetry = new Set<Invocation>();
  const { replayed } = walkWithValues(script, region, (cmd, ctx: WalkContext, scope, words) => {
    // Most commands are not buildx: decided on the program word, nothing else of them is read.
    if (!mayRunBuildx(words, scope)) return forgetWordParts(cmd, null);
    // `docker buildx build …` after `docker() { sudo docker "$@"; }`: the function runs, read
    // through its body at this call (or nothing, when it never runs docker: a dry-run stub).
    if (ctx.callsFunction !== undefined) return forgetWordParts(cmd, null);
    const positional = ctx.fromCall || (ctx.replay || ctx.inFunction ? readsPositional(cmd) : false);
    if (ctx.replay && !positional) return forgetWordParts(cmd, null); // read where the function is defined
    const inFunction = ctx.replay ? ctx.replay.callerFunction : ctx.inFunction;
    // Words as written first, so a command far past the budget is never expanded at all.
    if (budget && (budget.stoppedAt || cmd.words.length > budget.left)) {
      budget.stoppedAt ??= { span: cmd.span, args: cmd.words.length };
      return forgetWordParts(cmd, null);
    }
    const inv = extractInvocation(cmd, region, { inFunction, inSubstitution: ctx.inSubstitution }, scope, words);
    if (budget) {
      const args = commandCost(cmd, inv);
      if (args > budget.left) {
        budget.stoppedAt = { span: cmd.span, args };
        return forgetWordParts(cmd, inv);
      }
      budget.slack = Math.min(budget.slack, budget.left - args);
      budget.left -= args;
    }
    if (keepReads && inv && !ctx.replay && !ctx.inFunction && !ctx.inSubstitution && !ctx.shellString) recordReads(inv, cmd, scope);
    forgetWordParts(cmd, inv);
    if (!inv) return;
    if (ctx.replay) {
      inv.span = ctx.replay.callSpan;
      inv.hidden = { kind: 'wrapper', span: ctx.replay.callSpan, name: ctx.replay.name };
    }
    if (ctx.shellString) {
      inv.hidden = { kind: ctx.shellString.kind, span: ctx.shellString.span };
      if (!ctx.replay) inv.span = ctx.shellString.span;
    }
    if (!ctx.replay && ctx.inFunction && positional) atDefinition.set(inv, ctx.inFunction);
    else if (ctx.replay?.definitionOf) atDefinition.set(inv, ctx.replay.definitionOf);
    if (!ctx.replay && isRetryWrapper(words?.first()?.value.text ?? '')) throughRetry.add(inv);
    out.push(inv);
  });
  // A `retry` the file defines is read through its body at the call: that reading stands.
  const kept = throughRetry.size
    ? out.filter((inv) => !(throughRetry.has(inv) && out.some((o) => o.hidden?.kind === 'wrapper' && o.hidden.span.start <= inv.span.start && inv.span.end <= o.hidden.span.end)))
    : out;
  if (!atDefinition.size) return kept;
  return kept.filter((inv) => !replayed.has(atDefinition.get(inv) ?? ''));
}

/**
 * What a command takes of an ArgumentBudget: its words as written or the arguments it runs with
 * (after `"$@"`, brace expansion), whichever is more, the program's name counted as in execve.
 */
export function commandCost(cmd: SimpleCommand, inv: Invocation | null): number {
  return Math.max(cmd.words.length, inv ? inv.argv.length + 1 : 0);
}

/**
 * Once a command is read, no later stage reads its flat words' parts but a fix or the language
 * server (which read them anew): forgetting them as the walk goes keeps what a command weighs at
 * its peak to its invocation, not its parse. The walk itself keeps the fields it expanded.
 */
function forgetWordParts(cmd: SimpleCommand, inv: Invocation | null): void {
  for (const w of cmd.words) forget(w);
  for (const a of cmd.assigns) forget(a.value);
  if (!inv) return;
  for (const a of inv.argv) {
    forget(a.word);
    forget(a.sourceWord);
  }
}

function forget(w: Word | null | undefined): void {
  if ((w as unknown) instanceof LazyWord) (w as unknown as LazyWord).forgetParts();
}

/** The command reads `$@`, `$*` or `$1`… in its words. */
function readsPositional(cmd: SimpleCommand): boolean {
  const parts: import('../shell/ast').WordPart[] = [];
  for (const w of cmd.words) if (!isLiteralWord(w)) parts.push(...w.parts);
  for (const a of cmd.assigns) if (a.value && !isLiteralWord(a.value)) parts.push(...a.value.parts);
  while (parts.length) {
    const p = parts.pop()!;
    if (p.kind === 'param') {
      if (p.name === '@' || p.name === '*' || /^[1-9]/.test(p.name)) return true;
      if (p.words) for (const w of p.words) parts.push(...w.parts);
    } else if (p.kind === 'dq') parts.push(...p.parts);
  }
  return false;
}

/**
 * What expanding one command read from the values walk: the binding of every variable its words
 * name, and the positional parameters. The incremental lint (engine/incremental.ts) re-reads an
 * edited command with these instead of walking the file again up to it.
 */
export interface ValueReads {
  values: Map<string, Resolved>;
  positional: Field[] | null;
}

const READS = new WeakMap<Invocation, ValueReads>();
const NOWHERE: Span = { start: 0, end: 0 };
/** The reads of a command that names no variable (never written to). */
const NO_VALUES = new Map<string, Resolved>();
const NO_READS: ValueReads = Object.freeze({ values: NO_VALUES, positional: null });

export function valueReadsOf(inv: Invocation): ValueReads | undefined {
  return READS.get(inv);
}

/**
 * Kept only for commands whose words hold nothing but quotes, escapes and parameter expansions:
 * anything that runs (a substitution, arithmetic) may read or set what no name shows.
 */
function recordReads(inv: Invocation, cmd: SimpleCommand, scope: ValueScope): void {
  const names = new Set<string>();
  const parts: WordPart[] = [];
  for (const w of cmd.words) if (!isLiteralWord(w)) for (const p of w.parts) parts.push(p);
  for (const a of cmd.assigns) if (a.value && !isLiteralWord(a.value)) for (const p of a.value.parts) parts.push(p);
  while (parts.length) {
    const p = parts.pop()!;
    if (p.kind === 'dq') for (const q of p.parts) parts.push(q);
    else if (p.kind === 'param') {
      names.add(p.name);
      if (p.words) for (const w of p.words) for (const q of w.parts) parts.push(q);
    } else if (p.kind !== 'lit' && p.kind !== 'sq' && p.kind !== 'esc' && p.kind !== 'ansic') return;
  }
  const positional = scope.positional();
  if (!names.size) {
    // Most commands name no variable: they share one record.
    READS.set(inv, positional === null ? NO_READS : { values: NO_VALUES, positional });
    return;
  }
  const values = new Map<string, Resolved>();
  for (const name of names) values.set(name, scope.lookup(name, NOWHERE));
  READS.set(inv, { values, positional });
}

/**
 * extractAgain reads one top-level command as extraction does, with the values `reads` recorded
 * for the command it replaces. Null when the words name a variable the record does not hold.
 */
export function extractAgain(cmd: SimpleCommand, region: ShellRegion, reads: ValueReads): { inv: Invocation | null } | null {
  let complete = true;
  const scope: ValueScope = {
    lookup(name, useSpan) {
      const r = reads.values.get(name);
      if (!r) {
        complete = false;
        return { t: 'dynamic' };
      }
      return r.t === 'str' || r.t === 'arr' ? { ...r, use: r.use && { ...r.use, useSpan } } : r;
    },
    positional: () => reads.positional,
  };
  const inv = extractInvocation(cmd, region, { inFunction: null, inSubstitution: false }, scope, new CommandFields(cmd.words, region.dialect, scope));
  if (!complete) return null;
  if (inv) READS.set(inv, reads);
  forgetWordParts(cmd, inv);
  return { inv };
}
