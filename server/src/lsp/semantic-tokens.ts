/**
 * Semantic tokens (`textDocument/semanticTokens/full` and `/range`): what each part of a buildx
 * command is, read from the same file model the rules judge, so the colours follow buildx's own
 * reading (a `nodeselector` key split by an unquoted comma shows as two keys) through quotes, line
 * continuations, `$$` and variables.
 *
 * | what | token type | modifiers |
 * | --- | --- | --- |
 * | `buildx` and its subcommand (`create`, `build`, …) | keyword | |
 * | a flag name (`--driver-opt`, `-t`) | parameter | deprecated when buildx warns about the flag |
 * | a `--driver-opt` key | property | |
 * | a `--driver-opt` value | string | |
 * | a platform (`linux/arm64`), a driver (`kubernetes`) | enumMember | |
 * | a builder or node name | variable | declaration where `create` makes it |
 *
 * Positions are the source characters each decoded character came from (core/mapped-string.ts):
 * a token covers one run of adjacent source characters, so quotes, a `\`-newline or the `$` of a
 * Makefile `$$` that sit between two characters split it, and run-time expansions are never
 * coloured. Offsets are UTF-16 code units, as LSP counts by default; a token never spans a line
 * (clients without multilineTokenSupport require that), and tokens never overlap.
 */
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import { DYNAMIC, type MappedString } from '../core/mapped-string';
import type { LineIndex } from '../core/source';
import type { Span } from '../core/span';
import type { FileModel } from '../buildx/model';
import type { FlagOccurrence } from '../extract/invocation';
import { nameOccurrences } from './insight';

export const TOKEN_TYPES = ['keyword', 'parameter', 'property', 'string', 'enumMember', 'variable'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'deprecated'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

export interface Token {
  start: number;
  end: number;
  type: TokenType;
  modifiers: TokenModifier[];
}

/**
 * sourceRuns: the source spans of characters [from, to) of a decoded string, one per run of
 * adjacent source characters. Run-time expansions (DYNAMIC) and characters a layer made up
 * (empty source range) belong to no run.
 */
export function sourceRuns(s: MappedString, from = 0, to = s.text.length): Span[] {
  const out: Span[] = [];
  let cur: Span | null = null;
  for (let i = from; i < to && i < s.text.length; i++) {
    const a = s.starts[i];
    const b = s.ends[i];
    if (s.text[i] === DYNAMIC || b <= a) {
      cur = null;
      continue;
    }
    // Several characters of one source range (a resolved make variable) extend the run once.
    if (cur && a >= cur.start && a <= cur.end) {
      if (b > cur.end) cur.end = b;
      continue;
    }
    cur = { start: a, end: b };
    out.push(cur);
  }
  return out;
}

/**
 * The source runs of the characters of `s` that come from inside `span`. A shorthand flag's span
 * is its letter (`t` of `-t`, or of `-qt`); the dash of the first shorthand of a word goes with it.
 */
function flagRuns(s: MappedString, span: Span): Span[] {
  let from = -1;
  let to = -1;
  for (let i = 0; i < s.text.length; i++) {
    if (s.starts[i] >= span.start && s.ends[i] <= span.end) {
      if (from < 0) from = i;
      to = i + 1;
    }
  }
  if (from === 1 && s.text[0] === '-' && s.text[1] !== '-') from = 0;
  return from < 0 ? [] : sourceRuns(s, from, to);
}

/** collectTokens lists the tokens of a file in source order, without overlaps. */
export function collectTokens(model: FileModel): Token[] {
  const raw: Token[] = [];
  const add = (spans: Span[], type: TokenType, modifiers: TokenModifier[] = []) => {
    for (const s of spans) raw.push({ start: s.start, end: s.end, type, modifiers });
  };
  const flagTokens = (f: FlagOccurrence) => add(flagRuns(f.arg.value, f.nameSpan), 'parameter', f.spec?.warning ? ['deprecated'] : []);
  for (const inv of model.invocations) {
    if (inv.program === 'docker' && !inv.forwardedByDockerCli && inv.commandSpan) {
      const buildx = inv.argv.find((a) => a.static && (a.value.text === 'buildx' || a.value.text === 'builder') && a.span.end <= inv.commandSpan!.start);
      if (buildx) add(sourceRuns(buildx.value), 'keyword');
    }
    if (inv.program !== 'docker') add([inv.programSpan], 'keyword');
    const cmd = inv.commandSpan && inv.argv.find((a) => a.span.start === inv.commandSpan!.start && a.span.end === inv.commandSpan!.end);
    if (cmd) add(sourceRuns(cmd.value), 'keyword');
    for (const f of inv.globalFlags) flagTokens(f);
    for (const f of inv.flags) flagTokens(f);
  }
  for (const c of model.creates) {
    for (const e of c.driverOpts?.entries ?? []) {
      add(sourceRuns(e.key), 'property');
      add(sourceRuns(e.value), 'string');
    }
    if (c.driverFlag?.value) add(sourceRuns(c.driverFlag.value), 'enumMember');
    for (const p of c.platforms) add(sourceRuns(p.raw), 'enumMember');
  }
  for (const b of model.builds) for (const p of b.platforms) add(sourceRuns(p.raw), 'enumMember');
  for (const o of nameOccurrences(model)) {
    let { start, end } = o.span;
    // A quoted name (`--name "fleet"`): the quotes are the shell's, not the name's.
    const q = model.text[start];
    if (!o.plain && end - start >= 2 && (q === '"' || q === "'") && model.text[end - 1] === q) {
      start++;
      end--;
    }
    add([{ start, end }], 'variable', o.defines ? ['declaration'] : []);
  }
  raw.sort((a, b) => a.start - b.start || b.end - a.end);
  // A value several commands read (a variable's assignment) is one token; a token inside another
  // (a name that is also a flag value) gives way to the first one.
  const out: Token[] = [];
  let last = -1;
  for (const t of raw) {
    if (t.start < last || t.end <= t.start) continue;
    out.push(t);
    last = t.end;
  }
  return out;
}

/**
 * encodeTokens: the LSP integer array (delta line, delta start character, length, type, modifier
 * bits per token), each token cut at line ends, keeping only tokens that meet `range`.
 */
export function encodeTokens(text: string, lines: LineIndex, tokens: Token[], range: Span | null = null): SemanticTokens {
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  for (const t of tokens) {
    if (range && (t.end <= range.start || t.start >= range.end)) continue;
    const type = TOKEN_TYPES.indexOf(t.type);
    let bits = 0;
    for (const m of t.modifiers) bits |= 1 << TOKEN_MODIFIERS.indexOf(m);
    let start = t.start;
    while (start < t.end) {
      let end = start;
      while (end < t.end && text[end] !== '\n' && text[end] !== '\r') end++;
      if (end > start) {
        const { line, character } = lines.position(start);
        data.push(line - prevLine, line === prevLine ? character - prevChar : character, end - start, type, bits);
        prevLine = line;
        prevChar = character;
      }
      start = end + 1;
    }
  }
  return { data };
}

export function semanticTokens(model: FileModel, lines: LineIndex, range: Span | null = null): SemanticTokens {
  return encodeTokens(model.text, lines, collectTokens(model), range);
}
