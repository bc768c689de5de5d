/**
 * The `kbx-lint` executable (dist/kbx-lint.js). It answers `--version` and the help texts itself,
 * so they do not wait for the whole linter (dist/kbx-lint-cli.js) to be read and compiled;
 * everything else is handed to that bundle. The answers are the ones main() gives for the same
 * argv (test/cli/entry.test.ts compares them).
 *
 * A plain lint run starts here too: the tree is walked and every file read through the byte
 * pre-filter, and when no file mentions buildx or docker (most trees, most of the time) the run is
 * over — silently, exit 0, as main() would end it — before the linter is ever loaded. Otherwise
 * the walk and what was read are handed over, so nothing is done twice.
 */
import { ConfigLookup, listedFs, LOOKUP_NAMES } from '../core/config-lookup';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_HELP, VERSION } from './help';
import { type Discovered, type Prewalk, readIfMentioned, walk } from './walk';

/** The output for an argv that needs no linter, or null. Only whole, exact argv are answered here. */
export function quickAnswer(argv: string[]): string | null {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) return VERSION + '\n';
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) return COMMAND_HELP.lint + '\n';
  if (argv[0] === 'help' && argv.length <= 2) {
    const topic = argv[1] ?? 'lint';
    return Object.hasOwn(COMMAND_HELP, topic) ? COMMAND_HELP[topic] + '\n' : null;
  }
  if (argv.length === 2 && (argv[1] === '--help' || argv[1] === '-h') && ['lint', 'explain', 'rules', 'rule'].includes(argv[0])) return COMMAND_HELP[argv[0]] + '\n';
  return null;
}

export interface QuietLintArgs {
  paths: string[];
  exclude: string[];
  noConfig: boolean;
}

const LEVEL = /^(error|warning|info)$/;
const JOBS = /^(auto|0*[1-9]\d*)$/;

/**
 * quietLintArgs reads an argv made only of what changes nothing when no file is linted (paths,
 * --exclude, --jobs, --no-config, the levels, text-like formats, colour), exactly as main() reads
 * it; null for anything else, including every usage error, which main() then reports.
 */
export function quietLintArgs(argv: string[], jobsEnv: string | undefined): QuietLintArgs | null {
  if (argv[0] === 'explain' || argv[0] === 'rules' || argv[0] === 'rule' || argv[0] === 'help') return null;
  const o: QuietLintArgs = { paths: [], exclude: [], noConfig: false };
  let jobsGiven = false;
  let i = argv[0] === 'lint' ? 1 : 0;
  let onlyPaths = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (onlyPaths || !a.startsWith('-') || a === '-') {
      // Standard input is main()'s.
      if (a === '-') return null;
      o.paths.push(a);
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq < 0 ? a : a.slice(0, eq);
    const inline = eq < 0 ? undefined : a.slice(eq + 1);
    const value = (): string | null => (inline !== undefined ? inline : i + 1 < argv.length ? argv[++i] : null);
    const flag = (): boolean | null => (inline === undefined || inline === 'true' ? true : inline === 'false' ? false : null);
    switch (name) {
      case '--':
        if (inline !== undefined) return null;
        onlyPaths = true;
        break;
      case '--exclude': {
        const v = value();
        if (v === null) return null;
        o.exclude.push(v);
        break;
      }
      case '-j':
      case '--jobs': {
        const v = value();
        if (v === null || !JOBS.test(v)) return null;
        jobsGiven = true;
        break;
      }
      case '--no-config': {
        const on = flag();
        if (on === null) return null;
        o.noConfig = on;
        break;
      }
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'concise' && v !== 'github') return null;
        break;
      }
      case '--severity':
      case '--fail-level': {
        const v = value();
        if (v === null || !LEVEL.test(v)) return null;
        break;
      }
      case '--max-warnings': {
        const v = value();
        if (v === null || !/^\d+$/.test(v)) return null;
        break;
      }
      case '--color':
        if (inline !== undefined && inline !== 'auto' && inline !== 'always' && inline !== 'never') return null;
        break;
      case '-q':
      case '--quiet':
      case '--exit-zero':
      case '--no-color':
        if (flag() === null) return null;
        break;
      default:
        return null;
    }
  }
  if (!jobsGiven && jobsEnv !== undefined && jobsEnv !== '' && !JOBS.test(jobsEnv)) return null;
  if (o.paths.length === 0) o.paths.push('.');
  return o;
}

