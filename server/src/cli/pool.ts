/**
 * A pool of lint threads that runs file tasks and hands the results back in the order the tasks
 * were given, each as soon as it and every task before it are done: output streams in the same
 * order, byte for byte, as a run in one thread. Tasks are pulled from the iterator only as the
 * threads have room, so a big tree is never read ahead by more than a few files per thread.
 *
 * The calling thread is one of the lint threads: between results it lints a task of its own, so
 * N threads take N - 1 workers. A worker costs a whole linter of its own (the bundle compiled
 * again, a heap that grows to some tens of MB), while the calling thread, which only reads files
 * and prints between the workers' results, would otherwise sit idle most of the run.
 *
 * A worker that dies (it cannot start, runs out of memory…) never hangs the run: the tasks it
 * held become failed results, and the calling thread lints the rest.
 */
import { Worker } from 'node:worker_threads';
import { type FileTask, runTask, type TaskResult } from './worker';

/**
 * A worker's young generation, in MB. V8's default lets it grow to three 16 MB semi-spaces in
 * every thread, most of the peak memory of a parallel run; a file's lint allocates in bursts that
 * a small one collects about as fast (linting 100 files of the dense benchmark corpus on two
 * threads: peak RSS 204 MB by default, 160 MB with 8 MB, 149 MB with 4 MB).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** How many tasks each worker holds at once: one running, one waiting, so it never idles. */
const AHEAD = 2;
/** The calling thread lints one task at a time, when it has nothing else to do. */
const AHEAD_HERE = 1;

interface Slot {
  /** null: the calling thread. */
  worker: Worker | null;
  /** Indexes of the tasks sent to this worker, oldest first: a worker answers in order. */
  queue: number[];
  alive: boolean;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly done = new Map<number, TaskResult>();
  /** The tasks this thread holds, by index. */
  private readonly mine = new Map<number, FileTask>();
  private wake: (() => void) | null = null;

  /**
   * `threads` lint threads: this one and `threads - 1` workers. `file` is the script a worker
   * runs; it must call serveWorker() when `workerData.kbxLintWorker` is set. `onStarted` is
   * called once every worker is running (never if one fails to start).
   */
  constructor(file: string, threads: number, onStarted?: () => void) {
    let online = 0;
    for (let i = 0; i < threads - 1; i++) {
      const worker = new Worker(file, { workerData: { kbxLintWorker: true }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      // The run decides when the process ends, not an idle worker; a busy one holds the process
      // open, or its death (the only event left) could end the process unreported.
      worker.unref();
      const slot: Slot = { worker, queue: [], alive: true };
      worker.on('message', (r: TaskResult) => {
        const index = slot.queue.shift();
        if (!slot.queue.length) worker.unref();
        if (index !== undefined) this.settle(index, r);
      });
      const stop = (why: string) => {
        if (!slot.alive) return;
        slot.alive = false;
        for (const index of slot.queue) this.settle(index, { kind: 'failed', message: `the worker thread stopped: ${why}` });
        slot.queue = [];
      };
      worker.once('online', () => {
        if (++online === threads - 1) onStarted?.();
      });
      worker.on('error', (e) => stop(e.message));
      worker.on('exit', (code) => stop(`exit code ${code}`));
      this.slots.push(slot);
    }
    // Last, so the workers are given their tasks first.
    this.slots.push({ worker: null, queue: [], alive: true });
  }

  get size(): number {
    return this.slots.length;
  }

  private settle(index: number, r: TaskResult): void {
    this.done.set(index, r);
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** The least busy live thread with room for one more task, or null. */
  private freeSlot(): Slot | null {
    let best: Slot | null = null;
    for (const s of this.slots) if (s.alive && s.queue.length < (s.worker ? AHEAD : AHEAD_HERE) && (!best || s.queue.length < best.queue.length)) best = s;
    return best;
  }

  private get here(): Slot {
    return this.slots[this.slots.length - 1];
  }

  /**
   * run yields `[item, result]` for every item, in the items' order. `toTask` turns an item into
   * the task sent to a worker; an item for which it returns a result instead needs no worker.
   */
  async *run<T>(items: Iterable<T>, toTask: (item: T) => FileTask | TaskResult): AsyncGenerator<[T, TaskResult]> {
    const it = items[Symbol.iterator]();
    const held = new Map<number, T>();
    let next = 0;
    let given = 0;
    let exhausted = false;
    for (;;) {
      // Fill the workers; items that need none settle at once.
      while (!exhausted && next - given < this.slots.length * AHEAD * 2) {
        const slot = this.freeSlot();
        if (!slot) break;
        const step = it.next();
        if (step.done) {
          exhausted = true;
          break;
        }
        const index = next++;
        held.set(index, step.value);
        const task = toTask(step.value);
        if (!('path' in task)) this.done.set(index, task);
        else {
          slot.queue.push(index);
          if (slot.worker) {
            slot.worker.ref();
            slot.worker.postMessage(task);
          } else this.mine.set(index, task);
        }
      }
      if (exhausted && given === next) return;
      const r = this.done.get(given);
      if (r !== undefined) {
        this.done.delete(given);
        const item = held.get(given)!;
        held.delete(given);
        given++;
        yield [item, r];
        continue;
      }
      const here = this.here;
      if (here.queue.length) {
        const index = here.queue.shift()!;
        const task = this.mine.get(index)!;
        this.mine.delete(index);
        this.done.set(index, runTask(task));
        // The workers' answers are read by the event loop: let it run before the next task.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Stops every worker; the pool cannot be used afterwards. */
  close(): void {
    for (const s of this.slots) {
      s.alive = false;
      void s.worker?.terminate();
    }
  }
}
