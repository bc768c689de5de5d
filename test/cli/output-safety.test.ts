/**
 * Text output is safe to print and stays linear: control characters from file names and source
 * are escaped, and long lines are shown as a window around the finding.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { escapeControl, formatText, NO_COLOR } from '../../server/src/cli/format';

function render(path: string, text: string): string {
  return formatText([{ path, text, diagnostics: lint({ text, fileName: 'x.sh' }).diagnostics }], NO_COLOR);
}

describe('escapeControl', () => {
  it.each([
    ['\x1b]0;owned\x07', '\\e]0;owned^G'],
    ['a\nb\rc', 'a^Jb^Mc'],
    ['\x7f\x9b', '^?\\x9b'],
    ['tab\there', 'tab here'],
    ['plain €', 'plain €'],
  ])('%j', (input, want) => expect(escapeControl(input)).toBe(want));
});

describe('text output', () => {
  it('never passes ESC or a newline from a file name or the source to the terminal', () => {
    const out = render('evil\n/tmp/x.sh:1:1: error: forged\x1b[2J.sh', 'docker buildx build --platform linux/x86_64 \x1b[31m .\n');
    expect(out).not.toContain('\x1b');
    expect(out.split('\n').filter((l) => l.startsWith('/tmp/x.sh'))).toEqual([]);
    expect(out).toContain('evil^J/tmp/x.sh:1:1: error: forged\\e[2J.sh:1:');
  });

  it('puts carets under the span when a control character comes before it', () => {
    const text = 'echo "\x1b" ; docker buildx build --platform linux/x86_64 .\n';
    const out = render('x.sh', text).split('\n');
    const frame = out.findIndex((l) => l.startsWith('1 |'));
    const col = out[frame].indexOf('linux/x86_64');
    expect(out[frame + 1].indexOf('^')).toBe(col);
  });

  it('shows a window around a finding deep in a long line, carets included', () => {
    const text = `docker buildx build ${'--label a=b '.repeat(3000)}--platform linux/x86_64 .\n`;
    const out = render('x.sh', text).split('\n');
    const frame = out.findIndex((l) => l.startsWith('1 |'));
    expect(out[frame].length).toBeLessThan(300);
    expect(out[frame]).toContain('linux/x86_64');
    expect(out[frame + 1].indexOf('^')).toBe(out[frame].indexOf('linux/x86_64'));
    for (const l of out) expect(l.length).toBeLessThan(600);
  });
});
