/**
 * Per-word limits: an argument past `limits.maxWordLength` characters or `limits.maxWordFields`
 * comma-separated fields is left unjudged, as a value known only at run time is, and gets one
 * KBX604 finding at the word. The word is cut before any buildx model reads it, so the memory the
 * CSV, platform and Kubernetes layers need stays bounded by the limits, whatever the host (a shell
 * word across continuation lines, a quoted value across thousands of lines, a YAML scalar, a
 * Makefile variable).
 */
import { DYNAMIC, type MappedString } from '../core/mapped-string';
import type { Arg, Invocation } from '../extract/invocation';
import type { HostProblem } from '../hosts/region';
import type { Script, ShellSyntaxError, Word } from '../shell/ast';
import { walkSimpleCommands } from '../shell/walk';
import type { Diagnostic } from '../core/diagnostic';
import type { Limits, RuleSetting } from './config';

/**
 * capLongWords runs between the shell parser and the extraction of invocations: every word of a
 * command (or assignment value) longer than `limits.maxWordLength` characters as written, or with
 * more than `limits.maxWordFields` commas, is replaced, in place, by its leading `--flag=` and one
 * DYNAMIC character, so no later layer expands, decodes or splits it. The check reads only spans
 * and the file text: words the parser keeps flat stay unread.
 */
export function capLongWords(script: Script, text: string, limits: Limits): HostProblem[] {
  // Every span lies inside the file: in a file no longer than a word may be, with fewer commas
  // than a word may hold fields, no word is past either limit, and none needs to be looked at.
  if (text.length <= limits.maxWordLength && fieldsAtMost(text, limits.maxWordFields)) return [];
  const problems: HostProblem[] = [];
  const check = (w: Word): Word => {
    const { start, end } = w.span;
    const why =
      end - start > limits.maxWordLength ? `is ${end - start} characters long, more than limits.maxWordLength (${limits.maxWordLength})` : tooManyFields(text, start, end, limits.maxWordFields);
    if (!why) return w;
    problems.push({ kind: 'input-too-large', span: headAt(text, start, end), message: `this word ${why}: it is not checked`, severity: 'error' });
    const flag = /^--?[A-Za-z][A-Za-z0-9-]*=/.exec(text.slice(start, start + 64));
    const keep = flag ? flag[0].length : 0;
    const parts: Word['parts'] = [];
    if (keep) parts.push({ kind: 'lit', span: { start, end: start + keep }, value: fileChars(text, start, start + keep) });
    const rest = { text: DYNAMIC, starts: Int32Array.of(start + keep), ends: Int32Array.of(end), endOffset: end };
    parts.push({ kind: 'lit', span: { start: start + keep, end }, value: rest });
    return { span: { start, end }, parts };
  };
  walkSimpleCommands(script, (cmd) => {
    for (let i = 0; i < cmd.words.length; i++) cmd.words[i] = check(cmd.words[i]);
    for (const a of cmd.assigns) if (a.value) a.value = check(a.value);
  });
  return problems;
}

/** The text whose commas were last counted (a Makefile's regions all ask about the one file). */
let countedText: string | null = null;
let countedFields = false;

/** Whether `text` holds fewer than `max` commas, i.e. no part of it has more than `max` fields. */
function fieldsAtMost(text: string, max: number): boolean {
  if (text.length < max) return true;
  if (text === countedText) return countedFields;
  let commas = 0;
  for (let i = text.indexOf(','); i >= 0 && commas < max; i = text.indexOf(',', i + 1)) commas++;
  countedText = text;
  countedFields = commas + 1 <= max;
  return countedFields;
}

function fileChars(text: string, from: number, to: number): MappedString {
  const starts = new Int32Array(to - from);
  const ends = new Int32Array(to - from);
  for (let i = 0; i < to - from; i++) {
    starts[i] = from + i;
    ends[i] = from + i + 1;
  }
  return { text: text.slice(from, to), starts, ends, endOffset: to };
}

