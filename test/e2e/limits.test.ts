/**
 * Input limits (`limits` in the configuration, defaults in engine/config.ts LIMITS): past the file
 * or line limit a file gets one KBX604 finding instead of being read; past the word, field or
 * Makefile expansion limit the one word or expansion is left unjudged, with one KBX604 finding at
 * it, and the rest of the file is read as usual. The CLI and the language server share `lint`.
 */
import { describe, expect, it } from 'vitest';
import { LIMITS, validateConfig } from '../../server/src/engine/config';
import { lint } from '../../server/src/engine/lint';

const line = (n: number) => `docker buildx create --driver kubernetes --driver-opt nodeselector=${Array.from({ length: n }, (_, i) => `k${i}=v`).join(',')}\n`;
const at = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
const codes = (text: string, fileName = 'x.sh', config = { rules: {} }) => lint({ text, fileName }, config).diagnostics.map((d) => [d.code, at(text, d.span.start)]);

describe('input limits', () => {
  it('a line past the default limit is reported once, and nothing in the file is read', () => {
    const text = 'docker buildx build --platform linux/x86_64 .\n' + line(40_000);
    expect(text.length).toBeGreaterThan(256 * 1024);
    const r = lint({ text, fileName: 'x.sh' });
    expect(r.diagnostics.map((d) => [d.code, at(text, d.span.start)])).toEqual([['KBX604', 2]]);
    expect(r.diagnostics[0].message).toMatch(/^a line has \d+ characters, more than the limit of 262144: the file is not read$/);
    expect(r.invocations).toEqual([]);
  });

  it('the limits are configurable, and a file under them is read as usual', () => {
    const text = line(50);
    expect(lint({ text, fileName: 'x.sh' }).diagnostics.some((d) => d.code === 'KBX101')).toBe(true);
    const small = lint({ text, fileName: 'x.sh' }, { rules: {}, limits: { maxFileSize: 100 } });
    expect(small.diagnostics.map((d) => d.code)).toEqual(['KBX604']);
    expect(small.diagnostics[0].message).toContain('more than the limit of 100');
    expect(validateConfig({ limits: { maxLineLength: 1000, maxWordLength: 10, maxWordFields: 5, maxExpansion: 7 } }).config.limits).toEqual({
      maxLineLength: 1000,
      maxWordLength: 10,
      maxWordFields: 5,
      maxExpansion: 7,
    });
    expect(validateConfig({ limits: { maxLineLength: -1, huge: 1 } }).problems).toEqual([
      'limits.maxLineLength must be a positive integer',
      'unknown limit "huge" (maxFileSize, maxLineLength, maxWordLength, maxWordFields, maxExpansion, maxArguments, maxStatements, maxBlockSize, maxDocumentSize, maxAliases, maxFindings)',
    ]);
  });
});

