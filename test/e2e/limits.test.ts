/**
 * Input limits (`limits` in the configuration, defaults in engine/config.ts LIMITS): past them a
 * file gets one KBX604 finding instead of being read, in the CLI and the language server alike,
 * so a hostile file can never exhaust memory.
 */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../server/src/engine/config';
import { lint } from '../../server/src/engine/lint';

const line = (n: number) => `docker buildx create --driver kubernetes --driver-opt nodeselector=${Array.from({ length: n }, (_, i) => `k${i}=v`).join(',')}\n`;

describe('input limits', () => {
  it('a line past the default limit is reported once, and nothing in the file is read', () => {
    const text = 'docker buildx build --platform linux/x86_64 .\n' + line(40_000);
    expect(text.length).toBeGreaterThan(256 * 1024);
    const t0 = performance.now();
    const r = lint({ text, fileName: 'x.sh' });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.diagnostics.map((d) => [d.code, text.slice(0, d.span.start).split('\n').length])).toEqual([['KBX604', 2]]);
    expect(r.diagnostics[0].message).toMatch(/^a line has \d+ characters, more than the limit of 262144: the file is not read$/);
    expect(r.invocations).toEqual([]);
  });

  it('the limits are configurable, and a file under them is read as usual', () => {
    const text = line(50);
    expect(lint({ text, fileName: 'x.sh' }).diagnostics.some((d) => d.code === 'KBX101')).toBe(true);
    const small = lint({ text, fileName: 'x.sh' }, { rules: {}, limits: { maxFileSize: 100 } });
    expect(small.diagnostics.map((d) => d.code)).toEqual(['KBX604']);
    expect(small.diagnostics[0].message).toContain('more than the limit of 100');
    expect(validateConfig({ limits: { maxLineLength: 1000 } }).config.limits).toEqual({ maxLineLength: 1000 });
    expect(validateConfig({ limits: { maxLineLength: -1, huge: 1 } }).problems).toEqual(['limits.maxLineLength must be a positive integer', 'unknown limit "huge" (maxFileSize, maxLineLength)']);
  });
});
