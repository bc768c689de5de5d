#!/usr/bin/env node
/**
 * Lists the test vectors of docker/buildx's own unit tests that kbx-lint's tables do not cover yet:
 *
 *   node scripts/buildx-vectors.mjs BUILDX_GIT_DIR [--ref REF] [--all]
 *
 * For each buildx test file that exercises what kbx-lint reproduces (flag value parsers in
 * util/buildflags, platforms, the kubernetes/remote driver factories and endpoints, node groups in
 * store, builder creation, build option resolution), it collects the string literals of each
 * `Test…` function — the inputs and expected errors of its table — and checks whether each one
 * appears anywhere in this repository's test/ tree. A literal no test mentions is printed, grouped
 * by test function, so a new buildx release can be checked in minutes: every printed vector is either
 * turned into a table row or judged out of scope. It is a reading aid, not an oracle: literals that
 * are not vectors (helper names, paths of temp files) show up too; `--all` also lists covered ones.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const repo = args[0];
if (!repo || repo.startsWith('-')) {
  console.error('usage: node scripts/buildx-vectors.mjs BUILDX_GIT_DIR [--ref REF] [--all]');
  process.exit(2);
}
const refAt = args.indexOf('--ref');
const ref = refAt >= 0 ? args[refAt + 1] : 'HEAD';
const all = args.includes('--all');
const git = (...a) => execFileSync('git', ['-C', repo, ...a], { encoding: 'utf8', maxBuffer: 64 << 20 });

const IN_SCOPE =
  /^(util\/buildflags|util\/platformutil|driver\/kubernetes\/factory|driver\/remote\/util|store\/nodegroup|builder\/builder|build\/opt|build\/utils|commands\/ls)_?[^/]*_test\.go$|^(util\/buildflags|util\/platformutil)\/[^/]+_test\.go$/;
const files = git('ls-tree', '-r', '--name-only', ref)
  .split('\n')
  .filter((f) => IN_SCOPE.test(f));

// Everything our tests say, once: tables, fixtures, goldens.
const testRoot = new URL('../test/', import.meta.url).pathname;
const corpus = [];
(function walk(d) {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else corpus.push(readFileSync(p, 'utf8'));
  }
})(testRoot);
const ours = corpus.join('\n');

/** Go's interpreted and raw string literals, decoded enough to compare (\" and \\ only). */
function literals(src) {
  const out = [];
  for (const m of src.matchAll(/"((?:[^"\\\n]|\\.)*)"|`([^`]*)`/g)) {
    const s = m[1] !== undefined ? m[1].replace(/\\(["\\])/g, '$1') : m[2];
    if (s.length >= 3 && !/^[a-z]+$/.test(s)) out.push(s);
  }
  return out;
}

let total = 0;
let covered = 0;
for (const file of files) {
  const src = git('show', `${ref}:${file}`);
  const tests = [...src.matchAll(/^func (Test\w+)\(t \*testing\.T\) \{$/gm)];
  for (let i = 0; i < tests.length; i++) {
    const body = src.slice(tests[i].index, i + 1 < tests.length ? tests[i + 1].index : src.length);
    const vectors = [...new Set(literals(body))];
    const missing = vectors.filter((v) => !ours.includes(v));
    total += vectors.length;
    covered += vectors.length - missing.length;
    if (!missing.length && !all) continue;
    console.log(`${file} ${tests[i][1]}: ${vectors.length - missing.length}/${vectors.length} covered`);
    for (const v of all ? vectors : missing) console.log(`  ${missing.includes(v) ? '-' : '+'} ${JSON.stringify(v)}`);
  }
}
console.log(`\n${covered} of ${total} literals in ${files.length} buildx test files appear in test/ (ref ${ref})`);
