/**
 * The alias limit of one YAML document (`limits.maxAliases`): a document with more aliases
 * (`*name`) is not read, and gets one KBX604 finding at its first alias past the limit; the other
 * documents of the file are read as usual. Only real aliases count: a `*` in a plain, quoted or
 * block scalar or in a comment is text. Then the memory it bounds: the alias bombs of issue 14
 * (8,000 levels of nine aliases of the level before) held a syntax tree of some 130 MB; past the
 * limit the process's peak grows by less than ten times the input.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS, validateConfig } from '../../server/src/engine/config';
import { lint } from '../../server/src/engine/lint';
import { readGithubActions } from '../../server/src/hosts/github-actions';
import { readGitlabCi } from '../../server/src/hosts/gitlab-ci';
import { inTempDir, runCli } from '../harness/cli-session';
import { median, peakKB } from '../harness/peak';
import { type Session, startSession } from '../lsp/lsp-harness';

const BUILD = 'docker buildx build --platform linux/x86_64 .';
const GHA = '.github/workflows/ci.yml';
const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';
const at = (text: string, offset: number) => {
  const before = text.slice(0, offset).split('\n');
  return [before.length, before[before.length - 1].length + 1];
};
const found = (text: string, fileName: string, limits?: Record<string, number>) =>
  lint({ text, fileName }, { rules: {}, ...(limits ? { limits } : {}) }).diagnostics.map((d) => [d.code, ...at(text, d.span.start)]);

/** The merge-key bomb of bench/hostile.mjs: `levels` anchors, each merging the one before nine times. */
const mergeBomb = (levels: number) =>
  `on: push\nx-base:\n  a0: &a0 {k0: v}\n${lines(levels - 1, (i) => `  a${i + 1}: &a${i + 1} {<<: [${new Array(9).fill(`*a${i}`).join(', ')}], k${i + 1}: v}`)}jobs:\n  b:\n    <<: *a${levels - 1}\n    runs-on: x\n    env:\n      <<: *a${levels - 1}\n    steps:\n      - run: ${BUILD}\n`;
/** Its GitLab twin: lists of nine aliases of the list before, the last one a job's script. */
const listBomb = (levels: number) => `.l0: &l0 ["${BUILD}"]\n${lines(levels - 1, (i) => `.l${i + 1}: &l${i + 1} [${new Array(9).fill(`*l${i}`).join(', ')}]`)}job:\n  script: *l${levels - 1}\n`;
/** The offset of the `n`th (1-based) occurrence of `needle`. */
const nth = (text: string, needle: string, n: number) => {
  let i = -1;
  for (let k = 0; k < n; k++) i = text.indexOf(needle, i + 1);
  return i;
};

describe('YAML alias limit', () => {
  it('the default is 10,000 aliases a document', () => {
    expect(LIMITS.maxAliases).toBe(10_000);
  });

  it('a merge-key bomb past the limit: one finding at its first alias past it, nothing of the document read', () => {
    const text = mergeBomb(2000);
    const r = lint({ text, fileName: GHA }, { rules: {} });
    expect(r.diagnostics.map((d) => [d.code, ...at(text, d.span.start)])).toEqual([['KBX604', ...at(text, nth(text, '*a', 10_001))]]);
    expect(r.diagnostics[0].message).toBe('this YAML document has more than limits.maxAliases (10000) aliases, this one the first past the limit: it is not read');
    // The finding is the alias itself.
    expect(text.slice(r.diagnostics[0].span.start, r.diagnostics[0].span.end)).toBe('*a1111');
    expect(r.invocations).toHaveLength(0);
    // Under the limit the same document is read: the job's build and its KBX412 alias platform.
    const read = lint({ text, fileName: GHA }, { rules: {}, limits: { maxAliases: 20_000 } });
    expect(read.diagnostics.map((d) => d.code)).toEqual(['KBX412']);
    expect(read.invocations).toHaveLength(1);
  });

  it('a GitLab list bomb: the same, and a small one under the limit is read', () => {
    const text = listBomb(8000);
    expect(found(text, '.gitlab-ci.yml')).toEqual([['KBX604', ...at(text, nth(text, '*l', 10_001))]]);
    expect(readGitlabCi(text).regions).toEqual([]);
    const small = listBomb(1000);
    expect(found(small, '.gitlab-ci.yml')).toEqual([['KBX412', 1, 43]]);
  });

  it('only aliases count: a `*` in a scalar, a quoted string, a block scalar or a comment is text', () => {
    const text = [
      'on: push',
      'x: &x {a: 1}',
      '# *comment *star',
      'jobs:',
      '  b:',
      '    <<: *x',
      '    runs-on: x',
      '    env:',
      "      A: '*quoted'",
      '      B: "*double *d"',
      '      C: a*b *c',
      '    steps:',
      '      - run: ls *.txt *.md',
      '      - run: |',
      '          echo *',
      '          *x *y',
      '        # *z',
      `      - run: ${BUILD}`,
      '      - <<: *x',
      '        run: echo *',
      '',
    ].join('\n');
    expect(text.split('*').length - 1).toBeGreaterThan(12);
    expect(found(text, GHA, { maxAliases: 2 })).toEqual([['KBX412', 18, 45]]);
    expect(found(text, GHA, { maxAliases: 1 })).toEqual([['KBX604', 19, 13]]);
  });

  it('other documents of the file are read; an alias counts in its own document only', () => {
    const doc = (name: string) => `on: push\nx: &x {k: v}\njobs:\n  ${name}:\n    <<: [*x, *x, *x]\n    runs-on: x\n    steps:\n      - run: ${BUILD}\n`;
    const text = `${doc('a')}---\n${doc('b')}`.replace('[*x, *x, *x]', '[*x, *x, *x, *x]');
    expect(found(text, GHA, { maxAliases: 3 })).toEqual([
      ['KBX604', 5, 22],
      ['KBX412', 17, 45],
    ]);
    expect(readGithubActions(text, { maxAliases: 3 }).regions.map((r) => r.scope)).toEqual(['job:b']);
    expect(readGithubActions(text, { maxAliases: 4 }).regions.map((r) => r.scope)).toEqual(['job:a', 'job:b']);
  });
});

