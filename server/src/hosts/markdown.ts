/**
 * Markdown host: the shell examples of a documentation page. micromark (CommonMark) finds the
 * code blocks — fenced with ``` or ~~~, indented, inside lists and block quotes — and gives the
 * file offsets of each content line, so the container prefixes (`> `, list indentation) never
 * reach the shell and every character read maps to its exact place in the file.
 *
 * Which blocks are read, and how (docs/hosts.md, "Markdown"):
 * - tagged as a shell script (`bash`, `sh`, `shell`, `zsh`, …): every line is a command line; a
 *   leading `$ ` prompt is removed. When the first command line starts with a prompt the block
 *   is a session transcript and is read like `console`.
 * - tagged as a session (`console`, `shell-session`, …): a command starts after a prompt (`$ `,
 *   `% `, `user@host:~$ `, `root@host:/# `; a bare `# ` is a comment) and goes on while the shell
 *   would ask for more (a trailing `\`, an open quote, a here-document, a `> ` continuation
 *   prompt); every other line is output and is not read. Another shell's prompt (`PS C:\> `)
 *   ends a command and is not read. A block without any prompt is read as a script when its
 *   first command runs docker or buildx, and is otherwise output.
 * - untagged (or indented) blocks: read as above when their first command runs docker or buildx.
 * - anything else (Dockerfile, YAML, …), prose and inline code: never read; nor is a block that
 *   is a directory drawing (`|   +-- dir`, `├── file`) whatever its tag, nor the JSON a command
 *   without a prompt printed after it (`{` alone, then `"key": …`).
 * - a bats test's `@test "…" {` line is read from its `{`; an `# Or …` comment between commands
 *   starts an alternative with a scope of its own; a fence the author did not close is read as
 *   the blocks the author meant (unclosedParts).
 * `<placeholder>` words, `[words in brackets]`, `{WORD}`, `name:(tag)`, `%%TEMPLATE%%` tokens, `...`/`…` elisions, usage notation (`[key=value,...]`) and arguments in
 * capitals (`-t TAG`) stand for text the reader fills in: each becomes one DYNAMIC character
 * mapped to what is written, so it is unknown rather than wrong.
 */
import { parse, postprocess, preprocess } from 'micromark';

/** A micromark syntax extension: what `parse({ extensions })` takes. */
type Extension = NonNullable<NonNullable<Parameters<typeof parse>[0]>['extensions']>[number];
import { DYNAMIC, type MappedString, MappedStringBuilder, identity } from '../core/mapped-string';
import { type Dialect, type HostProblem, type HostResult, MAX_BLOCK_SIZE, type ShellRegion } from './region';

type BlockKind = 'script' | 'session' | 'untagged';

/** GitHub Linguist's names and aliases for Shell and ShellSession, and common synonyms. */
const SCRIPT_TAGS = new Map<string, Dialect>([
  ['bash', 'bash'],
  ['sh', 'sh'],
  ['shell', 'bash'],
  ['shell-script', 'bash'],
  ['zsh', 'bash'],
  ['ksh', 'bash'],
]);
const SESSION_TAGS = new Set(['console', 'shell-session', 'shellsession', 'sh-session', 'bash-session', 'terminal']);

interface Line {
  /** File offsets of the line's content inside the block (container prefixes excluded). */
  start: number;
  end: number;
  /** File range of the line ending that follows, or null for the last line of the file. */
  eol: { start: number; end: number } | null;
}

interface CodeBlock {
  info: string;
  /** 1-based line of the opening fence (or of the first line of an indented block). */
  line: number;
  /** File offsets where the block starts (its opening fence, or its first line) and ends (after its closing fence). */
  start: number;
  end: number;
  lines: Line[];
  /** Set when the block is longer than the block limit: its characters, its lines not read. */
  tooLarge?: number;
}

