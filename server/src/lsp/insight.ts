/**
 * What the editor shows of buildx's own view, beyond diagnostics: inlay hints with what buildx
 * receives, document symbols for builders, nodes and builds, and builder/node names as symbols
 * with definitions, references and rename. All of it is read from the same file model the rules
 * judge; nothing here re-parses text.
 */
import { type DocumentSymbol, type InlayHint, InlayHintKind, type Location, type Range, SymbolKind, type TextEdit } from 'vscode-languageserver';
import { DYNAMIC } from '../core/mapped-string';
import type { LineIndex } from '../core/source';
import type { Span } from '../core/span';
import { assignBuildPlatforms, builderGraphOf } from '../buildx/builder-graph';
import type { FileModel } from '../buildx/model';
import type { Arg, Invocation } from '../extract/invocation';
import { toPosition, toRange } from './convert';

const HINT_MAX = 120;

function shown(text: string): string {
  return text.includes(DYNAMIC) ? text.split(DYNAMIC).join('…') : text;
}

function clip(s: string): string {
  return s.length > HINT_MAX ? `${s.slice(0, HINT_MAX - 1)}…` : s;
}

function within(span: Span, range: Span | null): boolean {
  return !range || (span.end >= range.start && span.start <= range.end);
}

/**
 * inlayHints: after each `--driver-opt` value, the options buildx decodes from it (so a comma that
 * split a value shows as a separate option); after each build's `--platform` value, the node each
 * platform goes to when the file made the builder.
 */
export function inlayHints(model: FileModel, lines: LineIndex, range: Span | null = null): InlayHint[] {
  const out: InlayHint[] = [];
  for (const c of model.creates) {
    if (!c.driverOpts) continue;
    // Entries grouped by flag once: a filter per flag was quadratic in 64,000 --driver-opt flags.
    const byFlag = new Map<number, typeof c.driverOpts.entries>();
    for (const e of c.driverOpts.entries) {
      const l = byFlag.get(e.flagIndex);
      if (l) l.push(e);
      else byFlag.set(e.flagIndex, [e]);
    }
    c.driverOptFlags.forEach((flag, index) => {
      const at = flag.valueSpan;
      if (!at || !within(at, range)) return;
      const entries = byFlag.get(index);
      if (!entries) return;
      const label = entries.map((e) => `${shown(e.key.text)}=${shown(e.value.text)}`).join(' · ');
      out.push({
        position: toPosition(lines, at.end),
        label: clip(`⇒ ${label}`),
        kind: InlayHintKind.Parameter,
        paddingLeft: true,
        tooltip: `buildx reads ${entries.length} driver option${entries.length === 1 ? '' : 's'} from this --driver-opt`,
      });
    });
  }
  const graph = builderGraphOf(model);
  for (const b of graph.builds) {
    const flags = b.build.platformFlags;
    const last = flags[flags.length - 1];
    if (!last?.valueSpan || !within(last.valueSpan, range)) continue;
    const assigned = assignBuildPlatforms(b.builder, b.build.platforms).filter((a) => a.node);
    if (!assigned.length) continue;
    out.push({
      position: toPosition(lines, last.valueSpan.end),
      label: clip(`⇒ ${assigned.map((a) => `${a.platform} on ${a.node}`).join(', ')}`),
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: `the node of builder ${assigned[0].builder} that buildx sends each platform to`,
    });
  }
  return out;
}

/** A builder or node name as written in the file. */
export interface NameOccurrence {
  kind: 'builder' | 'node';
  /** Lower-cased: buildx stores names lower-cased. */
  key: string;
  /** For nodes: the builder key they belong to. */
  builder?: string;
  span: Span;
  /** The occurrence creates the builder or node (`create --name`, `create --node`). */
  defines: boolean;
  /** The source text is exactly the name (no quotes or escapes), so a rename can replace it. */
  plain: boolean;
}

function staticValue(arg: { value: { text: string } | null } | null | undefined): string | null {
  const t = arg?.value?.text;
  return t && !t.includes(DYNAMIC) ? t : null;
}

function occurrence(text: string, kind: NameOccurrence['kind'], value: string, span: Span, defines: boolean, builder?: string): NameOccurrence {
  return { kind, key: value.toLowerCase(), builder, span, defines, plain: text.slice(span.start, span.end) === value };
}

const BUILDER_POSITIONAL = new Set(['use', 'rm', 'inspect', 'stop']);

