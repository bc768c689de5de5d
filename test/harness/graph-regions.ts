/**
 * modelOfRegions builds a FileModel from hand-made shell regions with scopes, the way a host
 * (Makefile targets, CI jobs, Markdown blocks) hands them to the pipeline.
 */
import { identity } from '../../server/src/core/mapped-string';
import type { ShellRegion } from '../../server/src/hosts/region';
import { parseShell } from '../../server/src/shell/parser';
import { extractInvocations } from '../../server/src/extract/invocation';
import { buildBuildModels, buildCreateModels, type FileModel, type RegionModel } from '../../server/src/buildx/model';

export interface RegionSpec {
  text: string;
  scope?: string;
  after?: string[];
}

export function modelOfRegions(specs: RegionSpec[]): FileModel {
  let text = '';
  const regions: RegionModel[] = [];
  const invocations = [];
  for (const s of specs) {
    const start = text.length;
    text += s.text + '\n';
    const region: ShellRegion = { source: identity(text, start, start + s.text.length), dialect: 'bash', encoding: 'plain', scope: s.scope, after: s.after };
    const script = parseShell(region.source, { dialect: 'bash' });
    regions.push({ region, script });
    invocations.push(...extractInvocations(script, region));
  }
  return {
    text,
    fileName: 'regions.sh',
    host: 'shell',
    regions,
    invocations,
    creates: buildCreateModels(invocations),
    builds: buildBuildModels(invocations),
    syntaxErrors: [],
    hostProblems: [],
  };
}