/** The language word of an info string: `bash title="x"`, `{.bash .numberLines}`, `sh{1,3}`. */
export function infoLanguage(info: string): string {
  const m = /^[{.\s]*([^\s{},:;[\]()=]*)/.exec(info.trim());
  return (m ? m[1] : '').replace(/^\./, '').toLowerCase();
}

function lineNumberAt(text: string, offset: number, cache: { offset: number; line: number }): number {
  let line = cache.line;
  for (let i = cache.offset; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  cache.offset = offset;
  cache.line = line;
  return line;
}

/**
 * The size of text micromark is given at once. Its events (about twenty per code block, each a
 * token with two points) are kept whole until the end of what it parses, and its resolvers splice
 * those lists: one parse of a 1.4 MB page of tiny fences took 1.4 GB and grew faster than the page.
 * Parsed a piece at a time, the events of one piece are dropped before the next is read.
 */
export const MARKDOWN_PIECE = 8192;

/**
 * A line that may close a fence, inside block quotes and list items too. A line where a block
 * could continue is never a place to cut; this one is only a candidate, which the parse confirms.
 */
const CLOSING_FENCE_LINE = /^[ \t>]*(?:`{3,}|~{3,})[ \t]*\r?$/;
const BLANK_LINE = /^[ \t]*\r?$/;
/**
 * First characters of a line that a paragraph before it changes: indentation (continuation text),
 * a setext underline (`---`, `===`), list items that may not interrupt a paragraph (empty, or
 * ordered from another number than 1), HTML blocks of the seventh kind, link definitions; and `>`
 * and `*`, `+`, `_` with them, which need no finer reading.
 */
const NOT_PARAGRAPH_START = /[\s>\-+*_=0-9<[]/;
/** A fence's first line: the line after it is the fence's, never a paragraph's. */
const FENCE_OPENING = /^(?:`{3}|~{3})/;

/**
 * The first place at or after `from` where the page may be cut: the start of a line that follows
 * a blank line and does not start with a blank (no container's content and no indented code goes
 * on there), that follows a line that may close a fence and is not blank itself, or that follows
 * a line of text and starts with a character that either starts nothing but text or starts a block
 * that may interrupt a paragraph (a fence, a heading): after a paragraph at the top level such a
 * line reads as it would at the start of a page. `text.length` when there is none.
 */
type CutKind = 'blank' | 'fence' | 'paragraph';

function cutCandidate(text: string, from: number): { at: number; after: CutKind } {
  if (from >= text.length) return { at: text.length, after: 'blank' };
  let prev = from === 0 ? 0 : text.lastIndexOf('\n', from - 1) + 1;
  for (;;) {
    const nl = text.indexOf('\n', prev);
    if (nl < 0 || nl + 1 >= text.length) return { at: text.length, after: 'blank' };
    const at = nl + 1;
    if (at >= from) {
      const c = text.charCodeAt(at);
      const line = text.slice(prev, nl);
      const blank = BLANK_LINE.test(line);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && blank) return { at, after: 'blank' };
      if (CLOSING_FENCE_LINE.test(line)) {
        const next = text.indexOf('\n', at);
        if (!BLANK_LINE.test(text.slice(at, next < 0 ? text.length : next))) return { at, after: 'fence' };
      } else if (!blank && !NOT_PARAGRAPH_START.test(text[at]) && !NOT_PARAGRAPH_START.test(line[0]) && !FENCE_OPENING.test(line)) return { at, after: 'paragraph' };
    }
    prev = at;
  }
}

/**
 * Whether the line at `at`, read after a fence closed inside `containers` (outermost first), starts
 * afresh: each block quote it continues takes its `>` and one space as a new quote would, and the
 * first list item left open must end there (the rest of the line starts with no blank, so it is
 * indented less than the item's content). A list item that went on would read the line as its own.
 */
function startsAfresh(text: string, at: number, containers: readonly string[]): boolean {
  let i = at;
  for (const c of containers) {
    if (c !== 'blockQuote') {
      const ch = text.charCodeAt(i);
      return ch !== 32 && ch !== 9;
    }
    let k = i;
    while (k < i + 3 && text.charCodeAt(k) === 32) k++;
    // A line that no longer continues this quote closes it and all it holds.
    if (text.charCodeAt(k) !== 62) return text.charCodeAt(i) !== 9;
    i = k + 1;
    if (text.charCodeAt(i) === 9) return false;
    if (text.charCodeAt(i) === 32) i++;
  }
  return true;
}

/**
 * The inline constructs of CommonMark (emphasis, links, code spans, raw HTML, autolinks, escapes,
 * entities, hard breaks), turned off. The host reads only flow structure: code blocks, the
 * containers around them, where a paragraph or an HTML block ends. Inline constructs never change
 * that structure (CommonMark 0.31.2, section 3.2: block structure is found first, inline content
 * is parsed afterwards from the paragraphs and headings it leaves), and their resolvers are what
 * costs most on a page of table rows or stray backticks. A fence's info string is read from the
 * file as written, so the escapes of its string content need not be parsed either.
 */
export const FLOW_ONLY: Extension = {
  disable: { null: ['attention', 'autolink', 'characterEscape', 'characterReference', 'codeText', 'hardBreakEscape', 'htmlText', 'labelEnd', 'labelStartImage', 'labelStartLink'] },
};

type Tokenizer = ReturnType<ReturnType<typeof parse>['flow']>;

/**
 * A flow or content tokenizer whose text and string chunks (a paragraph's lines, a heading's
 * text, an info string) are left as they are once it has read its last chunk: postprocess would
 * give each its own tokenizer, only to find the inline constructs FLOW_ONLY turns off. The flow
 * structure is complete before (CommonMark 0.31.2, section 3.2), so the events read here are the
 * same; the differential tests compare them with a parse with every construct on.
 */
function flowLevel(t: Tokenizer): Tokenizer {
  const write = t.write;
  t.write = (slice) => {
    const events = write(slice);
    if (slice.length && slice[slice.length - 1] === null) {
      for (const e of t.events) if (e[1].contentType === 'text' || e[1].contentType === 'string') e[1].contentType = undefined;
    }
    return events;
  };
  return t;
}

/** Characters of the file micromark reads as spaces: the content of a fence past the block limit. */
interface Blanked {
  start: number;
  end: number;
}

function piece(
  text: string,
  from: number,
  to: number,
  after: CutKind,
  lineCache: { offset: number; line: number },
  blanked: readonly Blanked[] = [],
  constructs: Extension = FLOW_ONLY,
): { blocks: CodeBlock[]; holds: boolean; runsTo: number; fenceAt: number } {
  // micromark drops a byte order mark and counts offsets from after it.
  const bom = from === 0 && text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const shift = from + bom;
  let source = text.slice(shift, to);
  if (blanked.length) {
    // Spaces on one line: a fence's content micromark need not split into lines and events.
    const parts: string[] = [];
    let at = shift;
    for (const b of blanked) {
      if (b.end <= at || b.start >= to) continue;
      const start = Math.max(b.start, at);
      const end = Math.min(b.end, to);
      parts.push(text.slice(at, start), ' '.repeat(end - start));
      at = end;
    }
    parts.push(text.slice(at, to));
    source = parts.join('');
  }
  const parser = parse({ extensions: [constructs] });
  if (constructs === FLOW_ONLY) {
    const { flow, content } = parser;
    parser.flow = (start) => flowLevel(flow(start));
    parser.content = (start) => flowLevel(content(start));
  }
  const events = postprocess(parser.document().write(preprocess()(source, undefined, true)));
  const lastLine = to >= text.length ? to : text.lastIndexOf('\n', to - 2) + 1;
  const lastLineEnd = text.charCodeAt(to - 2) === 13 ? to - 2 : to - 1;
  let holds = true;
  let lastFenceClosed = false;
  /** Where a fence left open at the top level ends: no cut before it can hold. */
  let runsTo = -1;
  /** Where that fence starts. */
  let fenceAt = -1;
  let fenceSequence = '';
  let paragraphAtTop = false;
  const open: string[] = [];
  let fenceContainers: string[] = [];
  const blocks: CodeBlock[] = [];
  let cur: CodeBlock | null = null;
  let fenced = false;
  let fences = 0;
  let pending: Line | null = null;
  let sawContent = false;
  const eolAt = (offset: number): { start: number; end: number } => {
    const s = offset + shift;
    return { start: s, end: text.charCodeAt(s) === 13 && text.charCodeAt(s + 1) === 10 ? s + 2 : s + 1 };
  };
  for (const [kind, token] of events) {
    const type = token.type as string;
    if (type === 'blockQuote' || type === 'listOrdered' || type === 'listUnordered') {
      if (kind === 'enter') open.push(type);
      else open.pop();
      continue;
    }
    if (type === 'htmlFlow' && kind === 'exit' && token.end.offset + shift > lastLine) holds = false;
    if (type === 'paragraph' && kind === 'exit' && token.end.offset + shift === lastLineEnd) paragraphAtTop = open.length === 0;
    if (kind === 'enter' && (type === 'codeFenced' || type === 'codeIndented')) {
      const at = token.start.offset + shift;
      cur = { info: '', line: lineNumberAt(text, at, lineCache), start: at, end: at, lines: [] };
      fenced = type === 'codeFenced';
      fences = 0;
      fenceContainers = open.slice();
      fenceSequence = '';
      pending = null;
      sawContent = !fenced;
      continue;
    }
    if (!cur) continue;
    if (kind === 'exit' && (type === 'codeFenced' || type === 'codeIndented')) {
      cur.end = token.end.offset + shift;
      if (fenced) {
        const end = token.end.offset + shift;
        lastFenceClosed = fences === 2 && end === lastLineEnd && startsAfresh(text, to, fenceContainers);
        if (end > lastLine && !lastFenceClosed) {
          holds = false;
          if (fences === 1 && fenceContainers.length === 0 && fenceSequence) {
            runsTo = closingFenceAfter(text, to, fenceSequence);
            fenceAt = cur.start;
          }
        }
      }
      if (pending) cur.lines.push(pending);
      blocks.push(cur);
      cur = null;
      continue;
    }
    if (kind !== 'enter') continue;
    if (type === 'codeFencedFenceSequence' && fences === 1) fenceSequence = text.slice(token.start.offset + shift, token.end.offset + shift);
    if (type === 'codeFencedFence') {
      fences++;
      if (fences === 2 && pending) {
        cur.lines.push(pending);
        pending = null;
      }
    } else if (type === 'codeFencedFenceInfo' || type === 'codeFencedFenceMeta') {
      const s = text.slice(token.start.offset + shift, token.end.offset + shift);
      cur.info = cur.info ? `${cur.info} ${s}` : s;
    } else if (type === 'codeFlowValue') {
      const s = token.start.offset + shift;
      const e = token.end.offset + shift;
      if (pending && pending.end === pending.start && pending.eol === null) {
        pending.start = s;
        pending.end = e;
      } else if (pending && pending.eol === null) pending.end = e;
      else pending = { start: s, end: e, eol: null };
    } else if (type === 'lineEnding' && fences < 2) {
      // The line ending after the opening fence ends the fence, not a content line.
      if (!sawContent) {
        sawContent = true;
        continue;
      }
      const eol = eolAt(token.start.offset);
      if (!pending || pending.eol) pending = { start: eol.start, end: eol.start, eol: null };
      pending.eol = eol;
      cur.lines.push(pending);
      pending = null;
    }
  }
  if (after === 'fence' && !lastFenceClosed) holds = false;
  if (after === 'paragraph' && !paragraphAtTop) holds = false;
  return { blocks, holds, runsTo, fenceAt };
}

/**
 * The end of the line that closes a top-level fence opened with `sequence`, looking from `from`
 * (CommonMark: up to three spaces, the same character at least as many times, then blanks only);
 * the end of the text when no line does.
 */
function closingFenceAfter(text: string, from: number, sequence: string): number {
  const closer = new RegExp(`^ {0,3}${sequence[0] === '`' ? '`' : '~'}{${sequence.length},}[ \\t]*\\r?$`);
  for (let s = from; s < text.length; ) {
    let e = text.indexOf('\n', s);
    if (e < 0) e = text.length;
    if (closer.test(text.slice(s, e))) return Math.min(e + 1, text.length);
    s = e + 1;
  }
  return text.length;
}

/**
 * The tag names of CommonMark's HTML blocks of the sixth kind, which end at a blank line
 * (CommonMark 0.31.2, section 4.6, start condition 6).
 */
const HTML_BLOCK_NAMES =
  'address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul';
const HTML_BLOCK_START = new RegExp(`^</?(?:${HTML_BLOCK_NAMES})(?:[ \\t>]|/>|$)`, 'i');
/** Start condition 1 (raw text: `<pre`, `<script`, `<style`, `<textarea`) and its end condition. */
const HTML_RAW_START = /^<(?:pre|script|style|textarea)(?:[ \t>]|$)/i;
const HTML_RAW_END = /<\/(?:pre|script|style|textarea)>/i;
/** An ordered list item's marker at the start of a line: never read as text here. */
const ORDERED_MARKER = /^[0-9]{1,9}[.)]/;
/** A fence's info string: its first word (micromark's info) and the rest of the line (its meta). */
const FENCE_INFO = /^[ \t]*([^ \t]*)(?:[ \t]+(.*))?$/;

enum Scan {
  /** Nothing open: the next line starts a block as at the start of a page. */
  None,
  /** A paragraph at the top level. */
  Paragraph,
  /** A fence opened at the first column. */
  Fence,
  /** An HTML block of the first kind, open until its closing tag. */
  HtmlRaw,
  /** An HTML block of the sixth kind, open until a blank line. */
  HtmlBlock,
}

