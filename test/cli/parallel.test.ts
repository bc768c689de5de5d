/**
 * `--jobs`: linting on worker threads prints exactly what a run in one thread prints — every
 * format, explain, --statistics, --diff and --fix (output and the files written), the exit code
 * and stderr — whatever order the workers finish in; and a file whose lint throws, or whose
 * worker dies, gets one message of its own instead of a hung or aborted run. The comparisons run
 * the command line in this process (`mainAsync`) with the built worker bundle on real worker
 * threads, which spares a Node start-up and a bundle load per run; the binary itself,
 * `dist/kbx-lint.js`, is spawned where the process matters: that it really uses threads, faults
 * injected with --require, KBX_LINT_JOBS. `npm run build` first.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainAsync } from '../../server/src/cli/main';
import { mulberry32 } from '../harness/random';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'dist/kbx-lint.js');
/** The bundle a worker thread runs (the linter bundle the binary loads). */
const WORKER = join(ROOT, 'dist/kbx-lint-cli.js');
const FORMATS = ['text', 'concise', 'json', 'github', 'sarif', 'gitlab', 'checkstyle', 'junit', 'rdjson'];

// Mistakes with and without fixes, correct commands, and ordinary shell between them.
const SNIPPETS = [
  'docker buildx create --name k$N --driver kubernetes --driver-opt=namespace=ci,nodeselector=kubernetes.io/arch=amd64,pool=ci',
  'docker buildx create --name d$N --driver docker-container --driver-opt image=moby/buildkit:latest,network=host --use',
  'docker buildx build --platform linux/x86_64 -t app:$N --push .',
  'docker buildx build --push false -t registry.example.com/app:$N .',
  'docker buildx create --driver kubernetes --driver-opt replicas=two --name r$N',
  'docker buildx build --load --platform linux/amd64,linux/arm64 -t app .',
  'docker buildx create --driver kubernetes --driver-opt "tolerations=key=a,operator=exists" --name t$N',
  'docker buildx build --cache-to type=inline -t app:ok .',
];
const ORDINARY = ['set -eu', 'echo "step $N"', 'for f in *.txt; do wc -l "$f"; done', 'if [ -n "${CI:-}" ]; then export TAG=ci; fi', 'cd "$(dirname "$0")"'];

