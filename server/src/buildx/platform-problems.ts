/**
 * The `--platform` problems of a file (reported by the platform rules, KBX410–KBX414).
 *
 * Consumes: the `--platform` flag occurrences of every `create` and `build` in the file model, and the
 * invocation's argv (to see words the shell split off a list written with `, `).
 * Produces: one PlatformFinding per problem, tagged with the rule kind that reports it, plus the set
 * of positional arguments a finding already explains (so the build-context count rule stays quiet).
 * Each item gets at most one finding: an invalid item is not also an alias, and so on.
 */
import { hasDynamic, spanOf } from '../core/mapped-string';
import { splitMessageOnce } from './split-message';
import type { FileModel } from './model';
import type { ModelProblem } from './model-problem';
import type { Arg, FlagOccurrence, Invocation } from '../extract/invocation';
import { canonicalSpelling, formatPlatformAll, type Platform, parsePlatformList, parsePlatformSpec, type PlatformItem } from './platform';
import { goQuote } from './goparse';

export const PLATFORM_PROBLEM_KINDS = ['platform-invalid', 'platform-space-split', 'platform-unknown-os-arch', 'platform-alias', 'platform-arm-v8', 'platform-client-dependent'] as const;
export type PlatformProblemKind = (typeof PLATFORM_PROBLEM_KINDS)[number];

/** A platform problem always names its command; `replacement` is set for aliases, client-dependent forms and typos. */
export interface PlatformFinding extends ModelProblem<PlatformProblemKind> {
  inv: Invocation;
}

export interface PlatformAnalysis {
  findings: PlatformFinding[];
  /** Positionals that are really the tail of a `--platform a, b` list split by the shell. */
  explained: Set<Arg>;
}

const cache = new WeakMap<FileModel, PlatformAnalysis>();

const q = (s: string) => goQuote(s);

/** What a stray positional turns into for each command; used in the space-split message. */
function positionalRole(inv: Invocation): { role: string; buildx: string | null } {
  switch (inv.command) {
    case 'build':
      return { role: 'a second build context', buildx: "'docker buildx build' requires 1 argument" };
    case 'create':
      return { role: "the builder's endpoint, read as a Docker context name", buildx: null };
    default:
      return { role: 'a separate argument', buildx: null };
  }
}

/** looksLikePlatformList: every non-empty comma item parses and at least one has a slash. */
function looksLikePlatformList(text: string): boolean {
  if (hasDynamic(text) || text === '') return false;
  const parts = text.split(',');
  let slashed = false;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p === '') {
      if (i === parts.length - 1 && i > 0) continue; // a further `, ` split
      return false;
    }
    if (!parsePlatformSpec(p).platform) return false;
    if (p.includes('/')) slashed = true;
  }
  return slashed;
}

/**
 * aliasReplacement is the canonical spelling of an item written another way, or null. Omitting the
 * default variant (`linux/arm` for arm/v7) or spelling it out (`linux/arm64/v8`) is not an alias:
 * both are common, and readers know what they mean.
 */
function aliasReplacement(item: PlatformItem): string | null {
  if (!item.platform || !item.isAlias || item.unknownArch || item.unknownOs) return null;
  // A static item's facts follow from its text alone (platform.ts makeItem), so its answer does too.
  const known = item.dynamic ? undefined : ALIASES.get(item.raw.text);
  if (known !== undefined) return known;
  const canon = aliasOf(item.raw.text, item.platform);
  if (!item.dynamic && item.raw.text.length <= 64) {
    if (ALIASES.size >= 1024) ALIASES.clear();
    ALIASES.set(item.raw.text, canon);
  }
  return canon;
}

/** The canonical spelling each alias text reported so far stands for (bounded). */
const ALIASES = new Map<string, string | null>();

