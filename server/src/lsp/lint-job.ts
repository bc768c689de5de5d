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
import { isLazyMapped, plainMapped } from '../core/mapped-string';
import { type BuilderGraph, builderGraphOf } from '../buildx/builder-graph';
import type { FileModel } from '../buildx/model';
import type { Config } from '../engine/config';
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
 * shared references shared. Iterative (an explicit stack), so no input can make it recurse deep.
 */
export function viewCopy<T>(root: T): T {
  const copies = new Map<object, unknown>();
  const stack: [object, object][] = [];
  const copyOf = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return typeof v === 'function' ? undefined : v;
    const known = copies.get(v);
    if (known !== undefined) return known;
    // The offset maps of mapped strings are views into larger buffers: a clone would carry the
    // whole buffer, so each is copied to its own extent.
    // A run-backed mapped string keeps its map behind getters, which a clone drops.
    if (isLazyMapped(v)) {
      const c = plainMapped(v);
      copies.set(v, c);
      return c;
    }
    if (v instanceof Int32Array) {
      const c = v.slice();
      copies.set(v, c);
      return c;
    }
    if (ArrayBuffer.isView(v) || v instanceof RegExp || v instanceof Date) return v;
    const out: object = Array.isArray(v) ? new Array(v.length) : v instanceof Map ? new Map() : v instanceof Set ? new Set() : {};
    copies.set(v, out);
    stack.push([v, out]);
    return out;
  };
  const top = copyOf(root);
  while (stack.length) {
    const [from, to] = stack.pop()!;
    if (Array.isArray(from)) {
      for (let i = 0; i < from.length; i++) (to as unknown[])[i] = copyOf(from[i]);
    } else if (from instanceof Map) {
      for (const [k, v] of from) if (typeof v !== 'function') (to as Map<unknown, unknown>).set(copyOf(k), copyOf(v));
    } else if (from instanceof Set) {
      for (const v of from) (to as Set<unknown>).add(copyOf(v));
    } else {
      for (const key of Object.keys(from)) {
        if (ENGINE_ONLY.has(key)) continue;
        const value = (from as Record<string, unknown>)[key];
        if (typeof value === 'function') continue;
        (to as Record<string, unknown>)[key] = copyOf(value);
      }
    }
  }
  return top as T;
}

/** viewOf turns a lint result into what the main thread keeps. */
export function viewOf(result: LintResult, ms: number): LintView {
  const graph = builderGraphOf(result.model);
  const { regions: _regions, ...rest } = result.model;
  const [diagnostics, model, graphCopy] = viewCopy([result.diagnostics, { ...rest, regions: [] } as FileModel, graph]) as [Diagnostic[], FileModel, BuilderGraph];
  return { diagnostics, model, graph: graphCopy, internalErrors: [...result.internalErrors], ms };
}

/** The diagnostics part of a lint, which crosses to the main thread at once (the view only when asked). */
export function timedLint(input: LintJobInput): { result: LintResult; ms: number } {
  const t0 = performance.now();
  const result = lintIfBuildx({ text: input.text, fileName: input.fileName, languageId: input.languageId }, input.config);
  return { result, ms: performance.now() - t0 };
}

/** lintView lints one document and returns its view. */
export function lintView(input: LintJobInput): { result: LintResult; view: LintView } {
  const t0 = performance.now();
  const result = lintIfBuildx({ text: input.text, fileName: input.fileName, languageId: input.languageId }, input.config);
  return { result, view: viewOf(result, performance.now() - t0) };
}
