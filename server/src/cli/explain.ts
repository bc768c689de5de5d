/**
 * `kbx-lint explain`: what each buildx invocation receives, as bash or make would pass it.
 */
import { DYNAMIC } from '../core/mapped-string';
import { LineIndex } from '../core/source';
import type { Invocation } from '../extract/invocation';
import type { FileModel } from '../buildx/model';
import { describeCreate } from './describe';

export interface ExplainedInvocation {
  file: string;
  line: number;
  endLine: number;
  program: string;
  command: string;
  argv: (string | null)[];
  driver?: string | null;
  driverOpts?: Record<string, unknown> | null;
}

function argText(a: Invocation['argv'][number]): string | null {
  return a.static && !a.value.text.includes(DYNAMIC) ? a.value.text : null;
}

export function explainFile(path: string, model: FileModel): ExplainedInvocation[] {
  const lines = new LineIndex(model.text);
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
    return out;
  });
}

function shellShow(s: string | null): string {
  if (s === null) return '<dynamic>';
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return JSON.stringify(s);
}

export function formatExplainText(items: ExplainedInvocation[]): string {
  const out: string[] = [];
  for (const it of items) {
    out.push(`${it.file}:${it.line}${it.endLine !== it.line ? `-${it.endLine}` : ''}: ${it.program} ${it.command}`);
    it.argv.forEach((a, i) => out.push(`  argv[${i + 1}] ${shellShow(a)}`));
    if (it.driver !== undefined) out.push(`  driver: ${it.driver ?? '<unknown>'}`);
    if (it.driverOpts) {
      out.push('  driver options as buildx sees them:');
      for (const line of JSON.stringify(it.driverOpts, null, 2).split('\n').slice(1, -1)) out.push('  ' + line);
    }
    out.push('');
  }
  return out.join('\n');
}
