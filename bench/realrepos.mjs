#!/usr/bin/env node
// Whole-repository measurement: kbx-lint run over entire public repositories, as a project would
// run it in CI (its own discovery, .gitignore, every host), and every finding compared with a
// person's verdict.
//
//   node bench/realrepos.mjs DIR [--classes FILE] [--json] [--cli PATH]
//
// DIR holds one folder per repository, named `owner+name` (a `git archive` of the commit listed in
// bench/realcode-data/repos.tsv). The files are not committed: fetch each repository at its commit
// and unpack it there.
// --classes: TSV `file<TAB>line<TAB>code<TAB>true|false<TAB>reason`, `file` relative to DIR
//   (default: bench/realcode-data/repo-classes.tsv). One verdict judges every finding of that code
//   starting on that line.
//
// Prints the findings, true/false/unclassified (listed, ready to paste into the classes file), the
// precision true / (true + false), and classified findings that are no longer reported.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
function fail(msg) {
  console.error(`realrepos: ${msg}`);
  process.exit(2);
}
function option(name) {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) fail(`--${name} needs a value`);
  args.splice(i, 2);
  return v;
}
function flag(name) {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
}
const classesFile = resolve(option('classes') ?? join(root, 'bench/realcode-data/repo-classes.tsv'));
const cli = resolve(option('cli') ?? join(root, 'dist/kbx-lint.js'));
const asJson = flag('json');
if (args.length !== 1) fail('usage: node bench/realrepos.mjs DIR [--classes FILE] [--json] [--cli PATH]');
const dir = resolve(args[0]);
if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`${args[0]}: not a directory`);
if (!existsSync(cli)) fail(`${cli} is missing: run npm run build`);

const verdicts = new Map();
if (existsSync(classesFile)) {
  for (const line of readFileSync(classesFile, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [file, ln, code, verdict, reason = ''] = line.split('\t');
    if (verdict !== 'true' && verdict !== 'false') fail(`${classesFile}: verdict must be true or false: ${line}`);
    verdicts.set(`${file}\t${ln}\t${code}`, { verdict, reason, seen: false });
  }
}

const repos = readdirSync(dir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const findings = [];
let failedRuns = 0;
for (const repo of repos) {
  // The repository folder is the working directory, as in its own CI.
  const r = spawnSync(process.execPath, [cli, '--format', 'json', '.'], { cwd: join(dir, repo), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0 && r.status !== 1) {
    // Exit 2 with "nothing linted" is a repository without any file kbx-lint reads.
    if (!/nothing linted/.test(r.stderr ?? '')) {
      failedRuns++;
      console.error(`${repo}: exit ${r.status}: ${(r.stderr ?? String(r.error ?? '')).trim().split('\n')[0]}`);
    }
    continue;
  }
  for (const d of JSON.parse(r.stdout).diagnostics) findings.push({ file: `${repo}/${d.file}`, line: d.line, code: d.rule, message: d.message });
}

const counts = { true: 0, false: 0, unclassified: 0 };
const unclassified = [];
for (const f of findings) {
  const v = verdicts.get(`${f.file}\t${f.line}\t${f.code}`);
  if (!v) {
    counts.unclassified++;
    unclassified.push(f);
    continue;
  }
  v.seen = true;
  counts[v.verdict]++;
}
const gone = [...verdicts].filter(([, v]) => !v.seen).map(([k, v]) => `${k}\t${v.verdict}\t${v.reason}`);
const judged = counts.true + counts.false;
const precision = judged ? counts.true / judged : null;

if (asJson) {
  console.log(JSON.stringify({ repos: repos.length, failedRuns, findings: findings.length, ...counts, precision, unclassified, gone }, null, 2));
} else {
  console.log(`repositories          ${repos.length}${failedRuns ? ` (${failedRuns} runs failed)` : ''}`);
  console.log(`findings              ${findings.length}`);
  console.log(`  classified true     ${counts.true}`);
  console.log(`  classified false    ${counts.false}`);
  console.log(`  unclassified        ${counts.unclassified}`);
  console.log(`precision             ${precision === null ? '—' : `${(100 * precision).toFixed(1)}%`}  (true / (true + false))`);
  if (unclassified.length) {
    console.log('\nunclassified (file, line, code, message):');
    for (const f of unclassified) console.log(`${f.file}\t${f.line}\t${f.code}\t${f.message.slice(0, 120)}`);
  }
  if (gone.length) {
    console.log('\nclassified findings no longer reported:');
    for (const g of gone) console.log(g);
  }
}
process.exit(failedRuns ? 1 : 0);
