/**
 * LintScheduler runs the language server's lints off the main thread, in a small pool of worker
 * threads (`lint-worker.ts`), so requests the main thread answers (hover, completion, symbols,
 * code actions) never wait behind a lint.
 *
 *   - One result per open document: the diagnostics of its latest finished lint (`latest`). The
 *     model stays in the worker that linted it, which answers the requests about it (`ask`): a
 *     message each way, no copy of the model. Only the explain command copies the model (`view`).
 *     A newer lint replaces them; closing the document drops them here and in every worker.
 *   - A request waits at most for the job its worker is running (it goes before every queued
 *     lint), and no longer than the caller's budget: hover and completion then answer without
 *     the model, so a slow lint, of this document or another one on the same worker, never holds
 *     them up.
 *   - A document has at most one lint queued and one running. A new version replaces the queued
 *     one; a running lint of an older version is *stale*: its result is dropped, and when it has
 *     run longer than `staleBudgetMs` its worker is terminated and a fresh one started, so typing
 *     in a slow document never piles up work.
 *   - Up to `maxWorkers` lints of different documents run at once: a slow document occupies one
 *     worker while the others keep linting.
 *   - A lint that runs longer than `lintTimeoutMs`, or runs the worker out of memory, is stopped
 *     (the worker is terminated and replaced) and the document gets one KBX604 warning saying so,
 *     instead of no diagnostics at all. The same version is not linted again; the next edit is.
 *
 * Without a worker script (the sources run directly, not the bundle) the lints run on the main
 * thread, one at a time, with the same interface; time limits are then not enforced.
 */
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { TextEdit } from 'vscode-languageserver';
import type { Diagnostic } from '../core/diagnostic';
import type { BuilderGraph } from '../buildx/builder-graph';
import { type Config, withoutFindingsLimit } from '../engine/config';
import { findRule, lint } from '../engine/lint';
import type { FileModel } from '../buildx/model';
import { fixAllEdit } from './code-actions';
import { LineIndex } from '../core/source';
import { answerOn, DocumentLints, type FromWorker, type LintJobInput, type LintSummary, type LintView, lintView, type Question, type ToWorker, withReads } from './lint-job';

export interface SchedulerOptions {
  /** The worker bundle (`dist/lint-worker.js`); null or a missing file: lint on the main thread. */
  workerScript: string | null;
  /** Lints of different documents that may run at once (default 2). */
  maxWorkers?: number;
  /** A lint running longer is stopped and reported (default 30 s: wall time, and editors share the machine). */
  lintTimeoutMs?: number;
  /** A superseded lint running longer is stopped at once (default 1 s). */
  staleBudgetMs?: number;
  /** Old-generation heap limit of each worker, in MB (default 1024): past it the lint is stopped. */
  workerHeapMb?: number;
  /** Young-generation limit of each worker, in MB (default 6). */
  workerYoungMb?: number;
  /** Broken rule contracts throw in the worker too (the test suite). */
  strict?: boolean;
  log?: (message: string) => void;
}

/** A finished lint of one version of a document: its diagnostics (the model stays in the worker). */
export interface Finished {
  version: number;
  config: Config;
  text: string;
  diagnostics: Diagnostic[];
  internalErrors: string[];
  ms: number;
  /** The lint was stopped (time or memory); `diagnostics` holds the one warning that says so. */
  stopped?: boolean;
  /** The worker that holds the full result; null once it is gone (or on the main thread). */
  slot: Slot | null;
  /** The file's host and where each invocation is (start and end offsets in pairs): code actions read them. */
  host: FileModel['host'];
  commands: Int32Array;
  /** The other files the lint read (LintSummary.reads). */
  reads: string[];
  /** The input's depsKey: a lint of the same version with another key is no answer. */
  depsKey: string | undefined;
}

/** The main thread's copy of the model of a finished lint, fetched from the worker when a request needs it. */
export interface ViewEntry {
  version: number;
  config: Config;
  text: string;
  view: LintView;
}

interface Job {
  id: number;
  kind: 'lint' | 'fix-all' | 'view' | 'ask';
  question?: Question;
  /** A view job must run on the worker that holds the result. */
  pinned?: Slot;
  uri: string;
  version: number;
  input: LintJobInput;
  resolve: (value: unknown) => void;
  stale: boolean;
}

