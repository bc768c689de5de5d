/**
 * Configuration: a severity (or `off`) per rule, addressed by code or name. The same validator
 * serves the CLI (`--rule` options, config file) and the language server (settings).
 */
import type { Severity } from '../core/diagnostic';

export type RuleSetting = Severity | 'off';

export interface Config {
  /** Keys are rule codes (`KBX101`) or names (`driver-opt-unquoted-comma`). */
  rules: Record<string, RuleSetting>;
  /**
   * Only these rules (codes or names) run, off-by-default ones included; the rest stay quiet.
   * Set by callers (tests, tools), not read from configuration files.
   */
  select?: string[];
}

export const DEFAULT_CONFIG: Config = { rules: {} };

const SETTINGS: ReadonlySet<string> = new Set(['error', 'warning', 'info', 'off']);

/** validateConfig turns unknown JSON into a Config, collecting readable problems. */
export function validateConfig(input: unknown, knownRule: (id: string) => boolean): { config: Config; problems: string[] } {
  const problems: string[] = [];
  const config: Config = { rules: {} };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { config, problems: ['configuration must be an object'] };
  }
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (key !== 'rules') {
      problems.push(`unknown configuration key "${key}"`);
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push('"rules" must be an object of rule → "error" | "warning" | "info" | "off"');
      continue;
    }
    for (const [rule, setting] of Object.entries(value as Record<string, unknown>)) {
      if (!knownRule(rule)) problems.push(`unknown rule "${rule}"`);
      else if (typeof setting !== 'string' || !SETTINGS.has(setting)) problems.push(`rule "${rule}": expected "error", "warning", "info" or "off", got ${JSON.stringify(setting)}`);
      else config.rules[rule] = setting as RuleSetting;
    }
  }
  return { config, problems };
}
