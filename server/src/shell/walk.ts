/**
 * Command walker: consumes a parsed Script and reports every SimpleCommand in source order,
 * including those nested in compound commands, functions and substitutions. Iterative, so deep
 * trees cannot overflow the stack.
 */
import type { Command, Redirect, Script, SimpleCommand, Stmt, Word, WordPart } from './ast';
import { LazyWord } from './slice';

export interface CommandContext {
  /** Name of the innermost enclosing function definition. */
  inFunction: string | null;
  /** Inside `$(…)`, backticks, `<(…)` or a here-document substitution. */
  inSubstitution: boolean;
  /** Number of enclosing substitutions. */
  depth: number;
}

/** The stack items of a walk over the syntax tree, each with the walker's context `C`. */
export type TreeItem<C> =
  | { t: 'script'; v: Script; ctx: C }
  | { t: 'stmt'; v: Stmt; ctx: C }
  | { t: 'cmd'; v: Command; ctx: C }
  | { t: 'words'; v: Word[]; ctx: C }
  | { t: 'parts'; v: WordPart[]; ctx: C };

type Item = TreeItem<CommandContext>;

/**
 * Where a walker with an explicit stack puts what may hold commands inside words and
 * redirections: the parts of a double-quoted string, the words of a `${X:-…}`, the script of a
 * substitution or here-document. The push helpers below call it last-first, so what is pushed
 * pops in source order; walkSimpleCommands and the values walk (values.ts) share them.
 */
export interface NestedSink<C> {
  parts(list: WordPart[], ctx: C): void;
  words(list: Word[], ctx: C): void;
  /** A script that runs in a subshell: a substitution or a here-document's. */
  script(s: Script, ctx: C): void;
}

/** Only parts that hold commands (or may, through nesting) reach the sink: plain words cost nothing. */
export function pushNestedParts<C>(parts: WordPart[], ctx: C, sink: NestedSink<C>): void {
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i];
    switch (p.kind) {
      case 'dq':
        if (p.parts.length) sink.parts(p.parts, ctx);
        break;
      case 'param':
        if (p.words) sink.words(p.words, ctx);
        break;
      case 'cmdsubst':
      case 'procsubst':
        sink.script(p.script, ctx);
        break;
    }
  }
}

export function pushNestedWords<C>(words: Word[], ctx: C, sink: NestedSink<C>): void {
  for (let i = words.length - 1; i >= 0; i--) {
    const w = words[i];
    // A flat word holds no commands; skipping it also leaves its parts unread.
    if ((w as unknown) instanceof LazyWord) continue;
    pushNestedParts(w.parts, ctx, sink);
  }
}

export function pushNestedRedirs<C>(list: Redirect[], ctx: C, sink: NestedSink<C>): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const r = list[i];
    if (r.heredoc) {
      const scripts = r.heredoc.scripts;
      for (let k = scripts.length - 1; k >= 0; k--) sink.script(scripts[k], ctx);
    }
    if (r.target && !((r.target as unknown) instanceof LazyWord)) pushNestedParts(r.target.parts, ctx, sink);
  }
}

/** What runs inside a simple command's words, redirections and assignment values, in the order the shell runs it. */
export function pushNestedOfCommand<C>(c: SimpleCommand, ctx: C, sink: NestedSink<C>): void {
  pushNestedRedirs(c.redirects, ctx, sink);
  pushNestedWords(c.words, ctx, sink);
  for (let i = c.assigns.length - 1; i >= 0; i--) {
    const a = c.assigns[i];
    if (a.array) pushNestedWords(a.array, ctx, sink);
    if (a.value && !((a.value as unknown) instanceof LazyWord)) pushNestedParts(a.value.parts, ctx, sink);
  }
}

/** `top`: the index in `script.stmts` of the top-level statement the command is part of. */
export function walkSimpleCommands(script: Script, visit: (cmd: SimpleCommand, ctx: CommandContext, top: number) => void): void {
  const stack: Item[] = [{ t: 'script', v: script, ctx: { inFunction: null, inSubstitution: false, depth: 0 } }];
  const roots = script.stmts;
  let top = -1;
  // Children are pushed last-first so they pop in source order.
  const sink: NestedSink<CommandContext> = {
    parts: (v, ctx) => stack.push({ t: 'parts', v, ctx }),
    words: (v, ctx) => stack.push({ t: 'words', v, ctx }),
    script: (v, ctx) => stack.push({ t: 'script', v, ctx: { inFunction: ctx.inFunction, inSubstitution: true, depth: ctx.depth + 1 } }),
  };
  const pushStmts = (list: Stmt[], ctx: CommandContext): void => {
    for (let i = list.length - 1; i >= 0; i--) stack.push({ t: 'stmt', v: list[i], ctx });
  };
  const simple = (c: SimpleCommand, ctx: CommandContext): void => {
    visit(c, ctx, top);
    pushNestedOfCommand(c, ctx, sink);
  };

  while (stack.length) {
    const item = stack.pop()!;
    const ctx = item.ctx;
    switch (item.t) {
      case 'script':
        pushStmts(item.v.stmts, ctx);
        break;
      case 'stmt': {
        // The top-level statements pop in order, each before anything inside it.
        if (item.v === roots[top + 1]) top++;
        pushNestedRedirs(item.v.redirects, ctx, sink);
        const c = item.v.command;
        // A simple command is read here, as it would be when popped next: no item for it.
        if (c.kind === 'simple') simple(c, ctx);
        else stack.push({ t: 'cmd', v: c, ctx });
        break;
      }
      case 'words':
        pushNestedWords(item.v, ctx, sink);
        break;
      case 'parts':
        pushNestedParts(item.v, ctx, sink);
        break;
      case 'cmd': {
        const c = item.v;
        // Compound commands inside pipelines and and-or lists keep redirections on the node.
        const extra = (c as Command & { redirects?: Redirect[] }).redirects;
        if (extra && c.kind !== 'simple') pushNestedRedirs(extra, ctx, sink);
        switch (c.kind) {
          case 'simple':
            simple(c, ctx);
            break;
          case 'pipeline':
            for (let i = c.commands.length - 1; i >= 0; i--) stack.push({ t: 'cmd', v: c.commands[i], ctx });
            break;
          case 'andor':
            for (let i = c.items.length - 1; i >= 0; i--) stack.push({ t: 'cmd', v: c.items[i], ctx });
            break;
          case 'if':
            if (c.elseBody) pushStmts(c.elseBody, ctx);
            for (let i = c.branches.length - 1; i >= 0; i--) {
              pushStmts(c.branches[i].body, ctx);
              pushStmts(c.branches[i].cond, ctx);
            }
            break;
          case 'while':
          case 'until':
            pushStmts(c.body, ctx);
            pushStmts(c.cond, ctx);
            break;
          case 'for':
            pushStmts(c.body, ctx);
            if (c.items) pushNestedWords(c.items, ctx, sink);
            break;
          case 'case':
            for (let i = c.items.length - 1; i >= 0; i--) {
              pushStmts(c.items[i].body, ctx);
              pushNestedWords(c.items[i].patterns, ctx, sink);
            }
            if (!((c.word as unknown) instanceof LazyWord)) pushNestedParts(c.word.parts, ctx, sink);
            break;
          case 'brace':
          case 'subshell':
            pushStmts(c.body, ctx);
            break;
          case 'function':
            stack.push({ t: 'cmd', v: c.body, ctx: { ...ctx, inFunction: c.name } });
            break;
          case 'test':
          case 'arithcmd':
            pushNestedWords(c.words, ctx, sink);
            break;
        }
        break;
      }
    }
  }
}
