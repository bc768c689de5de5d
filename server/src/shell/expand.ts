/**
 * Word expansion, statically: consumes a parsed Word and produces the fields bash would pass as
 * arguments (brace expansion, tilde expansion, quote removal), with every run-time expansion
 * replaced by one DYNAMIC character mapped to the expansion's span.
 */
import { DYNAMIC, type MappedString } from '../core/mapped-string';
import type { Dialect, Word, WordPart } from './ast';

export interface Field {
  /** The argument after brace expansion, tilde expansion and quote removal; expansions are DYNAMIC. */
  value: MappedString;
  /** True when value contains no DYNAMIC and the field is exactly what bash passes. */
  static: boolean;
  /** True when an unquoted expansion (or glob) is inside, so it may split into several arguments or vanish. */
  mayVary: boolean;
  word: Word;
}

/** One decoded character; `c === ''` marks a quoted region (it keeps an otherwise empty field). */
interface Item {
  c: string;
  s: number;
  e: number;
  /** Unquoted literal character: may take part in brace, tilde and glob syntax. */
  bare: boolean;
}

/** Brace expansion is quadratic in the worst case; longer words are left unexpanded. */
const MAX_BRACE_WORD = 4096;
const MAX_FIELDS = 4096;

interface Flat {
  items: Item[];
  mayVary: boolean;
}

function flatten(word: Word): Flat {
  const items: Item[] = [];
  let mayVary = false;
  const pushMapped = (v: MappedString, bare: boolean): void => {
    for (let i = 0; i < v.text.length; i++) items.push({ c: v.text[i], s: v.starts[i], e: v.ends[i], bare });
  };
  const dyn = (p: WordPart): void => {
    items.push({ c: DYNAMIC, s: p.span.start, e: p.span.end, bare: false });
  };
  const visit = (parts: WordPart[], quoted: boolean): void => {
    for (const p of parts) {
      switch (p.kind) {
        case 'lit':
          pushMapped(p.value, !quoted);
          // An unquoted make expansion left unresolved reaches the shell as unquoted text: it is
          // word-split like `$VAR` and may become several arguments or none.
          if (!quoted && p.value.text.includes(DYNAMIC)) mayVary = true;
          break;
        case 'sq':
        case 'ansic':
        case 'esc':
          if (!quoted) items.push({ c: '', s: p.span.start, e: p.span.start, bare: false });
          pushMapped(p.value, false);
          break;
        case 'dq':
          items.push({ c: '', s: p.span.start, e: p.span.start, bare: false });
          visit(p.parts, true);
          break;
        case 'param':
          if (!quoted || p.splat) mayVary = true;
          dyn(p);
          break;
        case 'cmdsubst':
          if (!quoted) mayVary = true;
          dyn(p);
          break;
        case 'arith':
        case 'procsubst':
          dyn(p);
          break;
      }
    }
  };
  visit(word.parts, false);
  return { items, mayVary };
}

function isBare(it: Item, c: string): boolean {
  return it.bare && it.c === c;
}

function seqItems(content: Item[], s: number, e: number): Item[][] | null {
  for (const it of content) if (!it.bare) return null;
  const text = content.map((it) => it.c).join('');
  const pieces = text.split('..');
  if (pieces.length !== 2 && pieces.length !== 3) return null;
  const [a, b, stepText] = pieces;
  const intRe = /^[-+]?[0-9]+$/;
  let step = 1;
  if (stepText !== undefined) {
    if (!intRe.test(stepText)) return null;
    step = Math.abs(parseInt(stepText, 10)) || 1;
  }
  const out: string[] = [];
  if (intRe.test(a) && intRe.test(b)) {
    const x = parseInt(a, 10);
    const y = parseInt(b, 10);
    if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y)) return null;
    const padded = (t: string) => /^[-+]?0[0-9]/.test(t);
    const width = padded(a) || padded(b) ? Math.max(a.length, b.length) : 0;
    const dir = x <= y ? 1 : -1;
    for (let v = x; dir > 0 ? v <= y : v >= y; v += dir * step) {
      if (out.length >= MAX_FIELDS) return null;
      let t = String(Math.abs(v));
      const neg = v < 0;
      if (width) t = t.padStart(width - (neg ? 1 : 0), '0');
      out.push(neg ? '-' + t : t);
    }
  } else if (a.length === 1 && b.length === 1 && /[A-Za-z]/.test(a) && /[A-Za-z]/.test(b)) {
    const x = a.charCodeAt(0);
    const y = b.charCodeAt(0);
    const dir = x <= y ? 1 : -1;
    for (let v = x; dir > 0 ? v <= y : v >= y; v += dir * step) out.push(String.fromCharCode(v));
  } else return null;
  return out.map((t) => Array.from(t, (c) => ({ c, s, e, bare: false })));
}

