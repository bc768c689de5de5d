/**
 * The one pure entry point: text + file name (or language) + configuration → diagnostics and
 * invocations. No I/O, no process globals, so the CLI and the language server share it unchanged.
 */
import type { Diagnostic } from '../core/diagnostic';
import { forEachSourceRange } from '../core/mapped-string';
import { LineIndex } from '../core/source';
import { hostFor, type LanguageId } from '../hosts/detect';
import { fixChecker, readHost } from '../hosts/index';
import type { HostProblem, HostResult } from '../hosts/region';
import { parseShell } from '../shell/parser';
import { type ArgumentBudget, extractInvocations, type Invocation } from '../extract/invocation';
import { buildBuildModels, buildCreateModels, type FileModel, type RegionModel } from '../buildx/model';
import { collectProblems, type ModelProblem, type ProblemKind } from '../buildx/problems';
import { RULES, findRule } from '../rules/index';
import { problemOwners, type Report, reportOf, type Rule, toDiagnostic } from '../rules/rule';
import { type Config, DEFAULT_CONFIG, LIMITS, type Limits, type RuleSetting } from './config';
import { argumentsPastBudget, capLargeWords, capLongWords, findingsPastLimit, statementsPastBudget, SyntaxErrorList } from './limits';
import { findSuppressions, suppressedBy, suppressionFindings } from './suppress';
import { annotateValueFindings } from './values';

export type { LanguageId };
export { hostFor };

export interface LintInput {
  text: string;
  /** Used to pick the host when `languageId` is absent, and in messages. */
  fileName: string;
  languageId?: LanguageId;
  /**
   * Set instead of the text for a file with more bytes than `limits.maxFileSize` characters can
   * take (three bytes or more for each): its size is all there is to report (KBX604).
   */
  oversizeBytes?: number;
}

export interface LintResult {
  diagnostics: Diagnostic[];
  invocations: Invocation[];
  model: FileModel;
  /** Broken rule contracts (a problem kind without an owner, a fix from a rule not declared fixable); empty in a correct build. */
  internalErrors: string[];
  /** Set when a rule had more findings than `limits.maxFindings` and the rest were left out. */
  findingsCut?: true;
}

/**
 * In strict mode (the test suite turns it on) a broken rule contract throws, the way ESLint throws
 * when a rule not declared fixable returns a fix; otherwise the offending part is dropped and
 * recorded in `internalErrors`.
 */
let strictContracts = false;
export function setStrictRuleContracts(on: boolean): void {
  strictContracts = on;
}

/** The test setup turns strict mode on through a global, so it need not import (and load) the engine. */
function strict(): boolean {
  return strictContracts || (globalThis as { kbxStrictRuleContracts?: boolean }).kbxStrictRuleContracts === true;
}

const OWNERS = problemOwners(RULES);

export function lint(input: LintInput, config: Config = DEFAULT_CONFIG): LintResult {
  return lintWith(RULES, OWNERS, input, config);
}

/** A variable's expansion as a program word, then `build`, `image build` or `builder`. */
const DOCKER_BY_NAME = /\$(?:\([A-Za-z_][\w.-]*\)|\{[A-Za-z_]\w*\}|[A-Za-z_]\w*)"?[ \t]+(?:image[ \t]+)?build(?:er)?\b/;

/**
 * mayContainBuildx is the cheap pre-filter: files without these words are never parsed. A
 * GitHub Actions file also runs buildx through Docker's actions, named only in `uses:`.
 */
export function mayContainBuildx(text: string, fileName?: string, languageId?: LanguageId): boolean {
  if (text.includes('buildx') || /docker[ \t\\\n]+(?:[^\n]*?\s)?(?:build|builder)\b/.test(text)) return true;
  // `ENV_DOCKER ?= docker` … `$(ENV_DOCKER) build -t …` (apache/apisix's Makefile), `DOCKER=docker`
  // … `"$DOCKER" build`: the Docker CLI is reached only through a name, so no line says both words.
  if (text.includes('docker') && DOCKER_BY_NAME.test(text)) return true;
  return fileName !== undefined && hostFor(fileName, languageId) === 'github-actions' && /docker\/(?:build-push|bake)-action/.test(text);
}

/**
 * invocationAt finds, for an offset, the first invocation (in model order) whose extent holds it,
 * by binary search over the extents sorted by start: a scan per diagnostic made a file with many
 * commands and findings quadratic. The walk back stops where no earlier extent reaches the offset.
 */
