/**
 * A `.gitignore` matcher with git's semantics (git `dir.c`: `add_patterns_from_buffer`,
 * `parse_path_pattern`, `match_basename`, `match_pathname`; `wildmatch.c` with WM_PATHNAME) and
 * no backtracking: each pattern is compiled to a list of tokens and matched by simulating the
 * automaton it describes, state sets deduplicated, so a match costs at most pattern × path steps
 * whatever the pattern holds (`*a*a*a…b`, thousands of `**` and `/` in a row, a line of hundreds of kilobytes).
 *
 * Paths and patterns are bytes, as git compares them: `?` is one byte, classes and ranges are on
 * bytes, and a file name that is not valid UTF-8 is matched as it is on disk.
 */

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

// Token kinds of a compiled pattern.
const LITERAL = 0;
const ANY_BYTE = 1; // `?`: one byte other than `/`
const CLASS = 2; // `[…]`: one byte of a set, never `/`
const STAR_SEGMENT = 3; // `*`: any bytes within one path segment
const STAR_ANY = 4; // `**` at a boundary: any bytes, `/` included
const NEVER = 5; // an unterminated class or an unknown `[:name:]`: wildmatch aborts there

/** The byte sets of POSIX character classes as git's wildmatch tests them (ASCII only). */
function namedClass(name: string): ((b: number) => boolean) | null {
  const isUpper = (b: number) => b >= 0x41 && b <= 0x5a;
  const isLower = (b: number) => b >= 0x61 && b <= 0x7a;
  const isDigit = (b: number) => b >= 0x30 && b <= 0x39;
  const isAlpha = (b: number) => isUpper(b) || isLower(b);
  const isPunct = (b: number) => (b >= 0x21 && b <= 0x2f) || (b >= 0x3a && b <= 0x40) || (b >= 0x5b && b <= 0x60) || (b >= 0x7b && b <= 0x7e);
  switch (name) {
    case 'alnum':
      return (b) => isAlpha(b) || isDigit(b);
    case 'alpha':
      return isAlpha;
    case 'blank':
      return (b) => b === 0x20 || b === 0x09;
    case 'cntrl':
      return (b) => b < 0x20 || b === 0x7f;
    case 'digit':
      return isDigit;
    case 'graph':
      return (b) => b > 0x20 && b < 0x7f;
    case 'lower':
      return isLower;
    case 'print':
      return (b) => b >= 0x20 && b < 0x7f;
    case 'punct':
      return isPunct;
    case 'space':
      // git's own ctype: space, tab, newline and carriage return.
      return (b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
    case 'upper':
      return isUpper;
    case 'xdigit':
      return (b) => isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);
    default:
      return null;
  }
}

/**
 * A compiled wildmatch pattern. `kind[i]`/`arg[i]` describe token i; a STAR_ANY whose `arg` is 1
 * may also match nothing together with the `/` after it (git's `**` + `/` shortcut).
 */
class Wildmatch {
  readonly kind: Uint8Array;
  readonly arg: Int32Array;
  readonly classes: Uint8Array[] = [];
  readonly length: number;
  private readonly stamp: Int32Array;
  private generation = 0;
  private current: Int32Array;
  private next: Int32Array;
  private readonly closureStack: Int32Array;
  private readonly never: boolean;
  /** No `**` crossing `/`: pattern segments match path segments one to one. */
  private readonly segmentWise: boolean;
  private readonly need: Int32Array;

