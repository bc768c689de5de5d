/**
 * A small unified-diff writer for `--diff`. Fixes are local, so common leading and trailing lines
 * are trimmed before a line LCS runs on the (small) middle.
 */
function splitLines(text: string): string[] {
  const parts = text.split(/(?<=\n)/);
  return parts.length && parts[parts.length - 1] === '' ? parts.slice(0, -1) : parts;
}

const C_ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };

/**
 * diffName is a header's file name as git writes it (core.quotePath): a name holding a control
 * character, a quote or a backslash is quoted, with C escapes and octal bytes, so no file name
 * can add a line to the diff or reach the terminal as an escape sequence.
 */
export function diffName(prefix: string, path: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f"\\\x7f-\x9f]/.test(path)) return prefix + path;
  // eslint-disable-next-line no-control-regex
  const octal = (c: string) => [...Buffer.from(c)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
  const body = (prefix + path).replace(/[\x00-\x1f"\\\x7f-\x9f]/g, (c) => C_ESCAPES[c] ?? octal(c));
  return `"${body}"`;
}

export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const am = a.slice(pre, a.length - suf);
  const bm = b.slice(pre, b.length - suf);
  // Edit script over the middle: LCS table when small, else replace wholesale.
  type Op = { t: ' ' | '-' | '+'; s: string };
  const ops: Op[] = [];
  if (am.length * bm.length <= 4_000_000) {
    const n = am.length;
    const m = bm.length;
    const L: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = am[i] === bm[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && am[i] === bm[j]) {
        ops.push({ t: ' ', s: am[i] });
        i++;
        j++;
      } else if (i < n && (j >= m || L[i + 1][j] >= L[i][j + 1])) ops.push({ t: '-', s: am[i++] });
      else ops.push({ t: '+', s: bm[j++] });
    }
  } else {
    for (const s of am) ops.push({ t: '-', s });
    for (const s of bm) ops.push({ t: '+', s });
  }
  const all: Op[] = [...a.slice(0, pre).map((s) => ({ t: ' ' as const, s })), ...ops, ...a.slice(a.length - suf).map((s) => ({ t: ' ' as const, s }))];
  const out = [`--- ${diffName('a/', path)}\n`, `+++ ${diffName('b/', path)}\n`];
  let k = 0;
  let aLine = 1;
  let bLine = 1;
  while (k < all.length) {
    if (all[k].t === ' ') {
      k++;
      aLine++;
      bLine++;
      continue;
    }
    // Start a hunk with up to `context` lines before.
    let start = k;
    let back = 0;
    while (start > 0 && back < context && all[start - 1].t === ' ') {
      start--;
      back++;
    }
    let end = k;
    let quiet = 0;
    while (end < all.length) {
      if (all[end].t === ' ') {
        quiet++;
        if (quiet > context * 2) break;
      } else quiet = 0;
      end++;
    }
    end -= Math.max(0, quiet - context);
    const hunk = all.slice(start, end);
    const aStart = aLine - back;
    const bStart = bLine - back;
    const aCount = hunk.filter((o) => o.t !== '+').length;
    const bCount = hunk.filter((o) => o.t !== '-').length;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@\n`);
    for (const o of hunk) {
      out.push(o.t + o.s + (o.s.endsWith('\n') ? '' : '\n\\ No newline at end of file\n'));
    }
    for (let x = k; x < end; x++) {
      if (all[x].t !== '+') aLine++;
      if (all[x].t !== '-') bLine++;
    }
    k = end;
  }
  return out.join('');
}
