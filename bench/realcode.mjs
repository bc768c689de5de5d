#!/usr/bin/env node
// Real-code measurement: how often kbx-lint is right on files nobody here wrote, and how many of
// the buildx invocations a person counts it reads.
//
//   node bench/realcode.mjs DIR [--expected FILE] [--classes FILE] [--json] [--cli PATH]
//
// DIR holds the collected files, flat (`owner__repo__path__Makefile`, `…__build.sh`, `….mk`).
// A name ending in `__Makefile`/`__GNUmakefile`/`__makefile` is linted as that Makefile: every file
// is copied into its own temporary folder under its path in its repository (from sources.tsv when
// there is one, else from the name), so the file type is decided exactly as in that repository.
//
// --expected: TSV `file<TAB>expected[<TAB>note]`, the buildx invocations a person counts in the file
//   (default: DIR/expected.tsv, else DIR/../expected.tsv).
// --classes: TSV `file<TAB>line<TAB>code<TAB>true|false<TAB>reason` or JSON lines with those keys
//   (file, line, code, verdict, reason); one verdict judges every finding of that code starting on
//   that line (default: DIR/classes.tsv, else DIR/../classes.tsv).
//
// Prints findings total, true/false/unclassified (listed, ready to paste into the classes file with
// a verdict), precision = true / (true + false), and invocation coverage = Σ min(read, expected) /
// Σ expected, where `read` is the number of invocations `kbx-lint explain` reports for the file.
// Classifications of this folder's files that no longer match a finding are listed as "gone" (a
// fixed false alarm, or a lost true finding: check which). One expected/classes file may serve
// several folders: rows for files elsewhere are ignored.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
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
function fail(msg) {
  console.error(`realcode: ${msg}`);
  process.exit(2);
}

const cli = resolve(option('cli') ?? join(root, 'dist/kbx-lint.js'));
const expectedArg = option('expected');
const classesArg = option('classes');
const asJson = flag('json');
if (args.length !== 1 || args[0].startsWith('--')) fail('usage: node bench/realcode.mjs DIR [--expected FILE] [--classes FILE] [--json] [--cli PATH]');
const dir = resolve(args[0]);
if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`${args[0]}: not a directory`);
if (!existsSync(cli)) fail(`${cli}: not found (run npm run build)`);

function firstExisting(...paths) {
  return paths.find((p) => p && existsSync(p));
}
const expectedFile = expectedArg ? resolve(expectedArg) : firstExisting(join(dir, 'expected.tsv'), join(dir, '..', 'expected.tsv'));
const classesFile = classesArg ? resolve(classesArg) : firstExisting(join(dir, 'classes.tsv'), join(dir, '..', 'classes.tsv'));
if (expectedArg && !existsSync(expectedFile)) fail(`${expectedArg}: no such file`);
if (classesArg && !existsSync(classesFile)) fail(`${classesArg}: no such file`);

const DATA_FILES = new Set(['expected.tsv', 'classes.tsv', 'sources.tsv', 'README.md', 'READY']);
// Files directly in DIR are collected files named flat; a sub-folder holds files in their
// repository layout (`owner+repo/.github/workflows/ci.yml`), keyed and linted by that relative path.
const files = [];
for (const stack = [''], seen = new Set(); stack.length; ) {
  const rel = stack.pop();
  for (const name of readdirSync(join(dir, rel))) {
    const sub = rel ? `${rel}/${name}` : name;
    if (!rel && (DATA_FILES.has(name) || name.startsWith('.'))) continue;
    const st = statSync(join(dir, sub));
    if (st.isDirectory()) {
      const real = resolve(dir, sub);
      if (!seen.has(real)) stack.push(sub), seen.add(real);
    } else if (st.isFile() && !(rel && DATA_FILES.has(name))) files.push(sub);
  }
}
files.sort();
if (!files.length) fail(`${args[0]}: no files`);