function invocationAt<T extends { span: { start: number; end: number } }>(items: T[]): (offset: number) => T | undefined {
  const order = items.map((_, i) => i).sort((a, b) => items[a].span.start - items[b].span.start || a - b);
  const reach = new Float64Array(order.length);
  let max = Number.NEGATIVE_INFINITY;
  order.forEach((idx, k) => {
    const sp = items[idx].span;
    max = Math.max(max, Math.max(sp.end, sp.start + 1));
    reach[k] = max;
  });
  return (offset) => {
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (items[order[mid]].span.start <= offset) lo = mid + 1;
      else hi = mid;
    }
    let best = -1;
    for (let k = lo - 1; k >= 0 && reach[k] > offset; k--) {
      const sp = items[order[k]].span;
      if (offset < Math.max(sp.end, sp.start + 1) && (best < 0 || order[k] < best)) best = order[k];
    }
    return best < 0 ? undefined : items[best];
  };
}

/** A result with no findings for a file that holds no buildx command: no model was built. */
export function emptyLintResult(text: string, fileName: string, languageId?: LanguageId): LintResult {
  const model = { text, fileName, host: hostFor(fileName, languageId), regions: [], invocations: [], creates: [], builds: [], syntaxErrors: [], hostProblems: [] } as unknown as FileModel;
  return { diagnostics: [], invocations: [], model, internalErrors: [] };
}

/**
 * lintIfBuildx is `lint` behind the pre-filter, as the CLI and the language server both read a
 * file: one that cannot hold a buildx command is not parsed, so neither reports its syntax errors.
 */
export function lintIfBuildx(input: LintInput, config: Config = DEFAULT_CONFIG): LintResult {
  if (input.oversizeBytes === undefined && !mayContainBuildx(input.text, input.fileName, input.languageId)) return emptyLintResult(input.text, input.fileName ?? '', input.languageId);
  return lint(input, config);
}

/**
 * Offsets of regions that must never be rewritten (synthesised or flow-scalar text), merged and
 * sorted, so each fix edit is checked by binary search.
 */
function protectedSpans(regions: RegionModel[]): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (const r of regions) {
    if (r.region.encoding !== 'none') continue;
    // By runs, not characters: a synthesised action input of megabytes made a span per character.
    forEachSourceRange(r.region.source, (start, end) => spans.push({ start, end }));
  }
  spans.sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const sp of spans) {
    const last = out[out.length - 1];
    if (last && sp.start <= last.end) last.end = Math.max(last.end, sp.end);
    else out.push({ ...sp });
  }
  return out;
}

function touchesProtected(locked: { start: number; end: number }[], e: { start: number; end: number }): boolean {
  // The last protected span starting at or before the edit's end.
  let lo = 0;
  let hi = locked.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (locked[mid].start <= e.end) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return at >= 0 && e.start < locked[at].end;
}

/**
 * tooLarge says why a text is past the input limits, or null. One pass over the text: no line
 * array, no copy.
 */
export function tooLarge(text: string, limits: Limits): { message: string; span: { start: number; end: number } } | null {
  if (text.length > limits.maxFileSize) {
    return { message: `the file has ${text.length} characters, more than the limit of ${limits.maxFileSize}: it is not read`, span: { start: 0, end: 0 } };
  }
  let from = 0;
  while (from <= text.length) {
    const nl = text.indexOf('\n', from);
    const end = nl < 0 ? text.length : nl;
    if (end - from > limits.maxLineLength) {
      return { message: `a line has ${end - from} characters, more than the limit of ${limits.maxLineLength}: the file is not read`, span: { start: from, end: from } };
    }
    if (nl < 0) break;
    from = nl + 1;
  }
  return null;
}

