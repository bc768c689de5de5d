/**
 * Documentation often quotes part of a script: "replace this `if … then` with", the head of a
 * loop, a function's first lines. Such a code block ends inside a compound command, which bash
 * reports as "unexpected end of file". In a Markdown block that is where the quote stops, not a
 * mistake, so it is not a KBX601 finding; the commands inside are still checked. A mistake bash
 * finds before the end (a stray `)`, an unterminated quote, a `fi` with no `if`) is still one, and
 * a shell script ending the same way is still an error.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { shellAvailable } from '../harness/bash-oracle';

const md = (body: string) => ['# Build', '', 'Replace the build step with:', '', '```sh', body, '```', ''].join('\n');
const codesIn = (text: string, fileName: string) => lint({ text, fileName }).diagnostics.map((d) => d.code);
const bashSays = (body: string) => spawnSync('bash', ['-n', '-c', body], { encoding: 'utf8' }).stderr;

const build = 'docker buildx build --platform linux/x86_64 -t app .';
const cutShort = [
  `if ! ${build}; then`,
  `if true; then\n  ${build}\nelse`,
  `for arch in amd64 arm64; do\n  ${build}`,
  `while read -r tag; do\n  ${build}`,
  `case "$1" in\n  build)\n    ${build}\n    ;;`,
  `build_image() {\n  ${build}`,
  `(\n  cd app\n  ${build}`,
];
const mistakes = [`${build} )`, `${build} --tag 'app`, `${build}\nfi`, `if true\n  ${build}\nfi`];

describe.runIf(shellAvailable('bash'))('a Markdown block that quotes part of a script', () => {
  for (const body of cutShort) {
    it(`is cut short, as bash says, and only its commands are checked: ${JSON.stringify(body.split('\n')[0])}`, () => {
      expect(bashSays(body)).toMatch(/unexpected end of file/);
      expect(codesIn(md(body), 'README.md')).toEqual(['KBX412']);
      expect(codesIn(`${body}\n`, 'build.sh')).toEqual(expect.arrayContaining(['KBX601', 'KBX412']));
    });
  }
  for (const body of mistakes) {
    it(`still reports a mistake bash finds before the end: ${JSON.stringify(body)}`, () => {
      expect(bashSays(body)).toMatch(/syntax error|unexpected EOF/);
      expect(codesIn(md(body), 'README.md')).toContain('KBX601');
    });
  }
});