interface Slot {
  worker: Worker;
  /** The worker has loaded its bundle: time budgets count from here, not from the spawn. */
  ready: boolean;
  job: Job | null;
  startedAt: number;
  timer: ReturnType<typeof setTimeout> | null;
}

const STOP_RULE = 'KBX604';
/** How long a lint runs before the next worker is started for the other open documents. */
const PRESPAWN_MS = 50;

function emptyModel(input: LintJobInput): FileModel {
  return { text: input.text, fileName: input.fileName, host: 'shell', regions: [], invocations: [], creates: [], builds: [], syntaxErrors: [], hostProblems: [] } as unknown as FileModel;
}

/** The view a stopped lint leaves: one warning at the start of the file. */
function stoppedView(input: LintJobInput, message: string, ms: number): LintView {
  const meta = findRule(STOP_RULE)?.meta;
  const d: Diagnostic = { span: { start: 0, end: 0 }, severity: 'warning', code: STOP_RULE, name: meta?.name ?? 'input-too-large', message, help: 'the file is linted again after the next change' };
  const graph = { builds: [] } as unknown as BuilderGraph;
  return { diagnostics: [d], model: emptyModel(input), graph, internalErrors: [], ms };
}

export class LintScheduler {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly results = new Map<string, Finished>();
  private readonly views = new Map<string, ViewEntry>();
  private readonly fetching = new Map<string, { done: Finished; promise: Promise<ViewEntry | undefined> }>();
  private readonly lintMs = new Map<string, number>();
  private readonly open = new Set<string>();
  /** The worker that holds each document's latest lint. */
  private readonly homes = new Map<string, Slot>();
  private nextId = 1;
  private readonly workerScript: string | null;
  private readonly maxWorkers: number;
  private readonly lintTimeoutMs: number;
  private readonly staleBudgetMs: number;
  private inlineBusy = false;
  /** The documents of the main-thread fallback, linted incrementally like a worker does. */
  private readonly inline = new DocumentLints();

  constructor(private readonly options: SchedulerOptions) {
    this.workerScript = options.workerScript && fs.existsSync(options.workerScript) ? options.workerScript : null;
    this.maxWorkers = Math.max(1, options.maxWorkers ?? 2);
    this.lintTimeoutMs = options.lintTimeoutMs ?? 30_000;
    this.staleBudgetMs = options.staleBudgetMs ?? 1_000;
  }

  /** Whether lints run in worker threads (false: on the main thread). */
  get threaded(): boolean {
    return this.workerScript !== null;
  }

  /** Whether a lint of the document is running in a worker now. */
  linting(uri: string): boolean {
    return this.slots.some((s) => s.job?.kind === 'lint' && s.job.uri === uri);
  }

  /** The latest finished lint of a document, whatever its version. */
  latest(uri: string): Finished | undefined {
    return this.results.get(uri);
  }

  /**
   * view is the model of the latest finished lint of a document, copied from the worker that
   * holds it. When that worker is busy (linting), the view fetched before is answered at once,
   * of whatever older version, or undefined before the first: a request never waits behind a lint.
   * `wait` (commands the user runs) waits for the worker instead.
   */
  async view(uri: string, wait = false): Promise<ViewEntry | undefined> {
    const done = this.results.get(uri);
    const have = this.views.get(uri);
    if (!done || (have && have.version === done.version && have.config === done.config)) return have;
    const slot = done.slot;
    if (!slot || !this.slots.includes(slot) || (slot.job && !wait)) return have;
    const fetched = this.fetchView(uri, done, slot);
    // Copying a large model across threads takes a while: a request that may answer from the
    // view of an earlier version does so at once, and the fresh copy serves the next one.
    if (have && !wait) return have;
    return fetched;
  }

  /** fetchView copies the model of a finished lint from its worker, once per version. */
  private fetchView(uri: string, done: Finished, slot: Slot): Promise<ViewEntry | undefined> {
    const pending = this.fetching.get(uri);
    if (pending && pending.done === done) return pending.promise;
    const input: LintJobInput = { uri, text: done.text, fileName: '', languageId: undefined, config: done.config };
    const promise = new Promise<LintView | null>((resolve) => {
      this.queue.push({ id: this.nextId++, kind: 'view', pinned: slot, uri, version: done.version, input, resolve: resolve as (v: unknown) => void, stale: false });
      this.dispatch();
    }).then((view) => {
      if (this.fetching.get(uri)?.done === done) this.fetching.delete(uri);
      if (!view) return this.views.get(uri);
      const entry: ViewEntry = { version: done.version, config: done.config, text: done.text, view };
      if (this.open.has(uri) && this.results.get(uri) === done) this.views.set(uri, entry);
      return entry;
    });
    this.fetching.set(uri, { done, promise });
    return promise;
  }

