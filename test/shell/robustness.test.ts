/** Robustness and position tests: hostile inputs never throw or overflow; every span is exact. */
import { describe, expect, it } from 'vitest';
import { DYNAMIC, type MappedString } from '../../server/src/core/mapped-string';
import type { Script, Word, WordPart } from '../../server/src/shell/ast';
import { expandWord } from '../../server/src/shell/expand';
import { walkSimpleCommands } from '../../server/src/shell/walk';
import { mulberry32 } from '../harness/bash-oracle';
import { parse } from '../harness/bash-oracle';

/**
 * Time limits here must hold on a loaded 2-core machine with other test files running in
 * parallel, so they are generous absolute bounds (a quadratic parse of these inputs takes
 * minutes) plus growth ratios, which load affects far less than absolute times.
 */
function timed(text: string): { script: Script; ms: number } {
  const t0 = performance.now();
  const script = parse(text);
  let n = 0;
  walkSimpleCommands(script, () => n++);
  return { script, ms: performance.now() - t0 };
}

describe('robustness', () => {
  it('100k-deep $( ends with an error, no stack overflow', () => {
    const { script, ms } = timed('echo ' + '$('.repeat(100_000));
    expect(script.errors.some((e) => e.message === 'nesting too deep')).toBe(true);
    expect(ms).toBeLessThan(3000);
  });
  for (const [name, unit] of [
    ['(', '('],
    ['{ ', '{ '],
    ['${', '${'],
    ['"$(', '"$('],
    ['if ', 'if '],
    ['while ', 'while '],
    ['`', '\\`'],
    ['$((', '$(('],
    ['<(', '<('],
    ['case x in x) ', 'case x in x) '],
  ] as const) {
    it(`deep nesting of ${name}`, () => {
      const { ms } = timed(unit.repeat(50_000));
      expect(ms).toBeLessThan(3000);
    });
  }
  it('a 10 MB single line', () => {
    const { script, ms } = timed('docker buildx build ' + 'a,b=c "d" \'e\' $f '.repeat(10_000_000 / 20));
    expect(script.errors).toEqual([]);
    // About 1 s unloaded; a quadratic parse would take minutes.
    expect(ms).toBeLessThan(10000);
  });
  it('random binary garbage and invalid surrogates', () => {
    const rnd = mulberry32(99);
    for (let k = 0; k < 20; k++) {
      let s = '';
      for (let i = 0; i < 20_000; i++) s += String.fromCharCode(rnd() < 0.5 ? Math.floor(rnd() * 128) : Math.floor(rnd() * 65536));
      const { ms } = timed(s);
      expect(ms).toBeLessThan(2000);
    }
    timed('\uD800echo \uDC00 "\uD800" $\'\\uD800\' \\\uDFFF');
  });
  it('shell-ish random soup', () => {
    const rnd = mulberry32(5);
    const atoms = [
      '$(',
      ')',
      '`',
      '"',
      "'",
      '${',
      '}',
      '{',
      '(',
      'if',
      'then',
      'fi',
      'case',
      'esac',
      ';;',
      '<<EOF',
      '\nEOF\n',
      '\\',
      '\n',
      ' ',
      '|',
      '&&',
      'do',
      'done',
      'for',
      'x',
      '$((',
      '<(',
      '#',
      "$'",
    ];
    for (let k = 0; k < 300; k++) {
      let s = '';
      for (let i = 0; i < 200; i++) s += atoms[Math.floor(rnd() * atoms.length)];
      const { script } = timed(s);
      checkSpans(s, script);
    }
  });
  it('a 1 MB script parses in well under a second', () => {
    const { script, ms } = timed(SCRIPT_LINE.repeat(Math.ceil(1_000_000 / SCRIPT_LINE.length)));
    expect(script.errors).toEqual([]);
    expect(script.stmts.length).toBe(Math.ceil(1_000_000 / SCRIPT_LINE.length));
    // About 0.1 s unloaded; the bound leaves room for a loaded machine.
    expect(ms).toBeLessThan(2000);
  });
  // Growth ratios: 8x the input should take about 8x the time; a quadratic parse takes 64x.
  // The small input's best of three and the large input's best of two keep noise from load low.
  it('parse time grows linearly: script lines', () => {
    expect(growth((k) => SCRIPT_LINE.repeat(k), 2_000)).toBeLessThan(32);
  });
  it('parse time grows linearly: one long line of words', () => {
    expect(growth((k) => 'docker buildx build ' + 'a,b=c "d" \'e\' $f ${g} \\, x\\\ny '.repeat(k), 10_000)).toBeLessThan(32);
  });
  it('parse time grows linearly: substitutions, arithmetic fallback, quoting', () => {
    expect(growth((k) => 'echo ' + '$(( x ) ) "`a\\\\`" ${b:-$[1]} $\'\\x41\' <(c) '.repeat(k), 4_000)).toBeLessThan(32);
  });
  it('2 MB of ${a[} (each once searched the rest of the input for `]`)', () => {
    // About 1 s unloaded; the quadratic search took over 20 s.
    const { ms } = timed('echo ' + '${a[}'.repeat(400_000));
    expect(ms).toBeLessThan(10000);
  });
});

