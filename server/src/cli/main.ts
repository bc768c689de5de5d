/**
 * The `kbx-lint` command line. The only module that touches `process`: it reads files, calls the
 * pure engine, prints, and sets the exit code (0 nothing at the fail level, 1 findings at the fail
 * level, 2 usage, configuration or I/O problem).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, Severity } from '../core/diagnostic';
import { lint, mayContainBuildx, type LanguageId, type LintResult } from '../engine/lint';
import {
  type Config,
  ConfigError,
  type ConfigFs,
  configForFile,
  DEFAULT_CONFIG,
  findConfigFile,
  loadConfigFile,
  ruleCode,
  type RuleSetting,
  selectRules,
  suggestRule,
  unknownRuleMessage,
} from '../engine/config';
import { RULES, findRule } from '../rules/index';
import type { RuleMeta } from '../rules/rule';
import { classifyByName, classifyByShebang, discover, isBinary, readFoundFile } from './discover';
import { ANSI, escapeControl, type FileReport, formatGithub, formatJson, formatText, NO_COLOR } from './format';
import { formatCheckstyle, formatConcise, formatGitlab, formatJunit, formatRdjson, formatSarif, type ReportContext } from './ci-formats';
import { explainFile, formatExplainText, type ExplainedInvocation } from './explain';
import { renderRuleDoc, renderRuleList } from './rule-docs';
import { runFixes, type FixMode } from './fix';
import { VERSION as PACKAGE_VERSION, RULE_DOCS_BASE } from '../core/project';
import { BUILDX_VERSION } from '../extract/spec';

declare const KBX_VERSION: string | undefined;
const VERSION = typeof KBX_VERSION === 'string' ? KBX_VERSION : PACKAGE_VERSION;
/** Rule pages are the shipped docs/rules/*.md; `--docs-url` points links at a mirror. */
export const DOCS_URL = RULE_DOCS_BASE.replace(/\/$/, '');

const FORMATS = ['text', 'concise', 'json', 'github', 'sarif', 'gitlab', 'checkstyle', 'junit', 'rdjson'] as const;
type Format = (typeof FORMATS)[number];
const LEVELS: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

const HELP = `kbx-lint ${VERSION} — lint Docker Buildx commands in shell scripts, Makefiles, CI YAML and Markdown

Usage:
  kbx-lint [options] [paths…]          lint files and directories (default: .)
  kbx-lint explain [options] paths…    show what each buildx invocation receives
  kbx-lint rules [--format text|json]  list every rule
  kbx-lint rule <CODE|name>            print a rule's documentation
  kbx-lint help [command]              print this help, or a command's

Rule selection (codes, code prefixes such as KBX1, names, or ALL; comma-separated, repeatable):
  --select RULES           check only these rules (also enables rules off by default)
  --extend-select RULES    check these rules in addition to the configured ones
  --ignore RULES           do not check these rules
  --rule ID=SEVERITY       set a rule to error|warning|info|off (repeatable)
  --buildx-version V       the buildx release the files run with (0.12, v0.13.1, latest)
  --config FILE            JSON configuration (schema/kbx-lint.schema.json); without it,
                           .kbx-lint.json or kbx-lint.json is looked up from each linted
                           file's directory to the project root (a directory with .git)
  --no-config              ignore configuration files

Files:
  --exclude GLOB           skip paths matching a gitignore-style glob (repeatable)
  --stdin-filename NAME    name (and file type) of the text read from '-'

Output:
  --format FORMAT          text (default), concise, json, github, sarif, gitlab,
                           checkstyle, junit or rdjson
  --output-file PATH       write the report to PATH instead of standard output
  --sarif-root DIR         SARIF, GitLab and rdjson paths are relative to DIR
                           (default: the git work tree root, else the working directory)
  --docs-url URL           base URL of the rule pages in help links
  --severity LEVEL         report findings at LEVEL or above (error|warning|info)
  -q, --quiet              report errors only (--severity error)
  --statistics             print how often each rule fired instead of the findings
  --color[=WHEN]           auto (default), always or never; FORCE_COLOR and NO_COLOR are
  --no-color               honoured under auto
  --verbose                also print skipped files and why

Exit status:
  --fail-level LEVEL       exit 1 when a reported finding is at LEVEL or above (default error)
  --max-warnings N         also exit 1 when more than N warnings are reported
  --exit-zero              exit 0 even when findings are reported (2 still means a problem)

Fixes and suppressions:
  --fix                    apply safe fixes in place
  --unsafe-fixes           with --fix or --diff, also apply unsafe fixes
  --diff                   print a unified diff of what --fix would change; never writes
  --report-unused-disable  report suppression comments that suppress nothing

  -v, --version            print the version
  -h, --help               print this help

Boolean options accept =true or =false (--fix=false). Exit status: 0 nothing at the fail level,
1 findings at the fail level (or --diff has changes), 2 usage, configuration or I/O problem.
A run longer than a second shows its progress on stderr when that is a terminal.
Models buildx ${BUILDX_VERSION}.`;