  /**
   * `pattern[from, to)` is compiled. `pathname` is WM_PATHNAME (a star stops at `/`); `**` counts
   * as crossing `/` only when it starts the pattern or follows `/`, and ends it or precedes `/`.
   */
  constructor(pattern: Uint8Array, from: number, to: number, pathname: boolean) {
    const kind = new Uint8Array(to - from + 1);
    const arg = new Int32Array(to - from + 1);
    let n = 0;
    const push = (k: number, a: number) => {
      kind[n] = k;
      arg[n] = a;
      n++;
    };
    let p = from;
    while (p < to) {
      const c = pattern[p];
      if (c === STAR) {
        const first = p;
        while (p < to && pattern[p] === STAR) p++;
        const run = p - first;
        // Without WM_PATHNAME every star crosses `/`, but then the text is one name without `/`:
        // a star that stays within the segment is the same and takes the faster matcher.
        let crossing = false;
        let skipWithSlash = 0;
        if (pathname && run >= 2 && (first === from || pattern[first - 1] === SLASH)) {
          if (p === to || pattern[p] === SLASH || (pattern[p] === BACKSLASH && p + 1 < to && pattern[p + 1] === SLASH)) {
            crossing = true;
            if (p < to && pattern[p] === SLASH) skipWithSlash = 1;
          }
        }
        // Consecutive `**/` match any number of whole segments, like one of them.
        if (crossing && skipWithSlash && n >= 2 && kind[n - 2] === STAR_ANY && arg[n - 2] === 1 && kind[n - 1] === LITERAL && arg[n - 1] === SLASH) {
          p++;
          continue;
        }
        push(crossing ? STAR_ANY : STAR_SEGMENT, skipWithSlash);
        continue;
      }
      if (c === QUESTION) {
        push(ANY_BYTE, 0);
        p++;
        continue;
      }
      if (c === BACKSLASH) {
        // A trailing backslash escapes nothing: wildmatch then compares the pattern's end with a byte.
        if (p + 1 >= to) {
          push(NEVER, 0);
          p++;
          continue;
        }
        push(LITERAL, pattern[p + 1]);
        p += 2;
        continue;
      }
      if (c === OPEN_BRACKET) {
        const parsed = this.parseClass(pattern, p, to, pathname);
        if (parsed.end < 0) {
          push(NEVER, 0);
          p = to;
          continue;
        }
        this.classes.push(parsed.set);
        push(CLASS, this.classes.length - 1);
        p = parsed.end;
        continue;
      }
      push(LITERAL, c);
      p++;
    }
    this.kind = kind;
    this.arg = arg;
    this.length = n;
    let never = false;
    let crossing = false;
    for (let i = 0; i < n; i++) {
      if (kind[i] === NEVER) never = true;
      if (kind[i] === STAR_ANY) crossing = true;
    }
    this.never = never;
    this.segmentWise = !crossing;
    // The automaton's state sets, only for patterns that need it.
    const states = crossing ? n + 1 : 0;
    this.stamp = new Int32Array(states);
    this.current = new Int32Array(states);
    this.next = new Int32Array(states);
    // Each state popped unseen pushes at most two more.
    this.closureStack = new Int32Array(crossing ? 2 * n + 4 : 0);
    // need[i]: how many bytes the tokens from i to the end of their segment need at least.
    this.need = new Int32Array(n + 1);
    for (let i = n - 1; i >= 0; i--) {
      const k = kind[i];
      this.need[i] = k === LITERAL && arg[i] === SLASH ? 0 : this.need[i + 1] + (k === STAR_SEGMENT ? 0 : 1);
    }
  }

