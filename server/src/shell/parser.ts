/**
 * Shell parser: consumes a MappedString of POSIX sh / bash text and produces the Script AST of
 * ./ast.ts, with every span mapped back to original-file offsets through the MappedString.
 *
 * Design notes:
 * - Hand-written recursive descent with a shared nesting budget (MAX_DEPTH): user input controls
 *   nesting, so once the budget is spent the rest of the input is skipped with an error instead
 *   of overflowing the JS stack.
 * - No regular expressions run over user text; every loop advances, so parsing is linear.
 * - Syntax errors never throw: they are recorded in the top-level Script.errors and parsing
 *   recovers. Nested scripts (inside $(…), here-docs, …) carry an empty `errors` list; all
 *   errors are reported once, on the script returned by parseShell.
 */
import type { MappedString } from '../core/mapped-string';
import { endAt, sliceMapped, sliceWithEnd, startAt } from '../core/mapped-string';
import { LazyWord, RangeBuilder, SlicePart, type WordSource } from './slice';
import { AndOrList, NONE, PipelineCmd, ShellStmt, SimpleCmd } from './nodes';
import type { Span } from '../core/span';
import type {
  Assign,
  CaseClause,
  Command,
  Dialect,
  DblQuoted,
  Escaped,
  SglQuoted,
  ForClause,
  FuncDecl,
  HereDoc,
  IfClause,
  Lit,
  LoopClause,
  ParamExp,
  Redirect,
  Script,
  ShellSyntaxError,
  Stmt,
  TestClause,
  Word,
  WordPart,
} from './ast';

/** Each level costs roughly a dozen JS frames; 200 keeps well inside Node's default stack. */
const MAX_DEPTH = 200;

interface SharedState {
  errors: ShellSyntaxError[];
  dialect: Dialect;
  tooDeepReported: boolean;
  /** How many more statements may be read (StatementBudget); absent: no bound. */
  budget?: StatementBudget;
  /** Where reading stopped when the budget ran out: every later error would be about the cut. */
  stoppedAt?: number;
  /** The parser that recorded the last error, where in its text, and where that line ends (-1: at the end). */
  lastErrorBy?: Parser;
  lastErrorAt?: number;
  lastErrorLineEnd?: number;
}

type Tok =
  | { t: 'word'; word: Word; start: number; end: number; fd: boolean; array?: Word[]; kw?: string | null }
  | { t: 'op'; op: string; start: number; end: number }
  | { t: 'nl'; start: number; end: number }
  | { t: 'eof'; start: number; end: number };

interface PendingHeredoc {
  redirect: Redirect;
  delimiter: string;
  quoted: boolean;
  stripTabs: boolean;
  opStart: number;
}

/**
 * The redirections of a statement that has none (nearly all): one frozen list, not an empty
 * array per statement kept as long as the AST. Readers only iterate it.
 */
const NO_REDIRECTS: Redirect[] = Object.freeze([]) as unknown as Redirect[];

