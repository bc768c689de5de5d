/**
 * The parser's statements, simple commands, and-or lists and pipelines read their span from their
 * contents when it is theirs, and flat words and literal parts make theirs on each read. The spans
 * must be the ones an eager parser gave: from the first token's start to the last token's end, a
 * `&` included in the statement's, a leading `!` in the pipeline's, a here-document's body in none.
 * Empty lists are one shared frozen array, so a write throws instead of reaching other nodes.
 */
import { describe, expect, it } from 'vitest';
import type { Span } from '../../server/src/core/span';
import type { Command, SimpleCommand, Stmt } from '../../server/src/shell/ast';
import { LazyWord } from '../../server/src/shell/slice';
import { parse } from '../harness/bash-oracle';

/** A span as [start, end] (end exclusive: sources here are identity-mapped). */
function at(s: Span): [number, number] {
  return [s.start, s.end];
}
/** The range of the first occurrence of `part` in `text`. */
function of(text: string, part: string, from = 0): [number, number] {
  const i = text.indexOf(part, from);
  expect(i).toBeGreaterThanOrEqual(0);
  return [i, i + part.length];
}
function only(text: string): Stmt {
  const s = parse(text);
  expect(s.errors).toEqual([]);
  expect(s.stmts).toHaveLength(1);
  return s.stmts[0];
}
function simple(c: Command): SimpleCommand {
  expect(c.kind).toBe('simple');
  return c as SimpleCommand;
}

describe('spans read from contents', () => {
  it.each(['docker buildx build --platform linux/amd64,linux/arm64 -t r/a --push .', 'X=1 Y+=2 cmd arg', '>out cmd arg 2>&1', 'X=(a b) cmd', 'cmd a "b c" $D \'e\' >>log', '2>/dev/null', 'A=1'])(
    'a simple command spans its tokens: %s',
    (text) => {
      const stmt = only(`  ${text}   # note\n`);
      const want = of(`  ${text}   # note\n`, text);
      expect(at(stmt.span)).toEqual(want);
      expect(at(stmt.command.span)).toEqual(want);
    },
  );

  it('a word, an assignment and a redirection keep their own spans', () => {
    const text = 'X=1 cmd "a b" 2>&1';
    const c = simple(only(text).command);
    expect(at(c.assigns[0].span)).toEqual(of(text, 'X=1'));
    expect(c.words.map((w) => at(w.span))).toEqual([of(text, 'cmd'), of(text, '"a b"')]);
    expect(at(c.redirects[0].span)).toEqual(of(text, '2>&1'));
    expect(c.redirects[0].fd).toBe('2');
  });

  it('a background statement spans its `&`, its command does not', () => {
    const text = 'sleep 1 &\nwait';
    const [bg, fg] = parse(text).stmts;
    expect(bg.background).toBe(true);
    expect(at(bg.span)).toEqual(of(text, 'sleep 1 &'));
    expect(at(bg.command.span)).toEqual(of(text, 'sleep 1'));
    expect(fg.background).toBe(false);
    expect(at(fg.span)).toEqual(of(text, 'wait'));
  });

  it('and-or lists and pipelines span their items, a leading `!` included', () => {
    const text = 'a x | b && ! c y || d';
    const stmt = only(text);
    expect(stmt.command.kind).toBe('andor');
    expect(at(stmt.span)).toEqual([0, text.length]);
    if (stmt.command.kind !== 'andor') return;
    const [pipe, neg, last] = stmt.command.items;
    expect(stmt.command.ops).toEqual(['&&', '||']);
    expect(pipe.kind).toBe('pipeline');
    expect(at(pipe.span)).toEqual(of(text, 'a x | b'));
    expect(neg.kind).toBe('pipeline');
    expect(at(neg.span)).toEqual(of(text, '! c y'));
    expect(at(last.span)).toEqual(of(text, 'd', 17));
  });

  it("a here-document's body is not in its command's span", () => {
    const text = 'cat <<EOF >out\nbody\nEOF\necho';
    const s = parse(text);
    expect(s.errors).toEqual([]);
    expect(at(s.stmts[0].span)).toEqual(of(text, 'cat <<EOF >out'));
    expect(at(s.stmts[1].span)).toEqual(of(text, 'echo'));
  });

  it('a compound command with redirections spans them', () => {
    const text = '{ a; b; } >log 2>&1';
    const stmt = only(text);
    expect(at(stmt.span)).toEqual([0, text.length]);
    expect(stmt.redirects.map((r) => at(r.span))).toEqual([of(text, '>log'), of(text, '2>&1')]);
  });

  it('spans read twice are equal, and a span set on a word is kept through forgetting its parts', () => {
    const c = simple(only('cmd --flag=v "$X"').command);
    const w = c.words[2];
    expect(w).toBeInstanceOf(LazyWord);
    expect(w.span).toEqual(w.span);
    const parts = w.parts;
    w.span = { start: 1, end: 2 };
    expect(w.parts).toBe(parts);
    (w as unknown as LazyWord).forgetParts();
    expect(at(w.span)).toEqual([1, 2]);
    expect(w.parts.map((p) => p.kind)).toEqual(['dq']);
    expect(at(w.span)).toEqual([1, 2]);
  });

  it('a literal word is one Lit, read from its source', () => {
    const c = simple(only('docker buildx').command);
    const w = c.words[1] as unknown as LazyWord;
    expect(w.isLiteral).toBe(true);
    expect(w.literalText()).toBe('buildx');
    expect(c.words[1].parts.map((p) => [p.kind, at(p.span)])).toEqual([['lit', [7, 13]]]);
    expect(w.literalValue()?.text).toBe('buildx');
  });
});

describe('empty lists', () => {
  it('are one frozen array, so a write throws', () => {
    const [a, b] = parse('a\nb').stmts.map((s) => simple(s.command));
    expect(a.assigns).toHaveLength(0);
    expect(a.assigns).toBe(b.redirects);
    expect(Object.isFrozen(a.assigns)).toBe(true);
    expect(() => a.assigns.push({ span: { start: 0, end: 0 }, name: 'X', append: false, value: null })).toThrow(TypeError);
    expect(b.assigns).toHaveLength(0);
  });
});
