/**
 * Configuration: a severity (or `off`) per rule, addressed by code or name (case-insensitive),
 * `extends` and per-path `overrides`. The same code serves the CLI (`--rule`, config files) and the
 * language server (settings, config files): both find `.kbx-lint.json` from the linted file's
 * directory upward to the project root. File access goes through a `ConfigFs` the caller passes,
 * so this module stays free of I/O of its own.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Severity } from '../core/diagnostic';
import { editDistance } from '../core/edit-distance';
import { Gitignore } from '../core/gitignore';
import { readRegular } from '../core/read-file';
import { MAX_ALIASES, MAX_BLOCK_SIZE, MAX_DOCUMENT_SIZE } from '../hosts/region';
import { RULES } from '../rules/index';

export type RuleSetting = Severity | 'off';

export interface Override {
  /** Absolute directory the globs are relative to (the directory of the file that declared them). */
  base: string;
  files: string[];
  rules: Record<string, RuleSetting>;
  /**
   * Only these rules (codes or names) run, off-by-default ones included; the rest stay quiet.
   * Set by callers (tests, tools), not read from configuration files.
   */
  select?: string[];
}

export interface Config {
  /** Keys are rule codes (`KBX101`); names given by the user are turned into codes. */
  rules: Record<string, RuleSetting>;
  overrides?: Override[];
  /** The file the configuration was read from, for messages. */
  source?: string;
  /** The buildx release the project runs (`0.12`, `v0.13.1`, `latest`); absent: the newest. */
  buildx?: string;
  /** Size limits past which a file is reported as too large instead of read (defaults: LIMITS). */
  limits?: Partial<Limits>;
  /**
   * Only these rules run (codes or names), whatever their default: the fixture tests use it.
   * Set by callers (tests, tools), not read from configuration files.
   */
  select?: string[];
}

export const DEFAULT_CONFIG: Config = { rules: {} };

/**
 * Input limits. No real script, Makefile, workflow or page comes near them; past them a file gets
 * one KBX604 finding instead of being read, so hostile input can never exhaust memory.
 */
export interface Limits {
  /** Characters (UTF-16 code units) in the whole file. */
  maxFileSize: number;
  /** Characters in one line. */
  maxLineLength: number;
  /**
   * Characters in one argument as the program receives it (a shell word, a `--driver-opt` value, a
   * YAML scalar's word), after quotes, continuations and variables. Past it the value is left
   * unjudged, like a run-time value, with one KBX604 finding at the word.
   */
  maxWordLength: number;
  /** Comma-separated fields in one argument (CSV fields of a `--driver-opt`, `--platform` items). */
  maxWordFields: number;
  /** Characters one Makefile expansion (a variable's value, a recipe line) may produce. */
  maxExpansion: number;
  /**
   * Arguments of all the Docker commands of one file together (each `docker buildx …` with its
   * flags and values). The model of a command weighs some 500 bytes an argument: past this, the
   * command that does not fit and every later one are not read, and one KBX604 says where.
   */
  maxArguments: number;
  /**
   * Shell statements of one file, at every depth (a command, a pipeline, an `if`, each command
   * of a substitution). The syntax tree weighs some 400 bytes a statement: past this the rest of
   * the file is not read, and one KBX604 says where.
   */
  maxStatements: number;
  /**
   * Characters in one Markdown code block. A block is parsed (by micromark, then as shell) whole,
   * so its memory grows with it, whatever the page around it; past this the block is not read.
   */
  maxBlockSize: number;
  /**
   * Characters in one YAML document (a workflow, a pipeline, one `---` section of a file). The
   * yaml package holds a document's tree whole, about 36 bytes a character; past this the
   * document is not read.
   */
  maxDocumentSize: number;
  /**
   * Aliases (`*name`) in one YAML document. Past this the document is not read: its parse, not
   * the aliases (followed by reference), is what costs memory.
   */
  maxAliases: number;
  /**
   * Findings of one rule in one file. Past it the rule's later findings are not reported (nor
   * their fixes made), and one KBX604 finding at the first of them says so: a hostile value can
   * hold one finding every character, megabytes of report for kilobytes of input.
   */
  maxFindings: number;
}

