/**
 * The language server's lint thread (`dist/lint-worker.js`, started by `scheduler.ts`). It lints
 * one document at a time and keeps the full result of the latest lint of each document it linted
 * (for fix-all, which re-lints after each batch of fixes); the main thread keeps only the view.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LintResult } from '../engine/lint';
import { setStrictRuleContracts } from '../engine/lint';
import { fixAllEdit } from './code-actions';
import { type FromWorker, type LintJobInput, timedLint, type ToWorker, viewCopy, viewOf } from './lint-job';
import { lint, lintIfBuildx } from '../engine/lint';

if ((workerData as { strict?: boolean } | null)?.strict) setStrictRuleContracts(true);

/** One entry per document: the newest lint replaces the older, close drops it. */
const latest = new Map<string, { text: string; config: LintJobInput['config']; result: LintResult }>();

function post(m: FromWorker): void {
  parentPort!.postMessage(m);
}

function resultFor(input: LintJobInput): LintResult {
  const known = latest.get(input.uri);
  if (known && known.text === input.text && JSON.stringify(known.config) === JSON.stringify(input.config)) return known.result;
  const result = lintIfBuildx({ text: input.text, fileName: input.fileName, languageId: input.languageId }, input.config);
  latest.set(input.uri, { text: input.text, config: input.config, result });
  return result;
}

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'close') {
    latest.delete(m.uri);
    return;
  }
  try {
    if (m.type === 'lint') {
      // The previous result of the document is garbage from here: two models of a large file
      // alive at once would double the peak.
      latest.delete(m.uri);
      const { result, ms } = timedLint(m);
      latest.set(m.uri, { text: m.text, config: m.config, result });
      post({ type: 'lint', id: m.id, diagnostics: viewCopy(result.diagnostics), internalErrors: result.internalErrors, ms });
    } else if (m.type === 'view') {
      const known = latest.get(m.uri);
      post({ type: 'view', id: m.id, view: known && known.text === m.text ? viewOf(known.result, 0) : null });
    } else {
      const result = resultFor(m);
      const relint = (text: string) => {
        try {
          return lint({ text, fileName: m.fileName, languageId: m.languageId }, m.config);
        } catch {
          return null;
        }
      };
      post({ type: 'fix-all', id: m.id, edit: fixAllEdit(m.text, result, relint) });
    }
  } catch (e) {
    post({ type: 'error', id: m.id, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});

post({ type: 'ready' });
