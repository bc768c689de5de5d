#!/usr/bin/env node
// kbx-lint benchmark: the performance goals of issue 12, each row measured against a baseline in
// the same run (median of --runs runs, baseline and measure alternating so both see the same
// load), the goal beside it and whether it is met. bench/README.md describes every row.
//
// Usage: npm run bench -- [--runs N] [--quick] [--only ROW[,ROW]] [--json]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { denseCorpus, hugeDriverOpt, lspScript, mulberry32, plainTree, writeFiles } from './corpus.mjs';
import { LspClient } from './lsp-client.mjs';
import { median, paired, percentile, run, summary } from './measure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist/kbx-lint.js');
const serverJs = join(root, 'dist/server.js');
const node = process.execPath;

// ---------------------------------------------------------------- flags

const ROW_NAMES = ['dense', 'shellcheck', 'tree', 'startup', 'cli-rss', 'lsp-edit', 'lsp-rss', 'lsp-huge', 'throughput', 'shell-parse'];
const USAGE = `usage: npm run bench -- [--runs N] [--quick] [--only ROW[,ROW]] [--json]\nrows: ${ROW_NAMES.join(', ')}\n`;

function parseFlags(argv) {
  const flags = { runs: 3, quick: false, only: null, json: false };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i];
    if (name === '--runs') flags.runs = Number(value());
    else if (name === '--quick') flags.quick = true;
    else if (name === '--json') flags.json = true;
    else if (name === '--only') flags.only = value()?.split(',').filter(Boolean) ?? [];
    else if (name === '--help' || name === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else {
      process.stderr.write(`bench: unknown argument ${argv[i]}\n${USAGE}`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(flags.runs) || flags.runs < 1) {
    process.stderr.write(`bench: --runs needs a positive whole number\n${USAGE}`);
    process.exit(2);
  }
  const unknown = (flags.only ?? []).filter((n) => !ROW_NAMES.includes(n));
  if (unknown.length) {
    process.stderr.write(`bench: unknown row ${unknown.join(', ')}\n${USAGE}`);
    process.exit(2);
  }
  return flags;
}

const flags = parseFlags(process.argv.slice(2));
const RUNS = flags.runs;
const SIZES = flags.quick
  ? { denseFiles: 40, denseBytes: 650_000, shellcheckFiles: 10, treeFiles: 920, lspLines: 1000, lspCommands: 100, edits: 20, pushEdits: 3, hugeFields: 5_000_000 }
  : { denseFiles: 400, denseBytes: 6_500_000, shellcheckFiles: 100, treeFiles: 9200, lspLines: 5000, lspCommands: 500, edits: 100, pushEdits: 10, hugeFields: 5_000_000 };
const wanted = (name) => !flags.only || flags.only.includes(name);
const log = (s) => (flags.json ? process.stderr : process.stdout).write(`${s}\n`);

// ---------------------------------------------------------------- dist/

function newestUnder(dir) {
  let newest = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

if (!existsSync(cli) || !existsSync(serverJs)) {
  log('dist/ is missing: running npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    process.stderr.write('bench: npm run build failed\n');
    process.exit(1);
  }
} else if (newestUnder(join(root, 'server/src')) > Math.min(statSync(cli).mtimeMs, statSync(serverJs).mtimeMs)) {
  log('note: server/src is newer than dist/: run `npm run build` first to measure the current code');
}

// ---------------------------------------------------------------- rows

/**
 * A row: name, measure, baseline, value (what the goal reads: a ratio, ms or MB), goal and met.
 * Timed rows carry the median and min–max of the measure, the baseline and their ratio.
 */
const rows = [];
function addRow(row) {
  rows.push(row);
  printRow(row); // on stderr under --json, so a saved JSON file still comes with a readable log
}

const fmt = (x, unit) => {
  if (x == null || Number.isNaN(x)) return 'n/a';
  if (unit === 'x') return x < 0.1 ? x.toFixed(3) : x.toFixed(2);
  if (unit === 'ms') return x < 10 ? x.toFixed(2) : x.toFixed(0);
  return x.toFixed(0);
};
const spread = (s, unit) => `${fmt(s.min, unit)}–${fmt(s.max, unit)}`;

function printRow(r) {
  log(`\n[${r.name}] ${r.title}`);
  if (r.skipped) {
    log(`  skipped: ${r.skipped}`);
    return;
  }
  if (r.measure) log(`  measure   ${r.measure.label.padEnd(56)} ${fmt(r.measure.median, r.measure.unit).padStart(7)} ${r.measure.unit}  (${spread(r.measure, r.measure.unit)})`);
  if (r.baseline) log(`  baseline  ${r.baseline.label.padEnd(56)} ${fmt(r.baseline.median, r.baseline.unit).padStart(7)} ${r.baseline.unit}  (${spread(r.baseline, r.baseline.unit)})`);
  if (r.ratio) log(`  ratio     ${''.padEnd(56)} ${fmt(r.ratio.median, 'x').padStart(7)} x   (${spread(r.ratio, 'x')})`);
  for (const n of r.notes ?? []) log(`  ${n}`);
  if (r.goal) log(`  goal      ${r.goal.text.padEnd(56)} ${r.met === null ? '?' : r.met ? 'MET' : 'NOT MET'}`);
}

/** goal: `value` (in `unit`: 'x' for a ratio, 'ms', 'MB') is met when at most `max`. */
const goal = (text, value, max, unit = 'x') => ({ goal: { text, max, value, unit }, met: value == null || Number.isNaN(value) ? null : value <= max });

const work = mkdtempSync(join(tmpdir(), 'kbx-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

const lazy = (f) => {
  let v;
  return () => (v ??= f());
};

const dense = lazy(() => {
  const dir = join(work, 'dense');
  const files = denseCorpus({ files: SIZES.denseFiles, bytes: SIZES.denseBytes });
  const bytes = writeFiles(dir, files);
  return { dir, files, bytes, label: `${files.length} files, ${(bytes / 1e6).toFixed(1)} MB` };
});

const nodeStartup = lazy(async () => {
  const samples = [];
  for (let i = 0; i < RUNS * 5; i++) samples.push(await run(node, ['-e', '0']));
  return samples;
});

// The dense corpus lint, shared by the `dense` and `cli-rss` rows.
const denseLint = lazy(async () => {
  const { dir } = dense();
  const result = await paired(
    RUNS,
    () => run(node, [join(root, 'bench/ts-parse.mjs'), dir], { capture: true }),
    () => run(node, [cli, dir]),
  );
  let ts = null;
  try {
    ts = JSON.parse(result.raw[0].baseline.stdout);
  } catch {
    throw new Error(`bench/ts-parse.mjs printed no summary (exit ${result.raw[0].baseline.status})`);
  }
  return { ...result, ts };
});

const lintCpu = (raw, key) => summary(raw.map((r) => r[key].cpuMs ?? NaN));

async function rowDense() {
  const d = dense();
  const r = await denseLint();
  const cpuRatio = median(r.raw.map((x) => x.measure.cpuMs / x.baseline.cpuMs));
  addRow({
    name: 'dense',
    title: 'whole lint of the buildx-dense corpus ÷ tree-sitter-bash (WASM) parsing its shell files',
    measure: { label: `node dist/kbx-lint.js DIR (${d.label})`, unit: 'ms', ...r.measure },
    baseline: { label: `tree-sitter-bash parse (${r.ts ? `${r.ts.files} shell files, ${(r.ts.bytes / 1e6).toFixed(1)} MB; Makefiles skipped` : 'shell files'})`, unit: 'ms', ...r.baseline },
    ratio: r.ratio,
    notes: [
      `cpu (user+sys): kbx-lint ${fmt(median(lintCpu(r.raw, 'measure').samples), 'ms')} ms, tree-sitter ${fmt(median(lintCpu(r.raw, 'baseline').samples), 'ms')} ms, ratio ${fmt(cpuRatio, 'x')}`,
      ...(r.ts && r.ts.errors ? [`tree-sitter found syntax errors in ${r.ts.errors} files`] : []),
    ],
    ...goal('ratio ≤ 0.33', r.ratio.median, 0.33),
  });
}

async function rowCliRss() {
  const r = await denseLint();
  const base = await nodeStartup();
  const rss = summary(r.raw.map((x) => x.measure.rssMb));
  const baseRss = summary(base.map((x) => x.rssMb));
  addRow({
    name: 'cli-rss',
    title: 'peak RSS of the CLI on the dense corpus',
    measure: { label: `kbx-lint DIR (${dense().label}), peak RSS`, unit: 'MB', ...rss },
    baseline: { label: 'node -e 0, peak RSS', unit: 'MB', ...baseRss },
    ratio: summary(rss.samples.map((x) => x / baseRss.median)),
    notes: [`tree-sitter-bash parse of the same corpus: ${fmt(median(r.raw.map((x) => x.baseline.rssMb)), 'MB')} MB`],
    ...goal('peak RSS ≤ 150 MB', rss.median, 150, 'MB'),
  });
}

function shellcheckVersion() {
  const r = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return /version:\s*(\S+)/.exec(r.stdout)?.[1] ?? 'unknown';
}

async function rowShellcheck() {
  const title = `kbx-lint ÷ ShellCheck on ${SIZES.shellcheckFiles} shell files of the dense corpus`;
  const version = shellcheckVersion();
  if (!version) return addRow({ name: 'shellcheck', title, skipped: 'shellcheck not installed', goal: { text: 'ratio ≤ 0.02' }, met: null });
  const d = dense();
  // Every k-th shell file, so the sample spans the corpus's size range.
  const shells = d.files.filter((f) => f.kind === 'shell');
  const step = shells.length / SIZES.shellcheckFiles;
  const picked = Array.from({ length: Math.min(SIZES.shellcheckFiles, shells.length) }, (_, i) => join(d.dir, shells[Math.floor(i * step)].path));
  const bytes = picked.reduce((n, p) => n + statSync(p).size, 0);
  const r = await paired(
    RUNS,
    () => run('shellcheck', ['--format=gcc', ...picked]),
    () => run(node, [cli, ...picked]),
  );
  addRow({
    name: 'shellcheck',
    title,
    measure: { label: `node dist/kbx-lint.js FILES (${picked.length} files, ${(bytes / 1e6).toFixed(2)} MB)`, unit: 'ms', ...r.measure },
    baseline: { label: `shellcheck ${version} --format=gcc FILES`, unit: 'ms', ...r.baseline },
    ratio: r.ratio,
    notes: [`ShellCheck ${version}`],
    ...goal('ratio ≤ 0.02', r.ratio.median, 0.02),
  });
}

async function rowTree() {
  const dir = join(work, 'plain');
  const files = plainTree({ files: SIZES.treeFiles });
  const bytes = writeFiles(dir, files);
  const grep = () => run('grep', ['-rl', 'buildx', dir]);
  const lint = () => run(node, [cli, dir]);
  // Both sides are a tenth of a second, so one descheduled run moves a ratio by half. The tree was
  // only just written: one untimed run of each first, so neither side is measured while the
  // kernel writes it back or with directory entries not yet cached; then three times as many
  // pairs, the order turned each time, so neither side always runs second (after the other has
  // warmed the caches and the CPU clock).
  await grep();
  await lint();
  const raw = [];
  for (let i = 0; i < RUNS * 3; i++) {
    if (i % 2) {
      const measure = await lint();
      raw.push({ baseline: await grep(), measure });
    } else {
      const baseline = await grep();
      raw.push({ baseline, measure: await lint() });
    }
  }
  const r = {
    baseline: summary(raw.map((x) => x.baseline.ms)),
    measure: summary(raw.map((x) => x.measure.ms)),
    ratio: summary(raw.map((x) => x.measure.ms / x.baseline.ms)),
  };
  rmSync(dir, { recursive: true, force: true });
  addRow({
    name: 'tree',
    title: `a ${files.length}-file tree of ordinary shell scripts without buildx ÷ grep -rl buildx`,
    measure: { label: `node dist/kbx-lint.js DIR (${files.length} files, ${(bytes / 1e6).toFixed(1)} MB)`, unit: 'ms', ...r.measure },
    baseline: { label: 'grep -rl buildx DIR', unit: 'ms', ...r.baseline },
    ratio: r.ratio,
    notes: [
      `${raw.length} pairs after one untimed run of each, order alternating`,
      `cpu (user+sys): kbx-lint ${fmt(median(lintCpu(raw, 'measure').samples), 'ms')} ms, grep ${fmt(median(lintCpu(raw, 'baseline').samples), 'ms')} ms, ratio ${fmt(median(raw.map((x) => x.measure.cpuMs / x.baseline.cpuMs)), 'x')}`,
    ],
    ...goal('ratio ≤ 3', r.ratio.median, 3),
  });
}

async function rowStartup() {
  // Start-up is short and noisy: five times as many runs, still paired.
  const r = await paired(
    RUNS * 5,
    () => run(node, ['-e', '0']),
    () => run(node, [cli, '--version']),
  );
  addRow({
    name: 'startup',
    title: 'kbx-lint --version ÷ node -e 0',
    measure: { label: `node dist/kbx-lint.js --version (${RUNS * 5} runs)`, unit: 'ms', ...r.measure },
    baseline: { label: 'node -e 0', unit: 'ms', ...r.baseline },
    ratio: r.ratio,
    ...goal('ratio ≤ 1.2', r.ratio.median, 1.2),
  });
}

// ---------------------------------------------------------------- language server

const PUSH_DEBOUNCE_MS = 200; // KbxLintServer's default debounceMs; main.ts does not change it

/** One-character replacements at seeded places: a digit becomes another digit, a letter another letter. */
function* edits(lines, count, seed = 7) {
  const rnd = mulberry32(seed);
  for (let k = 0; k < count; k++) {
    for (;;) {
      const line = Math.floor(rnd() * lines.length);
      const text = lines[line];
      if (!text) continue;
      const col = Math.floor(rnd() * text.length);
      const ch = text[col];
      let next;
      if (/[0-9]/.test(ch)) next = String((Number(ch) + 1 + Math.floor(rnd() * 8)) % 10);
      else if (/[a-z]/.test(ch)) next = String.fromCharCode(97 + ((ch.charCodeAt(0) - 97 + 1 + Math.floor(rnd() * 24)) % 26));
      else continue;
      lines[line] = text.slice(0, col) + next + text.slice(col + 1);
      yield { range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: next };
      break;
    }
  }
}

function openParams(uri, text, version = 1) {
  return { textDocument: { uri, languageId: 'shellscript', version, text } };
}

/** One pull-diagnostics session: open, warm up, then timed edits; returns latencies and RSS. */
async function lspPullSession(text) {
  const client = new LspClient(node, [serverJs, '--stdio']);
  try {
    await client.initialize({ pull: true });
    const idleRss = client.peakRssMb();
    const uri = 'file:///bench/lsp-edit.sh';
    client.notify('textDocument/didOpen', openParams(uri, text));
    const first = await client.request('textDocument/diagnostic', { textDocument: { uri } });
    // The protocol's own cost: a pull on an unchanged document is answered from the cache.
    const rtt = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await client.request('textDocument/diagnostic', { textDocument: { uri } });
      rtt.push(performance.now() - t0);
    }
    const lines = text.split('\n');
    const hoverLine = lines.findIndex((l) => l.includes('--driver-opt'));
    const hoverPos = { line: hoverLine, character: lines[hoverLine].indexOf('--driver-opt') + 16 };
    const latencies = [];
    const hovers = [];
    let version = 1;
    for (const change of edits(lines, SIZES.edits)) {
      version++;
      const t0 = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      const report = await client.request('textDocument/diagnostic', { textDocument: { uri } });
      latencies.push(performance.now() - t0);
      if (!report || report.kind !== 'full') throw new Error('the server answered a pull without a full report');
      const h0 = performance.now();
      await client.request('textDocument/hover', { textDocument: { uri }, position: hoverPos });
      hovers.push(performance.now() - h0);
    }
    const peakRss = client.peakRssMb();
    return { latencies, hovers, rtt, idleRss, peakRss, diagnostics: first.items.length };
  } finally {
    await client.close();
  }
}

/** Push mode: time from didChange to the publishDiagnostics of that version, less the debounce. */
async function lspPushSession(text) {
  const client = new LspClient(node, [serverJs, '--stdio']);
  try {
    await client.initialize({ pull: false });
    const uri = 'file:///bench/lsp-push.sh';
    const published = (v) => (m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && (v === undefined || m.params.version === v);
    const opened = client.waitFor(published(), 60_000);
    const t0 = performance.now();
    client.notify('textDocument/didOpen', openParams(uri, text));
    if (!(await opened)) throw new Error('no diagnostics after didOpen within 60 s');
    const openMs = performance.now() - t0;
    const lines = text.split('\n');
    const latencies = [];
    let version = 1;
    for (const change of edits(lines, SIZES.pushEdits, 11)) {
      version++;
      const got = client.waitFor(published(version), 60_000);
      const t1 = performance.now();
      client.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
      if (!(await got)) throw new Error(`no diagnostics for version ${version} within 60 s`);
      latencies.push(performance.now() - t1 - PUSH_DEBOUNCE_MS);
    }
    return { openMs, latencies };
  } finally {
    await client.close();
  }
}

const lspRuns = lazy(async () => {
  const text = lspScript({ lines: SIZES.lspLines, commands: SIZES.lspCommands });
  const pulls = [];
  const pushes = [];
  for (let i = 0; i < RUNS; i++) {
    pulls.push(await lspPullSession(text));
    pushes.push(await lspPushSession(text));
  }
  return { pulls, pushes, label: `${SIZES.lspLines}-line script, ${SIZES.lspCommands} buildx commands` };
});

async function rowLspEdit() {
  const { pulls, pushes, label } = await lspRuns();
  const p50 = summary(pulls.map((s) => percentile(s.latencies, 50)));
  const p99 = summary(pulls.map((s) => percentile(s.latencies, 99)));
  const rtt = summary(pulls.map((s) => median(s.rtt)));
  const pushP50 = pushes.map((s) => percentile(s.latencies, 50));
  const pushMax = pushes.map((s) => Math.max(...s.latencies));
  addRow({
    name: 'lsp-edit',
    title: `language server, ${label}: one-character edit → new diagnostics (pull), p50 and p99`,
    measure: { label: `p99 of ${SIZES.edits} edits, didChange → textDocument/diagnostic answer`, unit: 'ms', ...p99 },
    baseline: { label: 'textDocument/diagnostic on an unchanged document (cached)', unit: 'ms', ...rtt },
    ratio: summary(p99.samples.map((x, i) => x / rtt.samples[i])),
    notes: [
      `p50 ${fmt(p50.median, 'ms')} ms (${spread(p50, 'ms')})`,
      `hover right after each pull: p50 ${fmt(median(pulls.map((s) => percentile(s.hovers, 50))), 'ms')} ms, p99 ${fmt(median(pulls.map((s) => percentile(s.hovers, 99))), 'ms')} ms`,
      `push (debounce ${PUSH_DEBOUNCE_MS} ms subtracted), ${SIZES.pushEdits} edits: p50 ${fmt(median(pushP50), 'ms')} ms, max ${fmt(median(pushMax), 'ms')} ms; first push after didOpen ${fmt(median(pushes.map((s) => s.openMs)), 'ms')} ms`,
      `${pulls[0].diagnostics} diagnostics on the unedited script`,
    ],
    ...goal('p99 ≤ 16 ms', p99.median, 16, 'ms'),
  });
}

async function rowLspRss() {
  const { pulls, label } = await lspRuns();
  const peak = summary(pulls.map((s) => s.peakRss));
  const idle = summary(pulls.map((s) => s.idleRss));
  addRow({
    name: 'lsp-rss',
    title: `language server peak RSS on the ${label} after ${SIZES.edits} edits`,
    measure: { label: `server VmHWM after ${SIZES.edits} edits`, unit: 'MB', ...peak },
    baseline: { label: 'server VmHWM after initialize', unit: 'MB', ...idle },
    ratio: summary(peak.samples.map((x, i) => x / idle.samples[i])),
    ...goal('peak RSS ≤ 150 MB', peak.median, 150, 'MB'),
  });
}

async function lspHugeSession(text) {
  const client = new LspClient(node, [serverJs, '--stdio']);
  try {
    await client.initialize({ pull: false });
    const uri = 'file:///bench/huge.sh';
    const arrived = client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri, 60_000);
    const t0 = performance.now();
    client.notify('textDocument/didOpen', openParams(uri, text));
    const msg = await arrived;
    const ms = performance.now() - t0;
    const diag = msg?.params.diagnostics[0] ?? null;
    // Still alive: a hover on the huge document and diagnostics for a small one.
    const hover = await LspClient.withTimeout(
      client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 10 } }).then(() => true),
      10_000,
    );
    const small = 'file:///bench/small.sh';
    const smallArrived = client.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === small, 10_000);
    client.notify('textDocument/didOpen', openParams(small, 'docker buildx create --driver kubernetes --driver-opt replicas=two\n'));
    const smallMsg = await smallArrived;
    return {
      arrived: !!msg,
      ms: msg ? ms : null,
      count: msg?.params.diagnostics.length ?? 0,
      code: diag?.code ?? null,
      message: diag?.message ?? null,
      answers: hover === true && !!smallMsg && !client.exited,
      rss: client.peakRssMb(),
    };
  } finally {
    await client.close();
  }
}

