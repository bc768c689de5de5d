/**
 * Programs that run the command after their own options, seen in build scripts for log
 * buffering, CPU and I/O priority, locks and privilege: coreutils stdbuf(1), util-linux ionice(1),
 * setsid(1), taskset(1) and flock(1), OpenBSD doas(1), moreutils chronic(1), expect's
 * unbuffer(1). The docker command after them is read as written; the forms that run no command
 * or a string (`ionice -p PID`, `taskset -p`, `flock FILE -c '…'`, `doas -s`) are not. Where the
 * program is installed, real bash with a stub docker shows what buildx receives.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../server/src/engine/config';
import { IncrementalLint } from '../../server/src/engine/incremental';
import { lintIfBuildx } from '../../server/src/engine/lint';
import { argvOf, invocationsOf } from '../harness/lint-helpers';
import { runScript } from '../harness/stub-docker';

const BUILD = 'docker buildx build --platform linux/amd64,linux/arm64 -t acme/app:1 --push .';
const ARGV = ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '-t', 'acme/app:1', '--push', '.'];
const installed = (p: string) => spawnSync('sh', ['-c', `command -v ${p}`]).status === 0;

const READ: [string, string][] = [
  ['stdbuf', 'stdbuf -oL -eL'],
  ['stdbuf', 'stdbuf -o L'],
  ['ionice', 'ionice -c 3'],
  ['setsid', 'setsid -w'],
  ['taskset', 'taskset -c 0'],
  ['flock', 'flock -w 600 /tmp/kbx-run-wrappers.lock'],
  ['doas', 'doas -u ci'],
  ['chronic', 'chronic -e'],
  ['unbuffer', 'unbuffer'],
];

describe('wrappers that run the command after them', () => {
  it.each(READ)('%s: %s docker buildx build …', (program, prefix) => {
    const text = `#!/bin/bash\nset -e\n${prefix} ${BUILD} 2>&1 | tee /dev/null\n`;
    expect(invocationsOf(text).map(argvOf)).toEqual([ARGV]);
    if (installed(program) && program !== 'doas') expect(runScript(text).calls).toEqual([ARGV]);
  });

  it('forms that run no command, or a command string, are not read through', () => {
    for (const prefix of ['ionice -p 1', 'taskset -p 0x1', 'flock /tmp/kbx.lock -c', 'doas -s']) {
      expect(invocationsOf(`#!/bin/bash\n${prefix} ${BUILD}\n`)).toEqual([]);
    }
  });

  it('docker from a variable is not read through them, so an edit there relints as before', () => {
    const text = '#!/bin/bash\nDOCKER=docker\nstdbuf -oL $DOCKER build --platform linux/amd64 -t a .\n';
    expect(invocationsOf(text)).toEqual([]);
    const inc = new IncrementalLint();
    inc.update({ text, fileName: 'build.sh' }, DEFAULT_CONFIG);
    const edited = text.replace('linux/amd64', 'linux/amd65');
    const got = inc.update({ text: edited, fileName: 'build.sh' }, DEFAULT_CONFIG);
    const want = lintIfBuildx({ text: edited, fileName: 'build.sh' }, DEFAULT_CONFIG);
    expect((got.result?.diagnostics ?? got.diagnostics).map((d) => d.code)).toEqual(want.diagnostics.map((d) => d.code));
  });
});
