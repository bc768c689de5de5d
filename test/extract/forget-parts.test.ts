/**
 * Extraction lets go of each flat word's parts once its command is read (the model keeps the
 * words, not their parts). What later stages read must not change: parts read again equal the
 * first reading, a literal word's text read from its source equals its one part's value, and
 * argMayVary (which read the parts) gives the same answer from what the argument remembers.
 */
import { describe, expect, it } from 'vitest';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { argMayVary } from '../../server/src/buildx/model';
import { lint } from '../../server/src/engine/lint';
import type { Word, WordPart } from '../../server/src/shell/ast';
import { parseShell } from '../../server/src/shell/parser';
import { LazyWord, litIncludesUnit } from '../../server/src/shell/slice';
import { walkSimpleCommands } from '../../server/src/shell/walk';
import { mulberry32 } from '../harness/random';

/** What a test can compare of a part list: kinds, spans and decoded values, recursively. */
function shape(parts: WordPart[]): unknown[] {
  return parts.map((p) => {
    const base: Record<string, unknown> = { kind: p.kind, span: { start: p.span.start, end: p.span.end } };
    if ('value' in p && p.value) base.value = p.value.text;
    if (p.kind === 'dq') base.parts = shape(p.parts);
    if (p.kind === 'param') base.name = p.name;
    return base;
  });
}

const WORDS = ['--platform', 'linux/amd64,linux/arm64', '"$TAG"', "'a b'", '-t', 'r/a', 'x\\ y', '"$A"b', '$B', '--push', '.', '--set=t.platform=linux/x86_64', 'a"b"c', '~/x', '{a,b}'];

function script(seed: number, n: number): string {
  const rnd = mulberry32(seed);
  const pick = () => WORDS[Math.floor(rnd() * WORDS.length)];
  const out: string[] = ['TAG=v1', 'f() { docker buildx build "$@"; }'];
  for (let i = 0; i < n; i++) {
    const words = Array.from({ length: 1 + Math.floor(rnd() * 6) }, pick).join(' ');
    out.push(rnd() < 0.2 ? `f ${words}` : rnd() < 0.2 ? `sh -c 'docker buildx build ${words.replace(/'/g, '')}'` : `docker buildx build ${words}`);
  }
  return out.join('\n') + '\n';
}

describe('words whose parts were let go', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`read the same as a fresh parse (seed ${seed})`, () => {
      const text = script(seed, 60);
      const result = lint({ text, fileName: 'x.sh' });
      expect(result.invocations.length).toBeGreaterThan(40);
      // The same words, parsed anew and never forgotten, keyed by where they are.
      const fresh = new Map<string, Word>();
      walkSimpleCommands(parseShell(result.model.regions[0].region.source, { dialect: 'bash' }), (c) => {
        for (const w of c.words) fresh.set(`${w.span.start}:${w.span.end}`, w);
      });
      let lazy = 0;
      let compared = 0;
      for (const inv of result.invocations) {
        for (const a of inv.argv) {
          const w = a.word as unknown;
          if (!(w instanceof LazyWord)) continue;
          lazy++;
          const again = fresh.get(`${a.word.span.start}:${a.word.span.end}`);
          if (again) {
            compared++;
            expect(shape(a.word.parts)).toEqual(shape(again.parts));
          }
          const literal = w.literalText();
          if (literal !== null) {
            expect(a.word.parts).toHaveLength(1);
            expect(shape(a.word.parts)[0]).toMatchObject({ kind: 'lit', value: literal });
          }
        }
      }
      expect(lazy).toBeGreaterThan(100);
      expect(compared).toBeGreaterThan(lazy / 2);
    });
  }

  it('argMayVary agrees with the parts for a make expansion left dynamic', () => {
    const text = 'all:\n\tdocker buildx build $(PUSH) --platform $(PLATFORMS) -t r/a:$(TAG) .\n';
    const result = lint({ text, fileName: 'Makefile' });
    expect(result.invocations).toHaveLength(1);
    const answers = result.invocations[0].argv.map((a) => {
      const fromParts = a.mayVary || a.word.parts.some((p) => p.kind === 'lit' && litIncludesUnit(p, DYNAMIC));
      expect(argMayVary(a)).toBe(fromParts);
      return fromParts;
    });
    expect(answers.filter(Boolean).length).toBeGreaterThanOrEqual(3);
    expect(answers.filter((x) => !x).length).toBeGreaterThanOrEqual(3);
  });
});
