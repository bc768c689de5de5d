/**
 * The language server under fuzzed documents: didOpen, didChange, hover, completion and code
 * actions at random positions must each answer (no exception, no missing publication).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CodeActionKind } from 'vscode-languageserver/node';
import { type Session, startSession } from '../lsp/lsp-harness';
import { genFile, mulberry32, mutate, Rng, seedFiles } from './fuzz-lib';

const SEED = process.env.KBX_FUZZ_SEED ? Number(process.env.KBX_FUZZ_SEED) >>> 0 : 0x6b6278;
const DOCS = 12;

let session: Session | undefined;
afterEach(() => {
  session?.dispose();
  session = undefined;
});

function randomPosition(r: Rng, text: string) {
  const lines = text.split('\n');
  const line = r.int(lines.length + 1); // sometimes one past the end
  const character = r.int((lines[line]?.length ?? 0) + 3);
  return { line, character };
}

describe('language server fuzz', () => {
  it(`answers every request on fuzzed documents (seed ${SEED})`, { timeout: 120_000 }, async () => {
    console.log(`kbx-lint LSP fuzz: seed ${SEED} (override with KBX_FUZZ_SEED)`);
    const r = new Rng(mulberry32(SEED));
    const files = seedFiles();
    session = await startSession();
    const s = session;
    const next = () => (r.chance(0.6) ? mutate(r, r.pick(files).text, r.pick(files).text) : genFile(r));
    for (let i = 0; i < DOCS; i++) {
      const make = r.chance(0.5);
      const uri = make ? `file:///w/d${i}/Makefile` : `file:///w/d${i}.sh`;
      let text = next();
      const where = `seed ${SEED}, document ${i} (${uri}): ${JSON.stringify(text.slice(0, 300))}`;
      let published = await s.open(uri, make ? 'makefile' : 'shellscript', text);
      for (let step = 0; step < 3; step++) {
        expect(Array.isArray(published.diagnostics), where).toBe(true);
        for (let k = 0; k < 4; k++) {
          const pos = randomPosition(r, text);
          const hover = await s.hover(uri, pos); // a thrown handler rejects the request
          expect(hover === null || typeof hover === 'object', where).toBe(true);
          const items = await s.complete(uri, randomPosition(r, text));
          expect(Array.isArray(items), where).toBe(true);
        }
        const ds = published.diagnostics;
        const subset = ds.filter(() => r.chance(0.5));
        for (const only of [[CodeActionKind.QuickFix], ['source.fixAll.kbx-lint'], undefined]) {
          const actions = await s.codeActions(uri, subset.length ? subset : ds, only);
          expect(Array.isArray(actions), where).toBe(true);
        }
        text = r.chance(0.5) ? mutate(r, text, r.pick(files).text) : next();
        published = await s.change(uri, text);
      }
      await s.close(uri);
    }
    expect(s.messages.filter((m) => /failed|error/i.test(m))).toEqual([]);
  });
});
