/**
 * Command walker: consumes a parsed Script and reports every SimpleCommand in source order,
 * including those nested in compound commands, functions and substitutions. Iterative, so deep
 * trees cannot overflow the stack.
 */
import type { Command, Redirect, Script, SimpleCommand, Stmt, Word, WordPart } from './ast';

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
  // Items are pushed in reverse so they pop in source order.
  const pushAll = (items: Item[]): void => {
    for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
  };
  const stmts = (list: Stmt[], ctx: CommandContext): Item[] => list.map((v) => ({ t: 'stmt', v, ctx }) as Item);
  const sub = (ctx: CommandContext): CommandContext => ({ inFunction: ctx.inFunction, inSubstitution: true, depth: ctx.depth + 1 });

  while (stack.length) {
    const item = stack.pop()!;
    const ctx = item.ctx;
    switch (item.t) {
      case 'script':
        pushAll(stmts(item.v.stmts, ctx));
        break;
      case 'stmt':
        pushAll([
          { t: 'cmd', v: item.v.command, ctx },
          { t: 'redirs', v: item.v.redirects, ctx },
        ]);
        break;
      case 'words':
        pushAll(item.v.map((w) => ({ t: 'parts', v: w.parts, ctx }) as Item));
        break;
      case 'redirs': {
        const out: Item[] = [];
        for (const r of item.v) {
          if (r.target) out.push({ t: 'parts', v: r.target.parts, ctx });
          if (r.heredoc) for (const s of r.heredoc.scripts) out.push({ t: 'script', v: s, ctx: sub(ctx) });
        }
        pushAll(out);
        break;
      }
      case 'parts': {
        const out: Item[] = [];
        for (const p of item.v) {
          switch (p.kind) {
            case 'dq':
              out.push({ t: 'parts', v: p.parts, ctx });
              break;
            case 'param':
              if (p.words) out.push({ t: 'words', v: p.words, ctx });
              break;
            case 'cmdsubst':
            case 'procsubst':
              out.push({ t: 'script', v: p.script, ctx: sub(ctx) });
              break;
          }
        }
        pushAll(out);
        break;
      }
      case 'cmd': {
        const c = item.v;
        const out: Item[] = [];
        // Compound commands inside pipelines and and-or lists keep redirections on the node.
        const extra = (c as Command & { redirects?: Redirect[] }).redirects;
        switch (c.kind) {
          case 'simple':
            visit(c, ctx);
            for (const a of c.assigns) {
              if (a.value) out.push({ t: 'parts', v: a.value.parts, ctx });
              if (a.array) out.push({ t: 'words', v: a.array, ctx });
            }
            out.push({ t: 'words', v: c.words, ctx }, { t: 'redirs', v: c.redirects, ctx });
            break;
          case 'pipeline':
            for (const x of c.commands) out.push({ t: 'cmd', v: x, ctx });
            break;
          case 'andor':
            for (const x of c.items) out.push({ t: 'cmd', v: x, ctx });
            break;
          case 'if':
            for (const b of c.branches) out.push(...stmts(b.cond, ctx), ...stmts(b.body, ctx));
            if (c.elseBody) out.push(...stmts(c.elseBody, ctx));
            break;
          case 'while':
          case 'until':
            out.push(...stmts(c.cond, ctx), ...stmts(c.body, ctx));
            break;
          case 'for':
            if (c.items) out.push({ t: 'words', v: c.items, ctx });
            out.push(...stmts(c.body, ctx));
            break;
          case 'case':
            out.push({ t: 'parts', v: c.word.parts, ctx });
            for (const it of c.items) out.push({ t: 'words', v: it.patterns, ctx }, ...stmts(it.body, ctx));
            break;
          case 'brace':
          case 'subshell':
            out.push(...stmts(c.body, ctx));
            break;
          case 'function':
            out.push({ t: 'cmd', v: c.body, ctx: { ...ctx, inFunction: c.name } });
            break;
          case 'test':
          case 'arithcmd':
            out.push({ t: 'words', v: c.words, ctx });
            break;
        }
        if (extra && c.kind !== 'simple') out.push({ t: 'redirs', v: extra, ctx });
        pushAll(out);
        break;
      }
    }
  }
}
