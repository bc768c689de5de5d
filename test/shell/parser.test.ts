/** Per-construct tests of the parser and the command walker. */
import { describe, expect, it } from 'vitest';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import type { Command, Redirect } from '../../server/src/shell/ast';
import { expandWord, wordPartial, wordValue } from '../../server/src/shell/expand';
import { allArgv, argv, commands, parse } from '../harness/bash-oracle';

describe('walkSimpleCommands finds commands everywhere', () => {
  const cases: [string, string[]][] = [
    ['a; b & c', ['a', 'b', 'c']],
    ['a && b || c', ['a', 'b', 'c']],
    ['a | b |& c', ['a', 'b', 'c']],
    ['! a | b', ['a', 'b']],
    ['if a; then b; elif c; then d; else e; fi', ['a', 'b', 'c', 'd', 'e']],
    ['while a; do b; done; until c; do d; done', ['a', 'b', 'c', 'd']],
    ['for x in 1 2; do b $x; done', [`b ${DYNAMIC}`]],
    ['for ((i=0;i<3;i++)); do b; done', ['b']],
    ['for x; do b; done', ['b']],
    ['case $x in a|b) one;; (c) two;& *) three;;& esac', ['one', 'two', 'three']],
    ['{ a; b; } >out; (c; d) 2>&1', ['a', 'b', 'c', 'd']],
    ['f() { a; }; function g { b; }; function h() ( c )', ['a', 'b', 'c']],
    ['echo $(a $(b) `c`)', [`echo ${DYNAMIC}`, `a ${DYNAMIC} ${DYNAMIC}`, 'b', 'c']],
    ['diff <(a) >(b)', [`diff ${DYNAMIC} ${DYNAMIC}`, 'a', 'b']],
    ['echo ${X:-$(a)} "${Y:+`b`}"', [`echo ${DYNAMIC} ${DYNAMIC}`, 'a', 'b']],
    ['[[ $(a) == x ]] && (( $(b) ))', ['a']],
    ['cat <<EOF\n$(a) `b` $c\nEOF\nd', ['cat', 'a', 'b', 'd']],
    ["cat <<'EOF'\n$(notrun)\nEOF\nd", ['cat', 'd']],
    ['x=$(a) y=`b`', ['', 'a', 'b']],
    ['echo "$(case x in a) one;; esac)"', [`echo ${DYNAMIC}`, 'one']],
    ['echo $(echo ")" \')\')', [`echo ${DYNAMIC}`, 'echo ) )']],
    ['a\\\n && b', ['a', 'b']],
    ['if a\nthen\n  b\nfi\nc', ['a', 'b', 'c']],
    ['time a | b', ['time a', 'b']],
    ['echo if then fi', ['echo if then fi']],
  ];
  for (const [src, want] of cases) {
    it(JSON.stringify(src), () => {
      const script = parse(src);
      expect(script.errors).toEqual([]);
      expect(allArgv(src)).toEqual(want);
    });
  }

  it('reports function and substitution context', () => {
    const found = commands('f() { a $(b); }; c');
    expect(found.map((f) => [f.ctx.inFunction, f.ctx.inSubstitution, f.ctx.depth])).toEqual([
      ['f', false, 0],
      ['f', true, 1],
      [null, false, 0],
    ]);
  });
});

describe('words', () => {
  const one = (src: string) => {
    const cmds = commands(src);
    return cmds[0].cmd;
  };

  it('keeps $ before a non-name char literal', () => {
    expect(argv(one('echo $ a$ $, $/x "$"'))).toEqual(['echo', '$', 'a$', '$,', '$/x', '$']);
  });

  it('recognises special parameters', () => {
    for (const p of ['$1', '$@', '$*', '$#', '$?', '$$', '$!', '$-', '$0', '$VAR', '${VAR}', '${#VAR}', '${a[1]}', '${X%%.*}', '${X/a/b}']) {
      const cmd = one(`echo ${p}`);
      const part = cmd.words[1].parts[0];
      expect(part.kind, p).toBe('param');
    }
  });

  it('marks unquoted expansions and "$@" as mayVary', () => {
    const f = (src: string) => expandWord(one(`echo ${src}`).words[1])[0];
    expect(f('$OPTS').mayVary).toBe(true);
    expect(f('"$OPTS"').mayVary).toBe(false);
    expect(f('"$@"').mayVary).toBe(true);
    expect(f('"${arr[@]}"').mayVary).toBe(true);
    expect(f('"${#arr[@]}"').mayVary).toBe(false);
    expect(f('$(cmd)').mayVary).toBe(true);
    expect(f('--x=$A').static).toBe(false);
    expect(f('--x=$A').value.text).toBe(`--x=${DYNAMIC}`);
    expect(f('*.txt').static).toBe(false);
  });

  it('decodes ANSI-C escapes with their source ranges', () => {
    const src = "echo $'a\\nb\\x41\\u00e9\\101\\cA\\z'";
    const w = one(src).words[1];
    const v = wordValue(w)!;
    expect(v.text).toBe('a\nbA\u00e9A\u0001\\z');
    expect(src.slice(v.starts[1], v.ends[1])).toBe('\\n');
    expect(src.slice(v.starts[3], v.ends[3])).toBe('\\x41');
  });

  it('keeps backslashes inside double quotes unless they escape $ ` " \\ newline', () => {
    expect(argv(one('echo "\\a\\$\\`\\"\\\\\\\nb"'))).toEqual(['echo', '\\a$`"\\b']);
  });

  it('treats # inside a word as literal and DYNAMIC as a word character', () => {
    expect(argv(one('echo a#b #c'))).toEqual(['echo', 'a#b']);
    expect(argv(one(`echo a${DYNAMIC}b`))).toEqual(['echo', `a${DYNAMIC}b`]);
  });

  it('expands tilde only where bash does', () => {
    expect(wordPartial(one('echo ~/x').words[1]).text).toBe(`${DYNAMIC}/x`);
    expect(wordValue(one('echo "~/x"').words[1])!.text).toBe('~/x');
    expect(wordValue(one('echo a~b').words[1])!.text).toBe('a~b');
  });

  it('brace-expands only in bash', () => {
    expect(argv(one('echo {a,b}'), 'bash')).toEqual(['echo', 'a', 'b']);
    expect(argv(one('echo {a,b}'), 'sh')).toEqual(['echo', '{a,b}']);
    expect(wordValue(one('echo {a,b}').words[1])).toBeNull();
  });

  it('reads assignments and arrays', () => {
    const c = one('X=1 Y+=2 Z= A=(a "b c") cmd arg');
    expect(c.assigns.map((a) => [a.name, a.append, a.value ? wordPartial(a.value).text : null, a.array?.length ?? null])).toEqual([
      ['X', false, '1', null],
      ['Y', true, '2', null],
      ['Z', false, '', null],
      ['A', false, null, 2],
    ]);
    expect(argv(c)).toEqual(['cmd', 'arg']);
  });
});

