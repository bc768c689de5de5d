/**
 * Facts about kbx-lint itself that several adapters print: its version (from package.json, the
 * one home of it) and where each rule's documentation lives.
 */
import { version } from '../../../package.json';

export const VERSION: string = version;

/** The published rule pages (docs/rules/ of the repository). */
export const RULE_DOCS_BASE = 'https://github.com/kbx-lint/kbx-lint/blob/main/docs/rules/';

export function ruleDocUrl(code: string, name: string): string {
  return `${RULE_DOCS_BASE}${code}-${name}.md`;
}
