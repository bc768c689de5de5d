/**
 * One file's work, the same in this process and on a worker thread: lint it, explain it, or fix
 * it (and write it back). Tasks and results are plain data, so they cross a thread boundary by
 * structured clone; a result never holds the file model. A thrown exception becomes a `failed`
 * result here, in both places, so the CLI prints one message for it wherever it ran.
 */
import { parentPort } from 'node:worker_threads';
import type { Diagnostic } from '../core/diagnostic';
import { type Config, pastFindingsLimit, withoutFindingsLimit } from '../engine/config';
import { explainFile, type ExplainedInvocation } from '../engine/explain';
import { lint, mayContainBuildx, type LanguageId, type LintResult } from '../engine/lint';
import { type FixMode, type FixRunResult, runFixes } from './fix';
import { followGitlabPipeline, followMakeIncludes } from '../hosts/index';
import { isGitlabTemplate, localIncludes } from '../hosts/gitlab-ci';
import { diskIncludeFiles, makefileIncluding, readIncludedFile } from '../engine/make-includes';
import { gitlabPipelineFiles } from './walk';

// A Makefile's includes are read from the disk, next to the Makefile.
followMakeIncludes(diskIncludeFiles, makefileIncluding);
// So are the other files of a GitLab CI file's pipeline, whose templates its jobs extend (for a
// template no root pipeline includes, the GitLab templates of its folder).
followGitlabPipeline((file) => {
  const out: { text: string }[] = [];
  for (const f of gitlabPipelineFiles(file, localIncludes, isGitlabTemplate)) {
    const r = readIncludedFile(f);
    if (typeof r === 'object') out.push({ text: r.text });
  }
  return out;
});

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
  /** A file too large to be read: see LintInput.oversizeBytes. */
  oversizeBytes?: number;
}

export type TaskResult =
  /** `diagnostics` is null when the file turned out to hold no buildx command. */
  { kind: 'lint'; diagnostics: Diagnostic[] | null } | { kind: 'explain'; invocations: ExplainedInvocation[] | null } | { kind: 'fix'; fixed: FixRunResult } | { kind: 'failed'; message: string };

export function lintFile(inp: { text: string; path: string; languageId: LanguageId; oversizeBytes?: number }, config: Config): LintResult | null {
  if (inp.oversizeBytes !== undefined) return lint({ text: '', fileName: inp.path, languageId: inp.languageId, oversizeBytes: inp.oversizeBytes }, config);
  if (!mayContainBuildx(inp.text, inp.path, inp.languageId)) return null;
  return lint({ text: inp.text, fileName: inp.path, languageId: inp.languageId }, config);
}

export function runTask(t: FileTask): TaskResult {
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
        const proving = withoutFindingsLimit(t.config);
        const fixed = runFixes([input], {
          mode: t.fixMode ?? 'diff',
          unsafe: !!t.unsafe,
          lint: (inp) => lintFile({ ...inp, oversizeBytes: t.oversizeBytes }, proving),
          // What is printed is what a plain lint of the final text prints, cut where it cuts.
          report: (text, diagnostics) =>
            pastFindingsLimit(diagnostics, t.config) ? (lintFile({ ...input, text, oversizeBytes: t.oversizeBytes }, t.config)?.diagnostics ?? diagnostics) : diagnostics,
        });
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
