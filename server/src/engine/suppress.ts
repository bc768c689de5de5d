/**
 * Suppression comments, ShellCheck style, with an optional reason (ESLint's `-- reason`):
 *   `# kbx-lint disable=KBX101,driver-opt-duplicate-key -- pool is set by the chart`
 *   on its own line applies to the command that starts on the next non-comment line; at the end of
 *   a line it applies to that line's command.
 *   `# kbx-lint disable-file=KBX205` anywhere applies to the whole file (in Markdown also as an
 *   HTML comment, `<!-- kbx-lint disable-file=KBX205 -->`).
 * Ids are codes or names in any case. Comments are found textually (`#` preceded by start of line
 * or whitespace), which is what a reader of the file sees; a directive inside a quoted string is
 * not expected in practice. Each id remembers whether it suppressed something, so unused ones can
 * be reported (Ruff RUF100, ESLint --report-unused-disable-directives).
 */
import type { Diagnostic, Severity } from '../core/diagnostic';
import type { Span } from '../core/span';
import type { LineIndex } from '../core/source';
import { ruleCode, type RuleSetting, unknownRuleMessage } from './config';

export interface SuppressionId {
  /** As written. */
  raw: string;
  /** The rule's code, or null when no rule has this code or name. */
  code: string | null;
  span: Span;
  used: boolean;
}

export interface Directive {
  kind: 'disable' | 'disable-file';
  /** 0-based line of the comment. */
  line: number;
  /** 0-based line of the command it applies to (-1 for disable-file). */
  target: number;
  ids: SuppressionId[];
  reason: string | null;
  span: Span;
}

export interface Suppressions {
  directives: Directive[];
  /** Rule codes suppressed for the whole file. */
  file: Set<string>;
  /** 0-based line → rule codes suppressed for the command that starts on that line. */
  lines: Map<number, Set<string>>;
  /** 0-based line → the `disable` comments that apply to it. */
  byTarget: Map<number, Directive[]>;
  fileDirectives: Directive[];
  /** `file:CODE` and `LINE:CODE` pairs whose ids suppressedBy has already marked used. */
  marked: Set<string>;
}

