/**
 * The parser's statement and simple-command nodes, as classes whose span is computed from their
 * contents when it is theirs (nearly always): an AST holds one of each per command, and a span
 * object per command and a slot per statement add up over a file of 40,000 commands. Nothing
 * else changes: `span` reads as a property, and one set by a layer is kept.
 */
import type { Span } from '../core/span';
import type { AndOr, Assign, Command, Pipeline, Redirect, SimpleCommand, Stmt, Word } from './ast';
import { LazyWord } from './slice';

/**
 * The one empty list every node without assignments, redirections, words or statements shares:
 * frozen, so a write throws instead of reaching every other node.
 */
export const NONE: never[] = Object.freeze([]) as unknown as never[];

function wordStart(w: Word): number {
  const q = w as unknown;
  return q instanceof LazyWord ? q.startOffset() : w.span.start;
}
function wordEnd(w: Word): number {
  const q = w as unknown;
  return q instanceof LazyWord ? q.endOffset() : w.span.end;
}

/**
 * The start and end the contents give: from the first of the first assignment, word and
 * redirection to the last of their last ones (offsets grow through a source), the end at least
 * the start. NaN when the command is empty.
 */
function contentStart(assigns: Assign[], words: Word[], redirects: Redirect[]): number {
  let start = Number.NaN;
  if (assigns.length) start = assigns[0].span.start;
  if (words.length) {
    const s = wordStart(words[0]);
    if (!(s >= start)) start = s;
  }
  if (redirects.length) {
    const s = redirects[0].span.start;
    if (!(s >= start)) start = s;
  }
  return start;
}
function contentEnd(assigns: Assign[], words: Word[], redirects: Redirect[]): number {
  let end = Number.NaN;
  if (assigns.length) end = assigns[assigns.length - 1].span.end;
  if (words.length) {
    const e = wordEnd(words[words.length - 1]);
    if (!(e <= end)) end = e;
  }
  if (redirects.length) {
    const e = redirects[redirects.length - 1].span.end;
    if (!(e <= end)) end = e;
  }
  return end;
}

export class SimpleCmd implements SimpleCommand {
  readonly kind = 'simple' as const;
  assigns: Assign[];
  words: Word[];
  redirects: Redirect[];
  /** The span when it is not the contents' (see contentStart), else undefined. */
  #span: Span | undefined = undefined;

  /** `start`, `end`: the command's span, kept only when its contents give another. */
  constructor(assigns: Assign[], words: Word[], redirects: Redirect[], start: number, end: number) {
    this.assigns = assigns;
    this.words = words;
    this.redirects = redirects;
    const s = contentStart(assigns, words, redirects);
    if (s !== start || Math.max(contentEnd(assigns, words, redirects), s) !== end) this.#span = { start, end };
  }

  /** A new object on each read unless one was set (no reader changes a span in place). */
  get span(): Span {
    if (this.#span) return this.#span;
    const start = contentStart(this.assigns, this.words, this.redirects);
    return { start, end: Math.max(contentEnd(this.assigns, this.words, this.redirects), start) };
  }
  set span(span: Span) {
    this.#span = span;
  }
}

export class ShellStmt implements Stmt {
  command: Command;
  background = false;
  redirects: Redirect[];
  /** The span when it is not the command's, else undefined. */
  #span: Span | undefined = undefined;

  constructor(command: Command, redirects: Redirect[], span: Span | undefined) {
    this.command = command;
    this.redirects = redirects;
    this.#span = span;
  }

  get span(): Span {
    return this.#span ?? this.command.span;
  }
  set span(span: Span) {
    this.#span = span;
  }
}

/** `a && b || c`: its span always runs from its first item's start to its last item's end. */
export class AndOrList implements AndOr {
  readonly kind = 'andor' as const;
  ops: ('&&' | '||')[];
  items: Command[];

  constructor(ops: ('&&' | '||')[], items: Command[]) {
    this.ops = ops;
    this.items = items;
  }

  get span(): Span {
    return { start: this.items[0].span.start, end: this.items[this.items.length - 1].span.end };
  }
}

/** `a | b`, `! a`: the span is its commands' unless it was given another (a leading `!`). */
export class PipelineCmd implements Pipeline {
  readonly kind = 'pipeline' as const;
  negated: boolean;
  commands: Command[];
  #span: Span | undefined = undefined;

  constructor(negated: boolean, commands: Command[], span: Span) {
    this.negated = negated;
    this.commands = commands;
    if (span.start !== commands[0].span.start || span.end !== commands[commands.length - 1].span.end) this.#span = span;
  }

  get span(): Span {
    return this.#span ?? { start: this.commands[0].span.start, end: this.commands[this.commands.length - 1].span.end };
  }
  set span(span: Span) {
    this.#span = span;
  }
}
