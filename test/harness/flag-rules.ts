/**
 * Runs only the platform and build-flag rules on a snippet, through the real engine (`select`), so
 * their tests see only those rules.
 */
import { lint } from '../../server/src/engine/lint';
import { BUILD_FLAG_RULES } from '../../server/src/rules/build-flag-rules';
import type { Diagnostic } from '../../server/src/core/diagnostic';

export interface Found extends Diagnostic {
  text: string;
}

/** diags lints `text` with every rule in BUILD_FLAG_RULES (off-by-default ones only with `all`). */
export function diags(text: string, fileName = 'build.sh', opts: { all?: boolean } = {}): Found[] {
  const select = BUILD_FLAG_RULES.filter((r) => opts.all || r.meta.enabledByDefault).map((r) => r.meta.code);
  const { diagnostics } = lint({ text, fileName }, { rules: {}, select });
  return diagnostics.map((d) => ({ ...d, text: text.slice(d.span.start, d.span.end) })).sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
}

/** brief is code, severity and source text of each diagnostic, for compact assertions. */
export function brief(text: string, fileName?: string, opts?: { all?: boolean }): [string, string, string][] {
  return diags(text, fileName, opts).map((d) => [d.code, d.severity, d.text]);
}
