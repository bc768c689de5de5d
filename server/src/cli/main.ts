/**
 * The `kbx-lint` command line. The only module that touches `process`: it reads files, calls the
 * pure engine, prints, and sets the exit code (0 nothing at the fail level, 1 findings at the fail
 * level, 2 usage, configuration or I/O problem).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import type { Diagnostic, Severity } from '../core/diagnostic';
import { mayContainBuildx, type LanguageId } from '../engine/lint';
import {
  type Config,
  ConfigError,
  configForFile,
  ConfigLookup,
  DEFAULT_CONFIG,
  LIMIT_NAMES,
  LIMITS,
  type Limits,
  loadConfigFile,
  ruleCode,
  type RuleSetting,
  selectRules,
  suggestRule,
  unknownRuleMessage,
  nodeFs,
} from '../engine/config';
import { RULES, findRule } from '../rules/index';
import type { RuleMeta } from '../rules/rule';
import { classifyByName, classifyByShebang, discover, isBinary, isGitlabCiFile, readFoundFile, readIfMentioned } from './discover';
import type { Prewalk } from './walk';
import { type ExistsFs, listedFs, LOOKUP_NAMES } from '../core/config-lookup';
import { ANSI, escapeControl, type FileReport, formatGithub, formatJson, formatText, JsonStream, NO_COLOR, shownPath } from './format';
import { formatCheckstyle, formatConcise, formatGitlab, formatJunit, formatRdjson, formatSarif, type ReportContext, streamReport } from './ci-formats';
import { formatExplainText, type ExplainedInvocation } from './explain';
import { renderRuleDoc, renderRuleList } from './rule-docs';
import type { FixMode, FixRunResult } from './fix';
import { WorkerPool } from './pool';
import { growOldGenerationSlowly, keepYoungGenerationSmall } from './heap';
import { failureMessage, type FileTask, runTask, serveWorker, type TaskResult } from './worker';
import { RULE_DOCS_BASE } from '../core/project';
import { COMMAND_HELP, VERSION } from './help';

/** Rule pages are the shipped docs/rules/*.md; `--docs-url` points links at a mirror. */
export const DOCS_URL = RULE_DOCS_BASE.replace(/\/$/, '');

const FORMATS = ['text', 'concise', 'json', 'github', 'sarif', 'gitlab', 'checkstyle', 'junit', 'rdjson'] as const;
type Format = (typeof FORMATS)[number];
const LEVELS: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

class UsageError extends Error {}

type ColorMode = 'auto' | 'always' | 'never';

interface Options {
  command: 'lint' | 'explain' | 'rules' | 'rule';
  paths: string[];
  format: Format;
  formatGiven: boolean;
  outputFile: string | null;
  sarifRoot: string | null;
  docsUrl: string;
  severity: Severity;
  failLevel: Severity;
  maxWarnings: number | null;
  exitZero: boolean;
  statistics: boolean;
  color: ColorMode;
  exclude: string[];
  stdinFilename: string | null;
  ruleSettings: string[];
  select: string[] | null;
  extendSelect: string[];
  ignoreRules: string[];
  configFile: string | null;
  noConfig: boolean;
  fix: boolean;
  diff: boolean;
  unsafe: boolean;
  verbose: boolean;
  reportUnusedDisable: boolean;
  /** --buildx-version: the buildx release the files run with; overrides the configuration. */
  buildxVersion: string | null;
  /** --limit NAME=N, as given: input limits over those of the configuration. */
  limitSettings: string[];
  /** --jobs: worker threads for the files; 1 lints in this thread, `auto` decides by the run's size. */
  jobs: number | 'auto';
  notes: string[];
}

const BOOLEAN_OPTIONS = new Set(['--quiet', '--no-color', '--no-config', '--fix', '--diff', '--unsafe-fixes', '--verbose', '--exit-zero', '--statistics', '--report-unused-disable']);

function level(flag: string, v: string): Severity {
  if (v === 'error' || v === 'warning' || v === 'info') return v;
  throw new UsageError(`${flag} must be error, warning or info, not "${v}"`);
}

