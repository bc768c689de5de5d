/**
 * Ports of the Go value parsers buildx applies to driver options and flags (strconv, time,
 * go-units, Kubernetes quantities, docker restart policies, google/shlex). Each returns the exact
 * Go error text so diagnostics can end with what buildx itself would print.
 */
import { GO_BOOL_WORDS, GO_FALSE_WORDS, GO_TRUE_WORDS } from '../core/go-bool';
import { type MappedString, MappedStringBuilder, offsetAt } from '../core/mapped-string';

export type GoResult<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): GoResult<T> => ({ ok: true, value });
const fail = <T>(error: string): GoResult<T> => ({ ok: false, error });

const PLAIN_ASCII = /^[ !#-[\]-~]*$/;

/** goQuote mimics strconv.Quote (used by `%q` and NumError). */
export function goQuote(s: string): string {
  // Printable ASCII other than `"` and `\` is written as it is: most quoted values are, and one
  // message per finding must not cost a string concatenation and a Unicode test per character.
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp === 0x20 || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else if (cp < 0x80) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp <= 0xdfff)
      out += '\\ufffd'; // a lone surrogate is invalid UTF-8 in Go
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + '"';
}

/** time's private quote: ASCII kept (with `"`/`\` escaped), everything else as \x UTF-8 bytes. */
function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of Buffer.from(ch, 'utf8')) out += '\\x' + b.toString(16).padStart(2, '0');
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return out + '"';
}

function numError(fn: string, s: string, what: 'invalid syntax' | 'value out of range'): string {
  return `strconv.${fn}: parsing ${goQuote(s)}: ${what}`;
}

export { GO_BOOL_WORDS, GO_FALSE_WORDS, GO_TRUE_WORDS };

export function parseBool(s: string): GoResult<boolean> {
  if (GO_TRUE_WORDS.includes(s)) return ok(true);
  if (GO_FALSE_WORDS.includes(s)) return ok(false);
  return fail(numError('ParseBool', s, 'invalid syntax'));
}

/** parseInt is strconv.ParseInt(s, 10, bitSize); bitSize 0 means 64. */
export function parseInt10(s: string, bitSize: 0 | 8 | 16 | 32 | 64 = 64, fn = 'ParseInt'): GoResult<bigint> {
  const bits = BigInt(bitSize === 0 ? 64 : bitSize);
  if (s === '') return fail(numError(fn, s, 'invalid syntax'));
  let body = s;
  let neg = false;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  if (body === '') return fail(numError(fn, s, 'invalid syntax'));
  // ParseUint stops at the first overflow, even if an invalid character follows.
  const maxU = (1n << bits) - 1n;
  let n = 0n;
  for (const c of body) {
    if (c < '0' || c > '9') return fail(numError(fn, s, 'invalid syntax'));
    n = n * 10n + BigInt(c.charCodeAt(0) - 48);
    if (n > maxU) return fail(numError(fn, s, 'value out of range'));
  }
  const cutoff = 1n << (bits - 1n);
  if (!neg && n >= cutoff) return fail(numError(fn, s, 'value out of range'));
  if (neg && n > cutoff) return fail(numError(fn, s, 'value out of range'));
  return ok(neg ? -n : n);
}

/** atoi is strconv.Atoi on a 64-bit platform. */
export function atoi(s: string): GoResult<number> {
  const r = parseInt10(s, 64, 'Atoi');
  return r.ok ? ok(Number(r.value)) : r;
}

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  '\u00b5s': 1000n,
  '\u03bcs': 1000n,
  ms: 1000000n,
  s: 1000000000n,
  m: 60000000000n,
  h: 3600000000000n,
};

