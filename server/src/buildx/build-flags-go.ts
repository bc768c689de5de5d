/**
 * Small ports of the Go value parsers that buildx's build flags rely on (strconv, go-units, net),
 * reproducing their error texts so lint messages can quote what buildx would print.
 */

/** goQuote is Go's strconv.Quote / `%q` for the characters that appear in command lines. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\n': out += '\\n'; continue;
      case '\r': out += '\\r'; continue;
      case '\t': out += '\\t'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (c === 0x20 || (c > 0x20 && /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch))) {
      out += ch;
    } else if (c < 0x80) {
      out += '\\x' + c.toString(16).padStart(2, '0');
    } else if (c < 0x10000) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else {
      out += '\\U' + c.toString(16).padStart(8, '0');
    }
  }
  return out + '"';
}

export type GoResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** parseBool is strconv.ParseBool. */
export function parseBool(s: string): GoResult<boolean> {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return { ok: true, value: true };
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return { ok: true, value: false };
  return { ok: false, error: `strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax` };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** parseInt64 is strconv.ParseInt(s, 10, 64). */
export function parseInt64(s: string): GoResult<bigint> {
  if (!/^[+-]?[0-9]+$/.test(s)) return { ok: false, error: `strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax` };
  const v = BigInt(s);
  if (v < INT64_MIN || v > INT64_MAX) return { ok: false, error: `strconv.ParseInt: parsing ${goQuote(s)}: value out of range` };
  return { ok: true, value: v };
}

/** parseFloat64 is strconv.ParseFloat(s, 64) for decimal input (what sizes use in practice). */
export function parseFloat64(s: string): GoResult<number> {
  const dec = /^[+-]?(?:[0-9](?:_?[0-9])*\.?(?:[0-9](?:_?[0-9])*)?|\.[0-9](?:_?[0-9])*)(?:[eE][+-]?[0-9]+)?$/;
  const hex = /^[+-]?0[xX](?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+)[pP][+-]?[0-9]+$/;
  const special = /^[+-]?(?:inf|infinity|nan)$/i;
  // Go only allows underscores after a base prefix, so they are rejected in plain decimals.
  if (dec.test(s) && !s.includes('_')) {
    const v = Number(s);
    if (!Number.isFinite(v)) return { ok: false, error: `strconv.ParseFloat: parsing ${goQuote(s)}: value out of range` };
    return { ok: true, value: v };
  }
  if (special.test(s)) {
    const neg = s.startsWith('-');
    return { ok: true, value: /nan/i.test(s) ? NaN : neg ? -Infinity : Infinity };
  }
  if (hex.test(s)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F_]*)\.?([0-9a-fA-F_]*)[pP]([+-]?[0-9]+)$/.exec(s)!;
    const mant = parseInt((m[2] + m[3]).replace(/_/g, '') || '0', 16) / 16 ** m[3].replace(/_/g, '').length;
    return { ok: true, value: (m[1] === '-' ? -1 : 1) * mant * 2 ** parseInt(m[4], 10) };
  }
  return { ok: false, error: `strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax` };
}

const BINARY: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** ramInBytes is go-units RAMInBytes (binary multiples). */
export function ramInBytes(sizeStr: string): GoResult<number> {
  let sep = -1;
  for (let i = sizeStr.length - 1; i >= 0; i--) {
    if ('01234567890. '.includes(sizeStr[i])) {
      sep = i;
      break;
    }
  }
  if (sep === -1) return { ok: false, error: `invalid size: '${sizeStr}'` };
  let num: string;
  let sfx: string;
  if (sizeStr[sep] !== ' ') {
    num = sizeStr.slice(0, sep + 1);
    sfx = sizeStr.slice(sep + 1);
  } else {
    num = sizeStr.slice(0, sep);
    sfx = sizeStr.slice(sep + 1);
  }
  const f = parseFloat64(num);
  if (!f.ok) return f;
  let size = f.value;
  if (size < 0) return { ok: false, error: `invalid size: '${sizeStr}'` };
  if (sfx.length === 0) return { ok: true, value: Math.trunc(size) };
  const bad = (x: string): GoResult<number> => ({ ok: false, error: `invalid suffix: '${x}'` });
  if (sfx.length > 3) return bad(sfx);
  sfx = sfx.toLowerCase();
  if (sfx[0] === 'b') return sfx.length > 1 ? bad(sfx) : { ok: true, value: Math.trunc(size) };
  const mul = BINARY[sfx[0]];
  if (mul === undefined) return bad(sfx);
  size *= mul;
  if (sfx.length === 2 && sfx[1] !== 'b') return bad(sfx);
  if (sfx.length === 3 && sfx.slice(1) !== 'ib') return bad(sfx);
  return { ok: true, value: Math.trunc(size) };
}

function parseIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  // Go 1.17+ rejects leading zeros, which older resolvers read as octal.
  return parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function parseIPv6(s: string): boolean {
  if (s.includes('%')) return false;
  let groups = 0;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const check = (h: string, isLast: boolean): boolean => {
    if (h === '') return true;
    const gs = h.split(':');
    for (let i = 0; i < gs.length; i++) {
      const g = gs[i];
      if (isLast && i === gs.length - 1 && g.includes('.')) {
        if (!parseIPv4(g)) return false;
        groups += 2;
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
      groups++;
    }
    return true;
  };
  if (halves.length === 1) return check(s, true) && groups === 8;
  if (!check(halves[0], false) || !check(halves[1], true)) return false;
  return groups < 8;
}

/** parseIP reports whether Go's net.ParseIP accepts s. */
export function isGoIP(s: string): boolean {
  if (s.includes(':')) return parseIPv6(s);
  return parseIPv4(s);
}