const DIRECTIVE = /(?:^|\s)(#\s*kbx-lint\s+(disable|disable-file)=([A-Za-z0-9_-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_-]+)*)(?:[ \t]+--(?:[ \t]+(.*\S))?)?)/;
/**
 * In Markdown a page-wide directive is an HTML comment, which the rendered page does not show:
 * `<!-- kbx-lint disable-file=KBX205 -- reason -->`.
 */
const HTML_DIRECTIVE = /(<!--\s*kbx-lint\s+(disable-file)=([A-Za-z0-9_-]+(?:[ \t]*,[ \t]*[A-Za-z0-9_-]+)*)(?:[ \t]+--(?:[ \t]+(.*?\S))?)?\s*-->)/;

export function findSuppressions(text: string, lines: LineIndex): Suppressions {
  const result: Suppressions = { directives: [], file: new Set(), lines: new Map(), byTarget: new Map(), fileDirectives: [], marked: new Set() };
  if (!text.includes('kbx-lint')) return result;
  const count = lines.lineCount();
  // The first line after the last run of comment and blank lines scanned: every comment of a run
  // targets it, so a run of n directive lines is scanned once, not n times.
  let runEnd = -1;
  for (let l = 0; l < count; l++) {
    const line = lines.lineText(l);
    if (!line.includes('kbx-lint')) continue;
    const m = DIRECTIVE.exec(line) ?? HTML_DIRECTIVE.exec(line);
    if (!m) continue;
    const [, comment, kind, list, reason] = m;
    const lineStart = lines.lineStarts[l];
    const commentStart = lineStart + m.index + m[0].indexOf(comment);
    const listStart = commentStart + comment.indexOf(list, comment.indexOf('='));
    const ids: SuppressionId[] = [];
    for (const part of list.matchAll(/[A-Za-z0-9_-]+/g)) {
      const start = listStart + part.index!;
      ids.push({ raw: part[0], code: ruleCode(part[0]), span: { start, end: start + part[0].length }, used: false });
    }
    let target = -1;
    if (kind === 'disable') {
      target = l;
      if (/^\s*#/.test(line)) {
        target = l + 1;
        if (target <= runEnd) target = runEnd;
        else {
          while (target < count && /^\s*(#.*)?$/.test(lines.lineText(target))) target++;
          runEnd = target;
        }
      }
    }
    const directive: Directive = { kind: kind as Directive['kind'], line: l, target, ids, reason: reason ?? null, span: { start: commentStart, end: commentStart + comment.length } };
    result.directives.push(directive);
    if (kind === 'disable-file') result.fileDirectives.push(directive);
    else {
      const list = result.byTarget.get(target);
      if (list) list.push(directive);
      else result.byTarget.set(target, [directive]);
    }
    for (const id of ids) {
      if (!id.code) continue;
      if (kind === 'disable-file') result.file.add(id.code);
      else {
        const set = result.lines.get(target) ?? new Set<string>();
        set.add(id.code);
        result.lines.set(target, set);
      }
    }
  }
  return result;
}

/**
 * suppressedBy says whether a finding of `code` whose start is on one of `lines` (its own line and
 * the line its command starts on) is suppressed, and marks the ids that did it as used.
 */
export function suppressedBy(s: Suppressions, code: string, lines: number[]): boolean {
  if (!s.directives.length) return false;
  let hit = false;
  const mark = (d: Directive) => {
    for (const id of d.ids) {
      if (id.code === code) {
        id.used = true;
        hit = true;
      }
    }
  };
  // Marking is done once per code and target: many findings under many comments stay linear.
  if (s.file.has(code)) {
    hit = true;
    if (!s.marked.has(`file:${code}`)) {
      s.marked.add(`file:${code}`);
      s.fileDirectives.forEach(mark);
    }
  }
  for (const l of lines) {
    if (!s.lines.get(l)?.has(code)) continue;
    hit = true;
    if (s.marked.has(`${l}:${code}`)) continue;
    s.marked.add(`${l}:${code}`);
    s.byTarget.get(l)!.forEach(mark);
  }
  return hit;
}

const UNUSED = { code: 'KBX690', name: 'unused-suppression' };
const UNKNOWN = { code: 'KBX691', name: 'suppression-unknown-rule' };

/**
 * suppressionFindings reports the ids that name no rule (KBX691) and, when enabled, the ids of
 * rules that ran and whose comment suppressed nothing (KBX690). Both can be silenced for a file
 * with `disable-file=` like any rule.
 */
export function suppressionFindings(
  s: Suppressions,
  ran: ReadonlySet<string>,
  settingOf: (code: string, name: string) => RuleSetting | undefined,
  /** Rule code → 0-based line from which its findings were cut (limits.maxFindings): comments from there on were never tried. */
  cutFrom?: ReadonlyMap<string, number>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const severity = (rule: { code: string; name: string }, byDefault: Severity | null): Severity | null => {
    const set = settingOf(rule.code, rule.name);
    if (set === 'off' || s.file.has(rule.code)) return null;
    return set ?? byDefault;
  };
  const unknown = severity(UNKNOWN, 'warning');
  const unused = severity(UNUSED, null);
  for (const d of s.directives) {
    for (const id of d.ids) {
      if (!id.code) {
        if (unknown) out.push({ span: id.span, severity: unknown, ...UNKNOWN, message: `${unknownRuleMessage(id.raw)} in a suppression comment` });
      } else if (unused && !id.used && ran.has(id.code) && id.code !== UNUSED.code && !untried(d, cutFrom?.get(id.code))) {
        const where = d.kind === 'disable-file' ? 'in this file' : 'on the command it applies to';
        out.push({
          span: id.span,
          severity: unused,
          ...UNUSED,
          message: `"${id.raw}" suppresses nothing: ${id.code} reports no finding ${where}`,
          help: d.ids.length > 1 ? `remove "${id.raw}" from the list` : 'remove the comment',
        });
      }
    }
  }
  return out;
}

/** Whether a comment applies where its rule's findings were no longer judged. */
function untried(d: Directive, cutLine: number | undefined): boolean {
  return cutLine !== undefined && (d.kind === 'disable-file' || d.target >= cutLine);
}
