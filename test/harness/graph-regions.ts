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
  /** Variables the host sets before the shell starts (a CI `env:`), values taken as written. */
  variables?: Record<string, string>;
}

export function modelOfRegions(specs: RegionSpec[]): FileModel {
  let text = '';
  const regions: RegionModel[] = [];
  const invocations = [];
  for (const s of specs) {
    const start = text.length;
    text += s.text + '\n';
    const region: ShellRegion = { source: identity(text, start, start + s.text.length), dialect: 'bash', encoding: 'plain', scope: s.scope, after: s.after };
    if (s.variables) {
      // The values are written on a line of their own after the region's text, so they map somewhere.
      region.variables = Object.entries(s.variables).map(([name, value]) => {
        const at = text.length;
        text += value + '\n';
        return { name, value: identity(text, at, at + value.length) };
      });
    }
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
