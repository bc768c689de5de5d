/**
 * Shell syntax errors under hostile input: after one error the parser's recovery reads the rest of
 * the line out of step, so every stray `)` after the first restated it (125,600 findings for one
 * line). bash stops at its first syntax error; kbx-lint keeps the first of each line and at most
 * 100 per file, then one finding that counts the rest. The first error is where bash reports it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../server/src/core/source';
import { lint } from '../../server/src/engine/lint';
import { tempDir } from '../harness/temp-dir';

const syntax = (text: string) => lint({ text, fileName: 'x.sh' }).diagnostics.filter((d) => d.code === 'KBX601');

describe('shell syntax errors: one per line, at most 100 per file', () => {
  it('a line of stray parentheses is one finding, at the first, on the line bash names', () => {
    const text = `echo ok\ndocker buildx build . ${')'.repeat(5000)}\n`;
    const found = syntax(text);
    expect(found).toHaveLength(1);
    expect(found[0].message).toBe('unexpected `)`');
    expect(text.slice(found[0].span.start, found[0].span.end)).toBe(')');
    expect(found[0].span.start).toBe(text.indexOf(')'));
    const dir = tempDir('kbx-syntax-');
    writeFileSync(join(dir, 'x.sh'), text);
    const bash = spawnSync('bash', ['-n', join(dir, 'x.sh')], { encoding: 'utf8' });
    expect(bash.status).not.toBe(0);
    const bashLine = Number(/line (\d+): syntax error/.exec(bash.stderr)?.[1]);
    expect(new LineIndex(text).position(found[0].span.start).line + 1).toBe(bashLine);
  });

  it('errors on separate lines are each reported, up to 100, then one count of the rest', () => {
    const text = Array.from({ length: 160 }, (_, i) => `docker buildx build -t a${i} . ) )`).join('\n') + '\n';
    const found = syntax(text);
    expect(found).toHaveLength(101);
    const lines = new LineIndex(text);
    expect(found.slice(0, 100).map((d) => lines.position(d.span.start).line)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(found[100].message).toBe('60 more shell syntax errors follow, not reported one by one (only the first 100 are)');
    expect(lines.position(found[100].span.start).line).toBe(100);
  });

  it('an error recorded later at an earlier line is kept (the unclosed `(` after an error inside it)', () => {
    const text = '(\necho ;;\n';
    const found = syntax(text);
    const lines = new LineIndex(text);
    expect(found.map((d) => [lines.position(d.span.start).line, d.message])).toEqual([
      [0, 'missing `)` for `(`'],
      [1, 'unexpected `;;`'],
    ]);
  });
});
