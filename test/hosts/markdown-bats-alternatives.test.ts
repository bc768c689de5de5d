/**
 * Four shapes of documentation pages met in real CI and docs repositories, each read as the reader
 * of the page runs it:
 * - bats test cases (`@test "…" { … }`) in a shell block: bats rewrites each `@test` line into a
 *   function header before bash reads the file (bats-core `libexec/bats-core/bats-preprocess`),
 *   so the `}` that ends a test is no syntax error;
 * - alternatives in one block after an `# Or …` comment: a reader runs one of them, so a builder
 *   the first creates does not exist yet for the second (the set-up before them still holds);
 * - a fence the author did not close: the author's next block (```` ```bash ````, which cannot
 *   close the first) and the prose before it are not lines of the first block's script;
 * - set-up joined to the docker command on one line, also in a subshell
 *   (`(cd example/ && docker buildx bake cross)`), in a block without prompts.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildModel, lint } from '../../server/src/engine/lint';
import { shellAvailable } from '../harness/bash-oracle';

const fence = '```';
const page = (lang: string, body: string) => ['# Tests', '', `${fence}${lang}`, body, fence, ''].join('\n');
const codesIn = (text: string, fileName = 'README.md') => lint({ text, fileName }).diagnostics.map((d) => d.code);
const argvOf = (text: string): string[][] => buildModel({ text, fileName: 'README.md' }).invocations.map((i) => i.argv.map((a) => a.value.text));
const bashSays = (body: string) => spawnSync('bash', ['-n', '-c', body], { encoding: 'utf8' }).stderr;

const batsFile = [
  'setup() {',
  '  IMAGE=app:test',
  '}',
  '',
  '@test "build: the image builds for arm64" {',
  '  docker buildx build --platform linux/x86_64 -t app:test .',
  '  [ "$status" -eq 0 ]',
  '}',
  '',
  '@test "golden: go-repo"     { golden_check "go-repo"; }',
].join('\n');

describe.runIf(shellAvailable('bash'))('bats test cases in a shell block', () => {
  it('bash rejects the file as written, and accepts it as bats hands it over', () => {
    expect(bashSays(batsFile)).toMatch(/syntax error/);
    // bats-preprocess: `@test "name" {` becomes a function header; the `{` and what follows stay.
    const preprocessed = batsFile.replace(/^@test .*[^ \t][ \t]+(?=\{)/gm, 'bats_test_function() ');
    expect(bashSays(preprocessed)).toBe('');
  });

  it('reads the tests without a syntax error, and still checks the commands inside them', () => {
    expect(codesIn(page('bash', batsFile))).toEqual(['KBX412']);
    expect(argvOf(page('bash', batsFile))).toEqual([['buildx', 'build', '--platform', 'linux/x86_64', '-t', 'app:test', '.']]);
  });

  it('leaves the same lines an error in a shell script, which bash runs as they are', () => {
    expect(codesIn(`${batsFile}\n`, 'test.sh')).toContain('KBX601');
  });
});

describe('alternatives after an "# Or" comment in one block', () => {
  const body = (comment: string) =>
    [
      'VERSION=v1.0.0',
      'docker buildx create --name my-builder --driver remote tcp://pool.example:1234 --use',
      '',
      comment,
      'docker buildx create --name my-builder --driver remote tcp://my-pool.default.svc:1235 --use',
      'docker buildx build -t registry.example/app:${VERSION} --push .',
    ].join('\n');

  it('does not report the second create of the same name', () => {
    for (const c of ['# Or if using the service name directly:', '# or', '# OR, inside the cluster:', '# Alternatively, the in-cluster address:']) expect(codesIn(page('bash', body(c)))).toEqual([]);
  });

  it('keeps the set-up before the alternatives: the build after them still knows VERSION', () => {
    expect(argvOf(page('bash', body('# Or:')))[2]).toEqual(['buildx', 'build', '-t', 'registry.example/app:v1.0.0', '--push', '.']);
  });

  it('still reports the second create when nothing says it is an alternative', () => {
    expect(codesIn(page('bash', body('# Then the second pool:')))).toEqual(['KBX406']);
    expect(codesIn(page('bash', body('# order matters here')))).toEqual(['KBX406']);
  });

  it('reads alternatives in a transcript the same way', () => {
    const session = ['$ docker buildx create --name b --use', '# Or, with the remote driver:', '$ docker buildx create --name b --driver remote tcp://h:1234 --use'].join('\n');
    expect(codesIn(page('console', session))).toEqual([]);
    expect(codesIn(page('console', session.replace('# Or, with the remote driver:', '# Again:')))).toEqual(['KBX406']);
  });
});

describe('a fence the author did not close', () => {
  const unclosed = [
    '## Testing the image',
    '',
    `${fence}bash`,
    'wget -O sample.pod5 https://example.org/sample.pod5',
    '',
    '### Basecalling test',
    '',
    "Run the following command, it's the one the pipeline runs:",
    '',
    `${fence}bash`,
    'docker buildx build --platform linux/x86_64 -t app .',
    fence,
    '',
  ].join('\n');

  it('reads the commands before the prose and the author’s next block, not the prose', () => {
    expect(codesIn(unclosed)).toEqual(['KBX412']);
    expect(argvOf(unclosed)).toEqual([['buildx', 'build', '--platform', 'linux/x86_64', '-t', 'app', '.']]);
  });

  it('ends a block at a fence glued to its last command (```docker run … ...```)', () => {
    const glued = [`${fence}docker run --name c -v /some/path img`, 'docker buildx build --platform linux/x86_64 -t app .```', '', 'Prose that explains it, and isn`t shell.', '', `${fence}`, ''].join(
      '\n',
    );
    expect(codesIn(glued)).toEqual(['KBX412']);
  });

  it('leaves a four-backtick block that shows a Markdown example as it is', () => {
    const example = ['````bash', 'docker buildx build -t app .', '```bash', 'echo inner', '````', ''].join('\n');
    expect(argvOf(example)).toEqual([['buildx', 'build', '-t', 'app', '.']]);
  });
});

describe('set-up joined to the docker command on one line', () => {
  it('reads a block without prompts whose first command is a subshell or a cd && …', () => {
    expect(argvOf(page('console', '(cd example/ && docker buildx bake cross)'))).toEqual([['buildx', 'bake', 'cross']]);
    expect(argvOf(page('', 'cd app && docker buildx build -t app .'))).toEqual([['buildx', 'build', '-t', 'app', '.']]);
  });

  it('still leaves a block whose first command prints what follows as output', () => {
    expect(argvOf(page('', ['ls -la && docker buildx ls', 'NAME/NODE  DRIVER/ENDPOINT  STATUS'].join('\n')))).toEqual([]);
  });
});