/**
 * quietLint walks and pre-filters the files of a quiet lint run: true when the run is over (files
 * were found, none mentions buildx or docker, none failed, no configuration file applies to any),
 * else what the linter needs to go on from here.
 */
export function quietLint(args: QuietLintArgs): true | Prewalk {
  const found = walk(args.paths, { ignoreGlobs: args.exclude, ...(args.noConfig ? {} : { markNames: LOOKUP_NAMES }) }, null);
  const clean = new Uint8Array(found.files.length);
  const handover: Prewalk = { paths: args.paths, exclude: args.exclude, found, clean };
  if (found.includesPending || !found.files.length || found.errors.length || found.unknown.length) return handover;
  if (!args.noConfig && configMayApply(args.paths, found)) return handover;
  for (let i = 0; i < found.files.length; i++) {
    let mentioned: boolean;
    try {
      // Whether it mentions docker is all this stage asks: a big file is scanned, never held.
      mentioned = readIfMentioned(found.files[i], 0) !== null;
    } catch {
      // Said by the linter, in its place among the reports.
      mentioned = true;
    }
    if (mentioned) return handover;
    clean[i] = 1;
  }
  return true;
}

/** The bits of `marks` (LOOKUP_NAMES order) that stand for a configuration file. */
const CONFIG_BITS = (1 << LOOKUP_NAMES.indexOf('.kbx-lint.json')) | (1 << LOOKUP_NAMES.indexOf('kbx-lint.json'));

/**
 * configMayApply: whether a configuration file may apply to a file found (then the linter, which
 * checks configurations even when nothing is linted, takes over). A file's lookup climbs from its
 * directory; below a walked root every directory on the way was listed (`marks`), so when none
 * of them holds a configuration the climb ends at a `.git` (none) or goes on as the root's own
 * lookup does: one lookup per root answers for the whole tree, without a path operation per
 * directory. When the root's lookup finds one, a `.git` between might still stop some files'
 * climb: the linter decides. A named file is looked up from its own directory.
 */
function configMayApply(paths: string[], found: Discovered): boolean {
  const marks = found.marks ?? new Map<string, number>();
  if (found.unmarked) return true;
  for (const bits of marks.values()) if (bits & CONFIG_BITS) return true;
  const lookup = new ConfigLookup(listedFs(marks, { exists: (f) => fs.existsSync(f) }));
  for (const p of paths) {
    const abs = path.resolve(p);
    // A root that was walked is listed; any other path is a file (or a directory walked already).
    if (lookup.find(marks.has(abs) ? abs : path.dirname(abs)) !== null) return true;
  }
  return false;
}

/**
 * V8's optimizing compiler, tuned for a run that reads each function's input once. A lint of the
 * dense benchmark corpus spent about as much CPU compiling on V8's background threads as linting
 * on the main one (per-thread times from /proc), and each worker thread of --jobs compiles the
 * bundle again: most of it went to inlining callees into the big walkers (the values walk, the
 * builder graph), compiled again after each deoptimization. Smaller inlining budgets and a later
 * tier-up keep the optimized code for what is really hot; the code produced is the same program,
 * only the compiler's effort changes. Set before the linter bundle is loaded, so every function
 * of it, and every worker thread started later, is compiled with them.
 */
const COMPILER_FLAGS = ['--max-inlined-bytecode-size-cumulative=200', '--interrupt-budget=400000'];

function tuneCompiler(): void {
  // Loaded here: `--version` and the quiet run never need it.
  const v8 = require('node:v8') as typeof import('node:v8');
  for (const flag of COMPILER_FLAGS) v8.setFlagsFromString(flag);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const answer = quickAnswer(argv);
  if (answer === null) {
    const args = quietLintArgs(argv, process.env.KBX_LINT_JOBS);
    const prewalk = args ? quietLint(args) : undefined;
    if (prewalk !== true) {
      tuneCompiler();
      // Resolved next to this file at run time, never bundled into it.
      (require('./kbx-lint-cli.js') as { runProcess(argv: string[], prewalk?: Prewalk): void }).runProcess(argv, prewalk);
    }
  } else {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
    process.stdout.write(answer);
  }
}
