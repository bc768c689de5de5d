/**
 * Runs a script under real bash (or a Makefile under real GNU make) with a stub `docker` first on
 * PATH. The stub records the argv of every call, so tests can compare what buildx would receive
 * before and after a fix. `docker buildx inspect` exits 1 (no such builder) so scripts that
 * create builders on demand take that path; every other call exits 0.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STUB = `#!/bin/sh
# Records argv, NUL-separated, one record per call terminated by an empty field marker.
log="$KBX_STUB_LOG"
for a in "$@"; do printf '%s\\0' "$a" >> "$log"; done
printf '\\036\\0' >> "$log"
case " $* " in *" inspect "*) exit 1 ;; esac
exit 0
`;

export interface StubRun {
  calls: string[][];
  status: number | null;
  stderr: string;
}

function parseLog(file: string): string[][] {
  if (!existsSync(file)) return [];
  const fields = readFileSync(file, 'utf8').split('\0');
  const calls: string[][] = [];
  let cur: string[] = [];
  for (const f of fields) {
    if (f === '\x1e') {
      calls.push(cur);
      cur = [];
    } else if (f !== '' || cur.length) cur.push(f);
  }
  return calls;
}

function withStub(fn: (dir: string, env: NodeJS.ProcessEnv) => { status: number | null; stderr: string }): StubRun {
  const dir = mkdtempSync(join(tmpdir(), 'kbx-stub-'));
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const name of ['docker', 'buildx', 'docker-buildx']) {
      writeFileSync(join(bin, name), STUB);
      chmodSync(join(bin, name), 0o755);
    }
    const log = join(dir, 'calls.log');
    const env = { PATH: `${bin}:/usr/bin:/bin`, KBX_STUB_LOG: log, HOME: '/home/kbx', USER: 'kbx', LC_ALL: 'C.UTF-8' };
    const r = fn(dir, env);
    return { calls: parseLog(log), status: r.status, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** runScript runs shell text with bash (or dash for dialect sh) and returns the recorded calls. */
export function runScript(script: string, shell: 'bash' | 'dash' = 'bash'): StubRun {
  return withStub((dir, env) => {
    const file = join(dir, 'script.sh');
    writeFileSync(file, script);
    const work = join(dir, 'work');
    mkdirSync(work);
    const r = spawnSync(shell, shell === 'bash' ? ['--norc', '--noprofile', file] : [file], { cwd: work, env, encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stderr: r.stderr };
  });
}

/** runMake runs `make -s -f Makefile targets…` and returns the recorded calls. */
export function runMake(makefile: string, targets: string[]): StubRun {
  return withStub((dir, env) => {
    const file = join(dir, 'Makefile');
    writeFileSync(file, makefile);
    const r = spawnSync('make', ['-s', '-i', '-f', file, ...targets], { cwd: dir, env, encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stderr: r.stderr };
  });
}
