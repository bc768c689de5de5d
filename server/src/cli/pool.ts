/**
 * A pool of worker threads that runs file tasks and hands the results back in the order the
 * tasks were given, each as soon as it and every task before it are done: output streams in the
 * same order, byte for byte, as a run in one thread. Tasks are pulled from the iterator only as
 * workers have room, so a big tree is never read ahead by more than a few files per worker.
 *
 * A worker that dies (it cannot start, runs out of memory…) never hangs the run: the tasks it
 * held become failed results, and once no worker is left the rest run in this thread.
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

interface Slot {
  worker: Worker;
  /** Indexes of the tasks sent to this worker, oldest first: a worker answers in order. */
  queue: number[];
  alive: boolean;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly done = new Map<number, TaskResult>();
  private wake: (() => void) | null = null;

  /** `file` is the script a worker runs; it must call serveWorker() when `workerData.kbxLintWorker` is set. */
  constructor(file: string, size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(file, { workerData: { kbxLintWorker: true }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      // The run decides when the process ends, not an idle worker.
      worker.unref();
      const slot: Slot = { worker, queue: [], alive: true };
      worker.on('message', (r: TaskResult) => {
        const index = slot.queue.shift();
        if (index !== undefined) this.settle(index, r);
      });
      const stop = (why: string) => {
        if (!slot.alive) return;
        slot.alive = false;
        for (const index of slot.queue) this.settle(index, { kind: 'failed', message: `the worker thread stopped: ${why}` });
        slot.queue = [];
      };
      worker.on('error', (e) => stop(e.message));
      worker.on('exit', (code) => stop(`exit code ${code}`));
      this.slots.push(slot);
    }
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

  /** The least busy live worker with room for one more task, or null. */
  private freeSlot(): Slot | null {
    let best: Slot | null = null;
    for (const s of this.slots) if (s.alive && s.queue.length < AHEAD && (!best || s.queue.length < best.queue.length)) best = s;
    return best;
  }

  private anyAlive(): boolean {
    return this.slots.some((s) => s.alive);
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
        if (!slot && this.anyAlive()) break;
        const step = it.next();
        if (step.done) {
          exhausted = true;
          break;
        }
        const index = next++;
        held.set(index, step.value);
        const task = toTask(step.value);
        if (!('path' in task)) this.done.set(index, task);
        else if (!slot) this.done.set(index, runTask(task));
        else {
          slot.queue.push(index);
          slot.worker.postMessage(task);
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
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Stops every worker; the pool cannot be used afterwards. */
  close(): void {
    for (const s of this.slots) {
      s.alive = false;
      void s.worker.terminate();
    }
  }
}