/** parseDuration is time.ParseDuration; the value is in nanoseconds. */
export function parseDuration(orig: string): GoResult<bigint> {
  const invalid = () => fail<bigint>('time: invalid duration ' + timeQuote(orig));
  let s = orig;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return ok(0n);
  if (s === '') return invalid();
  const LIMIT = 1n << 63n;
  const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  let d = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) return invalid();
    let i = 0;
    let v = 0n;
    while (isDigit(s[i])) {
      if (v > LIMIT / 10n) return invalid();
      v = v * 10n + BigInt(s.charCodeAt(i) - 48);
      if (v > LIMIT) return invalid();
      i++;
    }
    const pre = i > 0;
    s = s.slice(i);
    let post = false;
    let f = 0n;
    let scale = 1;
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      let overflow = false;
      while (isDigit(s[j])) {
        if (!overflow) {
          if (f > (LIMIT - 1n) / 10n) overflow = true;
          else {
            const y = f * 10n + BigInt(s.charCodeAt(j) - 48);
            if (y > LIMIT) overflow = true;
            else {
              f = y;
              scale *= 10;
            }
          }
        }
        j++;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) return invalid();
    let k = 0;
    while (k < s.length && !(s[k] === '.' || isDigit(s[k]))) k++;
    if (k === 0) return fail('time: missing unit in duration ' + timeQuote(orig));
    const u = s.slice(0, k);
    s = s.slice(k);
    const unit = DURATION_UNITS[u];
    if (unit === undefined) return fail('time: unknown unit ' + timeQuote(u) + ' in duration ' + timeQuote(orig));
    if (v > LIMIT / unit) return invalid();
    v *= unit;
    if (f > 0n) {
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > LIMIT) return invalid();
    }
    d += v;
    if (d > LIMIT) return invalid();
  }
  if (neg) return ok(-d);
  if (d > LIMIT - 1n) return invalid();
  return ok(d);
}

/**
 * parseFloat64 approximates strconv.ParseFloat(s, 64): decimal and hex mantissas, inf/nan,
 * underscores only after a base prefix.
 */
export function parseFloat64(s: string): GoResult<number> {
  const syntax = () => fail<number>(numError('ParseFloat', s, 'invalid syntax'));
  if (/^[+-]?(inf|infinity|nan)$/i.test(s)) {
    const low = s.toLowerCase();
    if (low.endsWith('nan')) return s[0] === '+' || s[0] === '-' ? syntax() : ok(NaN);
    return ok(s[0] === '-' ? -Infinity : Infinity);
  }
  let v: number;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) {
    v = Number(s);
  } else {
    const hex = /^([+-]?)0[xX](_?[0-9a-fA-F_]*)(\.[0-9a-fA-F_]*)?[pP]([+-]?\d[\d_]*)$/.exec(s);
    if (!hex || !/[0-9a-fA-F]/.test((hex[2] ?? '') + (hex[3] ?? ''))) return syntax();
    const mant = (hex[2] + (hex[3] ?? '')).replace(/_/g, '');
    const [ip, fp = ''] = mant.split('.');
    let m = 0;
    for (const c of ip) m = m * 16 + parseInt(c, 16);
    let scale = 1 / 16;
    for (const c of fp) {
      m += parseInt(c, 16) * scale;
      scale /= 16;
    }
    v = m * 2 ** Number(hex[4].replace(/_/g, ''));
    if (hex[1] === '-') v = -v;
  }
  if (!Number.isFinite(v)) return fail(numError('ParseFloat', s, 'value out of range'));
  return ok(v);
}

/** ramInBytes is go-units RAMInBytes (binary multiples). */
export function ramInBytes(sizeStr: string): GoResult<number> {
  let sep = -1;
  for (let i = sizeStr.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(sizeStr[i])) {
      sep = i;
      break;
    }
  }
  if (sep === -1) return fail(`invalid size: '${sizeStr}'`);
  const num = sizeStr[sep] !== ' ' ? sizeStr.slice(0, sep + 1) : sizeStr.slice(0, sep);
  let sfx = sizeStr.slice(sep + 1);
  const f = parseFloat64(num);
  if (!f.ok) return f;
  let size = f.value;
  if (size < 0) return fail(`invalid size: '${sizeStr}'`);
  if (sfx.length === 0) return ok(Math.trunc(size));
  const badSuffix = () => fail<number>(`invalid suffix: '${sfx}'`);
  if (sfx.length > 3) return badSuffix();
  sfx = sfx.toLowerCase();
  if (sfx[0] === 'b') return sfx.length > 1 ? badSuffix() : ok(Math.trunc(size));
  const mul: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
  if (!(sfx[0] in mul)) return badSuffix();
  size *= mul[sfx[0]];
  if (sfx.length === 2 && sfx[1] !== 'b') return badSuffix();
  if (sfx.length === 3 && sfx.slice(1) !== 'ib') return badSuffix();
  return ok(Math.trunc(size));
}

