/**
 * The start-up stage of dist/kbx-lint.js walks the tree and pre-filters every file itself, and
 * ends a run in which no file mentions buildx or docker without loading the linter. Everything it
 * does must be invisible: on every tree and argv, the entry prints the same bytes and exits with
 * the same status as the linter bundle run directly (which never takes that path). A copy of the
 * entry without the linter bundle beside it shows which runs ended early: loading the linter
 * fails there.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quietLintArgs } from '../../server/src/cli/entry';
import { inTempDir, runCli } from '../harness/cli-session';
import { mulberry32 } from '../harness/random';

const DIST = join(__dirname, '../../dist');
const ENTRY = join(DIST, 'kbx-lint.js');
const LINTER = join(DIST, 'kbx-lint-cli.js');
const tmp = inTempDir('kbx-quiet-');
const hasMkfifo = spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).status === 0;
// Every case starts two or three node processes: give a loaded machine time.
const SLOW = 300_000;

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: tmp.current(), encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The entry alone in a directory: it can end quiet runs, and fails to load the linter for any other. */
function loneEntry(): string {
  const dir = join(tmp.current(), '.lone');
  mkdirSync(dir);
  copyFileSync(ENTRY, join(dir, 'kbx-lint.js'));
  return join(dir, 'kbx-lint.js');
}

function expectSameAsLinter(args: string[], env: Record<string, string> = {}) {
  const viaEntry = run(ENTRY, args, env);
  const direct = run(LINTER, args, env);
  expect(viaEntry, args.join(' ')).toEqual(direct);
  return viaEntry;
}

const PLAIN = '#!/bin/sh\nset -e\necho "step 1" && cp -r src dst\nfind . -name "*.o" -delete\n';
const BUILDX = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';

/** A seeded tree of plain scripts, Makefiles and other files, some of them in ignored places. */
function plainTree(seed: number, files: number, root = 't'): void {
  const rnd = mulberry32(seed);
  const names = ['run.sh', 'Makefile', 'build.mk', 'notes.md', 'README', 'tool', 'ci.yml', 'deploy.bash'];
  for (let i = 0; i < files; i++) {
    const dir = join(root, `d${Math.floor(rnd() * 5)}`, `e${Math.floor(rnd() * 3)}`);
    mkdirSync(dir, { recursive: true });
    const name = names[Math.floor(rnd() * names.length)];
    const body = name === 'tool' ? PLAIN : name.endsWith('.md') ? '# notes\n\n```sh\nmake all\n```\n' : name === 'Makefile' || name.endsWith('.mk') ? 'all:\n\techo hi\n' : PLAIN;
    writeFileSync(join(dir, `${i}-${name}`), body);
  }
}