/** A tree whose first file is much bigger than the rest, so workers finish out of order. */
function writeTree(root: string, seed: number): void {
  const rnd = mulberry32(seed);
  const pick = <T>(a: T[]) => a[Math.floor(rnd() * a.length)];
  const body = (lines: number) => {
    let s = '';
    for (let n = 0; n < lines; n++) s += (rnd() < 0.4 ? pick(SNIPPETS) : pick(ORDINARY)).replaceAll('$N', String(n)) + '\n';
    return s;
  };
  const put = (rel: string, text: string | Buffer) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  put('a-big/build.sh', '#!/bin/bash\n' + body(300));
  for (let i = 0; i < 10; i++) put(`svc${i}/ci/build.sh`, '#!/bin/sh\n' + body(3 + Math.floor(rnd() * 20)));
  for (let i = 0; i < 4; i++)
    put(
      `mk${i}/Makefile`,
      'image:\n' +
        body(6)
          .split('\n')
          .filter(Boolean)
          .map((l) => '\t' + l.replaceAll('$', '$$'))
          .join('\n') +
        '\n',
    );
  put('docs/guide.md', '# Guide\n\n```sh\n' + body(8) + '```\n');
  put('.github/workflows/ci.yml', 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker buildx build --platform linux/x86_64 -t app .\n');
  put('plain/no-docker.sh', '#!/bin/sh\necho nothing to see\n');
  put('plain/docker-only.sh', '#!/bin/sh\ndocker run --rm alpine true\n');
  put('plain/binary.sh', Buffer.from([0x23, 0x21, 0x00, 0x01, 0x62, 0x75, 0x69, 0x6c, 0x64, 0x78]));
  put('z-last/clean.sh', 'docker buildx build -t app:ok .\n');
}

interface Outcome {
  code: number | null;
  out: string;
  err: string;
}

function kbx(cwd: string, args: string[], node: string[] = []): Outcome {
  const env = { ...process.env };
  delete env.KBX_LINT_JOBS;
  delete env.FORCE_COLOR;
  const r: SpawnSyncReturns<string> = spawnSync(process.execPath, [...node, CLI, ...args], { cwd, encoding: 'utf8', env, timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * The command line in this process, from `cwd`, as the binary runs it (no terminal, without
 * KBX_LINT_JOBS and FORCE_COLOR), lint threads from the built bundle.
 */
async function kbxHere(cwd: string, args: string[]): Promise<Outcome> {
  const saved = { cwd: process.cwd(), jobs: process.env.KBX_LINT_JOBS, color: process.env.FORCE_COLOR };
  delete process.env.KBX_LINT_JOBS;
  delete process.env.FORCE_COLOR;
  let out = '';
  let err = '';
  process.chdir(cwd);
  try {
    const code = await mainAsync(
      args,
      (s) => (out += s),
      (s) => (err += s),
      WORKER,
      { stdoutIsTTY: false, stderrIsTTY: false, now: Date.now },
    );
    return { code, out, err };
  } finally {
    process.chdir(saved.cwd);
    if (saved.jobs !== undefined) process.env.KBX_LINT_JOBS = saved.jobs;
    if (saved.color !== undefined) process.env.FORCE_COLOR = saved.color;
  }
}

/** Every file under `dir` with its bytes, for comparing two fixed trees. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

let work: string;
let tree: string;
/** The generated tree and a copy of the examples side by side: one run compares both. */
let both: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kbx-jobs-'));
  tree = join(work, 'tree');
  writeTree(tree, 12);
  writeFileSync(join(tree, '.git'), '');
  both = join(work, 'both');
  cpSync(tree, join(both, 'tree'), { recursive: true });
  cpSync(join(ROOT, 'examples'), join(both, 'examples'), { recursive: true });
  writeFileSync(join(both, '.git'), '');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--jobs 4 prints what --jobs 1 prints', () => {
  it('really runs the generated tree and the examples on worker threads', () => {
    for (const [cwd, target] of [
      [tree, '.'],
      [ROOT, 'examples'],
    ]) {
      const r = kbx(cwd, ['--jobs', '4', '--verbose', target]);
      expect(r.err).toContain('kbx-lint: linting on 4 threads (this one and 3 workers)\n');
      expect(r.code).toBe(1);
    }
  });

  describe.each([['the generated tree and the examples', () => both, '.']])('%s', (_name, cwd, target) => {
    it.each(FORMATS)('--format %s', async (format) => {
      const one = await kbxHere(cwd(), ['--jobs', '1', '--format', format, target]);
      const four = await kbxHere(cwd(), ['--jobs', '4', '--format', format, target]);
      expect(one.code).toBe(1);
      expect(one.out.length).toBeGreaterThan(100);
      // Both trees are in the one report.
      expect(one.out).toContain('examples/');
      expect(one.out).toContain('tree/');
      expect(four).toEqual(one);
    });

    it.each([
      ['--statistics'],
      ['--statistics', '--format', 'json'],
      ['--diff'],
      ['--diff', '--unsafe-fixes'],
      ['--severity', 'warning', '--max-warnings', '0'],
      ['--color=always', '--select', 'KBX1,KBX4'],
      ['explain'],
      ['explain', '--format', 'json'],
    ])('%s …', async (...args) => {
      const pre = args[0] === 'explain' ? ['explain'] : [];
      const rest = args[0] === 'explain' ? args.slice(1) : args;
      const one = await kbxHere(cwd(), [...pre, '--jobs', '1', ...rest, target]);
      const four = await kbxHere(cwd(), [...pre, '--jobs', '4', ...rest, target]);
      expect(one.out.length + one.err.length).toBeGreaterThan(100);
      expect(four).toEqual(one);
    });
  });

  it.each([[['--fix']], [['--fix', '--unsafe-fixes']], [['--fix', '--format', 'json']]])('%j writes the same files and prints the same report', async (args) => {
    const runs = [];
    for (const jobs of [1, 4]) {
      const copy = join(work, `fix-${jobs}-${args.join('')}`);
      cpSync(tree, copy, { recursive: true });
      const before = snapshot(copy);
      const r = await kbxHere(copy, ['--jobs', String(jobs), ...args, '.']);
      runs.push({ r, before, after: snapshot(copy) });
    }
    const [one, four] = runs;
    expect(one.r.err).toMatch(/^applied [1-9]\d* fix/m);
    expect(one.after).not.toEqual(one.before);
    expect(four.r).toEqual(one.r);
    expect(four.after).toEqual(one.after);
  });

  it('a file reached twice under --fix (a hard link) is fixed once, like in one thread', async () => {
    const runs = [];
    for (const jobs of [1, 4]) {
      const copy = join(work, `twice-${jobs}`);
      cpSync(tree, copy, { recursive: true });
      linkSync(join(copy, 'a-big/build.sh'), join(copy, 'svc1/ci/same.sh'));
      const r = await kbxHere(copy, ['--jobs', String(jobs), '--fix', '.']);
      runs.push({ r, after: snapshot(copy) });
    }
    expect(runs[0].r.err).toMatch(/^applied [1-9]\d* fix/m);
    expect(runs[1]).toEqual(runs[0]);
  });
});

describe('a failing file on a worker thread', () => {
  // Loaded with --require into the main thread and, through execArgv, into every worker: the
  // linter is not changed, only a builtin it uses while reading a variable assignment.
  const HOOK = `
const { isMainThread } = require('node:worker_threads');
const set = Map.prototype.set;
Map.prototype.set = function (k, v) {
  if (k === 'KBX_TEST_THROW') throw new Error('injected fault');
  if (k === 'KBX_TEST_EXIT' && !isMainThread) process.exit(7);
  return set.call(this, k, v);
};
`;
  let dir: string;
  let hook: string;
  beforeAll(() => {
    dir = join(work, 'faults');
    mkdirSync(dir);
    hook = join(work, 'hook.cjs');
    writeFileSync(hook, HOOK);
    const bad = 'docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n';
    for (let i = 0; i < 8; i++) writeFileSync(join(dir, `f${i}.sh`), (i === 2 ? 'KBX_TEST_THROW=1\n' : '') + bad);
  });

  it('becomes the same per-file message, and the other files are still linted', () => {
    const one = kbx(dir, ['--jobs', '1', '--verbose', '.'], ['--require', hook]);
    const four = kbx(dir, ['--jobs', '4', '--verbose', '.'], ['--require', hook]);
    expect(one.code).toBe(2);
    expect(one.err).toContain('f2.sh: internal error while reading this file: injected fault; please report it with the file\n');
    expect(one.out.match(/KBX101/g)).toHaveLength(7);
    expect(four.err).toContain('kbx-lint: linting on 4 threads (this one and 3 workers)\n');
    expect({ ...four, err: four.err.replace('kbx-lint: linting on 4 threads (this one and 3 workers)\n', '') }).toEqual(one);
  });

  it('a worker that dies fails its files and this thread lints the rest to the end', () => {
    // The first file always goes to a worker; in this thread the hook lets it be.
    const first = join(dir, 'f0.sh');
    const saved = readFileSync(first);
    writeFileSync(first, 'KBX_TEST_EXIT=1\ndocker buildx build -t app .\n');
    try {
      const r = kbx(dir, ['--jobs', '2', '.'], ['--require', hook]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('f0.sh: internal error while reading this file: the worker thread stopped: exit code 7; please report it with the file\n');
      expect(r.out).not.toContain('f0.sh');
      // The dead worker's other file fails with it; every other file gets its report.
      const lost = [1, 3, 4, 5, 6, 7].filter((i) => !r.out.includes(`f${i}.sh:1:`));
      expect(lost.length).toBeLessThanOrEqual(1);
      for (const i of lost) expect(r.err).toContain(`f${i}.sh: internal error while reading this file: the worker thread stopped: exit code 7`);
    } finally {
      writeFileSync(first, saved);
    }
  });
});

describe('choosing threads', () => {
  it('--jobs and KBX_LINT_JOBS take a positive number or auto', () => {
    for (const bad of ['0', 'x', '-1', '1.5']) {
      const r = kbx(tree, ['--jobs', bad, '.']);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`--jobs must be a number of threads (1 or more) or auto, not "${bad}"`);
    }
    const env = spawnSync(process.execPath, [CLI, 'z-last'], { cwd: tree, encoding: 'utf8', env: { ...process.env, KBX_LINT_JOBS: 'many' } });
    expect(env.status).toBe(2);
    expect(env.stderr).toContain('KBX_LINT_JOBS must be a number of threads (1 or more) or auto, not "many"');
  });

  it('KBX_LINT_JOBS sets the default and --jobs wins over it', () => {
    const viaEnv = spawnSync(process.execPath, [CLI, '--verbose', '.'], { cwd: tree, encoding: 'utf8', env: { ...process.env, KBX_LINT_JOBS: '3' } });
    expect(viaEnv.stderr).toContain('linting on 3 threads (this one and 2 workers)');
    const flag = spawnSync(process.execPath, [CLI, '--verbose', '-j', '1', '.'], { cwd: tree, encoding: 'utf8', env: { ...process.env, KBX_LINT_JOBS: '3' } });
    expect(flag.stderr).not.toContain('linting on');
    expect(flag.stdout).toBe(viaEnv.stdout);
  });

  it('auto keeps a small run in this thread, and threads never outnumber the files', () => {
    expect(kbx(tree, ['--verbose', '.']).err).not.toContain('linting on');
    expect(kbx(tree, ['--jobs', '8', '--verbose', 'svc1', 'svc2', 'svc3']).err).toContain('linting on 3 threads (this one and 2 workers)');
    expect(kbx(tree, ['--jobs', '8', '--verbose', 'svc1']).err).not.toContain('linting on');
  });
});