async function rowLspHuge() {
  const text = hugeDriverOpt({ fields: SIZES.hugeFields });
  const sessions = [];
  for (let i = 0; i < RUNS; i++) sessions.push(await lspHugeSession(text));
  const { pushes } = wanted('lsp-edit') || wanted('lsp-rss') ? await lspRuns() : { pushes: null };
  const times = sessions.map((s) => s.ms).filter((x) => x != null);
  const ok = sessions.every((s) => s.arrived && s.answers && (s.code === 'KBX604' || /too large|limit/i.test(s.message ?? '')));
  const s0 = sessions[0];
  const time = times.length ? summary(times) : null;
  const base = pushes ? summary(pushes.map((s) => s.openMs)) : null;
  addRow({
    name: 'lsp-huge',
    title: `a ${(text.length / 1e6).toFixed(0)} MB document with one ${(SIZES.hugeFields / 1e6).toFixed(0)}-million-field --driver-opt sent to the server`,
    ...(time ? { measure: { label: 'didOpen → first publishDiagnostics', unit: 'ms', ...time } } : {}),
    ...(base ? { baseline: { label: `didOpen → first publishDiagnostics, ${SIZES.lspLines}-line script`, unit: 'ms', ...base } } : {}),
    ...(time && base ? { ratio: summary(time.samples.map((x, i) => x / base.samples[i % base.samples.length])) } : {}),
    notes: [
      `diagnostic: ${s0.arrived ? `${s0.count} × ${s0.code}: ${s0.message}` : 'none within 60 s'}`,
      `server afterwards: ${sessions.every((s) => s.answers) ? 'alive, answers hover and lints a new document' : 'NOT answering in at least one run'}`,
      `server peak RSS ${fmt(median(sessions.map((s) => s.rss)), 'MB')} MB`,
    ],
    goal: { text: 'a clear "too large" diagnostic, server alive' },
    met: ok,
    diagnostic: { code: s0.code, message: s0.message, count: s0.count },
  });
}

