/**
 * Big trees: directory symbolic links are walked once by real path (a loop is no failure), the
 * `.gitignore` files above a linted subdirectory of a git work tree are honoured, and the text
 * report is written file by file as the tree is read.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main';
import { inTempDir } from '../harness/cli-session';

const tmp = inTempDir('kbx-tree-');

function cli(...args: string[]) {
  const chunks: string[] = [];
  let err = '';
  const code = main(
    args,
    (s) => chunks.push(s),
    (s) => (err += s),
  );
  return { code, out: chunks.join(''), chunks, err };
}
const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';
const filesOf = (out: string) =>
  JSON.parse(out)
    .diagnostics.map((d: { file: string }) => d.file)
    .sort();

describe('symbolic links', () => {
  it('a loop lints each file once and does not fail', () => {
    mkdirSync('t/a/b', { recursive: true });
    writeFileSync('t/a/b/x.sh', BAD);
    symlinkSync('..', 't/a/b/up');
    symlinkSync('../..', 't/a/b/top');
    symlinkSync('loop2', 't/loop1');
    symlinkSync('loop1', 't/loop2');
    const r = cli('--format', 'json', 't');
    expect(r.code).toBe(1);
    expect(r.err).toBe('');
    expect(filesOf(r.out)).toEqual(['t/a/b/x.sh']);
  });

  it('a directory reachable through a link is walked once', () => {
    mkdirSync('t/real', { recursive: true });
    writeFileSync('t/real/x.sh', BAD);
    writeFileSync('t/real/y.sh', BAD);
    symlinkSync('real', 't/alias');
    symlinkSync('real/x.sh', 't/x-link.sh');
    const r = cli('--format', 'json', 't');
    expect(filesOf(r.out)).toHaveLength(2);
  });
});

describe('parent .gitignore', () => {
  it('is honoured when linting a subdirectory of a git work tree', () => {
    mkdirSync('repo/.git', { recursive: true });
    mkdirSync('repo/sub/generated', { recursive: true });
    writeFileSync('repo/.gitignore', 'generated/\n*.gen.sh\n');
    writeFileSync('repo/sub/generated/x.sh', BAD);
    writeFileSync('repo/sub/y.gen.sh', BAD);
    writeFileSync('repo/sub/kept.sh', BAD);
    expect(filesOf(cli('--format', 'json', 'repo/sub').out)).toEqual(['repo/sub/kept.sh']);
    process.chdir('repo/sub');
    try {
      expect(filesOf(cli('--format', 'json', '.').out)).toEqual(['kept.sh']);
      // A directory named explicitly is linted even if a parent .gitignore lists it.
      expect(filesOf(cli('--format', 'json', 'generated').out)).toEqual(['generated/x.sh']);
    } finally {
      process.chdir(tmp.current());
    }
  });

  it('outside a git work tree, parent directories are not consulted', () => {
    mkdirSync('plain/sub', { recursive: true });
    writeFileSync('plain/.gitignore', '*.sh\n');
    writeFileSync('plain/sub/x.sh', BAD);
    expect(filesOf(cli('--format', 'json', 'plain/sub').out)).toEqual(['plain/sub/x.sh']);
  });
});

describe('streaming', () => {
  it('text is written one file at a time, in the same order and form as before', () => {
    mkdirSync('s');
    for (let i = 0; i < 5; i++) writeFileSync(`s/f${i}.sh`, BAD + BAD);
    const r = cli('--no-color', 's');
    const fileChunks = r.chunks.filter((c) => /s\/f\d\.sh:/.test(c));
    expect(fileChunks).toHaveLength(5);
    fileChunks.forEach((c, i) => expect(c.startsWith(`s/f${i}.sh:1:`)).toBe(true));
    // findings are separated by one blank line, across files as within a file
    const blocks = r.out.trimEnd().split('\n\n');
    expect(blocks).toHaveLength(10);
    expect(blocks.every((b) => /^s\/f\d\.sh:\d+:\d+: error: /.test(b))).toBe(true);
    expect(blocks[9]).toMatch(/\n10 problems \(10 errors, 0 warnings, 0 info\) in 5 files$/);
  });
});

describe('progress', () => {
  function run(term: { stdoutIsTTY: boolean; stderrIsTTY: boolean }, ...args: string[]) {
    let clock = 0;
    let err = '';
    let out = '';
    // Every look at the clock is 300 ms later: the run is "slow" from the fifth file on.
    const code = main(
      args,
      (s) => (out += s),
      (s) => (err += s),
      { ...term, now: () => (clock += 300) },
    );
    return { code, out, err };
  }
  beforeEach(() => {
    mkdirSync('p');
    for (let i = 0; i < 8; i++) writeFileSync(`p/f${i}.sh`, BAD);
  });

  it('a slow run on a terminal shows a progress line on stderr, then clears it', () => {
    const r = run({ stdoutIsTTY: false, stderrIsTTY: true }, '--format', 'json', 'p');
    expect(r.err).toMatch(/^\r\x1b\[Kkbx-lint: \d\/8 files/);
    expect(r.err).toContain('kbx-lint: 8/8 files');
    expect(r.err.endsWith('\r\x1b[K')).toBe(true);
    expect(JSON.parse(r.out).diagnostics).toHaveLength(8);
  });

  it('not when stderr is not a terminal, nor when it would mix with a report on the same terminal', () => {
    expect(run({ stdoutIsTTY: false, stderrIsTTY: false }, 'p').err).toBe('');
    expect(run({ stdoutIsTTY: true, stderrIsTTY: true }, 'p').err).toBe('');
    expect(run({ stdoutIsTTY: true, stderrIsTTY: true }, '--output-file', 'r.txt', 'p').err).toContain('kbx-lint: 8/8 files');
  });
});
