/**
 * The start-up entry (dist/kbx-lint.js) answers --version and the help texts without loading
 * the linter: its answers must be exactly main()'s, and everything else must reach main().
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quickAnswer } from '../../server/src/cli/entry';
import { runCli } from '../harness/cli-session';

const ROOT = join(__dirname, '../..');

const ANSWERED = [
  ['--version'],
  ['-v'],
  ['--help'],
  ['-h'],
  ['help'],
  ...['lint', 'explain', 'rules', 'rule', 'help'].map((t) => ['help', t]),
  ...['lint', 'explain', 'rules', 'rule'].flatMap((c) => [
    [c, '--help'],
    [c, '-h'],
  ]),
];

// Left to main(): errors, and flags that only mean --version among other arguments.
const PASSED_ON = [['help', 'nope'], ['help', 'constructor'], ['help', 'lint', 'explain'], ['--version', '--bogus'], ['--bogus', '--version'], ['x.sh', '--help'], ['--', '--version'], ['rules'], []];

describe('the start-up entry', () => {
  it.each(ANSWERED)('answers %j exactly as main() does', (...argv) => {
    const answer = quickAnswer(argv);
    const full = runCli(...argv);
    expect(full.code).toBe(0);
    expect(answer).toBe(full.out);
  });

  it.each(PASSED_ON)('leaves %j to main()', (...argv) => {
    expect(quickAnswer(argv)).toBeNull();
  });

  it('help for a name that is no command is a usage error, also for Object members', () => {
    const r = runCli('help', 'constructor');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no help for "constructor"');
  });

  it('the built entry does not contain the linter, and loads it for a lint', () => {
    const entry = readFileSync(join(ROOT, 'dist/kbx-lint.js'), 'utf8');
    expect(entry.length).toBeLessThan(50_000);
    expect(entry).not.toContain('driver-opt-unquoted-comma');
    const v = spawnSync(process.execPath, [join(ROOT, 'dist/kbx-lint.js'), '--version'], { encoding: 'utf8' });
    expect(v.stdout).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version + '\n');
    const lint = spawnSync(process.execPath, [join(ROOT, 'dist/kbx-lint.js'), '--no-color', '-'], {
      input: 'docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n',
      encoding: 'utf8',
    });
    expect(lint.status).toBe(1);
    expect(lint.stdout).toContain('[KBX101 driver-opt-unquoted-comma]');
    // The linter bundle still runs alone, as it did when it was the bin.
    const direct = spawnSync(process.execPath, [join(ROOT, 'dist/kbx-lint-cli.js'), '--version'], { encoding: 'utf8' });
    expect(direct.stdout).toBe(v.stdout);
  });
});
