/**
 * What the language server's lint worker does for one document, and the messages it exchanges with
 * the main thread. The worker (`lint-worker.ts`) and the in-thread fallback (`scheduler.ts`) both
 * run `runLintJob`, so they answer the same thing.
 *
 * Requests about a document's model (hover, completion, inlay hints, symbols, definitions,
 * references, rename, semantic tokens) are answered by the thread that holds the model
 * (`DocumentLints.answer`): copying a model of a 5,000-line script to the main thread took longer
 * than linting it (viewOf ~0.5 s, structured clone ~0.3 s each way, loaded machine), and the
 * next lint waited behind the copy. The main thread keeps only the diagnostics and, for code
 * actions, where each invocation is (`LintSummary`).
 *
 * A *view* (the model with what only the engine reads left out: the shell ASTs of the regions,
 * the words behind arguments, callbacks; plus the builder graph) is still copied for the explain
 * command. It crosses the thread boundary by structured clone, which keeps shared references, so
 * `create.inv === invocations[i]` and `graph.builds[j].build === builds[k]` still hold on the other
 * side.
 */
import type { Position, Range, TextEdit } from 'vscode-languageserver';
import type { Diagnostic } from '../core/diagnostic';
import { type BuilderGraph, builderGraphOf } from '../buildx/builder-graph';
import type { FileModel } from '../buildx/model';
import type { Config } from '../engine/config';
import { LineIndex } from '../core/source';
import { copyGraph, IncrementalLint, ORDINARY, type OffsetShift, shiftOffset, shiftOffsets } from '../engine/incremental';
import { type LanguageId, type LintResult, lintIfBuildx } from '../engine/lint';
import { completionsAt } from './completion';
import { toOffset, toSpan } from './convert';
import { hoverAt } from './hover';
import { definitionAt, documentSymbols, inlayHints, prepareRenameAt, referencesAt, renameAt } from './insight';
import { collectTokens, encodeTokens, semanticTokens } from './semantic-tokens';
import * as path from 'node:path';
import { followMakeIncludes } from '../hosts/index';
import type { IncludedFile } from '../hosts/makefile-include';
import { diskIncludeFiles, makefileIncluding, readIncludedFile } from '../engine/make-includes';

/**
 * The other files the lint running now reads (absolute paths, missing ones too: creating one
 * changes the result), and the open buffers it reads instead of their files on the disk.
 */
let reading: { reads: Set<string>; buffers: Readonly<Record<string, string>> } | null = null;

function readRecorded(file: string): IncludedFile {
  const abs = path.resolve(file);
  if (!reading) return readIncludedFile(abs);
  reading.reads.add(abs);
  const buffer = reading.buffers[abs];
  return buffer === undefined ? readIncludedFile(abs) : { text: buffer };
}

// A Makefile's includes are read next to the Makefile, and a fragment's includer around it: from
// the open buffer of that file when the editor has one, else from the disk.
followMakeIncludes(
  (makefile) => {
    const dir = path.dirname(path.resolve(makefile));
    const disk = diskIncludeFiles(makefile);
    return { read: (name) => readRecorded(path.resolve(dir, name)), glob: (pattern) => disk.glob(pattern) };
  },
  (fragment) => makefileIncluding(fragment, readRecorded),
);

/** withReads runs a lint with `buffers` standing for their files, and says which files it read. */
export function withReads<T>(buffers: Readonly<Record<string, string>> | undefined, lint: () => T): { value: T; reads: string[] } {
  const outer = reading;
  reading = { reads: new Set(), buffers: buffers ?? {} };
  const mine = reading;
  try {
    return { value: lint(), reads: [...mine.reads] };
  } finally {
    reading = outer;
  }
}

export interface LintJobInput {
  uri: string;
  text: string;
  fileName: string;
  languageId: LanguageId | undefined;
  config: Config;
  /** Open documents the lint reads instead of their files (absolute path → text). */
  buffers?: Record<string, string>;
  /**
   * Changes when a file the previous lint read changed (on the disk or in its buffer): the same
   * text is then linted again, in full.
   */
  depsKey?: string;
}