  /** parseClass reads `[…]` at `start` as wildmatch does; `end` is -1 when it never closes. */
  private parseClass(pattern: Uint8Array, start: number, to: number, pathname: boolean): { set: Uint8Array; end: number } {
    const set = new Uint8Array(256);
    let p = start + 1;
    let negated = false;
    if (p < to && (pattern[p] === 0x21 || pattern[p] === 0x5e)) {
      negated = true;
      p++;
    }
    let prev = -1;
    let first = true;
    for (;;) {
      if (p >= to) return { set, end: -1 };
      let c = pattern[p];
      if (c === CLOSE_BRACKET && !first) break;
      first = false;
      if (c === BACKSLASH) {
        p++;
        if (p >= to) return { set, end: -1 };
        c = pattern[p];
        set[c] = 1;
        prev = c;
      } else if (c === 0x2d && prev >= 0 && p + 1 < to && pattern[p + 1] !== CLOSE_BRACKET) {
        p++;
        let hi = pattern[p];
        if (hi === BACKSLASH) {
          p++;
          if (p >= to) return { set, end: -1 };
          hi = pattern[p];
        }
        for (let b = prev; b <= hi; b++) set[b] = 1;
        prev = -1;
      } else if (c === OPEN_BRACKET && p + 1 < to && pattern[p + 1] === 0x3a) {
        const s = p + 2;
        let q = s;
        while (q < to && pattern[q] !== CLOSE_BRACKET) q++;
        if (q >= to) return { set, end: -1 };
        if (q - s - 1 < 0 || pattern[q - 1] !== 0x3a) {
          // No `:]`: the `[` is an ordinary member and reading goes on after it.
          set[OPEN_BRACKET] = 1;
          prev = OPEN_BRACKET;
        } else {
          let name = '';
          for (let k = s; k < q - 1 && k < s + 8; k++) name += String.fromCharCode(pattern[k]);
          const test = q - 1 - s <= 8 ? namedClass(name) : null;
          if (!test) return { set, end: -1 };
          for (let b = 0; b < 256; b++) if (test(b)) set[b] = 1;
          prev = -1;
          p = q;
        }
      } else {
        set[c] = 1;
        prev = c;
      }
      p++;
    }
    if (negated) for (let b = 0; b < 256; b++) set[b] ^= 1;
    if (pathname) set[SLASH] = 0;
    return { set, end: p + 1 };
  }

  /** add puts state `s` and every state reachable from it without reading a byte into `into`. */
  private add(s: number, into: Int32Array, size: number): number {
    const stack = this.closureStack;
    let top = 0;
    stack[top++] = s;
    while (top) {
      const q = stack[--top];
      if (this.stamp[q] === this.generation) continue;
      this.stamp[q] = this.generation;
      into[size++] = q;
      if (q < this.length) {
        const k = this.kind[q];
        if (k === STAR_SEGMENT || k === STAR_ANY) {
          stack[top++] = q + 1;
          if (k === STAR_ANY && this.arg[q] === 1) stack[top++] = q + 2;
        }
      }
    }
    return size;
  }

  /** matches tells whether `text[from, to)` matches the whole pattern. */
  matches(text: Uint8Array, from: number, to: number): boolean {
    if (this.never) return false;
    return this.segmentWise ? this.matchSegments(text, from, to) : this.matchAutomaton(text, from, to);
  }

  /** one tells whether token `q` (one byte wide) accepts byte `b`. */
  private one(q: number, b: number): boolean {
    switch (this.kind[q]) {
      case LITERAL:
        return this.arg[q] === b;
      case ANY_BYTE:
        return b !== SLASH;
      case CLASS:
        return this.classes[this.arg[q]][b] === 1;
      default:
        return false;
    }
  }

  /**
   * matchSegments: with no `**`, each `/` of the pattern is the path's next `/`, so segments are
   * matched one by one, each by the classic greedy star with a single backtrack point (the last
   * star seen); giving up as soon as the bytes left are fewer than the pattern still needs.
   */
  private matchSegments(text: Uint8Array, from: number, to: number): boolean {
    const n = this.length;
    let p = 0;
    let t = from;
    for (;;) {
      let pEnd = p;
      while (pEnd < n && !(this.kind[pEnd] === LITERAL && this.arg[pEnd] === SLASH)) pEnd++;
      let tEnd = t;
      while (tEnd < to && text[tEnd] !== SLASH) tEnd++;
      let starP = -1;
      let starT = 0;
      while (t < tEnd || p < pEnd) {
        if (this.need[p] > tEnd - t) {
          // Backtracking only gives the star more bytes, leaving fewer for the rest.
          if (starP < 0 || this.need[starP + 1] > tEnd - starT - 1) return false;
          p = starP + 1;
          t = ++starT;
          continue;
        }
        if (p < pEnd && this.kind[p] === STAR_SEGMENT) {
          starP = p++;
          starT = t;
          continue;
        }
        if (p < pEnd && t < tEnd && this.one(p, text[t])) {
          p++;
          t++;
          continue;
        }
        if (starP < 0 || starT >= tEnd) return false;
        p = starP + 1;
        t = ++starT;
      }
      // Both at the end of a segment: the pattern's `/` meets the path's, or both end.
      if (pEnd === n || tEnd === to) return pEnd === n && tEnd === to;
      p = pEnd + 1;
      t = tEnd + 1;
    }
  }

