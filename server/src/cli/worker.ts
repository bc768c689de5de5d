/**
 * One file's work, the same in this process and on a worker thread: lint it, explain it, or fix
 * it (and write it back). Tasks and results are plain data, so they cross a thread boundary by
 * structured clone; a result never holds the file model. A thrown exception becomes a `failed`
 * result here, in both places, so the CLI prints one message for it wherever it ran.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { parentPort } from 'node:worker_threads';
import type { Diagnostic } from '../core/diagnostic';
import type { Config } from '../engine/config';
import { explainFile, type ExplainedInvocation } from '../engine/explain';
import { lint, mayContainBuildx, type LanguageId, type LintResult } from '../engine/lint';
import { type FixMode, type FixRunResult, runFixes } from './fix';

export interface FileTask {
  kind: 'lint' | 'explain' | 'fix';
  path: string;
  text: string;
  languageId: LanguageId;
  config: Config;
  /** The bytes read, for --fix: the UTF-8 check and the safe write compare against them. */
  raw?: Uint8Array;
  stdin?: boolean;
  fixMode?: FixMode;
  unsafe?: boolean;
}

export type TaskResult =
  /** `diagnostics` is null when the file turned out to hold no buildx command. */
  { kind: 'lint'; diagnostics: Diagnostic[] | null } | { kind: 'explain'; invocations: ExplainedInvocation[] | null } | { kind: 'fix'; fixed: FixRunResult } | { kind: 'failed'; message: string };

export function lintFile(inp: { text: string; path: string; languageId: LanguageId }, config: Config): LintResult | null {
  if (!mayContainBuildx(inp.text, inp.path, inp.languageId)) return null;
  return lint({ text: inp.text, fileName: inp.path, languageId: inp.languageId }, config);
}

/**
 * How far the old generation may grow past what was alive after the last collection. V8 lets what
 * a file's lint promoted there pile up until it is several times what is alive (linting the dense
 * benchmark corpus: 68 MB used for 13 MB alive, in each thread); all of it is dead once the file's
 * result is out, so a full collection then costs little (little is alive) and keeps the peak near
 * what is alive. A worker's young generation is sized by the pool (pool.ts).
 */
const OLD_SLACK = 8 * 1024 * 1024;

let collect: (() => void) | null | undefined;
let oldAfterCollection = 0;

function oldGenerationUsed(): number {
  let used = 0;
  for (const s of v8.getHeapSpaceStatistics()) if (s.space_name === 'old_space' || s.space_name === 'large_object_space') used += s.space_used_size;
  return used;
}

/** keepHeapSmall collects the heap between two files when the old generation has grown by OLD_SLACK. */
export function keepHeapSmall(): void {
  const used = oldGenerationUsed();
  if (used < oldAfterCollection + OLD_SLACK) return;
  if (collect === undefined) {
    // The collector is offered to contexts made after the flag is set; this one never sees it.
    try {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  if (!collect) return;
  collect();
  oldAfterCollection = oldGenerationUsed();
}

export function runTask(t: FileTask): TaskResult {
  try {
    return runTaskUnchecked(t);
  } finally {
    keepHeapSmall();
  }
}

function runTaskUnchecked(t: FileTask): TaskResult {
  try {
    switch (t.kind) {
      case 'lint':
        return { kind: 'lint', diagnostics: lintFile(t, t.config)?.diagnostics ?? null };
      case 'explain': {
        const r = lintFile(t, t.config);
        return { kind: 'explain', invocations: r ? explainFile(t.path, r.model) : null };
      }
      case 'fix': {
        // A Buffer arrives from another thread as a plain Uint8Array.
        const raw = Buffer.isBuffer(t.raw) ? t.raw : Buffer.from(t.raw!.buffer, t.raw!.byteOffset, t.raw!.byteLength);
        const input = { path: t.path, text: t.text, raw, languageId: t.languageId, stdin: t.stdin };
        const fixed = runFixes([input], { mode: t.fixMode ?? 'diff', unsafe: !!t.unsafe, lint: (inp) => lintFile(inp, t.config) });
        return { kind: 'fix', fixed };
      }
    }
  } catch (e) {
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}

/** The message for a file whose task failed, printed on stderr by the CLI. */
export function failureMessage(path: string, message: string): string {
  return `${path}: internal error while reading this file: ${message}; please report it with the file\n`;
}

/** serveWorker answers tasks on this worker thread, one result message per task, in order. */
export function serveWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorker runs on a worker thread');
  port.on('message', (t: FileTask) => {
    const result = runTask(t);
    try {
      port.postMessage(result);
    } catch (e) {
      // A result that cannot be cloned must still answer its task, or the pool would wait forever.
      port.postMessage({ kind: 'failed', message: (e as Error).message } satisfies TaskResult);
    }
  });
}
