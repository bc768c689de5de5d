#!/usr/bin/env node
// Hostile input: each row generates one adversarial file, runs the built CLI on it once per
// repetition and reports CPU time and peak resident memory, per 100 KB and absolute, with a
// verdict: `ok` (under 0.3 s of CPU per 100 KB and under the row's memory ceiling: the ~70 MB
// base process plus ten times the input, never above `--ceiling`, 512 MB), `limit` (a clear
// KBX604/KBX605 diagnostic within the ceiling), or what failed (slow, memory, crash, timeout).
//
//   npm run build && node bench/hostile.mjs [--only SUBSTRING] [--reps N] [--timeout SECONDS] [--ceiling MB]
//     [--compare DIR] [--json]
//
// Numbers are the median of N runs (default 1; rows over 10 s run once). `node -e 0` is measured
// in the same run as the baseline: on a shared machine compare rows to it, not to other runs.
// Time is CPU time (user + system) unless said otherwise: on a loaded machine wall time mostly
// measures the other processes. `--compare DIR` also runs DIR/kbx-lint.js (a copy of an earlier
// dist/) on every row, interleaved with the current build, and prints both with their ratio.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/kbx-lint.js');
const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : args[i + 1];
}
const only = option('only', '');
const reps = Number(option('reps', '1'));
const timeoutS = Number(option('timeout', '180'));
const ceilingMB = Number(option('ceiling', '512'));
const asJson = args.includes('--json');
const compareDir = option('compare', '');
if (!existsSync(cli)) {
  console.error('hostile: dist/kbx-lint.js not found (run npm run build)');
  process.exit(2);
}

const lines = (n, f) => {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out.join('\n') + '\n';
};
const list = (n, f, sep = ',') => {
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = f(i);
  return out.join(sep);
};
const MB = 1024 * 1024;
/** The CLI's own resident memory on a tiny file (Node, the bundle, the rule table): 55-65 MB. */
const BASE_RSS_MB = 70;