/**
 * The flow code blocks of a page made only of top-level lines whose block structure needs no
 * container: blank lines, fences opened at the first column, HTML blocks of the first and sixth
 * kinds, and paragraph lines that start with a character no block starts with. Read line by line,
 * with nothing kept but the blocks `keep` accepts. At the first other line (indentation, a block
 * quote, a list item, a heading, a thematic break, a link definition, any other HTML) it stops,
 * and gives back the last line start where a parse from there reads what a parse from `from`
 * does: one where nothing is open, or where a paragraph is open and the line goes on with it or
 * interrupts it alike, a paragraph line of its own, a fence or an HTML block, or a blank line.
 * micromark reads on from there. A page with a carriage return or a byte order mark is left to
 * micromark whole (their line endings and offsets are its own).
 */
function plainBlocks(text: string, from: number, lineCache: { offset: number; line: number }, keep: (block: CodeBlock) => boolean, maxBlockSize: number, out: CodeBlock[]): number {
  let line = lineNumberAt(text, from, lineCache);
  let state = Scan.None;
  let cur: CodeBlock | null = null;
  let fenceChar = 0;
  let fenceLength = 0;
  let clean = from;
  let cleanLine = line;
  let kept = out.length;
  const close = (block: CodeBlock) => {
    if (block.end - block.start > maxBlockSize) block.tooLarge = block.end - block.start;
    if (keep(block)) out.push(block);
  };
  let pos = from;
  for (; pos < text.length; line++) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    const next = nl < 0 ? text.length : nl + 1;
    if (state === Scan.Fence) {
      const block = cur as CodeBlock;
      if (isClosingFence(text, pos, end, fenceChar, fenceLength)) {
        block.end = end;
        close(block);
        cur = null;
        state = Scan.None;
      } else if (block.lines.length === 0 || pos - block.start <= maxBlockSize) block.lines.push({ start: pos, end, eol: nl < 0 ? null : { start: nl, end: nl + 1 } });
      pos = next;
      continue;
    }
    if (state === Scan.HtmlRaw) {
      if (HTML_RAW_END.test(text.slice(pos, end))) state = Scan.None;
      pos = next;
      continue;
    }
    let blank = true;
    for (let i = pos; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 9) {
        blank = false;
        break;
      }
    }
    if (state === Scan.HtmlBlock) {
      if (blank) state = Scan.None;
      pos = next;
      continue;
    }
    if (blank) {
      clean = pos;
      cleanLine = line;
      kept = out.length;
      state = Scan.None;
      pos = next;
      continue;
    }
    if (state === Scan.None) {
      clean = pos;
      cleanLine = line;
      kept = out.length;
    }
    const c = text.charCodeAt(pos);
    let kind: Scan;
    if (c === 96 || c === 126) {
      let n = 1;
      while (pos + n < end && text.charCodeAt(pos + n) === c) n++;
      if (n < 3) kind = Scan.Paragraph;
      else if (c === 96 && text.indexOf('`', pos + n) >= 0 && text.indexOf('`', pos + n) < end) break;
      else {
        kind = Scan.Fence;
        fenceChar = c;
        fenceLength = n;
      }
    } else if (c === 60) {
      const s = text.slice(pos, Math.min(end, pos + 16));
      if (HTML_RAW_START.test(s)) kind = Scan.HtmlRaw;
      else if (HTML_BLOCK_START.test(s)) kind = Scan.HtmlBlock;
      else break;
    } else if (c <= 32 || c === 35 || c === 62 || c === 42 || c === 43 || c === 45 || c === 95 || c === 61 || c === 91) break;
    else if (c >= 48 && c <= 57 && ORDERED_MARKER.test(text.slice(pos, pos + 11))) break;
    else kind = Scan.Paragraph;
    // Nothing open, or a paragraph this line goes on with or interrupts: a parse may start here.
    clean = pos;
    cleanLine = line;
    kept = out.length;
    if (kind === Scan.Fence) {
      const m = FENCE_INFO.exec(text.slice(pos + fenceLength, end)) as RegExpExecArray;
      cur = { info: m[2] ? `${m[1]} ${m[2]}` : m[1], line, start: pos, end: text.length, lines: [] };
    } else if (kind === Scan.HtmlRaw && HTML_RAW_END.test(text.slice(pos + 1, end))) kind = Scan.None;
    state = kind;
    pos = next;
  }
  if (pos >= text.length) {
    // The end of the page ends what is open: a fence left open runs to it.
    if (cur) close(cur);
    clean = text.length;
    cleanLine = line;
    kept = out.length;
  }
  out.length = kept;
  lineCache.offset = clean;
  lineCache.line = cleanLine;
  return clean;
}

/** A bullet list item's first line at the first column, its marker followed by one space and text. */
const BULLET_ITEM = /^[-*+] [^ \t]/;
/**
 * A tab among the indentation and container markers a line of a container's content starts
 * with: it stands for spaces up to a column of the page, which the content taken out of it does
 * not keep, so such a line is left to micromark.
 */
const TAB_IN_PREFIX = /^[ >*+\-0-9.)]*\t/;
const THEMATIC_BREAK = /^ {0,3}([-*_])[ \t]*(?:\1[ \t]*){2,}$/;

/**
 * The content of a container, taken out of the page: its lines without the container's prefix,
 * and where each of them starts in the page.
 */
interface Content {
  text: string;
  /** For each line of `text`: where it starts there, and where in the page. */
  starts: number[];
  pageStarts: number[];
}

/**
 * The code blocks of a run of top-level lines that are one block quote or one bullet list, read
 * as CommonMark defines these containers (0.31.2, sections 5.1 and 5.2): the blocks a quote holds
 * are those of its lines without their `>` and one space; those of a list item are those of its
 * first line without the marker and its other lines without the item's indentation. Only the
 * plain shapes are taken: every line of a quote starts with `>` at the first column (so no line
 * is a lazy continuation) and is followed by a blank line or the end of the page; a list is of
 * items whose marker is followed by one space and text, whose other lines are blank or indented
 * by two spaces, and it ends at the end of the page or at a line at the first column after a
 * blank line. Every block must be a fence closed by its own closing line: a block that a
 * container's end closes is left to micromark, like everything else here that is not plain.
 * Null when the run is not one of these.
 */
function containerRun(text: string, from: number, pieceSize: number): { blocks: CodeBlock[]; end: number } | null {
  const c = text.charCodeAt(from);
  if (c === 62) {
    const content: Content = { text: '', starts: [], pageStarts: [] };
    const parts: string[] = [];
    let pos = from;
    let length = 0;
    while (pos < text.length && text.charCodeAt(pos) === 62) {
      const nl = text.indexOf('\n', pos);
      const end = nl < 0 ? text.length : nl;
      let start = pos + 1;
      if (text.charCodeAt(start) === 9) return null;
      if (text.charCodeAt(start) === 32) start++;
      const part = text.slice(start, end);
      if (TAB_IN_PREFIX.test(part)) return null;
      content.starts.push(length);
      content.pageStarts.push(start);
      parts.push(part);
      length += end - start + 1;
      pos = nl < 0 ? text.length : nl + 1;
    }
    // A line after the quote that is not blank may go on with a paragraph in it.
    if (pos < text.length && !BLANK_LINE.test(text.slice(pos, text.indexOf('\n', pos) < 0 ? text.length : text.indexOf('\n', pos)))) return null;
    content.text = parts.join('\n') + (text.charCodeAt(pos - 1) === 10 ? '\n' : '');
    const blocks = containedBlocks(content, pieceSize);
    return blocks && { blocks, end: pos };
  }
  if (!BULLET_ITEM.test(text.slice(from, from + 3))) return null;
  const blocks: CodeBlock[] = [];
  let pos = from;
  let line = 0;
  let afterBlank = false;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    let end = nl < 0 ? text.length : nl;
    let first = text.slice(pos, end);
    if (!BULLET_ITEM.test(first)) {
      if (afterBlank) break;
      return null;
    }
    if (THEMATIC_BREAK.test(first)) return null;
    if (TAB_IN_PREFIX.test(first.slice(2))) return null;
    const content: Content = { text: '', starts: [0], pageStarts: [pos + 2] };
    const parts: string[] = [first.slice(2)];
    let length = end - pos - 1;
    const itemLine = line;
    pos = nl < 0 ? text.length : nl + 1;
    line++;
    afterBlank = false;
    while (pos < text.length) {
      nl = text.indexOf('\n', pos);
      end = nl < 0 ? text.length : nl;
      first = text.slice(pos, end);
      const blank = BLANK_LINE.test(first);
      let start = pos;
      if (blank) start = end;
      else if (first.startsWith('  ')) start = pos + 2;
      else break;
      const part = text.slice(start, end);
      if (TAB_IN_PREFIX.test(part)) return null;
      content.starts.push(length);
      content.pageStarts.push(start);
      parts.push(part);
      length += end - start + 1;
      afterBlank = blank;
      pos = nl < 0 ? text.length : nl + 1;
      line++;
    }
    content.text = parts.join('\n') + (text.charCodeAt(pos - 1) === 10 ? '\n' : '');
    const inner = containedBlocks(content, pieceSize);
    if (!inner) return null;
    for (const b of inner) {
      b.line += itemLine;
      blocks.push(b);
    }
  }
  return { blocks, end: pos };
}

