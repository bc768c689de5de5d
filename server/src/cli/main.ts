/**
 * The `kbx-lint` command line. The only module that touches `process`: it reads files, calls the
 * pure engine, prints, and sets the exit code (0 no errors, 1 errors found, 2 usage or I/O).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lint, mayContainBuildx, type LanguageId, type LintResult } from '../engine/lint';
import { type Config, DEFAULT_CONFIG, validateConfig } from '../engine/config';
import { RULES, findRule } from '../rules/index';
import { classifyByName, classifyByShebang, discover, isBinary } from './discover';
import { ANSI, type FileReport, formatGithub, formatJson, formatSarif, formatText, NO_COLOR } from './format';
import { explainFile, formatExplainText, type ExplainedInvocation } from './explain';
import { renderRuleDoc, renderRuleList } from './rule-docs';
import { runFixes, type FixMode } from './fix';
import { BUILDX_VERSION } from '../extract/spec';

declare const KBX_VERSION: string | undefined;
const VERSION = typeof KBX_VERSION === 'string' ? KBX_VERSION : '0.1.0';
const DOCS_URL = 'https://github.com/kbx-lint/kbx-lint/blob/main/docs/rules';

const HELP = `kbx-lint ${VERSION} — lint Docker Buildx commands in shell scripts and Makefiles

Usage:
  kbx-lint [options] [paths…]          lint files and directories (default: .)
  kbx-lint explain [options] paths…    show what each buildx invocation receives
  kbx-lint rules [--format text|json]  list every rule
  kbx-lint rule <CODE|name>            print a rule's documentation

Options:
  --format FORMAT          text (default), json, github (Actions annotations) or sarif
  -q, --quiet              report errors only
  --no-color               no colours (also NO_COLOR=1); colour is used only on a terminal
  --ignore GLOB            skip paths matching a gitignore-style glob (repeatable)
  --stdin-filename NAME    name (and file type) of the text read from '-'
  --rule ID=SEVERITY       set a rule to error|warning|info|off (repeatable)
  --config FILE            JSON configuration: {"rules": {"KBX101": "off"}}; without it,
                           .kbx-lint.json or kbx-lint.json is looked up from the working
                           directory to the project root (a directory with .git)
  --no-config              ignore configuration files
  --fix                    apply safe fixes in place
  --unsafe-fixes           with --fix or --diff, also apply unsafe fixes
  --diff                   print a unified diff of what --fix would change; write nothing
  --verbose                also print skipped files and why
  -v, --version            print the version
  -h, --help               print this help

Exit status: 0 no errors, 1 errors found (or --diff has changes), 2 usage, configuration or I/O problem.
Models buildx ${BUILDX_VERSION}.`;

class UsageError extends Error {}

interface Options {
  command: 'lint' | 'explain' | 'rules' | 'rule';
  paths: string[];
  format: 'text' | 'json' | 'github' | 'sarif';
  quiet: boolean;
  color: boolean;
  ignore: string[];
  stdinFilename: string | null;
  ruleSettings: string[];
  configFile: string | null;
  noConfig: boolean;
  fix: FixMode | null;
  unsafe: boolean;
  verbose: boolean;
}

function parseArgs(argv: string[]): Options | 'help' | 'version' {
  const o: Options = {
    command: 'lint',
    paths: [],
    format: 'text',
    quiet: false,
    color: !!process.stdout.isTTY && !process.env.NO_COLOR,
    ignore: [],
    stdinFilename: null,
    ruleSettings: [],
    configFile: null,
    noConfig: false,
    fix: null,
    unsafe: false,
    verbose: false,
  };
  let i = 0;
  if (argv[0] === 'explain' || argv[0] === 'rules' || argv[0] === 'rule') {
    o.command = argv[0];
    i = 1;
  }
  const need = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  let onlyPaths = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (onlyPaths || !a.startsWith('-') || a === '-') {
      o.paths.push(a);
      continue;
    }
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (flag: string) => (inline !== undefined ? inline : need(flag));
    switch (name) {
      case '--':
        onlyPaths = true;
        break;
      case '-h':
      case '--help':
        return 'help';
      case '-v':
      case '--version':
        return 'version';
      case '--format': {
        const f = value(name);
        if (f !== 'text' && f !== 'json' && f !== 'github' && f !== 'sarif') throw new UsageError(`--format must be text, json, github or sarif, not "${f}"`);
        o.format = f;
        break;
      }
      case '-q':
      case '--quiet':
        o.quiet = true;
        break;
      case '--no-color':
        o.color = false;
        break;
      case '--color':
        o.color = true;
        break;
      case '--ignore':
        o.ignore.push(value(name));
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
        o.noConfig = true;
        break;
      case '--fix':
        o.fix = 'write';
        break;
      case '--diff':
        o.fix = 'diff';
        break;
      case '--unsafe-fixes':
        o.unsafe = true;
        break;
      case '--verbose':
        o.verbose = true;
        break;
      default:
        throw new UsageError(`unknown option ${a}`);
    }
  }
  if (o.unsafe && !o.fix) throw new UsageError('--unsafe-fixes needs --fix or --diff');
  if (o.command === 'lint' && o.paths.length === 0) o.paths.push('.');
  return o;
}

const CONFIG_NAMES = ['.kbx-lint.json', 'kbx-lint.json'];

/**
 * findConfig looks for `.kbx-lint.json` or `kbx-lint.json` in the working directory and its
 * parents, stopping at the first directory that holds one or a `.git` (the project root).
 */
