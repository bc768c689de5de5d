/**
 * The Markdown host parses a page a piece at a time (markdown.ts, codeBlocks): a cut is kept only
 * where a parse of the whole page would start afresh. Differential: the code blocks found with
 * the smallest pieces (a cut at every place the page allows one) are the blocks one parse of the
 * whole page finds, on every Markdown file of this repository and on generated pages built from
 * the lines that decide where a block ends (fences, lists, quotes, HTML blocks, indentation,
 * blank lines, CR and CRLF). Then the cost: 4× the page costs about 4× the time, and a page that
 * once took 1.4 GB lints in a small heap.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeBlocks, FLOW_ONLY, MARKDOWN_PIECE, readMarkdown } from '../../server/src/hosts/markdown';
import { growth } from '../harness/cost';
import { mulberry32 } from '../harness/random';

const root = join(__dirname, '../..');
const WHOLE = Number.POSITIVE_INFINITY;

/** Lines whose meaning depends on what is open around them. */
const LINES = [
  '`a `b',
  '``x',
  '~x',
  '#x',
  '2. two',
  '-',
  '*',
  '+ x',
  '___',
  '<x-y>',
  '[a]: b',
  '-   wide',
  '1.  wide',
  '>   lazy',
  'lazy',
  '    ```sh',
  '      code',
  '  ```',
  '```sh',
  '```',
  '~~~',
  '````',
  '   ```',
  '    ```',
  '```\r',
  '    code',
  '\tcode',
  '',
  '',
  '',
  '  ',
  'text',
  '# heading',
  '> quote',
  '> ```',
  '>',
  '>   ```',
  '>     x',
  '> - ```',
  '- item',
  '* ```',
  '  ```sh',
  '  - x',
  '  x',
  '1. one',
  '2) two',
  '<pre>',
  '</pre>',
  '<div>',
  '</div>',
  '<!--',
  '-->',
  '<?x',
  '?>',
  '<![CDATA[',
  ']]>',
  '<script>',
  '</script>',
  '<details>',
  'docker buildx build .',
  '$ docker buildx ls',
  '***',
  '---',
  '===',
  '[x]: /u',
  '| a | b |',
  'a\rb',
  '\r',
  '> > ```',
  '> > - ```',
  '>   - x',
  '- > ```',
  '  > ```',
  '> - item',
  '>   ```sh',
  '> > x',
  '>\t```',
  '> \t- x',
  '>  > ```',
  '- - ```',
  '    - ```',
  '- item\n  ```\n  x\n  ```',
];

function page(r: () => number): string {
  const n = 1 + Math.floor(r() * 40);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(LINES[Math.floor(r() * LINES.length)]);
  return out.join(r() < 0.15 ? '\r\n' : '\n') + (r() < 0.5 ? '\n' : '');
}

/** With `size` WHOLE, one micromark parse of the whole page (never the line reader of plainBlocks): the reference. */
const blocksOf = (text: string, size: number) => JSON.stringify(size === WHOLE ? codeBlocks(text, WHOLE, undefined, undefined, FLOW_ONLY, false) : codeBlocks(text, size));
/** The blocks found by one parse of the whole page with every CommonMark construct on, inline ones too. */
const fullBlocksOf = (text: string) => JSON.stringify(codeBlocks(text, WHOLE, undefined, undefined, {}));

/** Inline constructs, and text that looks like them, at the starts and ends of lines. */
const INLINE_LINES = [
  '`a',
  '`` ` ``',
  '```x` y',
  'a `b',
  '` ``` `',
  '<span>',
  '<b>x</b> `y`',
  '<!-- `x',
  '-->',
  '[x](<y>)',
  '[x]: <y> "`"',
  '*a `b* c`',
  '\\`',
  '\\```',
  '&#96;&#96;&#96;',
  '| `a` | b |',
  '|---|---|',
  'x  ',
  'x\\',
  '<http://x`y>',
  '![`x](y)',
];

/**
 * Lines the host reads without micromark (plainBlocks) and lines next to them that it must not:
 * fences at the first column and their info strings, HTML blocks of the first and sixth kinds and
 * tags that only look like them, paragraph lines, and the first characters that stop the reader.
 */
