/**
 * The `kbxLint.*` settings: what the server accepts, as data, and how a client's settings combine
 * with `.kbx-lint.json`. The VS Code manifest (`client/package.json`, contributes.configuration)
 * declares the same names, types and defaults; `test/lsp/manifest.test.ts` keeps the two equal, so
 * a setting added here without a manifest entry (or the other way round) fails the suite.
 */
import type { Config } from '../engine/config';
import { validateConfig } from '../engine/config';
import { findRule } from '../engine/lint';

export const SETTINGS_SECTION = 'kbxLint';

/** Settings as the client sends them (`kbxLint.*`). */
export interface Settings {
  enable?: boolean;
  rules?: Record<string, unknown>;
  /** Read `.kbx-lint.json` like the CLI (default true). */
  useConfigFile?: boolean;
  /** Report suppression comments that suppress nothing (KBX690), like `--report-unused-disable`. */
  reportUnusedDisable?: boolean;
  /** The buildx release the files run with, like `"buildx"` in `.kbx-lint.json`; empty: the file's. */
  buildx?: string;
  /** Input limits, like `"limits"` in `.kbx-lint.json`, each over the file's (`maxBlockSize`, …). */
  limits?: Record<string, unknown>;
}

export interface SettingSpec {
  type: 'boolean' | 'object' | 'string';
  default: boolean | string | Record<string, never>;
  description: string;
}

/** Every setting the server reads, with the type and default the client's UI must declare. */
export const SERVER_SETTINGS: Readonly<Record<keyof Settings, SettingSpec>> = {
  enable: { type: 'boolean', default: true, description: 'false: no diagnostics, actions, hover, completion or tokens' },
  rules: { type: 'object', default: {}, description: 'severity per rule, on top of .kbx-lint.json' },
  useConfigFile: { type: 'boolean', default: true, description: 'read .kbx-lint.json as the CLI does' },
  reportUnusedDisable: { type: 'boolean', default: false, description: 'report suppressions that suppress nothing (KBX690)' },
  buildx: { type: 'string', default: '', description: 'the buildx release the files run with; overrides .kbx-lint.json' },
  limits: { type: 'object', default: {}, description: 'input limits (maxFileSize, maxBlockSize, …) over those of .kbx-lint.json' },
};

export interface ResolvedSettings {
  enable: boolean;
  config: Config;
}

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

/**
 * resolveSettings combines the client's settings with the configuration file that applies
 * (`fileConfig`, read only when `useConfigFile` is not false; null: none). The editor's entries win, as command-line options do in the
 * CLI. A value of the wrong type is reported through `warn` and its default used.
 */
export function resolveSettings(raw: Settings, fileConfig: () => Config | null, warn: (problem: string, prefix: string) => void): ResolvedSettings {
  const s: Settings = {};
  for (const [key, spec] of Object.entries(SERVER_SETTINGS) as [keyof Settings, SettingSpec][]) {
    let v: unknown = raw[key];
    if (v === undefined || v === null) continue;
    // Lua and some JSON encoders write an empty table as `[]`: no rules, not a wrong type.
    if (spec.type === 'object' && Array.isArray(v) && v.length === 0) v = {};
    if (typeOf(v) !== spec.type) {
      warn(`expected ${spec.type === 'object' ? 'an object' : `a ${spec.type}`}, got ${JSON.stringify(v)}`, `${SETTINGS_SECTION}.${key}: `);
      continue;
    }
    (s as Record<string, unknown>)[key] = v;
  }
  const { config, problems } = validateConfig({ rules: s.rules ?? {}, ...(s.buildx ? { buildx: s.buildx } : {}), ...(s.limits ? { limits: s.limits } : {}) }, (id) => !!findRule(id));
  const sectionOf = (problem: string) => (problem.startsWith('"buildx"') ? 'buildx' : /^(?:"limits"|unknown limit|limits\.)/.test(problem) ? 'limits' : 'rules');
  for (const problem of problems) warn(problem, `${SETTINGS_SECTION}.${sectionOf(problem)}: `);
  const file = s.useConfigFile === false ? null : fileConfig();
  const rules = { ...(file?.rules ?? {}), ...config.rules };
  if (s.reportUnusedDisable && (!rules.KBX690 || rules.KBX690 === 'off')) rules.KBX690 = 'warning';
  const buildx = config.buildx ?? file?.buildx;
  const limits = file?.limits || config.limits ? { ...file?.limits, ...config.limits } : null;
  return { enable: s.enable !== false, config: { rules, ...(buildx ? { buildx } : {}), ...(limits ? { limits } : {}) } };
}