// ---------------------------------------------------------------- other measurements

/** A script full of buildx invocations, about `bytes` characters (the throughput row). */
function throughputScript(bytes) {
  const cmds = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const s = `create_${i}() {\n  docker buildx create --name "b${i}" --driver kubernetes --node n${i} \\\n    --platform linux/amd64 '--driver-opt="nodeselector=kubernetes.io/arch=amd64,pool=ci","tolerations=key=ci,operator=Exists"' \\\n    --driver-opt namespace=ci,replicas=${i % 5},requests.cpu=1,limits.memory=2Gi\n  if [ -n "$X" ]; then docker buildx build --builder b${i} --platform linux/amd64 -t "reg/app:$(git rev-parse HEAD)" --push .; fi\n}`;
    cmds.push(s);
    n += s.length + 1;
  }
  return { text: `${cmds.join('\n')}\n`, invocations: cmds.length * 2 };
}

async function rowThroughput() {
  const { text, invocations } = throughputScript(flags.quick ? 250_000 : 1_000_000);
  const file = join(work, 'throughput.sh');
  writeFileSync(file, text);
  const r = await paired(
    RUNS,
    () => run('grep', ['-c', 'buildx', file]),
    () => run(node, [cli, '--format', 'json', file]),
  );
  addRow({
    name: 'throughput',
    title: `lint throughput: one ${(text.length / 1e6).toFixed(2)} MB script with ${invocations} invocations ÷ grep -c buildx`,
    measure: { label: 'node dist/kbx-lint.js --format json FILE', unit: 'ms', ...r.measure },
    baseline: { label: 'grep -c buildx FILE', unit: 'ms', ...r.baseline },
    ratio: r.ratio,
    notes: [`${(text.length / 1e6 / (r.measure.median / 1000)).toFixed(2)} MB/s wall, whole process`],
  });
}