function looksLikeSeq(items: Item[], from: number, to: number): boolean {
  for (let k = from; k + 1 < to; k++) if (isBare(items[k], '.') && isBare(items[k + 1], '.')) return true;
  return false;
}

/** bash brace expansion over decoded items; only bare `{ , }` are syntax. */
function braceExpand(items: Item[]): Item[][] {
  for (let i = 0; i < items.length; i++) {
    if (!isBare(items[i], '{')) continue;
    let level = 0;
    let close = -1;
    const commas: number[] = [];
    for (let j = i + 1; j < items.length; j++) {
      const it = items[j];
      if (!it.bare) continue;
      if (it.c === '{') level++;
      else if (it.c === '}') {
        if (level === 0) {
          // bash keeps looking past a `}` that closes neither a list nor a sequence: `{=}a,b}`.
          if (commas.length || looksLikeSeq(items, i + 1, j)) {
            close = j;
            break;
          }
          continue;
        }
        level--;
      } else if (it.c === ',' && level === 0) commas.push(j);
    }
    if (close < 0) continue;
    const pre = items.slice(0, i);
    let alternatives: Item[][];
    if (commas.length) {
      alternatives = [];
      let from = i + 1;
      for (const k of [...commas, close]) {
        for (const alt of braceExpand(items.slice(from, k))) alternatives.push(alt);
        from = k + 1;
      }
    } else {
      const seq = seqItems(items.slice(i + 1, close), items[i].s, items[close].e);
      if (!seq) {
        // An invalid `{x..y}` stays literal as a whole; the search resumes after it.
        i = close;
        continue;
      }
      alternatives = seq;
    }
    const posts = braceExpand(items.slice(close + 1));
    const out: Item[][] = [];
    for (const alt of alternatives) {
      for (const post of posts) {
        if (out.length >= MAX_FIELDS) return out;
        out.push([...pre, ...alt, ...post]);
      }
    }
    return out;
  }
  return [items];
}

/** `~`, `~/x`, `~user/x` at the start of a field: the home directory is unknown, so DYNAMIC. */
function expandTilde(items: Item[]): Item[] {
  let k = 0;
  while (k < items.length && items[k].c === '') k++;
  if (k > 0 || !items.length || !isBare(items[0], '~')) return items;
  let end = 1;
  while (end < items.length && !(items[end].bare && items[end].c === '/')) {
    if (!items[end].bare) return items;
    end++;
  }
  return [{ c: DYNAMIC, s: items[0].s, e: items[end - 1].e, bare: false }, ...items.slice(end)];
}

function hasGlob(items: Item[]): boolean {
  let open = false;
  for (const it of items) {
    if (!it.bare) continue;
    if (it.c === '*' || it.c === '?') return true;
    if (it.c === '[') open = true;
    else if (it.c === ']' && open) return true;
  }
  return false;
}

function toMapped(items: Item[], endOffset: number): MappedString {
  const real = items.filter((it) => it.c !== '');
  const starts = new Int32Array(real.length);
  const ends = new Int32Array(real.length);
  let text = '';
  const chunks: string[] = [];
  for (let i = 0; i < real.length; i++) {
    chunks.push(real[i].c);
    starts[i] = real[i].s;
    ends[i] = real[i].e;
  }
  text = chunks.join('');
  return { text, starts, ends, endOffset: real.length ? real[real.length - 1].e : endOffset };
}

export function expandWord(word: Word, dialect: Dialect = 'bash'): Field[] {
  const { items, mayVary } = flatten(word);
  const groups = dialect === 'bash' && items.length <= MAX_BRACE_WORD ? braceExpand(items) : [items];
  const fields: Field[] = [];
  for (const g of groups) {
    const its = expandTilde(g);
    // An unquoted field that expands to nothing is dropped, as bash does for `{,a}`.
    if (!its.length) continue;
    const value = toMapped(its, word.span.end);
    const glob = hasGlob(its);
    const dynamic = value.text.includes(DYNAMIC);
    fields.push({ value, static: !dynamic && !glob, mayVary: mayVary || glob, word });
  }
  return fields;
}

/**
 * The single value of the word after quote removal, or null if any part is dynamic or it
 * brace-expands to several words. Glob characters are kept as written.
 */
export function wordValue(word: Word): MappedString | null {
  const fields = expandWord(word, 'bash');
  if (fields.length !== 1) return null;
  const v = fields[0].value;
  return v.text.includes(DYNAMIC) ? null : v;
}

/** The word after quote removal with every expansion as one DYNAMIC char; never null, no brace expansion. */
export function wordPartial(word: Word): MappedString {
  const { items } = flatten(word);
  return toMapped(expandTilde(items), word.span.end);
}