const COMMAND_HELP: Record<string, string> = {
  lint: HELP,
  explain: `Usage: kbx-lint explain [--format text|json] [--config FILE] [--exclude GLOB] paths…

Prints, for every buildx invocation, the argv the program receives (as bash or make passes it;
<dynamic> / null for words known only at run time), the driver and driver options as buildx
builds them, and for each build which node of which builder gets each platform.`,
  rules: `Usage: kbx-lint rules [--format text|json]

Lists every rule: code, name, default severity, whether it has a fix, and a summary.`,
  rule: `Usage: kbx-lint rule <CODE|name>

Prints the documentation of one rule (the same text as docs/rules/).`,
  help: `Usage: kbx-lint help [lint|explain|rules|rule]`,
};

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
  notes: string[];
}

const BOOLEAN_OPTIONS = new Set(['--quiet', '--no-color', '--no-config', '--fix', '--diff', '--unsafe-fixes', '--verbose', '--exit-zero', '--statistics', '--report-unused-disable']);

function level(flag: string, v: string): Severity {
  if (v === 'error' || v === 'warning' || v === 'info') return v;
  throw new UsageError(`${flag} must be error, warning or info, not "${v}"`);
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
    notes: [],
  };
  let i = 0;
  if (argv[0] === 'help') {
    if (argv.length > 2) throw new UsageError('help takes at most one command name');
    const topic = argv[1] ?? 'lint';
    if (!COMMAND_HELP[topic]) throw new UsageError(`no help for "${topic}"; commands: lint, explain, rules, rule`);
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
  if (o.unsafe && !o.fix && !o.diff) throw new UsageError('--unsafe-fixes needs --fix or --diff');
  if (o.stdinFilename !== null && !o.paths.includes('-')) throw new UsageError("--stdin-filename names the text read from standard input: add '-' to the paths");
  if (o.command === 'lint' && o.paths.length === 0) o.paths.push('.');
  if (o.command === 'explain' && o.paths.length === 0) throw new UsageError('explain needs at least one path');
  if (o.command !== 'lint' && o.format !== 'text' && o.format !== 'json') throw new UsageError(`--format ${o.format} is for linting; ${o.command} prints text or json`);
  if (o.statistics && o.format !== 'text' && o.format !== 'json') throw new UsageError('--statistics prints text or json');
  if (o.diff && o.outputFile) throw new UsageError('--diff prints the diff on standard output; --output-file is for reports');
  return o;
}