describe('per-word limits', () => {
  // A word across continuation lines or inside quotes over many lines passes the line limit.
  const fields = (n: number, sep: string) => Array.from({ length: n }, (_, i) => `a${i}=1`).join(sep);

  it('a quoted --driver-opt over many short lines: one finding at the word, the other commands still checked', () => {
    const text = `docker buildx build --platform linux/x86_64 .\ndocker buildx create --driver kubernetes --driver-opt "${fields(30_000, ',\n')}"\ndocker buildx build --platform linux/x86_64 .\n`;
    expect(text.length).toBeLessThan(LIMITS.maxFileSize);
    const r = lint({ text, fileName: 'x.sh' });
    expect(r.diagnostics.map((d) => [d.code, at(text, d.span.start)])).toEqual([
      ['KBX412', 1],
      ['KBX604', 2],
      ['KBX412', 30_002],
    ]);
    const big = r.diagnostics[1];
    expect(big.message).toBe(`this word is ${text.indexOf('"\n', 100) + 1 - text.indexOf('"a0')} characters long, more than limits.maxWordLength (131072): it is not checked`);
    expect(text.slice(big.span.start, big.span.end)).toBe('"a0=1,');
    // The create is still one invocation whose --driver-opt is unknown, never judged.
    expect(r.invocations.map((i) => i.command)).toEqual(['build', 'create', 'build']);
  });

  it('many fields in a short word, across backslash-newlines', () => {
    const text = `docker buildx create --driver kubernetes --driver-opt=${fields(12_000, ',\\\n')}\n`;
    const r = lint({ text, fileName: 'x.sh' });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['KBX604']);
    expect(r.diagnostics[0].message).toBe('this word has 12000 comma-separated fields, more than limits.maxWordFields (10000): it is not checked');
    // The flag name survives: the create still has a --driver-opt, just not a known one.
    const flag = r.invocations[0].flags.find((f) => f.name === 'driver-opt');
    expect(flag?.value?.text).toBe('\uE000');
  });

  it('a word that grows through shell variables is checked as the program receives it', () => {
    const text = `A=a=1,a=1,a=1,a=1\nB="$A,$A,$A,$A,$A,$A,$A,$A"\nC="$B,$B,$B,$B,$B,$B,$B,$B"\nD="$C,$C,$C,$C,$C,$C,$C,$C"\ndocker buildx create --driver kubernetes --driver-opt "$D,$D,$D,$D,$D"\n`;
    const r = lint({ text, fileName: 'x.sh' });
    expect(r.diagnostics.map((d) => [d.code, at(text, d.span.start)])).toEqual([['KBX604', 5]]);
    expect(r.diagnostics[0].message).toBe('the --driver-opt value has 10240 comma-separated fields, more than limits.maxWordFields (10000): it is not checked');
  });

  it('the limits are configurable both ways', () => {
    const text = `docker buildx create --driver kubernetes --driver-opt=${'a=1,'.repeat(6)}\n`;
    expect(codes(text).map(([c]) => c)).toContain('KBX107');
    expect(lint({ text, fileName: 'x.sh' }, { rules: {}, limits: { maxWordFields: 5 } }).diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['KBX604', 'this word has 7 comma-separated fields, more than limits.maxWordFields (5): it is not checked'],
    ]);
    expect(lint({ text, fileName: 'x.sh' }, { rules: {}, limits: { maxWordLength: 20 } }).diagnostics.map((d) => d.code)).toEqual(['KBX604']);
  });

  it('a GitHub Actions run: scalar and a Markdown block get the same limit', () => {
    const body = fields(11_000, ',\n          ');
    const yml = `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: |\n          docker buildx create --driver kubernetes --driver-opt "${body}"\n`;
    expect(codes(yml, '.github/workflows/ci.yml')).toEqual([['KBX604', 7]]);
    const md = '# Builder\n\n```sh\ndocker buildx create --driver kubernetes --driver-opt "' + fields(11_000, ',\n') + '"\n```\n';
    expect(codes(md, 'README.md')).toEqual([['KBX604', 4]]);
  });
});

describe('Makefile expansion limit', () => {
  const doubling = (levels: number, use: string) => `A0 := x,\n${Array.from({ length: levels }, (_, i) => `A${i + 1} = $(A${i})$(A${i})\n`).join('')}all:\n\t${use}\n`;

  it('16 levels of doubling variables in a few hundred bytes: one finding at the recipe line', () => {
    const text = doubling(16, 'docker buildx create --driver kubernetes --driver-opt nodeselector=$(A16)');
    expect(text.length).toBeLessThan(400);
    const r = lint({ text, fileName: 'Makefile' });
    expect(r.diagnostics.map((d) => [d.code, at(text, d.span.start), d.message])).toEqual([
      ['KBX604', 19, 'this recipe line expands to more than limits.maxExpansion (131072) characters: it is not checked'],
    ]);
  });

  it('64 levels: the variable that first passes the limit is named, on every line that uses it, in bounded work', () => {
    const text = doubling(64, 'docker buildx build --platform $(A64) .') + '\techo $(A64)\nB := $(A40)\n';
    const r = lint({ text, fileName: 'Makefile' });
    expect(r.diagnostics.map((d) => [d.code, at(text, d.span.start), d.message])).toEqual([
      ['KBX604', 67, '$(A17) expands to more than limits.maxExpansion (131072) characters: it is not checked'],
      ['KBX604', 68, '$(A64) expands to more than limits.maxExpansion (131072) characters: it is not checked'],
      ['KBX604', 69, '$(A17) expands to more than limits.maxExpansion (131072) characters: it is not checked'],
    ]);
  });

  it('the limit is configurable, and a smaller expansion is read as usual', () => {
    const text = doubling(4, 'docker buildx build --platform linux/x86_64 --build-arg X=$(A4) .');
    expect(codes(text, 'Makefile')).toEqual([['KBX412', 7]]);
    expect(lint({ text, fileName: 'Makefile' }, { rules: {}, limits: { maxExpansion: 20 } }).diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['KBX604', '$(A4) expands to more than limits.maxExpansion (20) characters: it is not checked'],
    ]);
  });
});