/** Each row: a name, the file name (picks the host), the text, extra CLI arguments, and a config. */
const ROWS = [
  { name: 'one --driver-opt with 50,000 commas', file: 'x.sh', text: () => `docker buildx create --driver kubernetes --driver-opt namespace=ci${','.repeat(50_000)}replicas=1\n` },
  // Under the field limit: each empty field is a KBX105 finding (a parse of the whole value per finding was quadratic).
  { name: 'one --driver-opt with 9,000 empty fields', file: 'x.sh', text: () => `docker buildx create --driver kubernetes --driver-opt namespace=ci${','.repeat(9_000)}replicas=1\n` },
  { name: '19,200 split nodeselector fields', file: 'x.sh', text: () => `docker buildx create --driver kubernetes --driver-opt nodeselector=${list(19_200, (i) => `k${i}=v`)}\n` },
  {
    name: '16,000 tolerations',
    file: 'x.sh',
    text: () => `docker buildx create --driver kubernetes --driver-opt '"tolerations=${list(16_000, (i) => `key=k${i},operator=Equal,value=v,effect=NoSchedule`, ';')}"'\n`,
  },
  { name: '16,000-item --platform list', file: 'x.sh', text: () => `docker buildx build --platform ${list(16_000, (i) => (i % 2 ? 'linux/arm64' : `linux/amd64/v${i}`))} .\n` },
  { name: '64,000 --driver-opt flags', file: 'x.sh', text: () => `docker buildx create --driver kubernetes \\\n${lines(64_000, (i) => `  --driver-opt nodeselector=k${i}=v,x${i}=y \\`)}  --name b\n` },
  { name: '40,000 docker buildx build lines', file: 'x.sh', text: () => lines(40_000, (i) => `docker buildx build --platform linux/amd64,linux/arm64 -t r/a${i} --push .`) },
  { name: '8,000 Makefile targets', file: 'Makefile', text: () => lines(8_000, (i) => `t${i}: t${Math.max(0, i - 1)}\n\tdocker buildx build --platform linux/x86_64 -t r/a${i} .`) },
  {
    name: '16 levels of doubling Makefile variables',
    file: 'Makefile',
    text: () => `A0 := x,\n${lines(16, (i) => `A${i + 1} = $(A${i})$(A${i})`)}all:\n\tdocker buildx create --driver kubernetes --driver-opt nodeselector=$(A16)\n`,
  },
  {
    name: '24 levels of doubling Makefile variables',
    file: 'Makefile',
    text: () => `A0 := x,\n${lines(24, (i) => `A${i + 1} = $(A${i})$(A${i})`)}all:\n\tdocker buildx build --platform $(A24) .\n`,
  },
  // Under the file size limit, a syntax tree of a million statements (limits.maxStatements).
  { name: '1,000,000 short commands and one build', file: 'x.sh', text: () => `docker buildx build --platform linux/x86_64 .\n${'echo a\n'.repeat(1_000_000)}` },
  { name: '4,000 create --append --name same', file: 'x.sh', text: () => lines(4_000, (i) => `docker buildx create --append --name same --node n${i} --platform linux/amd64`) },
  { name: 'docker buildx build . + 125,600 )', file: 'x.sh', text: () => `docker buildx build . ${')'.repeat(125_600)}\n` },
  {
    name: '50 MB script',
    file: 'x.sh',
    text: () => {
      const unit = readFileSync(join(root, 'examples/ci/build-multiarch.sh'), 'utf8');
      return unit.repeat(Math.ceil((50 * MB) / unit.length));
    },
  },
  { name: '20 MB single line', file: 'x.sh', text: () => `docker buildx build -t ${'a'.repeat(20 * MB)} .\n` },
  { name: '20 MB, one 5-million-field driver-opt', file: 'x.sh', text: () => `docker buildx create --driver kubernetes --driver-opt "${list(5_000, () => 'a=1,'.repeat(1000), '\n')}"\n` },
  {
    name: '20 MB, one 5-million-field driver-opt, maxFileSize 64 MiB',
    file: 'x.sh',
    config: { limits: { maxFileSize: 64 * MB } },
    text: () => `docker buildx create --driver kubernetes --driver-opt "${list(5_000, () => 'a=1,'.repeat(1000), '\n')}"\n`,
  },
  {
    name: '4 MB file, one quoted 1-million-field driver-opt over short lines',
    file: 'x.sh',
    text: () => `docker buildx create --driver kubernetes --driver-opt "${list(1_000, () => 'a=1,'.repeat(1000), '\n')}"\n`,
  },
  {
    name: '6 MB YAML run: scalar, 1.5-million-field driver-opt',
    file: '.github/workflows/ci.yml',
    text: () =>
      `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: |\n          docker buildx create --driver kubernetes --driver-opt "\n${list(15_000, () => `          ${'a=1,'.repeat(100)}`, '\n')}"\n`,
  },
  // The next classes (test/fuzz/hostile-classes.ts): the worst of each host.
  {
    name: 'GitHub Actions merge-key bomb, 8,000 levels of 9 aliases',
    file: '.github/workflows/ci.yml',
    text: () =>
      `on: push\nx-base:\n  a0: &a0 {k0: v}\n${lines(7_999, (i) => `  a${i + 1}: &a${i + 1} {<<: [${new Array(9).fill(`*a${i}`).join(', ')}], k${i + 1}: v}`)}jobs:\n  b:\n    <<: *a7999\n    runs-on: x\n    env:\n      <<: *a7999\n    steps:\n      - run: docker buildx build --platform linux/x86_64 .\n`,
  },
  {
    name: 'GitLab CI lists of aliases of lists, 8,000 levels',
    file: '.gitlab-ci.yml',
    text: () => `.l0: &l0 ["docker buildx build --platform linux/x86_64 ."]\n${lines(7_999, (i) => `.l${i + 1}: &l${i + 1} [${new Array(9).fill(`*l${i}`).join(', ')}]`)}job:\n  script: *l7999\n`,
  },
  {
    name: 'build-push-action: 20,000 tags, platforms and build-args',
    file: '.github/workflows/ci.yml',
    text: () =>
      `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          tags: |\n${lines(20_000, (i) => `            r/a:${i}`)}          platforms: |\n${lines(20_000, (i) => `            linux/amd64/v${i}`)}          build-args: |\n${lines(20_000, (i) => `            A${i}=v`)}`,
  },
  {
    name: 'bake-action: 40,000 set lines',
    file: '.github/workflows/ci.yml',
    text: () =>
      `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: docker/bake-action@v5\n        with:\n          set: |\n${lines(40_000, (i) => `            t${i}.platform=linux/x86_64,linux/arm64`)}`,
  },
  {
    name: 'YAML flow collections 2,000 deep',
    file: '.github/workflows/ci.yml',
    text: () => `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: docker buildx build .\n        env: {A: ${'['.repeat(2000)}x${']'.repeat(2000)}}\n`,
  },
  { name: 'Markdown: 100,000 tiny fences', file: 'README.md', text: () => lines(100_000, (i) => (i % 10 ? '```sh\n```' : '```sh\ndocker buildx build --platform linux/x86_64 .\n```')) },
  // The other host rows of issue 14: each the worst shape of one reader, at about 1 MB, with
  // platforms that raise no finding, so the rows measure the reader rather than the reports.
  { name: 'Markdown: one 1 MB fence', file: 'README.md', text: () => `\`\`\`sh\n${lines(20_000, (i) => `docker buildx build --platform linux/amd64 -t r/a${i} .`)}\`\`\`\n` },
  { name: 'Markdown: one unclosed 1 MB fence', file: 'README.md', text: () => `Intro\n\n\`\`\`sh\n${lines(20_000, (i) => (i % 2 ? '' : `docker buildx build --platform linux/amd64 -t r/a${i} .`))}` },
  {
    name: 'Markdown: 10,000 fences in lists in quotes 8 deep',
    file: 'README.md',
    text: () => {
      const q = '> '.repeat(8);
      return lines(10_000, (i) => `${q}- item ${i}\n${q}  \`\`\`sh\n${q}  docker buildx build --platform linux/amd64 -t r/a${i} .\n${q}  \`\`\``);
    },
  },
  {
    name: 'Markdown: 20,000 fences in one list',
    file: 'README.md',
    text: () => lines(20_000, (i) => `- item ${i}\n\n  \`\`\`sh\n  docker buildx build --platform linux/amd64 -t r/a${i} .\n  \`\`\``),
  },
  { name: 'Markdown: 40,000-row table', file: 'README.md', text: () => `| a | b |\n|---|---|\n${lines(40_000, (i) => `| \`docker buildx build -t r/a${i} .\` | x${i} |`)}` },
  {
    name: 'Markdown: 20,000 HTML blocks, one <pre> left open',
    file: 'README.md',
    text: () => `${lines(20_000, (i) => `<div>\n<b>${i}</b>\n</div>\n\n\`\`\`sh\ndocker buildx build -t r/a${i} .\n\`\`\`\n`)}<pre>\n${lines(20_000, () => 'docker buildx build .\n')}`,
  },
  {
    name: 'Markdown: 1 MB of inline backtick runs in one paragraph',
    file: 'README.md',
    text: () => `${lines(1_700, (i) => list(20, (j) => `${'`'.repeat(1 + ((i * 20 + j) % 60))}a`, ' '))}\n\`\`\`sh\ndocker buildx build .\n\`\`\`\n`,
  },
  { name: 'Markdown: 1 MB of unmatched single backticks', file: 'README.md', text: () => `${lines(20_000, () => '`a '.repeat(17))}\n\`\`\`sh\ndocker buildx build .\n\`\`\`\n` },
  {
    name: 'GitHub Actions: 200 levels of block mappings',
    file: '.github/workflows/ci.yml',
    text: () => `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: docker buildx build .\n        env:\n${lines(200, (i) => `${' '.repeat(10 + 2 * i)}k${i}:`)}${' '.repeat(410)}v\n`,
  },
  {
    name: 'GitHub Actions: flow mapping of 60,000 keys',
    file: '.github/workflows/ci.yml',
    text: () => `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: docker buildx build --platform $P .\n        env: {\n${list(60_000, (i) => `          K${i}: v${i}`, ',\n')}}\n`,
  },
  {
    name: 'GitHub Actions: 50,000 anchors and aliases',
    file: '.github/workflows/ci.yml',
    text: () =>
      `on: push\nx-vars:\n${lines(50_000, (i) => `  a${i}: &a${i} linux/amd64`)}jobs:\n  b:\n    runs-on: x\n    env:\n${lines(50_000, (i) => `      E${i}: *a${i}`)}    steps:\n      - run: docker buildx build --platform $E0 .\n`,
  },
  {
    name: 'GitHub Actions: billion laughs, 30 levels of 10 list aliases',
    file: '.github/workflows/ci.yml',
    text: () =>
      `on: push\nx-lol:\n  - &l0 [docker buildx build .]\n${lines(29, (i) => `  - &l${i + 1} [${new Array(10).fill(`*l${i}`).join(', ')}]`)}jobs:\n  b:\n    runs-on: x\n    strategy:\n      matrix:\n        p: *l29\n    steps:\n      - run: docker buildx build --platform \${{ matrix.p }} .\n`,
  },
  {
    name: 'GitHub Actions: 10,000 documents',
    file: '.github/workflows/ci.yml',
    text: () => lines(10_000, (i) => `---\non: push\njobs:\n  b${i}:\n    runs-on: x\n    steps:\n      - run: docker buildx build -t r/a${i} .`),
  },
  {
    name: 'GitHub Actions: 20,000 steps',
    file: '.github/workflows/ci.yml',
    text: () => `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n${lines(20_000, (i) => `      - name: s${i}\n        run: docker buildx build --platform linux/amd64 -t r/a${i} .`)}`,
  },
  {
    name: 'GitHub Actions: one 2 MB run: block',
    file: '.github/workflows/ci.yml',
    text: () => `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: |\n${lines(40_000, (i) => `          docker buildx build --platform linux/amd64 -t r/a${i} .`)}`,
  },
  {
    name: 'action.yml: 20,000 inputs and steps',
    file: 'action.yml',
    text: () =>
      `name: x\ninputs:\n${lines(20_000, (i) => `  in${i}:\n    default: linux/amd64`)}runs:\n  using: composite\n  steps:\n${lines(20_000, (i) => `    - run: docker buildx build --platform \${{ inputs.in${i} }} .\n      shell: bash`)}`,
  },
  {
    name: 'GitHub Actions: 10,000 steps under 10,000 workflow variables',
    file: '.github/workflows/ci.yml',
    text: () =>
      `on: push\nenv:\n${lines(10_000, (i) => `  V${i}: v${i}`)}jobs:\n  b:\n    runs-on: x\n    steps:\n${lines(10_000, (i) => `      - run: docker buildx build --platform linux/amd64 -t r/a\${V${i}} .`)}`,
  },
  {
    name: 'GitLab CI: 10,000 jobs under 10,000 global variables',
    file: '.gitlab-ci.yml',
    text: () => `variables:\n${lines(10_000, (i) => `  V${i}: v${i}`)}${lines(10_000, (i) => `j${i}:\n  script:\n    - docker buildx build --platform linux/amd64 -t r/a$V${i} .`)}`,
  },
  {
    name: 'GitLab CI: 20,000 jobs',
    file: '.gitlab-ci.yml',
    text: () => `variables:\n  P: linux/amd64\n${lines(20_000, (i) => `j${i}:\n  stage: build\n  script:\n    - docker buildx build --platform $P -t r/a${i} .`)}`,
  },
  {
    name: 'GitLab CI: 5,000 includes, 5,000 jobs extending 20 templates',
    file: '.gitlab-ci.yml',
    text: () =>
      `include:\n${lines(5_000, (i) => `  - local: ci/t${i}.yml`)}${lines(20, (t) => `.t${t}:\n  tags: [linux]\n  variables: {V${t}: x}\n  script:\n    - docker buildx build -t r/t${t} .`)}${lines(5_000, (i) => `j${i}:\n  extends: [${list(20, (t) => `.t${t}`, ', ')}]\n  script:\n    - docker buildx build --platform linux/amd64 -t r/a${i} .`)}`,
  },
  { name: '--fix on one build with 10,000 --platform aliases', file: 'x.sh', fix: true, text: () => `docker buildx build ${'--platform linux/x86_64 '.repeat(10_000)}.\n` },
  { name: '--fix on 10,000 fixable lines', file: 'x.sh', fix: true, text: () => lines(10_000, (i) => `docker buildx build --platform linux/x86_64 -t r/a${i} .`) },
];

function run(argv, cwd) {
  // timeout(1) under time(1): a row past the limit is killed itself (killing time(1) would leave
  // the linter running), and time(1) still reports what it used.
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'timeout', '-s', 'KILL', String(timeoutS), process.execPath, ...argv], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1024 * MB,
    timeout: (timeoutS + 30) * 1000,
    killSignal: 'SIGKILL',
  });
  const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+) (\d+)\s*$/.exec(r.stderr ?? '');
  if (!m) return { timedOut: true, status: r.status, signal: r.signal, seconds: timeoutS, wall: timeoutS, rssMB: NaN, stdout: '', stderr: r.stderr ?? '' };
  const stderr = r.stderr.slice(0, m.index);
  // timeout(1) exits 137 when it had to kill the linter.
  if (r.status === 137 && Number(m[1]) >= timeoutS - 1)
    return { timedOut: true, status: r.status, signal: 'SIGKILL', seconds: timeoutS, wall: timeoutS, rssMB: Number(m[4]) / 1024, stdout: '', stderr };
  return { timedOut: false, status: r.status, wall: Number(m[1]), seconds: Number(m[2]) + Number(m[3]), rssMB: Number(m[4]) / 1024, stdout: r.stdout, stderr };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function summarise(stdout) {
  try {
    const doc = JSON.parse(stdout);
    const counts = new Map();
    for (const d of doc.diagnostics) counts.set(d.rule, (counts.get(d.rule) ?? 0) + 1);
    const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const limitDiag = doc.diagnostics.find((d) => d.rule === 'KBX604' || d.rule === 'KBX605');
    return {
      findings: doc.diagnostics.length,
      top: top.map(([c, n]) => `${c}×${n}`).join(' '),
      limit: limitDiag ? `${limitDiag.rule} ${limitDiag.line}:${limitDiag.column} ${limitDiag.message}` : null,
    };
  } catch {
    return { findings: NaN, top: '(no JSON)', limit: null };
  }
}