const nodeFs: ConfigFs = {
  readFile: (f) => {
    try {
      return fs.readFileSync(f, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },
  exists: (f) => fs.existsSync(f),
};

/** The rule settings given on the command line, applied after every configuration file. */
function commandLineRules(o: Options): { rules: Record<string, RuleSetting>; select: Set<string> | null; extend: Set<string>; ignore: Set<string>; buildx: string | null } {
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
  return { rules, select: o.select ? resolve('--select', o.select) : null, extend, ignore: resolve('--ignore', o.ignoreRules), buildx: o.buildxVersion };
}

type Cli = ReturnType<typeof commandLineRules>;

function applyCommandLine(base: Config, cli: Cli): Config {
  if (cli.buildx) base = { ...base, buildx: cli.buildx };
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
  constructor(
    private readonly o: Options,
    private readonly cli: Cli,
  ) {
    this.explicit = o.configFile ? loadConfigFile(o.configFile, nodeFs) : null;
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
        const found = findConfigFile(dir, nodeFs);
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
    return applyCommandLine(configForFile(base, abs), this.cli);
  }
}

interface Input {
  path: string;
  text: string;
  languageId: LanguageId;
  raw: Buffer;
  stdin?: boolean;
  config: Config;
}

interface ReadState {
  inputs: Iterable<Input>;
  /** Grows while `inputs` is read. */
  ioErrors: number;
  found: number;
  excluded: number;
}

/**
 * readInputs finds the files and resolves every file's configuration at once (so a broken
 * configuration stops the run before any output), then reads the files one at a time as `inputs`
 * is iterated, so a big tree is never held in memory and results can stream.
 */
function readInputs(o: Options, configs: ConfigResolver, stderr: (s: string) => void): ReadState {
  const fsPaths = o.paths.filter((p) => p !== '-');
  let stdinInput: Input | null = null;
  if (o.paths.includes('-')) {
    const raw = fs.readFileSync(0);
    const name = o.stdinFilename ?? '<stdin>';
    const text = raw.toString('utf8');
    const languageId = classifyByName(name) ?? classifyByShebang(text.split('\n')[0]) ?? 'shellscript';
    stdinInput = { path: name, text, raw, stdin: true, languageId, config: configs.forFile(o.stdinFilename ?? 'stdin') };
  }
  const found = discover(fsPaths, { ignoreGlobs: o.exclude });
  const planned = found.files.map((f) => ({ ...f, config: configs.forFile(f.path) }));
  const state: ReadState = { inputs: [], ioErrors: 0, found: found.files.length + (stdinInput ? 1 : 0), excluded: found.excluded };
  for (const e of found.errors) {
    stderr(`${e.path}: ${e.reason}\n`);
    state.ioErrors++;
  }
  if (o.verbose) for (const s of found.skipped) stderr(`${s.path}: skipped: ${s.reason}\n`);
  // A file named explicitly whose type kbx-lint does not read is said once, never parsed as shell.
  for (const s of found.unknown) stderr(`${escapeControl(s.path)}: skipped: ${s.reason}\n`);
  state.inputs = (function* () {
    if (stdinInput) yield stdinInput;
    for (const f of planned) {
      let raw: Buffer;
      try {
        raw = readFoundFile(f);
      } catch (e) {
        stderr(`${f.path}: cannot read: ${(e as Error).message}\n`);
        state.ioErrors++;
        continue;
      }
      // The pre-filter on bytes spares decoding the many files that never mention docker.
      if (o.command !== 'explain' && raw.indexOf('buildx') < 0 && raw.indexOf('docker') < 0) continue;
      if (isBinary(raw)) {
        if (o.verbose) stderr(`${f.path}: skipped: binary file\n`);
        continue;
      }
      yield { path: f.path, text: raw.toString('utf8'), raw, languageId: f.languageId, config: f.config };
    }
  })();
  return state;
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

export function main(
  argv: string[],
  stdout: (s: string) => void,
  err: (s: string) => void,
  term: Terminal = { stdoutIsTTY: !!process.stdout.isTTY, stderrIsTTY: !!process.stderr.isTTY, now: Date.now },
): number {
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
    read = readInputs(opts, configs, err);
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

  const lintOne = (inp: { text: string; path: string; languageId: LanguageId }, config: Config): LintResult | null => {
    if (!mayContainBuildx(inp.text, inp.path, inp.languageId)) return null;
    return lint({ text: inp.text, fileName: inp.path, languageId: inp.languageId }, config);
  };
  if (opts.command === 'explain') {
    const items: ExplainedInvocation[] = [];
    for (const inp of inputs) {
      const r = lintOne(inp, inp.config);
      if (r) items.push(...explainFile(inp.path, r.model));
    }
    out(opts.format === 'json' ? JSON.stringify({ version: 1, invocations: items }, null, 2) + '\n' : formatExplainText(items));
    return finish(read.ioErrors ? 2 : 0);
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

  if (opts.fix || opts.diff) {
    // --diff wins over --fix: asking to see the changes must never make them.
    const mode: FixMode = opts.diff ? 'diff' : 'write';
    const res = runFixes(inputs, {
      mode,
      unsafe: opts.unsafe,
      // The fixer passes copies of our inputs, configuration included.
      lint: (inp) => lintOne(inp, (inp as Input).config ?? DEFAULT_CONFIG),
    });
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
    for (const w of res.refused) err(`${w.path}: ${w.reason}\n`);
    err(
      `${mode === 'diff' ? 'would apply' : 'applied'} ${plural(res.applied, 'fix', 'fixes')} in ${plural(res.filesChanged, 'file')}; ${res.remaining} problem${res.remaining === 1 ? '' : 's'} remain${res.remaining === 1 ? 's' : ''}\n`,
    );
    if (read.ioErrors || res.writeErrors) return finish(2);
    if (mode === 'diff') return finish(res.filesChanged > 0 && !opts.exitZero ? 1 : 0);
    return finish(exitFor(tally(remaining)));
  }

  // Line-oriented formats print each file's findings as soon as it is linted.
  const streaming = !opts.statistics && (opts.format === 'text' || opts.format === 'concise' || opts.format === 'github');
  const reports: FileReport[] = [];
  const counts: Counts = { error: 0, warning: 0, info: 0 };
  let linted = 0;
  let streamed = false;
  // A long run shows how far it got, on stderr, only where the line cannot mix with the report.
  const showProgress = term.stderrIsTTY && (!term.stdoutIsTTY || !!opts.outputFile);
  const started = term.now();
  let lastDrawn = 0;
  let drawn = false;
  for (const inp of inputs) {
    linted++;
    if (showProgress) {
      const t = term.now();
      if (t - started > PROGRESS_AFTER_MS && t - lastDrawn >= 100) {
        err(`\r\x1b[Kkbx-lint: ${linted}/${read.found} files`);
        lastDrawn = t;
        drawn = true;
      }
    }
    const r = lintOne(inp, inp.config);
    if (!r) continue;
    const report = { path: inp.path, text: inp.text, diagnostics: shown(r.diagnostics) };
    tally([report], counts);
    // A streamed report is printed and dropped: a big tree is never held in memory.
    if (streaming) {
      const chunk = render([report]);
      // Text separates findings with a blank line, also across files.
      if (chunk && streamed && opts.format === 'text') out('\n');
      if (chunk) streamed = true;
      out(chunk);
    } else reports.push(report);
  }
  if (drawn) err('\r\x1b[K');
  if (opts.statistics) out(statistics(reports, opts.format));
  else if (!streaming) out(render(reports));
  else if (opts.format === 'text') {
    const total = counts.error + counts.warning + counts.info;
    if (total) out(`${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info) in ${plural(linted, 'file')}\n`);
  }
  if (read.ioErrors) return finish(2);
  return finish(exitFor(counts));
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

if (require.main === module) {
  // A reader that goes away (`kbx-lint … | head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  let code: number;
  try {
    code = main(
      process.argv.slice(2),
      (s) => process.stdout.write(s),
      (s) => process.stderr.write(s),
    );
  } catch (e) {
    process.stderr.write(`kbx-lint: internal error: ${(e as Error).message}\nPlease report this with the input that caused it.\n`);
    code = 2;
  }
  process.exitCode = code;
}