function findConfig(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (fs.existsSync(path.join(dir, '.git')) || parent === dir) return null;
    dir = parent;
  }
}

function buildConfig(o: Options): Config {
  const known = (id: string) => !!findRule(id);
  const file = o.configFile ?? (o.noConfig ? null : findConfig(process.cwd()));
  let rules: Record<string, unknown> = {};
  let rest: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`${file}: cannot read configuration: ${(e as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${file}: invalid JSON: ${(e as Error).message}`);
    }
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${file}: configuration must be a JSON object like {"rules": {"KBX205": "off"}}`);
    const { rules: r, ...others } = raw as Record<string, unknown>;
    if (r !== undefined && (r === null || typeof r !== 'object' || Array.isArray(r))) throw new UsageError(`${file}: "rules" must be an object of rule → "error" | "warning" | "info" | "off"`);
    rules = { ...((r as Record<string, unknown>) ?? {}) };
    rest = others;
  }
  for (const s of o.ruleSettings) {
    const eq = s.indexOf('=');
    if (eq < 0) throw new UsageError(`--rule expects ID=SEVERITY, got "${s}"`);
    rules[s.slice(0, eq)] = s.slice(eq + 1);
  }
  if (!file && o.ruleSettings.length === 0) return DEFAULT_CONFIG;
  const { config, problems } = validateConfig({ ...rest, rules }, known);
  if (problems.length) throw new UsageError(`${file ?? '--rule'}: ${problems.join('; ')}`);
  return config;
}

interface Input {
  path: string;
  text: string;
  languageId: LanguageId;
  raw: Buffer;
  stdin?: boolean;
}

function readInputs(o: Options, stderr: (s: string) => void): { inputs: Input[]; ioErrors: number } {
  const inputs: Input[] = [];
  let ioErrors = 0;
  const fsPaths = o.paths.filter((p) => p !== '-');
  if (o.paths.includes('-')) {
    const raw = fs.readFileSync(0);
    const name = o.stdinFilename ?? '<stdin>';
    const text = raw.toString('utf8');
    inputs.push({ path: name, text, raw, stdin: true, languageId: classifyByName(name) ?? classifyByShebang(text.split('\n')[0]) ?? 'shellscript' });
  }
  const found = discover(fsPaths, { ignoreGlobs: o.ignore });
  for (const e of found.errors) {
    stderr(`${e.path}: ${e.reason}\n`);
    ioErrors++;
  }
  if (o.verbose) for (const s of found.skipped) stderr(`${s.path}: skipped: ${s.reason}\n`);
  for (const s of found.unknown) stderr(`${s.path}: skipped: ${s.reason}\n`);
  for (const f of found.files) {
    let raw: Buffer;
    try {
      raw = fs.readFileSync(f.path);
    } catch (e) {
      stderr(`${f.path}: cannot read: ${(e as Error).message}\n`);
      ioErrors++;
      continue;
    }
    // The pre-filter on bytes spares decoding the many files that never mention docker.
    if (o.command !== 'explain' && raw.indexOf('buildx') < 0 && raw.indexOf('docker') < 0) continue;
    if (isBinary(raw)) {
      if (o.verbose) stderr(`${f.path}: skipped: binary file\n`);
      continue;
    }
    inputs.push({ path: f.path, text: raw.toString('utf8'), raw, languageId: f.languageId });
  }
  return { inputs, ioErrors };
}

export function main(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  let o: Options | 'help' | 'version';
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`kbx-lint: ${e.message}\nRun 'kbx-lint --help' for usage.\n`);
      return 2;
    }
    throw e;
  }
  if (o === 'help') {
    out(HELP + '\n');
    return 0;
  }
  if (o === 'version') {
    out(VERSION + '\n');
    return 0;
  }
  if (o.command === 'rules') {
    out(renderRuleList(o.format === 'json' ? 'json' : 'text') + '\n');
    return 0;
  }
  if (o.command === 'rule') {
    if (o.paths.length !== 1) {
      err('kbx-lint: rule needs exactly one rule code or name\n');
      return 2;
    }
    const r = findRule(o.paths[0]);
    if (!r) {
      err(`kbx-lint: unknown rule "${o.paths[0]}"; run 'kbx-lint rules' for the list\n`);
      return 2;
    }
    out(renderRuleDoc(r) + '\n');
    return 0;
  }
  let config: Config;
  try {
    config = buildConfig(o);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`kbx-lint: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (o.command !== 'lint' && (o.format === 'github' || o.format === 'sarif')) {
    err(`kbx-lint: --format ${o.format} is for linting; ${o.command} prints text or json\n`);
    return 2;
  }
  if (o.command === 'explain' && o.paths.length === 0) {
    err('kbx-lint: explain needs at least one path\n');
    return 2;
  }
  const { inputs, ioErrors } = readInputs(o, err);
  const lintOne = (inp: Input): LintResult | null => {
    if (!mayContainBuildx(inp.text)) return null;
    return lint({ text: inp.text, fileName: inp.path, languageId: inp.languageId }, config);
  };
  if (o.command === 'explain') {
    const items: ExplainedInvocation[] = [];
    for (const inp of inputs) {
      const r = lintOne(inp);
      if (r) items.push(...explainFile(inp.path, r.model));
    }
    out(o.format === 'json' ? JSON.stringify({ version: 1, invocations: items }, null, 2) + '\n' : formatExplainText(items));
    return ioErrors ? 2 : 0;
  }
  if (o.fix) {
    const res = runFixes(inputs, {
      mode: o.fix,
      unsafe: o.unsafe,
      lint: (inp) => lintOne(inp),
    });
    if (o.fix === 'diff') out(res.diff);
    const p = o.color ? ANSI : NO_COLOR;
    const remaining = res.reports.map((r) => ({ ...r, diagnostics: o.quiet ? r.diagnostics.filter((d) => d.severity === 'error') : r.diagnostics }));
    if (o.fix === 'write' && res.stdout !== null) {
      // Like other linters' `--fix -`: the fixed text goes to stdout, the report to stderr.
      out(res.stdout);
      err(formatText(remaining, p, { showFixes: false }));
    } else if (o.fix === 'write') {
      if (o.format === 'json') out(formatJson(remaining) + '\n');
      else out(formatText(remaining, p, { showFixes: false }));
    }
    for (const w of res.refused) err(`${w.path}: ${w.reason}\n`);
    err(`${o.fix === 'diff' ? 'would apply' : 'applied'} ${res.applied} fix${res.applied === 1 ? '' : 'es'} in ${res.filesChanged} file${res.filesChanged === 1 ? '' : 's'}; ${res.remaining} problem${res.remaining === 1 ? '' : 's'} remain${res.remaining === 1 ? 's' : ''}\n`);
    if (ioErrors || res.writeErrors) return 2;
    if (o.fix === 'diff') return res.filesChanged > 0 ? 1 : 0;
    return res.remainingErrors > 0 ? 1 : 0;
  }
  const reports: FileReport[] = [];
  for (const inp of inputs) {
    const r = lintOne(inp);
    if (!r) continue;
    const diagnostics = o.quiet ? r.diagnostics.filter((d) => d.severity === 'error') : r.diagnostics;
    reports.push({ path: inp.path, text: inp.text, diagnostics });
  }
  const p = o.color ? ANSI : NO_COLOR;
  if (o.format === 'json') out(formatJson(reports) + '\n');
  else if (o.format === 'github') out(formatGithub(reports));
  else if (o.format === 'sarif') out(formatSarif(reports, RULES.map((r) => ({ code: r.meta.code, name: r.meta.name, summary: r.meta.summary, helpUri: `${DOCS_URL}/${r.meta.code}-${r.meta.name}.md` })), VERSION) + '\n');
  else {
    out(formatText(reports, p));
    const counts = { error: 0, warning: 0, info: 0 };
    for (const r of reports) for (const d of r.diagnostics) counts[d.severity]++;
    const total = counts.error + counts.warning + counts.info;
    if (total) out(`${total} problem${total === 1 ? '' : 's'} (${counts.error} error${counts.error === 1 ? '' : 's'}, ${counts.warning} warning${counts.warning === 1 ? '' : 's'}, ${counts.info} info) in ${inputs.length} file${inputs.length === 1 ? '' : 's'}\n`);
  }
  if (ioErrors) return 2;
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
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
    code = main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s));
  } catch (e) {
    process.stderr.write(`kbx-lint: internal error: ${(e as Error).message}\nPlease report this with the input that caused it.\n`);
    code = 2;
  }
  process.exitCode = code;
}