function aliasOf(raw: string, platform: Platform): string | null {
  const canon = canonicalSpelling(platform);
  if (canon === null || raw === canon) return null;
  const { arch, variant } = platform;
  if (arch === 'arm64' && variant === '' && raw === canon + '/v8') return null;
  if (arch === 'amd64' && variant === '' && raw === canon + '/v1') return null;
  if (arch === 'arm' && variant === 'v7' && raw + '/v7' === canon) return null;
  return canon;
}

const flagShown = (s: string) => `--platform ${q(s)}`;

function analyseFlag(inv: Invocation, f: FlagOccurrence, out: PlatformAnalysis, items: readonly PlatformItem[]): void {
  const v = f.value;
  if (!v) return;
  // Items are the comma-separated pieces of the value in order: item k spans [from, to) of it.
  const pieces = items;

  // A trailing comma followed by words that look like more platforms: the shell split `a, b`.
  const last = pieces[pieces.length - 1];
  let tailHandled = false;
  if (pieces.length > 1 && last.raw.text === '' && f.valueArg) {
    const idx = inv.argv.indexOf(f.valueArg);
    const positionals = new Set(inv.positionals);
    const tail: Arg[] = [];
    for (let i = idx + 1; idx >= 0 && i < inv.argv.length; i++) {
      const a = inv.argv[i];
      if (!positionals.has(a) || !a.static || !looksLikePlatformList(a.value.text)) break;
      tail.push(a);
      if (!a.value.text.endsWith(',')) break;
    }
    if (tail.length) {
      tailHandled = true;
      for (const a of tail) out.explained.add(a);
      const joined = [v.text, ...tail.map((a) => a.value.text)].join(' ');
      const fixed = [v.text, ...tail.map((a) => a.value.text)].join('').replace(/,$/, '');
      const { role, buildx } = positionalRole(inv);
      const words = tail.map((a) => q(a.value.text)).join(', ');
      const comma = spanOf(v, v.text.length - 1, v.text.length);
      ctxPush(out, {
        kind: 'platform-space-split',
        inv,
        span: { start: comma.start, end: tail[tail.length - 1].span.end },
        message:
          `the space after the comma in ${flagShown(joined)} splits the list into separate shell words: --platform gets ${q(v.text)} (its trailing comma adds an empty platform) ` +
          `and ${words} ${tail.length > 1 ? 'become separate arguments' : 'becomes a separate argument'} (${role}); remove the space: --platform ${fixed}; ` +
          `buildx: ${buildx ?? last.error}`,
        replacement: ',' + tail.map((a) => a.value.text).join(''),
      });
    }
  }

  let next = 0;
  for (let k = 0; k < pieces.length; k++) {
    const item = pieces[k];
    const from = next;
    const to = from + item.raw.text.length;
    next = to + 1;
    if (item.dynamic) continue;
    const raw = item.raw.text;
    if (item.error) {
      if (raw === '') {
        if (k === pieces.length - 1 && tailHandled) continue;
        if (pieces.length === 1) {
          ctxPush(out, {
            kind: 'platform-invalid',
            inv,
            span: f.valueSpan ?? f.nameSpan,
            message: `--platform is given an empty value; expected os/arch[/variant], e.g. linux/amd64; buildx: ${item.error}`,
          });
          continue;
        }
        // Point at the comma that produced the empty item.
        const at = k > 0 ? from - 1 : to;
        const where = k === 0 ? 'starts with a comma' : k === pieces.length - 1 ? 'ends with a comma' : 'has two commas in a row';
        ctxPush(out, {
          kind: 'platform-invalid',
          inv,
          span: spanOf(v, at, at + 1),
          message: `${flagShown(v.text)} ${where}, which adds an empty platform; remove the extra comma; buildx: ${item.error}`,
        });
        continue;
      }
      const trimmed = raw.trim();
      if (trimmed !== raw && trimmed !== '') {
        const lead = raw !== raw.trimStart();
        const suggestion = item.suggestion ?? trimmed;
        ctxPush(out, {
          kind: 'platform-invalid',
          inv,
          span: item.raw.text.length ? spanOf(item.raw) : spanOf(v, from, to),
          message:
            `platform ${q(raw)} has a ${lead ? 'leading' : 'trailing'} space: buildx splits --platform on commas and does not trim the pieces; ` +
            `expected ${q(suggestion)}, so write the list without spaces: ${q(
              pieces
                .map((p) => p.raw.text.trim())
                .filter((s) => s)
                .join(','),
            )}; buildx: ${item.error}`,
          replacement: suggestion,
        });
        continue;
      }
      ctxPush(out, {
        kind: 'platform-invalid',
        inv,
        span: spanOf(item.raw),
        message:
          `platform ${q(raw)} is not a valid platform specifier; expected os/arch[/variant], e.g. linux/amd64` +
          `${item.suggestion ? `; did you mean ${q(item.suggestion)}?` : ''}; buildx: ${item.error}`,
        replacement: item.suggestion,
      });
      continue;
    }
    if (!item.platform) continue;
    const span = spanOf(item.raw);
    if (item.unknownArch || item.unknownOs) {
      const parts = raw.split('/');
      const what =
        item.unknownOs && item.unknownArch
          ? `an unknown operating system ${q(parts[0])} and architecture ${q(parts[1])}`
          : item.unknownOs
            ? `an unknown operating system ${q(parts[0])}`
            : `an unknown architecture ${q(parts[1])}`;
      ctxPush(out, {
        kind: 'platform-unknown-os-arch',
        inv,
        span,
        message:
          `platform ${q(raw)} has ${what}; buildx accepts any os/arch pair without checking it, so this only fails later, when no base image or builder node matches` +
          `${item.suggestion ? `; did you mean ${q(item.suggestion)}?` : '; expected e.g. linux/amd64, linux/arm64, linux/arm/v7, linux/386, linux/ppc64le, linux/s390x, linux/riscv64'}`,
        replacement: item.suggestion,
      });
      continue;
    }
    if (item.clientDependent) {
      const lower = raw.toLowerCase();
      // FormatAll, not Format: the suggestion must keep an OS version such as windows(10.0.17763);
      // when no spelling round-trips, the message names the platform but no fix is offered.
      const spelled = canonicalSpelling(item.platform);
      const canon = spelled ?? formatPlatformAll(item.platform);
      let message: string;
      let replacement: string;
      if (lower === 'local') {
        replacement = canon;
        message = `platform ${q(raw)} means the platform of the machine running buildx, not of the builder: ${canon} on an x86-64 Linux host, darwin/arm64 on an Apple-silicon Mac; name the platform explicitly`;
      } else if (item.platform.arch === 'amd64' && !/^(amd64|x86[_-]64)$/i.test(raw)) {
        replacement = canon;
        message = `platform ${q(raw)} names only an operating system; buildx fills in the CPU architecture of the machine running buildx (here assumed amd64), so the result depends on who runs the script; write ${q(canon)}`;
      } else {
        // containerd's platforms.Parse gives a lone architecture the OS buildx itself runs on
        // (runtime.GOOS): on a machine the host knows to be Linux that is linux/ARCH, as meant.
        if (inv.region.clientOs === 'linux') continue;
        replacement = 'linux/' + canon.split('/').slice(1).join('/');
        message = `platform ${q(raw)} names only an architecture; buildx fills in the operating system of the machine running buildx, so on a Mac it means darwin/${canon.split('/').slice(1).join('/')}; write ${q(replacement)}`;
      }
      ctxPush(out, { kind: 'platform-client-dependent', inv, span, message, replacement });
      continue;
    }
    if (item.platform.arch === 'arm' && item.platform.variant === 'v8') {
      ctxPush(out, {
        kind: 'platform-arm-v8',
        inv,
        span,
        message: `platform ${q(raw)} is 32-bit ARM (AArch32 code on an ARMv8 CPU), not 64-bit ARM; for 64-bit ARM write "linux/arm64"; if 32-bit is intended, "linux/arm/v7" is what images publish`,
      });
      continue;
    }
    const canon = aliasReplacement(item);
    if (canon) {
      ctxPush(out, {
        kind: 'platform-alias',
        inv,
        span,
        message: `platform ${q(raw)} is another spelling of ${q(canon)}; buildx normalises it, but registries, builders and \`docker buildx ls\` show ${q(canon)}, so write that`,
        replacement: canon,
      });
    }
  }
}

