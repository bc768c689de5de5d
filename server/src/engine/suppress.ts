/**
 * Suppression comments, ShellCheck style:
 *   `# kbx-lint disable=KBX101,driver-opt-duplicate-key` on its own line applies to the command
 *   that starts on the next non-comment line; at the end of a line it applies to that line's command.
 *   `# kbx-lint disable-file=KBX205` anywhere applies to the whole file (in Markdown also as an
 *   HTML comment, `<!-- kbx-lint disable-file=KBX205 -->`).
 * Comments are found textually (`#` preceded by start of line or whitespace), which is what a
 * reader of the file sees; a directive inside a quoted string is not expected in practice.
 */
import { LineIndex } from '../core/source';

export interface Suppressions {
  /** Rule ids suppressed for the whole file. */
  file: Set<string>;
  /** 0-based line → rule ids suppressed for the command that starts on that line. */
  lines: Map<number, Set<string>>;
}

const DIRECTIVE = /(?:^|\s)#\s*kbx-lint\s+(disable|disable-file)=([A-Za-z0-9_,-]+)/;
/** In Markdown a page-wide directive is an HTML comment, which the rendered page does not show. */
const HTML_DIRECTIVE = /<!--\s*kbx-lint\s+(disable-file)=([A-Za-z0-9_,-]+)\s*-->/;

export function findSuppressions(text: string, lines: LineIndex): Suppressions {
  const result: Suppressions = { file: new Set(), lines: new Map() };
  if (!text.includes('kbx-lint')) return result;
  const count = lines.lineCount();
  for (let l = 0; l < count; l++) {
    const line = lines.lineText(l);
    if (!line.includes('kbx-lint')) continue;
    const m = DIRECTIVE.exec(line) ?? HTML_DIRECTIVE.exec(line);
    if (!m) continue;
    const ids = m[2].split(',').filter(Boolean);
    if (m[1] === 'disable-file') {
      ids.forEach((id) => result.file.add(id));
      continue;
    }
    let target = l;
    if (/^\s*#/.test(line)) {
      target = l + 1;
      while (target < count && /^\s*(#.*)?$/.test(lines.lineText(target))) target++;
    }
    const set = result.lines.get(target) ?? new Set<string>();
    ids.forEach((id) => set.add(id));
    result.lines.set(target, set);
  }
  return result;
}
