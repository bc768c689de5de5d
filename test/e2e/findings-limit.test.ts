/**
 * `limits.maxFindings`: a rule reports at most that many findings in one file, the first in source
 * order, and one KBX604 at the first one left out says so. `--fix` and the editor's fix-all prove
 * each fix against the whole list, so they mend every finding, cut or not, and what `--fix` prints
 * afterwards is what a plain lint of the fixed file prints.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Config, withoutFindingsLimit } from '../../server/src/engine/config';
import { IncrementalLint } from '../../server/src/engine/incremental';
import { lint, lintIfBuildx } from '../../server/src/engine/lint';
import { fixAllEdit } from '../../server/src/lsp/code-actions';
import { tempDir } from '../harness/temp-dir';

const dist = join(__dirname, '../../dist/kbx-lint.js');
const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;
const lines = (n: number, f: (i: number) => string) => `${Array.from({ length: n }, (_, i) => f(i)).join('\n')}\n`;
// `--platform linux/x86_64` is an alias (KBX412, fixable): one finding a line.
const alias = (i: number) => `docker buildx build --platform linux/x86_64 -t r/a${i} .`;
// `--load` of two platforms (KBX520, no fix): one finding a line.
const load = (i: number) => `docker buildx build --load --platform linux/amd64,linux/arm64 -t r/b${i} .`;
const lintSh = (text: string, config: Config = { rules: {} }) => lint({ text, fileName: 'x.sh' }, config);
const codesByLine = (text: string, config?: Config) => lintSh(text, config).diagnostics.map((d) => `${lineOf(text, d.span.start)} ${d.code}`);

describe('limits.maxFindings', () => {
  it("keeps a rule's first 1,000 findings by default, with one KBX604 at the first left out", () => {
    const text = lines(1_200, alias);
    const r = lintSh(text);
    expect(r.findingsCut).toBe(true);
    expect(r.diagnostics.filter((d) => d.code === 'KBX412')).toHaveLength(1_000);
    expect(lineOf(text, r.diagnostics.filter((d) => d.code === 'KBX412')[999].span.start)).toBe(1_000);
    const notes = r.diagnostics.filter((d) => d.code === 'KBX604');
    expect(notes).toHaveLength(1);
    expect(lineOf(text, notes[0].span.start)).toBe(1_001);
    expect(notes[0].message).toBe('KBX412 (platform-alias) has more than limits.maxFindings (1000) findings in this file: from here on, up to 200 more are not reported');
    // It stands for findings of KBX412's severity: the file's worst severity is unchanged.
    expect(notes[0].severity).toBe('info');
    // Exactly at the limit nothing is cut.
    const exact = lintSh(lines(1_000, alias));
    expect(exact.findingsCut).toBeUndefined();
    expect(exact.diagnostics.map((d) => d.code)).toEqual(Array(1_000).fill('KBX412'));
  });

  it("counts per rule: another rule's findings are all reported", () => {
    const text = lines(7, (i) => (i % 2 ? load(i) : alias(i)));
    expect(codesByLine(text, { rules: {}, limits: { maxFindings: 3 } })).toEqual(['1 KBX412', '2 KBX520', '3 KBX412', '4 KBX520', '5 KBX412', '6 KBX520', '7 KBX604']);
  });

  it('cuts the empty fields of one value at the field, in source order', () => {
    const text = 'docker buildx create --driver kubernetes --driver-opt namespace=ci,,,,,,replicas=1\n';
    const r = lintSh(text, { rules: {}, limits: { maxFindings: 3 } });
    const commas = [...text.matchAll(/,/g)].map((m) => m.index);
    expect(r.diagnostics.map((d) => [d.code, d.span.start])).toEqual([
      ['KBX105', commas[0]],
      ['KBX105', commas[1]],
      ['KBX105', commas[2]],
      ['KBX604', commas[3]],
    ]);
    expect(r.diagnostics[3].severity).toBe('error');
    expect(r.diagnostics[3].message).toContain('up to 2 more');
  });

  it("follows KBX604's setting, and cuts even when KBX604 is off", () => {
    const text = lines(4, alias);
    expect(codesByLine(text, { rules: { KBX604: 'warning' }, limits: { maxFindings: 2 } })).toEqual(['1 KBX412', '2 KBX412', '3 KBX604']);
    expect(lintSh(text, { rules: { KBX604: 'warning' }, limits: { maxFindings: 2 } }).diagnostics[2].severity).toBe('warning');
    const off = lintSh(text, { rules: { KBX604: 'off' }, limits: { maxFindings: 2 } });
    expect(off.diagnostics.map((d) => d.code)).toEqual(['KBX412', 'KBX412']);
    expect(off.findingsCut).toBe(true);
  });

  it('counts findings after suppression, and never calls a comment past the cut unused', () => {
    const text = `# kbx-lint disable=KBX412\n${alias(0)}\n${lines(4, (i) => alias(i + 1))}# kbx-lint disable=KBX412\n${alias(9)}\n`;
    const config: Config = { rules: { KBX690: 'warning' }, limits: { maxFindings: 2 } };
    expect(codesByLine(text, config)).toEqual(['3 KBX412', '4 KBX412', '5 KBX604']);
    // Without the cut, the same comments are judged as usual: both suppress a finding.
    expect(codesByLine(text, { ...config, limits: {} })).toEqual(['3 KBX412', '4 KBX412', '5 KBX412', '6 KBX412']);
    // A comment before the cut that suppresses nothing is still reported.
    const stale = `# kbx-lint disable=KBX412\necho hi\n${lines(3, alias)}`;
    expect(codesByLine(stale, config)).toEqual(['1 KBX690', '3 KBX412', '4 KBX412', '5 KBX604']);
  });

  it('a hostile file of 99,000 empty fields is reported in a bounded heap, with a bounded report', () => {
    const text = lines(11, () => `docker buildx create --driver kubernetes --driver-opt "${','.repeat(9_000)}"`);
    const r = spawnSync(process.execPath, ['--max-old-space-size=96', dist, '--no-config', '--format', 'json', '--stdin-filename', 'x.sh', '-'], {
      input: text,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.stderr).not.toContain('heap out of memory');
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as { diagnostics: { rule: string }[] };
    expect(out.diagnostics.filter((d) => d.rule === 'KBX105')).toHaveLength(1_000);
    expect(out.diagnostics.filter((d) => d.rule === 'KBX604')).toHaveLength(1);
    // Uncut, the report was 70 MB of JSON: a thousand findings are some 700 KB.
    expect(r.stdout.length).toBeLessThan(2 * 1024 * 1024);
  });
});

describe('a fix shared by many findings', () => {
  const create = (pieces: number) => `docker buildx create --driver kubernetes --driver-opt nodeselector=${Array.from({ length: pieces }, (_, i) => `k${i}=v`).join(',')}\n`;

  it('a short split value keeps its fix on every piece', () => {
    const r = lintSh(create(3));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['KBX101', 'KBX101']);
    expect(r.diagnostics[0].fix).toBeDefined();
    expect(r.diagnostics[1].fix).toEqual(r.diagnostics[0].fix);
  });

  it('a value split into thousands of pieces carries its fix once, and --fix still mends it', () => {
    const text = create(3_000);
    const r = lintSh(text, withoutFindingsLimit({ rules: {} }));
    const pieces = r.diagnostics.filter((d) => d.code === 'KBX101');
    expect(pieces).toHaveLength(2_999);
    // Before, each piece carried the whole re-quoted value: 3,000 copies of 20 KB.
    expect(pieces.filter((d) => d.fix).map((d) => d.span.start)).toEqual([pieces[0].span.start]);
    const dir = tempDir('kbx-shared-fix-');
    const file = join(dir, 'create.sh');
    writeFileSync(file, text);
    const fixed = spawnSync(process.execPath, [dist, '--no-config', '--format', 'json', '--fix', file], { encoding: 'utf8' });
    expect(fixed.stderr).toMatch(/^applied 1 fix in 1 file/);
    expect(JSON.parse(fixed.stdout).diagnostics).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe(`docker buildx create --driver kubernetes --driver-opt '"${text.slice(text.indexOf('nodeselector='), -1)}"'\n`);
  });
});

describe('the language server past limits.maxFindings', () => {
  it('after each edit, the incremental lint equals a full lint, cut at the same place', () => {
    const config: Config = { rules: {}, limits: { maxFindings: 4 } };
    let text = lines(8, alias);
    const inc = new IncrementalLint();
    inc.update({ text, fileName: 'x.sh' }, config);
    const at = (line: number) => (line === 0 ? 0 : text.split('\n').slice(0, line).join('\n').length + 1);
    // Same-length edits, which the server answers by splicing one command: fix the second
    // command's alias (the cut moves down a line), break it again, then touch two tags.
    const edits: [number, string, string][] = [
      [1, 'linux/x86_64', 'linux/amd64 '],
      [1, 'linux/amd64 ', 'linux/x86_64'],
      [6, 'r/a6', 'r/b6'],
      [3, 'r/a3', 'r/c3'],
    ];
    const spliced: number[] = [];
    for (const [line, from, to] of edits) {
      const start = at(line) + text.slice(at(line)).indexOf(from);
      text = text.slice(0, start) + to + text.slice(start + from.length);
      const got = inc.update({ text, fileName: 'x.sh' }, config);
      spliced.push(inc.stats.spliced);
      const want = lintIfBuildx({ text, fileName: 'x.sh' }, config);
      expect(want.diagnostics.filter((d) => d.code === 'KBX604')).toHaveLength(1);
      expect(got.result?.diagnostics ?? got.diagnostics).toEqual(want.diagnostics);
    }
    // The edits were answered by splicing one command, not by a full lint.
    expect(spliced).toEqual([1, 2, 3, 4]);
    expect(inc.stats.full).toBe(1);
  });
});

describe('fixing past limits.maxFindings', () => {
  it('--fix mends every finding, and prints what a plain lint of the fixed file prints', () => {
    const dir = tempDir('kbx-findings-limit-');
    const file = join(dir, 'build.sh');
    // 30 fixable findings of KBX412 and 30 unfixable ones of KBX520, against a limit of 10.
    writeFileSync(
      file,
      lines(60, (i) => (i % 2 ? load(i) : alias(i))),
    );
    const fixed = spawnSync(process.execPath, [dist, '--no-config', '--limit', 'maxFindings=10', '--format', 'json', '--fix', file], { encoding: 'utf8' });
    expect(fixed.stderr).toMatch(/^applied 30 fixes in 1 file/);
    const after = readFileSync(file, 'utf8');
    expect(after).not.toContain('linux/x86_64');
    expect(after.split('linux/amd64 -t r/a')).toHaveLength(31);
    const plain = spawnSync(process.execPath, [dist, '--no-config', '--limit', 'maxFindings=10', '--format', 'json', file], { encoding: 'utf8' });
    expect(fixed.stdout).toBe(plain.stdout);
    const reported = (JSON.parse(plain.stdout) as { diagnostics: { rule: string; line: number }[] }).diagnostics.map((d) => `${d.line} ${d.rule}`);
    expect(reported).toEqual([...Array.from({ length: 10 }, (_, k) => `${2 * k + 2} KBX520`), '22 KBX604']);
  });

  it("the editor's fix-all mends every finding of a cut lint", () => {
    const text = lines(30, alias);
    const config: Config = { rules: {}, limits: { maxFindings: 5 } };
    const result = lintSh(text, config);
    expect(result.findingsCut).toBe(true);
    const edit = fixAllEdit(text, result, (t) => lintSh(t, withoutFindingsLimit(config)));
    expect(edit).not.toBeNull();
    const lineStarts = [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1)];
    const from = lineStarts[edit!.range.start.line] + edit!.range.start.character;
    const to = lineStarts[edit!.range.end.line] + edit!.range.end.character;
    const fixedText = text.slice(0, from) + edit!.newText + text.slice(to);
    expect(fixedText).toBe(lines(30, (i) => alias(i).replace('linux/x86_64', 'linux/amd64')));
  });
});