  private matchAutomaton(text: Uint8Array, from: number, to: number): boolean {
    const n = this.length;
    let cur = this.current;
    let nxt = this.next;
    this.generation++;
    let size = this.add(0, cur, 0);
    for (let t = from; t < to && size > 0; t++) {
      const b = text[t];
      this.generation++;
      let nextSize = 0;
      for (let i = 0; i < size; i++) {
        const q = cur[i];
        if (q >= n) continue;
        switch (this.kind[q]) {
          case LITERAL:
            if (this.arg[q] === b) nextSize = this.add(q + 1, nxt, nextSize);
            break;
          case ANY_BYTE:
            if (b !== SLASH) nextSize = this.add(q + 1, nxt, nextSize);
            break;
          case CLASS:
            if (this.classes[this.arg[q]][b]) nextSize = this.add(q + 1, nxt, nextSize);
            break;
          case STAR_SEGMENT:
            if (b !== SLASH) nextSize = this.add(q, nxt, nextSize);
            break;
          case STAR_ANY:
            nextSize = this.add(q, nxt, nextSize);
            break;
        }
      }
      const swap = cur;
      cur = nxt;
      nxt = swap;
      size = nextSize;
    }
    this.current = cur;
    this.next = nxt;
    for (let i = 0; i < size; i++) if (cur[i] === n) return true;
    return false;
  }
}

function isGlobSpecial(b: number): boolean {
  return b === STAR || b === QUESTION || b === OPEN_BRACKET || b === BACKSLASH;
}

/** One line of a `.gitignore`, parsed as git's `parse_path_pattern` does. */
class Pattern {
  readonly negative: boolean;
  readonly mustBeDir: boolean;
  /** No `/` but a trailing one: matched against the last path segment only. */
  readonly basenameOnly: boolean;
  private readonly bytes: Uint8Array;
  /** The bytes before the first wildcard, compared directly (git's `nowildcardlen`). */
  private readonly prefix: number;
  private readonly wild: Wildmatch | null;

  constructor(line: Uint8Array) {
    let start = 0;
    let end = line.length;
    this.negative = line[0] === 0x21;
    if (this.negative) start++;
    this.mustBeDir = end > start && line[end - 1] === SLASH;
    if (this.mustBeDir) end--;
    let slash = false;
    for (let i = start; i < end; i++) if (line[i] === SLASH) slash = true;
    this.basenameOnly = !slash;
    if (!this.basenameOnly && line[start] === SLASH) start++;
    this.bytes = line.subarray(start, end);
    let prefix = 0;
    while (prefix < this.bytes.length && !isGlobSpecial(this.bytes[prefix])) prefix++;
    this.prefix = prefix;
    if (prefix === this.bytes.length) this.wild = null;
    else if (this.basenameOnly) this.wild = new Wildmatch(this.bytes, 0, this.bytes.length, false);
    // match_pathname hands wildmatch only what follows the literal prefix, so a `**` right there
    // counts as starting the pattern.
    else this.wild = new Wildmatch(this.bytes, prefix, this.bytes.length, true);
  }

  /** matches `path[from, to)`, relative to the directory of the `.gitignore`; `base` starts its last segment. */
  matches(path: Uint8Array, from: number, to: number, base: number): boolean {
    const pat = this.bytes;
    const start = this.basenameOnly ? base : from;
    const len = to - start;
    if (this.wild === null) {
      if (len !== pat.length) return false;
      for (let i = 0; i < len; i++) if (path[start + i] !== pat[i]) return false;
      return true;
    }
    if (this.basenameOnly) return this.wild.matches(path, start, to);
    if (this.prefix > len) return false;
    for (let i = 0; i < this.prefix; i++) if (path[start + i] !== pat[i]) return false;
    return this.wild.matches(path, start + this.prefix, to);
  }
}