/** The main thread's copy of a finished lint. */
export interface LintView {
  diagnostics: Diagnostic[];
  /** The model without ASTs and callbacks (see the file comment); `regions` is empty. */
  model: FileModel;
  graph: BuilderGraph;
  internalErrors: string[];
  /** Wall time of the lint in the worker. */
  ms: number;
}

export type ToWorker =
  | ({ type: 'lint'; id: number } & LintJobInput)
  | ({ type: 'fix-all'; id: number } & LintJobInput)
  | { type: 'view'; id: number; uri: string; text: string }
  | { type: 'ask'; id: number; uri: string; question: Question }
  | { type: 'close'; uri: string };

export type FromWorker =
  | { type: 'ready' }
  | ({ type: 'lint'; id: number } & LintSummary)
  | { type: 'answer'; id: number; answer: { value: unknown } | null }
  | { type: 'view'; id: number; view: LintView | null }
  | { type: 'fix-all'; id: number; edit: TextEdit | null }
  | { type: 'error'; id: number; message: string };

/** Keys of model objects that only the engine reads: left out of the view. */
const ENGINE_ONLY = new Set(['word', 'sourceWord', 'script', 'uses', 'defaults', 'region']);

/**
 * viewCopy copies a model graph without functions and without the ENGINE_ONLY keys, keeping
 * shared references shared (engine/incremental.ts copyGraph).
 */
export function viewCopy<T>(root: T): T {
  return copyGraph(root, {
    // The offset maps of mapped strings are views into larger buffers: a clone would carry the
    // whole buffer, so each is copied to its own extent.
    node: (v) => (v instanceof Int32Array ? v.slice() : ORDINARY),
    omit: (key, value) => typeof value === 'function' || (key !== null && ENGINE_ONLY.has(key)),
  }) as T;
}

/** viewOf turns a lint result into what the main thread keeps. */
export function viewOf(result: LintResult, ms: number): LintView {
  const graph = builderGraphOf(result.model);
  // The budgets' slack is the engine's own bookkeeping (a splice keeps a lower bound of it).
  const { regions: _regions, argumentSlack: _slack, statementSlack: _statements, ...rest } = result.model;
  const [diagnostics, model, graphCopy] = viewCopy([result.diagnostics, { ...rest, regions: [] } as FileModel, graph]) as [Diagnostic[], FileModel, BuilderGraph];
  return { diagnostics, model, graph: graphCopy, internalErrors: [...result.internalErrors], ms };
}

/** lintView lints one document and returns its view. */
export function lintView(input: LintJobInput): { result: LintResult; view: LintView } {
  const t0 = performance.now();
  const result = withReads(input.buffers, () => lintIfBuildx({ text: input.text, fileName: input.fileName, languageId: input.languageId }, input.config)).value;
  return { result, view: viewOf(result, performance.now() - t0) };
}

/**
 * A request the thread that holds a document's model answers, in LSP positions of the text of
 * that thread's latest lint of the document.
 */
export type Question =
  | { kind: 'hover'; position: Position }
  /** `text`: the client's current text; the model is read only when it is the text of the latest lint. */
  | { kind: 'completion'; position: Position; text: string; snippets: boolean }
  | { kind: 'inlay'; range: Range }
  | { kind: 'symbols' }
  | { kind: 'definition'; position: Position; uri: string }
  | { kind: 'references'; position: Position; uri: string; includeDeclaration: boolean }
  /** Answers a Range, or the reason the name cannot be renamed (a string). */
  | { kind: 'prepare-rename'; position: Position }
  /** Answers TextEdit[], or the reason the name cannot be renamed (a string). */
  | { kind: 'rename'; position: Position; newName: string }
  | { kind: 'tokens'; range: Range | null };