function ctxPush(out: PlatformAnalysis, f: PlatformFinding): void {
  const parts = splitMessageOnce(f.message);
  // One object per finding, in one shape: spreading the draft and its parts made two.
  const finding: PlatformFinding = { kind: f.kind, inv: f.inv, span: f.span, message: parts.message };
  if (parts.help) finding.help = parts.help;
  if (parts.upstream) finding.upstream = parts.upstream;
  if (parts.upstreamFrom) finding.upstreamFrom = parts.upstreamFrom;
  if (f.replacement !== undefined) finding.replacement = f.replacement;
  out.findings.push(finding);
}

function commaItems(text: string): number {
  let n = 1;
  for (let i = text.indexOf(','); i >= 0; i = text.indexOf(',', i + 1)) n++;
  return n;
}

/**
 * The model has already parsed the command's platforms, every valued --platform in order, one item
 * per comma-separated piece: each flag reads its own run of them instead of parsing its value again.
 */
function analyseCommand(c: { inv: Invocation; platformFlags: FlagOccurrence[]; platforms: PlatformItem[] }, out: PlatformAnalysis): void {
  let total = 0;
  for (const f of c.platformFlags) if (f.value) total += commaItems(f.value.text);
  const shared = total === c.platforms.length;
  let at = 0;
  for (const f of c.platformFlags) {
    if (!f.value) continue;
    const n = commaItems(f.value.text);
    analyseFlag(c.inv, f, out, shared ? c.platforms.slice(at, at + n) : parsePlatformList([f.value]));
    at += n;
  }
}