/**
 * Blocks already found to end inside the container that holds them: those of a container in
 * another are checked there, where their closing fence starts a line.
 */
const endsInside = new WeakSet<CodeBlock>();

/**
 * The blocks of a container's content, in page offsets and with lines counted from the
 * container's first line; null when one of them is not closed by its own fence.
 */
function containedBlocks(content: Content, pieceSize: number): CodeBlock[] | null {
  const { text, starts, pageStarts } = content;
  const inner = codeBlocks(text, pieceSize, undefined, Number.POSITIVE_INFINITY);
  let k = 0;
  const at = (offset: number): number => {
    while (k > 0 && starts[k] > offset) k--;
    while (k + 1 < starts.length && starts[k + 1] <= offset) k++;
    return offset - starts[k] + pageStarts[k];
  };
  for (const b of inner) {
    // Only a fence its own closing line ends is where it is whatever holds it; a block that a
    // container's end closes (this one's or one inside it) ends where micromark's reading of that
    // container says.
    if (!endsInside.has(b) && !closedFence(text, b)) return null;
    endsInside.add(b);
    b.start = at(b.start);
    for (const l of b.lines) {
      l.start = at(l.start);
      l.end = at(l.end);
      if (l.eol) {
        const s = at(l.eol.start);
        l.eol = { start: s, end: s + 1 };
      }
    }
    b.end = at(b.end);
  }
  return inner;
}

/** Whether a block ends with a fence that closes it: the line its end is on, not its first one. */
function closedFence(text: string, b: CodeBlock): boolean {
  const c = text.charCodeAt(b.start);
  if (c !== 96 && c !== 126) return false;
  let n = 0;
  while (text.charCodeAt(b.start + n) === c) n++;
  const lineStart = text.lastIndexOf('\n', b.end - 1) + 1;
  if (lineStart <= b.start) return false;
  const lineEnd = text.indexOf('\n', lineStart);
  if (b.end !== (lineEnd < 0 ? text.length : lineEnd)) return false;
  return isClosingFence(text, lineStart, b.end, c, n);
}

/** Whether the line from `pos` to `end` closes a fence of `length` characters `char`: up to three spaces, the run, blanks. */
function isClosingFence(text: string, pos: number, end: number, char: number, length: number): boolean {
  let i = pos;
  while (i < end && i < pos + 3 && text.charCodeAt(i) === 32) i++;
  const runStart = i;
  while (i < end && text.charCodeAt(i) === char) i++;
  if (i - runStart < length) return false;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * codeBlocks lists the flow code blocks of a document with the file offsets of their lines. Lines
 * that need no container are read by plainBlocks, plain block quotes and lists by containerRun;
 * the rest of the page is parsed by micromark in pieces of about MARKDOWN_PIECE characters, each
 * cut where a whole parse would start afresh (piece checks it); where a block runs on past the
 * cut (a fence left open, an HTML block holding blank lines), the piece is parsed again twice as
 * long, so a page that never allows a cut costs at most about twice one whole parse.
 */
export function codeBlocks(
  text: string,
  pieceSize = MARKDOWN_PIECE,
  keep: (block: CodeBlock) => boolean = () => true,
  maxBlockSize = MAX_BLOCK_SIZE,
  constructs: Extension = FLOW_ONLY,
  plain = constructs === FLOW_ONLY,
): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lineCache = { offset: 0, line: 1 };
  /** The content of top-level fences past the limit, found while cutting: read as spaces. */
  const blanked: (Blanked & { fenceAt: number })[] = [];
  let from = 0;
  let size = pieceSize;
  // Lines that need no container are read without micromark: see plainBlocks.
  const scan = plain && text.indexOf('\r') < 0 && text.charCodeAt(0) !== 0xfeff;
  while (from < text.length) {
    if (scan && size === pieceSize) {
      const at = plainBlocks(text, from, lineCache, keep, maxBlockSize, blocks);
      if (at > from) {
        from = at;
        continue;
      }
      const run = containerRun(text, from, pieceSize);
      if (run) {
        const line = lineNumberAt(text, from, lineCache);
        for (const b of run.blocks) {
          b.line += line - 1;
          if (b.end - b.start > maxBlockSize) b.tooLarge = b.end - b.start;
          if (keep(b)) blocks.push(b);
        }
        from = run.end;
        continue;
      }
    }
    const cut = cutCandidate(text, from + size);
    const cache = { ...lineCache };
    const r = piece(text, from, cut.at, cut.after, cache, blanked, constructs);
    if (!r.holds && cut.at < text.length) {
      // A fence left open at the top level says where it ends; anything else, twice as far.
      if (r.runsTo > cut.at) {
        size = r.runsTo - from;
        if (r.runsTo - r.fenceAt > maxBlockSize && !blanked.some((b) => b.fenceAt === r.fenceAt)) blanked.push(fenceContent(text, r.fenceAt, r.runsTo));
      } else size *= 2;
      continue;
    }
    for (const b of r.blocks) {
      // A block read whole (inside a container, where no cut says where it ends) is measured after.
      if (b.end - b.start > maxBlockSize) b.tooLarge = b.end - b.start;
      if (keep(b)) blocks.push(b);
    }
    lineCache.offset = cache.offset;
    lineCache.line = cache.line;
    from = cut.at;
    size = pieceSize;
  }
  return blocks;
}

/** The content of a top-level fence opened at `fenceAt` and ending at `runsTo`: its lines between the fences. */
function fenceContent(text: string, fenceAt: number, runsTo: number): Blanked & { fenceAt: number } {
  const open = text.indexOf('\n', fenceAt);
  const start = open < 0 ? runsTo : open + 1;
  // The closing fence's line, when there is one, stays: it ends the block.
  let end = runsTo;
  if (end > start && text.charCodeAt(end - 1) === 10) {
    const lineStart = text.lastIndexOf('\n', end - 2) + 1;
    if (CLOSING_FENCE_LINE.test(text.slice(lineStart, end - 1))) end = lineStart;
  }
  // The last line break of the content stays, so the closing fence still starts a line.
  if (end > start && end < runsTo) end--;
  return { start, end: Math.max(start, end), fenceAt };
}

const ELISION = /^(?:\.\.\.|…|\[(?:\.\.\.|…)\])$/;
/**
 * `docker build / push / pull / tag`: subcommands listed as alternatives in a page's notes, one
 * word between each lone slash. A context of `/` is one word; two slashes between words never
 * make a command anyone runs.
 */
