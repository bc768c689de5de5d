/**
 * Shell quoting for fixes: consumes plain strings and produces shell text that bash reads back as
 * exactly that string.
 */

function isSafe(c: string): boolean {
  return (
    (c >= 'a' && c <= 'z') ||
    (c >= 'A' && c <= 'Z') ||
    (c >= '0' && c <= '9') ||
    c === '_' ||
    c === '@' ||
    c === '%' ||
    c === '+' ||
    c === '=' ||
    c === ':' ||
    c === ',' ||
    c === '.' ||
    c === '/' ||
    c === '-'
  );
}

/** Quote a value so bash reads it back as exactly `value` in one word. */
export function shellQuote(value: string): string {
  let safe = value.length > 0;
  for (let i = 0; i < value.length && safe; i++) if (!isSafe(value[i])) safe = false;
  if (safe) return value;
  return "'" + value.split("'").join("'\\''") + "'";
}

/** Text to insert INSIDE an existing double-quoted region so bash reads `value`. */
export function escapeForDoubleQuotes(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '$' || c === '`' || c === '"' || c === '\\') out += '\\';
    out += c;
  }
  return out;
}