/**
 * Linux refuses to exec a program with one argument longer than MAX_ARG_STRLEN, 32 pages
 * (131072 bytes with 4 KiB pages; execve(2), "Limits on size of arguments and environment"):
 * a longer word, or a longer recipe line (make passes it whole to `sh -c`), never reaches buildx.
 */
const MAX_ARG_STRLEN = 128 * 1024;

export const LIMITS: Limits = {
  maxFileSize: 8 * 1024 * 1024,
  maxLineLength: 256 * 1024,
  maxWordLength: MAX_ARG_STRLEN,
  maxWordFields: 10_000,
  maxExpansion: MAX_ARG_STRLEN,
  maxArguments: 100_000,
  maxStatements: 100_000,
  maxBlockSize: MAX_BLOCK_SIZE,
  maxDocumentSize: MAX_DOCUMENT_SIZE,
  maxAliases: MAX_ALIASES,
  maxFindings: 1_000,
};

export const LIMIT_NAMES = Object.keys(LIMITS) as (keyof Limits)[];

/**
 * The configuration `--fix` lints with: a fix is proven by comparing counts of findings before
 * and after it, which a cut list cannot give. What it reports at the end is linted as configured.
 */
export function withoutFindingsLimit(config: Config): Config {
  return { ...config, limits: { ...config.limits, maxFindings: Number.POSITIVE_INFINITY } };
}

/** Whether some rule has more findings in `diagnostics` than the configured `limits.maxFindings`. */
export function pastFindingsLimit(diagnostics: readonly { code: string }[], config: Config): boolean {
  const max = config.limits?.maxFindings ?? LIMITS.maxFindings;
  if (diagnostics.length <= max) return false;
  const perCode = new Map<string, number>();
  for (const d of diagnostics) {
    const n = (perCode.get(d.code) ?? 0) + 1;
    if (n > max) return true;
    perCode.set(d.code, n);
  }
  return false;
}

export { CONFIG_NAMES, ConfigLookup, findConfigFile } from '../core/config-lookup';

const SETTINGS: ReadonlySet<string> = new Set(['error', 'warning', 'info', 'off']);

const BY_ID = new Map<string, string>();
for (const r of RULES) {
  BY_ID.set(r.meta.code.toLowerCase(), r.meta.code);
  BY_ID.set(r.meta.name.toLowerCase(), r.meta.code);
}

/** ruleCode maps a code or name, in any case, to the rule's code; null when there is no such rule. */
export function ruleCode(id: string): string | null {
  return BY_ID.get(id.toLowerCase()) ?? null;
}

/** suggestRule names the closest rule (code and name) for a misspelt id, or null when none is close. */
export function suggestRule(id: string): string | null {
  const lower = id.toLowerCase();
  const limit = Math.max(2, Math.floor(lower.length / 3));
  let best: { d: number; label: string } | null = null;
  for (const r of RULES) {
    for (const candidate of [r.meta.code, r.meta.name]) {
      // The distance is at least the difference in length: a candidate that cannot be close
      // enough, or closer than the best so far, is not compared (a 64 KB id in a suppression
      // comment or a configuration file compared with every rule took seconds).
      const gap = Math.abs(lower.length - candidate.length);
      if (gap > limit || (best && gap >= best.d)) continue;
      const d = editDistance(lower, candidate.toLowerCase());
      if (!best || d < best.d) best = { d, label: `${r.meta.code} ${r.meta.name}` };
    }
  }
  return best && best.d <= limit ? best.label : null;
}

export function unknownRuleMessage(id: string): string {
  const s = suggestRule(id);
  return `unknown rule "${id}"${s ? ` (did you mean ${s}?)` : ''}`;
}

/**
 * selectRules resolves a selector (`KBX101`, a prefix such as `KBX1`, a rule name, or `ALL`) to
 * rule codes; an empty list means nothing matched.
 */
