/**
 * Discovery on hostile trees: links back up the tree and link loops end at once with each file
 * linted once; FIFOs, sockets and devices are never opened (a FIFO would block forever); names
 * that are not valid UTF-8 are linted and shown escaped; `.gitignore` files are read as git reads
 * them, a huge one included. Runs that could block go through a child process with a time limit.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover, escapeFileName } from '../../server/src/cli/discover';
import { inTempDir, runCli } from '../harness/cli-session';

const tmp = inTempDir('kbx-hostile-');
const CLI = join(__dirname, '../../dist/kbx-lint.js');
const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';
const hasMkfifo = spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status === 0;

/** The CLI as a child process, killed after a generous limit so a block shows as a failure. */
function cliProcess(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: tmp.current(), input, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

const filesOf = (out: string) =>
  JSON.parse(out)
    .diagnostics.map((d: { file: string }) => d.file)
    .sort();

describe('links', () => {
  it('links to the parent, the grandparent and the link itself, and a loop: each file once', () => {
    mkdirSync('t/a/b', { recursive: true });
    writeFileSync('t/a/b/x.sh', BAD);
    writeFileSync('t/a/y.sh', BAD);
    symlinkSync('..', 't/a/b/up');
    symlinkSync('../..', 't/a/b/top');
    symlinkSync('.', 't/a/self');
    symlinkSync('loop2', 't/loop1');
    symlinkSync('loop1', 't/loop2');
    symlinkSync('../../..', 't/a/b/out');
    const found = discover(['t'], { ignoreGlobs: [] });
    expect(found.files.map((f) => f.path).sort()).toEqual(['t/a/b/x.sh', 't/a/y.sh']);
    expect(found.errors).toEqual([]);
    const reasons = Object.fromEntries(found.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['t/loop1']).toMatch(/loop/);
    expect(reasons['t/a/b/out']).toBe('symbolic link leads outside the linted tree');
    const r = runCli('--format', 'json', 't');
    expect(r.code).toBe(1);
    expect(filesOf(r.out)).toEqual(['t/a/b/x.sh', 't/a/y.sh']);
  });

  it('a file reached by a link and by its own name is linted once', () => {
    mkdirSync('t/real', { recursive: true });
    writeFileSync('t/real/x.sh', BAD);
    symlinkSync('real/x.sh', 't/link.sh');
    symlinkSync('real', 't/alias');
    expect(discover(['t'], { ignoreGlobs: [] }).files).toHaveLength(1);
  });
});

describe.runIf(hasMkfifo)('FIFOs, sockets and devices', () => {
  it('a FIFO named on the command line is skipped, not opened', () => {
    writeFileSync('ok.sh', BAD);
    spawnSync('mkfifo', ['pipe.sh']);
    const r = cliProcess(['pipe.sh', 'ok.sh']);
    expect(r.signal).toBe(null);
    expect(r.code).toBe(1);
    expect(r.err).toContain('pipe.sh: skipped: not a regular file');
    expect(r.out).toContain('ok.sh:1:');
  });

  it('FIFOs in a walk, a FIFO .gitignore, and a link to a FIFO are left alone', () => {
    mkdirSync('t/d', { recursive: true });
    writeFileSync('t/d/ok.sh', BAD);
    spawnSync('mkfifo', ['t/d/pipe.sh', 't/.gitignore', 't/Makefile']);
    symlinkSync('d/pipe.sh', 't/to-pipe.sh');
    const r = cliProcess(['--verbose', '--format', 'json', 't']);
    expect(r.signal).toBe(null);
    expect(r.code).toBe(1);
    expect(filesOf(r.out)).toEqual(['t/d/ok.sh']);
    expect(r.err).toContain('t/d/pipe.sh: skipped: not a regular file');
    expect(r.err).toContain('t/to-pipe.sh: skipped: not a regular file');
  });

  it('a FIFO or a directory where a configuration file is expected is an error, never a block', () => {
    mkdirSync('t/fifo', { recursive: true });
    mkdirSync('t/dir/.kbx-lint.json', { recursive: true });
    writeFileSync('t/fifo/ok.sh', BAD);
    writeFileSync('t/dir/ok.sh', BAD);
    spawnSync('mkfifo', ['t/fifo/.kbx-lint.json', 't/named.json']);
    for (const [args, file] of [
      [['t/fifo/ok.sh'], 't/fifo/.kbx-lint.json'],
      [['--config', 't/named.json', 't/dir/ok.sh'], 't/named.json'],
      [['t/dir/ok.sh'], 't/dir/.kbx-lint.json'],
    ] as const) {
      const r = cliProcess([...args]);
      expect(r.signal, args.join(' ')).toBe(null);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`kbx-lint: ${file}: cannot read configuration: not a regular file\n`);
    }
  });

  it('/dev/stdin on a pipe and /dev/null given explicitly are skipped', () => {
    const r = cliProcess(['/dev/stdin', '/dev/null'], BAD);
    expect(r.signal).toBe(null);
    expect(r.code).toBe(0);
    expect(r.err).toContain('/dev/stdin: skipped: not a regular file');
    expect(r.err).toContain('/dev/null: skipped: not a regular file');
  });
});