describe('configuring the alias limit', () => {
  const dir = inTempDir('kbx-alias-limit-');

  it('.kbx-lint.json accepts it, and rejects what is not a positive integer', () => {
    expect(validateConfig({ limits: { maxAliases: 50 } }).config.limits).toEqual({ maxAliases: 50 });
    expect(validateConfig({ limits: { maxAliases: 0 } }).problems).toEqual(['limits.maxAliases must be a positive integer']);
  });

  it('the configuration file and --limit, which wins over it, name file:line:col', () => {
    mkdirSync('.git');
    mkdirSync('.github/workflows', { recursive: true });
    writeFileSync(GHA, mergeBomb(20));
    writeFileSync('.kbx-lint.json', JSON.stringify({ limits: { maxAliases: 100 } }));
    const byFile = runCli('--format', 'concise', GHA);
    expect(byFile.out).toContain(`${GHA}:15:25: error KBX604 this YAML document has more than limits.maxAliases (100) aliases, this one the first past the limit: it is not read`);
    const raised = runCli('--format', 'concise', '--limit', 'maxAliases=1000', GHA);
    expect(raised.out).not.toContain('KBX604');
    expect(raised.out).toContain('KBX412');
    expect(dir.current()).toBeTruthy();
  });
});

describe('the language server', () => {
  const dir = inTempDir('kbx-alias-limit-lsp-');
  let session: Session | undefined;
  afterEach(() => {
    session?.dispose();
    session = undefined;
  });

  it('kbxLint.limits sets maxAliases, over .kbx-lint.json', async () => {
    mkdirSync(join(dir.current(), '.git'), { recursive: true });
    writeFileSync(join(dir.current(), '.kbx-lint.json'), JSON.stringify({ limits: { maxAliases: 50 } }));
    const file = join(dir.current(), GHA);
    mkdirSync(join(file, '..'), { recursive: true });
    const text = mergeBomb(20);
    writeFileSync(file, text);
    const open = async (settings: Record<string, unknown>) => {
      session = await startSession({ settings });
      const p = await session.open(pathToFileURL(file).href, 'yaml', text);
      session.dispose();
      return p.diagnostics.map((d) => [String(d.code), d.range.start.line + 1, d.range.start.character + 1, d.message]);
    };
    expect(await open({ limits: { maxAliases: 100 } })).toEqual([['KBX604', 15, 25, expect.stringContaining('more than limits.maxAliases (100) aliases')]]);
    // Without the setting, the configuration file's limit: alias 51 is the sixth of line 9.
    expect(await open({})).toEqual([['KBX604', 9, 42, expect.stringContaining('more than limits.maxAliases (50) aliases')]]);
    // Raised past the document's 173 aliases, the document is read.
    expect((await open({ limits: { maxAliases: 173 } })).map((d) => d[0])).toEqual(['KBX412']);
  });
});

describe('memory past the alias limit', () => {
  // The two alias rows of bench/hostile.mjs, at 40,000 levels (3.5-4.3 MB, read as one document
  // with the document limit raised past them). At 8,000 levels, parsed, they peaked at 110-150 MB
  // above the process's own, about 190 bytes a character. Past the limit what is left is the
  // lexer's pass up to the first alias past it (its optimised code about 12 MB at any size),
  // the blanked copy of the text and the copies of the input itself.
  const CASES: [string, string, string, string][] = [
    ['the GitHub Actions merge-key bomb', GHA, mergeBomb(40_000), `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: ${BUILD}\n`],
    ['the GitLab list bomb', '.gitlab-ci.yml', listBomb(40_000), `job:\n  script: ["${BUILD}"]\n`],
  ];
  for (const [name, fileName, text, tiny] of CASES) {
    it(`${name}: the process's peak grows by less than ten times the input`, { timeout: 120_000 }, () => {
      const args = ['--format', 'json', '--limit', `maxDocumentSize=${text.length + 1}`];
      const base: number[] = [];
      const big: number[] = [];
      for (let k = 0; k < 3; k++) {
        base.push(peakKB(tiny, fileName, args));
        big.push(peakKB(text, fileName, args));
      }
      expect(lint({ text, fileName }, { rules: {}, limits: { maxDocumentSize: text.length + 1 } }).diagnostics.map((d) => d.message)).toEqual([
        expect.stringContaining('more than limits.maxAliases (10000) aliases'),
      ]);
      const grewBytes = (median(big) - median(base)) * 1024;
      expect(grewBytes / text.length, `${name}: ${median(base)} KB for a tiny file, ${median(big)} KB for ${text.length} characters`).toBeLessThan(10);
    });
  }
});
