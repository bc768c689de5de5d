/**
 * The one pure entry point: text + file name (or language) + configuration → diagnostics and
 * invocations. No I/O, no process globals, so the CLI and the language server share it unchanged.
 */
import type { Diagnostic } from '../core/diagnostic';
import { LineIndex } from '../core/source';
import { hostFor, type LanguageId } from '../hosts/detect';
import { fixChecker, readHost } from '../hosts/index';
import type { HostResult } from '../hosts/region';
import { parseShell } from '../shell/parser';
import { extractInvocations, type Invocation } from '../extract/invocation';
import { buildBuildModels, buildCreateModels, type FileModel, type RegionModel } from '../buildx/model';
import { RULES, findRule } from '../rules/index';
import { type Report, toDiagnostic } from '../rules/rule';
import { type Config, DEFAULT_CONFIG } from './config';
import { findSuppressions } from './suppress';

export type { LanguageId };
export { hostFor };

export interface LintInput {
  text: string;
  /** Used to pick the host when `languageId` is absent, and in messages. */
  fileName: string;
  languageId?: LanguageId;
}

export interface LintResult {
  diagnostics: Diagnostic[];
  invocations: Invocation[];
  model: FileModel;
}

/** mayContainBuildx is the cheap pre-filter: files without these words are never parsed. */
export function mayContainBuildx(text: string): boolean {
  return text.includes('buildx') || /docker[ \t\\\n]+(?:[^\n]*?\s)?(?:build|builder)\b/.test(text);
}

export function buildModel(input: LintInput): FileModel {
  const host = hostFor(input.fileName, input.languageId);
  const hostResult: HostResult = readHost(host, input.text, input.fileName);
  const regions: RegionModel[] = [];
  const invocations: Invocation[] = [];
  const syntaxErrors = [];
  for (const region of hostResult.regions) {
    const script = parseShell(region.source, { dialect: region.dialect });
    regions.push({ region, script });
    syntaxErrors.push(...script.errors);
    invocations.push(...extractInvocations(script, region));
  }
  return {
    text: input.text,
    fileName: input.fileName,
    host,
    regions,
    invocations,
    creates: buildCreateModels(invocations),
    builds: buildBuildModels(invocations),
    syntaxErrors,
    hostProblems: hostResult.problems,
  };
}

export function lint(input: LintInput, config: Config = DEFAULT_CONFIG): LintResult {
  const model = buildModel(input);
  const lines = new LineIndex(input.text);
  const suppress = findSuppressions(input.text, lines);
  const invocationLines = model.invocations.map((inv) => ({ span: inv.span, line: lines.position(inv.span.start).line }));
  const diagnostics: Diagnostic[] = [];
  const fixFits = fixChecker(model.regions.map((r) => r.region), input.text);
  for (const rule of RULES) {
    const setting = config.rules[rule.meta.code] ?? config.rules[rule.meta.name];
    if (setting === 'off') continue;
    if (!setting && !rule.meta.enabledByDefault) continue;
    if (suppress.file.has(rule.meta.code) || suppress.file.has(rule.meta.name)) continue;
    const found: Report[] = [];
    rule.check(model, { report: (r) => found.push(r) });
    for (const r of found) {
      const d = toDiagnostic(rule.meta, r);
      if (setting) d.severity = setting;
      const line = lines.position(d.span.start).line;
      const owner = invocationLines.find((il) => il.span.start <= d.span.start && d.span.start < Math.max(il.span.end, il.span.start + 1));
      const suppressedLines = [line, owner?.line].filter((l): l is number => l !== undefined);
      if (suppressedLines.some((l) => suppress.lines.get(l)?.has(rule.meta.code) || suppress.lines.get(l)?.has(rule.meta.name))) continue;
      if (d.fix && !fixFits(d.fix.edits)) d.fix = undefined;
      diagnostics.push(d);
    }
  }
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
  return { diagnostics, invocations: model.invocations, model };
}

export { RULES, findRule };
