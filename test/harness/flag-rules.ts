/**
 * Runs the platform and build-flag rules on a snippet without the registry (rules/index.ts), so
 * their tests see only those rules.
 */
import { buildModel } from '../../server/src/engine/lint';
import { BUILD_FLAG_RULES } from '../../server/src/rules/build-flag-rules';
import { toDiagnostic } from '../../server/src/rules/rule';
import type { Diagnostic } from '../../server/src/core/diagnostic';

export interface Found extends Diagnostic {
  text: string;
}

/** diags lints `text` with every rule in BUILD_FLAG_RULES (off-by-default ones only with `all`). */
export function diags(text: string, fileName = 'build.sh', opts: { all?: boolean } = {}): Found[] {
  const model = buildModel({ text, fileName });
  const out: Found[] = [];
  for (const rule of BUILD_FLAG_RULES) {
    if (!opts.all && !rule.meta.enabledByDefault) continue;
    rule.check(model, {
      report: (r) => {
        const d = toDiagnostic(rule.meta, r);
        out.push({ ...d, text: text.slice(d.span.start, d.span.end) });
      },
    });
  }
  return out.sort((a, b) => a.span.start - b.span.start || a.code.localeCompare(b.code));
}

/** brief is code, severity and source text of each diagnostic, for compact assertions. */
export function brief(text: string, fileName?: string, opts?: { all?: boolean }): [string, string, string][] {
  return diags(text, fileName, opts).map((d) => [d.code, d.severity, d.text]);
}

