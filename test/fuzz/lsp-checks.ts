/**
 * Checks shared by the fuzz suites that drive the language server's document-wide handlers:
 * symbols, inlay hints and semantic tokens over the whole text and over its middle third.
 */
import type { LineIndex } from '../../server/src/core/source';
import { documentSymbols, inlayHints } from '../../server/src/lsp/insight';
import { semanticTokens } from '../../server/src/lsp/semantic-tokens';

type Range = { start: { line: number; character: number }; end: { line: number; character: number } };
type Model = Parameters<typeof documentSymbols>[0];

export function checkDocumentHandlers(model: Model, lines: LineIndex, textLength: number, lastLine: number, inRange: (r: Range, what: string) => void, fail: (message: string) => never): void {
  // Symbols nest as deep as the document's functions; a list of pending symbols keeps the walk flat.
  const pending = [...documentSymbols(model, lines)];
  for (let s = pending.pop(); s; s = pending.pop()) {
    inRange(s.range, `symbol ${s.name}`);
    for (const c of s.children ?? []) pending.push(c);
  }
  const mid = { start: Math.floor(textLength / 3), end: Math.floor((2 * textLength) / 3) };
  for (const range of [null, mid]) {
    for (const hint of inlayHints(model, lines, range)) if (hint.position.line > lastLine) fail(`inlay hint past the end: ${JSON.stringify(hint.position)}`);
    const tokens = semanticTokens(model, lines, range);
    if (tokens.data.length % 5 !== 0) fail('semantic tokens: data not in fives');
  }
}
