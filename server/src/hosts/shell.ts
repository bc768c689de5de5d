/**
 * Shell-script host: consumes the text of a shell script file and produces one region covering the
 * whole file (identity map), with the dialect read from the shebang.
 */
import { identity } from '../core/mapped-string';
import type { Dialect } from './region';
import type { HostResult } from './region';

const POSIX_SHELLS = new Set(['sh', 'dash', 'ash', 'posh']);
const BASH_LIKE = new Set(['bash', 'zsh', 'ksh', 'mksh', 'ksh93']);

/** Dialect named by a `#!` line, or null when the line is not a shebang naming a known shell. */
export function shellDialectFromShebang(firstLine: string): Dialect | null {
  if (!firstLine.startsWith('#!')) return null;
  const words = firstLine
    .slice(2)
    .trim()
    .split(/[ \t]+/);
  let prog = words[0] ?? '';
  let k = 1;
  if (prog.endsWith('/env')) {
    // `#!/usr/bin/env -S bash -e`: skip env options.
    while (k < words.length && words[k].startsWith('-')) k++;
    prog = words[k] ?? '';
  }
  const base = prog.slice(prog.lastIndexOf('/') + 1);
  if (POSIX_SHELLS.has(base)) return 'sh';
  if (BASH_LIKE.has(base)) return 'bash';
  return null;
}

export function readShellFile(text: string): HostResult {
  const nl = text.indexOf('\n');
  const firstLine = (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
  const dialect = shellDialectFromShebang(firstLine) ?? 'bash';
  return { regions: [{ source: identity(text), dialect, encoding: 'plain' }], problems: [] };
}