export function selectRules(selector: string): string[] {
  const s = selector.trim();
  if (s.toUpperCase() === 'ALL') return RULES.map((r) => r.meta.code);
  const exact = ruleCode(s);
  if (exact) return [exact];
  if (/^kbx\d{0,3}$/i.test(s)) {
    const prefix = s.toUpperCase();
    return RULES.filter((r) => r.meta.code.startsWith(prefix)).map((r) => r.meta.code);
  }
  return [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const RULES_SHAPE = '"rules" must be an object of rule → "error" | "warning" | "info" | "off"';

function readRules(value: unknown, where: string, problems: string[]): Record<string, RuleSetting> {
  const rules: Record<string, RuleSetting> = {};
  if (!isObject(value)) {
    problems.push(where === 'rules' ? RULES_SHAPE : `"${where}" must be an object of rule → "error" | "warning" | "info" | "off"`);
    return rules;
  }
  for (const [rule, setting] of Object.entries(value)) {
    const code = ruleCode(rule);
    if (!code) problems.push(unknownRuleMessage(rule));
    else if (typeof setting !== 'string' || !SETTINGS.has(setting)) problems.push(`rule "${rule}": expected "error", "warning", "info" or "off", got ${JSON.stringify(setting)}`);
    else rules[code] = setting as RuleSetting;
  }
  return rules;
}

/**
 * validateConfig turns unknown JSON into a Config, collecting readable problems. `extends` is
 * returned for the loader to follow; `base` is the directory override globs are relative to.
 */
export function validateConfig(input: unknown, _knownRule?: (id: string) => boolean, base = ''): { config: Config; problems: string[]; extends: string[] } {
  const problems: string[] = [];
  const config: Config = { rules: {} };
  const ext: string[] = [];
  if (!isObject(input)) return { config, problems: ['configuration must be a JSON object like {"rules": {"KBX205": "off"}}'], extends: ext };
  for (const [key, value] of Object.entries(input)) {
    if (key === '$schema') continue;
    if (key === 'limits') {
      if (!isObject(value)) problems.push('"limits" must be an object like {"maxFileSize": 8388608, "maxLineLength": 262144}');
      else {
        const limits: Partial<Limits> = {};
        for (const [k, v] of Object.entries(value)) {
          if (!(LIMIT_NAMES as string[]).includes(k)) problems.push(`unknown limit "${k}" (${LIMIT_NAMES.join(', ')})`);
          else if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) problems.push(`limits.${k} must be a positive integer`);
          else limits[k as keyof Limits] = v;
        }
        config.limits = limits;
      }
      continue;
    }
    if (key === 'buildx') {
      if (typeof value !== 'string' || (value !== 'latest' && !/^v?\d+\.\d+(\.\d+)?([-+].*)?$/.test(value))) {
        problems.push('"buildx" must be a release such as "0.12", "v0.13.1" or "latest"');
      } else config.buildx = value;
    } else if (key === 'rules') {
      config.rules = readRules(value, 'rules', problems);
    } else if (key === 'extends') {
      if (typeof value === 'string') ext.push(value);
      else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) ext.push(...(value as string[]));
      else problems.push('"extends" must be a file name or a list of file names');
    } else if (key === 'overrides') {
      if (!Array.isArray(value)) {
        problems.push('"overrides" must be a list of {"files": [globs], "rules": {…}}');
        continue;
      }
      config.overrides = [];
      value.forEach((o, i) => {
        const where = `overrides[${i}]`;
        if (!isObject(o)) return problems.push(`${where} must be an object {"files": [globs], "rules": {…}}`);
        for (const k of Object.keys(o)) if (k !== 'files' && k !== 'rules') problems.push(`${where}: unknown key "${k}"`);
        const files = o.files;
        if (!Array.isArray(files) || files.length === 0 || !files.every((f) => typeof f === 'string')) return problems.push(`${where}.files must be a non-empty list of globs`);
        config.overrides!.push({ base, files: files as string[], rules: readRules(o.rules ?? {}, `${where}.rules`, problems) });
      });
    } else {
      problems.push(`unknown configuration key "${key}"`);
    }
  }
  return { config, problems, extends: ext };
}

/** A configuration problem located in a file (line and column are 1-based when known). */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}:${column}` : ''}: ${detail}`);
  }
}