const PLAIN_LINES = [
  '```sh a b  ',
  '~~~ `x',
  '````',
  '``` ``',
  '```   ',
  '```\t',
  '``` sh\tx y ',
  '```x',
  '~~~x',
  '~~',
  '~~~~~',
  '~~~ ~',
  '  ~~~',
  '   ````',
  '``',
  '`',
  'a `',
  '`a `b',
  '| x',
  '1x',
  '1234567890. x',
  '12. x',
  'text',
  'é',
  '!x',
  '&amp;',
  '\\',
  'x\u0000',
  '\tx',
  ' x',
  '   x',
  '<DIV>',
  '<div',
  '<div x',
  '</div>',
  '<p/>',
  '<p/x>',
  '<h6>',
  '<h7>',
  '<search>',
  '<pre',
  '<preX>',
  '</PRE>',
  'x</pre>y',
  '<pre>x</pre>',
  '<pre></pre>',
  '<script>a</script>',
  '<textarea>',
  '<style',
  '</style>',
  '<!-- x -->',
  '<?x?>',
  '<!X>',
  'docker buildx build .',
  '',
  '',
  '',
  '  ',
];

/** The hostile shapes of issue 14, small: each read as one micromark parse of the whole page reads it. */
const HOSTILE_SHAPES: Record<string, (n: number) => string> = {
  'tiny fences': (n) => Array.from({ length: n }, (_, i) => (i % 3 ? '```sh\n```\n' : '```sh\ndocker buildx build .\n```\n')).join(''),
  'fences in lists in quotes 8 deep': (n) =>
    Array.from({ length: n }, (_, i) => `${'> '.repeat(8)}- item ${i}\n${'> '.repeat(8)}  \`\`\`sh\n${'> '.repeat(8)}  docker buildx build -t r/a${i} .\n${'> '.repeat(8)}  \`\`\``).join('\n'),
  'fences in one list': (n) => Array.from({ length: n }, (_, i) => `- item ${i}\n\n  \`\`\`sh\n  docker buildx build -t r/a${i} .\n  \`\`\``).join('\n'),
  'HTML blocks, one <pre> left open': (n) =>
    `${Array.from({ length: n }, (_, i) => `<div>\n<b>${i}</b>\n</div>\n\n\`\`\`sh\ndocker buildx build -t r/a${i} .\n\`\`\`\n`).join('\n')}<pre>\n${'docker buildx build .\n\n'.repeat(n)}`,
  'unmatched single backticks': (n) => `${Array.from({ length: n }, () => '`a '.repeat(17)).join('\n')}\n\`\`\`sh\ndocker buildx build .\n\`\`\`\n`,
  'table rows': (n) => `| a | b |\n|---|---|\n${Array.from({ length: n }, (_, i) => `| \`docker buildx build -t r/a${i} .\` | x${i} |`).join('\n')}\n\n\`\`\`sh\ndocker buildx build .\n\`\`\`\n`,
};

