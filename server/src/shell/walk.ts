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

type Item =
  | { t: 'script'; v: Script; ctx: CommandContext }
  | { t: 'stmt'; v: Stmt; ctx: CommandContext }
  | { t: 'cmd'; v: Command; ctx: CommandContext }
  | { t: 'words'; v: Word[]; ctx: CommandContext }
  | { t: 'parts'; v: WordPart[]; ctx: CommandContext }
  | { t: 'redirs'; v: Redirect[]; ctx: CommandContext };

export function walkSimpleCommands(script: Script, visit: (cmd: SimpleCommand, ctx: CommandContext) => void): void {
  const stack: Item[] = [{ t: 'script', v: script, ctx: { inFunction: null, inSubstitution: false, depth: 0 } }];
  // Children are pushed last-first so they pop in source order. Only parts that hold commands
  // (or may, through nesting) get stack items: plain words cost nothing.
  const sub = (ctx: CommandContext): CommandContext => ({ inFunction: ctx.inFunction, inSubstitution: true, depth: ctx.depth + 1 });
  const pushStmts = (list: Stmt[], ctx: CommandContext): void => {
    for (let i = list.length - 1; i >= 0; i--) stack.push({ t: 'stmt', v: list[i], ctx });
  };
  const pushParts = (parts: WordPart[], ctx: CommandContext): void => {
    for (let i = parts.length - 1; i >= 0; i--) {
      const p = parts[i];
      switch (p.kind) {
        case 'dq':
          if (p.parts.length) stack.push({ t: 'parts', v: p.parts, ctx });
          break;
        case 'param':
          if (p.words) stack.push({ t: 'words', v: p.words, ctx });
          break;
        case 'cmdsubst':
        case 'procsubst':
          stack.push({ t: 'script', v: p.script, ctx: sub(ctx) });
          break;
      }
    }
  };
  const pushWords = (words: Word[], ctx: CommandContext): void => {
    for (let i = words.length - 1; i >= 0; i--) {
      const w = words[i];
      // A flat word holds no commands; skipping it also leaves its parts unread.
      if ((w as unknown) instanceof LazyWord) continue;
      pushParts(w.parts, ctx);
    }
  };
  const pushRedirs = (list: Redirect[], ctx: CommandContext): void => {
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i];
      if (r.heredoc) {
        const scripts = r.heredoc.scripts;
        for (let k = scripts.length - 1; k >= 0; k--) stack.push({ t: 'script', v: scripts[k], ctx: sub(ctx) });
      }
      if (r.target && !((r.target as unknown) instanceof LazyWord)) pushParts(r.target.parts, ctx);
    }
  };

  const simple = (c: SimpleCommand, ctx: CommandContext): void => {
    visit(c, ctx);
    pushRedirs(c.redirects, ctx);
    pushWords(c.words, ctx);
    for (let i = c.assigns.length - 1; i >= 0; i--) {
      const a = c.assigns[i];
      if (a.array) pushWords(a.array, ctx);
      if (a.value && !((a.value as unknown) instanceof LazyWord)) pushParts(a.value.parts, ctx);
    }
  };

  while (stack.length) {
    const item = stack.pop()!;
    const ctx = item.ctx;
    switch (item.t) {
      case 'script':
        pushStmts(item.v.stmts, ctx);
        break;
      case 'stmt': {
        pushRedirs(item.v.redirects, ctx);
        const c = item.v.command;
        // A simple command is read here, as it would be when popped next: no item for it.
        if (c.kind === 'simple') simple(c, ctx);
        else stack.push({ t: 'cmd', v: c, ctx });
        break;
      }
      case 'words':
        pushWords(item.v, ctx);
        break;
      case 'redirs':
        pushRedirs(item.v, ctx);
        break;
      case 'parts':
        pushParts(item.v, ctx);
        break;
      case 'cmd': {
        const c = item.v;
        // Compound commands inside pipelines and and-or lists keep redirections on the node.
        const extra = (c as Command & { redirects?: Redirect[] }).redirects;
        if (extra && c.kind !== 'simple') pushRedirs(extra, ctx);
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
            if (c.items) pushWords(c.items, ctx);
            break;
          case 'case':
            for (let i = c.items.length - 1; i >= 0; i--) {
              pushStmts(c.items[i].body, ctx);
              pushWords(c.items[i].patterns, ctx);
            }
            if (!((c.word as unknown) instanceof LazyWord)) pushParts(c.word.parts, ctx);
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
            pushWords(c.words, ctx);
            break;
        }
        break;
      }
    }
  }
}
