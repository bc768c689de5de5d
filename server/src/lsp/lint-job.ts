/**
 * What the language server's lint worker does for one document, and the messages it exchanges with
 * the main thread. The worker (`lint-worker.ts`) and the in-thread fallback (`scheduler.ts`) both
 * run `runLintJob`, so they answer the same thing.
 *
 * The main thread answers hover, completion, symbols and the rest from a *view* of the latest
 * model: the model with what only the engine reads left out (the shell ASTs of the regions, the
 * words behind arguments, callbacks), plus the builder graph the worker already computed. The view
 * crosses the thread boundary by structured clone, which keeps shared references, so
 * `create.inv === invocations[i]` and `graph.builds[j].build === builds[k]` still hold on the other
 * side.
 */
import type { TextEdit } from 'vscode-languageserver';
import type { Diagnostic } from '../core/diagnostic';
import { type BuilderGraph, builderGraphOf } from '../buildx/builder-graph';
import type { FileModel } from '../buildx/model';
import type { Config } from '../engine/config';
import { copyGraph, IncrementalLint, ORDINARY, type OffsetShift, shiftOffsets } from '../engine/incremental';
import { type LanguageId, type LintResult, lintIfBuildx } from '../engine/lint';

export interface LintJobInput {
  uri: string;
  text: string;
  fileName: string;
  languageId: LanguageId | undefined;
  config: Config;
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
  | { type: 'close'; uri: string };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'lint'; id: number; diagnostics: Diagnostic[]; internalErrors: string[]; ms: number }
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
  const { regions: _regions, ...rest } = result.model;
  const [diagnostics, model, graphCopy] = viewCopy([result.diagnostics, { ...rest, regions: [] } as FileModel, graph]) as [Diagnostic[], FileModel, BuilderGraph];
  return { diagnostics, model, graph: graphCopy, internalErrors: [...result.internalErrors], ms };
}

/** lintView lints one document and returns its view. */
export function lintView(input: LintJobInput): { result: LintResult; view: LintView } {
  const t0 = performance.now();
  const result = lintIfBuildx({ text: input.text, fileName: input.fileName, languageId: input.languageId }, input.config);
  return { result, view: viewOf(result, performance.now() - t0) };
}

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
  /** The full result of `text`, when it was linted in full (fix-all and the view read it). */
  result: LintResult | null;
  /** The view of an earlier version and the offset moves since, applied when a view is asked for. */
  view: { view: LintView; pending: OffsetShift[] } | null;
  /** The full result of an earlier version, when no view of it was made yet, and the moves since. */
  base: { result: LintResult; pending: OffsetShift[] } | null;
}

/**
 * DocumentLints is the lint thread's per-document state: each version is linted incrementally
 * from the previous one (engine/incremental.ts). A version derived from the previous one has no
 * model of its own: its view is the previous view with the offsets moved, made only when a
 * request needs it, and fix-all lints it in full. Closing a document drops everything.
 */
export class DocumentLints {
  private readonly docs = new Map<string, DocumentState>();

  lint(input: LintJobInput): { diagnostics: Diagnostic[]; internalErrors: string[]; ms: number } {
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
        view: null,
        base: null,
      };
      this.docs.set(input.uri, doc);
    } else if (doc.text === input.text && doc.configKey === configKey && doc.fileName === input.fileName && doc.languageId === input.languageId) {
      return { diagnostics: doc.diagnostics, internalErrors: doc.internalErrors, ms: performance.now() - t0 };
    }
    // The previous full result is garbage once it is replaced: two models alive at once would
    // double the peak of a large file.
    if (doc.result && !doc.view && !doc.base) doc.base = { result: doc.result, pending: [] };
    doc.result = null;
    const state = doc;
    const update = doc.incremental.update({ text: input.text, fileName: input.fileName, languageId: input.languageId }, input.config, () => {
      state.base = null;
      state.view = null;
    });
    doc.text = input.text;
    doc.fileName = input.fileName;
    doc.languageId = input.languageId;
    doc.configKey = configKey;
    doc.config = input.config;
    doc.diagnostics = update.diagnostics;
    doc.internalErrors = update.internalErrors;
    if (update.result) {
      doc.result = update.result;
      doc.view = null;
      doc.base = null;
    } else {
      const shift = update.shift!;
      if (doc.view) doc.view.pending.push(shift);
      else if (doc.base) doc.base.pending.push(shift);
    }
    return { diagnostics: doc.diagnostics, internalErrors: doc.internalErrors, ms: performance.now() - t0 };
  }

  /** The view of the latest lint of a document, when it is of `text`; null otherwise. */
  view(uri: string, text: string): LintView | null {
    const doc = this.docs.get(uri);
    if (!doc || doc.text !== text) return null;
    if (doc.result) return viewOf(doc.result, 0);
    let moved: { view: LintView; pending: OffsetShift[] } | null = doc.view;
    if (!moved && doc.base) moved = { view: viewOf(doc.base.result, 0), pending: doc.base.pending };
    doc.base = null;
    if (!moved) return null;
    let view: LintView | null = moved.view;
    for (const shift of moved.pending) {
      view = view && shiftOffsets(view, shift);
      if (!view) break;
    }
    if (!view) {
      // An offset fell inside an edit the diagnostics did not touch: make the view from a full lint.
      doc.view = null;
      doc.result = lintIfBuildx({ text, fileName: doc.fileName, languageId: doc.languageId }, doc.config);
      return viewOf(doc.result, 0);
    }
    view.model.text = text;
    view.diagnostics = viewCopy(doc.diagnostics);
    view.internalErrors = [...doc.internalErrors];
    doc.view = { view, pending: [] };
    return view;
  }

  /** The full result of `input.text`: the kept one, or a full lint (kept when it is the latest text). */
  fullResult(input: LintJobInput): LintResult {
    const doc = this.docs.get(input.uri);
    const same = doc && doc.text === input.text && doc.configKey === JSON.stringify(input.config) && doc.fileName === input.fileName && doc.languageId === input.languageId;
    if (same && doc.result) return doc.result;
    const result = lintIfBuildx({ text: input.text, fileName: input.fileName, languageId: input.languageId }, input.config);
    if (same) {
      doc.result = result;
      doc.base = null;
    }
    return result;
  }

  /** Whether the latest version of a document was linted in full (not derived from the one before). */
  fullResultKept(uri: string): boolean {
    return !!this.docs.get(uri)?.result;
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }
}