  /**
   * ask answers a request about the model of the latest finished lint of a document, in the worker
   * that holds it; undefined before the first lint, when the worker is gone, or when the worker's
   * running job outlasts `waitMs`.
   */
  ask(uri: string, question: Question, waitMs = Number.POSITIVE_INFINITY): Promise<{ value: unknown } | undefined> {
    const done = this.results.get(uri);
    if (!done) return Promise.resolve(undefined);
    if (!this.workerScript) return Promise.resolve(this.inline.answer(uri, question) ?? undefined);
    if (!done.slot) {
      // A stopped lint: its one warning and empty model are kept here.
      const v = this.views.get(uri);
      return Promise.resolve(v ? { value: answerOn(v.view.model, new LineIndex(v.text), question) } : undefined);
    }
    const slot = this.homes.get(uri) ?? done.slot;
    if (!this.slots.includes(slot)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const input: LintJobInput = { uri, text: '', fileName: '', languageId: undefined, config: done.config };
      const job: Job = {
        id: this.nextId++,
        kind: 'ask',
        question,
        pinned: slot,
        uri,
        version: done.version,
        input,
        resolve: (v) => {
          if (timer) clearTimeout(timer);
          resolve((v as { value: unknown } | null) ?? undefined);
        },
        stale: false,
      };
      // Before every queued lint: a request waits at most for the running job.
      this.queue.unshift(job);
      this.dispatch();
      if (slot.job !== job && Number.isFinite(waitMs)) {
        timer = setTimeout(() => {
          const at = this.queue.indexOf(job);
          if (at >= 0) this.queue.splice(at, 1);
          job.stale = true;
          resolve(undefined);
        }, waitMs);
        timer.unref?.();
      }
    });
  }

  /** The wall time of the last lint of a document, or undefined before the first. */
  lastLintMs(uri: string): number | undefined {
    return this.lintMs.get(uri);
  }

  /**
   * lint resolves with the lint of `version` of a document, or null when a newer version
   * superseded it (or the document closed) first. A finished lint of the same version and
   * configuration is answered from the cache.
   */
  lint(version: number, input: LintJobInput): Promise<Finished | null> {
    const { uri } = input;
    this.open.add(uri);
    const done = this.results.get(uri);
    if (done && done.version === version && done.config === input.config && done.depsKey === input.depsKey) return Promise.resolve(done);
    const running = this.slots.find((s) => s.job?.kind === 'lint' && s.job.uri === uri && !s.job.stale);
    const queued = this.queue.find((j) => j.kind === 'lint' && j.uri === uri);
    const same = (j: Job | null | undefined) => j && j.version === version && j.input.config === input.config && j.input.text === input.text && j.input.depsKey === input.depsKey;
    if (same(running?.job) || same(queued)) {
      const job = (same(running?.job) ? running!.job : queued)!;
      return new Promise((resolve) => {
        const previous = job.resolve;
        job.resolve = (v) => {
          previous(v);
          resolve(v as Finished | null);
        };
      });
    }
    if (queued) {
      this.queue.splice(this.queue.indexOf(queued), 1);
      queued.resolve(null);
    }
    if (running) this.supersede(running);
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, kind: 'lint', uri, version, input, resolve: resolve as (v: unknown) => void, stale: false });
      this.dispatch();
    });
  }

  /** fixAll: the one edit applying every safe fix to `input.text` (computed where the lints run). */
  fixAll(version: number, input: LintJobInput): Promise<TextEdit | null> {
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, kind: 'fix-all', uri: input.uri, version, input, resolve: resolve as (v: unknown) => void, stale: false });
      this.dispatch();
    });
  }

  /** Forget every result (the settings changed); running lints finish but are not kept. */
  invalidate(): void {
    this.results.clear();
    this.views.clear();
    for (const s of this.slots) if (s.job?.kind === 'lint') s.job.stale = true;
    for (const j of this.queue.splice(0)) j.resolve(null);
  }

  /** close drops everything kept for a document, here and in the workers. */
  close(uri: string): void {
    this.open.delete(uri);
    this.results.delete(uri);
    this.views.delete(uri);
    this.fetching.delete(uri);
    this.lintMs.delete(uri);
    this.inline.close(uri);
    this.homes.delete(uri);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].uri === uri) this.queue.splice(i, 1)[0].resolve(null);
    }
    for (const s of this.slots) {
      if (s.job?.uri === uri) this.supersede(s);
      s.worker.postMessage({ type: 'close', uri } satisfies ToWorker);
    }
  }

  dispose(): void {
    for (const j of this.queue.splice(0)) j.resolve(null);
    for (const s of this.slots.splice(0)) {
      if (s.timer) clearTimeout(s.timer);
      s.job?.resolve(null);
      s.worker.terminate().catch(() => {});
    }
  }

  private supersede(slot: Slot): void {
    const job = slot.job!;
    job.stale = true;
    const elapsed = performance.now() - slot.startedAt;
    if (elapsed >= this.staleBudgetMs) this.stop(slot, null);
    else {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = setTimeout(() => {
        if (slot.job === job) this.stop(slot, null);
      }, this.staleBudgetMs - elapsed);
      slot.timer.unref?.();
    }
  }

  private dispatch(): void {
    if (!this.workerScript) {
      this.dispatchInline();
      return;
    }
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i];
      if (job.pinned) {
        if (!this.slots.includes(job.pinned)) {
          this.queue.splice(i, 1);
          job.resolve(null);
        } else if (job.pinned.job) i++;
        else {
          this.queue.splice(i, 1);
          this.start(job.pinned, job);
        }
        continue;
      }
      // One lint of a document at a time: a stale one still running holds the next back.
      if (this.slots.some((s) => s.job?.uri === job.uri)) {
        i++;
        continue;
      }
      // A document's lints go to the worker that holds its previous lint (it lints incrementally
      // from it); elsewhere only when that worker is busy with another document, and then the
      // old worker forgets the document, so one copy of its state is kept.
      const home = this.homes.get(job.uri);
      const homeAlive = home !== undefined && this.slots.includes(home);
      const slot = homeAlive && home.ready && !home.job ? home : this.slots.find((s) => s.ready && !s.job);
      if (!slot) {
        if (this.slots.length < this.maxWorkers && this.slots.every((s) => s.ready)) this.spawn();
        return;
      }
      if (homeAlive && home !== slot) home.worker.postMessage({ type: 'close', uri: job.uri } satisfies ToWorker);
      this.homes.set(job.uri, slot);
      this.queue.splice(i, 1);
      this.start(slot, job);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerScript!, {
      workerData: { strict: !!this.options.strict },
      // A small young generation: a lint allocates a lot that dies young, and V8's default
      // semi-spaces (16 MB each) held tens of MB of the server's peak RSS for no speed (a 5,000-line
      // script lints in the same CPU time with 2 MB ones).
      resourceLimits: { maxOldGenerationSizeMb: this.options.workerHeapMb ?? 1024, maxYoungGenerationSizeMb: this.options.workerYoungMb ?? 6 },
    });
    const slot: Slot = { worker, ready: false, job: null, startedAt: 0, timer: null };
    worker.unref();
    worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
    worker.on('error', (e: Error & { code?: string }) => {
      const memory = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.options.log?.(`kbx-lint: the lint worker stopped: ${e.message}`);
      this.stop(slot, memory ? 'kbx-lint stopped linting this file: the lint ran out of memory' : `kbx-lint stopped linting this file: ${e.message}`);
    });
    worker.on('exit', () => {
      if (this.slots.includes(slot)) this.stop(slot, 'kbx-lint stopped linting this file: the lint worker exited');
    });
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, job: Job): void {
    slot.job = job;
    slot.startedAt = performance.now();
    slot.timer = setTimeout(() => {
      if (slot.job === job) this.stop(slot, `kbx-lint stopped linting this file: the lint took longer than ${Math.round(this.lintTimeoutMs / 100) / 10} s`);
    }, this.lintTimeoutMs);
    slot.timer.unref?.();
    const m: ToWorker =
      job.kind === 'view'
        ? { type: 'view', id: job.id, uri: job.uri, text: job.input.text }
        : job.kind === 'ask'
          ? { type: 'ask', id: job.id, uri: job.uri, question: job.question! }
          : { type: job.kind, id: job.id, ...job.input };
    slot.worker.postMessage(m);
    // A lint that outlasts PRESPAWN_MS while other documents are open starts the next worker
    // ahead of need: their next edit is linted at once instead of after a worker's start-up
    // (about half a second on a loaded machine). With one document open none is started.
    if (job.kind === 'lint' && this.open.size > 1 && this.slots.length < this.maxWorkers) {
      const t = setTimeout(() => {
        if (slot.job === job && this.slots.includes(slot) && this.slots.length < this.maxWorkers && this.slots.every((s) => s.ready && s.job)) this.spawn();
      }, PRESPAWN_MS);
      t.unref?.();
    }
  }

  /** Worker threads running now (for tests and logs). */
  get workers(): number {
    return this.slots.length;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.type === 'ready') {
      slot.ready = true;
      this.dispatch();
      return;
    }
    const job = slot.job;
    if (!job || job.id !== m.id) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    if (m.type === 'lint') this.finish(job, { diagnostics: m.diagnostics, internalErrors: m.internalErrors, ms: m.ms, host: m.host, commands: m.commands, reads: m.reads }, slot);
    else if (m.type === 'fix-all') job.resolve(m.edit);
    else if (m.type === 'answer') job.resolve(m.answer);
    else if (m.type === 'view') job.resolve(m.view);
    else {
      this.options.log?.(`kbx-lint failed on ${job.uri}: ${m.message}`);
      job.resolve(null);
    }
    this.dispatch();
  }

  /** finish records a lint; `slot` holds its full result, else `view` (stopped, or on the main thread) is its model. */
  private finish(job: Job, lintPart: LintSummary, slot: Slot | null, view?: LintView, stopped = false): void {
    if (!this.open.has(job.uri)) {
      job.resolve(null);
      return;
    }
    this.lintMs.set(job.uri, lintPart.ms);
    if (job.stale) {
      job.resolve(null);
      return;
    }
    const done: Finished = {
      version: job.version,
      config: job.input.config,
      text: job.input.text,
      depsKey: job.input.depsKey,
      ...lintPart,
      slot,
      ...(stopped ? { stopped } : {}),
    };
    this.results.set(job.uri, done);
    if (view) this.views.set(job.uri, { version: job.version, config: job.input.config, text: job.input.text, view });
    job.resolve(done);
  }

  /** stop terminates a slot's worker (a fresh one is started on demand); `why`: report it on the document. */
  private stop(slot: Slot, why: string | null): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return;
    this.slots.splice(at, 1);
    if (slot.timer) clearTimeout(slot.timer);
    slot.worker.removeAllListeners('exit');
    slot.worker.terminate().catch(() => {});
    const job = slot.job;
    slot.job = null;
    if (job) {
      const ms = performance.now() - slot.startedAt;
      if (job.kind === 'lint' && why && !job.stale) {
        const view = stoppedView(job.input, why, ms);
        // A stopped lint says nothing of what it would read: what the one before read still counts.
        this.finish(job, { ...view, host: 'shell', commands: new Int32Array(0), reads: this.results.get(job.uri)?.reads ?? [] }, null, view, true);
      } else {
        if (job.kind === 'lint' && this.open.has(job.uri)) this.lintMs.set(job.uri, Math.max(ms, this.lintMs.get(job.uri) ?? 0));
        job.resolve(null);
      }
    }
    this.dispatch();
  }

  /** The main-thread fallback: one job per turn of the event loop, so requests interleave. */
  private dispatchInline(): void {
    if (this.inlineBusy || !this.queue.length) return;
    this.inlineBusy = true;
    setImmediate(() => {
      const job = this.queue.shift();
      this.inlineBusy = false;
      if (job) {
        try {
          if (job.kind === 'lint') {
            const part = this.inline.lint(job.input);
            const view = this.inline.view(job.uri, job.input.text) ?? lintView(job.input).view;
            this.finish(job, { ...part, diagnostics: view.diagnostics }, null, view);
          } else if (job.kind === 'view' || job.kind === 'ask') job.resolve(null);
          else {
            const result = this.inline.fullResult(job.input);
            job.resolve(
              fixAllEdit(
                job.input.text,
                result,
                (t) => withReads(job.input.buffers, () => lint({ text: t, fileName: job.input.fileName, languageId: job.input.languageId }, withoutFindingsLimit(job.input.config))).value,
              ),
            );
          }
        } catch (e) {
          this.options.log?.(`kbx-lint failed on ${job.uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
          job.resolve(null);
        }
      }
      this.dispatchInline();
    });
  }
}
