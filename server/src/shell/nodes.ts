/**
 * The parser's statement, simple-command, and-or and pipeline nodes, as classes that keep no span
 * object: a statement, a list and a pipeline read theirs from their contents when it is theirs
 * (nearly always), a simple command keeps two numbers. An AST holds a statement and a command per
 * command, and a span object for each added up over a file of 40,000 commands. Nothing else
 * changes: `span` reads as a property, and one that is set is kept.
 */
import type { Span } from '../core/span';
import type { AndOr, Assign, Command, Pipeline, Redirect, SimpleCommand, Stmt, Word } from './ast';

/**
 * The one empty list every node without assignments, redirections, words or statements shares:
 * frozen, so a write throws instead of reaching every other node.
 */
export const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * A simple command keeps its span as two numbers, made into an object on each read: the builder
 * graph's walk reads every command's span several times (a sort, a search), so the read is kept
 * to an allocation, not computed from the words.
 */
export class SimpleCmd implements SimpleCommand {
  readonly kind = 'simple' as const;
  assigns: Assign[];
  words: Word[];
  redirects: Redirect[];
  #start: number;
  #end: number;

  constructor(assigns: Assign[], words: Word[], redirects: Redirect[], start: number, end: number) {
    this.assigns = assigns;
    this.words = words;
    this.redirects = redirects;
    this.#start = start;
    this.#end = end;
  }

  /** A new object on each read (no reader changes a span in place); one set replaces the numbers. */
  get span(): Span {
    return { start: this.#start, end: this.#end };
  }
  set span(span: Span) {
    this.#start = span.start;
    this.#end = span.end;
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