function tooManyFields(text: string, start: number, end: number, max: number): string | null {
  if (end - start < max) return null;
  let commas = 0;
  for (let i = text.indexOf(',', start); i >= 0 && i < end; i = text.indexOf(',', i + 1)) commas++;
  return commas + 1 > max ? `has ${commas + 1} comma-separated fields, more than limits.maxWordFields (${max})` : null;
}

/** The span a finding about a word points at: its first line, at most 80 characters. */
function headAt(text: string, start: number, end: number): { start: number; end: number } {
  let stop = Math.min(end, start + 80);
  const nl = text.indexOf('\n', start);
  if (nl >= 0 && nl < stop) stop = nl;
  return { start, end: stop };
}

/** Why a value is past the limits, or null. Stops counting as soon as it knows. */
function oversize(text: string, limits: Limits): string | null {
  if (text.length > limits.maxWordLength) return `${text.length} characters, more than limits.maxWordLength (${limits.maxWordLength})`;
  if (text.length < limits.maxWordFields) return null;
  let fields = 1;
  for (let i = text.indexOf(','); i >= 0; i = text.indexOf(',', i + 1)) {
    if (++fields > limits.maxWordFields) {
      let all = fields;
      for (let k = text.indexOf(',', i + 1); k >= 0; k = text.indexOf(',', k + 1)) all++;
      return `${all} comma-separated fields, more than limits.maxWordFields (${limits.maxWordFields})`;
    }
  }
  return null;
}

/** The first `keep` characters of `s`, then one DYNAMIC character standing for all the rest. */
function cut(s: MappedString, keep: number): MappedString {
  const n = s.text.length;
  const starts = new Int32Array(keep + 1);
  const ends = new Int32Array(keep + 1);
  starts.set(s.starts.subarray(0, keep));
  ends.set(s.ends.subarray(0, keep));
  let start = s.starts[keep];
  let end = s.ends[keep];
  for (let i = keep; i < n; i++) {
    if (s.starts[i] < start) start = s.starts[i];
    if (s.ends[i] > end) end = s.ends[i];
  }
  starts[keep] = start;
  ends[keep] = end;
  return { text: s.text.slice(0, keep) + DYNAMIC, starts, ends, endOffset: s.endOffset };
}

/**
 * capLargeWords is the same check on arguments as the program receives them, after shell
 * variables and brace expansion (a word short as written may grow through `"$X$X"`). It replaces, in place, every argument (and flag value, and `VAR=value` prefix) past
 * the limits by its flag name and one DYNAMIC character, and returns one finding per argument.
 * A word read several times (a wrapper function's body at each call site) is reported once.
 */
export function capLargeWords(text: string, invocations: Invocation[], limits: Limits): HostProblem[] {
  const problems: HostProblem[] = [];
  const done = new Set<Arg>();
  const reported = new Set<number>();
  for (const inv of invocations) {
    let touched = false;
    for (const arg of inv.argv) {
      if (done.has(arg)) {
        touched = true;
        continue;
      }
      const why = oversize(arg.value.text, limits);
      if (!why) continue;
      done.add(arg);
      touched = true;
      // Keep the flag name of `--driver-opt=…` so the flag still counts as given.
      const inline = inv.flags.find((f) => f.arg === arg && f.inline && f.value);
      const keep = inline?.value ? arg.value.text.length - inline.value.text.length : 0;
      arg.value = cut(arg.value, keep);
      arg.static = false;
      if (reported.has(arg.span.start)) continue;
      reported.add(arg.span.start);
      problems.push({ kind: 'input-too-large', span: headAt(text, arg.span.start, arg.span.end), message: `${label(inv, arg)} has ${why}: it is not checked`, severity: 'error' });
    }
    for (const f of touched ? [...inv.flags, ...inv.globalFlags] : []) {
      if (!f.value || !done.has(f.valueArg ?? f.arg)) continue;
      const holder = f.valueArg ?? f.arg;
      f.value = f.inline ? { text: DYNAMIC, starts: holder.value.starts.subarray(-1), ends: holder.value.ends.subarray(-1), endOffset: holder.value.endOffset } : holder.value;
    }
    for (const e of inv.env) {
      if (e.value && oversize(e.value.text, limits)) e.value = cut(e.value, 0);
    }
  }
  return problems;
}

