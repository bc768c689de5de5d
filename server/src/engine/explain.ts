/**
 * What each buildx invocation receives, as bash or make would pass it: the `kbx-lint explain`
 * view, shared by the CLI and the language server's explain command.
 */
import { DYNAMIC } from '../core/mapped-string';
import { LineIndex } from '../core/source';
import { safeLine, shownPath } from '../core/terminal';
import type { Invocation } from '../extract/invocation';
import type { FileModel } from '../buildx/model';
import { describeCreate } from './describe';
import { assignBuildPlatforms, builderGraphOf, type PlatformAssignment } from '../buildx/builder-graph';

export interface ExplainedInvocation {
  file: string;
  line: number;
  endLine: number;
  program: string;
  command: string;
  argv: (string | null)[];
  driver?: string | null;
  driverOpts?: Record<string, unknown> | null;
  /** For builds: which node of which builder builds each requested platform (build/resolver). */
  builder?: { name: string | null; source: string };
  platformAssignments?: PlatformAssignment[];
}

function argText(a: Invocation['argv'][number]): string | null {
  return a.static && !a.value.text.includes(DYNAMIC) ? a.value.text : null;
}

export function explainFile(path: string, model: FileModel): ExplainedInvocation[] {
  const lines = new LineIndex(model.text);
  const graph = builderGraphOf(model);
  return model.invocations.map((inv) => {
    const out: ExplainedInvocation = {
      file: path,
      line: lines.position(inv.span.start).line + 1,
      endLine: lines.position(inv.span.end).line + 1,
      program: inv.program,
      command: inv.command,
      argv: inv.argv.map(argText),
    };
    const create = model.creates.find((c) => c.inv === inv);
    if (create) Object.assign(out, describeCreate(create));
    const build = graph.builds.find((b) => b.build.inv === inv);
    if (build) {
      out.builder = { name: build.builder?.name ?? build.key, source: build.source };
      out.platformAssignments = assignBuildPlatforms(build.builder, build.build.platforms);
    }
    return out;
  });
}

/**
 * shellShow prints an argument as the program receives it: verbatim, quotes included, since the
 * quotes that reach buildx are exactly what matters. Only an empty argument or one with blanks or
 * control characters is shown as a JSON string, so its boundaries stay visible.
 */
function shellShow(s: string | null): string {
  if (s === null) return '<dynamic>';
  if (s !== '' && !/[\s\x00-\x1f\x7f]/.test(s)) return s;
  return JSON.stringify(s);
}

export function formatExplainText(items: ExplainedInvocation[]): string {
  const out: string[] = [];
  for (const it of items) {
    out.push(`${shownPath(it.file)}:${it.line}${it.endLine !== it.line ? `-${it.endLine}` : ''}: ${it.program === 'docker' ? 'docker buildx' : it.program} ${it.command}`);
    it.argv.forEach((a, i) => out.push(`  argv[${i + 1}] ${shellShow(a)}`));
    if (it.driver !== undefined) out.push(`  driver: ${it.driver ?? '<unknown>'}`);
    if (it.driverOpts) {
      out.push('  driver options as buildx sees them:');
      // null is how JSON says "known only at run time"; the text view says so in words.
      for (const line of JSON.stringify(it.driverOpts, null, 2).split('\n').slice(1, -1)) out.push('  ' + line.replace(/: null(,?)$/, ': <dynamic>$1'));
    }
    if (it.builder) out.push(`  builder: ${it.builder.name ?? '<unknown>'} (from ${it.builder.source})`);
    for (const a of it.platformAssignments ?? []) {
      const why =
        a.match === 'declared'
          ? 'declares it'
          : a.match === 'compatible'
            ? 'declares a compatible platform'
            : a.match === 'fallback-node-0'
              ? 'no node declares it: first node'
              : 'nodes not known statically';
      out.push(`  ${a.platform} → ${a.node ? `node ${a.node} of ${a.builder}` : '<unknown node>'} (${why})`);
    }
    out.push('');
  }
  // Names, drivers and platforms come from the file: no line may move the cursor or be read as a
  // GitHub workflow command (core/terminal).
  return out.map(safeLine).join('\n');
}
