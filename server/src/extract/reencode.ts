/**
 * Re-encoding for fixes: given an argument (a shell word with its decoded value) and a change to
 * the decoded value, produce the source edit that makes bash (and make) pass exactly the new value.
 *
 * The change is applied to the decoded value; then the smallest run of the word's top-level parts
 * that covers the change is rewritten. Characters that came from expansions (`$VAR`, `$(cmd)`,
 * make's `$(VAR)`) are re-emitted as their original source text so they keep expanding; all other
 * characters are quoted for the shell, then escaped for the host (`$` → `$$` in a Makefile).
 * A fully static word is rewritten whole in the plainest style (`'--driver-opt="a=1,b=2"'`).
 */
import { endAt, MappedStringBuilder, startAt, type MappedString } from '../core/mapped-string';
import type { Edit } from '../core/fix';
import type { Span } from '../core/span';
import type { ShellRegion } from '../hosts/region';
import type { Arg } from './invocation';
import type { WordPart } from '../shell/ast';

type Segment = { raw: false; text: string } | { raw: true; source: string };

const SAFE_UNQUOTED = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * A character is "raw" when its source range is shared with a neighbour: it came from an
 * expansion whose text must be kept as written.
 */
function rawAt(v: MappedString, i: number): boolean {
  return (
    (i > 0 && startAt(v, i - 1) === startAt(v, i) && endAt(v, i - 1) === endAt(v, i)) ||
    (i + 1 < v.text.length && startAt(v, i + 1) === startAt(v, i) && endAt(v, i + 1) === endAt(v, i)) ||
    v.text[i] === '\uE000'
  );
}

