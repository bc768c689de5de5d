/**
 * The build-flag problems of a whole file: every `build` invocation (`docker build` included: the
 * Docker CLI forwards it to buildx), the flags `bake` shares with build (--call, --progress, --sbom,
 * --provenance, --check), and boolean flags followed by a separate true/false word on any command.
 */
import { DYNAMIC, type MappedString } from '../../core/mapped-string';
import type { Span } from '../../core/span';
import type { Invocation } from '../../extract/invocation';
import { argCountUncertain, type FileModel } from '../model';
import type { ModelProblem } from '../model-problem';
import { analysePlatforms } from '../platform-problems';
import { boolWordProblems } from './bool-words';
import { type BuildFlagsInput, checkBuildCombinations } from './combinations';
import { parseAddHost } from './extra-hosts';
import { parseAnnotation } from './annotations';
import { parseAttest } from './attests';
import { parseBuildContext } from './context';
import { parseCache } from './cache';
import { parseAllow } from './entitlements';
import { parseKeyValue } from './key-value';
import { parseCall, parseCheck, parseNetwork, parseProgress } from './modes';
import { parseOutput } from './output';
import type { Problem } from './problem';
import { parseResource, parseShmSize } from './resources';
import { parseSecret } from './secrets';
import { checkSshList, parseSsh } from './ssh';
import { tagProblems } from './tags';
import { parseUlimit } from './ulimit';

/** A build-flag problem tagged with its invocation. */
export interface FlagProblem extends ModelProblem {
  inv: Invocation;
}

const cache = new WeakMap<FileModel, FlagProblem[]>();

/** parseValue runs the parser for one flag occurrence; flags without a value grammar give nothing. */
function parseValue(name: string, v: MappedString, command: string): Problem[] {
  switch (name) {
    case 'output':
      return parseOutput(v).problems;
    case 'cache-from':
    case 'cache-to':
      return parseCache(v, name).problems;
    case 'secret':
      return parseSecret(v).problems;
    case 'ssh':
      return parseSsh(v).problems;
    case 'attest':
      return parseAttest(v, 'attest').problems;
    case 'sbom':
    case 'provenance':
      return parseAttest(v, name).problems;
    case 'tag':
      return tagProblems(v);
    case 'build-context':
      return parseBuildContext(v).problems;
    case 'allow':
      return parseAllow(v).problems;
    case 'add-host':
      return parseAddHost(v).problems;
    case 'annotation':
      return parseAnnotation(v).problems;
    case 'ulimit':
      return parseUlimit(v).problems;
    case 'resource':
      return parseResource(v).problems;
    case 'shm-size':
      return parseShmSize(v).problems;
    case 'network':
      return parseNetwork(v).problems;
    case 'progress':
      return parseProgress(v).problems;
    case 'call':
      return parseCall(v).problems;
    // `--print` on build is the hidden spelling of --call; on bake it is a boolean.
    case 'print':
      return command === 'build' ? parseCall(v).problems : [];
    case 'check':
      return parseCheck(v).problems;
    case 'build-arg':
    case 'label':
      return parseKeyValue(v, name).problems;
  }
  return NO_PROBLEMS;
}

/** What parseValue returns for a flag without problems or grammar; only ever read. */
const NO_PROBLEMS: Problem[] = [];

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

/** Each model's builds by invocation: a lookup per command, not a scan (linear on big files). */
const buildsByInv = new WeakMap<FileModel, Map<Invocation, FileModel['builds'][number]>>();

function staticPlatformCount(model: FileModel, inv: Invocation): number {
  let byInv = buildsByInv.get(model);
  if (!byInv) buildsByInv.set(model, (byInv = new Map(model.builds.map((b) => [b.inv, b]))));
  const b = byInv.get(inv);
  let n = 0;
  if (b) for (const p of b.platforms) if (!p.dynamic && p.raw.text !== '') n++;
  return n;
}

/**
 * Flags without which checkBuildCombinations finds nothing when the build has exactly one
 * positional: every combination it checks needs one of them (an output, --load, --push,
 * --no-cache-filter, --progress, --provenance or --sbom). Most builds have none, and skipping
 * the check spares building its input (two maps, a list, the platform count) per build.
 */
const COMBINATION_FLAGS = new Set(['output', 'load', 'push', 'no-cache-filter', 'progress', 'provenance', 'sbom']);

function mayCombine(inv: Invocation): boolean {
  if (inv.positionals.length !== 1) return true;
  for (const f of inv.flags) if (COMBINATION_FLAGS.has(f.name)) return true;
  return false;
}

/**
 * The problems of each build or bake invocation's flag values, which read nothing but the
 * invocation: kept per invocation while its flags and command-line problems are the same objects
 * (an invocation that takes a new reading in place, engine/incremental.ts, gets new ones), so the
 * language server's re-lint of one edited command does not parse every other command's values again.
 */
const byInvocation = new WeakMap<Invocation, { flags: Invocation['flags']; problems: Invocation['problems']; command: string; out: FlagProblem[] }>();