/** answerOn answers a question from a model whose offsets are those of `lines.text`. */
export function answerOn(model: FileModel, lines: LineIndex, q: Question): unknown {
  const at = (p: Position) => toOffset(lines, p);
  switch (q.kind) {
    case 'hover':
      return hoverAt(model, at(q.position), lines);
    case 'completion':
      return q.text === lines.text ? completionsAt(q.text, at(q.position), model, q.snippets) : completionsAt(q.text, toOffset(new LineIndex(q.text), q.position), null, q.snippets);
    case 'inlay':
      return inlayHints(model, lines, toSpan(lines, q.range));
    case 'symbols':
      return documentSymbols(model, lines);
    case 'definition':
      return definitionAt(model, lines, q.uri, at(q.position));
    case 'references':
      return referencesAt(model, lines, q.uri, at(q.position), q.includeDeclaration);
    case 'prepare-rename':
      return prepareRenameAt(model, lines, at(q.position));
    case 'rename':
      return renameAt(model, lines, at(q.position), q.newName);
    case 'tokens':
      return semanticTokens(model, lines, q.range ? toSpan(lines, q.range) : null);
  }
}

/** Thrown when an answer concerns text an edit replaced since the model was made. */
const INSIDE_EDIT = new Error('inside an edit');

/**
 * The offset moves from the text a model was made of to the latest text, in order. `forward` takes
 * an offset of the model's text to the latest text, `back` the other way; an offset inside text
 * an edit replaced has no image (NaN), unless `back` is told to clamp to the replaced range's start
 * or end (the ends of a requested range).
 */
class Moves {
  constructor(readonly shifts: OffsetShift[]) {}

  forward(x: number): number {
    for (const s of this.shifts) x = shiftOffset(x, s);
    return x;
  }

  back(y: number, clamp?: 'start' | 'end'): number {
    for (let k = this.shifts.length - 1; k >= 0; k--) {
      const s = this.shifts[k];
      if (y <= s.at) continue;
      if (y >= s.oldEnd + s.delta) y -= s.delta;
      else if (clamp) y = clamp === 'start' ? s.at : s.oldEnd;
      else return Number.NaN;
    }
    return y;
  }
}

/**
 * answerMoved answers a question about `newLines.text` from a model of an earlier text that only
 * inert edits separate from it (engine/incremental.ts): the question's positions are moved back
 * to the model's text, the answer computed there, and every position in it moved forward. Throws
 * INSIDE_EDIT when a position lies in replaced text: the caller lints in full and asks again.
 */
function answerMoved(model: FileModel, oldLines: LineIndex, newLines: LineIndex, moves: Moves, q: Question): unknown {
  const back = (p: Position, clamp?: 'start' | 'end') => {
    const y = moves.back(toOffset(newLines, p), clamp);
    if (Number.isNaN(y)) throw INSIDE_EDIT;
    return oldLines.position(y);
  };
  const forward = (x: number) => {
    const y = moves.forward(x);
    if (Number.isNaN(y)) throw INSIDE_EDIT;
    return y;
  };
  if (q.kind === 'tokens') {
    // The encoding is relative from token to token: tokens are moved as offsets and encoded on the new text.
    const tokens = collectTokens(model).map((t) => ({ ...t, start: forward(t.start), end: forward(t.end) }));
    return encodeTokens(newLines.text, newLines, tokens, q.range ? toSpan(newLines, q.range) : null);
  }
  let asked: Question;
  switch (q.kind) {
    case 'inlay':
      asked = { ...q, range: { start: back(q.range.start, 'start'), end: back(q.range.end, 'end') } };
      break;
    case 'symbols':
      asked = q;
      break;
    case 'completion':
      if (q.text !== newLines.text) return answerOn(model, newLines, q);
      asked = { ...q, position: back(q.position), text: oldLines.text };
      break;
    default:
      asked = { ...q, position: back(q.position) };
  }
  const answer = answerOn(model, oldLines, asked);
  // Every LSP position of the answer, moved in place (the answer is this call's own data).
  const stack: unknown[] = [answer];
  const seen = new Set<object>();
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    const o = v as Record<string, unknown>;
    if (typeof o.line === 'number' && typeof o.character === 'number') {
      const p = newLines.position(forward(oldLines.offsetAt(o.line, o.character)));
      o.line = p.line;
      o.character = p.character;
      continue;
    }
    for (const x of Array.isArray(v) ? v : Object.values(o)) if (x !== null && typeof x === 'object') stack.push(x);
  }
  return answer;
}

