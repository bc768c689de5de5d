/**
 * Where a command must end. After a command only an operator or a newline may follow; a word or
 * a `(` there (`-t name:(tag)`, `{ a; } b`, `fi x`) is a syntax error in bash and dash, and the
 * parser used to read it as the start of a new command. Each snippet is judged by `bash -n` and
 * `dash -n` themselves; the parser must report an error exactly when the shell does, and on the
 * first token the shell names.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../server/src/shell/ast';
import { parse } from '../harness/bash-oracle';

const ACCEPTED = [
  'f() { :; }',
  'f () ( : )',
  'function g { :; }',
  'a=(1 2) b',
  'f() { local a=(1 2); declare -a b=(3); }',
  'if a; then if b; then c; fi fi',
  'while a; do while b; do c; done done',
  'case x in a) b;; esac',
  '(a) | b',
  '{ a; } > out',
  '(a) 2>&1 | b',
  'a && (b) || { c; }',
  'a; (b); c & (d)',
  'echo \\( x \\)',
  'x=$((1 + 2)); echo "$(a) (b)"',
  'for ((i = 0; i < 2; i++)); do :; done',
  'diff <(a) >(b)',
  '[[ a == b ]] && ((1))',
  '! (a)',
  'time (a)',
  'time -p (a; b)',
  'coproc (a)',
  'coproc worker (a)',
  'echo "name:(tag)" \'a(b)\'',
  'docker buildx build -t "name:(tag)" .',
];

const REJECTED: [string, string][] = [
  ['docker buildx build -t name:(tag) .', '('],
  ['echo a(b)', '('],
  ['{ a; } b', 'b'],
  ['(a) b', 'b'],
  ['(a) (b)', '('],
  ['if a; then b; fi c', 'c'],
  ['for x in a; do b; done c', 'c'],
  ['while a; do b; done (c)', '('],
  ['case x in a) b;; esac d', 'd'],
  ['f() { :; } g', 'g'],
  ['[[ a ]] b', 'b'],
  ['((1)) b', 'b'],
  ['a; { b; } c', 'c'],
];

function shellRejects(shell: string, text: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'kbx-end-'));
  try {
    writeFileSync(join(dir, 'x.sh'), `${text}\n`);
    return spawnSync(shell, ['-n', join(dir, 'x.sh')], { encoding: 'utf8' }).status !== 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function firstError(text: string, dialect: Dialect): string | null {
  const e = parse(`${text}\n`, dialect).errors[0];
  return e ? text.slice(e.span.start, e.span.end) : null;
}

describe('a command ends at an operator or a newline', () => {
  for (const [shell, dialect] of [
    ['bash', 'bash'],
    ['dash', 'sh'],
  ] as const) {
    // dash has none of bash's extensions: only the snippets it reads are asked of it.
    const accepted = ACCEPTED.filter((t) => shell === 'bash' || !shellRejects('dash', t));
    it(`${shell} reads the valid snippets, and so does the parser`, () => {
      expect(accepted.length).toBeGreaterThan(shell === 'bash' ? 20 : 8);
      for (const text of accepted) {
        expect(shellRejects(shell, text), `${shell} -n must accept ${text}`).toBe(false);
        expect(firstError(text, dialect), text).toBeNull();
      }
    });
    it(`${shell} rejects a word or a ( after a command, and the parser reports that token`, () => {
      const rejected = REJECTED.filter(([t]) => shell === 'bash' || !/\[\[|\(\(/.test(t));
      for (const [text, token] of rejected) {
        expect(shellRejects(shell, text), `${shell} -n must reject ${text}`).toBe(true);
        expect(firstError(text, dialect), text).toBe(token);
      }
    });
  }
});