const work = mkdtempSync(join(tmpdir(), 'kbx-hostile-'));
// Removed on any exit: the baseline runs below come before the try block that also removes it.
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
mkdirSync(join(work, '.git'));
const baselines = [];
for (let i = 0; i < 3; i++) baselines.push(run(['-e', '0'], work));
const base = { seconds: median(baselines.map((b) => b.seconds)), rssMB: median(baselines.map((b) => b.rssMB)) };
const results = [];
/** Runs one build on a row `reps` times and judges the median against the row's ceiling. */
function measure(row, cliPath, dir, file, text, kb) {
  const argv = [cliPath, '--format', 'json'];
  if (row.config) {
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify(row.config));
    argv.push('--config', join(dir, 'cfg.json'));
  } else argv.push('--no-config');
  if (row.fix) argv.push('--fix');
  argv.push(row.file);
  const runs = [];
  for (let k = 0; k < reps; k++) {
    if (row.fix) writeFileSync(file, text);
    const r = run(argv, dir);
    runs.push(r);
    if (r.timedOut || r.seconds > 10) break;
  }
  const last = runs[runs.length - 1];
  const seconds = median(runs.map((r) => r.seconds));
  const wall = median(runs.map((r) => r.wall));
  const rssMB = median(runs.map((r) => r.rssMB));
  const sum = summarise(last.stdout);
  const per100 = seconds / (kb / 100);
  // The memory goal of issue 14: the base process plus ten times the input, never above the ceiling.
  const rowCeilingMB = Math.min(ceilingMB, Math.round(BASE_RSS_MB + (10 * kb) / 1024));
  const crashed = !last.timedOut && (last.status === null || last.status > 1 || /heap|Error:|at .*\.js:\d+/.test(last.stderr));
  let verdict;
  if (last.timedOut) verdict = `TIMEOUT >${timeoutS}s`;
  else if (crashed) verdict = `CRASH (exit ${last.status}): ${last.stderr.trim().split('\n').slice(-1)[0]?.slice(0, 100)}`;
  else if (rssMB > rowCeilingMB) verdict = `MEMORY >${rowCeilingMB} MB`;
  else if (row.fix) verdict = seconds < 2 ? 'ok (< 2 s)' : 'SLOW (target < 2 s)';
  else if (sum.limit && seconds < Math.max(1, (0.3 * kb) / 100)) verdict = 'limit';
  else if (per100 < 0.3 || seconds < 0.6) verdict = 'ok';
  else verdict = 'SLOW';
  return {
    row: row.name,
    kb: Math.round(kb),
    seconds,
    wall,
    per100KB: Number(per100.toFixed(3)),
    rssMB: Math.round(rssMB),
    ceilingMB: rowCeilingMB,
    exit: last.status,
    findings: sum.findings,
    top: sum.top,
    limit: sum.limit,
    verdict,
  };
}
const show = (label, r) =>
  `${label.padEnd(62)} ${String(r.kb).padStart(7)} KB ${r.seconds.toFixed(2).padStart(7)} s cpu ${r.per100KB.toFixed(3).padStart(7)} s/100KB ${String(r.rssMB).padStart(5)}/${r.ceilingMB} MB  ${r.verdict}  [${r.top}]${r.limit ? `  «${r.limit.slice(0, 110)}»` : ''}`;
