/**
 * The worker pool of `--jobs` (server/src/cli/pool.ts) on real threads: N lint threads are this
 * one and N - 1 workers, the results come back in the tasks' order and equal a lint in this
 * thread, and when the workers die this thread lints everything they did not hold.
 * `npm run build` first (the workers run the built linter bundle).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../server/src/engine/config';
import { WorkerPool } from '../../server/src/cli/pool';
import { type FileTask, runTask, type TaskResult } from '../../server/src/cli/worker';

const WORKER = join(__dirname, '../../dist/kbx-lint-cli.js');

/** Scripts with findings of different sizes, so the threads finish out of order. */
function tasks(n: number): FileTask[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'lint',
    path: `f${i}.sh`,
    languageId: 'shellscript',
    config: DEFAULT_CONFIG,
    text: `#!/bin/sh\n${'echo pad\n'.repeat((i % 3) * 200)}docker buildx create --driver kubernetes --driver-opt nodeselector=a=${i},b=2\ndocker buildx build --platform linux/x86_64 -t app:${i} .\n`,
  }));
}

async function collect(pool: WorkerPool, items: FileTask[]): Promise<Array<[FileTask, TaskResult]>> {
  const out: Array<[FileTask, TaskResult]> = [];
  try {
    for await (const pair of pool.run(items, (t) => t)) out.push(pair);
  } finally {
    pool.close();
  }
  return out;
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kbx-pool-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('WorkerPool', () => {
  it('N threads are this one and N - 1 workers, and every result equals a lint here, in order', async () => {
    const items = tasks(12);
    let started = 0;
    const pool = new WorkerPool(WORKER, 3, () => started++);
    expect(pool.size).toBe(3);
    const got = await collect(pool, items);
    expect(got.map(([t]) => t.path)).toEqual(items.map((t) => t.path));
    for (const [t, r] of got) {
      expect(r.kind).toBe('lint');
      expect(r).toEqual(runTask(t));
    }
    expect((got[0][1] as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(0);
    // Both workers came up, and said so once.
    expect(started).toBe(1);
  });

  it('one thread is this one alone: no worker is started', async () => {
    const items = tasks(4);
    let started = 0;
    // A worker script that does not exist would fail every task it was given.
    const got = await collect(new WorkerPool(join(work, 'missing.js'), 1, () => started++), items);
    expect(got.map(([, r]) => r)).toEqual(items.map((t) => runTask(t)));
    expect(started).toBe(0);
  });

  it('workers that die fail the tasks they held, and this thread lints all the others', async () => {
    const dying = join(work, 'dying.js');
    writeFileSync(dying, 'process.exit(5);\n');
    const items = tasks(10);
    const got = await collect(new WorkerPool(dying, 3), items);
    expect(got.map(([t]) => t.path)).toEqual(items.map((t) => t.path));
    const failed = got.filter(([, r]) => r.kind === 'failed');
    // Each of the two workers held at most two tasks when it stopped.
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThanOrEqual(4);
    for (const [, r] of failed) expect(r).toEqual({ kind: 'failed', message: 'the worker thread stopped: exit code 5' });
    for (const [t, r] of got) if (r.kind !== 'failed') expect(r).toEqual(runTask(t));
    expect(got.length - failed.length).toBeGreaterThanOrEqual(6);
  });
});