const encoder = new TextEncoder();

function toBytes(s: string | Uint8Array): Uint8Array {
  return typeof s === 'string' ? encoder.encode(s) : s;
}

/** The patterns of one `.gitignore` file (or one list of globs), in order. */
export class Gitignore {
  private readonly patterns: Pattern[] = [];

  /** parse reads a `.gitignore` file's content as git does: one pattern per line. */
  static parse(content: string | Uint8Array): Gitignore {
    const g = new Gitignore();
    const buf = toBytes(content);
    let start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    for (let i = start; i <= buf.length; i++) {
      if (i < buf.length && buf[i] !== 0x0a) continue;
      let end = i;
      if (end > start && buf[end - 1] === 0x0d && i < buf.length) end--;
      g.addLine(buf.subarray(start, end));
      start = i + 1;
    }
    return g;
  }

  /** fromPatterns: each string is one pattern, read like a `.gitignore` line. */
  static fromPatterns(patterns: readonly string[]): Gitignore {
    const g = new Gitignore();
    for (const p of patterns) for (const line of p.split(/\r?\n/)) g.addLine(encoder.encode(line));
    return g;
  }

  private addLine(line: Uint8Array): void {
    if (line.length === 0 || line[0] === 0x23) return;
    const end = trimTrailingSpaces(line);
    if (end === 0) return;
    this.patterns.push(new Pattern(line.subarray(0, end)));
  }

  get size(): number {
    return this.patterns.length;
  }

  /**
   * decide gives what the last pattern matching `path[from, to)` says: true ignored, false
   * re-included by a `!` pattern, null when no pattern matches. The path is relative to the
   * directory of the `.gitignore`, `/`-separated, with no trailing `/`.
   */
  decide(path: string | Uint8Array, isDir: boolean, from = 0, to?: number): boolean | null {
    const bytes = toBytes(path);
    const end = to ?? bytes.length;
    let base = end;
    while (base > from && bytes[base - 1] !== SLASH) base--;
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      const p = this.patterns[i];
      if (p.mustBeDir && !isDir) continue;
      if (p.matches(bytes, from, end, base)) return !p.negative;
    }
    return null;
  }

  /**
   * ignores: whether git would leave out `path` (relative, `/`-separated; a trailing `/` marks a
   * directory). A path under an ignored directory is ignored whatever later patterns say, since
   * git never looks inside that directory.
   */
  ignores(path: string): boolean {
    const isDir = path.endsWith('/');
    const bytes = encoder.encode(isDir ? path.slice(0, -1) : path);
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === SLASH && i > 0 && this.decide(bytes, true, 0, i) === true) return true;
    }
    return this.decide(bytes, isDir) === true;
  }
}

/** trimTrailingSpaces: the length of `line` without its unescaped trailing spaces (git's `trim_trailing_spaces`). */
function trimTrailingSpaces(line: Uint8Array): number {
  let lastSpace = -1;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === 0x20) {
      if (lastSpace < 0) lastSpace = i;
    } else if (c === BACKSLASH) {
      i++;
      if (i >= line.length) return line.length;
      lastSpace = -1;
    } else lastSpace = -1;
  }
  return lastSpace >= 0 ? lastSpace : line.length;
}

/**
 * A `.gitignore` in force for a walk: its patterns apply to paths from byte `from` on (the path
 * relative to its directory).
 */
export interface GitignoreLayer {
  gitignore: Gitignore;
  from: number;
}

/**
 * ignoredBy decides `path` (bytes, `/`-separated, no trailing `/`) against the `.gitignore` files of
 * its directories, outermost first: the deepest file with a matching pattern decides, its last
 * matching pattern wins. Whether a directory above is ignored is the walker's business (it does
 * not enter one).
 */
export function ignoredBy(layers: readonly GitignoreLayer[], path: Uint8Array, isDir: boolean): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const d = layers[i].gitignore.decide(path, isDir, layers[i].from);
    if (d !== null) return d;
  }
  return false;
}