/**
 * Offset moves kept before a request lints the document in full: each answer maps its positions
 * through every move, so the list is kept short.
 */
const MAX_MOVES = 64;

/** What a lint thread keeps of one open document. */
interface DocumentState {
  incremental: IncrementalLint;
  text: string;
  fileName: string;
  languageId: LanguageId | undefined;
  /** The configuration as JSON: a worker receives a fresh copy of the object with every message. */
  configKey: string;
  config: Config;
  diagnostics: Diagnostic[];
  internalErrors: string[];
  /**
   * The full result of the latest version linted in full (fix-all, the view and the requests read
   * it), and the offset moves of the versions derived since; no moves: it is the result of `text`.
   */
  result: LintResult | null;
  moves: OffsetShift[];
  /** The file's host and the start and end offsets of every invocation of `text`, in pairs (code actions). */
  host: FileModel['host'];
  commands: Int32Array;
  /** Line indexes of the latest texts asked about. */
  lines: LineIndex[];
  buffers: Record<string, string> | undefined;
  depsKey: string;
  /** The other files the latest lints read (see LintSummary.reads). */
  reads: string[];
}

/** The latest lint of a document as the main thread keeps it. */
export interface LintSummary {
  diagnostics: Diagnostic[];
  internalErrors: string[];
  ms: number;
  host: FileModel['host'];
  commands: Int32Array;
  /**
   * The other files the lint read (absolute paths), missing ones too: the main thread lints the
   * document again when one of them changes.
   */
  reads: string[];
}

function commandsOf(result: LintResult): Int32Array {
  const out = new Int32Array(2 * result.invocations.length);
  result.invocations.forEach((inv, i) => {
    out[2 * i] = inv.span.start;
    out[2 * i + 1] = inv.span.end;
  });
  return out;
}

/**
 * DocumentLints is the lint thread's per-document state: each version is linted incrementally
 * from the previous one (engine/incremental.ts). A version derived from the previous one has no
 * model of its own: requests are answered from the model of the last full lint through the offset
 * moves since (`answer`), the view is made only when asked for, and fix-all lints it in full.
 * Closing a document drops everything.
 */
export class DocumentLints {
  private readonly docs = new Map<string, DocumentState>();

  lint(input: LintJobInput): LintSummary {
    const t0 = performance.now();
    const configKey = JSON.stringify(input.config);
    let doc = this.docs.get(input.uri);
    if (!doc) {
      doc = {
        incremental: new IncrementalLint(),
        text: '',
        fileName: input.fileName,
        languageId: input.languageId,
        configKey: '',
        config: input.config,
        diagnostics: [],
        internalErrors: [],
        result: null,
        moves: [],
        host: 'shell',
        commands: new Int32Array(0),
        lines: [],
        buffers: input.buffers,
        depsKey: input.depsKey ?? '',
        reads: [],
      };
      this.docs.set(input.uri, doc);
    } else if (doc.depsKey !== (input.depsKey ?? '')) {
      // A file the document reads changed: what was derived from its text alone no longer holds.
      doc.incremental = new IncrementalLint();
      doc.result = null;
      doc.moves = [];
    } else if (doc.text === input.text && doc.configKey === configKey && doc.fileName === input.fileName && doc.languageId === input.languageId) {
      return { diagnostics: doc.diagnostics, internalErrors: doc.internalErrors, ms: performance.now() - t0, host: doc.host, commands: doc.commands, reads: doc.reads };
    }
    const state = doc;
    doc.buffers = input.buffers;
    doc.depsKey = input.depsKey ?? '';
    // The previous full result is garbage once it is replaced: two models alive at once would
    // double the peak of a large file.
    const { value: update, reads } = withReads(input.buffers, () =>
      state.incremental.update({ text: input.text, fileName: input.fileName, languageId: input.languageId }, input.config, () => {
        state.result = null;
        state.moves = [];
      }),
    );
    // A version derived from the one before reads no file again: what that one read still counts.
    doc.reads = update.result ? reads : [...new Set([...doc.reads, ...reads])];
    doc.text = input.text;
    doc.fileName = input.fileName;
    doc.languageId = input.languageId;
    doc.configKey = configKey;
    doc.config = input.config;
    doc.diagnostics = update.diagnostics;
    doc.internalErrors = update.internalErrors;
    if (update.result) {
      doc.result = update.result;
      doc.moves = [];
      doc.host = update.result.model.host;
      doc.commands = commandsOf(update.result);
    } else {
      const shift = update.shift!;
      if (doc.result) doc.moves.push(shift);
      let commands: Int32Array | null = doc.commands.map((x) => shiftOffset(x, shift));
      if (commands.some(Number.isNaN)) commands = null;
      // An invocation inside the edited lines cannot be derived: the model of a full lint says where it is.
      doc.commands = commands ?? commandsOf(this.fullResult(input));
    }
    return { diagnostics: doc.diagnostics, internalErrors: doc.internalErrors, ms: performance.now() - t0, host: doc.host, commands: doc.commands, reads: doc.reads };
  }

