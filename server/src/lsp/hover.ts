/**
 * Hover: on a `--driver-opt` key or value, the option's documentation from grammar/drivers.json
 * for the builder's driver, plus the value buildx will actually receive after the host, shell and
 * CSV layers; on a flag name, its description from grammar/buildx-commands.json; on a subcommand,
 * its usage line.
 */
import { type Hover, MarkupKind } from 'vscode-languageserver';
import { DYNAMIC, spanOf } from '../core/mapped-string';
import { LineIndex } from '../core/source';
import type { Span } from '../core/span';
import type { FileModel } from '../buildx/model';
import { type DriverName, type DriverOptEntry, lookupOption } from '../buildx/driver-opts';
import { COMMANDS, type FlagSpec } from '../extract/spec';
import { toRange } from './convert';

function within(span: Span, offset: number): boolean {
  return span.start <= offset && offset < span.end;
}

/** shown renders a decoded value as inline code, with `…` standing for run-time expansions. */
export function shown(text: string): string {
  const t = text.split(DYNAMIC).join('…');
  if (t === '') return '(empty)';
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

function flagDoc(f: FlagSpec, command: string | null): string {
  const head = `**\`--${f.name}\`**${f.shorthand ? `, \`-${f.shorthand}\`` : ''} \`${f.type}\`${command ? ` — \`buildx ${command}\`` : ''}`;
  const parts = [head, '', f.description];
  if (f.warning) parts.push('', `⚠ ${f.warning}`);
  return parts.join('\n');
}

function driverOptDoc(driver: string, entry: DriverOptEntry, effective: DriverOptEntry | undefined): string {
  const key = entry.key.text;
  const spec = driver === 'docker' ? undefined : lookupOption(driver as DriverName, key);
  const lines: string[] = [];
  if (spec) {
    lines.push(`**\`${key}\`** — ${driver} driver option`, '', spec.doc, '');
    const facts = [`Type: \`${spec.type}\``, `Default: ${spec.default === null ? 'none' : `\`${spec.default}\``}`, `Since: buildx ${spec.since}`];
    lines.push(facts.join(' · '));
  } else {
    lines.push(`**\`${key.split(DYNAMIC).join('…')}\`** — not an option of the ${driver} driver`);
  }
  lines.push('', `buildx receives: ${shown(key)} = ${shown(entry.value.text)}`);
  if (entry.value.text.includes(DYNAMIC) || key.includes(DYNAMIC)) lines.push('', '(`…` is decided at run time)');
  if (effective && effective !== entry) lines.push('', `Overridden by a later \`${key}=\` (the last value wins).`);
  return lines.join('\n');
}

export function hoverAt(model: FileModel, offset: number, lines = new LineIndex(model.text)): Hover | null {
  const markdown = (value: string, span: Span): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: toRange(lines, span) });

  for (const c of model.creates) {
    if (!c.driverOpts || !c.driver) continue;
    for (const e of c.driverOpts.entries) {
      const keySpan = spanOf(e.key);
      const valueSpan = spanOf(e.value);
      const onKey = within(keySpan, offset);
      if (onKey || within(valueSpan, offset)) {
        const doc = driverOptDoc(c.driver, e, c.driverOpts.effective.get(e.key.text));
        return markdown(doc, onKey ? keySpan : valueSpan);
      }
    }
  }
  for (const inv of model.invocations) {
    if (!(inv.span.start <= offset && offset < Math.max(inv.span.end, inv.span.start + 1))) continue;
    for (const f of [...inv.globalFlags, ...inv.flags]) {
      if (f.spec && within(f.nameSpan, offset)) return markdown(flagDoc(f.spec, inv.modelled ? inv.command : null), f.nameSpan);
    }
    if (inv.commandSpan && within(inv.commandSpan, offset)) {
      const spec = COMMANDS.get(inv.command);
      if (spec) return markdown(`**\`docker buildx ${spec.name}\`**\n\n\`${spec.usage}\``, inv.commandSpan);
    }
  }
  return null;
}
