#!/usr/bin/env node
/**
 * Records, for every flag in grammar/buildx-commands.json, the first buildx release that defines it,
 * read from the git history of a docker/buildx checkout (bare or not):
 *
 *   node scripts/buildx-since.mjs /path/to/buildx.git          # print what would change
 *   node scripts/buildx-since.mjs /path/to/buildx.git --write  # update grammar/buildx-commands.json
 *
 * A flag counts as defined in a release when `commands/<command>.go` (or the shared
 * `commands/util.go`, where build flags lived in early releases) registers it with pflag at that
 * release's tag. Release candidates are ignored. The linter never runs this: it is for maintainers
 * refreshing the grammar after a buildx release.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [repo, ...rest] = process.argv.slice(2);
if (!repo) {
  console.error('usage: node scripts/buildx-since.mjs BUILDX_GIT_DIR [--write]');
  process.exit(2);
}
const write = rest.includes('--write');
const show = (ref, file) => {
  try {
    return execFileSync('git', ['-C', repo, 'show', `${ref}:${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch {
    return '';
  }
};

const semver = (t) => t.slice(1).split('.').map(Number);
const cmp = (a, b) => {
  const x = semver(a);
  const y = semver(b);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
};
const tags = execFileSync('git', ['-C', repo, 'tag'], { encoding: 'utf8' })
  .split('\n')
  .filter((t) => /^v\d+\.\d+\.\d+$/.test(t))
  .sort(cmp);

// `flags.XxxVar(&v, "name", …)`, `flags.XxxP("name", …)`, `flags.Var(v, "name", …)`.
const FLAG_DEF = /flags\.\w+\(\s*(?:[^,()"]+(?:\([^()]*\))?\s*,\s*)?"([a-z][a-z0-9-]*)"/g;

function flagsAt(tag, command) {
  const names = new Set();
  for (const file of [`commands/${command}.go`, 'commands/util.go']) {
    if (file.endsWith('util.go') && command !== 'build' && command !== 'bake') continue;
    for (const m of show(tag, file).matchAll(FLAG_DEF)) names.add(m[1]);
  }
  return names;
}

const grammarPath = new URL('../grammar/buildx-commands.json', import.meta.url);
const grammar = JSON.parse(readFileSync(grammarPath, 'utf8'));
const changes = [];
for (const [command, spec] of Object.entries(grammar.commands)) {
  const first = new Map();
  for (const tag of tags) {
    for (const name of flagsAt(tag, command)) if (!first.has(name)) first.set(name, tag);
  }
  for (const flag of spec.flags ?? []) {
    const since = first.get(flag.name);
    if (!since) continue;
    const short = since.replace(/\.0$/, '');
    if (flag.since !== short) changes.push(`${command} --${flag.name}: ${flag.since ?? '(none)'} -> ${short}`);
    flag.since = short;
  }
}
console.log(changes.length ? changes.join('\n') : 'no changes');
if (write) writeFileSync(grammarPath, JSON.stringify(grammar, null, 1) + '\n');