/** parseConfigJson parses JSON and, on a syntax error, says where (line:column) it is. */
export function parseConfigJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    // V8 names the offset in one of these shapes, depending on its version.
    const at = /at position (\d+)/.exec(msg) ?? /line (\d+) column (\d+)/.exec(msg);
    let offset = text.length;
    if (at && at.length === 2) offset = Number(at[1]);
    let line = 1;
    let column = 1;
    if (at && at.length === 3) {
      line = Number(at[1]);
      column = Number(at[2]);
    } else {
      for (let i = 0; i < offset && i < text.length; i++) {
        if (text[i] === '\n') {
          line++;
          column = 1;
        } else column++;
      }
    }
    const reason = msg
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/^Unexpected end of JSON input$/, 'unexpected end of input');
    throw new ConfigError(file, `invalid JSON: ${reason}`, line, column);
  }
}

/** What the loader needs from the file system: the text of a file, or null when it does not exist. */
export interface ConfigFs {
  readFile(file: string): string | null;
  exists(file: string): boolean;
}

/**
 * loadConfigFile reads a configuration file and the files it extends (relative to it; later ones
 * and the file itself win). Cycles are an error.
 */
export function loadConfigFile(file: string, fsys: ConfigFs, chain: string[] = []): Config {
  const abs = path.resolve(file);
  if (chain.includes(abs)) throw new ConfigError(file, `"extends" cycle: ${[...chain, abs].map((f) => path.basename(f)).join(' → ')}`);
  let text: string | null;
  try {
    text = fsys.readFile(abs);
  } catch (e) {
    throw new ConfigError(file, `cannot read configuration: ${(e as Error).message}`);
  }
  if (text === null) throw new ConfigError(file, chain.length ? 'extended configuration file does not exist' : 'configuration file does not exist');
  const raw = parseConfigJson(text.replace(/^\uFEFF/, ''), file);
  const { config, problems, extends: ext } = validateConfig(raw, undefined, path.dirname(abs));
  if (problems.length) throw new ConfigError(file, problems.join('; '));
  let merged: Config = { rules: {}, overrides: [] };
  for (const e of ext) {
    const parent = loadConfigFile(path.resolve(path.dirname(abs), e), fsys, [...chain, abs]);
    merged = {
      rules: { ...merged.rules, ...parent.rules },
      overrides: [...(merged.overrides ?? []), ...(parent.overrides ?? [])],
      buildx: parent.buildx ?? merged.buildx,
      limits: { ...merged.limits, ...parent.limits },
    };
  }
  const buildx = config.buildx ?? merged.buildx;
  return {
    rules: { ...merged.rules, ...config.rules },
    overrides: [...(merged.overrides ?? []), ...(config.overrides ?? [])],
    source: file,
    ...(buildx ? { buildx } : {}),
    ...(merged.limits || config.limits ? { limits: { ...merged.limits, ...config.limits } } : {}),
  };
}

const matchers = new WeakMap<Override, Gitignore>();

/** configForFile applies the overrides whose globs match `absFile`, giving a flat Config. */
export function configForFile(config: Config, absFile: string): Config {
  if (!config.overrides?.length) return config;
  let rules = config.rules;
  for (const o of config.overrides) {
    const rel = path.relative(o.base, absFile).split(path.sep).join('/');
    if (!rel || rel.startsWith('../') || path.isAbsolute(rel)) continue;
    let m = matchers.get(o);
    if (!m) {
      m = Gitignore.fromPatterns(o.files);
      matchers.set(o, m);
    }
    if (m.ignores(rel)) rules = { ...rules, ...o.rules };
  }
  return { rules, source: config.source, ...(config.buildx ? { buildx: config.buildx } : {}), ...(config.limits ? { limits: config.limits } : {}) };
}

/** The real file system, for the CLI and the language server: a missing file reads as null. */
export const nodeFs: ConfigFs = {
  readFile: (f) => {
    try {
      // Never a blocking read: a FIFO named .kbx-lint.json (or --config) would hang the run.
      return readRegular(f).toString('utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },
  exists: (f) => fs.existsSync(f),
};
