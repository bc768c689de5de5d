/**
 * Temporary directories that remove themselves. `tempDir(prefix)` makes a fresh directory under the
 * system's temporary directory and registers its removal with vitest: made inside a test, it goes
 * when that test finishes; made while a file is collected (at the top of a file or in a describe
 * body), when that file or describe block has run. Either way, passed or failed. Do not call it from
 * a beforeAll/afterAll hook: there is no test to attach to and the suite has been collected already.
 */
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * removeTree deletes a directory and everything in it, also when a test left parts of it
 * read-only: a directory without write or search permission keeps its entries from a user that is
 * not root, so every directory is given back u+rwx first (files need no write permission to go).
 */
export function removeTree(path: string): void {
  allowRemoval(path);
  rmSync(path, { recursive: true, force: true });
}

function allowRemoval(path: string): void {
  let mode: number;
  try {
    const st = lstatSync(path);
    if (!st.isDirectory()) return;
    mode = st.mode;
  } catch {
    return;
  }
  if ((mode & 0o700) !== 0o700) chmodSync(path, mode | 0o700);
  for (const entry of readdirSync(path)) allowRemoval(join(path, entry));
}

/** tempDir makes `<tmp>/<prefix>XXXXXX` and removes it when the current test or suite ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => removeTree(dir);
  try {
    onTestFinished(remove);
  } catch {
    // Not inside a test: the file or describe block being collected removes it when it has run.
    afterAll(remove);
  }
  return dir;
}