const ALTERNATIVES = /^\S+(?:[ \t]+[a-z][\w-]*[ \t]+\/){2,}[ \t]+[a-z][\w-]*$/;
/** `<builder-name>`, `<NAME>`, `<your value>`: never `<<`, `<(`, `< file` or `<&3`. */
const PLACEHOLDER = /(?<![<\w$])<(?:[\p{L}_{][^<>\n"'`]{0,80}?(?<=\S)|\.\.\.|…)>(?!>)/gu;
/**
 * `[your registry]`, `[YOUR IMAGE NAME]`: words in brackets with spaces between them. Never a
 * test (`[ -f x ]` starts with a space, `[[ … ]]` doubles the bracket) nor a glob (`[abc]`).
 */
const BRACKET_PHRASE = /(?<![[\w$])\[[A-Za-z][\w.-]*(?: [\w.:-]+)+\](?!\])/g;
/**
 * `[test-name]`, `[image_tag]`: one bracketed word of hyphen- or underscore-joined parts of two
 * letters or more, standing alone. A glob's class is a set of characters (`[a-z]`, `[0-9]`), not
 * words, so no one writes it this way.
 */
const BRACKET_WORD = /(?<=^|[\s=])\[[A-Za-z][A-Za-z0-9]+(?:[-_][A-Za-z0-9]{2,})+\](?=$|\s)/g;
/**
 * `[选项]`, `[オプション]`: a bracketed word in a script without ASCII letters, the usage notation of
 * docs written in Chinese or Japanese. A glob class would list those characters one by one to
 * match a one-character name, which no example does.
 */
const NATIVE_BRACKET_WORD = /(?<=^|[\s=])\[(?=[^\]\s]*[^\x00-\x7f])[\p{L}\p{N}_-]{2,}\](?=$|\s)/gu;
/**
 * `{MY-REGISTRY}`, `{image}`, `{Image repository address}`: words in braces. The shell leaves it as written (brace expansion
 * needs a comma or `..`); never `${VAR}`, a Go template's `{{.Name}}` or find's `{}`.
 */
const BRACE_WORD = /(?<![$\w{])\{[A-Za-z][\w-]*(?: [\w.:-]+)*\}(?!\})/g;
const ELISION_WORD = /(?<=^|[\s=])(?:\.\.\.|…|\[(?:\.\.\.|…)\])(?=$|\s)/g;
/**
 * `myimage:(tag)`, `registry/(image)`: a word in parentheses glued to a reference after `:` or `/`.
 * bash cannot run it (`(` right after a word is a syntax error), so the page means a value to fill
 * in; never `$(…)`, `<(…)`, an extglob `@(…)` or an array `a=(…)`, which follow other characters.
 */
const PAREN_WORD = /(?<=[\w.)-][:/])\([A-Za-z][\w.-]*\)(?=$|[\s/:@"'])/g;
/**
 * A token a docs generator substitutes before anyone reads the page: `%%IMAGE%%` (docker-library's
 * docs templates, filled by its update.sh), `@VERSION@` (autoconf and CMake configure_file), and an
 * unquoted Go or Jinja template action (`-t {{.ServerName}}:latest` in a page a generator renders
 * from a template). The shell would keep it as written; the reader never sees it. A `--format`
 * or `-f` value is Docker's own Go template, left as written.
 */
const TEMPLATE_TOKEN = /%%[A-Za-z][\w.-]*%%|(?<![\w@])@[A-Z][A-Z0-9_]*@(?![\w@])|(?<!(?:format|-f)[= ])(?<=^|[\s=/:@])\{\{[^{}\n'"]{1,80}\}\}/g;
/** Usage notation for optional parts: `[key=value,...]`, `[,mode=max]`, `[PATH|URL|-]`. */
const OPTIONAL_PART = /\[[^[\]\s]*[=,.:|…][^[\]\s]*\]/g;
/**
 * The first path part after a registry host, written in capitals: `ghcr.io/YOUR_GH_USERNAME/app`,
 * `gcr.io/MY-PROJECT/app`. No repository name may hold a capital, so it is the reader's to fill
 * in; a mixed-case part (`ghcr.io/Team/app`) is still read and reported.
 */
const REGISTRY_OWNER_WORD = /(?<=(?:^|[\s="'])[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?\/)[A-Z][A-Z0-9_-]*[A-Z0-9](?=[/:@\s"']|$)/g;
/** Optional flags in usage notation: `[--tag jpetazzo/hello --push]`. Never a test: `[ -f x ]`. */
const OPTIONAL_FLAGS = /(?<![[\w$])\[--?[A-Za-z][^[\]\n]*\](?!\])/g;
/**
 * An argument written in capitals (`-t TAG`, `--name=NAME`, `[OPTIONS]`) is a placeholder too.
 * Never the first word of a line nor the word after `<<`, so a here-document's `EOF` stays what it is.
 */
const UPPER_WORD = /(?<!<<-?[ \t]*)(?<=\S[ \t]+|\S[ \t]+--?[a-z][a-z-]*=)(?:[A-Z][A-Z0-9_]*[A-Z0-9]|\[[A-Z][A-Z0-9_]*\])(?=$|[ \t])/g;

const PROMPT_OWNER = '(?:\\([^()\\s]{1,40}\\)[ \\t]*)?(?:\\[[^\\]\\n]{1,80}\\][ \\t]*|[\\w.-]+@[\\w.-]+(?::\\S*?)?[ \\t]*|~\\S*?[ \\t]*)?';
/** A `$`/`%` prompt (`$>` too), optionally after `(venv) `, `[user@host dir]`, `user@host:~/dir`, `~/dir`. */
const USER_PROMPT = new RegExp(`^[ \\t]*${PROMPT_OWNER}[$%]>?(?:[ \\t]|$)`);
/** A root prompt with its owner (`root@host:/# `, `[root@host /]# `): never a comment. */
const OWNED_ROOT_PROMPT = /^[ \t]*(?:\([^()\s]{1,40}\)[ \t]*)?(?:\[[^\]\n]{1,80}\]|[\w.-]+@[\w.-]+(?::\S*?)?)[ \t]*#(?:[ \t]|$)/;
/**
 * A prompt that names its place in brackets and ends in `>` (`[Captains-Bay]🚩 >  `): a shell line
 * never starts with a bracketed word and a redirection.
 */
const BRACKET_ARROW_PROMPT = /^[ \t]*\[[^\]\s][^\]\n]{0,79}\][^\s\w<>]{0,4}[ \t]*>[ \t]+/;
const CONTINUATION_PROMPT = /^[ \t]*>[ \t]?/;
/**
 * The prompt of another shell in a transcript: PowerShell (`PS C:\src> `, `PS /home/me> `) or
 * cmd.exe (`C:\src> `). Its command is not a POSIX shell's, so it is not read, but it ends the
 * command before it and marks the block as a transcript.
 */
const FOREIGN_PROMPT = /^[ \t]*(?:PS [^\n>]{1,200}|[A-Za-z]:\\[^\n>]{0,200})>(?:[ \t]|$)/;
const DOLLAR_PREFIX = /^[ \t]*\$[ \t]/;

/** Shell lexical state carried across the lines of one command. */
interface ScanState {
  quote: '' | "'" | '"';
  heredocs: { delim: string; strip: boolean }[];
  inHeredoc: { delim: string; strip: boolean } | null;
  /**
   * Compound commands still open (`for …; do` before its `done`, `if` before `fi`): bash reads
   * the next line to finish them, as the `> ` it prints for `$ for x in a b;` shows.
   */
  open: number;
}

const newScan = (): ScanState => ({ quote: '', heredocs: [], inHeredoc: null, open: 0 });
/** Reserved words that open or close a compound command, and those after which a command starts. */
const OPENERS = new Set(['for', 'while', 'until', 'select', 'if', 'case']);
const CLOSERS = new Set(['done', 'fi', 'esac']);
const LEADERS = new Set(['do', 'then', 'else', 'elif', '!', '{', 'time']);

/** scanLine reports whether the shell would read another line to finish this command. */
function scanLine(line: string, st: ScanState): boolean {
  if (st.inHeredoc) {
    const body = st.inHeredoc.strip ? line.replace(/^\t+/, '') : line;
    if (body === st.inHeredoc.delim) st.inHeredoc = st.heredocs.shift() ?? null;
    return st.inHeredoc !== null;
  }
  let last = '';
  // Whether the next word is in command position, where reserved words count.
  let commandPosition = true;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (!st.quote && !/[\s;&|()]/.test(c) && (i === 0 || /[\s;&|()]/.test(line[i - 1]))) {
      const word = /^(?:[a-z]+|!|\{)(?=$|[\s;&|()])/.exec(line.slice(i, i + 8))?.[0];
      if (commandPosition && word !== undefined) {
        if (OPENERS.has(word)) st.open++;
        else if (CLOSERS.has(word) && st.open > 0) st.open--;
      }
      commandPosition = commandPosition && word !== undefined && LEADERS.has(word);
    }
    if (!st.quote && (c === ';' || c === '&' || c === '|' || c === '(' || c === ')')) commandPosition = true;
    if (st.quote === "'") {
      if (c === "'") st.quote = '';
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= line.length) return true;
      i++;
      last = 'x';
      continue;
    }
    if (st.quote === '"') {
      if (c === '"') st.quote = '';
      continue;
    }
    if (c === "'" || c === '"') {
      st.quote = c;
      last = 'x';
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) break;
    if (c === '<' && line[i + 1] === '<' && line[i + 2] !== '<') {
      const m = /^<<(-?)[ \t]*(['"]?)([A-Za-z0-9_.-]+)\2/.exec(line.slice(i));
      if (m) {
        st.heredocs.push({ delim: m[3], strip: m[1] === '-' });
        i += m[0].length - 1;
        last = 'x';
        continue;
      }
    }
    if (!/\s/.test(c)) last = c === '|' || c === '&' ? (line[i - 1] === c ? c + c : c) : 'x';
  }
  if (st.quote) return true;
  if (st.heredocs.length) {
    st.inHeredoc = st.heredocs.shift()!;
    return true;
  }
  return last === '|' || last === '||' || last === '&&' || st.open > 0;
}

interface ReadLine {
  line: Line;
  /**
   * Set on the first command after an `# Or …` comment: the block offers alternatives, and a
   * reader runs one of them, so this one starts a scope of its own (its 1-based number).
   */
  alternative?: number;
  /** Where the shell text starts (after a prompt). */
  from: number;
  /** An elision line that stands alone: read as an empty line. */
  blank?: boolean;
  /** Where the shell text ends when the build's output follows on the same line. */
  to?: number;
  /** The first line of a command typed at a prompt: each such command is read on its own. */
  starts?: boolean;
}

function isCommentOrBlank(s: string): boolean {
  return /^[ \t]*(?:#.*)?$/.test(s);
}

/**
 * A bare `# ` is read as a comment, never as a root prompt: documentation writes comments in
 * console blocks (`# Replace <registry> with your user`) far more often than root sessions.
 */
function promptEnd(s: string): number {
  const m = USER_PROMPT.exec(s) ?? OWNED_ROOT_PROMPT.exec(s) ?? BRACKET_ARROW_PROMPT.exec(s);
  return m ? m[0].length : -1;
}

/**
 * readSession keeps the command lines of a transcript: prompt lines and their continuations.
 * `prompts` counts every prompt seen, another shell's included.
 */
function readSession(text: string, lines: Line[]): { read: ReadLine[]; prompts: number } {
  const texts = lines.map((l) => text.slice(l.start, l.end));
  const out: ReadLine[] = [];
  let prompts = 0;
  let more = false;
  let st: ScanState = newScan();
  for (let k = 0; k < lines.length; k++) {
    const t = texts[k];
    // A new prompt while a quote or here-document is still open: the transcript shows a fresh
    // command, so the opening line was a typo (its error stays with it, in its own region).
    if (more && (st.quote || st.inHeredoc || st.open) && USER_PROMPT.test(t)) more = false;
    if (FOREIGN_PROMPT.test(t) && !st.inHeredoc) {
      prompts++;
      more = false;
      st = newScan();
      continue;
    }
    if (more || (out.length && out[out.length - 1].line === lines[k - 1] && CONTINUATION_PROMPT.test(t) && !st.inHeredoc)) {
      // A `> ` continuation prompt is the terminal's, not part of the command.
      const p = !st.inHeredoc && !st.quote ? (CONTINUATION_PROMPT.exec(t)?.[0].length ?? 0) : 0;
      out.push({ line: lines[k], from: lines[k].start + p });
      more = scanLine(t.slice(p), st);
      continue;
    }
    const p = promptEnd(t);
    if (p < 0) continue;
    prompts++;
    st = newScan();
    out.push({ line: lines[k], from: lines[k].start + p, starts: true });
    more = scanLine(t.slice(p), st);
  }
  return { read: out, prompts };
}

/** readScript keeps every line, without a leading `$ ` prompt. */
function readScript(text: string, lines: Line[]): ReadLine[] {
  return lines.map((l) => {
    const m = DOLLAR_PREFIX.exec(text.slice(l.start, l.end));
    return { line: l, from: l.start + (m ? m[0].length : 0) };
  });
}

/**
 * Set-up lines written before the docker command of an example (`cd repo`, `export IMG=app`,
 * `git clone …`): a block that starts with them is still commands, not output. So do the steps
 * that prepare what the build needs: a package manager or dependency tool installing or exporting
 * (`apt-get install …`, `poetry export -f requirements.txt …`, `npm ci`), optionally under `sudo`,
 * and the cluster tools a Kubernetes builder is prepared with (`kubectl create namespace buildkit`
 * before `docker buildx create --driver kubernetes`, docs.docker.com "Kubernetes driver").
 * Commands that print what the page shows next (`ls`, `cat`) are not set-up: their output follows.
 * An assignment may end in a comment (`version=1.8.1 # sample`): bash starts one after a blank.
 */
const SETUP_LINE =
  /^[ \t]*(?:(?:cd|pushd|export|source|set|git|mkdir|make|cp|curl|wget)(?:[ \t]|$)|(?:sudo[ \t]+(?:-\S+[ \t]+)*)?(?:apt|apt-get|apk|yum|dnf|zypper|brew|pip|pip3|pipx|poetry|uv|npm|yarn|pnpm|bun|go|cargo|mvn|gradle|dotnet|kubectl|helm)[ \t]+[a-z]|[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|'[^']*'|<[^<>\n]*>|\S*)(?:[ \t]+#.*)?[ \t]*$)/;

/**
 * The first command that is not set-up, or null. Set-up joined to the command on one line counts
 * as on a line of its own, also in a subshell: `cd example && docker buildx bake`,
 * `(cd example/ && docker buildx bake cross)`.
 */
function firstCommand(text: string, read: ReadLine[]): string | null {
  let first: string | null = null;
  for (const r of read) {
    const s = text.slice(r.from, r.line.end);
    if (isCommentOrBlank(s)) continue;
    for (const part of s.replace(/^[ \t]*\(+/, '').split(/[ \t]*&&[ \t]*/)) {
      if (!part.trim()) continue;
      first ??= part;
      if (!SETUP_LINE.test(part)) return part;
    }
  }
  return first;
}

/** PowerShell's call operator at the start of a line, its cmdlets piped to, `$env:NAME`. */
const POWERSHELL_LINE = /^[ \t]*& |\|[ \t]*(?:Invoke-Expression|Out-File|Out-Null|Select-String|ForEach-Object)\b|\$env:[A-Za-z_]/i;

/**
 * PowerShell's line continuation: a backtick ending the line (about_Parsing, "Line continuation").
 * To bash it opens a command substitution, so the lines it continues are not among those read.
 */
const BACKTICK_END = /[ \t]`[ \t]*$/;

/**
 * Whether a command read from the block ends in PowerShell's continuation and the next line of
 * the block goes on with it: `docker buildx bake … --print `` then `    | yq …`. Only a line with
 * an odd number of backticks counts, since an even number closes each substitution it opens.
 */
function continuesWithBacktick(text: string, read: ReadLine[], lines: Line[]): boolean {
  // The lines read are the block's lines in order: one walk finds each one's successor.
  let at = 0;
  for (const r of read) {
    const s = text.slice(r.from, r.to ?? r.line.end);
    if (!BACKTICK_END.test(s) || (s.split('`').length - 1) % 2 === 0) continue;
    while (at < lines.length && lines[at] !== r.line) at++;
    const next = lines[at + 1];
    if (next && text.slice(next.start, next.end).trim()) return true;
  }
  return false;
}

/** The first lines the Docker CLI prints for a build (classic builder and BuildKit). */
const BUILD_OUTPUT = /^[ \t]*(?:Step \d+(?:\/\d+)? : |-{3}(?:>|&gt;) |Sending build context to Docker daemon|Successfully (?:built|tagged) |\[\+\] Building )/;

/** A line of a directory drawing: `|   +-- dir`, `├── file`, `└── x`, `` `-- x ``, `│`. */
const TREE_LINE = /^[ \t]*(?:[|│](?:[ \t]|$)|[|├└+`\\](?:--|──|─))/;
/** The root of a directory drawing: `.`, or one name (`docker.tutorials/`, `my-app`). */
const TREE_ROOT = /^[ \t]*(?:\.|[\w.-]+\/?)[ \t]*$/;

/** Every line of the block is a directory drawing (two connector lines at least) or its root. */
function isDirectoryTree(text: string, lines: Line[]): boolean {
  let connectors = 0;
  for (const l of lines) {
    const s = text.slice(l.start, l.end);
    if (s.trim() === '') continue;
    if (TREE_LINE.test(s)) connectors++;
    else if (!TREE_ROOT.test(s)) return false;
  }
  return connectors >= 2;
}

/** A JSON value opening alone on a line, and a line of JSON that follows it (`"key": …`, `{`). */
const JSON_OPEN = /^[ \t]*[[{][ \t]*$/;
const JSON_NEXT = /^[ \t]*(?:"[^"\n]*"[ \t]*:|\{[ \t]*$)/;
/** A line that goes on to the next one: `\`, a pipe or an and-or list at its end. */
const CONTINUES = /(?:\\|\||&&)[ \t]*$/;

/**
 * The first line read of a JSON document that a command before it printed, or -1: `{` or `[`
 * alone, followed by `"key":` or `{`. A shell would read `{` as a group whose first command is
 * `"key":` (a program nobody has), and `},` is a syntax error there.
 */
function jsonOutputAt(text: string, read: ReadLine[]): number {
  for (let i = 1; i + 1 < read.length; i++) {
    if (!JSON_OPEN.test(text.slice(read[i].from, read[i].line.end))) continue;
    if (!JSON_NEXT.test(text.slice(read[i + 1].from, read[i + 1].line.end))) continue;
    const before = text.slice(read[i - 1].from, read[i - 1].line.end);
    if (before.trim() === '' || CONTINUES.test(before)) continue;
    return i;
  }
  return -1;
}

/** The classic builder's first output line, written on the command's own line. */
const GLUED_OUTPUT = /(?<=\S)Sending build context to Docker daemon\b/;

const RUNS_DOCKER = /^[ \t]*(?:time[ \t]+)?(?:sudo[ \t]+(?:-\S+[ \t]+)*)?(?:[A-Za-z_][A-Za-z0-9_]*=\S*[ \t]+)*(?:docker|buildx|docker-buildx)(?:[ \t]|$)/;
/** A shell script's first line: the block is that script, whatever its first command. */
const SHELL_SHEBANG = /^#![ \t]*(?:\/usr\/bin\/env[ \t]+)?(?:\S*\/)?(?:ba|da|k|z)?sh(?:[ \t]|$)/;
/** A Dockerfile instruction at the start of a line: a `docker` block holding it is a Dockerfile. */
const DOCKERFILE_LINE = /^[ \t]*(?:FROM|RUN|CMD|COPY|ADD|ENV|ARG|WORKDIR|ENTRYPOINT|EXPOSE|LABEL|USER|VOLUME|ONBUILD|HEALTHCHECK|SHELL|STOPSIGNAL|MAINTAINER)[ \t]/i;
/**
 * A Python prompt (`>>> `) inside a shell block: the lines typed into the interpreter a command
 * before started. A shell never reads a line starting `>>>` as a command (a redirection with no
 * command is `>>` then `>`: a syntax error), so it is not the shell's.
 */
const REPL_LINE = /^[ \t]*>>>(?:[ \t]|$)/;
/**
 * A bats test case, `@test "description" {`: bats rewrites the line into a function header before
 * bash reads the file (bats-core `libexec/bats-core/bats-preprocess`, whose pattern is the one
 * here: the name runs to the last blank before `{`). What is left from the `{` on is a brace group
 * that the test's closing `}` ends, as in the function bats makes of it.
 */
const BATS_TEST = /^[ \t]*@test[ \t]+.*[^ \t][ \t]+(?=\{)/;
/**
 * A comment that introduces an alternative to the commands before it: `# Or if using the service
 * name directly:`, `# or`, `# Alternatively, …`. A reader runs one of the alternatives, not both.
 */
const ALTERNATIVE_COMMENT = /^[ \t]*#+[ \t]*(?:\*\*|_)?(?:or|alternatively|alternative)\b/i;

function blockKind(info: string): { kind: BlockKind; dialect: Dialect } | null {
  const lang = infoLanguage(info);
  // `docker` is written both for Dockerfiles and for docker commands: read it as untagged, so only
  // a block that runs docker is read (and shellLines turns away a Dockerfile).
  if (lang === '' || lang === 'docker') return { kind: 'untagged', dialect: 'bash' };
  const d = SCRIPT_TAGS.get(lang);
  if (d) return { kind: 'script', dialect: d };
  if (SESSION_TAGS.has(lang)) return { kind: 'session', dialect: 'bash' };
  return null;
}

/** The lines of a block that the shell reads, or null when the block is not a shell example. */
export function shellLines(text: string, block: CodeBlock): { read: ReadLine[]; dialect: Dialect } | null {
  const k = blockKind(block.info);
  if (!k) return null;
  let read: ReadLine[];
  const { read: session, prompts } = readSession(text, block.lines);
  // A transcript without a single prompt is either commands written without prompts or a tool's
  // own output (`(buildx) help`): it is read only when it starts by running docker or buildx.
  const unprompted = k.kind === 'session' && prompts === 0;
  if (k.kind === 'session') read = prompts ? session : readScript(text, block.lines);
  else {
    // A script whose first command line starts with a prompt is a transcript pasted as a script.
    const first = block.lines.find((l) => !isCommentOrBlank(text.slice(l.start, l.end)));
    // An untagged block with a prompt anywhere is a transcript too: its first line may be the
    // shell's own banner (`[node1] (local) root@10.0.0.3 ~`), printed before the prompt.
    const transcript = (first !== undefined && promptEnd(text.slice(first.start, first.end)) >= 0) || (k.kind === 'untagged' && block.lines.some((l) => USER_PROMPT.test(text.slice(l.start, l.end))));
    read = transcript ? session : readScript(text, block.lines);
  }
  if (infoLanguage(block.info) === 'docker' && block.lines.some((l) => DOCKERFILE_LINE.test(text.slice(l.start, l.end)))) return null;
  if (k.kind === 'untagged' || unprompted) {
    const first = firstCommand(text, read);
    const firstLine = block.lines.length ? text.slice(block.lines[0].start, block.lines[0].end) : '';
    // A transcript marks each command with its prompt, so the one that runs docker may come
    // after `ls` or `cd`; a script whose shebang names a shell is shell from its first line.
    const prompted = read.some((r) => r.starts && RUNS_DOCKER.test(text.slice(r.from, r.line.end)));
    const shebang = k.kind === 'untagged' && SHELL_SHEBANG.test(firstLine) && read.some((r) => RUNS_DOCKER.test(text.slice(r.from, r.line.end)));
    if (!prompted && !shebang && (first === null || !RUNS_DOCKER.test(first))) return null;
  }
  // PowerShell written in a block tagged as shell (a Windows tab of a docs page) is not bash.
  if (read.some((r) => POWERSHELL_LINE.test(text.slice(r.from, r.line.end)))) return null;
  if (continuesWithBacktick(text, read, block.lines)) return null;
  // A directory listing (`tree` output) written in a shell block is not shell: no line of a
  // script starts with `|` (bash: syntax error), and it runs no docker.
  if (isDirectoryTree(text, block.lines)) return null;
  // Commands written without prompts, then what the build printed: the output is not read.
  const output = read.findIndex((r, i) => BUILD_OUTPUT.test(text.slice(r.from, r.line.end)) && !(i > 0 && /\\$/.test(text.slice(read[i - 1].from, read[i - 1].line.end))));
  if (output >= 0) read = read.slice(0, output);
  // A command written without a prompt, then the JSON it printed (`crane manifest … | jq …`).
  const json = jsonOutputAt(text, read);
  if (json >= 0) read = read.slice(0, json);
  // A page that lost a line break between the command and what docker printed: the command ends
  // where the output starts.
  for (const r of read) {
    const at = text.slice(r.from, r.line.end).search(GLUED_OUTPUT);
    if (at > 0) r.to = r.from + at;
  }
  // Lines typed into a Python interpreter are not the shell's; between commands only, since a
  // here-document or a quoted string may hold such a line as data.
  const st: ScanState = newScan();
  let more = false;
  // Alternatives: an `# Or …` comment between commands (a line of the block that is not read, in
  // a transcript) starts a new one at the next command, once a command came before it.
  let alternatives = 0;
  let pendingAlternative = false;
  let commands = 0;
  let next = 0;
  for (const r of read) {
    for (; next < block.lines.length && block.lines[next].start < r.line.start; next++) {
      const l = block.lines[next];
      if (commands && ALTERNATIVE_COMMENT.test(text.slice(l.start, l.end))) pendingAlternative = true;
    }
    if (next < block.lines.length && block.lines[next] === r.line) next++;
    const s = text.slice(r.from, r.line.end);
    if (r.starts) {
      st.quote = '';
      st.heredocs = [];
      st.inHeredoc = null;
      st.open = 0;
      more = false;
    }
    if (!more && REPL_LINE.test(s)) {
      r.blank = true;
      continue;
    }
    if (!more) {
      if (commands && ALTERNATIVE_COMMENT.test(s)) pendingAlternative = true;
      else if (!isCommentOrBlank(s)) {
        if (pendingAlternative) {
          r.starts = true;
          r.alternative = ++alternatives;
          pendingAlternative = false;
        }
        commands++;
      }
      const bats = BATS_TEST.exec(s);
      if (bats) r.from += bats[0].length;
    }
    more = scanLine(text.slice(r.from, r.line.end), st);
  }
  // An elision alone on a line (not continuing a command) is not a command.
  for (let i = 0; i < read.length; i++) {
    const r = read[i];
    const s = text.slice(r.from, r.line.end).trim();
    const continues = i > 0 && read[i - 1].line.eol !== null && /\\$/.test(text.slice(read[i - 1].from, read[i - 1].line.end));
    if ((ELISION.test(s) || ALTERNATIVES.test(s)) && !continues) r.blank = true;
  }
  return { read, dialect: k.dialect };
}

/** Replacements inside one line: `<placeholder>` and elision words become DYNAMIC. */
function stubsIn(s: string): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  for (const m of s.matchAll(PLACEHOLDER)) out.push({ from: m.index!, to: m.index! + m[0].length });
  for (const re of [ELISION_WORD, PAREN_WORD, OPTIONAL_PART, OPTIONAL_FLAGS, BRACKET_PHRASE, BRACKET_WORD, NATIVE_BRACKET_WORD, BRACE_WORD, TEMPLATE_TOKEN, UPPER_WORD, REGISTRY_OWNER_WORD])
    for (const m of s.matchAll(re)) out.push({ from: m.index!, to: m.index! + m[0].length });
  out.sort((a, b) => a.from - b.from || b.to - a.to);
  const kept: { from: number; to: number }[] = [];
  for (const r of out) if (!kept.length || r.from >= kept[kept.length - 1].to) kept.push(r);
  return kept;
}

function regionOf(text: string, block: CodeBlock, read: ReadLine[], dialect: Dialect, alternative: number): ShellRegion {
  const b = new MappedStringBuilder();
  let hidden = false;
  let prevEnd = -1;
  for (const r of read) {
    if ((prevEnd >= 0 && r.from !== prevEnd) || r.to !== undefined) hidden = true;
    if (!r.blank) {
      const s = text.slice(r.from, r.to ?? r.line.end);
      let pos = 0;
      for (const st of stubsIn(s)) {
        for (let i = pos; i < st.from; i++) b.push(s[i], r.from + i, r.from + i + 1);
        b.push(DYNAMIC, r.from + st.from, r.from + st.to);
        pos = st.to;
      }
      for (let i = pos; i < s.length; i++) b.push(s[i], r.from + i, r.from + i + 1);
    }
    if (r.line.eol) {
      b.push('\n', r.line.eol.start, r.line.eol.end);
      prevEnd = r.line.eol.end;
    } else prevEnd = r.line.end;
  }
  const last = read[read.length - 1];
  const end = last.line.eol ? last.line.eol.end : last.line.end;
  const source = b.build(end);
  return {
    source,
    dialect,
    // A fix that crosses a line here would lose the prefix the host stripped from the next line.
    encoding: hidden ? 'line-prefixed' : 'plain',
    scope: alternative ? `block:${block.line}:or${alternative}` : `block:${block.line}`,
    excerpt: true,
    // A block (not a command typed at a prompt) that names no container tool runs no build, and
    // one that does not parse is most often not a script at all (a directory tree drawn with `|-`
    // branches): its syntax errors would be its only findings, and false ones.
    ...(read[0].starts || namesContainerTool(source.text) ? {} : { shellUnsure: true }),
  };
}

/** A word naming a container tool (`docker`, `$DOCKER`, `buildx`, …) outside a `#` comment. */
const CONTAINER_TOOL = /(?:^|[\s;&|(`$"'{/=])(?:docker|buildx|podman|nerdctl)/i;
function namesContainerTool(text: string): boolean {
  if (!/docker|buildx|podman|nerdctl/i.test(text)) return false;
  return text.split('\n').some((line) => CONTAINER_TOOL.test(line.replace(/(?:^|\s)#.*$/, '')));
}

/** `NAME=value` or `export NAME=value` alone on a line, the value a plain word (no quote, `$`, backquote). */
const LITERAL_ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=([^\s'"`$\\;&|<>()]*)[ \t]*(?:#.*)?$/;

/** The literal assignments among lines read before an alternative, the last of a name winning. */
function literalAssignments(text: string, read: ReadLine[]): { name: string; value: MappedString }[] {
  const byName = new Map<string, MappedString>();
  let continued = false;
  for (const r of read) {
    const s = text.slice(r.from, r.to ?? r.line.end);
    const m = continued || r.blank ? null : LITERAL_ASSIGNMENT.exec(s);
    if (m) {
      const at = r.from + s.indexOf('=', s.indexOf(m[1])) + 1;
      byName.set(m[1], identity(text, at, at + m[2].length));
    }
    continued = /\\$/.test(s);
  }
  return [...byName].map(([name, value]) => ({ name, value }));
}

/** A line that opens a fence with an info string (```` ```bash ````): it can never close one. */
const INNER_OPENING_FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^\s`][^`]*?)[ \t]*$/;
/** A closing fence glued to the end of a command line (`docker run … ...```). */
const GLUED_CLOSING_FENCE = /(?<=\S)[ \t]*(`{3,}|~{3,})[ \t]*$/;

/**
 * A fence the author did not close where the commands end: CommonMark reads on to the next
 * closing fence, so the prose after the commands and the author's next block (its own opening
 * fence, with an info string, which cannot close the first) become lines of this block. Read as
 * the author wrote it instead, when the block holds such an opening fence (a run of the block's
 * fence character, at least as long) or a fence glued to the end of a command (`… ...```): each
 * part runs from its opening fence to a glued fence, or else to its first blank line (where the
 * prose may start) when another opening fence follows; what lies between the parts is prose.
 * A block of four backticks showing a Markdown example with ```` ```bash ```` inside is left as is.
 */
function unclosedParts(text: string, block: CodeBlock): CodeBlock[] {
  const c = text.charCodeAt(block.start);
  if (c !== 96 && c !== 126) return [block];
  let n = 0;
  while (text.charCodeAt(block.start + n) === c) n++;
  const fence = (run: string | undefined) => run !== undefined && run.charCodeAt(0) === c && run.length >= n;
  const parts: CodeBlock[] = [];
  let cur: CodeBlock | null = { ...block, lines: [] };
  const close = (cutAtBlank: boolean) => {
    if (!cur) return;
    const blank = cutAtBlank ? cur.lines.findIndex((l) => BLANK_LINE.test(text.slice(l.start, l.end))) : -1;
    if (blank >= 0) cur.lines = cur.lines.slice(0, blank);
    parts.push(cur);
    cur = null;
  };
  let changed = false;
  for (let k = 0; k < block.lines.length; k++) {
    const l = block.lines[k];
    const s = text.slice(l.start, l.end);
    const open = INNER_OPENING_FENCE.exec(s);
    if (open && fence(open[1])) {
      changed = true;
      close(true);
      cur = { info: open[2], line: block.line + 1 + k, start: l.start, end: block.end, lines: [] };
      continue;
    }
    if (!cur) continue;
    const glued = GLUED_CLOSING_FENCE.exec(s);
    if (glued && fence(glued[1])) {
      changed = true;
      cur.lines.push({ ...l, end: l.start + glued.index });
      close(false);
      continue;
    }
    cur.lines.push(l);
  }
  if (!changed) return [block];
  close(false);
  return parts;
}

/**
 * CommonMark parsers match every open container on every line; micromark's cost grows much
 * faster than the depth of nested lists and block quotes. No page written by a person nests this
 * deep, so beyond it the page is not read.
 */
export const MAX_CONTAINER_DEPTH = 32;

/** An upper estimate of the deepest container nesting: `>` markers plus list items by indent. */
export function containerDepth(text: string): number {
  let max = 0;
  const listCols: number[] = [];
  const LIST = /^([ \t>]*)(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;
  for (let i = 0; i < text.length; ) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = text.length;
    let quotes = 0;
    let k = i;
    while (k < j && (text[k] === ' ' || text[k] === '\t' || text[k] === '>')) if (text[k++] === '>') quotes++;
    if (k < j) {
      const m = LIST.exec(text.slice(i, Math.min(j, k + 12)));
      const col = k - i;
      while (listCols.length && listCols[listCols.length - 1] >= col + (m ? 0 : 1)) listCols.pop();
      if (m) listCols.push(col);
    }
    max = Math.max(max, quotes + listCols.length);
    i = j + 1;
  }
  return max;
}

export function readMarkdown(text: string, maxBlockSize = MAX_BLOCK_SIZE): HostResult {
  const regions: ShellRegion[] = [];
  const problems: HostProblem[] = [];
  if (containerDepth(text) > MAX_CONTAINER_DEPTH) return { regions, problems };
  // A block that never names docker or buildx runs no invocation and gives no fact to another
  // block: its shell (a here-document, an install step) is not this linter's to judge. It is
  // dropped as soon as its piece is parsed, so a page of many such blocks holds none of them.
  const namesDocker = (block: CodeBlock) => block.lines.length > 0 && /docker|buildx/i.test(text.slice(block.lines[0].start, block.tooLarge ? block.end : block.lines[block.lines.length - 1].end));
  for (const block of codeBlocks(text, MARKDOWN_PIECE, namesDocker, maxBlockSize)) {
    if (block.tooLarge) {
      // Only a block that would be read as shell is worth saying so: a large YAML sample is not ours.
      if (!blockKind(block.info)) continue;
      const eol = text.indexOf('\n', block.start);
      const end = Math.max(block.start + 1, Math.min(eol < 0 ? text.length : eol, block.start + 80));
      problems.push({
        kind: 'input-too-large',
        span: { start: block.start, end },
        severity: 'error',
        message: `this code block has ${block.tooLarge} characters, more than limits.maxBlockSize (${maxBlockSize}): it is not read`,
      });
      continue;
    }
    for (const part of unclosedParts(text, block)) {
      const r = shellLines(text, part);
      if (!r || !r.read.length) continue;
      // Each command typed at a prompt is its own input to the shell, so a typo in one (an
      // unclosed quote) cannot swallow the next; they share the block's scope (or the scope of
      // their alternative, after an `# Or …` comment).
      let from = 0;
      let alternative = 0;
      for (let i = 1; i <= r.read.length; i++) {
        if (i < r.read.length && !r.read[i].starts) continue;
        const alt = r.read[from].alternative;
        const region = regionOf(text, part, r.read.slice(from, i), r.dialect, alt ?? alternative);
        // An alternative still runs after the block's set-up (`VERSION=v1.0.0` above it): the
        // literal assignments read before it are its starting values.
        if (alt !== undefined) {
          const vars = literalAssignments(text, r.read.slice(0, from));
          if (vars.length) region.variables = vars;
        }
        alternative = alt ?? alternative;
        regions.push(region);
        from = i;
      }
    }
  }
  return { regions, problems };
}