function flagValueProblems(inv: Invocation): FlagProblem[] {
  const known = byInvocation.get(inv);
  if (known && known.flags === inv.flags && known.problems === inv.problems && known.command === inv.command) return known.out;
  const out: FlagProblem[] = [];
  const isBuild = inv.command === 'build';
  let sshValues: MappedString[] | null = null;
  for (const f of inv.flags) {
    // bake's --allow also grants fs, fs.read, fs.write and ssh, which build's parser rejects: not checked.
    if (!isBuild && !BAKE_FLAGS.has(f.name)) continue;
    if (!f.value) continue;
    if (f.name === 'check') {
      // `--check=yes` is already reported by invalid-bool-flag-value from the command line.
      if (inv.problems.some((p) => p.kind === 'invalid-bool' && p.span.start === f.valueSpan?.start)) continue;
    }
    if (f.name === 'ssh') (sshValues ??= []).push(f.value);
    const found = parseValue(f.name, f.value, inv.command);
    for (let i = 0; i < found.length; i++) out.push({ ...found[i], inv, flag: f });
  }
  if (isBuild && sshValues) for (const p of checkSshList(sshValues)) out.push({ ...p, inv });
  byInvocation.set(inv, { flags: inv.flags, problems: inv.problems, command: inv.command, out });
  return out;
}

/**
 * What checkBuildCombinations finds for one build, before the file-wide filters below, and
 * whether its argument count is uncertain: both read only the invocation's flags, arguments and
 * problems and the build's static platform count, so they are kept per invocation while those are
 * the same objects and the count is the same (as flagValueProblems keeps the values' problems).
 * The problems are copied for each model, never handed out.
 */
const combinationsByInvocation = new WeakMap<
  Invocation,
  {
    flags: Invocation['flags'];
    argv: Invocation['argv'];
    positionals: Invocation['positionals'];
    problems: Invocation['problems'];
    anchor: Span;
    platforms: number;
    uncertain: boolean;
    out: Problem[];
  }
>();

function buildCombinations(model: FileModel, inv: Invocation): { uncertain: boolean; out: Problem[] } {
  const platforms = staticPlatformCount(model, inv);
  const known = combinationsByInvocation.get(inv);
  if (
    known &&
    known.flags === inv.flags &&
    known.argv === inv.argv &&
    known.positionals === inv.positionals &&
    known.problems === inv.problems &&
    known.anchor === (inv.commandSpan ?? inv.span) &&
    known.platforms === platforms
  )
    return known;
  // Words that may expand to several arguments can hide flags (`$ARGS`) or contexts: absence checks are off.
  const uncertain = argCountUncertain(inv) || inv.problems.some((p) => p.kind === 'unknown-flag' || p.kind === 'flag-needs-argument' || p.kind === 'bad-flag-syntax');
  const out = checkBuildCombinations(flagsInput(inv), platforms);
  const entry = { flags: inv.flags, argv: inv.argv, positionals: inv.positionals, problems: inv.problems, anchor: inv.commandSpan ?? inv.span, platforms, uncertain, out };
  combinationsByInvocation.set(inv, entry);
  return entry;
}

/** analyseBuildFlags runs once per model. */
export function analyseBuildFlags(model: FileModel): FlagProblem[] {
  const hit = cache.get(model);
  if (hit) return hit;
  const problems: FlagProblem[] = [];
  const explained = new Set(analysePlatforms(model).explained);
  for (const inv of model.invocations) {
    for (const p of boolWordProblems(inv)) {
      problems.push({ ...p, inv });
      if (p.word) explained.add(p.word);
    }
  }
  for (const inv of model.invocations) {
    if (inv.command !== 'build' && inv.command !== 'bake') continue;
    const isBuild = inv.command === 'build';
    for (const p of flagValueProblems(inv)) problems.push({ ...p });
    if (!isBuild) continue;
    if (!mayCombine(inv)) continue;
    const { uncertain, out } = buildCombinations(model, inv);
    for (const p of out) {
      if (uncertain && (p.kind === 'build-context-count' || p.kind === 'push-without-tag')) continue;
      // A daemon with the containerd image store loads a multi-platform image: buildx exports to
      // it with the oci exporter (docker/buildx build/opt.go, util/dockerutil/client.go OCIImporter).
      // A docker output with dest= is a file, not a load: it fails with either store.
      if (p.kind === 'load-multi-platform' && inv.region?.imageStore === 'containerd' && !p.data?.dest) continue;
      // An output known only at run time may be empty (skipped) or cacheonly: it may not count.
      if (p.kind === 'multiple-outputs' && inv.flags.some((f) => f.name === 'output' && f.value?.text.includes(DYNAMIC))) continue;
      if (p.kind === 'build-context-count') {
        const stray = inv.positionals.filter((a) => explained.has(a));
        if (stray.length && inv.positionals.length - stray.length <= 1) continue; // already explained once
        // A word known only at run time (`"$output_arg"`, set to `--output=…` in each branch) may be
        // a flag with its value: too many contexts only when the known ones are.
        const mayBeFlag = inv.positionals.filter((a) => a.value.text.startsWith(DYNAMIC)).length;
        if (mayBeFlag && inv.positionals.length > 1 && inv.positionals.length - mayBeFlag <= 1) continue;
      }
      problems.push({ ...p, inv });
    }
  }
  cache.set(model, problems);
  return problems;
}
