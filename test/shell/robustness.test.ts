/** Robustness and position tests: hostile inputs never throw or overflow; every span is exact. */
import { describe, expect, it } from 'vitest';
import { DYNAMIC, type MappedString } from '../../server/src/core/mapped-string';
import type { Script, Word, WordPart } from '../../server/src/shell/ast';
import { expandWord } from '../../server/src/shell/expand';
import { walkSimpleCommands } from '../../server/src/shell/walk';
import { mulberry32 } from '../harness/bash-oracle';
import { parse } from '../harness/bash-oracle';
import { compareCost, growth, type CostRatio } from '../harness/cost';

/**
 * No absolute time bounds here (they flake on a loaded machine and performance belongs to the
 * benchmark): each cost check is a ratio measured in the same test, either growth (4x the input
 * costs about 4x, a quadratic parse 16x) or against a benign script of the same length.
 */
function parseAndWalk(text: string): Script {
  const script = parse(text);
  let n = 0;
  walkSimpleCommands(script, () => n++);
  return script;
}

/**
 * Growth of parse + walk from make(k) to make(4k); `last` gets the larger script for checks. CPU
 * time of this process: other processes on a loaded machine barely move it, where wall time
 * doubled a side now and then and failed a linear parse.
 */
function parseGrowth(make: (k: number) => string, k: number, runs = 3, minReferenceMs?: number): CostRatio & { last: Script } {
  let last: Script | undefined;
  const r = growth(make, (text) => (last = parseAndWalk(text)), k, { runs, minReferenceMs, clock: 'cpu' });
  return { ...r, last: last! };
}

describe('robustness', () => {
  it('100k-deep $( ends with an error, no stack overflow', () => {
    const r = parseGrowth((k) => 'echo ' + '$('.repeat(k), 25_000);
    expect(r.last.errors.some((e) => e.message.startsWith('nesting deeper than'))).toBe(true);
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
  it('past the nesting budget, the enclosing levels are not reported unterminated', () => {
    // bash -n accepts this script: only the budget is reported, not 300 cascading errors.
    const deep = 300;
    const script = parse(`X=${'$(echo '.repeat(deep)}docker buildx build .${')'.repeat(deep)}\necho after\n`);
    expect(script.errors.map((e) => e.message)).toEqual(['nesting deeper than 200 levels: what follows is not read']);
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
      // Escaped backquotes parse so fast that 50,000 of them take a few milliseconds, where
      // collector and compiler noise alone moves the ratio past the bound: start higher, and time
      // enough calls that one collection cannot dominate a 10 ms reference.
      const r = name === '`' ? parseGrowth((k) => unit.repeat(k), 100_000, 3, 60) : parseGrowth((k) => unit.repeat(k), 50_000, 2);
      expect(r.ratio, r.describe).toBeLessThan(10);
    });
  }
  it('a 4 MB single line, in time linear in its length', () => {
    // Each piece is 20 characters: 1 MB against 4 MB. A quadratic parse would take minutes.
    const r = parseGrowth((k) => 'docker buildx build ' + 'a,b=c "d" \'e\' $f '.repeat(k), 1_000_000 / 20, 2);
    expect(r.last.errors).toEqual([]);
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
  it('random binary garbage and invalid surrogates', () => {
    const garbage = (count: number): string[] => {
      const rnd = mulberry32(99);
      return Array.from({ length: count }, () => {
        let s = '';
        for (let i = 0; i < 20_000; i++) s += String.fromCharCode(rnd() < 0.5 ? Math.floor(rnd() * 128) : Math.floor(rnd() * 65536));
        return s;
      });
    };
    // k garbage inputs of 20,000 characters against an ordinary script of the same total length.
    const r = compareCost(
      (k) => {
        const inputs = garbage(k);
        return () => inputs.forEach(parseAndWalk);
      },
      (k) => {
        const script = SCRIPT_LINE.repeat(Math.ceil((k * 20_000) / SCRIPT_LINE.length));
        return () => parseAndWalk(script);
      },
      20,
      { runs: 2 },
    );
    expect(r.ratio, r.describe).toBeLessThan(RATIO_TO_BENIGN);
    parseAndWalk('\uD800echo \uDC00 "\uD800" $\'\\uD800\' \\\uDFFF');
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
      checkSpans(s, parseAndWalk(s));
    }
  });
  // Growth ratios: 4x the input should take about 4x the time; a quadratic parse takes 16x.
  it('a 1 MB script of ordinary lines parses in time linear in its size', () => {
    const lines = Math.ceil(250_000 / SCRIPT_LINE.length);
    // Lowest of four: the big side allocates ~100 MB, so one old-space collection on a loaded
    // machine can triple a single run (CI measured 12.8 once; alone it is 3-5).
    const r = parseGrowth((k) => SCRIPT_LINE.repeat(k), lines, 4);
    expect(r.last.errors).toEqual([]);
    expect(r.last.stmts.length).toBe(r.k * 4);
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
  it('parse time grows linearly: one long line of words', () => {
    const r = parseGrowth((k) => 'docker buildx build ' + 'a,b=c "d" \'e\' $f ${g} \\, x\\\ny '.repeat(k), 10_000, 2);
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
  it('parse time grows linearly: substitutions, arithmetic fallback, quoting', () => {
    const r = parseGrowth((k) => 'echo ' + '$(( x ) ) "`a\\\\`" ${b:-$[1]} $\'\\x41\' <(c) '.repeat(k), 4_000, 2);
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
  it('1 MB of ${a[} (each once searched the rest of the input for `]`)', () => {
    // The quadratic search took over 20 s on 2 MB: about 16x from 250 KB to 1 MB.
    const r = parseGrowth((k) => 'echo ' + '${a[}'.repeat(k), 50_000, 2);
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
});

/** Garbage may cost more per character than shell, but by a constant: quadratic work is far above. */
const RATIO_TO_BENIGN = 20;

const SCRIPT_LINE = 'if [ -f x ]; then docker buildx build --platform linux/amd64,linux/arm64 -t "$IMG:${TAG:-latest}" $(git rev-parse HEAD) . ; fi\n';

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