describe('names that are not valid UTF-8', () => {
  it('are escaped byte by byte, valid characters kept', () => {
    expect(escapeFileName(Buffer.from([0x61, 0xff, 0x2e, 0x73, 0x68]))).toBe('a\\xff.sh');
    expect(escapeFileName(Buffer.from('é.sh'))).toBe('é.sh');
    expect(escapeFileName(Buffer.concat([Buffer.from('é'), Buffer.from([0xc3]), Buffer.from('x')]))).toBe('é\\xc3x');
  });

  it('a file and a directory with such names are linted and shown escaped', () => {
    mkdirSync('t');
    writeFileSync(Buffer.from('t/\xff.sh', 'latin1'), BAD);
    mkdirSync(Buffer.from('t/d\xfe', 'latin1'));
    writeFileSync(Buffer.from('t/d\xfe/x.sh', 'latin1'), BAD);
    writeFileSync(Buffer.from('t/d\xfe/run', 'latin1'), '#!/bin/sh\n' + BAD);
    writeFileSync('t/plain.sh', BAD);
    const r = runCli('--format', 'json', 't');
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(filesOf(r.out)).toEqual(['t/\\xff.sh', 't/d\\xfe/run', 't/d\\xfe/x.sh', 't/plain.sh']);
    const text = runCli('t');
    expect(text.out).toContain('t/\\xff.sh:1:');
    expect(text.out).not.toContain('\uFFFD');
  });

  it('a .gitignore matches such a name by its bytes', () => {
    mkdirSync('t');
    writeFileSync(Buffer.from('t/\xff.sh', 'latin1'), BAD);
    writeFileSync(Buffer.from('t/\xfe.sh', 'latin1'), BAD);
    writeFileSync(Buffer.from('t/.gitignore', 'latin1'), Buffer.from('\xff.sh\n', 'latin1'));
    expect(discover(['t'], { ignoreGlobs: [] }).files.map((f) => f.path)).toEqual(['t/\\xfe.sh']);
  });
});

describe('.gitignore in a walk', () => {
  it('the deepest file decides, and a file under an ignored directory stays ignored', () => {
    mkdirSync('t/keep/gen', { recursive: true });
    mkdirSync('t/gone', { recursive: true });
    writeFileSync('t/.gitignore', '*.sh\ngone/\n!gone/back.sh\n');
    writeFileSync('t/keep/.gitignore', '!*.sh\ngen/\n');
    writeFileSync('t/top.sh', BAD);
    writeFileSync('t/keep/kept.sh', BAD);
    writeFileSync('t/keep/gen/x.sh', BAD);
    writeFileSync('t/gone/back.sh', BAD);
    writeFileSync('t/Makefile', `all:\n\t${BAD}`);
    expect(filesOf(runCli('--format', 'json', 't').out)).toEqual(['t/Makefile', 't/keep/kept.sh']);
  });

  it('--exclude globs are relative to the walked directory', () => {
    mkdirSync('t/ci', { recursive: true });
    writeFileSync('t/ci/a.sh', BAD);
    writeFileSync('t/b.sh', BAD);
    expect(filesOf(runCli('--format', 'json', '--exclude', '/ci/', 't').out)).toEqual(['t/b.sh']);
  });

  it('a .gitignore with a quarter-megabyte line and 1600 `**/` is read and applied', () => {
    mkdirSync('t/a/b', { recursive: true });
    writeFileSync('t/a/b/x.sh', BAD);
    writeFileSync('t/a/b/y.sh', BAD);
    writeFileSync('t/.gitignore', `${'a*'.repeat(125_000)}\n${'*a'.repeat(60)}*b\n${'**/'.repeat(1600)}y.sh\n`);
    const r = cliProcess(['--format', 'json', 't']);
    expect(r.signal).toBe(null);
    expect(filesOf(r.out)).toEqual(['t/a/b/x.sh']);
  });
});

describe('file names that hold control characters or GitHub workflow commands', () => {
  const NAMES = ['a\nb:1:1: error: forged.sh', '::error file=x::forged.sh', ' ::warning::w.sh', '\x1b]0;title\x07\x1b[2J.sh', 'c\x9bd.sh'];
  /** A line the GitHub runner would read as a command: `::` after leading white space. */
  const commands = (out: string) => out.split('\n').filter((l) => /^\s*::/.test(l));

  it('never reach any line-oriented output raw, nor start a line or a command', () => {
    for (const n of NAMES) writeFileSync(n, 'docker buildx build --platform linux/x86_64 -t r/a .\n');
    writeFileSync('run', '#!/bin/sh\ndocker buildx build . ::x\n');
    mkdirSync('::error::dir\x1b');
    writeFileSync(join('::error::dir\x1b', 'x.sh'), 'docker\0binary');
    const runs: Record<string, string[]> = {
      text: ['.'],
      concise: ['--format', 'concise', '.'],
      github: ['--format', 'github', '.'],
      explain: ['explain', '.'],
      diff: ['--diff', '.'],
      verbose: ['--verbose', '.'],
    };
    for (const [what, args] of Object.entries(runs)) {
      const r = cliProcess(['--no-config', ...args]);
      expect(r.signal, what).toBe(null);
      for (const out of [r.out, r.err]) {
        expect(out, what).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
        expect(
          out.split('\n').filter((l) => l.startsWith('b:1:1')),
          what,
        ).toEqual([]);
        const forged = commands(out).filter((l) => !(what === 'github' && /^::(error|warning|notice) file=/.test(l)));
        expect(forged, what).toEqual([]);
      }
      const shown = { diff: 'a/::error file=x::forged.sh', github: 'file=%3A%3Aerror file=x%3A%3Aforged.sh', verbose: './::error::dir\\e/x.sh: skipped: binary file' }[what];
      expect(what === 'verbose' ? r.err : r.out, what).toContain(shown ?? './::error file=x::forged.sh');
    }
  });
});