export function buildModel(input: LintInput, limits: Limits = LIMITS): FileModel {
  const host = hostFor(input.fileName, input.languageId);
  // Past the limits nothing is parsed: one finding says so (KBX604), and memory stays bounded.
  const big =
    input.oversizeBytes !== undefined
      ? { message: `the file has ${input.oversizeBytes} bytes, too many for the limit of ${limits.maxFileSize} characters: it is not read`, span: { start: 0, end: 0 } }
      : tooLarge(input.text, limits);
  const hostResult: HostResult = big
    ? { regions: [], problems: [{ kind: 'input-too-large', span: big.span, message: big.message, severity: 'error' }] }
    : readHost(host, input.text, input.fileName, limits);
  const regions: RegionModel[] = [];
  const invocations: Invocation[] = [];
  const syntaxErrors = new SyntaxErrorList();
  const wordProblems: HostProblem[] = [];
  const budget: ArgumentBudget = { left: limits.maxArguments, stoppedAt: null, slack: limits.maxArguments };
  const statements = { left: limits.maxStatements };
  let cutAt: number | undefined;
  // The incremental lint splices only a shell script read as one region (engine/incremental.ts).
  const keepReads = host === 'shell' && hostResult.regions.length === 1;
  for (const region of hostResult.regions) {
    const script = parseShell(region.source, { dialect: region.dialect, budget: statements });
    cutAt ??= script.cutAt;
    // Probably not shell at all (PowerShell on a Windows leg): its errors would be false alarms.
    if (region.shellUnsure && script.errors.length) continue;
    for (const p of capLongWords(script, input.text, limits)) wordProblems.push(p);
    syntaxErrors.add(region.excerpt ? script.errors.filter((e) => !e.cutShort) : script.errors);
    const stoppedBefore = budget.stoppedAt !== null;
    for (const inv of extractInvocations(script, region, { budget, keepReads })) invocations.push(inv);
    // Past the budget nothing is checked: the statements after the stop would only weigh the model
    // (some 1 KB a command), since no later command reaches the builder graph or a rule.
    const stop = budget.stoppedAt?.span.start;
    regions.push({ region, script: stop === undefined ? script : { ...script, stmts: stoppedBefore ? [] : script.stmts.filter((s) => s.span.start <= stop) } });
  }
  if (budget.stoppedAt) wordProblems.push(argumentsPastBudget(input.text, budget.stoppedAt, limits));
  if (cutAt !== undefined) wordProblems.push(statementsPastBudget(input.text, cutAt, limits));
  for (const p of capLargeWords(input.text, invocations, limits)) wordProblems.push(p);
  return {
    text: input.text,
    fileName: input.fileName,
    host,
    regions,
    invocations,
    creates: buildCreateModels(invocations),
    builds: buildBuildModels(invocations),
    syntaxErrors: syntaxErrors.done(),
    argumentSlack: budget.slack,
    statementSlack: Math.max(statements.left, 0),
    hostProblems: wordProblems.length ? [...hostResult.problems, ...wordProblems] : hostResult.problems,
  };
}

/** A `# kbx-lint buildx=0.12` comment pins the buildx release a file is written for. */
function pinnedBuildx(text: string): string | null {
  if (!text.includes('kbx-lint')) return null;
  return /^[ \t]*#[ \t]*kbx-lint[ \t]+buildx=(\S+)/m.exec(text)?.[1] ?? null;
}

/** lintWith runs a given rule list; `lint` is this with the registry. Tests use it to check the engine's contracts. */
export function lintWith(rules: readonly Rule[], owners: Map<ProblemKind, Rule>, input: LintInput, config: Config = DEFAULT_CONFIG): LintResult {
  return lintModelWith(rules, owners, input, config, buildModel(input, { ...LIMITS, ...config.limits }));
}

/**
 * lintModel is `lint` of a model already built for `input.text` (the incremental lint splices one
 * re-read command into the previous model): everything after the model is the same code.
 */
export function lintModel(input: LintInput, config: Config, model: FileModel): LintResult {
  return lintModelWith(RULES, OWNERS, input, config, model);
}