// Where each file lives in its repository (sources.tsv: file, repo, path, commit), so the copy can
// be given the same relative path: the file type can depend on more than the base name
// (`.github/workflows/*.yml`).
const sourcesFile = firstExisting(join(dir, 'sources.tsv'), join(dir, '..', 'sources.tsv'));
const originalPath = new Map();
if (sourcesFile) {
  for (const raw of readFileSync(sourcesFile, 'utf8').split('\n')) {
    const [file, , path] = raw.replace(/\r$/, '').split('\t');
    if (file && path && path !== '?' && path !== 'path' && !path.startsWith('/') && !path.split('/').includes('..')) originalPath.set(file, path);
  }
}

/** The path the file has in its repository, as far as kbx-lint's file-type detection cares. */
function lintName(file) {
  if (originalPath.has(file)) return originalPath.get(file);
  if (file.includes('/')) return file;
  const m = /(?:^|__)(Makefile|GNUmakefile|makefile)$/.exec(file);
  if (m) return m[1];
  const w = /(?:^|__)\.github__workflows__(.+)$/.exec(file);
  if (w) return `.github/workflows/${w[1]}`;
  return file.split('__').pop();
}

const work = mkdtempSync(join(tmpdir(), 'kbx-realcode-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const copies = new Map(); // copy path -> collected file name
{
  files.forEach((f, i) => {
    const d = join(work, String(i));
    mkdirSync(d);
    const copy = join(d, lintName(f));
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(join(dir, f), copy);
    copies.set(copy, f);
  });

  const run = (extra) => {
    const r = spawnSync(process.execPath, [cli, ...extra, '--no-config', '--no-color', '--format', 'json', ...copies.keys()], {
      cwd: work,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.error) throw r.error;
    if (r.status === 2 || !r.stdout.trim()) fail(`kbx-lint ${extra.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
    return JSON.parse(r.stdout);
  };
  const of = (p) => copies.get(resolve(work, p)) ?? copies.get(p) ?? fail(`kbx-lint reported an unknown file ${p}`);

  const diagnostics = run([]).diagnostics.map((d) => ({ file: of(d.file), line: d.line, column: d.column, code: d.rule, name: d.name, severity: d.severity, message: d.message }));
  const invocations = run(['explain']).invocations;
  const read = new Map(files.map((f) => [f, 0]));
  for (const inv of invocations) read.set(of(inv.file), read.get(of(inv.file)) + 1);

  // Expected counts.
  const expected = new Map();
  if (expectedFile) {
    for (const [n, raw] of readFileSync(expectedFile, 'utf8').split('\n').entries()) {
      const line = raw.replace(/\r$/, '');
      if (!line.trim() || line.startsWith('#')) continue;
      const [file, count] = line.split('\t');
      if (n === 0 && !/^\d+$/.test(count ?? '')) continue; // header
      if (!/^\d+$/.test(count ?? '')) fail(`${expectedFile}:${n + 1}: expected "file<TAB>count"`);
      expected.set(file, Number(count));
    }
  }

  // Classifications.
  const verdicts = new Map(); // file\tline\tcode -> {verdict, reason}
  if (classesFile) {
    for (const [n, raw] of readFileSync(classesFile, 'utf8').split('\n').entries()) {
      const line = raw.replace(/\r$/, '');
      if (!line.trim() || line.startsWith('#')) continue;
      let c;
      if (line.startsWith('{')) {
        try {
          c = JSON.parse(line);
        } catch (e) {
          fail(`${classesFile}:${n + 1}: ${e.message}`);
        }
      } else {
        const [file, l, code, verdict, ...reason] = line.split('\t');
        if (n === 0 && verdict === 'verdict') continue; // header
        c = { file, line: Number(l), code, verdict, reason: reason.join('\t') };
      }
      const v = String(c.verdict);
      if (v !== 'true' && v !== 'false') fail(`${classesFile}:${n + 1}: verdict must be true or false, not "${v}"`);
      verdicts.set(`${c.file}\t${c.line}\t${c.code}`, { verdict: v === 'true', reason: c.reason ?? '', used: false });
    }
  }

  let tp = 0;
  let fp = 0;
  const unclassified = [];
  const byCode = new Map();
  for (const d of diagnostics) {
    const v = verdicts.get(`${d.file}\t${d.line}\t${d.code}`);
    const row = byCode.get(d.code) ?? { code: d.code, name: d.name, true: 0, false: 0, unclassified: 0 };
    byCode.set(d.code, row);
    if (!v) {
      unclassified.push(d);
      row.unclassified++;
      continue;
    }
    v.used = true;
    if (v.verdict) {
      tp++;
      row.true++;
    } else {
      fp++;
      row.false++;
    }
  }
  // A classification file may cover several folders (sh/, yaml/, md/ share the parent's): only the
  // rows for files of this folder can be "gone".
  const here = new Set(files);
  const gone = [...verdicts].filter(([k, v]) => !v.used && here.has(k.split('\t')[0])).map(([k, v]) => ({ key: k, ...v }));

  let sumExpected = 0;
  let sumCovered = 0;
  const perFile = [];
  const notCounted = [];
  for (const f of files) {
    const r = read.get(f);
    if (!expected.has(f)) {
      notCounted.push(f);
      continue;
    }
    const e = expected.get(f);
    sumExpected += e;
    sumCovered += Math.min(r, e);
    if (r !== e) perFile.push({ file: f, read: r, expected: e });
  }
  const precision = tp + fp ? tp / (tp + fp) : null;
  const coverage = sumExpected ? sumCovered / sumExpected : null;
  const pct = (x) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);

  const result = {
    dir,
    files: files.length,
    findings: diagnostics.length,
    true: tp,
    false: fp,
    unclassified: unclassified.length,
    precision,
    invocations: { read: [...read.values()].reduce((a, b) => a + b, 0), expected: sumExpected, covered: sumCovered, coverage },
    byCode: [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code)),
    unclassifiedFindings: unclassified,
    goneClassifications: gone,
    coverageDifferences: perFile,
    filesWithoutExpectedCount: notCounted,
    readPerFile: Object.fromEntries(read),
  };
  if (asJson) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(`files                 ${files.length}`);
    console.log(`findings              ${diagnostics.length}`);
    console.log(`  classified true     ${tp}`);
    console.log(`  classified false    ${fp}`);
    console.log(`  unclassified        ${unclassified.length}`);
    console.log(`precision             ${pct(precision)}  (true / (true + false))`);
    console.log(`invocations read      ${result.invocations.read} (explain), expected ${sumExpected}, covered ${sumCovered}`);
    console.log(`invocation coverage   ${pct(coverage)}  (Σ min(read, expected) / Σ expected)`);
    if (byCode.size) {
      console.log('\nby rule                         true false unclassified');
      for (const r of result.byCode) console.log(`  ${`${r.code} ${r.name}`.padEnd(30)} ${String(r.true).padStart(4)} ${String(r.false).padStart(5)} ${String(r.unclassified).padStart(12)}`);
    }
    if (unclassified.length) {
      console.log('\nunclassified (file, line, code, verdict?, message):');
      for (const d of unclassified) console.log(`${d.file}\t${d.line}\t${d.code}\t?\t${d.message}`);
    }
    if (gone.length) {
      console.log('\nclassified findings no longer reported:');
      for (const g of gone) console.log(`${g.key}\t${g.verdict}\t${g.reason}`);
    }
    if (perFile.length) {
      console.log('\nfiles where read ≠ expected (read/expected):');
      for (const p of perFile) console.log(`  ${p.read}/${p.expected}\t${p.file}`);
    }
    if (notCounted.length) {
      console.log('\nfiles without an expected count:');
      for (const f of notCounted) console.log(`  ${f}`);
    }
  }
}