const RESERVED_NON_STARTERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}', 'in', ']]']);

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isNameChar(c: string): boolean {
  return isNameStart(c) || (c >= '0' && c <= '9');
}
function isNameCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
}
function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isHex(c: string): boolean {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/** The errors of a script that has none, and of every nested one: frozen, so a write throws. */
const NO_ERRORS = Object.freeze([]) as unknown as ShellSyntaxError[];

/**
 * Statements (at every depth, command substitutions included) the parses of one file may still
 * read together. A statement weighs some 400 bytes of syntax tree, and a file of short commands
 * holds one every 7 bytes: the budget, not the file, bounds the tree.
 */
export interface StatementBudget {
  left: number;
}

export function parseShell(source: MappedString, opts?: { dialect?: Dialect; budget?: StatementBudget }): Script {
  const shared: SharedState = { errors: [], dialect: opts?.dialect ?? 'bash', tooDeepReported: false, budget: opts?.budget };
  const whole: Span = source.text.length ? { start: startAt(source, 0), end: endAt(source, source.text.length - 1) } : { start: source.endOffset, end: source.endOffset };
  try {
    const p = new Parser(source, shared, 0);
    const script = p.parseScript();
    // A script without errors (most: a Makefile or CI file has one per command) shares one list.
    script.errors = shared.errors.length ? shared.errors : NO_ERRORS;
    if (shared.stoppedAt !== undefined) script.cutAt = shared.stoppedAt;
    return script;
  } catch (e) {
    shared.errors.push({ span: whole, message: `internal parser error: ${(e as Error)?.message ?? String(e)}` });
    return { span: whole, stmts: [], errors: shared.errors };
  }
}

/**
 * What a lazy word keeps to read its parts again (see LazyWord): the source and the dialect, and
 * the one parser that reads flat words again for all of them, made at the first reading (most
 * words never are; those that are, once, and a parser per word was most of what that
 * allocated). Not the parser that read the text: with its token, scratch stacks and heredoc
 * list it weighed more than a short region's words, and a Makefile or CI file has a region per
 * command. Depth 0: the first reading did not run out of nesting budget either.
 */
class WordReader implements WordSource {
  private reparser: Parser | null = null;

  constructor(
    readonly src: MappedString,
    private readonly dialect: Dialect,
  ) {}

  reparseWord(a: number, b: number): WordPart[] {
    const p = (this.reparser ??= new Parser(this.src, { errors: [], dialect: this.dialect, tooDeepReported: false }, 0));
    // The same code reads the same text, so it ends where the scan did; should that ever fail,
    // the parts read are still the best answer, and a linter must not crash over it.
    void b;
    return p.rereadWord(a);
  }
}

type ReadMode = 'word' | 'dq' | 'brace' | 'heredoc';

/**
 * For each mode, the ASCII characters readParts must look at; every other character (and all of
 * U+0080 and up) is literal there, so runs of them are skipped in a tight loop. Marking a
 * character here is always safe: it then goes through the general path.
 */
const SPECIAL: Record<ReadMode, Uint8Array> = {
  word: specialTable(' \t\n\r;&|()<>\'"'),
  dq: specialTable('"'),
  brace: specialTable('}\'"'),
  heredoc: specialTable(''),
};
function specialTable(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (const c of chars + '\\$`') t[c.charCodeAt(0)] = 1;
  return t;
}

class Parser {
  private readonly text: string;
  private readonly n: number;
  private pos = 0;
  private tok: Tok | null = null;
  private pending: PendingHeredoc[] = [];

  constructor(
    readonly src: MappedString,
    private readonly shared: SharedState,
    private depth: number,
  ) {
    this.text = src.text;
    this.n = src.text.length;
  }

  // ---- positions -------------------------------------------------------------------------

  private sp(a: number, b: number): Span {
    if (a >= b) {
      const at = a < this.n ? startAt(this.src, a) : this.src.endOffset;
      return { start: at, end: at };
    }
    return { start: startAt(this.src, a), end: endAt(this.src, b - 1) };
  }

  /**
   * error records a syntax error, the first of each line only: after one error the parser's
   * recovery reads the rest of the line out of step, so what follows on it (each of 125,600
   * stray `)`) restates the same mistake. bash stops at its first syntax error.
   */
  private error(a: number, b: number, message: string, cutShort = false): void {
    const sh = this.shared;
    // Past the nesting budget the rest of the input is skipped: every enclosing construct would
    // then report itself unterminated, although bash reads it closed.
    if (sh.tooDeepReported || sh.stoppedAt !== undefined) return;
    if (sh.lastErrorBy === this && a >= sh.lastErrorAt! && (sh.lastErrorLineEnd! < 0 || a <= sh.lastErrorLineEnd!)) return;
    sh.lastErrorBy = this;
    sh.lastErrorAt = a;
    sh.lastErrorLineEnd = this.text.indexOf('\n', a);
    sh.errors.push(cutShort ? { span: this.sp(a, b), message, cutShort } : { span: this.sp(a, b), message });
  }

  /** Enters one nesting level; when the budget is spent, skips the rest of the input. */
  private enter(at: number): boolean {
    if (this.depth + 1 > MAX_DEPTH) {
      if (!this.shared.tooDeepReported) {
        this.error(at, this.n, `nesting deeper than ${MAX_DEPTH} levels: what follows is not read`);
        this.shared.tooDeepReported = true;
      }
      this.pos = this.n;
      this.tok = null;
      this.pending = [];
      return false;
    }
    this.depth++;
    return true;
  }
  private leave(): void {
    this.depth--;
  }

  private skipRest(): void {
    this.pos = this.n;
    this.tok = null;
    this.pending = [];
  }

  private skipCont(): void {
    while (this.text.charCodeAt(this.pos) === 92 && this.text.charCodeAt(this.pos + 1) === 10) this.pos += 2;
  }
  /** Index of the first real character at or after i, skipping line continuations. */
  private real(i: number): number {
    while (this.text.charCodeAt(i) === 92 && this.text.charCodeAt(i + 1) === 10) i += 2;
    return i;
  }

  // ---- tokens ----------------------------------------------------------------------------

  private peek(): Tok {
    if (!this.tok) this.tok = this.lex();
    return this.tok;
  }
  private next(): Tok {
    const t = this.peek();
    this.tok = null;
    return t;
  }

  private skipBlanks(): void {
    const text = this.text;
    for (;;) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9) {
        this.pos++;
        continue;
      }
      this.skipCont();
      const d = text[this.pos];
      if (d === ' ' || d === '\t' || (d === '\r' && this.text[this.pos + 1] === '\n')) {
        this.pos++;
      } else if (d === '#') {
        const nl = this.text.indexOf('\n', this.pos);
        this.pos = nl < 0 ? this.n : nl;
      } else return;
    }
  }

  private lex(): Tok {
    this.skipBlanks();
    const start = this.pos;
    if (this.pos >= this.n) {
      if (this.pending.length) this.readHeredocBodies();
      return { t: 'eof', start, end: start };
    }
    const c = this.text[this.pos];
    if (c === '\n') {
      this.pos++;
      if (this.pending.length) this.readHeredocBodies();
      return { t: 'nl', start, end: start + 1 };
    }
    const op = this.readOp();
    if (op) return { t: 'op', op, start, end: this.pos };
    return this.lexWord();
  }

  private take(op: string, end: number): string {
    this.pos = end;
    return op;
  }

  private readOp(): string | null {
    const i = this.pos;
    const code = this.text.charCodeAt(i);
    // Only ; & | ( ) < > start an operator.
    if (code !== 59 && code !== 38 && code !== 124 && code !== 40 && code !== 41 && code !== 60 && code !== 62) return null;
    const c = this.text[i];
    const j = this.real(i + 1);
    const d = this.text[j];
    switch (c) {
      case ';':
        if (d === ';') {
          const k = this.real(j + 1);
          if (this.text[k] === '&') return this.take(';;&', k + 1);
          return this.take(';;', j + 1);
        }
        if (d === '&') return this.take(';&', j + 1);
        return this.take(';', i + 1);
      case '&':
        if (d === '&') return this.take('&&', j + 1);
        if (d === '>') {
          const k = this.real(j + 1);
          if (this.text[k] === '>') return this.take('&>>', k + 1);
          return this.take('&>', j + 1);
        }
        return this.take('&', i + 1);
      case '|':
        if (d === '|') return this.take('||', j + 1);
        if (d === '&') return this.take('|&', j + 1);
        return this.take('|', i + 1);
      case '(':
        return this.take('(', i + 1);
      case ')':
        return this.take(')', i + 1);
      case '<':
        if (d === '(' && this.shared.dialect === 'bash') return null;
        if (d === '<') {
          const k = this.real(j + 1);
          if (this.text[k] === '<') return this.take('<<<', k + 1);
          if (this.text[k] === '-') return this.take('<<-', k + 1);
          return this.take('<<', j + 1);
        }
        if (d === '&') return this.take('<&', j + 1);
        if (d === '>') return this.take('<>', j + 1);
        return this.take('<', i + 1);
      case '>':
        if (d === '(' && this.shared.dialect === 'bash') return null;
        if (d === '>') return this.take('>>', j + 1);
        if (d === '&') return this.take('>&', j + 1);
        if (d === '|') return this.take('>|', j + 1);
        return this.take('>', i + 1);
    }
    return null;
  }

  /** What this parser's lazy words read their parts again with (made at the first one). */
  private words: WordReader | null = null;

  /**
   * Reads the parts of the flat word at `a` again: only its position matters (no tokens,
   * heredocs or errors). Its stale slots are never cleared: they hold the parts of one flat word
   * (ranges of the source, parameters), nothing of the AST, and clearing them would reallocate
   * per read.
   */
  rereadWord(a: number): WordPart[] {
    this.pos = a;
    this.tok = null;
    if (this.shared.errors.length) this.shared.errors.length = 0;
    this.partTop = 0;
    return this.readParts('word', false);
  }

  /** Set by scanFlatWord: the range of the word's only part when that is a literal, else -1. */
  private flatLitStart = -1;
  private flatLitEnd = -1;

  /**
   * Scans a flat word (see LazyWord) from pos and returns its end, or -1 when the word is not
   * flat or may need the general reader (it ends at `(`, `<`, `>`, `\r`, …). Conservative: any
   * doubt means -1, and the general path then reads the word as before.
   */
  private scanFlatWord(start: number): number {
    const text = this.text;
    const n = this.n;
    const special = SPECIAL.word;
    let i = start;
    let parts = 0;
    let litA = -1;
    let litB = -1;
    let inLit = false;
    let onlyLit = true;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c >= 128 || special[c] === 0) {
        if (!inLit) {
          inLit = true;
          parts++;
          litA = i;
        }
        i++;
        continue;
      }
      if (inLit) {
        inLit = false;
        litB = i;
      }
      if (c === 92) {
        if (i + 1 >= n) return -1;
        // `\<newline>` is a line continuation (no part), anything else an Escaped.
        if (text.charCodeAt(i + 1) !== 10) {
          parts++;
          onlyLit = false;
        }
        i += 2;
        continue;
      }
      if (c === 39) {
        const close = text.indexOf("'", i + 1);
        if (close < 0) return -1;
        parts++;
        onlyLit = false;
        i = close + 1;
        continue;
      }
      if (c === 34) {
        let j = i + 1;
        for (; j < n; j++) {
          const d = text.charCodeAt(j);
          if (d === 34) break;
          if (d === 92 || d === 96) return -1;
          if (d === 36) {
            const k = this.scanFlatParam(j, false);
            if (k < 0) return -1;
            j = k - 1;
          }
        }
        if (j >= n) return -1;
        parts++;
        onlyLit = false;
        i = j + 1;
        continue;
      }
      if (c === 36) {
        const k = this.scanFlatParam(i, true);
        if (k < 0) return -1;
        i = k;
        parts++;
        onlyLit = false;
        continue;
      }
      // Blank, newline, `;`, `&`, `|`, `)` end a word; anything else needs the general reader.
      if (c === 32 || c === 9 || c === 10 || c === 59 || c === 38 || c === 124 || c === 41) break;
      return -1;
    }
    if (inLit) litB = i;
    if (i === start) return -1;
    if (onlyLit && parts === 1) {
      this.flatLitStart = litA;
      this.flatLitEnd = litB;
    } else this.flatLitStart = this.flatLitEnd = -1;
    return i;
  }

  /**
   * The end of a `$NAME` or `${NAME}` at i (plus `$1`, `$@`, … when `specials`), or -1 for any
   * other use of `$`.
   */
  private scanFlatParam(i: number, specials: boolean): number {
    const text = this.text;
    const n = this.n;
    const e = i + 1 < n ? text.charCodeAt(i + 1) : -1;
    if ((e >= 97 && e <= 122) || (e >= 65 && e <= 90) || e === 95) {
      i += 2;
      while (i < n && isNameCode(text.charCodeAt(i))) i++;
      return i;
    }
    if (e === 123) {
      const f = i + 2 < n ? text.charCodeAt(i + 2) : -1;
      if (!((f >= 97 && f <= 122) || (f >= 65 && f <= 90) || f === 95)) return -1;
      i += 3;
      while (i < n && isNameCode(text.charCodeAt(i))) i++;
      return i < n && text.charCodeAt(i) === 125 ? i + 1 : -1;
    }
    if (specials && ((e >= 48 && e <= 57) || e === 64 || e === 42 || e === 35 || e === 63 || e === 36 || e === 33 || e === 45)) return i + 2;
    return -1;
  }

  private lexWord(): Tok {
    const start = this.pos;
    if (this.depth < MAX_DEPTH) {
      const end = this.scanFlatWord(start);
      if (end > start) {
        this.pos = end;
        const literal = this.flatLitStart === start && this.flatLitEnd === end;
        // A literal word's keyword text is sliced only if the grammar asks (most words are
        // arguments, never looked at as keywords); keyword() reads it from the one Lit part.
        const kw = literal ? undefined : this.flatLitStart >= 0 ? this.text.slice(this.flatLitStart, this.flatLitEnd) : null;
        return { t: 'word', word: new LazyWord((this.words ??= new WordReader(this.src, this.shared.dialect)), start, end, literal) as unknown as Word, start, end, fd: false, kw };
      }
    }
    const parts = this.readParts('word', false);
    let end = this.pos;
    if (end === start) {
      // Cannot happen for a non-operator character, but never loop on it.
      this.pos++;
      end = this.pos;
      return { t: 'word', word: { span: this.sp(start, end), parts: [this.lit(start, end)] }, start, end, fd: false };
    }
    const word: Word = { span: this.sp(start, end), parts };
    const tok: Tok & { t: 'word' } = { t: 'word', word, start, end, fd: false };
    const c = this.text[this.pos];
    if (c === '(' && this.isArrayAssignPrefix(parts)) {
      tok.array = this.readArrayElements();
      tok.end = this.pos;
      // A declaration builtin's argument (`declare -a A=(x y)`) keeps its elements on the word.
      tok.word = { span: this.sp(start, this.pos), parts, array: tok.array };
    } else if ((c === '<' || c === '>') && parts.length === 1 && parts[0].kind === 'lit') {
      const t = parts[0].value.text;
      let digits = t.length > 0;
      for (let k = 0; k < t.length; k++) if (!isDigit(t[k])) digits = false;
      let braced = t.length > 2 && t[0] === '{' && t[t.length - 1] === '}';
      for (let k = 1; braced && k < t.length - 1; k++) if (!isNameChar(t[k])) braced = false;
      if (digits || braced) tok.fd = true;
    }
    return tok;
  }

  private isArrayAssignPrefix(parts: WordPart[]): boolean {
    if (parts.length !== 1 || parts[0].kind !== 'lit') return false;
    const t = parts[0].value.text;
    if (!t.endsWith('=') || !isNameStart(t[0] ?? '')) return false;
    let k = 1;
    while (k < t.length && isNameChar(t[k])) k++;
    if (t[k] === '[') {
      const close = t.indexOf(']', k);
      if (close < 0) return false;
      k = close + 1;
    }
    if (t[k] === '+') k++;
    return k === t.length - 1;
  }

  private readArrayElements(): Word[] {
    const open = this.pos;
    this.pos++;
    const words: Word[] = [];
    if (!this.enter(open)) return words;
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.n) {
        this.error(open, this.n, 'unterminated array assignment');
        break;
      }
      const c = this.text[this.pos];
      if (c === '\n') {
        this.pos++;
        continue;
      }
      if (c === ')') {
        this.pos++;
        break;
      }
      const s = this.pos;
      const parts = this.readParts('word', false);
      if (this.pos === s) {
        this.error(s, s + 1, `unexpected \`${c}\` in array`);
        this.pos++;
        continue;
      }
      words.push({ span: this.sp(s, this.pos), parts });
    }
    this.leave();
    return tight(words);
  }

  // ---- words -----------------------------------------------------------------------------

  /**
   * Literal, single-quoted and escaped parts are SliceParts: their value (a MappedString over a
   * range of the source) is only made when asked for, since few words are ever decoded.
   */
  private lit(a: number, b: number): Lit {
    return new SlicePart('lit', this.src, a, b) as unknown as Lit;
  }

  /** `p.value.text` without making the value object when p is one of ours. */
  private litText(p: Lit): string {
    const q = p as unknown;
    if (q instanceof SlicePart && q.isIn(this.src)) return this.text.slice(q.from, q.to);
    return p.value.text;
  }

  /**
   * Reads word parts from pos until the mode's terminator (not consumed).
   * `inDq` is set for `${…}` words inside double quotes, where single quotes are literal.
   */
  private readParts(mode: ReadMode, inDq: boolean): WordPart[] {
    const base = this.partTop;
    const text = this.text;
    const n = this.n;
    const special = SPECIAL[mode];
    let litStart = -1;
    const quoteLike = mode === 'dq' || mode === 'heredoc' || inDq;
    const bash = this.shared.dialect === 'bash';
    while (this.pos < n) {
      // Fast path: a run of characters that are literal in this mode.
      let i = this.pos;
      let code = text.charCodeAt(i);
      if (code >= 128 || special[code] === 0) {
        if (litStart < 0) litStart = i;
        for (i++; i < n; i++) {
          code = text.charCodeAt(i);
          if (code < 128 && special[code] !== 0) break;
        }
        this.pos = i;
        continue;
      }
      if (text.charCodeAt(this.pos) === 92 && text.charCodeAt(this.pos + 1) === 10) {
        if (litStart >= 0) {
          if (litStart < this.pos) this.addPart(this.lit(litStart, this.pos));
          litStart = -1;
        }
        this.skipCont();
        continue;
      }
      const c = text[this.pos];
      if (mode === 'word') {
        if (c === ' ' || c === '\t' || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')') break;
        if (c === '\r' && text[this.pos + 1] === '\n') break;
        if (c === '<' || c === '>') {
          if (bash && text[this.pos + 1] === '(') {
            if (litStart >= 0) {
              if (litStart < this.pos) this.addPart(this.lit(litStart, this.pos));
              litStart = -1;
            }
            this.addPart(this.readProcSubst());
            continue;
          }
          break;
        }
        if (c === '(') {
          const prev = this.pos > 0 ? text[this.pos - 1] : '';
          if (bash && litStart >= 0 && (prev === '@' || prev === '!' || prev === '+' || prev === '*' || prev === '?')) {
            this.skipBalancedParens();
            continue;
          }
          break;
        }
      } else if (mode === 'dq') {
        if (c === '"') break;
      } else if (mode === 'brace') {
        if (c === '}') break;
      }
      if (c === '\\') {
        const d = text[this.pos + 1];
        if (d === undefined) {
          if (litStart < 0) litStart = this.pos;
          this.pos++;
          continue;
        }
        const escapes = !quoteLike || d === '$' || d === '`' || d === '\\' || (d === '"' && mode !== 'heredoc') || (mode === 'brace' && d === '}');
        if (escapes) {
          if (litStart >= 0) {
            if (litStart < this.pos) this.addPart(this.lit(litStart, this.pos));
            litStart = -1;
          }
          this.addPart(new SlicePart('esc', this.src, this.pos + 1, this.pos + 2) as unknown as Escaped);
          this.pos += 2;
          continue;
        }
        if (litStart < 0) litStart = this.pos;
        this.pos++;
        continue;
      }
      if (c === "'" && !quoteLike) {
        if (litStart >= 0) {
          if (litStart < this.pos) this.addPart(this.lit(litStart, this.pos));
          litStart = -1;
        }
        this.addPart(this.readSingleQuoted());
        continue;
      }
      if (c === '"' && mode !== 'heredoc' && mode !== 'dq') {
        if (litStart >= 0) {
          if (litStart < this.pos) this.addPart(this.lit(litStart, this.pos));
          litStart = -1;
        }
        this.addPart(this.readDoubleQuoted(this.pos, this.pos + 1, false));
        continue;
      }
      if (c === '$') {
        const at = this.pos;
        const part = this.readDollar(quoteLike);
        if (part) {
          if (litStart >= 0 && litStart < at) this.addPart(this.lit(litStart, at));
          litStart = -1;
          this.addPart(part);
          continue;
        }
        if (litStart < 0) litStart = this.pos;
        this.pos++;
        continue;
      }
      if (c === '`') {
        if (litStart >= 0) {
          if (litStart < this.pos) this.addPart(this.lit(litStart, this.pos));
          litStart = -1;
        }
        this.addPart(this.readBackquote(mode === 'dq' || inDq));
        continue;
      }
      if (litStart < 0) litStart = this.pos;
      this.pos++;
    }
    if (litStart >= 0 && litStart < this.pos) this.addPart(this.lit(litStart, this.pos));
    const parts = slots(this.partStack, base, this.partTop);
    this.partTop = base;
    return parts;
  }

  /**
   * readParts' scratch stack, as parseSimple's: parts of a word are read while the parts of the
   * words around it (a `"…"`, a `$(…)`) are open, each reading above the top it found.
   */
  private readonly partStack: WordPart[] = [];
  private partTop = 0;

  /** Pushes a part read by readParts; its argument is read (nested parts and all) before the push. */
  private addPart(p: WordPart): void {
    this.partStack[this.partTop++] = p;
  }

  /** Extglob `@(…)` and friends: kept as literal text; the parens may hold `|` and blanks. */
  private skipBalancedParens(): void {
    let level = 0;
    while (this.pos < this.n) {
      const c = this.text[this.pos];
      if (c === '\\') {
        this.pos += 2;
        continue;
      }
      if (c === '(') level++;
      else if (c === ')') {
        level--;
        if (level === 0) {
          this.pos++;
          return;
        }
      } else if (c === '\n') return;
      this.pos++;
    }
  }

  private readSingleQuoted(): WordPart {
    const open = this.pos;
    const close = this.text.indexOf("'", open + 1);
    if (close < 0) {
      this.error(open, this.n, 'unterminated single quote');
      this.pos = this.n;
      return new SlicePart('sq', this.src, open + 1, this.n) as unknown as SglQuoted;
    }
    this.pos = close + 1;
    return new SlicePart('sq', this.src, open + 1, close) as unknown as SglQuoted;
  }

  /** `open` is the `"` or `$` that starts it, contentStart the index after the opening quote. */
  private readDoubleQuoted(open: number, contentStart: number, dollar: boolean): DblQuoted {
    this.pos = contentStart;
    if (!this.enter(open)) return { kind: 'dq', span: this.sp(open, this.n), parts: [], dollar };
    const parts = this.readParts('dq', false);
    this.leave();
    if (this.text[this.pos] !== '"') {
      this.error(open, this.n, 'unterminated double quote');
      return { kind: 'dq', span: this.sp(open, this.n), parts, dollar };
    }
    this.pos++;
    return { kind: 'dq', span: this.sp(open, this.pos), parts, dollar };
  }

  private readDollar(quoteLike: boolean): WordPart | null {
    const start = this.pos;
    const j = this.real(start + 1);
    const c = this.text[j];
    if (c === undefined) return null;
    // POSIX sh (dash) has neither $'…' nor $"…": there `$` is a literal before the quote.
    const bash = this.shared.dialect === 'bash';
    if (c === "'" && !quoteLike && bash) return this.readAnsiC(start, j + 1);
    if (c === '"' && !quoteLike && bash) return this.readDoubleQuoted(start, j + 1, true);
    if (c === '(') {
      const k = this.real(j + 1);
      if (this.text[k] === '(') {
        const arith = this.tryArith(start, k + 1, '))');
        if (arith) return arith;
      }
      return this.readCmdSubst(start, j + 1);
    }
    if (c === '[') {
      return this.tryArith(start, j + 1, ']') ?? this.unterminatedArith(start);
    }
    if (c === '{') return this.readBracedParam(start, j + 1, quoteLike);
    if (isNameStart(c)) {
      let k = j + 1;
      while (k < this.n && isNameChar(this.text[k])) k++;
      this.pos = k;
      return { kind: 'param', span: this.sp(start, k), name: this.text.slice(j, k), braced: false };
    }
    if (isDigit(c) || c === '@' || c === '*' || c === '#' || c === '?' || c === '$' || c === '!' || c === '-') {
      this.pos = j + 1;
      const p: ParamExp = { kind: 'param', span: this.sp(start, j + 1), name: c, braced: false };
      if (c === '@') p.splat = true;
      return p;
    }
    return null;
  }

  private unterminatedArith(start: number): WordPart {
    return { kind: 'arith', span: this.sp(start, this.pos) };
  }

  /**
   * Arithmetic `$((…))` / `$[…]` / `((…))`: scanned for balance, not parsed. Returns null when the
   * first `)` at level zero is not followed by `)`, meaning `$( (…) )` was meant.
   */
  private tryArith(start: number, contentStart: number, closer: '))' | ']'): WordPart | null {
    let level = 0;
    let i = contentStart;
    while (i < this.n) {
      const c = this.text[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (closer === ']') {
        if (c === '[') level++;
        else if (c === ']') {
          if (level === 0) {
            this.pos = i + 1;
            return { kind: 'arith', span: this.sp(start, i + 1) };
          }
          level--;
        }
      } else if (c === '(') level++;
      else if (c === ')') {
        if (level === 0) {
          const k = this.real(i + 1);
          if (this.text[k] === ')') {
            this.pos = k + 1;
            return { kind: 'arith', span: this.sp(start, k + 1) };
          }
          return null;
        }
        level--;
      }
      i++;
    }
    this.error(start, this.n, 'unterminated arithmetic expansion');
    this.pos = this.n;
    return { kind: 'arith', span: this.sp(start, this.n) };
  }

  private readCmdSubst(start: number, contentStart: number): WordPart {
    this.pos = contentStart;
    if (!this.enter(start)) return { kind: 'cmdsubst', span: this.sp(start, this.n), backquote: false, script: this.emptyScript(contentStart) };
    const saved = this.tok;
    const savedPending = this.pending;
    this.tok = null;
    this.pending = savedPending;
    const stmts = this.parseList((t) => t.t === 'op' && t.op === ')');
    const contentEnd = this.peek().start;
    const close = this.next();
    this.tok = saved;
    this.leave();
    const script: Script = { span: this.sp(contentStart, contentEnd), stmts, errors: NO_ERRORS };
    if (close.t === 'op' && close.op === ')') {
      return { kind: 'cmdsubst', span: this.sp(start, close.end), backquote: false, script };
    }
    this.error(start, this.n, 'unterminated command substitution');
    return { kind: 'cmdsubst', span: this.sp(start, this.n), backquote: false, script };
  }

  private readProcSubst(): WordPart {
    const start = this.pos;
    const op = this.text[start] as '<' | '>';
    const inner = this.readCmdSubst(start, start + 2);
    const script = inner.kind === 'cmdsubst' ? inner.script : this.emptyScript(start);
    return { kind: 'procsubst', span: inner.span, op, script };
  }

  private emptyScript(at: number): Script {
    return { span: this.sp(at, at), stmts: [], errors: NO_ERRORS };
  }

  private readBackquote(inDq: boolean): WordPart {
    const start = this.pos;
    const text = this.text;
    // The inner text is the source minus the backslashes of `\$ \` \\` (and `\"` in "…"): copy
    // runs of source characters, dropping those backslashes.
    const b = new RangeBuilder(this.src);
    let run = start + 1;
    let i = start + 1;
    let closed = -1;
    while (i < this.n) {
      const c = text.charCodeAt(i);
      if (c === 96) {
        closed = i;
        break;
      }
      if (c === 92 && i + 1 < this.n) {
        const d = text.charCodeAt(i + 1);
        if (d === 36 || d === 96 || d === 92 || (inDq && d === 34)) {
          b.range(run, i);
          run = i + 1;
        }
        i += 2;
        continue;
      }
      i++;
    }
    b.range(run, i);
    const end = closed < 0 ? this.n : closed + 1;
    this.pos = end;
    if (closed < 0) this.error(start, this.n, 'unterminated backquote');
    const inner = b.build(closed < 0 ? this.src.endOffset : startAt(this.src, closed));
    let script: Script;
    if (this.depth + 1 > MAX_DEPTH) {
      this.enter(start);
      script = this.emptyScript(start);
    } else {
      const sub = new Parser(inner, this.shared, this.depth + 1);
      script = sub.parseScript();
    }
    return { kind: 'cmdsubst', span: this.sp(start, end), backquote: true, script };
  }

  private readAnsiC(start: number, contentStart: number): WordPart {
    const b = new RangeBuilder(this.src);
    const text = this.text;
    let i = contentStart;
    let truncated = false;
    const push = (ch: string, a: number, z: number): void => {
      if (!truncated) b.push(ch, startAt(this.src, a), endAt(this.src, z - 1));
    };
    while (i < this.n && text[i] !== "'") {
      if (text[i] !== '\\' || i + 1 >= this.n) {
        // A run of plain characters keeps its own ranges.
        let k = i + 1;
        while (k < this.n && text.charCodeAt(k) !== 39 && text.charCodeAt(k) !== 92) k++;
        if (!truncated) b.range(i, k);
        i = k;
        continue;
      }
      const e = text[i + 1];
      const s = i;
      i += 2;
      let code = -1;
      switch (e) {
        case 'n':
          code = 10;
          break;
        case 't':
          code = 9;
          break;
        case 'r':
          code = 13;
          break;
        case 'a':
          code = 7;
          break;
        case 'b':
          code = 8;
          break;
        case 'e':
        case 'E':
          code = 27;
          break;
        case 'f':
          code = 12;
          break;
        case 'v':
          code = 11;
          break;
        case '\\':
        case "'":
        case '"':
        case '?':
          code = e.charCodeAt(0);
          break;
        case 'x':
        case 'u':
        case 'U': {
          const max = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          let v = 0;
          let k = 0;
          while (k < max && i < this.n && isHex(text[i])) {
            v = v * 16 + parseInt(text[i], 16);
            i++;
            k++;
          }
          if (k === 0) {
            push('\\', s, s + 1);
            push(e, s + 1, s + 2);
            continue;
          }
          code = e === 'x' || v <= 0x10ffff ? v : 0xfffd;
          break;
        }
        case 'c': {
          if (i < this.n) {
            const x = text[i];
            i++;
            code = x.toUpperCase().charCodeAt(0) & 0x1f;
            if (x === '?') code = 127;
          } else {
            push('\\', s, s + 1);
            push('c', s + 1, s + 2);
            continue;
          }
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            let v = e.charCodeAt(0) - 48;
            let k = 1;
            while (k < 3 && i < this.n && text[i] >= '0' && text[i] <= '7') {
              v = v * 8 + (text.charCodeAt(i) - 48);
              i++;
              k++;
            }
            code = v & 0xff;
          } else {
            push('\\', s, s + 1);
            push(e, s + 1, s + 2);
            continue;
          }
      }
      // bash cuts a $'…' string at a NUL byte.
      if (code === 0) truncated = true;
      else push(String.fromCodePoint(code), s, i);
    }
    if (i >= this.n) {
      this.error(start, this.n, 'unterminated ANSI-C quote');
      this.pos = this.n;
      return { kind: 'ansic', span: this.sp(start, this.n), value: b.build(this.src.endOffset) };
    }
    this.pos = i + 1;
    return { kind: 'ansic', span: this.sp(start, i + 1), value: b.build(startAt(this.src, i)) };
  }

  /** Memo of the last `]` search: `${a[}…` repeated must not search the rest of the input each time. */
  private bracketFrom = -1;
  private bracketAt = -1;

  /** `text.indexOf(']', i)`, in amortised constant time for increasing i. */
  private nextBracket(i: number): number {
    if (this.bracketFrom >= 0 && i >= this.bracketFrom && (this.bracketAt < 0 || this.bracketAt >= i)) return this.bracketAt;
    this.bracketFrom = i;
    this.bracketAt = this.text.indexOf(']', i);
    return this.bracketAt;
  }

  private readBracedParam(start: number, contentStart: number, inDq: boolean): WordPart {
    const text = this.text;
    let i = contentStart;
    let prefix = '';
    if ((text[i] === '#' || text[i] === '!') && text[i + 1] !== '}') {
      prefix = text[i];
      i++;
    }
    const nameStart = i;
    if (i < this.n && isNameStart(text[i])) {
      while (i < this.n && isNameChar(text[i])) i++;
    } else if (i < this.n && isDigit(text[i])) {
      while (i < this.n && isDigit(text[i])) i++;
    } else if (i < this.n && '@*#?$!-'.includes(text[i])) {
      i++;
    }
    let name = text.slice(nameStart, i);
    let splat = name === '@' && prefix !== '#';
    let index: string | undefined;
    if (text[i] === '[') {
      const close = this.nextBracket(i);
      if (close > 0) {
        const sub = text.slice(i + 1, close);
        index = sub;
        if (sub === '@' && prefix !== '#') splat = true;
        i = close + 1;
      }
    }
    if (prefix === '!' && (text[i] === '@' || text[i] === '*') && text[i + 1] === '}') {
      splat = text[i] === '@';
      i++;
    }
    if (prefix === '#' && name === '') name = '#';
    this.pos = i;
    const p: ParamExp = { kind: 'param', span: this.sp(start, i), name, braced: true };
    if (splat) p.splat = true;
    if (index !== undefined) p.index = index;
    if (prefix) p.prefix = prefix as '#' | '!';
    if (text[i] !== '}') {
      // The operator is kept apart from its operand so value propagation can read `${X:-d}`.
      const op = paramOperator(text, i);
      if (op) {
        p.op = op;
        this.pos = i + op.length;
      }
      if (!this.enter(start)) {
        p.span = this.sp(start, this.n);
        return p;
      }
      const ws = this.pos;
      const parts = this.readParts('brace', inDq);
      this.leave();
      if (parts.length) p.words = [{ span: this.sp(ws, this.pos), parts }];
    }
    if (this.text[this.pos] !== '}') {
      this.error(start, this.n, 'unterminated parameter expansion');
      p.span = this.sp(start, this.n);
      this.pos = this.n;
      return p;
    }
    this.pos++;
    p.span = this.sp(start, this.pos);
    return p;
  }

  // ---- here-documents --------------------------------------------------------------------

  private readHeredocBodies(): void {
    const list = this.pending;
    this.pending = [];
    for (const h of list) this.readHeredocBody(h);
  }

  private readHeredocBody(h: PendingHeredoc): void {
    const text = this.text;
    // Without `<<-` the body is one run of the source; with it, lines minus leading tabs.
    const b = h.stripTabs ? new RangeBuilder(this.src) : null;
    const bodyStart = this.pos;
    let ls = this.pos;
    let found = false;
    let bodyEnd = this.n;
    while (ls < this.n) {
      const nl = text.indexOf('\n', ls);
      const le = nl < 0 ? this.n : nl;
      let cs = ls;
      if (h.stripTabs) while (cs < le && text[cs] === '\t') cs++;
      let ce = le;
      if (ce > cs && text[ce - 1] === '\r') ce--;
      if (ce - cs === h.delimiter.length && text.startsWith(h.delimiter, cs)) {
        found = true;
        bodyEnd = ls;
        this.pos = nl < 0 ? this.n : nl + 1;
        break;
      }
      const stop = nl < 0 ? this.n : nl + 1;
      if (b) b.range(cs, stop);
      ls = stop;
    }
    if (!found) {
      this.pos = this.n;
      this.error(h.opStart, this.n, `unterminated here-document (expected \`${h.delimiter}\`)`);
    }
    const bodyEndOffset = bodyEnd < this.n ? startAt(this.src, bodyEnd) : this.src.endOffset;
    const body: MappedString = b ? b.build(bodyEndOffset) : sliceWithEnd(this.src, bodyStart, bodyEnd, bodyEndOffset);
    const doc: HereDoc = {
      delimiter: h.delimiter,
      quoted: h.quoted,
      stripTabs: h.stripTabs,
      body,
      bodySpan: this.sp(bodyStart, bodyEnd),
      scripts: [],
    };
    if (!h.quoted && body.text.length) {
      const sub = new Parser(body, this.shared, this.depth);
      const parts = sub.readParts('heredoc', false);
      sub.releaseScratch();
      collectScripts(parts, doc.scripts);
    }
    h.redirect.heredoc = doc;
  }

  // ---- grammar ---------------------------------------------------------------------------

  parseScript(): Script {
    const stmts = this.parseList(() => false);
    this.releaseScratch();
    return { span: this.sp(0, this.n), stmts, errors: NO_ERRORS };
  }

  /**
   * Empties the scratch stacks once this parser has read its text. A lazy word keeps its parser
   * (to read its parts again), and the slots above the tops still point into the AST: one word
   * kept in a finding would keep the whole file's AST.
   */
  private releaseScratch(): void {
    this.stmtStack.length = 0;
    this.wordStack.length = 0;
    this.assignStack.length = 0;
    this.redirectStack.length = 0;
    this.partStack.length = 0;
  }

  private keyword(t: Tok): string | null {
    if (t.t !== 'word') return null;
    if (t.kw !== undefined) return t.kw;
    let kw: string | null = null;
    // A word the lexer saw as one literal run is its own text: reading its parts for this (every
    // command name is asked) would make a part and an array that the command's readers make again.
    const literal = t.word instanceof LazyWord ? t.word.literalText() : null;
    if (literal !== null) return (t.kw = literal);
    const parts = t.word.parts;
    if (!t.fd && !t.array && parts.length === 1 && parts[0].kind === 'lit') kw = this.litText(parts[0]);
    t.kw = kw;
    return kw;
  }

  /** No rest parameter: this runs for every token a list ends on, and an array per call adds up. */
  private isKw(t: Tok, a: string, b?: string, c?: string): boolean {
    const k = this.keyword(t);
    return k !== null && (k === a || k === b || k === c);
  }

  private skipNewlines(): void {
    while (this.peek().t === 'nl') this.next();
  }

  /** parseList's scratch stack, as parseSimple's: a list's statements hold lists of their own. */
  private readonly stmtStack: Stmt[] = [];
  private stmtTop = 0;

  private parseList(stop: (t: Tok) => boolean): Stmt[] {
    const base = this.stmtTop;
    const budget = this.shared.budget;
    for (;;) {
      if (this.shared.stoppedAt !== undefined) {
        this.skipRest();
        break;
      }
      this.skipNewlines();
      const t = this.peek();
      if (t.t === 'eof' || stop(t)) break;
      if (budget && budget.left-- <= 0) {
        // The statements read so far stay; the rest of every enclosing text is skipped unread.
        this.shared.stoppedAt = startAt(this.src, Math.min(t.start, this.n - 1));
        this.skipRest();
        break;
      }
      const stmt = this.parseStmt();
      if (!stmt) {
        const bad = this.next();
        const what = bad.t === 'op' ? bad.op : (this.keyword(bad) ?? this.text.slice(bad.start, Math.min(bad.end, bad.start + 20)));
        this.error(bad.start, bad.end, `unexpected \`${what}\``);
        continue;
      }
      this.stmtStack[this.stmtTop++] = stmt;
      const sep = this.peek();
      if (sep.t === 'op' && (sep.op === ';' || sep.op === '&')) {
        this.next();
        if (sep.op === '&') {
          stmt.background = true;
          stmt.span = { start: stmt.span.start, end: this.sp(sep.start, sep.end).end };
        }
      } else if (sep.t !== 'nl' && sep.t !== 'eof' && !stop(sep) && !(sep.t === 'op' && sep.op === ')')) {
        // A command must end at an operator or a newline. A token that can only end one is
        // reported by the next iteration, which cannot start a statement on it; one that could
        // start a statement (`name:(tag)`, `a(b)`, `{ a; } b`, `fi x`) would be read there as a
        // new command without a separator, which bash and dash reject.
        if (sep.t === 'word' || (sep.t === 'op' && sep.op === '(' && !this.prefixesCompound(stmt))) {
          const what = sep.t === 'op' ? sep.op : (this.keyword(sep) ?? this.text.slice(sep.start, Math.min(sep.end, sep.start + 20)));
          this.error(sep.start, sep.end, `unexpected \`${what}\``);
        }
      }
    }
    const stmts = slots(this.stmtStack, base, this.stmtTop);
    this.stmtTop = base;
    return stmts;
  }

  /**
   * bash's reserved words `time` and `coproc` take the command after them, compound ones too
   * (`time (a)`, `coproc NAME (b)`); the parser reads them as a command name, so the subshell
   * after them is no error there.
   */
  private prefixesCompound(stmt: Stmt): boolean {
    if (this.shared.dialect !== 'bash' || stmt.command.kind !== 'simple' || stmt.command.assigns.length) return false;
    const first = stmt.command.words[0]?.parts;
    if (first?.length !== 1 || first[0].kind !== 'lit') return false;
    const name = this.litText(first[0]);
    return name === 'time' || name === 'coproc';
  }

  private parseStmt(): Stmt | null {
    const first = this.peek();
    const cmd = this.parseAndOr();
    if (!cmd) return null;
    const start = first.t === 'word' ? startAt(this.src, first.start) : this.sp(first.start, first.end).start;
    const commandSpan = cmd.command.span;
    // Usually the command's own span: spans are never changed in place (a `&` gives the
    // statement a new one), so the statement reads it from the command.
    return new ShellStmt(cmd.command, cmd.redirects, commandSpan.start === start ? undefined : { start, end: commandSpan.end });
  }

  private parseAndOr(): { command: Command; redirects: Redirect[] } | null {
    const first = this.parsePipeline();
    if (!first) return null;
    // Most statements have no `&&`/`||`: the lists are made at the first operator.
    let items: Command[] | null = null;
    let ops: ('&&' | '||')[] | null = null;
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || (t.op !== '&&' && t.op !== '||')) break;
      this.next();
      this.skipNewlines();
      const nextCmd = this.parsePipeline();
      if (!nextCmd) {
        const bad = this.peek();
        this.error(t.start, t.end, `missing command after \`${t.op}\``);
        if (bad.t === 'eof') break;
        break;
      }
      if (!ops || !items) {
        ops = [];
        items = [first.command];
      }
      ops.push(t.op);
      items.push(this.wrapRedirects(nextCmd));
    }
    if (!ops || !items) return first;
    items[0] = this.wrapRedirects(first);
    return {
      command: new AndOrList(tight(ops), tight(items)),
      redirects: NO_REDIRECTS,
    };
  }

  /**
   * A compound command's redirections belong to its Stmt; when it sits inside a pipeline or an
   * and-or list there is no Stmt, so they are kept as an extra `redirects` field on the node.
   */
  private wrapRedirects(c: { command: Command; redirects: Redirect[] }): Command {
    if (!c.redirects.length) return c.command;
    (c.command as Command & { redirects?: Redirect[] }).redirects = c.redirects;
    return c.command;
  }

  private parsePipeline(): { command: Command; redirects: Redirect[] } | null {
    const t = this.peek();
    let negated = false;
    const start = t.start;
    if (this.isKw(t, '!')) {
      this.next();
      negated = true;
    }
    const first = this.parseCommand();
    if (!first) {
      if (negated) this.error(t.start, t.end, 'missing command after `!`');
      return null;
    }
    // Made at the first `|`: most commands stand alone.
    let cmds: Command[] | null = null;
    for (;;) {
      const p = this.peek();
      if (p.t !== 'op' || (p.op !== '|' && p.op !== '|&')) break;
      this.next();
      this.skipNewlines();
      const c = this.parseCommand();
      if (!c) {
        this.error(p.start, p.end, `missing command after \`${p.op}\``);
        break;
      }
      cmds ??= [first.command];
      cmds.push(this.wrapRedirects(c));
    }
    if (!cmds && !negated) return first;
    cmds ??= [first.command];
    cmds[0] = this.wrapRedirects(first);
    const span = { start: this.sp(start, start + 1).start, end: cmds[cmds.length - 1].span.end };
    return { command: new PipelineCmd(negated, tight(cmds), span), redirects: NO_REDIRECTS };
  }

  private parseCommand(): { command: Command; redirects: Redirect[] } | null {
    const t = this.peek();
    if (t.t === 'op' && t.op === '(') {
      if (this.text[this.real(t.end)] === '(') return this.withRedirects(this.parseArithCommand(t));
      return this.withRedirects(this.parseSubshell(t));
    }
    const kw = this.keyword(t);
    if (kw !== null) {
      switch (kw) {
        case 'if':
          return this.withRedirects(this.parseIf(t));
        case 'while':
        case 'until':
          return this.withRedirects(this.parseLoop(t, kw));
        case 'for':
        case 'select':
          return this.withRedirects(this.parseFor(t));
        case 'case':
          return this.withRedirects(this.parseCase(t));
        case '{':
          return this.withRedirects(this.parseBrace(t));
        case '[[':
          return this.withRedirects(this.parseTest(t));
        case 'function':
          return this.parseFunctionKeyword(t);
      }
      if (RESERVED_NON_STARTERS.has(kw)) return null;
    }
    if (t.t !== 'word' && !(t.t === 'op' && isRedirOp(t.op))) return null;
    const simple = this.parseSimple();
    if (!simple) return null;
    return { command: simple, redirects: NO_REDIRECTS };
  }

  private withRedirects(cmd: Command | null): { command: Command; redirects: Redirect[] } | null {
    if (!cmd) return null;
    let redirects: Redirect[] | null = null;
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && isRedirOp(t.op)) (redirects ??= []).push(this.parseRedirect(null));
      else if (t.t === 'word' && t.fd) {
        this.next();
        const r = this.parseRedirect(t);
        (redirects ??= []).push(r);
      } else break;
    }
    if (!redirects) return { command: cmd, redirects: NO_REDIRECTS };
    cmd.span = { start: cmd.span.start, end: Math.max(cmd.span.end, redirects[redirects.length - 1].span.end) };
    return { command: cmd, redirects: tight(redirects) };
  }

  private expectKw(open: Tok, kw: string, ctx: string): Tok | null {
    const t = this.peek();
    if (this.isKw(t, kw)) return this.next();
    this.error(open.start, Math.max(open.end, t.start), `missing \`${kw}\` for \`${ctx}\``, t.t === 'eof');
    return null;
  }

  private compoundSpan(open: Tok, close: Tok | null): Span {
    const s = this.sp(open.start, open.end).start;
    const endIdx = close ? close.end : this.peek().start;
    return { start: s, end: endIdx > open.start ? this.sp(endIdx - 1, endIdx).end : this.sp(open.start, open.end).end };
  }

  private parseIf(open: Tok): Command | null {
    this.next();
    if (!this.enter(open.start)) return null;
    const branches: IfClause['branches'] = [];
    let elseBody: Stmt[] | null = null;
    const isBranchEnd = (t: Tok) => this.isKw(t, 'elif', 'else', 'fi');
    for (;;) {
      const cond = this.parseList((t) => this.isKw(t, 'then') || isBranchEnd(t));
      let body: Stmt[] = [];
      if (this.expectKw(open, 'then', 'if')) body = this.parseList(isBranchEnd);
      branches.push({ cond, body });
      const t = this.peek();
      if (this.isKw(t, 'elif')) {
        this.next();
        continue;
      }
      if (this.isKw(t, 'else')) {
        this.next();
        elseBody = this.parseList((x) => this.isKw(x, 'fi'));
      }
      break;
    }
    const close = this.expectKw(open, 'fi', 'if');
    this.leave();
    return { kind: 'if', span: this.compoundSpan(open, close), branches: tight(branches), elseBody };
  }

  private parseLoop(open: Tok, kind: 'while' | 'until'): Command | null {
    this.next();
    if (!this.enter(open.start)) return null;
    const cond = this.parseList((t) => this.isKw(t, 'do', 'done'));
    this.expectKw(open, 'do', kind);
    const body = this.parseList((t) => this.isKw(t, 'done'));
    const close = this.expectKw(open, 'done', kind);
    this.leave();
    const c: LoopClause = { kind, span: this.compoundSpan(open, close), cond, body };
    return c;
  }

  private parseDoGroup(open: Tok, ctx: string): { body: Stmt[]; close: Tok | null } {
    this.skipNewlines();
    const t = this.peek();
    if (this.isKw(t, '{')) {
      const b = this.parseBrace(t);
      return { body: b ? b.body : [], close: null };
    }
    this.expectKw(open, 'do', ctx);
    const body = this.parseList((x) => this.isKw(x, 'done'));
    const close = this.expectKw(open, 'done', ctx);
    return { body, close };
  }

  private parseFor(open: Tok): Command | null {
    this.next();
    if (!this.enter(open.start)) return null;
    const ctx = this.keyword(open) ?? 'for';
    let name = '';
    let items: Word[] | null = null;
    const t = this.peek();
    if (t.t === 'op' && t.op === '(' && this.text[this.real(t.end)] === '(') {
      this.parseArithCommand(t);
      const s = this.peek();
      if (s.t === 'op' && s.op === ';') this.next();
    } else if (t.t === 'word') {
      this.next();
      name = this.keyword(t) ?? this.text.slice(t.start, t.end);
      this.skipNewlines();
      const k = this.peek();
      if (this.isKw(k, 'in')) {
        this.next();
        items = [];
        for (;;) {
          const w = this.peek();
          if (w.t !== 'word') break;
          this.next();
          items.push(w.word);
        }
      }
      const s = this.peek();
      if (s.t === 'op' && s.op === ';') this.next();
    } else {
      this.error(open.start, open.end, `missing variable name after \`${ctx}\``);
    }
    const { body, close } = this.parseDoGroup(open, ctx);
    this.leave();
    const c: ForClause = { kind: 'for', span: this.compoundSpan(open, close), name, items: items && tight(items), body };
    return c;
  }

  private parseCase(open: Tok): Command | null {
    this.next();
    if (!this.enter(open.start)) return null;
    const wt = this.peek();
    let word: Word;
    if (wt.t === 'word') {
      this.next();
      word = wt.word;
    } else {
      this.error(open.start, open.end, 'missing word after `case`');
      word = { span: this.sp(open.end, open.end), parts: [] };
    }
    this.skipNewlines();
    this.expectKw(open, 'in', 'case');
    const items: CaseClause['items'] = [];
    let close: Tok | null = null;
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.t === 'eof') break;
      if (this.isKw(t, 'esac')) {
        close = this.next();
        break;
      }
      if (t.t === 'op' && t.op === '(') this.next();
      const patterns: Word[] = [];
      for (;;) {
        const p = this.peek();
        if (p.t !== 'word') break;
        this.next();
        patterns.push(p.word);
        const bar = this.peek();
        if (bar.t === 'op' && bar.op === '|') {
          this.next();
          continue;
        }
        break;
      }
      const rp = this.peek();
      if (rp.t === 'op' && rp.op === ')') this.next();
      else {
        this.error(rp.start, Math.max(rp.end, rp.start), 'expected `)` after case pattern');
        if (!patterns.length) {
          // Skip the offending token so the loop always advances.
          if (rp.t !== 'eof') this.next();
          continue;
        }
      }
      const body = this.parseList((x) => this.isKw(x, 'esac') || (x.t === 'op' && (x.op === ';;' || x.op === ';&' || x.op === ';;&')));
      let terminator: ';;' | ';&' | ';;&' | '' = '';
      const term = this.peek();
      if (term.t === 'op' && (term.op === ';;' || term.op === ';&' || term.op === ';;&')) {
        this.next();
        terminator = term.op;
      }
      items.push({ patterns: tight(patterns), body, terminator });
    }
    if (!close) this.error(open.start, this.n, 'missing `esac` for `case`', this.peek().t === 'eof');
    this.leave();
    return { kind: 'case', span: this.compoundSpan(open, close), word, items: tight(items) };
  }

  private parseBrace(open: Tok): (Command & { kind: 'brace' }) | null {
    this.next();
    if (!this.enter(open.start)) return null;
    const body = this.parseList((t) => this.isKw(t, '}'));
    const close = this.expectKw(open, '}', '{');
    this.leave();
    return { kind: 'brace', span: this.compoundSpan(open, close), body };
  }

  private parseSubshell(open: Tok): Command | null {
    this.next();
    if (!this.enter(open.start)) return null;
    const body = this.parseList((t) => t.t === 'op' && t.op === ')');
    const t = this.peek();
    let close: Tok | null = null;
    if (t.t === 'op' && t.op === ')') close = this.next();
    else this.error(open.start, this.n, 'missing `)` for `(`', t.t === 'eof');
    this.leave();
    return { kind: 'subshell', span: this.compoundSpan(open, close), body };
  }

  private parseArithCommand(open: Tok): Command {
    // The cached token is the first `(`; rescan from it as `((…))`.
    this.tok = null;
    const inner = this.real(open.end);
    const part = this.tryArith(open.start, inner + 1, '))');
    if (!part) {
      // `( (…) )`: a subshell after all.
      this.pos = open.end;
      this.tok = open;
      return this.parseSubshell(open) ?? { kind: 'arithcmd', span: this.sp(open.start, open.end), words: [] };
    }
    const c: TestClause = { kind: 'arithcmd', span: part.span, words: [] };
    return c;
  }

  private parseTest(open: Tok): Command | null {
    this.next();
    if (!this.enter(open.start)) return null;
    const words: Word[] = [];
    let close: Tok | null = null;
    for (;;) {
      const t = this.peek();
      if (t.t === 'eof') break;
      if (this.isKw(t, ']]')) {
        close = this.next();
        break;
      }
      this.next();
      if (t.t === 'word') words.push(t.word);
    }
    if (!close) this.error(open.start, this.n, 'missing `]]` for `[[`');
    this.leave();
    return { kind: 'test', span: this.compoundSpan(open, close), words: tight(words) };
  }

  private parseFunctionKeyword(open: Tok): { command: Command; redirects: Redirect[] } | null {
    this.next();
    const nt = this.peek();
    if (nt.t !== 'word') {
      this.error(open.start, open.end, 'missing function name');
      return null;
    }
    this.next();
    const name = this.text.slice(nt.start, nt.end);
    const p = this.peek();
    if (p.t === 'op' && p.op === '(') {
      this.next();
      const q = this.peek();
      if (q.t === 'op' && q.op === ')') this.next();
      else this.error(p.start, p.end, 'expected `)` in function definition');
    }
    return this.finishFunction(open, name);
  }

  private finishFunction(open: Tok, name: string): { command: Command; redirects: Redirect[] } | null {
    this.skipNewlines();
    if (!this.enter(open.start)) return null;
    const body = this.parseCommand();
    this.leave();
    if (!body) {
      const t = this.peek();
      this.error(open.start, Math.max(open.end, t.start), `missing body for function \`${name}\``, t.t === 'eof');
      return null;
    }
    const f: FuncDecl = { kind: 'function', span: { start: this.sp(open.start, open.end).start, end: body.command.span.end }, name, body: this.wrapRedirects(body) };
    return { command: f, redirects: NO_REDIRECTS };
  }

  /**
   * Scratch stacks for parseSimple's lists. A word can hold a command substitution, whose
   * commands are parsed while the outer command's lists are open: each call works above the top
   * it found and puts the top back. A new array per list, grown by pushes and then copied to its
   * exact size, was most of what a command allocated. The tops are counters, not the arrays'
   * lengths: V8 shrinks an array's storage when its length is cut, and the next push grows it
   * again. Slots above a top keep their old values until reused; the parser dies with its AST.
   */
  private readonly wordStack: Word[] = [];
  private readonly assignStack: Assign[] = [];
  private readonly redirectStack: Redirect[] = [];
  private wordTop = 0;
  private assignTop = 0;
  private redirectTop = 0;

  private parseSimple(): Command | null {
    const w0 = this.wordTop;
    const a0 = this.assignTop;
    const r0 = this.redirectTop;
    // No `finally`: the parser never throws but for an internal error, and then parseShell
    // drops it.
    const c = this.parseSimpleAbove(w0, a0, r0);
    this.wordTop = w0;
    this.assignTop = a0;
    this.redirectTop = r0;
    return c;
  }

  private parseSimpleAbove(w0: number, a0: number, r0: number): Command | null {
    let first: Tok | null = null;
    let lastEnd = -1;
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && isRedirOp(t.op)) {
        if (!first) first = t;
        const r = this.parseRedirect(null);
        this.redirectStack[this.redirectTop++] = r;
        lastEnd = r.span.end;
        continue;
      }
      if (t.t !== 'word') break;
      if (!first) first = t;
      this.next();
      if (t.fd) {
        const r = this.parseRedirect(t);
        this.redirectStack[this.redirectTop++] = r;
        lastEnd = r.span.end;
        continue;
      }
      if (this.wordTop === w0) {
        const a = this.toAssign(t);
        if (a) {
          this.assignStack[this.assignTop++] = a;
          lastEnd = a.span.end;
          continue;
        }
      }
      if (this.wordTop === w0 && this.assignTop === a0 && this.redirectTop === r0) {
        // `name ( )` is a function definition.
        const p = this.peek();
        if (p.t === 'op' && p.op === '(' && this.text[this.real(p.end)] !== '(') {
          const save = this.pos;
          this.next();
          this.skipBlanks();
          if (this.text[this.pos] === ')') {
            this.pos++;
            this.tok = null;
            const name = this.text.slice(t.start, t.end);
            const fn = this.finishFunction(t, name);
            return fn ? fn.command : null;
          }
          this.pos = save;
          this.tok = p;
        }
      }
      this.wordStack[this.wordTop++] = t.word;
      lastEnd = endAt(this.src, t.end - 1);
    }
    if (!first) return null;
    const start = first.t === 'word' ? startAt(this.src, first.start) : this.sp(first.start, first.end).start;
    return new SimpleCmd(slots(this.assignStack, a0, this.assignTop), slots(this.wordStack, w0, this.wordTop), slots(this.redirectStack, r0, this.redirectTop), start, Math.max(lastEnd, start));
  }

  private toAssign(t: Tok & { t: 'word' }): Assign | null {
    if (!this.mayAssign(t.start, t.end)) return null;
    const parts = t.word.parts;
    if (!parts.length || parts[0].kind !== 'lit') return null;
    const lit = parts[0];
    const s = this.litText(lit);
    if (!isNameStart(s[0] ?? '') || !s.includes('=')) return null;
    let k = 1;
    while (k < s.length && isNameChar(s[k])) k++;
    const name = s.slice(0, k);
    if (s[k] === '[') {
      let level = 0;
      let close = -1;
      for (let m = k; m < s.length; m++) {
        if (s[m] === '[') level++;
        else if (s[m] === ']' && --level === 0) {
          close = m;
          break;
        }
      }
      if (close < 0) return null;
      k = close + 1;
    }
    let append = false;
    if (s[k] === '+') {
      append = true;
      k++;
    }
    if (s[k] !== '=') return null;
    k++;
    if (t.array) {
      return { span: this.sp(t.start, t.end), name, append, value: null, array: t.array };
    }
    const rest: WordPart[] = [];
    const q = lit as unknown;
    let valueStart: number;
    if (q instanceof SlicePart && q.isIn(this.src)) {
      // As sliceMapped on the value would: a lit can end past the source (after a trailing `\`
      // in an extglob), its value is clamped.
      const a = q.from + k;
      const to = Math.min(q.to, this.n);
      if (a < to) {
        const part = this.lit(a, to);
        rest.push(part);
        valueStart = part.span.start;
      } else valueStart = endAt(this.src, a - 1);
    } else if (k < s.length) {
      const v = sliceMapped(lit.value, k);
      rest.push({ kind: 'lit', span: { start: startAt(v, 0), end: endAt(v, v.text.length - 1) }, value: v });
      valueStart = startAt(v, 0);
    } else {
      valueStart = k > 0 ? endAt(lit.value, k - 1) : lit.span.end;
    }
    for (let m = 1; m < parts.length; m++) rest.push(parts[m]);
    const value: Word = { span: rest.length ? { start: valueStart, end: t.word.span.end } : { start: valueStart, end: valueStart }, parts: tight(rest) };
    return { span: t.word.span, name, append, value };
  }

  /**
   * False when the word at [a, b) cannot be an assignment, read from the text: its first part is
   * then not a literal `NAME=`, `NAME[`…, `NAME+=`. Most first words are command names, and this
   * spares reading their parts. A word that starts with `\` (maybe a line continuation) is left
   * to the reading.
   */
  private mayAssign(a: number, b: number): boolean {
    const text = this.text;
    const c0 = text.charCodeAt(a);
    if (c0 === 92) return true;
    if (!((c0 >= 97 && c0 <= 122) || (c0 >= 65 && c0 <= 90) || c0 === 95)) return false;
    let i = a + 1;
    while (i < b && isNameCode(text.charCodeAt(i))) i++;
    if (i >= b) return false;
    const c = text.charCodeAt(i);
    return c === 61 || c === 91 || c === 43;
  }

  private parseRedirect(fdTok: (Tok & { t: 'word' }) | null): Redirect {
    const opTok = this.next();
    if (opTok.t !== 'op') {
      return { span: this.sp(opTok.start, opTok.end), op: '', target: null };
    }
    const op = opTok.op;
    const start = fdTok ? fdTok.start : opTok.start;
    // With its `fd` from the start: a field added later goes to a separate property store.
    const r: Redirect = fdTok ? { span: this.sp(start, opTok.end), op, target: null, fd: this.text.slice(fdTok.start, fdTok.end) } : { span: this.sp(start, opTok.end), op, target: null };
    const t = this.peek();
    if (t.t !== 'word') {
      this.error(opTok.start, opTok.end, `missing target for redirection \`${op}\``);
      return r;
    }
    this.next();
    r.target = t.word;
    r.span = this.sp(start, t.end);
    if (op === '<<' || op === '<<-') {
      const { delimiter, quoted } = this.heredocDelimiter(t.start, t.end);
      this.pending.push({ redirect: r, delimiter, quoted, stripTabs: op === '<<-', opStart: opTok.start });
    }
    return r;
  }

  /** bash compares body lines with the delimiter word after quote removal, without expansion. */
  private heredocDelimiter(a: number, b: number): { delimiter: string; quoted: boolean } {
    let delimiter = '';
    let quoted = false;
    let i = a;
    while (i < b) {
      const c = this.text[i];
      if (c === '\\') {
        if (this.text[i + 1] === '\n') {
          i += 2;
          continue;
        }
        quoted = true;
        if (i + 1 < b) delimiter += this.text[i + 1];
        i += 2;
      } else if (c === "'" || c === '"') {
        quoted = true;
        i++;
      } else if (c === '$' && (this.text[i + 1] === "'" || this.text[i + 1] === '"')) {
        i++;
      } else {
        delimiter += c;
        i++;
      }
    }
    return { delimiter, quoted };
  }
}