type PlatformCommand = { inv: Invocation; platformFlags: FlagOccurrence[]; platforms: PlatformItem[] };

/**
 * Each create's and build's findings, which read nothing but that command: kept per model object
 * while its invocation, arguments, flags and platforms are the same objects (a model that takes a
 * new reading in place, engine/incremental.ts, gets new ones), so the language server's re-lint of
 * one edited command does not analyse every other command's platforms again.
 */
const byCommand = new WeakMap<PlatformCommand, { inv: Invocation; argv: Invocation['argv']; platformFlags: FlagOccurrence[]; platforms: PlatformItem[]; found: PlatformAnalysis }>();

function analyseCommandOnce(c: PlatformCommand, out: PlatformAnalysis): void {
  let known = byCommand.get(c);
  if (!known || known.inv !== c.inv || known.argv !== c.inv.argv || known.platformFlags !== c.platformFlags || known.platforms !== c.platforms) {
    const found: PlatformAnalysis = { findings: [], explained: new Set() };
    analyseCommand(c, found);
    known = { inv: c.inv, argv: c.inv.argv, platformFlags: c.platformFlags, platforms: c.platforms, found };
    byCommand.set(c, known);
  }
  for (const f of known.found.findings) out.findings.push({ ...f });
  for (const a of known.found.explained) out.explained.add(a);
}

/** analysePlatforms runs once per model; every platform rule reads the same result. */
export function analysePlatforms(model: FileModel): PlatformAnalysis {
  const hit = cache.get(model);
  if (hit) return hit;
  const out: PlatformAnalysis = { findings: [], explained: new Set() };
  for (const c of model.creates) analyseCommandOnce(c, out);
  for (const c of model.builds) analyseCommandOnce(c, out);
  out.findings.sort((a, b) => a.span.start - b.span.start);
  cache.set(model, out);
  return out;
}
