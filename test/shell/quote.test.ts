import { describe, expect, it } from 'vitest';
import { escapeForDoubleQuotes, shellQuote } from '../../server/src/shell/quote';
import { mulberry32, runShell } from '../harness/bash-oracle';
import { allArgv } from '../harness/bash-oracle';

describe('shellQuote / escapeForDoubleQuotes', () => {
  it('leaves safe values bare and single-quotes the rest', () => {
    expect(shellQuote('linux/amd64,linux/arm64')).toBe('linux/amd64,linux/arm64');
    expect(shellQuote('a=b:c@d%e+f')).toBe('a=b:c@d%e+f');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(escapeForDoubleQuotes('a$b`c"d\\e')).toBe('a\\$b\\`c\\"d\\\\e');
  });

  it('round-trips through our parser and through bash', () => {
    const rnd = mulberry32(7);
    const alphabet = 'ab ,\'"$`\\{}*?~#;&|<>()=\n\t!';
    const values: string[] = [];
    for (let i = 0; i < 60; i++) {
      let v = '';
      const n = Math.floor(rnd() * 8);
      for (let k = 0; k < n; k++) v += alphabet[Math.floor(rnd() * alphabet.length)];
      values.push(v);
    }
    const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)} "${escapeForDoubleQuotes(v)}"`).join('\n') + '\n';
    const real = runShell('bash', script);
    expect(real.fields).toEqual(values.flatMap((v) => [v, v]));
    expect(allArgv(script).map((a) => a)).toEqual(values.map((v) => `printf %s\\0 ${v} ${v}`));
  });
});