/**
 * The finding at the first command past `limits.maxArguments`: it and the commands after it are
 * not read, so their findings would be missing without a word.
 */
export function argumentsPastBudget(text: string, at: { span: { start: number; end: number }; args: number }, limits: Limits): HostProblem {
  const alone = at.args > limits.maxArguments;
  const why = alone
    ? `this command has ${at.args} arguments, more than limits.maxArguments (${limits.maxArguments}) for the whole file`
    : `with this command's ${at.args} arguments, the file's Docker commands would have more than limits.maxArguments (${limits.maxArguments}) together`;
  return { kind: 'input-too-large', span: headAt(text, at.span.start, at.span.end), message: `${why}: it and every command after it are not checked`, severity: 'error' };
}

/** The finding where the file's shell statements passed `limits.maxStatements`. */
export function statementsPastBudget(text: string, at: number, limits: Limits): HostProblem {
  return {
    kind: 'input-too-large',
    span: headAt(text, at, text.length),
    message: `the file has more than limits.maxStatements (${limits.maxStatements}) shell statements: from this one on it is not read`,
    severity: 'error',
  };
}

/**
 * The finding that stands for a rule's findings past `limits.maxFindings` in one file, at the
 * first of them. `upTo` counts the candidates left unjudged from there on: some of them might have
 * been suppressed or judged fine, so it is an upper bound. It is a KBX604 finding, so it follows
 * that rule's setting; otherwise it has the severity of the finding it stands in for, so a file's
 * error count never drops to zero by the cut. Null when KBX604 does not run.
 */
export function findingsPastLimit(
  rule: { code: string; name: string },
  first: Diagnostic,
  upTo: number,
  maxFindings: number,
  setting: RuleSetting | undefined,
  select: ReadonlySet<string> | null,
): Diagnostic | null {
  if (setting === 'off' || (select && !select.has('KBX604'))) return null;
  return {
    span: { start: first.span.start, end: first.span.start },
    severity: setting ?? first.severity,
    code: 'KBX604',
    name: 'input-too-large',
    message: `${rule.code} (${rule.name}) has more than limits.maxFindings (${maxFindings}) findings in this file: from here on, up to ${upTo} more are not reported`,
    help: 'fix the findings above and lint again, or raise limits.maxFindings',
  };
}

/** How a finding names an argument: the flag it is the value of, when there is one. */
function label(inv: Invocation, arg: Arg): string {
  const f = inv.flags.find((x) => x.valueArg === arg || (x.inline && x.arg === arg));
  return f ? `the --${f.name} value` : 'this argument';
}

/**
 * How many shell syntax errors a file reports. The parser already keeps one per line; past this
 * many lines the rest are counted into one last finding. A file this broken is either not a
 * shell script or fails at its first error (bash stops there), and a thousand findings hide that.
 */
export const MAX_SYNTAX_ERRORS = 100;

/** SyntaxErrorList gathers the regions' syntax errors up to MAX_SYNTAX_ERRORS, then counts them. */
export class SyntaxErrorList {
  private readonly list: ShellSyntaxError[] = [];
  private extra = 0;
  private firstExtra: ShellSyntaxError | null = null;

  add(errors: readonly ShellSyntaxError[]): void {
    for (const e of errors) {
      if (this.list.length < MAX_SYNTAX_ERRORS) this.list.push(e);
      else if (this.extra++ === 0) this.firstExtra = e;
    }
  }

  /** The errors to report; the last one stands for all past the bound, at the first of them. */
  done(): ShellSyntaxError[] {
    if (this.firstExtra) {
      const more = this.extra === 1 ? 'one more shell syntax error follows' : `${this.extra} more shell syntax errors follow`;
      this.list.push({ span: this.firstExtra.span, message: `${more}, not reported one by one (only the first ${MAX_SYNTAX_ERRORS} are)` });
    }
    return this.list;
  }
}
