/**
 * Word expansion, statically: consumes a parsed Word and produces the fields bash would pass as
 * arguments (brace expansion, tilde expansion, parameter expansion where the value is known,
 * word splitting of unquoted known values with the default IFS, quote removal), with every
 * run-time expansion replaced by one DYNAMIC character mapped to the expansion's span.
 *
 * Without a ValueScope every parameter is a run-time expansion. With one (shell/values.ts), a
 * parameter whose value was set in the file yields the characters of that value, each still
 * mapped to where the assignment wrote it.
 */
import { DYNAMIC, endAt, MappedStringBuilder, sliceMapped, sliceWithEnd, startAt, uniform, type MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';
import type { Dialect, ParamExp, Word, WordPart } from './ast';

/** One use of a variable whose value the file set: the value's characters map to `valueSpan`. */
export interface ValueUse {
  name: string;
  /** Where the value is written (the assignment's value, each `+=`, or the host's definition). */
  valueSpans: Span[];
  /** The `$NAME` / `${NAME…}` that reads it. */
  useSpan: Span;
  /** How many times the file reads this variable (a fix may edit the value only when it is 1). */
  refs(): number;
}

/** A `${X:-d}` / `${X-d}` / `${X:=d}` default taken because X is not set in the file. */
export interface DefaultUse {
  name: string;
  /** The default's text. */
  span: Span;
  /** The whole `${X:-d}`. */
  paramSpan: Span;
}

/** emptyOperand: the expansion's word is empty text (`${X:-}`, `${X:-""}`, `${X-''}`). */
function emptyOperand(p: ParamExp): boolean {
  const w = p.words?.[0];
  if (!w) return true;
  return w.parts.every((q) => (q.kind === 'dq' ? q.parts.length === 0 : (q.kind === 'lit' || q.kind === 'sq') && q.value.text === ''));
}

/** What a parameter holds at the point of the expansion. */
export type Resolved =
  | { t: 'dynamic' }
  /** Never set in the file: comes from the environment, if at all. */
  | { t: 'env' }
  /** Known to be unset (`unset X`). */
  | { t: 'unset' }
  /** `prefixes`: the value is unknown text that runs one of these buildx program prefixes. */
  | { t: 'str'; value: MappedString; use?: ValueUse; defaults?: DefaultUse[]; word?: Word; prefixes?: MappedString[][] }
  /** `varies`: some element stands for an expansion that may split or vanish. */
  | { t: 'arr'; elements: MappedString[]; use?: ValueUse; defaults?: DefaultUse[]; varies?: boolean; prefixes?: MappedString[][] };

export interface ValueScope {
  lookup(name: string, useSpan: Span): Resolved;
  /** The positional parameters (`$1`, `"$@"`) when known (a wrapper function's call), else null. */
  positional(): Field[] | null;
  /**
   * Characters brace expansion may still write for the whole file: a per-word bound alone lets a
   * small file of `{1..4096}` words produce millions of arguments.
   */
  readonly braceBudget?: { left: number };
}

export interface Field {
  /** The argument after brace expansion, tilde expansion and quote removal; expansions are DYNAMIC. */
  value: MappedString;
  /** True when value contains no DYNAMIC and the field is exactly what bash passes. */
  static: boolean;
  /** True when an unquoted expansion (or glob) is inside, so it may split into several arguments or vanish. */
  mayVary: boolean;
  word: Word;
  /** Variables of the file whose values went into this field. */
  uses?: ValueUse[];
  /** Defaults taken because a variable is unset: the field holds only "when X is unset". */
  defaults?: DefaultUse[];
  /**
   * The field is exactly the whole value of one assignment (`"$X"`): the word that assignment
   * wrote, which a fix rewrites instead of the use.
   */
  sourceWord?: Word;
}

/** One decoded character; `c === ''` marks a quoted region (it keeps an otherwise empty field). */
interface Item {
  c: string;
  s: number;
  e: number;
  /** Unquoted literal character: may take part in brace, tilde and glob syntax. */
  bare: boolean;
  /** From an unquoted expansion: takes part in pathname expansion only. */
  g?: boolean;
  /** A field break: 1 = IFS white space of an unquoted expansion, 2 = between the words of `"$@"`. */
  brk?: 1 | 2;
}

/** Brace expansion is quadratic in the worst case; longer words are left unexpanded. */
const MAX_BRACE_WORD = 4096;
const MAX_FIELDS = 4096;
/**
 * Characters one word's brace expansion may write in all. A product of lists (`{a,b}{c,d}…`)
 * doubles at each list: past MAX_FIELDS fields the rest is cut, and this bound stops the copying
 * of the cut fields themselves (each as long as the word) from being quadratic in the word.
 */
const BRACE_BUDGET = 1 << 20;

/**
 * What flatten produces: runs of decoded characters that share their role (a slice of a part's
 * value, mapped as it is), and markers (`v === null`, at offset `at`) where an Item list has an
 * empty item. Equivalent to the Item list `toItems` makes of it, without an object per character.
 */
interface Seg {
  v: MappedString | null;
  at: number;
  bare: boolean;
  g: boolean;
  brk: 0 | 1 | 2;
}

function marker(at: number, brk: 0 | 1 | 2 = 0): Seg {
  return { v: null, at, bare: false, g: false, brk };
}

interface Flat {
  segs: Seg[];
  mayVary: boolean;
  uses: ValueUse[];
  defaults: DefaultUse[];
}

function flatten(word: Word, scope?: ValueScope, noSplit = false): Flat {
  const f = new Flattener(scope, noSplit);
  f.visit(word.parts, false);
  return f;
}

/**
 * The state of one flatten call. A class rather than closures: flatten runs for every expanded
 * word, and a set of closures per call was a large share of what expansion allocated.
 */
/**
 * The uses and defaults of a word that has none, which is most words: one frozen list for all
 * (a Flattener swaps in a list of its own at its first entry), so a stray push throws instead of
 * reaching every word.
 */
const NO_USES: ValueUse[] = Object.freeze([]) as unknown as ValueUse[];
const NO_DEFAULTS: DefaultUse[] = Object.freeze([]) as unknown as DefaultUse[];

class Flattener implements Flat {
  readonly segs: Seg[] = [];
  mayVary = false;
  uses: ValueUse[] = NO_USES;
  defaults: DefaultUse[] = NO_DEFAULTS;
  /** Depth of `${X:-w}` / `${X:+w}` operands being read. */
  private inOperand = 0;

  constructor(
    private readonly scope: ValueScope | undefined,
    private readonly noSplit: boolean,
  ) {}

  private pushMapped(v: MappedString, bare: boolean, g = false): void {
    if (v.text.length) this.segs.push({ v, at: 0, bare, g, brk: 0 });
  }

  private dyn(p: WordPart): void {
    this.segs.push({ v: uniform(DYNAMIC, p.span.start, p.span.end), at: 0, bare: false, g: false, brk: 0 });
  }

  /** The characters of an expansion's result: split and globbed when unquoted. */
  private pushValue(v: MappedString, quoted: boolean): void {
    if (quoted || this.noSplit) {
      this.pushMapped(v, false);
      return;
    }
    const text = v.text;
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      // The default IFS white space.
      if (c === ' ' || c === '\t' || c === '\n') {
        if (i > from) this.pushMapped(sliceMapped(v, from, i), false, true);
        this.segs.push(marker(startAt(v, i), 1));
        from = i + 1;
      } else if (c === DYNAMIC) this.mayVary = true;
    }
    if (from < text.length) this.pushMapped(from ? sliceMapped(v, from) : v, false, true);
  }

  private noteUse(r: { use?: ValueUse; defaults?: DefaultUse[] }): void {
    if (r.use) this.addUse(r.use);
    if (r.defaults) for (const d of r.defaults) this.addDefault(d);
  }

  private addUse(u: ValueUse): void {
    if (this.uses === NO_USES) this.uses = [];
    this.uses.push(u);
  }

  private addDefault(d: DefaultUse): void {
    if (this.defaults === NO_DEFAULTS) this.defaults = [];
    this.defaults.push(d);
  }

  private pushFields(fields: Field[], quoted: boolean, joinStar: boolean, at: Span): void {
    for (let k = 0; k < fields.length; k++) {
      const f = fields[k];
      if (k > 0) {
        if ((quoted && joinStar) || this.noSplit) this.pushMapped(uniform(' ', at.start, at.end), false);
        else this.segs.push(marker(at.start, quoted ? 2 : 1));
      }
      if (quoted) this.segs.push(marker(f.value.endOffset));
      if (f.mayVary) this.mayVary = true;
      if (f.uses) for (const u of f.uses) this.addUse(u);
      if (f.defaults) for (const d of f.defaults) this.addDefault(d);
      this.pushValue(f.value, quoted);
    }
  }

  private pushElements(els: MappedString[], quoted: boolean, joinStar: boolean, at: Span): void {
    for (let k = 0; k < els.length; k++) {
      const v = els[k];
      if (k > 0) {
        if ((quoted && joinStar) || this.noSplit) this.pushMapped(uniform(' ', at.start, at.end), false);
        else this.segs.push(marker(at.start, quoted ? 2 : 1));
      }
      if (quoted) this.segs.push(marker(v.endOffset));
      this.pushValue(v, quoted);
    }
  }

  /** resolveParam writes the parameter's known value; false when it is only known at run time. */
  private resolveParam(p: ParamExp, quoted: boolean): boolean {
    const scope = this.scope;
    if (!scope || p.prefix) return false;
    const name = p.name;
    if (name === '@' || name === '*' || /^[1-9][0-9]*$/.test(name)) {
      // `${@:1}` is every positional parameter, as `$@` (bash's substring of `@` counts from $0).
      const fromFirst = name === '@' && p.op === ':' && p.words?.length === 1 && p.words[0].parts.length === 1 && p.words[0].parts[0].kind === 'lit' && p.words[0].parts[0].value.text === '1';
      if ((p.op && !fromFirst) || p.index !== undefined) return false;
      const args = scope.positional();
      if (!args) return false;
      if (name === '@' || name === '*') this.pushFields(args, quoted, name === '*', p.span);
      else {
        const i = Number(name) - 1;
        // After a field that may split or vanish, `$N` is at an unknown position.
        if (args.slice(0, i).some((f) => f.mayVary)) return false;
        const f = args[i];
        if (f) this.pushFields([f], quoted, false, p.span);
      }
      return true;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return false;
    const r = scope.lookup(name, p.span);
    if (r.t === 'dynamic') return false;
    const idx = p.index;
    const whole = idx === '@' || idx === '*';
    if (idx !== undefined && !whole && !/^[0-9]+$/.test(idx)) return false;
    let sel: MappedString[] | null = null;
    if (r.t === 'str') sel = whole || idx === undefined || idx === '0' ? [r.value] : [];
    else if (r.t === 'arr') {
      if (whole) {
        sel = r.elements;
        if (r.varies) this.mayVary = true;
      } else if (r.varies) return false;
      else {
        const el = r.elements[idx === undefined ? 0 : Number(idx)];
        sel = el ? [el] : [];
      }
    }
    const isSet = r.t === 'str' || r.t === 'arr';
    let nonEmpty = false;
    if (sel) for (const v of sel) if (v.text !== '') nonEmpty = true;
    switch (p.op) {
      case undefined:
        if (r.t === 'env') return false;
        this.emitSelected(r, sel, whole, idx, quoted, p.span);
        return true;
      case ':-':
      case '-':
      case ':=':
      case '=': {
        if (whole && r.t === 'arr') return false;
        const useValue = isSet && (p.op.length === 1 || nonEmpty);
        if (useValue) {
          this.emitSelected(r, sel, whole, idx, quoted, p.span);
          return true;
        }
        if (r.t === 'env') {
          // `${X:-}` names an input the caller sets (the `set -u` idiom): not the empty default.
          if (emptyOperand(p)) return false;
          this.addDefault({ name, span: p.words?.[0]?.span ?? p.span, paramSpan: p.span });
        }
        this.operand(p, quoted);
        return true;
      }
      case ':+':
      case '+': {
        if (r.t === 'env') return false;
        if (whole && r.t === 'arr') return false;
        if (isSet && (p.op.length === 1 || nonEmpty)) this.operand(p, quoted);
        return true;
      }
      default:
        return false;
    }
  }

  private operand(p: ParamExp, quoted: boolean): void {
    const w = p.words?.[0];
    if (!w) return;
    this.inOperand++;
    this.visit(w.parts, quoted);
    this.inOperand--;
  }

  /**
   * Unquoted `${X:+--label v}`: the operand is expanded and its result field-split, so the blank
   * in it separates two arguments, as a value's blank does (its quoted parts stay whole).
   */
  private pushOperandLiteral(v: MappedString): void {
    if (this.noSplit) return this.pushMapped(v, true);
    const text = v.text;
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== ' ' && c !== '\t' && c !== '\n') continue;
      if (i > from) this.pushMapped(sliceMapped(v, from, i), true);
      this.segs.push(marker(startAt(v, i), 1));
      from = i + 1;
    }
    if (from < text.length) this.pushMapped(from ? sliceMapped(v, from) : v, true);
  }

  private emitSelected(r: Resolved, sel: MappedString[] | null, whole: boolean, idx: string | undefined, quoted: boolean, at: Span): void {
    if (r.t === 'str' || r.t === 'arr') this.noteUse(r);
    if (!sel) return;
    if (sel.length === 1 && !whole) this.pushValue(sel[0], quoted);
    else this.pushElements(sel, quoted, idx === '*', at);
  }

  visit(parts: WordPart[], quoted: boolean): void {
    const segs = this.segs;
    for (const p of parts) {
      switch (p.kind) {
        case 'lit':
          if (!quoted && this.inOperand) this.pushOperandLiteral(p.value);
          else this.pushMapped(p.value, !quoted);
          // An unquoted make expansion left unresolved reaches the shell as unquoted text: it is
          // word-split like `$VAR` and may become several arguments or none.
          if (!quoted && p.value.text.includes(DYNAMIC)) this.mayVary = true;
          break;
        case 'sq':
        case 'ansic':
        case 'esc':
          if (!quoted) segs.push(marker(p.span.start));
          this.pushMapped(p.value, false);
          break;
        case 'dq': {
          // `"${A[@]}"` / `"$@"` with no words gives no field at all, not an empty one.
          const only = p.parts.length === 1 && p.parts[0].kind === 'param' ? p.parts[0] : null;
          const mark = segs.length;
          segs.push(marker(p.span.start));
          const before = segs.length;
          this.visit(p.parts, true);
          if (only && only.splat && segs.length === before) segs.length = mark;
          break;
        }
        case 'param': {
          const mark = segs.length;
          const uses = this.uses.length;
          const defaults = this.defaults.length;
          const mv = this.mayVary;
          if (this.resolveParam(p, quoted)) break;
          segs.length = mark;
          if (this.uses.length !== uses) this.uses.length = uses;
          if (this.defaults.length !== defaults) this.defaults.length = defaults;
          this.mayVary = mv;
          if (!quoted || p.splat) this.mayVary = true;
          this.dyn(p);
          break;
        }
        case 'cmdsubst':
          if (!quoted) this.mayVary = true;
          this.dyn(p);
          break;
        case 'arith':
        case 'procsubst':
          this.dyn(p);
          break;
      }
    }
  }
}