describe('the start-up stage', () => {
  it(
    'ends a run on a tree without buildx alone, and prints what the linter prints',
    () => {
      plainTree(1, 60);
      const lone = loneEntry();
      for (const args of [['t'], ['lint', '--jobs', '2', '--format', 'github', 't'], ['-q', '--no-config', '--exclude', 'd1/**', '--', 't']]) {
        const r = expectSameAsLinter(args);
        expect(r).toEqual({ code: 0, out: '', err: '' });
        expect(run(lone, args), args.join(' ')).toEqual(r);
      }
    },
    SLOW,
  );

  it(
    'hands over whenever there is something to say, with the same output',
    () => {
      const lone = loneEntry();
      // Each case on a tree of its own: r1 … r11.
      const cases: { setup: (root: string) => void; args: (root: string) => string[] }[] = [
        // One file that mentions buildx, late in the walk order.
        { setup: (t) => writeFileSync(`${t}/d4/zz.sh`, BUILDX), args: (t) => [t] },
        // Only "docker", in a comment: read by the linter, no finding.
        { setup: (t) => writeFileSync(`${t}/d0/only-docker.sh`, '# docker\necho hi\n'), args: (t) => [t] },
        // A configuration file applies: it is checked even when nothing is linted.
        { setup: (t) => writeFileSync(`${t}/.kbx-lint.json`, '{"rules": {"KBX205": "off"}}'), args: (t) => [t] },
        { setup: (t) => writeFileSync(`${t}/d1/kbx-lint.json`, '{"rules": {"KBX205": "off"}}'), args: (t) => [t] },
        // … above the directory named (one lookup per root answers for the whole tree), and on a
        // file named alone.
        { setup: (t) => writeFileSync(`${t}/.kbx-lint.json`, '{"rules": {"KBX205": "off"}}'), args: (t) => [`${t}/d0`] },
        { setup: (t) => writeFileSync(`${t}/d2/.kbx-lint.json`, '{"rules": {"KBX205": "off"}}'), args: (t) => [`${t}/d2/e0`, `${t}/d2/e1`] },
        // Nothing found, a missing path, a file of unknown type named on the command line.
        { setup: (t) => mkdirSync(`${t}-empty`), args: (t) => [`${t}-empty`] },
        { setup: () => {}, args: (t) => [t, 'missing'] },
        { setup: (t) => writeFileSync(`${t}/Dockerfile`, 'FROM scratch\n'), args: (t) => [t, `${t}/Dockerfile`] },
        // Everything excluded.
        { setup: () => {}, args: (t) => ['--exclude', '*', t] },
        // A GitLab CI file whose local includes only the linter reads.
        { setup: (t) => writeFileSync(`${t}/.gitlab-ci.yml`, 'include: ci/extra.yml\nbuild:\n  script: [echo hi]\n'), args: (t) => [t] },
      ];
      cases.forEach((c, i) => {
        const root = `r${i + 1}`;
        plainTree(10 + i, 25, root);
        c.setup(root);
        const args = c.args(root);
        expectSameAsLinter(args);
        // The lone entry could not finish these: it needed the linter.
        expect(run(lone, args).err, args.join(' ')).toContain('kbx-lint-cli.js');
      });
    },
    SLOW,
  );

  it(
    'a broken configuration beside files without buildx still stops the run',
    () => {
      plainTree(3, 20);
      writeFileSync('t/d2/.kbx-lint.json', '{"rules": ');
      const r = expectSameAsLinter(['t']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('.kbx-lint.json');
      // --no-config leaves it unread, and the run ends early again.
      expect(run(loneEntry(), ['--no-config', 't'])).toEqual({ code: 0, out: '', err: '' });
    },
    SLOW,
  );

  it(
    '.gitignore, links, loops and names that are not UTF-8: the same files as the linter',
    () => {
      plainTree(4, 30);
      writeFileSync('t/.gitignore', 'd3/\n');
      writeFileSync('t/d3/hidden.sh', BUILDX);
      symlinkSync('..', 't/d0/up');
      symlinkSync('loop2', 't/loop1');
      symlinkSync('loop1', 't/loop2');
      writeFileSync(Buffer.from('t/\xff.sh', 'latin1'), PLAIN);
      const lone = loneEntry();
      expect(expectSameAsLinter(['t'])).toEqual({ code: 0, out: '', err: '' });
      expect(run(lone, ['t'])).toEqual({ code: 0, out: '', err: '' });
      writeFileSync(Buffer.from('t/d1/\xfe.sh', 'latin1'), BUILDX);
      const r = expectSameAsLinter(['t']);
      expect(r.code).toBe(1);
      expect(r.out).toContain('t/d1/\\xfe.sh');
      expect(r.out).not.toContain('hidden.sh');
    },
    SLOW,
  );

  it.runIf(hasMkfifo)(
    'a FIFO in the tree is never opened, by either stage',
    () => {
      plainTree(5, 10);
      spawnSync('mkfifo', ['t/d0/pipe.sh']);
      expect(expectSameAsLinter(['t'])).toEqual({ code: 0, out: '', err: '' });
      expect(run(loneEntry(), ['t'])).toEqual({ code: 0, out: '', err: '' });
    },
    SLOW,
  );

  it(
    'files around the size of its read buffer are read whole',
    () => {
      mkdirSync('t');
      const lone = loneEntry();
      for (const size of [65535, 65536, 65537, 200_000]) {
        // The mention is the last bytes of the file: only a whole read sees it.
        const filler = '# ' + 'x'.repeat(size - 3 - BUILDX.length) + '\n';
        writeFileSync(`t/f${size}.sh`, filler + BUILDX);
        expect(Buffer.byteLength(filler + BUILDX)).toBe(size);
        const r = expectSameAsLinter(['t']);
        expect(r.code, String(size)).toBe(1);
        expect(r.out).toContain(`t/f${size}.sh:`);
        expect(run(lone, ['t']).code).not.toBe(0);
        writeFileSync(`t/f${size}.sh`, filler + 'echo done\n');
      }
      expect(run(lone, ['t'])).toEqual({ code: 0, out: '', err: '' });
    },
    SLOW,
  );
});

describe('quietLintArgs', () => {
  const CLEAN = () => {
    mkdirSync('t');
    writeFileSync('t/a.sh', PLAIN);
  };

  it('takes only argv that main() accepts and that change nothing when nothing is linted', () => {
    CLEAN();
    const accepted = [
      ['t'],
      ['lint', 't', '--exclude=x/**'],
      ['-j', '3', 't'],
      ['--jobs=auto', 't'],
      ['--jobs', '01', 't'],
      ['--no-config=false', 't'],
      ['--format=concise', '--severity', 'warning', '--fail-level', 'info', '--max-warnings', '0', 't'],
      ['--color', 't'],
      ['--color=never', '--no-color', '-q', '--quiet=true', '--exit-zero', 't'],
      ['--', '--weird-name'],
      [],
    ];
    for (const argv of accepted) {
      expect(quietLintArgs(argv, undefined), argv.join(' ')).not.toBeNull();
      if (argv.length === 0 || argv.includes('--weird-name')) continue;
      expect(runCli(...argv), argv.join(' ')).toMatchObject({ code: 0, out: '', err: '' });
    }
    expect(quietLintArgs([], undefined)?.paths).toEqual(['.']);
    expect(quietLintArgs(['--exclude', 'a', 'p', '--exclude=b', '--no-config'], undefined)).toEqual({ paths: ['p'], exclude: ['a', 'b'], noConfig: true });
  });

  it('leaves everything else to main(): other commands, stdin, usage errors, other formats', () => {
    const refused = [
      ['rules'],
      ['explain', 't'],
      ['rule', 'KBX101'],
      ['help'],
      ['-'],
      ['--', '-'],
      ['--jobs', '0', 't'],
      ['--jobs'],
      ['-j=2', 't'],
      ['--exclude'],
      ['--format', 'json', 't'],
      ['--format=sarif', 't'],
      ['--color=bogus', 't'],
      ['--quiet=yes', 't'],
      ['--severity', 'high', 't'],
      ['--max-warnings', '-1', 't'],
      ['--ignore', 'x', 't'],
      ['--fix', 't'],
      ['--verbose', 't'],
      ['--output-file', 'o', 't'],
      ['--config', 'c.json', 't'],
      ['--select', 'KBX1', 't'],
      ['--version', 't'],
      ['--=x', 't'],
    ];
    for (const argv of refused) expect(quietLintArgs(argv, undefined), argv.join(' ')).toBeNull();
    // An invalid KBX_LINT_JOBS is a usage error unless --jobs is given.
    expect(quietLintArgs(['t'], 'many')).toBeNull();
    expect(quietLintArgs(['t', '--jobs', '2'], 'many')).not.toBeNull();
    expect(quietLintArgs(['t'], '')).not.toBeNull();
  });

  it(
    'an invalid KBX_LINT_JOBS is reported the same way through the entry',
    () => {
      CLEAN();
      const r = expectSameAsLinter(['t'], { KBX_LINT_JOBS: 'many' });
      expect(r.code).toBe(2);
    },
    SLOW,
  );
});
