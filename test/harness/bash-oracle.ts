/**
 * Test oracle: runs a shell script with a real shell in an empty temporary directory and returns
 * the NUL-separated fields it printed (scripts use `printf '%s\0' …`). Also small parse helpers
 * shared by the shell tests (parse with the identity map, collect commands and argv).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identity } from '../../server/src/core/mapped-string';
import type { Dialect, Script, SimpleCommand } from '../../server/src/shell/ast';
import { expandWord } from '../../server/src/shell/expand';
import { parseShell } from '../../server/src/shell/parser';
import { walkSimpleCommands, type CommandContext } from '../../server/src/shell/walk';

export type OracleShell = 'bash' | 'dash';

export function shellAvailable(shell: OracleShell): boolean {
  const r = spawnSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' });
  return r.status === 0;
}

export interface OracleRun {
  fields: string[];
  status: number | null;
  stderr: string;
}

/** Runs one script; every field printed by `printf '%s\0'` comes back as one string. */
export function runShell(shell: OracleShell, script: string): OracleRun {
  const dir = mkdtempSync(join(tmpdir(), 'kbx-oracle-'));
  try {
    const work = join(dir, 'empty');
    const file = join(dir, 'script.sh');
    mkdirSync(work);
    writeFileSync(file, script);
    const args = shell === 'bash' ? ['--norc', '--noprofile', file] : [file];
    const r = spawnSync(shell, args, {
      cwd: work,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C.UTF-8', HOME: work },
      encoding: 'utf8',
      timeout: 10_000,
    });
    const out = r.stdout ?? '';
    const fields = out.length ? out.split('\0') : [];
    if (fields.length && fields[fields.length - 1] === '') fields.pop();
    return { fields, status: r.status, stderr: r.stderr ?? '' };
  } finally {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

export { mulberry32 } from './random';

export function parse(text: string, dialect: Dialect = 'bash'): Script {
  return parseShell(identity(text), { dialect });
}

export function commands(text: string, dialect: Dialect = 'bash'): { cmd: SimpleCommand; ctx: CommandContext }[] {
  const out: { cmd: SimpleCommand; ctx: CommandContext }[] = [];
  walkSimpleCommands(parse(text, dialect), (cmd, ctx) => out.push({ cmd, ctx }));
  return out;
}

export function argv(cmd: SimpleCommand, dialect: Dialect = 'bash'): string[] {
  return cmd.words.flatMap((w) => expandWord(w, dialect).map((f) => f.value.text));
}

/** argv of every command found, as space-joined strings. */
export function allArgv(text: string, dialect: Dialect = 'bash'): string[] {
  return commands(text, dialect).map(({ cmd }) => argv(cmd, dialect).join(' '));
}
