/**
 * V8 heap settings for the `kbx-lint` process, set at run time because a package bin cannot
 * pass flags to node. A lint keeps little alive (about 12 MB per thread once the linter's code
 * is compiled) but allocates a model per file that dies when the file is done; by default V8
 * lets such a heap grow to four times what survived before collecting it, and lets the main
 * thread's young generation grow to 48 MB. Both are most of the peak memory of a run (the
 * dense benchmark corpus: 224 MB by default, 131 MB with both settings, the same CPU time;
 * docs/architecture.md). Only the bin calls these: a program that loads the CLI as a module
 * (the tests) keeps its own heap.
 */
import * as v8 from 'node:v8';

/**
 * Collect the old generation once it has grown by half over what the last collection kept,
 * not fourfold. Read by V8 at every collection of every thread, workers included. Set only for
 * a run on workers: in one thread it cost 10-20% more CPU time for 35 MB less.
 */
export function growOldGenerationSlowly(): void {
  v8.setFlagsFromString('--heap-growing-percent=50');
}

/**
 * Keep this thread's young generation at the size it has now (a few MB): its collections stay
 * cheap, since a file's garbage dies young, and it never grows to 48 MB. V8 puts the growth
 * factor back to its default whenever it creates an isolate, so this is called once the
 * workers are running (WorkerPool's `onStarted`), or at once when there are none.
 */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
