/**
 * Decoding a YAML scalar's source into a MappedString: every character of the value the YAML
 * parser produces, mapped to the file characters it came from, through block indentation,
 * chomping, line folding, quote doubling and escapes (YAML 1.2.2 chapters 6-8). The `yaml`
 * package finds the scalars and their ranges; this module only maps their characters, and its
 * result is checked against the package's own value (a mismatch falls back to a coarse map).
 */
import { DYNAMIC, identity, MappedStringBuilder, type MappedString } from '../core/mapped-string';
import type { Scalar } from 'yaml';

interface Line {
  /** Offset of the first character of the line. */
  start: number;
  /** Offset just past the last character before the line break. */
  end: number;
  /** Offset just past the line break (== end at the end of the range). */
  next: number;
}

function linesOf(text: string, from: number, to: number): Line[] {
  const out: Line[] = [];
  let s = from;
  while (s <= to) {
    let e = text.indexOf('\n', s);
    if (e < 0 || e >= to) {
      out.push({ start: s, end: to, next: to });
      break;
    }
    const next = e + 1;
    if (e > s && text[e - 1] === '\r') e--;
    out.push({ start: s, end: e, next });
    s = next;
    if (s === to) break;
  }
  return out;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * A copier of file characters [s, e) into a builder as one run: pushing them one by one makes a
 * string of a million one-character pieces (a 6 MB `run:` block peaked at 523 MB).
 */
function fileCopier(b: MappedStringBuilder, text: string): (s: number, e: number) => void {
  const file = identity(text);
  return (s, e) => {
    if (e > s) b.appendSlice(file, s, e);
  };
}

/**
 * Flow folding shared by plain, single- and double-quoted scalars: `pieces` are the lines' text
 * runs already decoded (leading blanks of continuation lines and trailing blanks removed by the
 * caller); one line break between two lines becomes a space, each further empty line a newline.
 */
function foldFlow(b: MappedStringBuilder, lines: { decode: () => void; empty: boolean; breakAt: [number, number] }[]): void {
  let pendingEmpty: [number, number][] = [];
  let first = true;
  let lastBreak: [number, number] | null = null;
  for (const l of lines) {
    if (l.empty && !first) {
      pendingEmpty.push(l.breakAt);
      continue;
    }
    if (!first && lastBreak) {
      if (pendingEmpty.length === 0) b.push(' ', lastBreak[0], lastBreak[1]);
      else for (const e of pendingEmpty) b.push('\n', e[0], e[1]);
    }
    l.decode();
    first = false;
    pendingEmpty = [];
    lastBreak = l.breakAt;
  }
}

function decodePlain(text: string, from: number, to: number): MappedString {
  const b = new MappedStringBuilder();
  const copy = fileCopier(b, text);
  const lines = linesOf(text, from, to).map((ln, k) => {
    let s = ln.start;
    let e = ln.end;
    if (k > 0) while (s < e && isBlank(text[s])) s++;
    while (e > s && isBlank(text[e - 1])) e--;
    return {
      empty: s === e,
      breakAt: [ln.end, ln.next] as [number, number],
      decode: () => copy(s, e),
    };
  });
  foldFlow(b, lines);
  return b.build(to);
}

function decodeSingle(text: string, from: number, to: number): MappedString {
  const b = new MappedStringBuilder();
  const copy = fileCopier(b, text);
  const inner = linesOf(text, from + 1, to - 1);
  const lines = inner.map((ln, k) => {
    let s = ln.start;
    let e = ln.end;
    if (k > 0) while (s < e && isBlank(text[s])) s++;
    if (k < inner.length - 1) while (e > s && isBlank(text[e - 1])) e--;
    return {
      empty: s === e && k > 0 && k < inner.length - 1,
      breakAt: [ln.end, ln.next] as [number, number],
      decode: () => {
        // Runs between quotes are copied whole; the scan stops at the line's end.
        let i = s;
        for (let q = s; q < e; q++) {
          if (text[q] !== "'") continue;
          copy(i, q);
          const doubled = text[q + 1] === "'";
          b.push("'", q, doubled ? q + 2 : q + 1);
          if (doubled) q++;
          i = q + 1;
        }
        copy(i, e);
      },
    };
  });
  foldFlow(b, lines);
  return b.build(to);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LEN: Record<string, number> = { x: 2, u: 4, U: 8 };

function decodeDouble(text: string, from: number, to: number): MappedString {
  const b = new MappedStringBuilder();
  const copy = fileCopier(b, text);
  const inner = linesOf(text, from + 1, to - 1);
  // A line ending in an unescaped `\` joins the next line with nothing between them.
  let joinNext = false;
  const lines: { decode: () => void; empty: boolean; breakAt: [number, number] }[] = [];
  let glued: (() => void)[] = [];
  for (let k = 0; k < inner.length; k++) {
    const ln = inner[k];
    let s = ln.start;
    let e = ln.end;
    if (k > 0) while (s < e && isBlank(text[s])) s++;
    // Does the line end with an escaped line break? Count the backslashes before the break.
    let escapedBreak = false;
    if (k < inner.length - 1) {
      let n = 0;
      for (let i = e - 1; i >= s && text[i] === '\\'; i--) n++;
      escapedBreak = n % 2 === 1;
      if (escapedBreak) e--;
      else {
        // Trailing blanks are folded away unless the last one is escaped (`\ ` or `\<TAB>`).
        while (e > s && isBlank(text[e - 1])) {
          let m = 0;
          for (let i = e - 2; i >= s && text[i] === '\\'; i--) m++;
          if (m % 2 === 1) break;
          e--;
        }
      }
    }
    const ss = s;
    const ee = e;
    const decode = () => {
      for (let i = ss; i < ee; i++) {
        const c = text[i];
        if (c !== '\\') {
          let stop = i + 1;
          while (stop < ee && text[stop] !== '\\') stop++;
          copy(i, stop);
          i = stop - 1;
          continue;
        }
        const x = text[i + 1];
        if (x in SIMPLE_ESCAPES) {
          b.push(SIMPLE_ESCAPES[x], i, i + 2);
          i++;
        } else if (x in HEX_LEN) {
          const n = HEX_LEN[x];
          const code = parseInt(text.slice(i + 2, i + 2 + n), 16);
          b.push(Number.isNaN(code) ? '' : String.fromCodePoint(code), i, i + 2 + n);
          i += 1 + n;
        } else {
          b.push(c, i, i + 1);
        }
      }
    };
    glued.push(decode);
    if (escapedBreak) {
      joinNext = true;
      continue;
    }
    const parts = glued;
    glued = [];
    const wasJoined = joinNext;
    joinNext = false;
    lines.push({
      empty: !wasJoined && parts.length === 1 && ss === ee && k > 0 && k < inner.length - 1,
      breakAt: [ln.end, ln.next],
      decode: () => {
        for (const p of parts) p();
      },
    });
  }
  if (glued.length) {
    const parts = glued;
    lines.push({
      empty: false,
      breakAt: [to - 1, to - 1],
      decode: () => {
        for (const p of parts) p();
      },
    });
  }
  foldFlow(b, lines);
  return b.build(to);
}

/**
 * decodeBlock reads `|`/`>` scalars. `parentIndent` is the indentation of the node holding the
 * scalar (the `yaml` CST token's `indent`), needed for an explicit indentation indicator.
 */
function decodeBlock(text: string, from: number, to: number, folded: boolean, parentIndent: number): MappedString {
  const b = new MappedStringBuilder();
  const copy = fileCopier(b, text);
  const all = linesOf(text, from, to);
  const header = text.slice(all[0].start, all[0].end);
  const m = /^[|>]([1-9])?([+-])?|^[|>]([+-])([1-9])?/.exec(header);
  const explicit = m ? Number(m[1] ?? m[4] ?? 0) : 0;
  const chomp = m ? (m[2] ?? m[3] ?? '') : '';
  const body = all.slice(1).filter((l) => l.start < to);
  let indent = explicit ? parentIndent + explicit : 0;
  if (!explicit) {
    for (const l of body) {
      let k = l.start;
      while (k < l.end && text[k] === ' ') k++;
      if (k < l.end) {
        indent = k - l.start;
        break;
      }
      indent = Math.max(indent, k - l.start);
    }
  }
  // Content of each line after the indentation; null for an empty line.
  const content = body.map((l) => {
    const s = Math.min(l.start + indent, l.end);
    let k = l.start;
    while (k < l.end && text[k] === ' ') k++;
    const empty = k === l.end && l.end - l.start <= indent;
    return { s, e: l.end, empty, line: l };
  });
  let lastText = -1;
  for (let k = 0; k < content.length; k++) if (!content[k].empty) lastText = k;
  const more = (c: { s: number; e: number }) => c.s < c.e && isBlank(text[c.s]);
  let prev = -1;
  for (let k = 0; k <= lastText; k++) {
    const c = content[k];
    if (c.empty) continue;
    // Breaks between the previous text line (or the start) and this one.
    const empties: Line[] = [];
    for (let j = prev + 1; j < k; j++) empties.push(content[j].line);
    if (prev >= 0) {
      const pl = content[prev].line;
      const fold = folded && !more(content[prev]) && !more(c);
      if (fold && empties.length === 0) b.push(' ', pl.end, pl.next);
      else {
        if (!fold) b.push('\n', pl.end, pl.next);
        for (const e of empties) b.push('\n', e.end, e.next);
      }
    } else for (const e of empties) b.push('\n', e.end, e.next);
    copy(c.s, c.e);
    prev = k;
  }
  if (chomp !== '-' && lastText >= 0) {
    const pl = content[lastText].line;
    if (pl.next > pl.end) b.push('\n', pl.end, pl.next);
    if (chomp === '+') for (let j = lastText + 1; j < content.length; j++) b.push('\n', content[j].line.end, content[j].line.next);
  } else if (chomp === '+' && lastText < 0) {
    for (const c of content) if (c.line.next > c.line.end) b.push('\n', c.line.end, c.line.next);
  }
  return b.build(to);
}

/** coarse maps every character of `value` onto the whole scalar: right, if imprecise. */
function coarse(value: string, from: number, to: number): MappedString {
  const b = new MappedStringBuilder();
  b.push(value, from, to);
  return b.build(to);
}

/**
 * decodeScalar maps a scalar node's value onto `text`. `parentIndent` only matters for block
 * scalars with an explicit indentation indicator.
 */
export function decodeScalar(text: string, node: Scalar, parentIndent = 0): MappedString {
  const [from, to] = node.range ?? [0, 0];
  if (typeof node.value !== 'string') {
    // A plain scalar that resolves to a number, boolean or null: GitHub and GitLab pass its
    // written form on as a string.
    return decodePlain(text, from, to);
  }
  const expected = node.value;
  let out: MappedString;
  switch (node.type) {
    case 'BLOCK_LITERAL':
      out = decodeBlock(text, from, to, false, parentIndent);
      break;
    case 'BLOCK_FOLDED':
      out = decodeBlock(text, from, to, true, parentIndent);
      break;
    case 'QUOTE_SINGLE':
      out = decodeSingle(text, from, to);
      break;
    case 'QUOTE_DOUBLE':
      out = decodeDouble(text, from, to);
      break;
    default:
      out = decodePlain(text, from, to);
  }
  return out.text === expected ? out : coarse(expected, from, to);
}

/**
 * substituteExpressions replaces each GitHub Actions `${{ … }}` with one DYNAMIC character mapped
 * to the whole expression: the runner substitutes it before any shell or action reads the text,
 * and its value may carry anything (quotes, spaces, newlines).
 */
export function substituteExpressions(s: MappedString, open = '${{', closer = '}}'): MappedString {
  if (!s.text.includes(open)) return s;
  const b = new MappedStringBuilder();
  let i = 0;
  while (i < s.text.length) {
    if (s.text.startsWith(open, i)) {
      const close = s.text.indexOf(closer, i + open.length);
      if (close >= 0) {
        b.push(DYNAMIC, s.starts[i], s.ends[close + closer.length - 1]);
        i = close + closer.length;
        continue;
      }
    }
    b.push(s.text[i], s.starts[i], s.ends[i]);
    i++;
  }
  return b.build(s.endOffset);
}

/** trimMapped is String.prototype.trim keeping the map (the toolkit trims every input). */
export function trimMapped(s: MappedString): MappedString {
  let a = 0;
  let z = s.text.length;
  while (a < z && /\s/.test(s.text[a])) a++;
  while (z > a && /\s/.test(s.text[z - 1])) z--;
  if (a === 0 && z === s.text.length) return s;
  return {
    text: s.text.slice(a, z),
    starts: s.starts.subarray(a, z),
    ends: s.ends.subarray(a, z),
    endOffset: z > a ? s.ends[z - 1] : a < s.text.length ? s.starts[a] : s.endOffset,
  };
}