describe('Markdown parsed in pieces', () => {
  it('reads the lines that need no container as one micromark parse of the whole page does (seed 0x9a1e)', { timeout: 300_000 }, () => {
    const r = mulberry32(0x9a1e);
    // Mostly lines the line reader takes, some that stop it: both ends of every hand-over.
    const all = [...PLAIN_LINES, ...PLAIN_LINES, ...PLAIN_LINES, ...LINES];
    for (let k = 0; k < 1500; k++) {
      const n = 1 + Math.floor(r() * 40);
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(all[Math.floor(r() * all.length)]);
      const text = out.join('\n') + (r() < 0.5 ? '\n' : '');
      const whole = blocksOf(text, WHOLE);
      expect(fullBlocksOf(text), `page ${k}: ${JSON.stringify(text)}`).toBe(whole);
      for (const size of [1, 9, MARKDOWN_PIECE]) expect(blocksOf(text, size), `page ${k}: ${JSON.stringify(text)}`).toBe(whole);
    }
  });

  it('reads block quotes and bullet lists from their content as one micromark parse of the whole page does (seed 0xc0de)', { timeout: 300_000 }, () => {
    const r = mulberry32(0xc0de);
    const pick = (a: readonly string[]) => a[Math.floor(r() * a.length)];
    const all = [...PLAIN_LINES, ...PLAIN_LINES, ...LINES, '```sh', '```', '```', '~~~', 'docker buildx build .'];
    // Now and then a line loses its container's prefix or gets a wrong one: a lazy line, a tab.
    const noise = (p: string) => (r() < 0.03 ? pick(['', ' ', '  ', '\t', '>', '-', '   ']) : p);
    const quote = (ls: string[]) => ls.map((l) => noise(pick(['> ', '>', '> ', '>  ', ' > '])) + l);
    const item = (ls: string[]) => {
      const marker = pick(['-', '-', '*', '+', '1.']);
      return ls.map((l, i) => (i === 0 ? `${marker} ${l}` : l === '' && r() < 0.7 ? '' : noise('  ') + l));
    };
    const lines = (depth: number): string[] => {
      const out: string[] = [];
      for (let i = 0, n = 1 + Math.floor(r() * (depth ? 4 : 8)); i < n; i++) {
        const x = r();
        if (depth < 3 && x < 0.25) out.push(...quote(lines(depth + 1)));
        else if (depth < 3 && x < 0.5) for (let j = 0, k = 1 + Math.floor(r() * 3); j < k; j++) out.push(...item(lines(depth + 1)));
        else out.push(pick(all));
      }
      return out;
    };
    for (let k = 0; k < 600; k++) {
      const text = lines(0).join('\n') + (r() < 0.7 ? '\n' : '');
      const whole = blocksOf(text, WHOLE);
      for (const size of [1, 64, MARKDOWN_PIECE]) expect(blocksOf(text, size), `page ${k}: ${JSON.stringify(text)}`).toBe(whole);
    }
  });

  it('reads the hostile shapes of issue 14 as one micromark parse of the whole page does', { timeout: 120_000 }, () => {
    for (const [name, shape] of Object.entries(HOSTILE_SHAPES)) {
      const text = shape(300);
      const whole = blocksOf(text, WHOLE);
      expect(codeBlocks(text, WHOLE, undefined, undefined, FLOW_ONLY, false).length, name).toBeGreaterThan(0);
      for (const size of [64, MARKDOWN_PIECE]) expect(blocksOf(text, size), name).toBe(whole);
    }
  });

  it('reads seeded pages mixing the hostile shapes as one micromark parse of the whole page does (seed 0x5ca1)', { timeout: 300_000 }, () => {
    const r = mulberry32(0x5ca1);
    const shapes = Object.values(HOSTILE_SHAPES);
    const all = [...PLAIN_LINES, ...LINES];
    for (let k = 0; k < 200; k++) {
      const parts: string[] = [];
      for (let i = 0, n = 1 + Math.floor(r() * 6); i < n; i++) {
        if (r() < 0.5) parts.push(shapes[Math.floor(r() * shapes.length)](1 + Math.floor(r() * 4)));
        else parts.push(Array.from({ length: 1 + Math.floor(r() * 6) }, () => all[Math.floor(r() * all.length)]).join('\n'));
      }
      const text = parts.join(r() < 0.5 ? '\n' : '\n\n');
      const whole = blocksOf(text, WHOLE);
      for (const size of [1, 64, MARKDOWN_PIECE]) expect(blocksOf(text, size), `page ${k}: ${JSON.stringify(text)}`).toBe(whole);
    }
  });

  it('finds the blocks of one whole parse in every Markdown file of the repository', { timeout: 120_000 }, () => {
    const files = execFileSync('git', ['ls-files', '*.md', '*.mdx'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    expect(files.length).toBeGreaterThan(20);
    let blocks = 0;
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      const whole = blocksOf(text, WHOLE);
      blocks += codeBlocks(text, WHOLE).length;
      expect(blocksOf(text, 1), f).toBe(whole);
      expect(blocksOf(text, 200), f).toBe(whole);
    }
    expect(blocks).toBeGreaterThan(100);
  });

  it('finds the blocks of one whole parse on generated pages (seed 0x6d64)', { timeout: 300_000 }, () => {
    const r = mulberry32(0x6d64);
    for (let k = 0; k < 1500; k++) {
      const text = page(r);
      const whole = blocksOf(text, WHOLE);
      for (const size of [1, 9]) expect(blocksOf(text, size), `page ${k}: ${JSON.stringify(text)}`).toBe(whole);
    }
  });

  it('finds with the inline constructs off the blocks a full CommonMark parse finds (seed 0x1e11)', { timeout: 300_000 }, () => {
    const files = execFileSync('git', ['ls-files', '*.md', '*.mdx'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      expect(blocksOf(text, MARKDOWN_PIECE), f).toBe(fullBlocksOf(text));
    }
    const r = mulberry32(0x1e11);
    const all = [...LINES, ...INLINE_LINES, ...INLINE_LINES];
    for (let k = 0; k < 1500; k++) {
      const n = 1 + Math.floor(r() * 40);
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(all[Math.floor(r() * all.length)]);
      const text = out.join('\n') + '\n';
      const full = fullBlocksOf(text);
      for (const size of [1, 9]) expect(blocksOf(text, size), `page ${k}: ${JSON.stringify(text)}`).toBe(full);
    }
  });

  it('reads a block opened before a cut and closed after it as one block', () => {
    const filler = 'Some prose.\n\n'.repeat(2000);
    const md = `${filler}\`\`\`sh\n${'docker buildx build .\n\n'.repeat(2000)}\`\`\`\n\n<pre>\n\n\`\`\`sh\ndocker buildx ls\n\`\`\`\n\n</pre>\n\nEnd.\n`;
    const blocks = codeBlocks(md);
    expect(blocks.length).toBe(1);
    expect(blocks[0].lines.length).toBe(4000);
    expect(blocksOf(md, 64)).toBe(blocksOf(md, WHOLE));
  });
});

const dist = join(root, 'dist/kbx-lint.js');

const tinyFences = (n: number, every: number) => Array.from({ length: n }, (_, i) => (i % every ? '```sh\n```\n' : '```sh\ndocker buildx build --platform linux/x86_64 .\n```\n')).join('');

describe('Markdown reader cost', () => {
  it('many tiny fences: 4× the page costs about 4× the time', { timeout: 120_000 }, () => {
    const g = growth(
      (n) => tinyFences(n, 10),
      (md) => readMarkdown(md),
      5_000,
      { clock: 'cpu' },
    );
    expect(g.ratio, g.describe).toBeLessThan(10);
  });

  it('lines of unmatched backticks and table rows: 4× the page costs about 4× the time', { timeout: 120_000 }, () => {
    const page = (n: number) =>
      `${Array.from({ length: n }, (_, i) => (i % 2 ? '`a '.repeat(17) : `| \`docker buildx build -t r/a${i} .\` | x${i} |`)).join('\n')}\n\n\`\`\`sh\ndocker buildx build .\n\`\`\`\n`;
    const g = growth(page, (md) => readMarkdown(md), 2_000, { clock: 'cpu' });
    expect(readMarkdown(page(10)).regions).toHaveLength(1);
    expect(g.ratio, g.describe).toBeLessThan(10);
  });

  // A memory ceiling, never a time: one parse of the whole page held its 1.8 million events at
  // once and aborted with "heap out of memory" in this heap (it took 1.4 GB).
  it('a page of 50,000 tiny fences lints in a 48 MB heap', { timeout: 120_000 }, () => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=48', dist, '--no-config', '--format', 'json', '--stdin-filename', 'README.md', '-'], {
      input: tinyFences(50_000, 500),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.stderr).not.toContain('heap out of memory');
    const out = JSON.parse(r.stdout) as { diagnostics: { name: string; line: number }[] };
    // Every 500th fence runs a build with an alias platform: each is found, at its own line.
    expect(out.diagnostics.filter((d) => d.name === 'platform-alias').map((d) => d.line)).toEqual(Array.from({ length: 100 }, (_, k) => 2 + 1000 * k + k));
  });
});
