/**
 * `myimage:(tag)` in a documentation page: a word in parentheses glued to an image reference after
 * `:` or `/`. Real bash refuses such a line (`(` right after a word is a syntax error), so the page
 * can only mean a value to fill in, as `<tag>` would be: it is read as one unknown word. Where bash
 * accepts the parentheses (a subshell, `$(…)`, an extglob, an array), they are read as before.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { buildModel, lint } from '../../server/src/engine/lint';
import { shellAvailable } from '../harness/bash-oracle';

const md = (line: string) => ['# Build', '', '```', line, '```', ''].join('\n');
const codes = (line: string) => lint({ text: md(line), fileName: 'README.md' }).diagnostics.map((d) => d.code);
const argvOf = (line: string) => buildModel({ text: md(line), fileName: 'README.md' }).invocations.map((inv) => inv.argv.map((a) => a.value.text.replaceAll(DYNAMIC, '*')));
const bashAccepts = (line: string) => spawnSync('bash', ['-O', 'extglob', '-n', '-c', line]).status === 0;

describe.runIf(shellAvailable('bash'))('a (word) glued to a reference in Markdown', () => {
  const placeholders: { line: string; argv: string[] }[] = [
    { line: 'docker buildx build -t myimage:(tag) .', argv: ['buildx', 'build', '-t', 'myimage:*', '.'] },
    { line: 'docker buildx build -t ghcr.io/owner/(image):(version) --push .', argv: ['buildx', 'build', '-t', 'ghcr.io/owner/*:*', '--push', '.'] },
    { line: 'docker build -t docker.io/tiredofit/nginx:(imagetag) .', argv: ['build', '-t', 'docker.io/tiredofit/nginx:*', '.'] },
  ];
  for (const c of placeholders) {
    it(`bash rejects it, so it is a placeholder: ${c.line}`, () => {
      expect(bashAccepts(c.line)).toBe(false);
      expect(argvOf(c.line)).toEqual([c.argv]);
      expect(codes(c.line)).toEqual([]);
    });
  }

  it('leaves what bash runs as written: $(…), a subshell, an extglob', () => {
    const run = ['docker buildx build -t app:$(git rev-parse HEAD) .', 'docker buildx build -t app:1 . || (docker buildx ls)', 'docker buildx build -t app:1 dir/@(a) .'];
    for (const line of run) expect(bashAccepts(line)).toBe(true);
    expect(argvOf(run[0])).toEqual([['buildx', 'build', '-t', 'app:*', '.']]);
    expect(argvOf(run[1])).toEqual([
      ['buildx', 'build', '-t', 'app:1', '.'],
      ['buildx', 'ls'],
    ]);
    expect(argvOf(run[2])).toEqual([['buildx', 'build', '-t', 'app:1', 'dir/@(a)', '.']]);
  });

  it('still reports a stray parenthesis before the placeholder', () => {
    const line = 'docker pull docker.io/tiredofit/nginx):(imagetag)';
    expect(bashAccepts(line)).toBe(false);
    expect(codes(line)).toEqual(['KBX601']);
  });
});