/** memSwapBytes is docker/cli opts.MemSwapBytes.Set: `-1` means unlimited. */
export function memSwapBytes(s: string): GoResult<number> {
  if (s === '-1') return ok(-1);
  return ramInBytes(s);
}

// ---------------------------------------------------------------------------------------------
// Kubernetes resource.Quantity

export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const QUANTITY_SUFFIX_ERROR = "unable to parse quantity's suffix";
export const QUANTITY_NUMERIC_ERROR = 'unable to parse numeric part of quantity';

/** Exact rational value of a quantity: num / den (den > 0). */
export interface Quantity {
  text: string;
  num: bigint;
  den: bigint;
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
}

const DEC_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

function pow10(e: number): bigint {
  return 10n ** BigInt(e);
}

/** parseQuantity is k8s.io/apimachinery resource.ParseQuantity. */
export function parseQuantity(str: string): GoResult<Quantity> {
  if (str.length === 0) return fail(QUANTITY_FORMAT_ERROR);
  if (str === '0') return ok({ text: str, num: 0n, den: 1n, format: 'DecimalSI' });
  const end = str.length;
  let pos = 0;
  let positive = true;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') pos++;
  const isDigit = (c: string) => c >= '0' && c <= '9';
  while (pos < end && str[pos] === '0') pos++;
  let num = '';
  let denom = '';
  let value = '';
  let suffix = '';
  let done = false;
  if (pos >= end) {
    num = '0';
    value = '0';
    done = true;
  }
  if (!done) {
    let i = pos;
    while (i < end && isDigit(str[i])) i++;
    num = str.slice(pos, i);
    if (i >= end) {
      value = str;
      done = true;
    }
    pos = i;
  }
  if (!done) {
    if (num.length === 0) num = '0';
    if (str[pos] === '.') {
      pos++;
      let i = pos;
      while (i < end && isDigit(str[i])) i++;
      denom = str.slice(pos, i);
      if (i >= end) {
        value = str;
        done = true;
      }
      pos = i;
    }
  }
  if (!done) {
    value = str.slice(0, pos);
    const suffixStart = pos;
    let i = pos;
    while (i < end && 'eEinumkKMGTP'.includes(str[i])) i++;
    if (i < end) {
      pos = i;
      if (str[pos] === '-' || str[pos] === '+') pos++;
      let j = pos;
      while (j < end && isDigit(str[j])) j++;
      if (j < end) return fail(QUANTITY_FORMAT_ERROR);
    }
    suffix = str.slice(suffixStart);
  }
  if (num === '') num = '0';
  // Interpret the suffix.
  let base: 2 | 10;
  let exponent: number;
  let format: Quantity['format'];
  if (suffix in DEC_SUFFIX) {
    base = 10;
    exponent = DEC_SUFFIX[suffix];
    format = 'DecimalSI';
  } else if (suffix in BIN_SUFFIX) {
    base = 2;
    exponent = BIN_SUFFIX[suffix];
    format = 'BinarySI';
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const e = parseInt10(suffix.slice(1), 64);
    if (!e.ok) return fail(QUANTITY_SUFFIX_ERROR);
    base = 10;
    // Go truncates to int32; absurd exponents are clamped here to keep the arithmetic finite.
    exponent = Math.max(-400, Math.min(400, Number(e.value)));
    format = 'DecimalExponent';
  } else {
    return fail(QUANTITY_SUFFIX_ERROR);
  }
  // Go takes a fast path (num/denom digits only) when the number is small enough; otherwise it
  // re-parses the numeric prefix, which fails when that prefix holds no digit at all.
  let fast: boolean;
  if (base === 10) {
    fast = 18 - (num.length + denom.length) >= 0 && exponent - denom.length >= -9;
  } else {
    fast = denom.length === 0 && 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 >= 0;
  }
  if (!fast && !/[0-9]/.test(value)) return fail(QUANTITY_NUMERIC_ERROR);
  let n = BigInt(num + denom);
  let d = pow10(denom.length);
  if (base === 10) {
    if (exponent >= 0) n *= pow10(exponent);
    else d *= pow10(-exponent);
  } else n *= 1n << BigInt(exponent);
  if (!positive) n = -n;
  return ok({ text: str, num: n, den: d, format });
}