/** encodeUnquoted turns segments into shell text for a position outside any quotes. */
export function encodeUnquoted(segments: Segment[], encoding: ShellRegion['encoding']): string {
  const host = (s: string) => (encoding === 'makefile' ? s.replace(/\$/g, '$$$$') : s);
  const texts = segments
    .filter((s): s is { raw: false; text: string } => !s.raw)
    .map((s) => s.text)
    .join('');
  const hasRaw = segments.some((s) => s.raw);
  if (!hasRaw) {
    if (SAFE_UNQUOTED.test(texts)) return host(texts);
    return host("'" + texts.split("'").join("'\\''") + "'");
  }
  // Expansions must keep expanding: use double quotes around everything.
  let out = '"';
  for (const s of segments) {
    if (s.raw) out += s.source;
    else out += host(s.text.replace(/[$`"\\]/g, (c) => '\\' + c));
  }
  return out + '"';
}

/** Replacement text that needs no quoting where it lands, per quoting context. */
const SAFE_IN: Record<'unquoted' | 'single' | 'double', RegExp> = {
  unquoted: /^[A-Za-z0-9_@%+=:,./-]*$/,
  single: /^[^']*$/,
  double: /^[^$`"\\]*$/,
};

/**
 * editInPlace is the smallest edit: when the changed characters all sit inside one literal part
 * (bare text, a '…' string, or the text of a "…" string) and the new text needs no quoting
 * there, the change is written straight into that part and nothing else of the word moves.
 */
function editInPlace(v: MappedString, parts: WordPart[], c: DecodedEdit, encoding: ShellRegion['encoding']): Edit | null {
  if (c.to === c.from) return null;
  // Emptying a bare word would drop the argument altogether: leave that to the general path.
  if (c.from === 0 && c.to === v.text.length && c.replacement === '') return null;
  const start = startAt(v, c.from);
  const end = endAt(v, c.to - 1);
  for (let i = c.from; i < c.to; i++) {
    // One source character per decoded character: no escapes, no expansions in the range.
    if (endAt(v, i) - startAt(v, i) !== 1 || rawAt(v, i)) return null;
  }
  const holder = (list: WordPart[], ctx: 'unquoted' | 'double'): 'unquoted' | 'single' | 'double' | null => {
    for (const p of list) {
      if (p.span.start > start || p.span.end < end) continue;
      if (p.kind === 'lit') return ctx;
      if (p.kind === 'sq') return start > p.span.start && end < p.span.end ? 'single' : null;
      if (p.kind === 'dq') return holder(p.parts, 'double');
      return null;
    }
    return null;
  };
  const ctx = holder(parts, 'unquoted');
  if (!ctx || !SAFE_IN[ctx].test(c.replacement)) return null;
  const text = encoding === 'makefile' ? c.replacement.replace(/\$/g, '$$$$') : c.replacement;
  return { span: { start, end }, newText: text };
}

/**
 * asWritten maps the characters a variable's value or a `${X:-d}` default gave the argument back
 * onto the `$X` / `${X:-d}` that produced them, as one expansion: a fix then keeps it as written.
 * Null when a character maps outside the word through no known use.
 */
function asWritten(arg: Arg): MappedString | null {
  if (!arg.uses?.length && !arg.defaults?.length) return arg.value;
  const v = arg.value;
  const w = arg.word.span;
  const out = new MappedStringBuilder();
  for (let i = 0; i < v.text.length; i++) {
    const s = startAt(v, i);
    const e = endAt(v, i);
    let to: Span | null = null;
    for (const d of arg.defaults ?? []) if (s >= d.paramSpan.start && e <= d.paramSpan.end && d.paramSpan.start >= w.start && d.paramSpan.end <= w.end) to = d.paramSpan;
    if (!to && (s < w.start || e > w.end)) {
      const u = arg.uses?.find((x) => x.valueSpans.some((vs) => s >= vs.start && e <= vs.end) && x.useSpan.start >= w.start && x.useSpan.end <= w.end);
      if (!u) return null;
      to = u.useSpan;
    }
    if (to) out.push('\uE000', to.start, to.end);
    else out.push(v.text[i], s, e);
  }
  return out.build(v.endOffset);
}

export interface DecodedEdit {
  /** Decoded range of arg.value to replace (from === to inserts). */
  from: number;
  to: number;
  replacement: string;
}

export interface ReencodeInput {
  fileText: string;
  arg: Arg;
  region: ShellRegion;
  /** Non-overlapping changes to the decoded value. */
  changes: DecodedEdit[];
}

/**
 * reencode returns the edit, or null when no edit can be proven right (a change replaces part of
 * an expansion, or the decoded value does not map onto the word).
 */
export function reencode(input: ReencodeInput): Edit | null {
  const { arg, fileText } = input;
  if (input.region.encoding === 'none') return null;
  const v = arg.sourceWord ? arg.value : asWritten(arg);
  if (!v) return null;
  const changes = [...input.changes].sort((x, y) => x.from - y.from);
  if (!changes.length) return null;
  for (let c = 0; c < changes.length; c++) {
    const { from, to } = changes[c];
    if (from < 0 || to > v.text.length || from > to) return null;
    if (c > 0 && from < changes[c - 1].to) return null;
    for (let i = from; i < to; i++) if (rawAt(v, i)) return null;
    // Inserting between two characters of one expansion would split it.
    if (from === to && from > 0 && from < v.text.length && rawAt(v, from) && startAt(v, from - 1) === startAt(v, from)) return null;
  }
  // An argument that is one assignment's whole value (`"$X"`) is rewritten where the value is written.
  const word = arg.sourceWord ?? arg.word;
  const parts = word.parts;
  if (parts.length === 0) return null;
  if (changes.length === 1) {
    const inPlace = editInPlace(v, parts, changes[0], input.region.encoding);
    if (inPlace) return inPlace;
  }
  if (v.text.length && (startAt(v, 0) < word.span.start || endAt(v, v.text.length - 1) > word.span.end)) return null;
  let fullyStatic = arg.static;
  for (let i = 0; fullyStatic && i < v.text.length; i++) if (rawAt(v, i)) fullyStatic = false;
  let first = 0;
  let last = parts.length - 1;
  if (!fullyStatic) {
    const lo = changes[0].from < v.text.length ? startAt(v, changes[0].from) : v.endOffset;
    const lastChange = changes[changes.length - 1];
    const hi = lastChange.to > lastChange.from ? endAt(v, lastChange.to - 1) : lastChange.to < v.text.length ? startAt(v, lastChange.to) : v.endOffset;
    first = parts.findIndex((p) => p.span.end > lo);
    if (first < 0) first = parts.length - 1;
    last = first;
    for (let k = first; k < parts.length; k++) if (parts[k].span.start < hi) last = k;
  }
  const span: Span = { start: parts[first].span.start, end: parts[last].span.end };
  // Decoded characters that lie inside the rewritten parts.
  let a = 0;
  while (a < v.text.length && startAt(v, a) < span.start) a++;
  let b = a;
  while (b < v.text.length && startAt(v, b) < span.end) b++;
  if (changes[0].from < a || changes[changes.length - 1].to > b) return null;
  const segments: Segment[] = [];
  const pushText = (t: string) => {
    const lastSeg = segments[segments.length - 1];
    if (lastSeg && !lastSeg.raw) lastSeg.text += t;
    else segments.push({ raw: false, text: t });
  };
  const copy = (i: number, j: number) => {
    let k = i;
    while (k < j) {
      if (rawAt(v, k)) {
        const s = startAt(v, k);
        const e = endAt(v, k);
        segments.push({ raw: true, source: fileText.slice(s, e) });
        while (k < j && startAt(v, k) === s && endAt(v, k) === e) k++;
      } else {
        // A run of plain characters at once: one diagnostic per field of a long word must not
        // cost a string concatenation per character.
        const from = k;
        while (k < j && !rawAt(v, k)) k++;
        pushText(v.text.slice(from, k));
      }
    }
  };
  let pos = a;
  for (const c of changes) {
    copy(pos, c.from);
    if (c.replacement) pushText(c.replacement);
    pos = c.to;
  }
  copy(pos, b);
  const newText = encodeUnquoted(segments, input.region.encoding);
  return { span, newText };
}