try {
  for (const row of ROWS) {
    if (only && !row.name.includes(only)) continue;
    const dir = mkdtempSync(join(work, 'row-'));
    mkdirSync(join(dir, '.git'));
    const file = join(dir, row.file);
    mkdirSync(dirname(file), { recursive: true });
    const text = row.text();
    writeFileSync(file, text);
    const kb = statSync(file).size / 1024;
    const before = compareDir ? measure(row, join(compareDir, 'kbx-lint.js'), dir, file, text, kb) : null;
    const r = measure(row, cli, dir, file, text, kb);
    if (before) r.before = before;
    results.push(r);
    if (!asJson) {
      if (before) console.log(show(`${row.name} (before)`, before));
      console.log(show(row.name, r) + (before ? `  cpu ×${(r.seconds / Math.max(0.01, before.seconds)).toFixed(2)} rss ×${(r.rssMB / before.rssMB).toFixed(2)}` : ''));
    }
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (asJson) console.log(JSON.stringify({ baseline: base, ceilingMB, results }, null, 2));
else
  console.log(
    `baseline node -e 0: ${base.seconds.toFixed(2)} s, ${Math.round(base.rssMB)} MB (median of 3, same run); ceiling ${ceilingMB} MB; verdict ok = < 0.3 s CPU per 100 KB (or < 0.6 s), within the ceiling (base + 10× the input, at most --ceiling)`,
  );