/** nameOccurrences lists every static builder and node name of the file, in source order. */
export function nameOccurrences(model: FileModel): NameOccurrence[] {
  const out: NameOccurrence[] = [];
  const creates = new Set(model.creates.map((c) => c.inv));
  for (const c of model.creates) {
    const name = c.nameValue;
    if (name && c.name?.valueSpan) out.push(occurrence(model.text, 'builder', name, c.name.valueSpan, !c.append, undefined));
    if (name && c.nodeValue && c.node?.valueSpan) {
      out.push(occurrence(model.text, 'node', c.nodeValue, c.node.valueSpan, c.leave !== true, name.toLowerCase()));
    }
  }
  for (const inv of model.invocations) {
    for (const f of [...inv.globalFlags, ...(creates.has(inv) ? [] : inv.flags)]) {
      if (f.name !== 'builder' || !f.value || !f.valueSpan) continue;
      const v = staticValue(f);
      if (v) out.push(occurrence(model.text, 'builder', v, f.valueSpan, false));
    }
    if (BUILDER_POSITIONAL.has(inv.command)) {
      for (const a of inv.positionals as Arg[]) {
        const v = staticValue(a);
        if (v && a.static) out.push(occurrence(model.text, 'builder', v, a.span, false));
      }
    }
    for (const e of inv.env) {
      if (e.name !== 'BUILDX_BUILDER' || !e.value) continue;
      const v = staticValue(e);
      if (v && e.value.text.length) {
        const span = { start: e.value.starts[0], end: e.value.ends[e.value.text.length - 1] };
        out.push(occurrence(model.text, 'builder', v, span, false));
      }
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

function same(a: NameOccurrence, b: NameOccurrence): boolean {
  return a.kind === b.kind && a.key === b.key && a.builder === b.builder;
}

export function occurrenceAt(model: FileModel, offset: number): { at: NameOccurrence; all: NameOccurrence[] } | null {
  const all = nameOccurrences(model);
  const at = all.find((o) => o.span.start <= offset && offset <= o.span.end);
  return at ? { at, all: all.filter((o) => same(o, at)) } : null;
}

export function definitionAt(model: FileModel, lines: LineIndex, uri: string, offset: number): Location[] {
  const hit = occurrenceAt(model, offset);
  if (!hit) return [];
  const defs = hit.all.filter((o) => o.defines);
  return (defs.length ? defs : hit.all.slice(0, 1)).map((o) => ({ uri, range: toRange(lines, o.span) }));
}

export function referencesAt(model: FileModel, lines: LineIndex, uri: string, offset: number, includeDeclaration: boolean): Location[] {
  const hit = occurrenceAt(model, offset);
  if (!hit) return [];
  return hit.all.filter((o) => includeDeclaration || !o.defines).map((o) => ({ uri, range: toRange(lines, o.span) }));
}

/** prepareRename: the name's range, or a reason it cannot be renamed here. */
export function prepareRenameAt(model: FileModel, lines: LineIndex, offset: number): Range | string {
  const hit = occurrenceAt(model, offset);
  if (!hit) return 'no builder or node name here';
  const quoted = hit.all.find((o) => !o.plain);
  if (quoted) return `"${model.text.slice(quoted.span.start, quoted.span.end)}" is quoted or escaped: rename it by hand`;
  return toRange(lines, hit.at.span);
}

/** buildx's store/util.go namePattern: a name that also needs no shell quoting. */
const NAME = /^[a-zA-Z][a-zA-Z0-9._-]*$/;

export function renameAt(model: FileModel, lines: LineIndex, offset: number, newName: string): TextEdit[] | string {
  const prepared = prepareRenameAt(model, lines, offset);
  if (typeof prepared === 'string') return prepared;
  if (!NAME.test(newName)) return `"${newName}" is not a valid builder or node name`;
  return occurrenceAt(model, offset)!.all.map((o) => ({ range: toRange(lines, o.span), newText: newName }));
}

function commandLabel(inv: Invocation): string {
  return `${inv.program === 'docker' ? 'docker buildx' : inv.program} ${inv.command}`;
}

/** documentSymbols: each builder the file creates with its nodes, and each build with its builder. */
export function documentSymbols(model: FileModel, lines: LineIndex): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  const builders = new Map<string, DocumentSymbol>();
  for (const c of model.creates) {
    const name = c.nameValue;
    if (!name || !c.name?.valueSpan) continue;
    const key = name.toLowerCase();
    let sym = builders.get(key);
    if (!sym) {
      sym = {
        name,
        detail: c.driver ? `builder (${c.driver})` : 'builder',
        kind: SymbolKind.Class,
        range: toRange(lines, c.inv.span),
        selectionRange: toRange(lines, c.name.valueSpan),
        children: [],
      };
      builders.set(key, sym);
      out.push(sym);
    }
    if (c.nodeValue && c.node?.valueSpan && c.leave !== true && !sym.children!.some((n) => n.name === c.nodeValue)) {
      const platforms = c.platforms
        .filter((p) => p.canonical)
        .map((p) => p.canonical)
        .join(', ');
      sym.children!.push({
        name: c.nodeValue,
        detail: platforms ? `node · ${platforms}` : 'node',
        kind: SymbolKind.Field,
        range: toRange(lines, c.inv.span),
        selectionRange: toRange(lines, c.node.valueSpan),
      });
    }
  }
  for (const b of model.builds) {
    const platforms = b.platforms.map((p) => p.canonical ?? shown(p.raw.text)).join(', ');
    const builder = staticValue(b.builderFlag);
    out.push({
      name: commandLabel(b.inv),
      detail: [platforms, builder ? `on ${builder}` : ''].filter(Boolean).join(' '),
      kind: SymbolKind.Event,
      range: toRange(lines, b.inv.span),
      selectionRange: toRange(lines, b.inv.commandSpan ?? b.inv.programSpan),
    });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
