/**
 * The lint thread's per-document state (DocumentLints) against a fresh full lint: after seeded
 * random edits of a generated script, the diagnostics it answers and the view it makes (the model
 * hover, completion, symbols and explain read, the builder graph) equal those of a full lint of
 * the same text, whether the version was linted in full or derived from the one before; fix-all
 * reads a full result of the current text.
 */
import { describe, expect, it } from 'vitest';
import { lspScript } from '../../bench/corpus.mjs';
import { DEFAULT_CONFIG } from '../../server/src/engine/config';
import { lintIfBuildx } from '../../server/src/engine/lint';
import { LineIndex } from '../../server/src/core/source';
import { answerOn, DocumentLints, type LintJobInput, type Question, viewOf } from '../../server/src/lsp/lint-job';
import { mulberry32 } from '../harness/random';

const URI = 'file:///project/build.sh';

/**
 * Views as JSON with typed arrays, maps and sets spelled out: shared objects are written at each
 * use, so the comparison is of content (a deep-equal that follows every shared reference of a
 * model is far slower).
 */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_key, x) => {
    if (x instanceof Int32Array) return { int32: [...x] };
    if (x instanceof Map) return { map: [...x] };
    if (x instanceof Set) return { set: [...x] };
    if (typeof x === 'bigint') return { bigint: String(x) };
    return x;
  });
}

function input(text: string): LintJobInput {
  return { uri: URI, text, fileName: '/project/build.sh', languageId: 'shellscript', config: DEFAULT_CONFIG };
}

/** A one-character edit of a letter or digit, a word typed into a line, a line added or deleted. */
function edit(rnd: () => number, text: string): string {
  const lines = text.split('\n');
  for (;;) {
    const n = Math.floor(rnd() * lines.length);
    const line = lines[n];
    if (!line) continue;
    const col = Math.floor(rnd() * line.length);
    const ch = line[col];
    // Lines typed or deleted move every position after them by whole lines.
    const r = rnd();
    if (r < 0.08 && !line.endsWith('\\')) lines.splice(n + 1, 0, `echo "step ${n}"`);
    else if (r < 0.14 && !/docker|\\$/.test(line) && !lines[n - 1]?.endsWith('\\')) lines.splice(n, 1);
    else if (rnd() < 0.3) lines[n] = `${line.slice(0, col)}${rnd() < 0.5 ? 'xy' : ''}${line.slice(col + (rnd() < 0.5 ? 1 : 0))}`;
    else if (/[0-9]/.test(ch)) lines[n] = line.slice(0, col) + String((Number(ch) + 3) % 10) + line.slice(col + 1);
    else if (/[a-z]/.test(ch)) lines[n] = line.slice(0, col) + String.fromCharCode(97 + ((ch.charCodeAt(0) - 90) % 26)) + line.slice(col + 1);
    else continue;
    return lines.join('\n');
  }
}

describe('the lint thread lints documents incrementally', () => {
  it('answers what a full lint answers, diagnostics and view, after every edit', () => {
    const rnd = mulberry32(12);
    const docs = new DocumentLints();
    let text = lspScript({ lines: 200, commands: 20, seed: 9 });
    docs.lint(input(text));
    let derivedViews = 0;
    for (let i = 0; i < 40; i++) {
      text = edit(rnd, text);
      const got = docs.lint(input(text));
      const full = lintIfBuildx({ text, fileName: '/project/build.sh', languageId: 'shellscript' }, DEFAULT_CONFIG);
      expect(got.diagnostics, `edit ${i}`).toEqual(full.diagnostics);
      // Views are asked for after some edits only: the offset moves pile up in between.
      if (i % 3 === 0 || i === 39) {
        const derived = !docs.fullResultKept(URI);
        const view = docs.view(URI, text)!;
        const want = viewOf(full, 0);
        expect(canonical({ ...view, ms: 0 }), `view after edit ${i}`).toBe(canonical(want));
        if (derived) derivedViews++;
      }
    }
    expect(derivedViews).toBeGreaterThan(3);
    expect(docs.view(URI, `${text}x`)).toBeNull();
    expect(docs.fullResult(input(text)).diagnostics).toEqual(lintIfBuildx({ text, fileName: '/project/build.sh', languageId: 'shellscript' }, DEFAULT_CONFIG).diagnostics);
    docs.close(URI);
    expect(docs.view(URI, text)).toBeNull();
  }, 300_000);

  it('answers requests as the model of a full lint does, derived versions included', () => {
    const rnd = mulberry32(31);
    const docs = new DocumentLints();
    let text = lspScript({ lines: 400, commands: 20, seed: 5 });
    docs.lint(input(text));
    const interesting = /--driver-opt|--platform|--builder|--name|namespace|replicas|nodeselector|create|build\b|\bb\d+/g;
    let derivedAnswers = 0;
    for (let i = 0; i < 40; i++) {
      text = edit(rnd, text);
      docs.lint(input(text));
      // Answers after some edits only: the offset moves pile up in between.
      if (i % 3) continue;
      const full = lintIfBuildx({ text, fileName: '/project/build.sh', languageId: 'shellscript' }, DEFAULT_CONFIG);
      const lines = new LineIndex(text);
      const hits = [...text.matchAll(interesting)].map((m) => m.index! + Math.floor(rnd() * m[0].length));
      const offsets = [...Array.from({ length: 6 }, () => hits[Math.floor(rnd() * hits.length)]), ...Array.from({ length: 3 }, () => Math.floor(rnd() * text.length))];
      const a = Math.floor(rnd() * text.length);
      const b = Math.min(text.length, a + Math.floor(rnd() * 3000));
      const range = { start: lines.position(a), end: lines.position(b) };
      const questions: Question[] = [{ kind: 'symbols' }, { kind: 'tokens', range: null }, { kind: 'tokens', range }, { kind: 'inlay', range }];
      for (const o of offsets) {
        const position = lines.position(o);
        questions.push(
          { kind: 'hover', position },
          { kind: 'completion', position, text, snippets: true },
          { kind: 'definition', position, uri: URI },
          { kind: 'references', position, uri: URI, includeDeclaration: true },
          { kind: 'prepare-rename', position },
          { kind: 'rename', position, newName: 'renamed' },
        );
      }
      for (const q of questions) {
        if (!docs.fullResultKept(URI)) derivedAnswers++;
        expect(docs.answer(URI, q), `${q.kind} after edit ${i}: ${JSON.stringify(q)}`).toEqual({ value: answerOn(full.model, lines, q) });
      }
    }
    expect(derivedAnswers).toBeGreaterThan(20);
    expect(docs.answer('file:///elsewhere.sh', { kind: 'symbols' })).toBeNull();
  }, 300_000);
});
