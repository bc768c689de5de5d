/**
 * The shell syntax tree. Every node carries a `span` in original-file offsets (see core/span.ts),
 * even when the shell text came through a host layer such as a Makefile recipe.
 *
 * Words are lists of parts, in the style of mvdan/sh: a part is literal, quoted, escaped or an
 * expansion, and every decoded character keeps its source range in a MappedString.
 */
import type { MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';

export type { Dialect } from '../hosts/region';

/** Unquoted literal characters. `value` holds them as the shell reads them. */
export interface Lit {
  kind: 'lit';
  span: Span;
  value: MappedString;
}

/** `'…'`: value is the content between the quotes. */
export interface SglQuoted {
  kind: 'sq';
  span: Span;
  value: MappedString;
}

/** `$'…'`: value is the decoded content (ANSI-C escapes applied). */
export interface AnsiCQuoted {
  kind: 'ansic';
  span: Span;
  value: MappedString;
}

/**
 * A backslash escape, outside or inside double quotes, after quote removal: `\,` has value `,`.
 * Inside double quotes a backslash before a character other than `$ \` " newline` stays, so
 * `"\a"` gives a Lit with value `\a`, not an Escaped. Line continuations produce no part at all.
 */
export interface Escaped {
  kind: 'esc';
  span: Span;
  value: MappedString;
}

/** `"…"`: its parts are Lit, Escaped and expansions. */
export interface DblQuoted {
  kind: 'dq';
  span: Span;
  parts: WordPart[];
  /** `$"…"` (locale translation); treated like `"…"`. */
  dollar: boolean;
}

/** `$NAME`, `$1`, `$@`, `${…}`. `name` is the parameter name when it can be read, else ''. */
export interface ParamExp {
  kind: 'param';
  span: Span;
  name: string;
  /** True for `${…}` forms. */
  braced: boolean;
  /** `$@`, `${a[@]}`, `${!p@}`: several words even when double-quoted. */
  splat?: boolean;
  /** Words inside `${…}` operators (e.g. the default of `${X:-default}`), when parsed; the operand only, without `op`. */
  words?: Word[];
  /** The operator of a `${…}` form: `:-`, `-`, `:=`, `=`, `:+`, `+`, `:?`, `?`, `#`, `%`, `/`, `:` (substring), … */
  op?: string;
  /** The subscript of `${A[…]}` as written. */
  index?: string;
  /** `#` (length) or `!` (indirection) before the name. */
  prefix?: '#' | '!';
}

/** `$(…)` or `` `…` ``; the commands inside are parsed too. */
export interface CmdSubst {
  kind: 'cmdsubst';
  span: Span;
  backquote: boolean;
  script: Script;
}

/** `$((…))` or `$[…]`. */
export interface ArithExp {
  kind: 'arith';
  span: Span;
}

/** `<(…)` or `>(…)`. */
export interface ProcSubst {
  kind: 'procsubst';
  span: Span;
  op: '<' | '>';
  script: Script;
}

export type WordPart = Lit | SglQuoted | AnsiCQuoted | Escaped | DblQuoted | ParamExp | CmdSubst | ArithExp | ProcSubst;

export interface Word {
  span: Span;
  parts: WordPart[];
  /** `NAME=(…)` written as a word (an argument of `declare`, `local`, `export`…): the elements. */
  array?: Word[];
}

export interface Assign {
  span: Span;
  name: string;
  append: boolean;
  /** Scalar value (`X=v`), null for `X=`… with nothing after (empty string) — see `value` being an empty Word instead. */
  value: Word | null;
  /** Array value (`X=(a b)`). */
  array?: Word[];
}

export interface HereDoc {
  delimiter: string;
  /** Delimiter was quoted in any way: the body is pure data. */
  quoted: boolean;
  /** `<<-`: leading tabs stripped. */
  stripTabs: boolean;
  body: MappedString;
  bodySpan: Span;
  /** Commands inside `$(…)`/backticks of an unquoted-delimiter body; they run. */
  scripts: Script[];
}

export interface Redirect {
  span: Span;
  /** The operator: `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `&>`, `&>>`, `<>`, `>|`. */
  op: string;
  /** `2` in `2>&1`, `{fd}` forms keep the braces. */
  fd?: string;
  target: Word | null;
  heredoc?: HereDoc;
}

export interface SimpleCommand {
  kind: 'simple';
  span: Span;
  assigns: Assign[];
  /** Command name and arguments, in order, excluding redirections. */
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  kind: 'pipeline';
  span: Span;
  negated: boolean;
  commands: Command[];
}

export interface AndOr {
  kind: 'andor';
  span: Span;
  /** `&&` or `||` between items[i] and items[i+1]. */
  ops: ('&&' | '||')[];
  items: Command[];
}

export interface IfClause {
  kind: 'if';
  span: Span;
  /** cond/then pairs for `if` and each `elif`. */
  branches: { cond: Stmt[]; body: Stmt[] }[];
  elseBody: Stmt[] | null;
}

export interface LoopClause {
  kind: 'while' | 'until';
  span: Span;
  cond: Stmt[];
  body: Stmt[];
}

export interface ForClause {
  kind: 'for';
  span: Span;
  name: string;
  /** `in` words, or null for `for x; do` / C-style `for ((…))`. */
  items: Word[] | null;
  body: Stmt[];
}

export interface CaseClause {
  kind: 'case';
  span: Span;
  word: Word;
  items: { patterns: Word[]; body: Stmt[]; terminator: ';;' | ';&' | ';;&' | '' }[];
}

export interface Block {
  kind: 'brace' | 'subshell';
  span: Span;
  body: Stmt[];
}

export interface FuncDecl {
  kind: 'function';
  span: Span;
  name: string;
  body: Command;
}

/** `[[ … ]]`, `(( … ))`: contents are words; nothing inside is a command except substitutions. */
export interface TestClause {
  kind: 'test' | 'arithcmd';
  span: Span;
  words: Word[];
}

export type Command = SimpleCommand | Pipeline | AndOr | IfClause | LoopClause | ForClause | CaseClause | Block | FuncDecl | TestClause;

export interface Stmt {
  span: Span;
  command: Command;
  /** Trailing `&`. */
  background: boolean;
  /** Redirections applied to a compound command (`{ …; } >file`). */
  redirects: Redirect[];
}

export const SHELL_PROBLEM_KINDS = ['shell-syntax'] as const;
export type ShellProblemKind = (typeof SHELL_PROBLEM_KINDS)[number];

export interface ShellSyntaxError {
  span: Span;
  message: string;
  /**
   * The text ended inside a compound command (`if` without `fi`, `{` without `}`): the error a
   * quoted part of a longer script shows, not a mistake in what is quoted.
   */
  cutShort?: true;
}

export interface Script {
  span: Span;
  stmts: Stmt[];
  /** Syntax errors found while reading; the parser recovers and keeps going. */
  errors: ShellSyntaxError[];
  /** Where reading stopped, the file's statement budget spent (parseShell's `budget`). */
  cutAt?: number;
}
