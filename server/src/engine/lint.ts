/**
 * The one pure entry point: text + file name (or language) + configuration → diagnostics and
 * invocations. No I/O, no process globals, so the CLI and the language server share it unchanged.
 */
import type { Diagnostic } from '../core/diagnostic';
import { LineIndex } from '../core/source';
import { hostFor, type LanguageId } from '../hosts/detect';
import { readHost } from '../hosts/index';
import type { HostResult } from '../hosts/region';
import { parseShell } from '../shell/parser';
import { extractInvocations, type Invocation } from '../extract/invocation';
import { buildBuildModels, buildCreateModels, type FileModel, type RegionModel } from '../buildx/model';
import { RULES, findRule } from '../rules/index';
import { type Report, toDiagnostic } from '../rules/rule';
import { type Config, DEFAULT_CONFIG } from './config';
import { findSuppressions, suppressedBy, suppressionFindings } from './suppress';

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

/** A `# kbx-lint buildx=0.12` comment pins the buildx release a file is written for. */
function pinnedBuildx(text: string): string | null {
  if (!text.includes('kbx-lint')) return null;
  return /^[ \t]*#[ \t]*kbx-lint[ \t]+buildx=(\S+)/m.exec(text)?.[1] ?? null;
}

export function lint(input: LintInput, config: Config = DEFAULT_CONFIG): LintResult {
  const model = buildModel(input);
  model.buildxTarget = pinnedBuildx(input.text) ?? config.buildx ?? null;
  const lines = new LineIndex(input.text);
  const suppress = findSuppressions(input.text, lines);
  const invocationLines = model.invocations.map((inv) => ({ span: inv.span, line: lines.position(inv.span.start).line }));
  const diagnostics: Diagnostic[] = [];
  const settingOf = (code: string, name: string) => config.rules[code] ?? config.rules[name];
  const ran = new Set<string>();
  for (const rule of RULES) {
    const setting = settingOf(rule.meta.code, rule.meta.name);
    if (setting === 'off') continue;
    if (!setting && !rule.meta.enabledByDefault) continue;
    ran.add(rule.meta.code);
    const found: Report[] = [];
    rule.check(model, { report: (r) => found.push(r) });
    for (const r of found) {
      const d = toDiagnostic(rule.meta, r);
      if (setting) d.severity = setting;
      const line = lines.position(d.span.start).line;
      const owner = invocationLines.find((il) => il.span.start <= d.span.start && d.span.start < Math.max(il.span.end, il.span.start + 1));
      const suppressedLines = [line, owner?.line].filter((l): l is number => l !== undefined);
      // Every matching comment is marked used, so a rule silenced twice reports neither as unused.
      if (suppressedBy(suppress, rule.meta.code, suppressedLines)) continue;
      diagnostics.push(d);
    }
  }
  diagnostics.push(...suppressionFindings(suppress, ran, settingOf));
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
  return { diagnostics, invocations: model.invocations, model };
}

export { RULES, findRule };