  private linesOf(doc: DocumentState, text: string): LineIndex {
    const kept = doc.lines.find((l) => l.text === text);
    if (kept) return kept;
    const lines = new LineIndex(text);
    doc.lines = [lines, ...doc.lines.slice(0, 1)];
    return lines;
  }

  /**
   * The answer to a request about the latest lint of a document (positions in its text); null when
   * the document is not here. Exactly what the model of a full lint of that text answers.
   */
  answer(uri: string, q: Question): { value: unknown } | null {
    const doc = this.docs.get(uri);
    if (!doc) return null;
    const input = { uri, text: doc.text, fileName: doc.fileName, languageId: doc.languageId, config: doc.config };
    if (!doc.result || doc.moves.length > MAX_MOVES) this.fullResult(input);
    const lines = this.linesOf(doc, doc.text);
    if (doc.moves.length) {
      try {
        return { value: answerMoved(doc.result!.model, this.linesOf(doc, doc.result!.model.text), lines, new Moves(doc.moves), q) };
      } catch (e) {
        if (e !== INSIDE_EDIT) throw e;
        this.fullResult(input);
      }
    }
    return { value: answerOn(doc.result!.model, lines, q) };
  }

  /** The view of the latest lint of a document, when it is of `text`; null otherwise. */
  view(uri: string, text: string): LintView | null {
    const doc = this.docs.get(uri);
    if (!doc || doc.text !== text) return null;
    const input = { uri, text, fileName: doc.fileName, languageId: doc.languageId, config: doc.config };
    let view: LintView | null = doc.result ? viewOf(doc.result, 0) : null;
    for (const shift of doc.result ? doc.moves : []) {
      view = view && shiftOffsets(view, shift);
      if (!view) break;
    }
    // An offset fell inside an edit the diagnostics did not touch: make the view from a full lint.
    if (!view) return viewOf(this.fullResult(input), 0);
    view.model.text = text;
    view.diagnostics = viewCopy(doc.diagnostics);
    view.internalErrors = [...doc.internalErrors];
    return view;
  }

  /** The full result of `input.text`: the kept one, or a full lint (kept when it is the latest text). */
  fullResult(input: LintJobInput): LintResult {
    const doc = this.docs.get(input.uri);
    const same = doc && doc.text === input.text && doc.configKey === JSON.stringify(input.config) && doc.fileName === input.fileName && doc.languageId === input.languageId;
    if (same && doc.result && !doc.moves.length) return doc.result;
    if (same) doc.result = null;
    const buffers = same ? doc.buffers : input.buffers;
    const result = withReads(buffers, () => lintIfBuildx({ text: input.text, fileName: input.fileName, languageId: input.languageId }, input.config)).value;
    if (same) {
      doc.result = result;
      doc.moves = [];
    }
    return result;
  }

  /** Whether the latest version of a document was linted in full (not derived from the one before). */
  fullResultKept(uri: string): boolean {
    const doc = this.docs.get(uri);
    return !!doc?.result && !doc.moves.length;
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }
}
