/**
 * Completion inside buildx command lines. The line being typed is usually incomplete, so the
 * context (which buildx command, which flag the cursor is in) is read from the text of the
 * logical line before the cursor (continuation lines joined); the driver comes from the file
 * model when the command is complete enough to have one, else from a `--driver` word.
 *
 *   `--driver-opt ` / `--driver-opt=` / after `,` in its value → the driver's option keys
 *   `--driver ` / `--driver=`                                  → docker-container, kubernetes, remote
 *   `--…` in a buildx command                                   → that command's flags
 *   the word after `buildx`                                     → the subcommands
 */
import { type CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, type Range } from 'vscode-languageserver';
import { LineIndex } from '../core/source';
import type { FileModel } from '../buildx/model';
import { CREATABLE_DRIVERS } from '../buildx/model';
import { type DriverName, optionsOf } from '../buildx/driver-opts';
import { BUILDX_ROOT_FLAGS, COMMANDS, commandFlagTable, type FlagSpec, resolveCommand, takesValue } from '../extract/spec';
import { toRange } from './convert';

export const TRIGGER_CHARACTERS = [' ', '=', ',', '-'];

const DRIVER_DOCS: Record<string, string> = {
  'docker-container': 'BuildKit in a container managed by the Docker daemon (the default).',
  kubernetes: 'BuildKit pods in a Kubernetes cluster (a Deployment per node).',
  remote: 'An already running BuildKit daemon, reached at the endpoint argument (tcp://, unix://, …).',
};

/** logicalLineStart goes back over lines that end with a `\` continuation. */
function logicalLineStart(text: string, offset: number): number {
  let start = text.lastIndexOf('\n', offset - 1) + 1;
  while (start > 0) {
    const prevEnd = text[start - 2] === '\r' ? start - 2 : start - 1;
    if (text[prevEnd - 1] !== '\\') break;
    start = text.lastIndexOf('\n', prevEnd - 1) + 1;
  }
  return start;
}

function logicalLineEnd(text: string, offset: number): number {
  let end = offset;
  for (;;) {
    const nl = text.indexOf('\n', end);
    if (nl < 0) return text.length;
    const lineEnd = text[nl - 1] === '\r' ? nl - 1 : nl;
    if (text[lineEnd - 1] !== '\\') return nl;
    end = nl + 1;
  }
}

