/**
 * Text meant for a terminal or a CI log, from names and source the linter does not control.
 * Two hazards: control characters (ESC sequences that move the cursor or retitle the window, a
 * newline that forges a `path:line:col: error:` line) and a line that starts with `::`, which the
 * GitHub Actions runner reads as a workflow command (`::error file=…::`) on stdout and stderr alike,
 * after trimming leading white space (actions/runner, src/Runner.Worker/ActionCommandManager.cs,
 * ActionCommand.TryParseV2).
 */

/**
 * escapeControl makes text safe to print on a terminal: tabs become one space (so carets stay
 * aligned), and every other control character — ESC, BEL, CR, the C1 range, DEL — is written as a
 * visible escape (`\e`, `^G`, `\x9b`), so file content can never move the cursor, retitle the
 * window or forge a line of output.
 */
export function escapeControl(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/[\x00-\x1f\x7f-\x9f]/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '\t') out += ' ';
    else if (c === 0x1b) out += '\\e';
    else if (c < 0x20) out += '^' + String.fromCharCode(c + 64);
    else if (c === 0x7f) out += '^?';
    else if (c >= 0x80 && c <= 0x9f) out += '\\x' + c.toString(16);
    else out += ch;
  }
  return out;
}

/** A line that, trimmed, starts with `::`: the runner would take it for a workflow command. */
const COMMAND_START = /^(\s*):/;

/**
 * safeLine is one line of text output: control characters escaped, and a leading `:` (after
 * white space) written `\x3a`, so no text from a file can become a GitHub workflow command.
 */
export function safeLine(s: string): string {
  const e = escapeControl(s);
  return /^\s*::/.test(e) ? e.replace(COMMAND_START, '$1\\x3a') : e;
}

/**
 * shownPath is a file name as text output starts a line with it: control characters escaped, and
 * a name starting with `::` shown as `./::…`, the same file and never a workflow command.
 */
export function shownPath(p: string): string {
  const e = escapeControl(p);
  return /^\s*::/.test(e) ? `./${e}` : e;
}