const SCRIPT_LINE = 'if [ -f x ]; then docker buildx build --platform linux/amd64,linux/arm64 -t "$IMG:${TAG:-latest}" $(git rev-parse HEAD) . ; fi\n';

/** Time for make(8k) over time for make(k), each the best of a few runs. */
function growth(make: (k: number) => string, k: number): number {
  const small = make(k);
  const large = make(8 * k);
  const best = (text: string, runs: number): number => Math.min(...Array.from({ length: runs }, () => timed(text).ms));
  const a = best(small, 3);
  const b = best(large, 2);
  // Keep the small side measurable: under 5 ms, timer and JIT noise would dominate the ratio.
  expect(a, 'small input too small to time').toBeGreaterThan(5);
  return b / a;
}

function checkMapped(src: string, v: MappedString, what: string): void {
  for (let i = 0; i < v.text.length; i++) {
    expect(v.starts[i] >= 0 && v.ends[i] <= src.length && v.starts[i] <= v.ends[i], what).toBe(true);
  }
}

function checkPart(src: string, p: WordPart, out: Script[]): void {
  const text = src.slice(p.span.start, p.span.end);
  expect(p.span.start <= p.span.end && p.span.end <= src.length).toBe(true);
  switch (p.kind) {
    case 'lit':
      checkMapped(src, p.value, 'lit');
      for (let i = 0; i < p.value.text.length; i++) expect(src.slice(p.value.starts[i], p.value.ends[i])).toBe(p.value.text[i]);
      break;
    case 'sq':
      expect(text[0]).toBe("'");
      checkMapped(src, p.value, 'sq');
      break;
    case 'ansic':
      expect(text.slice(0, 2)).toBe("$'");
      checkMapped(src, p.value, 'ansic');
      break;
    case 'esc':
      expect(text[0]).toBe('\\');
      break;
    case 'dq':
      expect(text[0]).toBe(p.dollar ? '$' : '"');
      for (const q of p.parts) checkPart(src, q, out);
      break;
    case 'param':
      expect(text[0]).toBe('$');
      for (const w of p.words ?? []) checkWord(src, w, out);
      break;
    case 'cmdsubst':
      expect(p.backquote ? text[0] : text.slice(0, 2)).toBe(p.backquote ? '`' : '$(');
      out.push(p.script);
      break;
    case 'arith':
      expect(text[0] === '$' || text[0] === '(').toBe(true);
      break;
    case 'procsubst':
      expect(text.slice(0, 2)).toBe(p.op + '(');
      out.push(p.script);
      break;
  }
}

function checkWord(src: string, w: Word, out: Script[]): void {
  expect(w.span.start <= w.span.end && w.span.end <= src.length).toBe(true);
  for (const p of w.parts) {
    expect(p.span.start >= w.span.start && p.span.end <= w.span.end).toBe(true);
    checkPart(src, p, out);
  }
  for (const f of expandWord(w)) checkMapped(src, f.value, 'field');
}

function checkSpans(src: string, script: Script): void {
  for (const e of script.errors) expect(e.span.start <= e.span.end && e.span.end <= src.length).toBe(true);
  const scripts: Script[] = [script];
  while (scripts.length) {
    const s = scripts.pop()!;
    walkSimpleCommands(s, (cmd, ctx) => {
      if (ctx.inSubstitution) return;
      expect(cmd.span.start <= cmd.span.end && cmd.span.end <= src.length).toBe(true);
      for (const w of cmd.words) checkWord(src, w, scripts);
      for (const a of cmd.assigns) if (a.value) checkWord(src, a.value, scripts);
      for (const r of cmd.redirects) {
        if (r.target) checkWord(src, r.target, scripts);
        if (r.heredoc) {
          checkMapped(src, r.heredoc.body, 'heredoc');
          for (let i = 0; i < r.heredoc.body.text.length; i++) expect(src[r.heredoc.body.starts[i]]).toBe(r.heredoc.body.text[i]);
        }
      }
    });
  }
}

describe('span sanity over a corpus', () => {
  const corpus = [
    'docker buildx create --driver-opt=a\\=b "x $y ${z:-"q"}" \'s\' $\'\\n\' `bq` $(cs) $((1+2)) <(ps)',
    'f() { a "$@" | b; } >out 2>&1\nif x; then y; fi\ncat <<EOF\n$(in)\nEOF\n',
    'for i in a b; do echo "$i"\\\nx; done; case $x in a) b;; esac',
    `echo a${DYNAMIC}b "${DYNAMIC}" X=1 Y=(a b)`,
    'echo "unterminated $(x',
    'echo $"loc" $\'\\x41\\101\' a\\ b',
  ];
  for (const src of corpus) {
    it(JSON.stringify(src).slice(0, 60), () => checkSpans(src, parse(src)));
  }
});