function words(s: string): string[] {
  return s
    .replace(/\\\r?\n/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

function basename(w: string): string {
  return w.slice(w.lastIndexOf('/') + 1);
}

interface Context {
  /** Canonical buildx command, or null when the cursor is before it. */
  command: string | null;
  /** Index in `before` of the buildx program word; -1 when the line is not a buildx command. */
  buildxAt: number;
  before: string[];
}

function commandContext(before: string[]): Context {
  const buildxAt = before.findIndex((w) => {
    const b = basename(w.replace(/^[@+-]+/, ''));
    return b === 'buildx' || b === 'docker-buildx';
  });
  if (buildxAt < 0) return { command: null, buildxAt, before };
  const rootValued = new Set(BUILDX_ROOT_FLAGS.filter(takesValue).map((f) => `--${f.name}`));
  for (let j = buildxAt + 1; j < before.length; j++) {
    const w = before[j];
    if (w.startsWith('-')) {
      if (!w.includes('=') && rootValued.has(w)) j++;
      continue;
    }
    return { command: resolveCommand(w), buildxAt, before };
  }
  return { command: null, buildxAt, before };
}

function driverFor(model: FileModel | null, text: string, lineStart: number, offset: number): string {
  const c = model?.creates.filter((cr) => cr.inv.span.start >= lineStart && cr.inv.span.start <= offset).pop();
  if (c?.driver) return c.driver;
  const line = text.slice(lineStart, logicalLineEnd(text, offset)).replace(/\\\r?\n/g, ' ');
  let driver = 'docker-container';
  for (const m of line.matchAll(/--driver(?:=|\s+)['"]?([A-Za-z0-9-]+)/g)) driver = m[1];
  return driver;
}

function flagItem(f: FlagSpec, range: Range): CompletionItem {
  return {
    label: `--${f.name}`,
    kind: CompletionItemKind.Property,
    detail: f.shorthand ? `-${f.shorthand}, ${f.type}` : f.type,
    documentation: f.description,
    textEdit: { range, newText: `--${f.name}` },
  };
}

/**
 * completionsAt lists completions at an offset. `snippets`: the client declared
 * `completionItem.snippetSupport`; others get plain text (`env.` with no placeholder), since a
 * client without it inserts `${1:NAME}` literally.
 */
export function completionsAt(text: string, offset: number, model: FileModel | null, snippets = true): CompletionItem[] {
  const lines = new LineIndex(text);
  const lineStart = logicalLineStart(text, offset);
  let tokenStart = offset;
  while (tokenStart > lineStart && !/\s/.test(text[tokenStart - 1])) tokenStart--;
  const token = text.slice(tokenStart, offset);
  const ctx = commandContext(words(text.slice(lineStart, tokenStart)));
  if (ctx.buildxAt < 0) return [];
  const prev = ctx.before[ctx.before.length - 1] ?? '';
  const range = (from: number): Range => toRange(lines, { start: from, end: offset });

  // --driver-opt values
  let valueStart = -1;
  if (token.startsWith('--driver-opt=')) valueStart = tokenStart + '--driver-opt='.length;
  else if (prev === '--driver-opt' && ctx.command === 'create') valueStart = tokenStart;
  if (valueStart >= 0 && ctx.command === 'create') {
    const value = text.slice(valueStart, offset);
    let keyStart = valueStart + value.lastIndexOf(',') + 1;
    while (keyStart < offset && (text[keyStart] === "'" || text[keyStart] === '"')) keyStart++;
    if (text.slice(keyStart, offset).includes('=')) return [];
    const driver = driverFor(model, text, lineStart, offset);
    if (!CREATABLE_DRIVERS.includes(driver)) return [];
    return optionsOf(driver as DriverName).map((o, i) => ({
      label: o.prefix ? `${o.key}NAME` : o.key,
      kind: CompletionItemKind.Property,
      detail: `${o.type} · ${driver} driver option`,
      documentation: {
        kind: MarkupKind.Markdown,
        value: `${o.doc}\n\nDefault: ${o.default === null ? 'none' : `\`${o.default}\``} · Since: buildx ${o.since}`,
      },
      sortText: String(i).padStart(3, '0'),
      filterText: o.key,
      insertTextFormat: o.prefix && snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range: range(keyStart), newText: o.prefix ? (snippets ? `${o.key}\${1:NAME}=` : o.key) : `${o.key}=` },
    }));
  }

  // --driver values
  let driverStart = -1;
  if (token.startsWith('--driver=')) driverStart = tokenStart + '--driver='.length;
  else if (prev === '--driver' && ctx.command === 'create') driverStart = tokenStart;
  if (driverStart >= 0 && ctx.command === 'create') {
    return CREATABLE_DRIVERS.map((d) => ({
      label: d,
      kind: CompletionItemKind.EnumMember,
      documentation: DRIVER_DOCS[d],
      textEdit: { range: range(driverStart), newText: d },
    }));
  }

  // flags
  if (token.startsWith('-') && !token.includes('=')) {
    const flags = ctx.command ? [...(commandFlagTable(ctx.command)?.long.values() ?? [])] : BUILDX_ROOT_FLAGS;
    return flags.filter((f) => !f.hidden).map((f) => flagItem(f, range(tokenStart)));
  }

  // the subcommand
  if (ctx.before.length === ctx.buildxAt + 1 && !token.startsWith('-')) {
    return [...COMMANDS.values()].map((c) => ({
      label: c.name,
      kind: CompletionItemKind.Function,
      detail: c.usage,
      textEdit: { range: range(tokenStart), newText: c.name },
    }));
  }
  return [];
}