function lintModelWith(rules: readonly Rule[], owners: Map<ProblemKind, Rule>, input: LintInput, config: Config, model: FileModel): LintResult {
  model.buildxTarget = pinnedBuildx(input.text) ?? config.buildx ?? null;
  const lines = new LineIndex(input.text);
  const suppress = findSuppressions(input.text, lines);
  // An invocation synthesised from action inputs has its arguments out of source order: its
  // extent is that of all its arguments, its first line the `uses:` line.
  const extent = (inv: Invocation) => {
    let start = inv.span.start;
    let end = inv.span.end;
    for (const a of inv.argv) {
      if (a.span.start < start) start = a.span.start;
      if (a.span.end > end) end = a.span.end;
    }
    return { start, end };
  };
  // Only suppression comments read the lines of findings and commands: without any, none is looked up.
  const suppressing = suppress.directives.length > 0;
  const ownerOf = suppressing ? invocationAt(model.invocations.map((inv) => ({ span: extent(inv), line: lines.position(inv.span.start).line }))) : null;
  const internalErrors: string[] = [];
  const broken = (message: string) => {
    if (strict()) throw new Error(message);
    internalErrors.push(message);
  };
  const select = config.select ? new Set(config.select.map((id) => rules.find((r) => r.meta.code === id.toUpperCase() || r.meta.name === id)?.meta.code ?? id)) : null;

  // The dispatcher: every model problem goes to the one rule that owns its kind. A rule phrases
  // its problems only if it runs (below), so a rule turned off costs no fix of its own.
  const owned = new Map<Rule, ModelProblem<ProblemKind>[]>();
  for (const p of collectProblems(model)) {
    const owner = owners.get(p.kind);
    if (!owner) {
      broken(`problem kind "${p.kind}" has no owning rule`);
      continue;
    }
    const list = owned.get(owner);
    if (list) list.push(p);
    else owned.set(owner, [p]);
  }
  const maxFindings = config.limits?.maxFindings ?? LIMITS.maxFindings;
  let findingsCut = false;
  const cutFrom = new Map<string, number>();

  const diagnostics: Diagnostic[] = [];
  const fixFits = fixChecker(
    model.regions.map((r) => r.region),
    input.text,
  );
  const settingOf = (code: string, name: string): RuleSetting | undefined => config.rules[code] ?? config.rules[name];
  // The suppression findings are made by the engine: with `select`, exactly the selected ones run.
  const suppressionSetting = (code: string, name: string): RuleSetting | undefined => {
    const set = settingOf(code, name);
    if (!select) return set;
    if (!select.has(code)) return 'off';
    return set && set !== 'off' ? set : rules.find((r) => r.meta.code === code)?.meta.severity;
  };
  const ran = new Set<string>();
  for (const rule of rules) {
    if (select && !select.has(rule.meta.code)) continue;
    const setting = settingOf(rule.meta.code, rule.meta.name);
    if (setting === 'off') continue;
    if (!setting && !rule.meta.enabledByDefault && !select) continue;
    ran.add(rule.meta.code);
    const problems = owned.get(rule) ?? [];
    const checked: Report[] = [];
    rule.check?.(model, { report: (r) => checked.push(r) });
    const kept = (r: Report | null): Diagnostic | null => {
      if (!r) return null;
      if (r.fix && rule.meta.fixable === 'never') {
        broken(`${rule.meta.code} (${rule.meta.name}) returned a fix but is not declared fixable`);
        delete r.fix;
      }
      const d = toDiagnostic(rule.meta, r);
      if (setting) d.severity = setting;
      if (ownerOf) {
        const line = lines.position(d.span.start).line;
        const owner = ownerOf(d.span.start);
        const suppressedLines = [line, owner?.line].filter((l): l is number => l !== undefined);
        // Every matching comment is marked used, so a rule silenced twice reports neither as unused.
        if (suppressedBy(suppress, rule.meta.code, suppressedLines)) return null;
      }
      if (d.fix && !fixFits(d.fix.edits)) d.fix = undefined;
      return d;
    };
    const phrase = (p: ModelProblem<ProblemKind>) => (rule.onProblem ? rule.onProblem(p, model) : reportOf(p));
    if (problems.length + checked.length <= maxFindings) {
      for (const p of problems) {
        const d = kept(phrase(p));
        if (d) diagnostics.push(d);
      }
      for (const r of checked) {
        const d = kept(r);
        if (d) diagnostics.push(d);
      }
      continue;
    }
    // Past the limit a rule's candidates are judged in source order and the judging stops after
    // the first finding left out: a value of 9,000 empty fields would otherwise phrase, fix and
    // print 9,000 findings, megabytes of output for kilobytes of input.
    const candidates: { start: number; problem?: ModelProblem<ProblemKind>; report?: Report }[] = [];
    for (const p of problems) candidates.push({ start: p.span.start, problem: p });
    for (const r of checked) candidates.push({ start: r.span.start, report: r });
    candidates.sort((a, b) => a.start - b.start);
    let count = 0;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i];
      const d = kept(c.problem ? phrase(c.problem) : (c.report as Report));
      if (!d) continue;
      if (count++ < maxFindings) {
        diagnostics.push(d);
        continue;
      }
      // Its suppression comments past the cut were never tried: none of them is reported as unused.
      cutFrom.set(rule.meta.code, ownerOf?.(d.span.start)?.line ?? lines.position(d.span.start).line);
      findingsCut = true;
      const note = findingsPastLimit(rule.meta, d, candidates.length - i, maxFindings, settingOf('KBX604', 'input-too-large'), select);
      if (note) diagnostics.push(note);
      break;
    }
  }
  diagnostics.push(...suppressionFindings(suppress, ran, suppressionSetting, cutFrom));
  const superseding = model.hostProblems.filter((p) => p.supersedes);
  if (superseding.length) {
    // The problem's own report carries its message; the findings it explains lie inside its span.
    const inside = (d: Diagnostic) => superseding.some((p) => p.span.start <= d.span.start && d.span.end <= p.span.end && d.message !== p.message);
    const kept = diagnostics.filter((d) => !inside(d));
    diagnostics.length = 0;
    for (const d of kept) diagnostics.push(d);
  }
  const annotated = annotateValueFindings(input.text, diagnostics, model.invocations);
  const locked = protectedSpans(model.regions);
  if (locked.length) {
    for (const d of annotated) {
      if (d.fix?.edits.some((e) => touchesProtected(locked, e.span))) delete d.fix;
    }
  }
  // Codes are KBX and three digits: comparing them as strings orders them as localeCompare did, without its cost per comparison.
  annotated.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const result: LintResult = { diagnostics: annotated, invocations: model.invocations, model, internalErrors };
  if (findingsCut) result.findingsCut = true;
  return result;
}

export { RULES, findRule };
