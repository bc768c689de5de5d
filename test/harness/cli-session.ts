/**
 * The CLI in process, the way the CLI tests drive it: a fresh temporary working directory per test
 * and main() with its output collected.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { main } from '../../server/src/cli/main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** runCli runs `kbx-lint ARGS…` in process and returns its exit code, stdout and stderr. */
export function runCli(...args: string[]): CliRun {
  let out = '';
  let err = '';
  const code = main(
    args,
    (s) => (out += s),
    (s) => (err += s),
  );
  return { code, out, err };
}

/**
 * inTempDir gives every test of the file its own empty working directory (removed afterwards);
 * `current()` is that directory.
 */
export function inTempDir(prefix: string): { current(): string } {
  let dir = '';
  let cwd = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    cwd = process.cwd();
    process.chdir(dir);
  });
  afterEach(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });
  return { current: () => dir };
}
