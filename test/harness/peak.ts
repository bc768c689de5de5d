/**
 * The peak resident memory of a real `kbx-lint` process (the built dist/kbx-lint-cli.js) linting
 * a text read from standard input: the kernel's maximum RSS of the process, read by the process
 * itself as it exits. Memory tests compare two of these measured in the same test.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(__dirname, '../../dist/kbx-lint-cli.js');

/** Peak RSS in KB of `kbx-lint --no-config ARGS… --stdin-filename NAME -` on `text`. */
export function peakKB(text: string, fileName: string, args: string[] = ['--format', 'json']): number {
  const argv = ['--no-config', ...args, '--stdin-filename', fileName, '-'];
  const script = `process.on('exit', () => process.stderr.write('\\nPEAK ' + process.resourceUsage().maxRSS + '\\n'));
require(${JSON.stringify(CLI)}).runProcess(${JSON.stringify(argv)});`;
  const r = spawnSync(process.execPath, ['-e', script], { input: text, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const m = /PEAK (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no peak reported: ${r.stderr.slice(-500)}`);
  return Number(m[1]);
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Peak RSS in KB of `kbx-lint --no-config ARGS…` run on files (paths among the arguments). */
export function peakKBOfRun(args: string[]): number {
  const argv = ['--no-config', ...args];
  const script = `process.on('exit', () => process.stderr.write('\\nPEAK ' + process.resourceUsage().maxRSS + '\\n'));
require(${JSON.stringify(CLI)}).runProcess(${JSON.stringify(argv)});`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const m = /PEAK (\d+)/.exec(r.stderr);
  if (!m) throw new Error(`no peak reported: ${r.stderr.slice(-500)}`);
  return Number(m[1]);
}