function isBare(it: Item, c: string): boolean {
  return it.bare && it.c === c;
}

function seqItems(content: Item[], s: number, e: number, budget: { left: number }): Item[][] | null {
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
  // Each character of the sequence becomes an item: a range the budget cannot pay for stays
  // literal, as one past MAX_FIELDS does.
  let chars = 0;
  for (const t of out) chars += t.length;
  if (chars > budget.left) return null;
  budget.left -= chars;
  return out.map((t) => Array.from(t, (c) => ({ c, s, e, bare: false })));
}

function looksLikeSeq(items: Item[], from: number, to: number): boolean {
  for (let k = from; k + 1 < to; k++) if (isBare(items[k], '.') && isBare(items[k + 1], '.')) return true;
  return false;
}

/** bash brace expansion over decoded items; only bare `{ , }` are syntax. */
function braceExpand(items: Item[], budget = { left: BRACE_BUDGET }): Item[][] {
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
        for (const alt of braceExpand(items.slice(from, k), budget)) alternatives.push(alt);
        from = k + 1;
      }
    } else {
      const seq = seqItems(items.slice(i + 1, close), items[i].s, items[close].e, budget);
      if (!seq) {
        // An invalid `{x..y}` stays literal as a whole; the search resumes after it.
        i = close;
        continue;
      }
      alternatives = seq;
    }
    const posts = braceExpand(items.slice(close + 1), budget);
    const out: Item[][] = [];
    for (const alt of alternatives) {
      for (const post of posts) {
        if (out.length >= MAX_FIELDS || (out.length && budget.left <= 0)) return out;
        budget.left -= pre.length + alt.length + post.length;
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
    if (!it.bare && !it.g) continue;
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

/** The Item list of segments: one item per character, for brace and tilde expansion. */
function toItems(segs: Seg[]): Item[] {
  const items: Item[] = [];
  for (const sg of segs) {
    const v = sg.v;
    if (!v) {
      items.push(sg.brk ? { c: '', s: sg.at, e: sg.at, bare: false, brk: sg.brk } : { c: '', s: sg.at, e: sg.at, bare: false });
      continue;
    }
    for (let i = 0; i < v.text.length; i++) {
      const it: Item = { c: v.text[i], s: startAt(v, i), e: endAt(v, i), bare: sg.bare };
      if (sg.g) it.g = true;
      items.push(it);
    }
  }
  return items;
}

/**
 * Whether segments need the per-character path: brace expansion (a bare `{` in bash) or tilde
 * expansion (a bare `~` first, or anywhere in an assignment, where `:~` expands too).
 */
function needsItems(segs: Seg[], braces: boolean, tildeAnywhere: boolean): boolean {
  const first = segs[0];
  if (first && first.v && first.bare && first.v.text[0] === '~') return true;
  for (const sg of segs) {
    if (!sg.bare || !sg.v) continue;
    if (braces && sg.v.text.includes('{')) return true;
    if (tildeAnywhere && sg.v.text.includes('~')) return true;
  }
  return false;
}

/** toMapped of segments: their characters joined, markers dropped. */
function segsToMapped(segs: Seg[], endOffset: number): MappedString {
  let only: MappedString | null = null;
  let last: MappedString | null = null;
  let count = 0;
  for (const sg of segs) {
    if (!sg.v) continue;
    if (!count) only = sg.v;
    last = sg.v;
    count++;
  }
  if (!last) return uniform('', endOffset, endOffset);
  const end = endAt(last, last.text.length - 1);
  if (count === 1) return sliceWithEnd(only!, 0, only!.text.length, end);
  const b = new MappedStringBuilder();
  for (const sg of segs) if (sg.v) b.append(sg.v);
  return b.build(end);
}

function segsHaveGlob(segs: Seg[]): boolean {
  let open = false;
  for (const sg of segs) {
    if (!sg.v || (!sg.bare && !sg.g)) continue;
    const t = sg.v.text;
    for (let i = 0; i < t.length; i++) {
      const c = t[i];
      if (c === '*' || c === '?') return true;
      if (c === '[') open = true;
      else if (c === ']' && open) return true;
    }
  }
  return false;
}

/** splitFields of segments. */
function splitSegs(segs: Seg[]): Seg[][] {
  let breaks = false;
  for (const sg of segs) if (sg.brk) breaks = true;
  if (!breaks) return [segs];
  const out: Seg[][] = [];
  let cur: Seg[] = [];
  for (const sg of segs) {
    if (sg.brk === 1) {
      if (cur.length) out.push(cur);
      cur = [];
    } else if (sg.brk === 2) {
      out.push(cur);
      cur = [];
    } else cur.push(sg);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** splitFields cuts a brace-expanded word at the field breaks of its expansions. */
function splitFields(items: Item[]): Item[][] {
  if (!items.some((it) => it.brk)) return [items];
  const out: Item[][] = [];
  let cur: Item[] = [];
  for (const it of items) {
    if (it.brk === 1) {
      if (cur.length) out.push(cur);
      cur = [];
    } else if (it.brk === 2) {
      out.push(cur);
      cur = [];
    } else cur.push(it);
  }
  if (cur.length) out.push(cur);
  return out;
}

/** A word that is exactly one parameter, quoted or not: `$X`, `"$X"`, `"${X}"`, `"$@"`. */
function soleParam(word: Word): { p: ParamExp; quoted: boolean } | null {
  if (word.parts.length !== 1) return null;
  const a = word.parts[0];
  if (a.kind === 'param') return { p: a, quoted: false };
  if (a.kind === 'dq' && a.parts.length === 1 && a.parts[0].kind === 'param') return { p: a.parts[0], quoted: true };
  return null;
}

function withUses(f: Field, flat: Flat): Field {
  if (flat.uses.length) f.uses = distinct(flat.uses);
  if (flat.defaults.length) f.defaults = distinct(flat.defaults);
  return f;
}

/** `[...new Set(list)]` (first occurrences, in order); a word has one use or a few, so no Set for those. */
function distinct<T>(list: readonly T[]): T[] {
  if (list.length === 1) return [list[0]];
  if (list.length > 8) return [...new Set(list)];
  const out: T[] = [];
  for (const x of list) if (!out.includes(x)) out.push(x);
  return out;
}

export function expandWord(word: Word, dialect: Dialect = 'bash', scope?: ValueScope): Field[] {
  const sole = scope ? soleParam(word) : null;
  // `"$@"` and `"$1"` in a wrapper pass the caller's words on untouched: they keep their own
  // positions, so a finding or a fix lands at the call site.
  if (sole && sole.quoted && !sole.p.op && !sole.p.prefix && sole.p.index === undefined) {
    const args = scope!.positional();
    if (args && sole.p.name === '@') return args;
    if (args && /^[1-9][0-9]*$/.test(sole.p.name)) {
      const i = Number(sole.p.name) - 1;
      const f = args[i];
      if (f && !args.slice(0, i).some((x) => x.mayVary)) return [f];
    }
  }
  const flat = flatten(word, scope);
  const { segs, mayVary } = flat;
  const fields: Field[] = [];
  if (!needsItems(segs, dialect === 'bash', false)) {
    // No brace or tilde syntax: the fields are runs of the parts' values, as toMapped of the
    // per-character path would join them.
    for (const piece of splitSegs(segs)) {
      if (!piece.length) continue;
      const value = segsToMapped(piece, word.span.end);
      const glob = segsHaveGlob(piece);
      const dynamic = value.text.includes(DYNAMIC);
      fields.push(withUses({ value, static: !dynamic && !glob, mayVary: mayVary || glob, word }, flat));
    }
    return withSourceWord(fields, sole, scope);
  }
  const items = toItems(segs);
  let groups: Item[][] = [items];
  if (dialect === 'bash' && items.length <= MAX_BRACE_WORD) {
    const file = scope?.braceBudget;
    const budget = { left: file ? Math.min(BRACE_BUDGET, file.left) : BRACE_BUDGET };
    const before = budget.left;
    groups = braceExpand(items, budget);
    if (file) file.left -= before - budget.left;
  }
  for (const g of groups) {
    for (const piece of splitFields(expandTilde(g))) {
      // An unquoted field that expands to nothing is dropped, as bash does for `{,a}`.
      if (!piece.length) continue;
      const value = toMapped(piece, word.span.end);
      const glob = hasGlob(piece);
      const dynamic = value.text.includes(DYNAMIC);
      fields.push(withUses({ value, static: !dynamic && !glob, mayVary: mayVary || glob, word }, flat));
    }
  }
  return withSourceWord(fields, sole, scope);
}

function withSourceWord(fields: Field[], sole: { p: ParamExp; quoted: boolean } | null, scope?: ValueScope): Field[] {
  if (sole && fields.length === 1 && !sole.p.op && sole.p.index === undefined && scope) {
    const r = scope.lookup(sole.p.name, sole.p.span);
    if (r.t === 'str' && r.word && r.value.text === fields[0].value.text) fields[0].sourceWord = r.word;
  }
  return fields;
}

/**
 * The value an assignment gives (`X=word`): no word splitting, brace or pathname expansion; a
 * leading `~` is the home directory (DYNAMIC).
 */
export function assignmentValue(word: Word, scope?: ValueScope, maxLength = Infinity): { value: MappedString; uses: ValueUse[]; defaults: DefaultUse[]; tooLong?: true } {
  const flat = flatten(word, scope, true);
  // A value past what the caller keeps is not built: `X="$X$X"` repeated would copy the longest
  // value it keeps twice on every line.
  if (maxLength !== Infinity) {
    let length = 0;
    for (const sg of flat.segs) if (sg.v) length += sg.v.text.length;
    if (length > maxLength) return { value: uniform('', word.span.end, word.span.end), uses: [], defaults: [], tooLong: true };
  }
  if (!needsItems(flat.segs, false, true)) return { value: segsToMapped(flat.segs, word.span.end), uses: flat.uses, defaults: flat.defaults };
  // bash also expands a `~` after a `:` in an assignment (`PATH=a:~/bin`).
  const its = toItems(flat.segs);
  for (let i = 1; i < its.length; i++) if (isBare(its[i], '~') && isBare(its[i - 1], ':')) its[i] = { c: DYNAMIC, s: its[i].s, e: its[i].e, bare: false };
  return { value: toMapped(expandTilde(its), word.span.end), uses: flat.uses, defaults: flat.defaults };
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
  const { segs } = flatten(word);
  if (!needsItems(segs, false, false)) return segsToMapped(segs, word.span.end);
  return toMapped(expandTilde(toItems(segs)), word.span.end);
}