/** compareQuantity returns <0, 0, >0 like a - b. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

export function quantitySign(q: Quantity): number {
  return q.num < 0n ? -1 : q.num > 0n ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// docker restart policy

export interface RestartPolicy {
  name: string;
  maximumRetryCount: number;
  /** The `:count` part was present and non-empty. */
  hasCount: boolean;
}

/** parseRestartPolicy is docker/cli opts.ParseRestartPolicy; empty means "no policy at all". */
export function parseRestartPolicy(policy: string): GoResult<RestartPolicy | null> {
  if (policy === '') return ok(null);
  const colon = policy.indexOf(':');
  const k = colon < 0 ? policy : policy.slice(0, colon);
  const v = colon < 0 ? '' : policy.slice(colon + 1);
  if (colon >= 0 && k === '') return fail('invalid restart policy format: no policy provided before colon');
  let count = 0;
  if (v !== '') {
    const c = atoi(v);
    if (!c.ok) return fail('invalid restart policy format: maximum retry count must be an integer');
    count = c.value;
  }
  return ok({ name: k, maximumRetryCount: count, hasCount: v !== '' });
}

/** validateRestartPolicy reproduces the daemon's check at container creation (runtime). */
export function validateRestartPolicy(p: RestartPolicy): string | null {
  switch (p.name) {
    case 'always':
    case 'unless-stopped':
    case 'no':
      if (p.maximumRetryCount !== 0) {
        let msg = "invalid restart policy: maximum retry count can only be used with 'on-failure'";
        if (p.maximumRetryCount < 0) msg += ' and cannot be negative';
        return msg;
      }
      return null;
    case 'on-failure':
      return p.maximumRetryCount < 0 ? 'invalid restart policy: maximum retry count cannot be negative' : null;
    case '':
      return null;
    default:
      return `invalid restart policy: unknown policy '${p.name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`;
  }
}

// ---------------------------------------------------------------------------------------------
// google/shlex

export interface ShlexResult {
  words: MappedString[];
  /** `EOF found when expecting closing quote` / `EOF found after escape character`. */
  error: string | null;
}

/** shlexSplit is google/shlex.Split on a MappedString, so each word keeps its source map. */
export function shlexSplit(input: MappedString): ShlexResult {
  const text = input.text;
  const words: MappedString[] = [];
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  type State = 'start' | 'word' | 'escape' | 'escapeQuoted' | 'dquote' | 'squote' | 'comment';
  let state: State = 'start';
  let cur = new MappedStringBuilder();
  let i = 0;
  const push = (k: number) => cur.appendSlice(input, k, k + 1);
  const emit = (at: number) => {
    words.push(cur.build(offsetAt(input, at)));
    cur = new MappedStringBuilder();
  };
  for (; ; i++) {
    const eof = i >= text.length;
    const c = eof ? '' : text[i];
    switch (state) {
      case 'start':
        if (eof) return { words, error: null };
        if (isSpace(c)) break;
        if (c === '"') state = 'dquote';
        else if (c === "'") state = 'squote';
        else if (c === '\\') state = 'escape';
        else if (c === '#') state = 'comment';
        else {
          push(i);
          state = 'word';
        }
        break;
      case 'word':
        if (eof) {
          emit(i);
          return { words, error: null };
        }
        if (isSpace(c)) {
          emit(i);
          state = 'start';
        } else if (c === '"') state = 'dquote';
        else if (c === "'") state = 'squote';
        else if (c === '\\') state = 'escape';
        else push(i);
        break;
      case 'escape':
      case 'escapeQuoted':
        // Split drops the partial word when the lexer reports an error.
        if (eof) return { words, error: 'EOF found after escape character' };
        push(i);
        state = state === 'escape' ? 'word' : 'dquote';
        break;
      case 'dquote':
        if (eof) return { words, error: 'EOF found when expecting closing quote' };
        if (c === '"') state = 'word';
        else if (c === '\\') state = 'escapeQuoted';
        else push(i);
        break;
      case 'squote':
        if (eof) return { words, error: 'EOF found when expecting closing quote' };
        if (c === "'") state = 'word';
        else push(i);
        break;
      case 'comment':
        if (eof) return { words, error: null };
        if (c === '\n') {
          cur = new MappedStringBuilder();
          state = 'start';
        }
        break;
    }
  }
}