/**
 * A pushed-to array keeps spare capacity (17 slots after the first push); the AST is long-lived,
 * so hand back an exactly sized copy (the original dies young, which costs the GC nothing).
 */
function tight<T>(a: T[]): T[] {
  return a.length ? a.slice() : a;
}

/** Slots [from, to) of a scratch stack, as an array of their own and of that size (NONE when empty). */
function slots<T>(stack: T[], from: number, to: number): T[] {
  return to > from ? stack.slice(from, to) : NONE;
}

function isRedirOp(op: string): boolean {
  switch (op) {
    case '<':
    case '>':
    case '>>':
    case '>|':
    case '<>':
    case '<&':
    case '>&':
    case '&>':
    case '&>>':
    case '<<':
    case '<<-':
    case '<<<':
      return true;
  }
  return false;
}

/** The operator of `${NAME…}` at `i`: `:-`, `-`, `:=`, `#`, `##`, `/`, `:` (substring), … or ''. */
function paramOperator(text: string, i: number): string {
  const c = text[i];
  const d = text[i + 1];
  switch (c) {
    case ':':
      return d === '-' || d === '=' || d === '?' || d === '+' ? c + d : c;
    case '-':
    case '=':
    case '?':
    case '+':
    case '@':
      return c;
    case '#':
    case '%':
    case '/':
    case '^':
    case ',':
      return d === c ? c + d : c;
    default:
      return '';
  }
}

/** Collects the scripts of command substitutions among parts (for here-doc bodies). */
function collectScripts(parts: WordPart[], out: Script[]): void {
  const stack: WordPart[] = parts.slice().reverse();
  while (stack.length) {
    const p = stack.pop()!;
    if (p.kind === 'cmdsubst' || p.kind === 'procsubst') out.push(p.script);
    else if (p.kind === 'dq') for (let i = p.parts.length - 1; i >= 0; i--) stack.push(p.parts[i]);
    else if (p.kind === 'param' && p.words) for (const w of p.words) for (let i = w.parts.length - 1; i >= 0; i--) stack.push(w.parts[i]);
  }
}
