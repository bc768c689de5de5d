/**
 * Shared analysis for the build-flag rules (KBX501–KBX530).
 *
 * Consumes: every `build` invocation of the file model (`docker build` included: the Docker CLI
 * forwards it to buildx), the flags `bake` shares with build (--call, --progress, --sbom,
 * --provenance, --check), and the argv of every modelled invocation (for `--push false`).
 * Produces: the problems of the value parsers in buildx/build-flags.ts and of
 * checkBuildCombinations, each tagged with its invocation, and the boolean-flag-word findings.
 * KIND_OWNER says which rule reports each problem kind; a test checks the table is complete.
 */
import { DYNAMIC, type MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';
import { argCountUncertain, type FileModel } from '../buildx/model';
import type { Arg, FlagOccurrence, Invocation } from '../extract/invocation';
import {
  type BuildFlagsInput, checkBuildCombinations, checkSshList, parseAddHost, parseAllow, parseAnnotation, parseAttest,
  parseBuildContext, parseCache, parseCall, parseCheck, parseKeyValue, parseNetwork, parseOutput, parseProgress,
  parseResource, parseSecret, parseShmSize, parseSsh, parseTag, parseUlimit, type Problem,
} from '../buildx/build-flags';
import { goQuote } from '../buildx/goparse';
import { analysePlatforms } from './platform-support';
import { defineRule, type Rule, type RuleMeta } from './rule';

/** Every problem kind the build-flag parsers and the combination checker emit, and its rule. */
export const KIND_OWNER: Readonly<Record<string, string>> = {
  'output-csv': 'KBX501', 'output-invalid-field': 'KBX501', 'output-unknown-type': 'KBX501', 'output-missing-type': 'KBX501',
  'output-dest-required': 'KBX501', 'output-dest-stdout': 'KBX501', 'output-shorthand-trap': 'KBX501',
  'cache-csv': 'KBX502', 'cache-invalid-field': 'KBX502', 'cache-unknown-type': 'KBX502', 'cache-missing-type': 'KBX502',
  'cache-empty-ref': 'KBX502',
  'secret-csv': 'KBX503', 'secret-invalid-field': 'KBX503', 'secret-unknown-type': 'KBX503', 'secret-unknown-key': 'KBX503',
  'secret-missing-id': 'KBX503', 'ssh-empty-path': 'KBX503', 'ssh-duplicate-id': 'KBX503',
  'attest-csv': 'KBX504', 'attest-invalid-field': 'KBX504', 'attest-unknown-type': 'KBX504', 'attest-invalid-disabled': 'KBX504',
  'attest-missing-type': 'KBX504',
  'tag-invalid': 'KBX505',
  'build-context-invalid': 'KBX506', 'build-context-invalid-name': 'KBX506',
  'allow-local-delete-value': 'KBX507', 'allow-device-config': 'KBX507', 'allow-unknown': 'KBX507',
  'add-host-csv': 'KBX508', 'add-host-invalid': 'KBX508', 'add-host-multiline': 'KBX508', 'add-host-comma-split': 'KBX508',
  'annotation-invalid': 'KBX509', 'annotation-invalid-type': 'KBX509', 'annotation-unknown-type': 'KBX509',
  'annotation-invalid-platform': 'KBX509', 'annotation-index-platform-dropped': 'KBX509', 'annotation-key-whitespace': 'KBX509',
  'ulimit-invalid': 'KBX510', 'resource-invalid': 'KBX510', 'resource-unknown': 'KBX510', 'resource-invalid-value': 'KBX510',
  'resource-cpuset-syntax': 'KBX510', 'shm-size-invalid': 'KBX510',
  'network-unsupported': 'KBX511', 'progress-invalid': 'KBX511', 'call-csv': 'KBX511', 'call-invalid': 'KBX511',
  'call-unknown-method': 'KBX511', 'check-invalid-bool': 'KBX511',
  'build-arg-empty-key': 'KBX512', 'label-empty-key': 'KBX512', 'buildkit-syntax-empty': 'KBX512',
  'build-arg-from-env': 'KBX513',
  'load-multi-platform': 'KBX520', 'push-without-tag': 'KBX521', 'iidfile-local-tar': 'KBX522', 'multiple-stdout': 'KBX523',
  'no-cache-with-filter': 'KBX524', 'quiet-progress': 'KBX525', 'build-context-count': 'KBX526',
  'local-delete-needs-allow': 'KBX527', 'multiple-outputs': 'KBX528', 'attest-shadowed': 'KBX529',
};

export interface FlagProblem extends Problem {
  inv: Invocation;
}

export interface BoolWordFinding {
  inv: Invocation;
  flag: FlagOccurrence;
  word: Arg;
  span: Span;
  message: string;
  /** The stray word makes buildx refuse the command's argument count: the exact error. */
  argCountError?: string;
}

interface Analysis {
  problems: FlagProblem[];
  boolWords: BoolWordFinding[];
}

const cache = new WeakMap<FileModel, Analysis>();

const BOOL_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

const q = (s: string) => goQuote(s.split(DYNAMIC).join('…'));

/** parseValue runs the parser for one flag occurrence; flags without a value grammar give nothing. */
function parseValue(name: string, v: MappedString, command: string): Problem[] {
  switch (name) {
    case 'output': return parseOutput(v).problems;
    case 'cache-from':
    case 'cache-to': return parseCache(v, name).problems;
    case 'secret': return parseSecret(v).problems;
    case 'ssh': return parseSsh(v).problems;
    case 'attest': return parseAttest(v, 'attest').problems;
    case 'sbom':
    case 'provenance': return parseAttest(v, name).problems;
    case 'tag': return parseTag(v).problems;
    case 'build-context': return parseBuildContext(v).problems;
    case 'allow': return parseAllow(v).problems;
    case 'add-host': return parseAddHost(v).problems;
    case 'annotation': return parseAnnotation(v).problems;
    case 'ulimit': return parseUlimit(v).problems;
    case 'resource': return parseResource(v).problems;
    case 'shm-size': return parseShmSize(v).problems;
    case 'network': return parseNetwork(v).problems;
    case 'progress': return parseProgress(v).problems;
    case 'call': return parseCall(v).problems;
    // `--print` on build is the hidden spelling of --call; on bake it is a boolean.
    case 'print': return command === 'build' ? parseCall(v).problems : [];
    case 'check': return parseCheck(v).problems;
    case 'build-arg':
    case 'label': return parseKeyValue(v, name).problems;
  }
  return [];
}

const BAKE_FLAGS = new Set(['call', 'progress', 'sbom', 'provenance', 'check']);

function flagsInput(inv: Invocation): BuildFlagsInput {
  const flags = new Map<string, MappedString[]>();
  const boolFlags = new Map<string, { value: boolean; span: Span }>();
  for (const f of inv.flags) {
    if (f.spec && (f.spec.type === 'bool' || f.spec.type === 'boolFunc')) {
      if (typeof f.bool === 'boolean') boolFlags.set(f.name, { value: f.bool, span: f.inline ? { start: f.nameSpan.start, end: f.valueSpan?.end ?? f.nameSpan.end } : f.nameSpan });
      else boolFlags.delete(f.name); // dynamic: unknown, so no combination may rely on it
      continue;
    }
    if (!f.value) continue;
    const list = flags.get(f.name) ?? [];
    list.push(f.value);
    flags.set(f.name, list);
  }
  return { flags, boolFlags, positionals: inv.positionals.map((a) => a.value), commandSpan: inv.commandSpan ?? inv.span };
}

function staticPlatformCount(model: FileModel, inv: Invocation): number {
  const b = model.builds.find((x) => x.inv === inv);
  return b ? b.platforms.filter((p) => !p.dynamic && p.raw.text !== '').length : 0;
}

/** roleOfWord says what a stray positional becomes for the command, for the KBX530 message. */
function roleOfWord(inv: Invocation, word: Arg): string {
  const n = inv.positionals.length;
  switch (inv.command) {
    case 'build':
      return n === 1
        ? `buildx uses it as the build context, a directory named ${q(word.value.text)}`
        : `it is a second build context, so buildx fails: 'docker buildx build' requires 1 argument`;
    case 'create':
      return n === 1 ? `buildx takes it as the endpoint, a Docker context named ${q(word.value.text)}` : `buildx fails: 'docker buildx create' requires at most 1 argument`;
    case 'bake':
      return `bake takes it as the name of a target to build`;
    case 'rm':
      return `buildx takes it as the name of a builder to remove`;
    case 'ls':
      return `buildx fails: 'docker buildx ls' accepts no arguments`;
    default:
      return `buildx takes it as the builder name`;
  }
}

/**
 * argCountError is the Docker CLI's error when the positionals (the stray `true`/`false` words
 * included) break the command's cobra Args: build `cli.ExactArgs(1)`, create
 * `cli.RequiresMaxArgs(1)`, ls `cli.NoArgs` (docker/cli `cli/required.go`).
 */
function argCountError(inv: Invocation): string | undefined {
  if (argCountUncertain(inv)) return undefined;
  const n = inv.positionals.length;
  if (inv.command === 'build' && n !== 1) return '"docker buildx build" requires exactly 1 argument.';
  if (inv.command === 'create' && n > 1) return '"docker buildx create" requires at most 1 argument.';
  if (inv.command === 'ls' && n > 0) return '"docker buildx ls" accepts no arguments.';
  return undefined;
}

function boolWordFindings(inv: Invocation): BoolWordFinding[] {
  if (!inv.modelled) return [];
  const out: BoolWordFinding[] = [];
  const positionals = new Set(inv.positionals);
  for (let i = 0; i + 1 < inv.argv.length; i++) {
    const word = inv.argv[i + 1];
    if (!positionals.has(word) || !word.static || !BOOL_WORDS.has(word.value.text)) continue;
    const arg = inv.argv[i];
    const inArg = inv.flags.filter((f) => f.arg === arg);
    const flag = inArg[inArg.length - 1];
    if (!flag || flag.inline || !flag.spec || (flag.spec.type !== 'bool' && flag.spec.type !== 'boolFunc')) continue;
    const written = arg.value.text;
    const w = word.value.text;
    const off = FALSE_WORDS.has(w);
    out.push({
      inv, flag, word,
      argCountError: argCountError(inv),
      span: { start: arg.span.start, end: word.span.end },
      message:
        `${written} ${w}: boolean flags never take the next word, so ${written} is ${off ? 'turned ON, not off,' : 'set'} and ${q(w)} is a separate argument; ${roleOfWord(inv, word)}; ` +
        `write ${off ? `${written}=${w} (or leave the flag out)` : `${written} alone (or ${written}=${w})`}`,
    });
  }
  return out;
}

/** analyseBuildFlags runs once per model; every build-flag rule reads the same result. */
export function analyseBuildFlags(model: FileModel): Analysis {
  const hit = cache.get(model);
  if (hit) return hit;
  const problems: FlagProblem[] = [];
  const boolWords: BoolWordFinding[] = [];
  const explained = new Set(analysePlatforms(model).explained);
  for (const inv of model.invocations) {
    const found = boolWordFindings(inv);
    boolWords.push(...found);
    for (const f of found) explained.add(f.word);
  }
  for (const inv of model.invocations) {
    if (inv.command !== 'build' && inv.command !== 'bake') continue;
    const isBuild = inv.command === 'build';
    const sshValues: MappedString[] = [];
    for (const f of inv.flags) {
      // bake's --allow also grants fs, fs.read, fs.write and ssh, which build's parser rejects: not checked.
      if (!isBuild && !BAKE_FLAGS.has(f.name)) continue;
      if (!f.value) continue;
      if (f.name === 'check') {
        // `--check=yes` is already reported by invalid-bool-flag-value from the command line.
        if (inv.problems.some((p) => p.kind === 'invalid-bool' && p.span.start === f.valueSpan?.start)) continue;
      }
      if (f.name === 'ssh') sshValues.push(f.value);
      for (const p of parseValue(f.name, f.value, inv.command)) problems.push({ ...p, inv });
    }
    if (!isBuild) continue;
    for (const p of checkSshList(sshValues)) problems.push({ ...p, inv });
    // Words that may expand to several arguments can hide flags (`$ARGS`) or contexts: absence checks are off.
    const uncertain = argCountUncertain(inv) || inv.problems.some((p) => p.kind === 'unknown-flag' || p.kind === 'flag-needs-argument' || p.kind === 'bad-flag-syntax');
    for (const p of checkBuildCombinations(flagsInput(inv), staticPlatformCount(model, inv))) {
      if (uncertain && (p.kind === 'build-context-count' || p.kind === 'push-without-tag')) continue;
      // An output known only at run time may be empty (skipped) or cacheonly: it may not count.
      if (p.kind === 'multiple-outputs' && inv.flags.some((f) => f.name === 'output' && f.value?.text.includes(DYNAMIC))) continue;
      if (p.kind === 'build-context-count') {
        const stray = inv.positionals.filter((a) => explained.has(a));
        if (stray.length && inv.positionals.length - stray.length <= 1) continue; // already explained once
      }
      problems.push({ ...p, inv });
    }
  }
  const result = { problems, boolWords };
  cache.set(model, result);
  return result;
}

/**
 * flagProblemRule builds a rule that reports the problem kinds KIND_OWNER gives to its code, with
 * the parser's message and severity.
 */
export function flagProblemRule(meta: RuleMeta): Rule {
  return defineRule({
    meta,
    check(model, ctx) {
      for (const p of analyseBuildFlags(model).problems) {
        if (KIND_OWNER[p.kind] !== meta.code) continue;
        ctx.report({ span: p.span, message: p.message, severity: p.severity });
      }
    },
  });
}

/** kindsOf lists the problem kinds a rule code owns (for docs and tests). */
export function kindsOf(code: string): string[] {
  return Object.keys(KIND_OWNER).filter((k) => KIND_OWNER[k] === code);
}
