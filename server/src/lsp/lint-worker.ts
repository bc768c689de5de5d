/**
 * The language server's lint thread (`dist/lint-worker.js`, started by `scheduler.ts`). It lints
 * one document at a time, each version incrementally from the previous one it linted
 * (`DocumentLints` in lint-job.ts), keeps what requests, the view and fix-all need, and answers
 * the requests about the documents it holds; the main thread keeps only the diagnostics.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { withoutFindingsLimit } from '../engine/config';
import { lint, setStrictRuleContracts } from '../engine/lint';
import { fixAllEdit } from './code-actions';
import { DocumentLints, type FromWorker, type ToWorker, viewCopy, withReads } from './lint-job';

if ((workerData as { strict?: boolean } | null)?.strict) setStrictRuleContracts(true);

/** Per document: the latest lint, linted incrementally from the one before; close drops it. */
const documents = new DocumentLints();

function post(m: FromWorker): void {
  parentPort!.postMessage(m);
}

parentPort!.on('message', (m: ToWorker) => {
  if (m.type === 'close') {
    documents.close(m.uri);
    return;
  }
  try {
    if (m.type === 'lint') {
      const summary = documents.lint(m);
      post({ type: 'lint', id: m.id, ...summary, diagnostics: viewCopy(summary.diagnostics) });
    } else if (m.type === 'ask') {
      post({ type: 'answer', id: m.id, answer: documents.answer(m.uri, m.question) });
    } else if (m.type === 'view') {
      post({ type: 'view', id: m.id, view: documents.view(m.uri, m.text) });
    } else {
      const result = documents.fullResult(m);
      const relint = (text: string) => {
        try {
          return withReads(m.buffers, () => lint({ text, fileName: m.fileName, languageId: m.languageId }, withoutFindingsLimit(m.config))).value;
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