async function rowShellParse() {
  const argv = [join(root, 'bench/shell-parse.mjs'), `--reps=${RUNS}`, ...(flags.quick ? ['--only=realistic1MB,robust1MB'] : [])];
  const r = spawnSync(node, argv, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  const lines = (r.stdout ?? '').trim().split('\n').filter(Boolean);
  const parsed = lines.map((l) => {
    const m = /^(\S+)\s+([\d.]+) MB\s+best\s+(\d+) ms.*cpu best (\d+) ms/.exec(l);
    return m ? { input: m[1], mb: Number(m[2]), bestMs: Number(m[3]), cpuBestMs: Number(m[4]) } : { line: l };
  });
  const row = { name: 'shell-parse', title: 'the shell parser alone (bench/shell-parse.mjs, in process, best of --runs)', inputs: parsed };
  if (r.status !== 0) row.skipped = `bench/shell-parse.mjs failed: ${(r.stderr ?? '').trim().split('\n').pop()}`;
  rows.push(row);
  log(`\n[${row.name}] ${row.title}`);
  if (row.skipped) log(`  skipped: ${row.skipped}`);
  for (const l of lines) log(`  ${l}`);
}

// ---------------------------------------------------------------- main

const ROWS = {
  dense: rowDense,
  shellcheck: rowShellcheck,
  tree: rowTree,
  startup: rowStartup,
  'cli-rss': rowCliRss,
  'lsp-edit': rowLspEdit,
  'lsp-rss': rowLspRss,
  'lsp-huge': rowLspHuge,
  throughput: rowThroughput,
  'shell-parse': rowShellParse,
};

log(`kbx-lint benchmark: median of ${RUNS} runs (spread min–max)${flags.quick ? ', --quick sizes' : ''}, node ${process.version}`);
log('ratios > 1: slower or larger than the baseline, which ran alternately with the measure');
for (const name of ROW_NAMES) {
  if (!wanted(name)) continue;
  try {
    await ROWS[name]();
  } catch (e) {
    addRow({ name, title: name, skipped: `failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}

log('\nsummary');
for (const r of rows.filter((r) => r.goal)) {
  const value = r.skipped ? 'skipped' : r.goal.value == null ? (r.met ? 'yes' : 'no') : `${fmt(r.goal.value, r.goal.unit)} ${r.goal.unit}`;
  log(`  ${r.name.padEnd(11)} ${value.padStart(10)}   goal ${r.goal.text.padEnd(44)} ${r.met === null ? '-' : r.met ? 'met' : 'NOT met'}`);
}
if (flags.json) process.stdout.write(`${JSON.stringify({ node: process.version, runs: RUNS, quick: flags.quick, rows }, null, 2)}\n`);