describe('redirections and here-documents', () => {
  const redirs = (src: string): Redirect[] => {
    const s = parse(src);
    expect(s.errors).toEqual([]);
    const c = s.stmts[0].command;
    return c.kind === 'simple' ? c.redirects : s.stmts[0].redirects;
  };

  it('reads every operator with fds', () => {
    const r = redirs('cmd <a >b >>c >|d <>e <&3 >&2 &>f &>>g <<<h 2>&1 {fd}>i 3<j');
    expect(r.map((x) => [x.fd ?? '', x.op])).toEqual([
      ['', '<'],
      ['', '>'],
      ['', '>>'],
      ['', '>|'],
      ['', '<>'],
      ['', '<&'],
      ['', '>&'],
      ['', '&>'],
      ['', '&>>'],
      ['', '<<<'],
      ['2', '>&'],
      ['{fd}', '>'],
      ['3', '<'],
    ]);
  });

  it('reads several here-docs on one line, quoted and <<-', () => {
    const src = 'cat <<A <<-"B" <<\\C <<E"O"F\n$(x)\nA\n\tb $(y)\n\tB\nc\nC\ne\nEOF\nnext';
    const s = parse(src);
    expect(s.errors).toEqual([]);
    const c = s.stmts[0].command as Command & { kind: 'simple' };
    const docs = c.redirects.map((r) => r.heredoc!);
    expect(docs.map((d) => [d.delimiter, d.quoted, d.stripTabs, d.body.text, d.scripts.length])).toEqual([
      ['A', false, false, '$(x)\n', 1],
      ['B', true, true, 'b $(y)\n', 0],
      ['C', true, false, 'c\n', 0],
      ['EOF', true, false, 'e\n', 0],
    ]);
    expect(src.slice(docs[1].bodySpan.start, docs[1].bodySpan.end)).toBe('\tb $(y)\n');
    expect(s.stmts.length).toBe(2);
  });

  it('reports an unterminated here-doc', () => {
    const s = parse('cat <<EOF\nbody');
    expect(s.errors.map((e) => e.message)).toEqual(['unterminated here-document (expected `EOF`)']);
    expect(s.errors[0].span).toEqual({ start: 4, end: 14 });
  });
});

describe('syntax errors', () => {
  const errs = (src: string) => parse(src).errors.map((e) => [e.message, e.span.start, e.span.end]);
  it('reports exact spans and recovers', () => {
    expect(errs('echo "abc')).toEqual([['unterminated double quote', 5, 9]]);
    expect(errs("echo 'abc")).toEqual([['unterminated single quote', 5, 9]]);
    expect(errs('echo $(abc')).toEqual([['unterminated command substitution', 5, 10]]);
    expect(errs('echo ${abc')).toEqual([['unterminated parameter expansion', 5, 10]]);
    expect(errs('echo `abc')).toEqual([['unterminated backquote', 5, 9]]);
    expect(errs("echo $'abc")).toEqual([['unterminated ANSI-C quote', 5, 10]]);
    expect(errs('if a; then b')[0][0]).toBe('missing `fi` for `if`');
    expect(errs('while a; do b')[0][0]).toBe('missing `done` for `while`');
    expect(errs('case a in b) c;;')[0][0]).toBe('missing `esac` for `case`');
    expect(errs('a )\nb')).toEqual([['unexpected `)`', 2, 3]]);
    expect(errs('then b')).toEqual([['unexpected `then`', 0, 4]]);
  });
  it('keeps parsing after an error', () => {
    expect(allArgv('a )\nb; c')).toEqual(['a', 'b', 'c']);
  });
});
