#!/usr/bin/env node
// kbx-lint benchmark. Every number is reported as a ratio against a baseline measured in the same
// run, so results compare across machines:
//   1. start-up: `kbx-lint --version` against `node -e 0`;
//   2. tree walk: kbx-lint over a generated tree of scripts without buildx against `grep -rl buildx`;
//   3. lint throughput: kbx-lint on a generated 1 MB script full of buildx commands against
//      `grep -c buildx` on the same file (reading it once).
// bench/shell-parse.mjs measures the shell parser alone.
// Usage: npm run bench [-- --files 3000 --runs 5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/kbx-lint.js');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const FILES = opt('files', 3000);
const RUNS = opt('runs', 5);

function time(cmd, argv, runs = RUNS) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.error) throw r.error;
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function line(label, ms, base, baseLabel) {
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(9)} ms   ${(ms / base).toFixed(2).padStart(6)}x ${baseLabel}`);
}

const work = mkdtempSync(join(tmpdir(), 'kbx-bench-'));
try {
  console.log(`kbx-lint benchmark (median of ${RUNS} runs, node ${process.version})\n`);
  // 1. start-up
  const nodeBase = time(process.execPath, ['-e', '0']);
  line('node -e 0', nodeBase, nodeBase, '(baseline)');
  line('kbx-lint --version', time(process.execPath, [cli, '--version']), nodeBase, 'node -e 0');

  // 2. a tree of ordinary scripts that never mention buildx
  const tree = join(work, 'tree');
  for (let i = 0; i < FILES; i++) {
    const d = join(tree, `pkg${i % 50}`, `sub${i % 7}`);
    mkdirSync(d, { recursive: true });
    const body = ['#!/bin/sh', 'set -e', `# script ${i}`];
    for (let k = 0; k < 40; k++) body.push(`echo "step ${k} of ${i}" && cp -r "src/${k}" "dst/${k}" || exit 1`);
    writeFileSync(join(d, `s${i}.sh`), body.join('\n') + '\n');
  }
  const grepTree = time('grep', ['-rl', 'buildx', tree]);
  console.log();
  line(`grep -rl buildx (${FILES} scripts)`, grepTree, grepTree, '(baseline)');
  line(`kbx-lint (${FILES} scripts, none with buildx)`, time(process.execPath, [cli, tree]), grepTree, 'grep -rl');

  // 3. a large script full of buildx invocations
  const big = join(work, 'big.sh');
  const cmds = [];
  for (let i = 0; cmds.join('\n').length < 1_000_000; i++) {
    cmds.push(
      `create_${i}() {\n  docker buildx create --name "b${i}" --driver kubernetes --node n${i} \\\n    --platform linux/amd64 '--driver-opt="nodeselector=kubernetes.io/arch=amd64,pool=ci","tolerations=key=ci,operator=Exists"' \\\n    --driver-opt namespace=ci,replicas=${i % 5},requests.cpu=1,limits.memory=2Gi\n  if [ -n "$X" ]; then docker buildx build --builder b${i} --platform linux/amd64 -t "reg/app:$(git rev-parse HEAD)" --push .; fi\n}`,
    );
  }
  const text = cmds.join('\n') + '\n';
  writeFileSync(big, text);
  const mb = (text.length / 1e6).toFixed(2);
  const grepBig = time('grep', ['-c', 'buildx', big]);
  console.log();
  line(`grep -c buildx (${mb} MB script)`, grepBig, grepBig, '(baseline)');
  line(`kbx-lint (${mb} MB script, ${cmds.length * 2} invocations)`, time(process.execPath, [cli, '--format', 'json', big], 3), grepBig, 'grep -c');
  console.log('\n(ratios > 1 mean slower than the baseline)');
} finally {
  rmSync(work, { recursive: true, force: true });
}