function jobsValue(flag: string, v: string): number | 'auto' {
  if (v === 'auto') return 'auto';
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${flag} must be a number of threads (1 or more) or auto, not "${v}"`);
  return Number(v);
}

/** A token of --ignore that names no rule: an old-style path glob, or a misspelt rule? */
function looksLikeRuleId(token: string): boolean {
  return /^kbx\d*$/i.test(token) || (/^[a-z][a-z0-9-]*$/i.test(token) && suggestRule(token) !== null);
}

function parseArgs(argv: string[]): Options | { help: string } | 'version' {
  const o: Options = {
    command: 'lint',
    paths: [],
    format: 'text',
    formatGiven: false,
    outputFile: null,
    sarifRoot: null,
    docsUrl: DOCS_URL,
    severity: 'info',
    failLevel: 'error',
    maxWarnings: null,
    exitZero: false,
    statistics: false,
    color: 'auto',
    exclude: [],
    stdinFilename: null,
    ruleSettings: [],
    select: null,
    extendSelect: [],
    ignoreRules: [],
    configFile: null,
    noConfig: false,
    fix: false,
    diff: false,
    unsafe: false,
    verbose: false,
    reportUnusedDisable: false,
    buildxVersion: null,
    limitSettings: [],
    jobs: 'auto',
    notes: [],
  };
  let jobsGiven = false;
  let i = 0;
  if (argv[0] === 'help') {
    if (argv.length > 2) throw new UsageError('help takes at most one command name');
    const topic = argv[1] ?? 'lint';
    if (!Object.hasOwn(COMMAND_HELP, topic)) throw new UsageError(`no help for "${topic}"; commands: lint, explain, rules, rule`);
    return { help: COMMAND_HELP[topic] };
  }
  if (argv[0] === 'explain' || argv[0] === 'rules' || argv[0] === 'rule' || argv[0] === 'lint') {
    o.command = argv[0];
    i = 1;
  }
  const need = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const list = (v: string) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  let onlyPaths = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (onlyPaths || !a.startsWith('-') || a === '-') {
      o.paths.push(a);
      continue;
    }
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (flag: string) => (inline !== undefined ? inline : need(flag));
    let on = true;
    if (BOOLEAN_OPTIONS.has(name) && inline !== undefined) {
      if (inline === 'true') on = true;
      else if (inline === 'false') on = false;
      else throw new UsageError(`${name} takes no value, or =true / =false; got "${inline}"`);
    }
    switch (name) {
      case '--':
        onlyPaths = true;
        break;
      case '-h':
      case '--help':
        return { help: COMMAND_HELP[o.command] };
      case '-v':
      case '--version':
        return 'version';
      case '--format': {
        const f = value(name);
        if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${f}"`);
        o.format = f as Format;
        o.formatGiven = true;
        break;
      }
      case '--output-file':
      case '-o':
        o.outputFile = value(name);
        break;
      case '--sarif-root':
        o.sarifRoot = value(name);
        break;
      case '--docs-url':
        o.docsUrl = value(name).replace(/\/+$/, '');
        break;
      case '-q':
      case '--quiet':
        o.severity = on ? 'error' : 'info';
        break;
      case '--severity':
        o.severity = level(name, value(name));
        break;
      case '--fail-level':
        o.failLevel = level(name, value(name));
        break;
      case '--max-warnings': {
        const v = value(name);
        if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings needs a whole number, not "${v}"`);
        o.maxWarnings = Number(v);
        break;
      }
      case '--exit-zero':
        o.exitZero = on;
        break;
      case '--statistics':
        o.statistics = on;
        break;
      case '--no-color':
        if (on) o.color = 'never';
        break;
      case '--color': {
        const v = inline ?? 'always';
        if (v !== 'auto' && v !== 'always' && v !== 'never') throw new UsageError(`--color must be auto, always or never, not "${v}"`);
        o.color = v;
        break;
      }
      case '--select':
        o.select = [...(o.select ?? []), ...list(value(name))];
        break;
      case '--extend-select':
        o.extendSelect.push(...list(value(name)));
        break;
      case '--ignore': {
        const v = value(name);
        const tokens = list(v);
        // Before --exclude existed, --ignore took a path glob; that spelling keeps working.
        if (tokens.length && tokens.every((t) => selectRules(t).length > 0 || looksLikeRuleId(t))) o.ignoreRules.push(...tokens);
        else {
          o.exclude.push(v);
          o.notes.push(`--ignore ${v}: "${v}" names no rule, so it is taken as a path glob; this spelling is deprecated, use --exclude ${v}`);
        }
        break;
      }
      case '--exclude':
        o.exclude.push(value(name));
        break;
      case '--stdin-filename':
        o.stdinFilename = value(name);
        break;
      case '--rule':
        o.ruleSettings.push(value(name));
        break;
      case '--limit':
        o.limitSettings.push(value(name));
        break;
      case '--config':
        o.configFile = value(name);
        break;
      case '--no-config':
        o.noConfig = on;
        break;
      case '--buildx-version': {
        const v = value(name);
        if (v !== 'latest' && !/^v?\d+\.\d+(\.\d+)?([-+].*)?$/.test(v)) throw new UsageError(`--buildx-version must be a release such as 0.12, v0.13.1 or latest, not "${v}"`);
        o.buildxVersion = v;
        break;
      }
      case '-j':
      case '--jobs':
        o.jobs = jobsValue(name, value(name));
        jobsGiven = true;
        break;
      case '--fix':
        o.fix = on;
        break;
      case '--diff':
        o.diff = on;
        break;
      case '--unsafe-fixes':
        o.unsafe = on;
        break;
      case '--verbose':
        o.verbose = on;
        break;
      case '--report-unused-disable':
        o.reportUnusedDisable = on;
        break;
      default:
        throw new UsageError(`unknown option ${name}`);
    }
  }
  const envJobs = process.env.KBX_LINT_JOBS;
  if (!jobsGiven && envJobs !== undefined && envJobs !== '') o.jobs = jobsValue('KBX_LINT_JOBS', envJobs);
  if (o.unsafe && !o.fix && !o.diff) throw new UsageError('--unsafe-fixes needs --fix or --diff');
  if (o.stdinFilename !== null && !o.paths.includes('-')) throw new UsageError("--stdin-filename names the text read from standard input: add '-' to the paths");
  if (o.command === 'lint' && o.paths.length === 0) o.paths.push('.');
  if (o.command === 'explain' && o.paths.length === 0) throw new UsageError('explain needs at least one path');
  if (o.command !== 'lint' && o.format !== 'text' && o.format !== 'json') throw new UsageError(`--format ${o.format} is for linting; ${o.command} prints text or json`);
  if (o.statistics && o.format !== 'text' && o.format !== 'json') throw new UsageError('--statistics prints text or json');
  if (o.diff && o.outputFile) throw new UsageError('--diff prints the diff on standard output; --output-file is for reports');
  return o;
}

/** The rule settings given on the command line, applied after every configuration file. */
function commandLineRules(o: Options): {
  rules: Record<string, RuleSetting>;
  select: Set<string> | null;
  extend: Set<string>;
  ignore: Set<string>;
  buildx: string | null;
  limits: Partial<Limits> | null;
} {
  const rules: Record<string, RuleSetting> = {};
  for (const s of o.ruleSettings) {
    const eq = s.indexOf('=');
    if (eq < 0) throw new UsageError(`--rule expects ID=SEVERITY, got "${s}"`);
    const id = s.slice(0, eq);
    const setting = s.slice(eq + 1);
    const code = ruleCode(id);
    if (!code) throw new UsageError(`--rule ${s}: ${unknownRuleMessage(id)}`);
    if (setting !== 'error' && setting !== 'warning' && setting !== 'info' && setting !== 'off') throw new UsageError(`--rule ${s}: expected error, warning, info or off after "="`);
    rules[code] = setting;
  }
  const resolve = (flag: string, selectors: string[]) => {
    const out = new Set<string>();
    for (const sel of selectors) {
      const codes = selectRules(sel);
      if (!codes.length) throw new UsageError(`${flag} ${sel}: ${/^kbx\d*$/i.test(sel) ? `no rule code starts with "${sel}"` : unknownRuleMessage(sel)}`);
      codes.forEach((c) => out.add(c));
    }
    return out;
  };
  const extend = resolve('--extend-select', o.extendSelect);
  if (o.reportUnusedDisable) extend.add('KBX690');
  return { rules, select: o.select ? resolve('--select', o.select) : null, extend, ignore: resolve('--ignore', o.ignoreRules), buildx: o.buildxVersion, limits: commandLineLimits(o.limitSettings) };
}

/** `--limit NAME=N` (repeatable): the same names and values as `"limits"` in the configuration. */
function commandLineLimits(settings: string[]): Partial<Limits> | null {
  if (!settings.length) return null;
  const limits: Partial<Limits> = {};
  for (const s of settings) {
    const eq = s.indexOf('=');
    const name = (eq < 0 ? s : s.slice(0, eq)).replace(/^limits\./, '');
    const v = eq < 0 ? '' : s.slice(eq + 1);
    if (!(LIMIT_NAMES as string[]).includes(name)) throw new UsageError(`--limit ${s}: ${eq < 0 ? 'expected NAME=N' : `unknown limit "${name}"`} (${LIMIT_NAMES.join(', ')})`);
    if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v))) throw new UsageError(`--limit ${s}: the value must be a positive whole number of characters (or fields)`);
    limits[name as keyof Limits] = Number(v);
  }
  return limits;
}

type Cli = ReturnType<typeof commandLineRules>;

function applyCommandLine(base: Config, cli: Cli): Config {
  if (cli.buildx) base = { ...base, buildx: cli.buildx };
  if (cli.limits) base = { ...base, limits: { ...base.limits, ...cli.limits } };
  if (!Object.keys(cli.rules).length && !cli.select && !cli.extend.size && !cli.ignore.size) return base;
  const rules: Record<string, RuleSetting> = { ...base.rules, ...cli.rules };
  const enable = (m: RuleMeta) => {
    const cur = rules[m.code] ?? rules[m.name];
    if (!cur || cur === 'off') rules[m.code] = m.severity;
  };
  for (const r of RULES) {
    if (cli.select) {
      if (cli.select.has(r.meta.code)) enable(r.meta);
      else if (!cli.extend.has(r.meta.code)) rules[r.meta.code] = 'off';
    }
    if (cli.extend.has(r.meta.code)) enable(r.meta);
    if (cli.ignore.has(r.meta.code)) rules[r.meta.code] = 'off';
  }
  return { rules, source: base.source, ...(base.buildx ? { buildx: base.buildx } : {}), ...(base.limits ? { limits: base.limits } : {}) };
}

/** Configuration per linted file: the explicit --config, or the nearest file above it. */
class ConfigResolver {
  private readonly byDir = new Map<string, Config>();
  private readonly byFile = new Map<string, Config>();
  private readonly explicit: Config | null;
  private lookup = new ConfigLookup(nodeFs);
  /** The command line applied to a configuration without overrides: the same for all its files. */
  private readonly applied = new Map<Config, Config>();
  constructor(
    private readonly o: Options,
    private readonly cli: Cli,
  ) {
    this.explicit = o.configFile ? loadConfigFile(o.configFile, nodeFs) : null;
  }
  /** Whether configuration files are looked up at all. */
  get looksUp(): boolean {
    return !this.explicit && !this.o.noConfig;
  }
  /** Answers the lookups in the directories a walk listed from that listing. */
  useListing(marks: ReadonlyMap<string, number>): void {
    this.lookup = new ConfigLookup(listedFs(marks, nodeFs as ExistsFs));
  }
  forFile(file: string): Config {
    const abs = path.resolve(file);
    let base: Config;
    if (this.explicit) base = this.explicit;
    else if (this.o.noConfig) base = DEFAULT_CONFIG;
    else {
      const dir = path.dirname(abs);
      let c = this.byDir.get(dir);
      if (!c) {
        const found = this.lookup.find(dir);
        c = DEFAULT_CONFIG;
        if (found) {
          // Many directories share one file: read and check it once.
          c = this.byFile.get(found) ?? loadConfigFile(path.relative(process.cwd(), found) || found, nodeFs);
          this.byFile.set(found, c);
        }
        this.byDir.set(dir, c);
      }
      base = c;
    }
    if (base.overrides?.length) return applyCommandLine(configForFile(base, abs), this.cli);
    let a = this.applied.get(base);
    if (!a) this.applied.set(base, (a = applyCommandLine(base, this.cli)));
    return a;
  }
}

interface Input {
  path: string;
  text: string;
  languageId: LanguageId;
  raw: Buffer;
  stdin?: boolean;
  config: Config;
  /** A file too large to be read: see LintInput.oversizeBytes. */
  oversizeBytes?: number;
}

interface ReadState {
  inputs: Iterable<Input>;
  /** Grows while `inputs` is read. */
  ioErrors: number;
  found: number;
  excluded: number;
  /** The files found, in order (standard input aside). */
  paths: string[];
}

/**
 * readInputs finds the files and resolves every file's configuration at once (so a broken
 * configuration stops the run before any output), then reads the files one at a time as `inputs`
 * is iterated, so a big tree is never held in memory and results can stream.
 */
function readInputs(o: Options, configs: ConfigResolver, stderr: (s: string) => void, prewalk?: Prewalk): ReadState {
  const fsPaths = o.paths.filter((p) => p !== '-');
  let stdinInput: Input | null = null;
  if (o.paths.includes('-')) {
    const raw = fs.readFileSync(0);
    const name = o.stdinFilename ?? '<stdin>';
    const text = raw.toString('utf8');
    const byName = classifyByName(name);
    const yaml = byName === null && o.stdinFilename !== null && /\.ya?ml$/i.test(name);
    // YAML is never a shell script: named after a file no YAML host reads (a manifest, Helm
    // values), the text is skipped as that file would be, not read as shell.
    const languageId = yaml ? (isGitlabCiFile(name) ? 'gitlab-ci' : null) : (byName ?? classifyByShebang(text.split('\n')[0]) ?? 'shellscript');
    if (languageId) stdinInput = { path: name, text, raw, stdin: true, languageId, config: configs.forFile(o.stdinFilename ?? 'stdin') };
    else stderr(`${shownPath(name)}: skipped: not a shell script, Makefile, CI file or Markdown file\n`);
  }
  // The start-up stage (entry.ts) may have walked these same paths already, and read the files.
  const pre = prewalk && o.command === 'lint' && sameList(prewalk.paths, fsPaths) && sameList(prewalk.exclude, o.exclude) && !prewalk.found.includesPending ? prewalk : null;
  const found = pre ? pre.found : discover(fsPaths, { ignoreGlobs: o.exclude, ...(configs.looksUp ? { markNames: LOOKUP_NAMES } : {}) });
  if (found.marks) configs.useListing(found.marks);
  const planned = found.files.map((f) => ({ ...f, config: configs.forFile(f.path) }));
  const state: ReadState = { inputs: [], ioErrors: 0, found: found.files.length + (stdinInput ? 1 : 0), excluded: found.excluded, paths: found.files.map((f) => f.path) };
  for (const e of found.errors) {
    stderr(`${shownPath(e.path)}: ${escapeControl(e.reason)}\n`);
    state.ioErrors++;
  }
  if (o.verbose) for (const s of found.skipped) stderr(`${shownPath(s.path)}: skipped: ${escapeControl(s.reason)}\n`);
  // A file named explicitly whose type kbx-lint does not read is said once, never parsed as shell.
  for (const s of found.unknown) stderr(`${shownPath(s.path)}: skipped: ${escapeControl(s.reason)}\n`);
  state.inputs = (function* () {
    if (stdinInput) yield stdinInput;
    for (let i = 0; i < planned.length; i++) {
      const f = planned[i];
      // Already read by the start-up stage: it holds neither buildx nor docker.
      if (pre?.clean[i]) continue;
      let raw: Buffer;
      try {
        // The pre-filter on bytes spares decoding the many files that never mention docker.
        const read = o.command === 'explain' ? readFoundFile(f) : readIfMentioned(f, f.config.limits?.maxFileSize ?? LIMITS.maxFileSize);
        if (!read) continue;
        if (!Buffer.isBuffer(read)) {
          yield { path: f.path, text: '', raw: Buffer.alloc(0), languageId: f.languageId, config: f.config, oversizeBytes: read.oversizeBytes };
          continue;
        }
        raw = read;
      } catch (e) {
        stderr(`${shownPath(f.path)}: cannot read: ${escapeControl((e as Error).message)}\n`);
        state.ioErrors++;
        continue;
      }
      if (isBinary(raw)) {
        if (o.verbose) stderr(`${shownPath(f.path)}: skipped: binary file\n`);
        continue;
      }
      yield { path: f.path, text: raw.toString('utf8'), raw, languageId: f.languageId, config: f.config };
    }
  })();
  return state;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function useColor(o: Options): boolean {
  if (o.color !== 'auto') return o.color === 'always';
  if (o.outputFile) return false;
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (process.env.NO_COLOR) return false;
  return !!process.stdout.isTTY;
}

function plural(n: number, word: string, many = word + 's'): string {
  return `${n} ${n === 1 ? word : many}`;
}

function statistics(reports: FileReport[], format: Format): string {
  const counts = new Map<string, { code: string; name: string; count: number; fixable: number }>();
  for (const r of reports) {
    for (const d of r.diagnostics) {
      const c = counts.get(d.code) ?? { code: d.code, name: d.name, count: 0, fixable: 0 };
      c.count++;
      if (d.fix) c.fixable++;
      counts.set(d.code, c);
    }
  }
  const rows = [...counts.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  const width = Math.max(1, ...rows.map((r) => String(r.count).length));
  return rows.map((r) => `${String(r.count).padStart(width)}\t${r.code}\t${r.fixable ? '[*]' : '[ ]'} ${r.name}\n`).join('');
}

/** What main needs to know about the terminal; tests pass their own. */
export interface Terminal {
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  now(): number;
}

const PROGRESS_AFTER_MS = 1000;

/**
 * A lint run once its options are read and its files found: `add` takes each file's result in
 * file order (from this thread or the worker pool), `end` prints what is left and gives the exit
 * code. Every output format is produced here, so a run on threads prints the same bytes.
 */
interface Run {
  opts: Options;
  inputs: Iterable<Input>;
  read: ReadState;
  /** The task for a file, or its result when no linting is needed (no buildx in it). */
  task(inp: Input): FileTask | TaskResult;
  add(inp: Input, r: TaskResult): void;
  end(): number;
}

/**
 * main runs the command line in this thread. `mainAsync` is the same run, with the files linted
 * on worker threads when that pays.
 */
export function main(
  argv: string[],
  stdout: (s: string) => void,
  err: (s: string) => void,
  term: Terminal = { stdoutIsTTY: !!process.stdout.isTTY, stderrIsTTY: !!process.stderr.isTTY, now: Date.now },
): number {
  const run = prepare(argv, stdout, err, term);
  if (typeof run === 'number') return run;
  for (const inp of run.inputs) run.add(inp, inProcess(run.task(inp)));
  return run.end();
}

function inProcess(t: FileTask | TaskResult): TaskResult {
  return 'path' in t ? runTask(t) : t;
}

/**
 * Below this many bytes of files that mention buildx, starting worker threads (each loads and
 * compiles the whole linter) costs more than linting on two cores saves: on generated CI
 * scripts, `--jobs 2` was 1.2× slower than `--jobs 1` at 256 KiB and 0.84× at 512 KiB.
 */
const PARALLEL_MIN_BYTES = 384 * 1024;

/**
 * mainAsync is main with `--jobs`: `workerFile` is the bundle a worker thread runs (null: never
 * use threads). Explicit `--jobs N` (N > 1) always uses N threads, capped by the number of
 * files; `auto` only when the files that mention buildx add up to PARALLEL_MIN_BYTES.
 */
export async function mainAsync(
  argv: string[],
  stdout: (s: string) => void,
  err: (s: string) => void,
  workerFile: string | null,
  term: Terminal = { stdoutIsTTY: !!process.stdout.isTTY, stderrIsTTY: !!process.stderr.isTTY, now: Date.now },
  prewalk?: Prewalk,
): Promise<number> {
  const run = prepare(argv, stdout, err, term, prewalk);
  if (typeof run === 'number') return run;
  const { opts } = run;
  let inputs: Iterable<Input> = run.inputs;
  let size = 1;
  if (workerFile && opts.jobs !== 1 && run.read.found > 1 && !(opts.fix && !opts.diff && sameFileTwice(run.read.paths))) {
    if (opts.jobs === 'auto') {
      const probed: Input[] = [];
      const it = run.inputs[Symbol.iterator]();
      let bytes = 0;
      let exhausted = false;
      while (bytes < PARALLEL_MIN_BYTES) {
        const step = it.next();
        if (step.done) {
          exhausted = true;
          break;
        }
        probed.push(step.value);
        if ('path' in run.task(step.value)) bytes += step.value.text.length;
      }
      inputs = (function* () {
        yield* probed;
        if (!exhausted) yield* { [Symbol.iterator]: () => it };
      })();
      if (!exhausted) size = Math.min(os.availableParallelism(), run.read.found);
    } else size = Math.min(opts.jobs, run.read.found);
  }
  if (size < 2) {
    if (tuneHeap) keepYoungGenerationSmall();
    for (const inp of inputs) run.add(inp, inProcess(run.task(inp)));
    return run.end();
  }
  if (opts.verbose) err(`kbx-lint: linting on ${size} threads (this one and ${plural(size - 1, 'worker')})\n`);
  // In one thread the old generation's default growth costs memory only; with workers, each
  // heap's peak adds up (heap.ts).
  if (tuneHeap) growOldGenerationSlowly();
  const pool = new WorkerPool(workerFile!, size, tuneHeap ? keepYoungGenerationSmall : undefined);
  try {
    for await (const [inp, r] of pool.run(inputs, (inp) => run.task(inp))) run.add(inp, r);
  } finally {
    pool.close();
  }
  return run.end();
}

/**
 * With --fix each file must have one writer. The same file reached twice (a hard link, a
 * symbolic link inside the tree) is fixed in this thread, one read after the other write, as
 * before threads.
 */
function sameFileTwice(paths: string[]): boolean {
  const seen = new Set<string>();
  for (const p of paths) {
    let id: string;
    try {
      const st = fs.statSync(p);
      id = `${st.dev}:${st.ino}`;
    } catch {
      continue;
    }
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}

function prepare(argv: string[], stdout: (s: string) => void, err: (s: string) => void, term: Terminal, prewalk?: Prewalk): number | Run {
  let o: Options | { help: string } | 'version';
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`kbx-lint: ${e.message}\nRun 'kbx-lint --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (o === 'version') {
    stdout(VERSION + '\n');
    return 0;
  }
  if ('help' in o) {
    stdout(o.help + '\n');
    return 0;
  }
  const opts = o;
  for (const n of opts.notes) err(`kbx-lint: warning: ${n}\n`);
  if (opts.command === 'rules') {
    stdout(renderRuleList(opts.format === 'json' ? 'json' : 'text') + '\n');
    return 0;
  }
  if (opts.command === 'rule') {
    if (opts.paths.length !== 1) {
      err('kbx-lint: rule needs exactly one rule code or name\n');
      return 2;
    }
    const r = findRule(opts.paths[0]) ?? (ruleCode(opts.paths[0]) ? findRule(ruleCode(opts.paths[0])!) : undefined);
    if (!r) {
      err(`kbx-lint: ${unknownRuleMessage(opts.paths[0])}; run 'kbx-lint rules' for the list\n`);
      return 2;
    }
    stdout(renderRuleDoc(r) + '\n');
    return 0;
  }
  let configs: ConfigResolver;
  let read: ReturnType<typeof readInputs>;
  try {
    configs = new ConfigResolver(opts, commandLineRules(opts));
    read = readInputs(opts, configs, err, prewalk);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`kbx-lint: ${e.message}\nRun 'kbx-lint --help' for usage.\n`);
      return 2;
    }
    if (e instanceof ConfigError) {
      err(`kbx-lint: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const { inputs } = read;
  if (read.found === 0 && !read.ioErrors) {
    const where = [...new Set(opts.paths)].map(escapeControl).join(', ');
    err(
      read.excluded
        ? `kbx-lint: nothing linted: every file under ${where} was excluded (${plural(read.excluded, 'path')} matched an exclusion or .gitignore)\n`
        : `kbx-lint: nothing linted: no shell script, Makefile, workflow, GitLab CI or Markdown file under ${where}\n`,
    );
  }

  // The report goes to stdout, or is collected for --output-file.
  let collected = '';
  const out = opts.outputFile ? (s: string) => void (collected += s) : stdout;
  const finish = (code: number): number => {
    if (opts.outputFile) {
      try {
        fs.writeFileSync(opts.outputFile, collected);
      } catch (e) {
        err(`kbx-lint: cannot write ${opts.outputFile}: ${(e as Error).message}\n`);
        return 2;
      }
    }
    return code;
  };
  // Files whose task threw: said per file, and the run exits 2 like for an unreadable file.
  let failed = 0;
  const failedTask = (inp: Input, r: TaskResult): boolean => {
    if (r.kind !== 'failed') return false;
    err(failureMessage(shownPath(inp.path), escapeControl(r.message)));
    failed++;
    return true;
  };

  // --diff wins over --fix: asking to see the changes must never make them.
  const fixMode: FixMode | null = opts.diff ? 'diff' : opts.fix ? 'write' : null;
  const kind: FileTask['kind'] = opts.command === 'explain' ? 'explain' : fixMode ? 'fix' : 'lint';
  const task = (inp: Input): FileTask | TaskResult => {
    if (kind === 'lint' && inp.oversizeBytes === undefined && !mayContainBuildx(inp.text, inp.path, inp.languageId)) return { kind: 'lint', diagnostics: null };
    const t: FileTask = { kind, path: inp.path, text: inp.text, languageId: inp.languageId, config: inp.config };
    if (inp.oversizeBytes !== undefined) t.oversizeBytes = inp.oversizeBytes;
    if (kind === 'fix') Object.assign(t, { raw: inp.raw, stdin: inp.stdin, fixMode, unsafe: opts.unsafe });
    return t;
  };

  if (opts.command === 'explain') {
    const items: ExplainedInvocation[] = [];
    return {
      opts,
      inputs,
      read,
      task,
      add(inp, r) {
        if (!failedTask(inp, r) && r.kind === 'explain' && r.invocations) for (const x of r.invocations) items.push(x);
      },
      end() {
        out(opts.format === 'json' ? JSON.stringify({ version: 1, invocations: items }, null, 2) + '\n' : formatExplainText(items));
        return finish(read.ioErrors || failed ? 2 : 0);
      },
    };
  }

  const minLevel = LEVELS[opts.severity];
  const shown = (ds: Diagnostic[]) => ds.filter((d) => LEVELS[d.severity] >= minLevel);
  const p = useColor(opts) ? ANSI : NO_COLOR;
  const cwd = process.cwd();
  const ctx: ReportContext = {
    root: path.resolve(opts.sarifRoot ?? gitRoot(cwd) ?? cwd),
    cwd,
    version: VERSION,
    rules: RULES.map((r) => r.meta),
    helpUri: (m) => `${opts.docsUrl}/${m.code}-${m.name}.md`,
  };
  const render = (reports: FileReport[], showFixes = true): string => {
    switch (opts.format) {
      case 'json':
        return formatJson(reports) + '\n';
      case 'github':
        return formatGithub(reports);
      case 'sarif':
        return formatSarif(reports, ctx) + '\n';
      case 'gitlab':
        return formatGitlab(reports, ctx) + '\n';
      case 'checkstyle':
        return formatCheckstyle(reports) + '\n';
      case 'junit':
        return formatJunit(reports) + '\n';
      case 'rdjson':
        return formatRdjson(reports, ctx) + '\n';
      case 'concise':
        return formatConcise(reports);
      default:
        return formatText(reports, p, { showFixes });
    }
  };
  type Counts = Record<Severity, number>;
  const tally = (reports: FileReport[], into: Counts = { error: 0, warning: 0, info: 0 }): Counts => {
    for (const r of reports) for (const d of r.diagnostics) into[d.severity]++;
    return into;
  };
  const exitFor = (counts: Counts): number => {
    const failing = (Object.keys(counts) as Severity[]).filter((sev) => LEVELS[sev] >= LEVELS[opts.failLevel]).reduce((n, sev) => n + counts[sev], 0);
    const tooMany = opts.maxWarnings !== null && counts.warning > opts.maxWarnings;
    if (tooMany) err(`kbx-lint: ${plural(counts.warning, 'warning')}, more than --max-warnings ${opts.maxWarnings}\n`);
    if (opts.exitZero) return 0;
    return failing > 0 || tooMany ? 1 : 0;
  };

  if (fixMode) {
    const mode = fixMode;
    // One file's fix result at a time, summed the way runFixes sums its files.
    const res: FixRunResult = { reports: [], diff: '', applied: 0, filesChanged: 0, remaining: 0, remainingErrors: 0, refused: [], writeErrors: 0, stdout: null };
    const diffs: string[] = [];
    return {
      opts,
      inputs,
      read,
      task,
      add(inp, r) {
        if (failedTask(inp, r) || r.kind !== 'fix') return;
        const f = r.fixed;
        for (const x of f.reports) res.reports.push(x);
        if (f.diff) diffs.push(f.diff);
        res.applied += f.applied;
        res.filesChanged += f.filesChanged;
        res.remaining += f.remaining;
        res.remainingErrors += f.remainingErrors;
        for (const x of f.refused) res.refused.push(x);
        res.writeErrors += f.writeErrors;
        if (f.stdout !== null && res.stdout === null) res.stdout = f.stdout;
      },
      end() {
        res.diff = diffs.join('');
        if (mode === 'diff') stdout(res.diff);
        const remaining = res.reports.map((r) => ({ ...r, diagnostics: shown(r.diagnostics) }));
        if (mode === 'write' && res.stdout !== null) {
          // Like other linters' `--fix -`: the fixed text goes to stdout, the report to stderr.
          stdout(res.stdout);
          if (opts.outputFile) out(render(remaining, false));
          else err(render(remaining, false));
        } else if (mode === 'write') {
          out(opts.statistics ? statistics(remaining, opts.format) : render(remaining, false));
        }
        for (const w of res.refused) err(`${shownPath(w.path)}: ${escapeControl(w.reason)}\n`);
        err(
          `${mode === 'diff' ? 'would apply' : 'applied'} ${plural(res.applied, 'fix', 'fixes')} in ${plural(res.filesChanged, 'file')}; ${res.remaining} problem${res.remaining === 1 ? '' : 's'} remain${res.remaining === 1 ? 's' : ''}\n`,
        );
        if (read.ioErrors || res.writeErrors || failed) return finish(2);
        if (mode === 'diff') return finish(res.filesChanged > 0 && !opts.exitZero ? 1 : 0);
        return finish(exitFor(tally(remaining)));
      },
    };
  }

  // Line-oriented formats print each file's findings as soon as it is linted.
  const streaming = !opts.statistics && (opts.format === 'text' || opts.format === 'concise' || opts.format === 'github');
  // JSON is one document, written a finding at a time (JsonStream): the same bytes as render().
  // SARIF, GitLab, rdjson and Checkstyle likewise, a file at a time (ci-formats streamReport);
  // JUnit keeps each file's rendered suite and writes the document, whose head counts them, at the end.
  const json = opts.statistics ? null : opts.format === 'json' ? new JsonStream(out) : streamReport(opts.format, ctx, out);
  const reports: FileReport[] = [];
  const counts: Counts = { error: 0, warning: 0, info: 0 };
  let linted = 0;
  let streamed = false;
  // A long run shows how far it got, on stderr, only where the line cannot mix with the report.
  const showProgress = term.stderrIsTTY && (!term.stdoutIsTTY || !!opts.outputFile);
  const started = term.now();
  let lastDrawn = 0;
  let drawn = false;
  return {
    opts,
    inputs,
    read,
    task,
    add(inp, r) {
      linted++;
      if (showProgress) {
        const t = term.now();
        if (t - started > PROGRESS_AFTER_MS && t - lastDrawn >= 100) {
          err(`\r\x1b[Kkbx-lint: ${linted}/${read.found} files`);
          lastDrawn = t;
          drawn = true;
        }
      }
      if (failedTask(inp, r) || r.kind !== 'lint' || !r.diagnostics) return;
      const report = { path: inp.path, text: inp.text, diagnostics: shown(r.diagnostics) };
      tally([report], counts);
      // A streamed report is printed and dropped: a big tree is never held in memory.
      if (json) json.file(report);
      else if (streaming) {
        const chunk = render([report]);
        // Text separates findings with a blank line, also across files.
        if (chunk && streamed && opts.format === 'text') out('\n');
        if (chunk) streamed = true;
        out(chunk);
      } else reports.push(report);
    },
    end() {
      if (drawn) err('\r\x1b[K');
      if (opts.statistics) out(statistics(reports, opts.format));
      else if (json) json.end();
      else if (!streaming) out(render(reports));
      else if (opts.format === 'text') {
        const total = counts.error + counts.warning + counts.info;
        if (total) out(`${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info) in ${plural(linted, 'file')}\n`);
      }
      if (read.ioErrors || failed) return finish(2);
      return finish(exitFor(counts));
    },
  };
}

/** gitRoot is the nearest directory at or above `dir` holding `.git`, the repository root. */
function gitRoot(dir: string): string | null {
  let d = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    const parent = path.dirname(d);
    if (parent === d) return null;
    d = parent;
  }
}

/** Set by runProcess: the heap settings of heap.ts are for the `kbx-lint` process alone. */
let tuneHeap = false;

/**
 * runProcess is the `kbx-lint` process: argv, the real streams, the exit code. The start-up entry
 * (entry.ts) calls it for everything it does not answer itself, with the walk it already made.
 */
export function runProcess(argv: string[] = process.argv.slice(2), prewalk?: Prewalk): void {
  tuneHeap = true;
  // A reader that goes away (`kbx-lint … | head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const internal = (e: unknown) => {
    process.stderr.write(`kbx-lint: internal error: ${(e as Error).message}\nPlease report this with the input that caused it.\n`);
    process.exitCode = 2;
  };
  // Worker threads run this same bundle; a script run from sources has none to offer.
  const workerFile = __filename.endsWith('.js') ? __filename : null;
  try {
    const out = bufferedStdout();
    mainAsync(
      argv,
      out.write,
      (s) => {
        out.flush();
        process.stderr.write(s);
      },
      workerFile,
      undefined,
      prewalk,
    ).then(
      (code) => {
        out.flush();
        process.exitCode = stdoutFailed ? 2 : code;
      },
      (e) => {
        out.flush();
        internal(e);
      },
    );
  } catch (e) {
    internal(e);
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));
let stdoutClosed = false;
/** Set when the report could not be written for another reason than a reader that left. */
let stdoutFailed = false;

/**
 * writeStdoutSync writes to a pipe before the next file is linted. process.stdout queues what a
 * full pipe does not take, and the lint of the next files runs before the queue drains: a report
 * streamed a finding at a time was then held whole, in buffers, when read through a pipe (a
 * 31 MB SARIF report of 100 files peaked at 320 MB against 105 MB written to a file). A reader
 * that is slow makes the writer wait; once one went away, the rest of the report is dropped.
 */
function writeStdoutSync(s: string): void {
  if (stdoutClosed) return;
  const bytes = Buffer.from(s, 'utf8');
  let at = 0;
  while (at < bytes.length) {
    try {
      at += fs.writeSync(1, bytes, at, bytes.length - at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
      else if (code === 'EPIPE') {
        // The run still ends with the exit code of its findings, as when the queued write failed.
        stdoutClosed = true;
        return;
      } else {
        // A disk that is full, a descriptor that was closed: say so once, never a stack trace.
        stdoutClosed = true;
        stdoutFailed = true;
        process.stderr.write(`kbx-lint: cannot write the report to stdout: ${code ?? String(e)}\n`);
        process.exitCode = 2;
        return;
      }
    }
  }
}

/**
 * The report is written to stdout in chunks of some kilobytes, not one write per file, unless a
 * terminal shows it as it comes. Anything on stderr flushes it first, so both keep their order.
 */
function bufferedStdout(): { write(s: string): void; flush(): void } {
  let pending = '';
  const flush = () => {
    if (!pending) return;
    const s = pending;
    pending = '';
    writeStdoutSync(s);
  };
  if (process.stdout.isTTY) return { write: (s) => void process.stdout.write(s), flush };
  return {
    write(s) {
      pending += s;
      if (pending.length >= 64 * 1024) flush();
    },
    flush,
  };
}

if (!isMainThread && (workerData as { kbxLintWorker?: boolean } | null)?.kbxLintWorker === true) serveWorker();
else if (require.main === module) runProcess();
