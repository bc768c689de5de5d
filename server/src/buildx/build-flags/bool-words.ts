/**
 * A boolean flag followed by a Go boolean word as a separate argument (`--push false`): pflag never
 * lets a boolean flag take the next word (spf13/pflag `flag.go`, NoOptDefVal), so the word becomes
 * a positional argument and the flag is on.
 */
import { DYNAMIC } from '../../core/mapped-string';
import type { Arg, Invocation } from '../../extract/invocation';
import { GO_BOOL_WORDS, GO_FALSE_WORDS, goQuote } from '../goparse';
import { argCountUncertain } from '../model';
import type { ModelProblem } from '../model-problem';

export const BOOL_WORD_PROBLEM_KINDS = ['bool-separate-value'] as const;
export type BoolWordProblemKind = (typeof BOOL_WORD_PROBLEM_KINDS)[number];

const q = (s: string) => goQuote(s.split(DYNAMIC).join('…'));

/** roleOfWord says what a stray positional becomes for the command. */
function roleOfWord(inv: Invocation, word: Arg): { role: string; upstream?: string } {
  const n = inv.positionals.length;
  switch (inv.command) {
    case 'build':
      return n === 1
        ? { role: `buildx uses it as the build context, a directory named ${q(word.value.text)}` }
        : { role: 'it is a second build context, so buildx fails', upstream: '"docker buildx build" requires exactly 1 argument.' };
    case 'create':
      return n === 1
        ? { role: `buildx takes it as the endpoint, a Docker context named ${q(word.value.text)}` }
        : { role: 'buildx fails', upstream: '"docker buildx create" requires at most 1 argument.' };
    case 'bake':
      return { role: 'bake takes it as the name of a target to build' };
    case 'rm':
      return { role: 'buildx takes it as the name of a builder to remove' };
    case 'ls':
      return { role: 'buildx fails', upstream: '"docker buildx ls" accepts no arguments.' };
    default:
      return { role: 'buildx takes it as the builder name' };
  }
}

/**
 * The answer of each invocation, with the lists it was read from: the language server re-lints a
 * file whose invocations but the edited one are those of the previous lint (engine/incremental.ts),
 * and reading every argument's text again was a good part of that re-lint. An invocation that
 * takes a new reading in place gets new lists, so its entry no longer matches.
 */
const memo = new WeakMap<Invocation, { argv: Arg[]; flags: Invocation['flags']; positionals: Arg[]; out: ModelProblem<BoolWordProblemKind>[] }>();

/** boolWordProblems finds `--flag WORD` pairs on one modelled invocation; `word` is the stray positional. */
export function boolWordProblems(inv: Invocation): ModelProblem<BoolWordProblemKind>[] {
  if (!inv.modelled) return NONE;
  const known = memo.get(inv);
  if (known && known.argv === inv.argv && known.flags === inv.flags && known.positionals === inv.positionals) return known.out;
  const out = readBoolWords(inv);
  memo.set(inv, { argv: inv.argv, flags: inv.flags, positionals: inv.positionals, out });
  return out;
}

function readBoolWords(inv: Invocation): ModelProblem<BoolWordProblemKind>[] {
  let out: ModelProblem<BoolWordProblemKind>[] | null = null;
  // Built at the first boolean word: most commands have none.
  let positionals: Set<Arg> | null = null;
  for (let i = 0; i + 1 < inv.argv.length; i++) {
    const word = inv.argv[i + 1];
    if (!word.static || !GO_BOOL_WORDS.includes(word.value.text)) continue;
    positionals ??= new Set(inv.positionals);
    if (!positionals.has(word)) continue;
    const arg = inv.argv[i];
    const inArg = inv.flags.filter((f) => f.arg === arg);
    const flag = inArg[inArg.length - 1];
    if (!flag || flag.inline || !flag.spec || (flag.spec.type !== 'bool' && flag.spec.type !== 'boolFunc')) continue;
    const written = arg.value.text;
    const w = word.value.text;
    const off = GO_FALSE_WORDS.includes(w);
    const { role, upstream } = roleOfWord(inv, word);
    const p: ModelProblem<BoolWordProblemKind> = {
      kind: 'bool-separate-value',
      inv,
      flag,
      word,
      span: { start: arg.span.start, end: word.span.end },
      message: `${written} ${w}: boolean flags never take the next word, so ${written} is ${off ? 'turned ON, not off,' : 'set'} and ${q(w)} is a separate argument; ${role}`,
      help: `write ${off ? `${written}=${w} (or leave the flag out)` : `${written} alone (or ${written}=${w})`}`,
    };
    // The stray word breaks the command's argument count (docker/cli `cli/required.go`: build
    // ExactArgs(1), create RequiresMaxArgs(1), ls NoArgs): buildx refuses the command, an error.
    if (upstream && !argCountUncertain(inv)) {
      p.upstream = upstream;
      p.severity = 'error';
    }
    (out ??= []).push(p);
  }
  return out ?? NONE;
}

/** The answer for the many commands without a stray boolean word; callers only read it. */
const NONE: ModelProblem<BoolWordProblemKind>[] = [];
