import { describe, expect, it } from 'vitest';
import { splitMessage } from '../../server/src/core/problem';
import { splitMessageOnce } from '../../server/src/buildx/split-message';
import { lint } from '../../server/src/engine/lint';
import { mulberry32 } from '../harness/random';

describe('splitMessageOnce', () => {
  const messages = [
    'platform "linux/x86_64" is another spelling of "linux/amd64"; buildx normalises it, but registries show "linux/amd64", so write that',
    'tag "A" has upper-case letters; repositories must be lower case; buildx: invalid tag "A": invalid reference format',
    'value is not valid; did you mean "x"? kubernetes: spec.tolerations[0].operator: Unsupported value',
    'plain message without parts',
    `long ${'x'.repeat(1000)}; write y; docker: refused`,
  ];

  it('gives the parts splitMessage gives, the first time and when repeated', () => {
    for (let round = 0; round < 3; round++) for (const m of messages) expect(splitMessageOnce(m)).toEqual(splitMessage(m));
  });

  it('stays right when its memory is emptied by many different messages', () => {
    const rnd = mulberry32(14);
    for (let i = 0; i < 3000; i++) {
      const m = `item ${Math.floor(rnd() * 5000)} is wrong; write ${i % 7}; buildx: error ${i % 3}`;
      expect(splitMessageOnce(m)).toEqual(splitMessage(m));
    }
  });
});

describe('platform findings over several --platform flags', () => {
  it('locate each item of each flag, aliases and empty items alike', () => {
    const text = 'docker buildx build --platform linux/x86_64,,linux/aarch64 --platform=linux/armhf,linux/arm64 --platform "$P" --platform linux/i386 .\n';
    const found = lint({ text, fileName: 'x.sh' }).diagnostics.map((d) => [d.code, text.slice(d.span.start, d.span.end), d.fix?.edits.map((e) => e.newText).join('')]);
    expect(found).toEqual([
      ['KBX412', 'linux/x86_64', 'linux/amd64'],
      ['KBX410', ',', undefined],
      ['KBX412', 'linux/aarch64', 'linux/arm64'],
      ['KBX412', 'linux/armhf', 'linux/arm/v7'],
      ['KBX412', 'linux/i386', 'linux/386'],
    ]);
  });
});
