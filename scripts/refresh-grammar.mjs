#!/usr/bin/env node
/**
 * Compares grammar/buildx-commands.json and grammar/drivers.json with a docker/buildx checkout at
 * a release, so a new buildx release can be checked in minutes:
 *
 *   node scripts/refresh-grammar.mjs BUILDX_GIT_DIR [--ref v0.37.0] [--write]
 *
 * It reads the pflag registrations of commands/<command>.go (name, type, shorthand, hidden) and the
 * driver option keys of driver/<driver>/factory.go (`case k == "key"`, `strings.HasPrefix(k, "x.")`),
 * and prints what was added, removed or retyped. With --write it updates the flag tables (keeping
 * descriptions and notes written by hand) and the recorded buildx version; driver options are only
 * reported, since their value types and docs are written by hand. Then run
 * `node scripts/buildx-since.mjs BUILDX_GIT_DIR --write` for the `since` data, `npm run docs`, and
 * the test suite. The linter never runs this script.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const repo = args[0];
if (!repo || repo.startsWith('-')) {
  console.error('usage: node scripts/refresh-grammar.mjs BUILDX_GIT_DIR [--ref REF] [--write]');
  process.exit(2);
}
const refAt = args.indexOf('--ref');
const ref = refAt >= 0 ? args[refAt + 1] : 'HEAD';
const write = args.includes('--write');

const show = (file) => {
  try {
    return execFileSync('git', ['-C', repo, 'show', `${ref}:${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
  } catch {
    return '';
  }
};
const describe = execFileSync('git', ['-C', repo, 'describe', '--tags', ref], { encoding: 'utf8' }).trim();

const KIND_TYPE = {
  StringVar: 'string',
  StringVarP: 'string',
  String: 'string',
  StringP: 'string',
  StringArrayVar: 'stringArray',
  StringArrayVarP: 'stringArray',
  StringArray: 'stringArray',
  StringSliceVar: 'stringSlice',
  StringSliceVarP: 'stringSlice',
  StringSlice: 'stringSlice',
  BoolVar: 'bool',
  BoolVarP: 'bool',
  Bool: 'bool',
  BoolP: 'bool',
  DurationVar: 'duration',
  DurationVarP: 'duration',
  VarPF: 'boolFunc',
};

/** flagsOf reads `flags.Kind(&target, "name", ["s",] …)` registrations and MarkHidden calls. */
function flagsOf(source) {
  const out = new Map();
  // The first argument may be `&x`, `f(x)` or a composite literal `&T{key: "memory"}`.
  for (const m of source.matchAll(/flags\.(\w+)\(\s*(?:(?:[^,(){}"]|\([^()]*\)|\{[^{}]*\})+\s*,\s*)?"([a-z][a-z0-9-]*)"(?:\s*,\s*"([a-zA-Z]?)")?/g)) {
    const [, kind, name, short] = m;
    if (kind.startsWith('Mark') || kind === 'Lookup' || kind === 'SetAnnotation') continue;
    // `flags.Var(v, …)` takes a pflag.Value: every custom value in buildx's commands takes an argument.
    // Its repetition semantics are the Value's own, so its type is not compared.
    const type = KIND_TYPE[kind] ?? null;
    const hasShort = kind.endsWith('P') || kind === 'VarPF';
    out.set(name, { name, type, ...(hasShort && short ? { shorthand: short } : {}) });
  }
  for (const m of source.matchAll(/MarkHidden\("([a-z0-9-]+)"\)/g)) if (out.has(m[1])) out.get(m[1]).hidden = true;
  return out;
}

const grammarPath = new URL('../grammar/buildx-commands.json', import.meta.url);
const grammar = JSON.parse(readFileSync(grammarPath, 'utf8'));
const report = [];
for (const [command, spec] of Object.entries(grammar.commands)) {
  const own = show(`commands/${command}.go`);
  // Helpers shared by commands (commonBuildFlags in build.go, the status timeout in util.go, the
  // root flags) register flags for several commands: a flag found there is not "removed".
  const shared = flagsOf(show('commands/util.go') + show('commands/root.go') + (command === 'bake' ? show('commands/build.go') : ''));
  const src = own;
  if (!src) {
    report.push(`${command}: commands/${command}.go not found at ${ref}`);
    continue;
  }
  const upstream = flagsOf(src);
  const ours = new Map(spec.flags.map((f) => [f.name, f]));
  for (const [name, f] of upstream) {
    const o = ours.get(name);
    if (!o) {
      report.push(`${command}: + --${name} (${f.type ?? 'custom value'})`);
      if (write) spec.flags.push({ ...f, type: f.type ?? 'string', description: '' });
    } else if (f.type !== null && o.type !== f.type) {
      report.push(`${command}: --${name} type ${o.type} -> ${f.type}`);
      if (write) o.type = f.type;
    }
  }
  for (const name of ours.keys()) if (!upstream.has(name) && !shared.has(name)) report.push(`${command}: - --${name} (not registered in commands/${command}.go; inherited or removed?)`);
  if (write) spec.flags.sort((a, b) => a.name.localeCompare(b.name));
}

const drivers = JSON.parse(readFileSync(new URL('../grammar/drivers.json', import.meta.url), 'utf8'));
for (const driver of ['docker-container', 'kubernetes', 'remote']) {
  const src = show(`driver/${driver}/factory.go`);
  const keys = new Set([...src.matchAll(/case k == "([^"]+)"/g)].map((m) => m[1]));
  // The remote driver switches on the key itself: `switch k { case "cacert": … }`.
  if (!keys.size) for (const m of src.matchAll(/case "([a-z][a-z0-9.-]*)":/g)) keys.add(m[1]);
  for (const m of src.matchAll(/strings\.HasPrefix\(k, "([^"]+)"\)/g)) keys.add(m[1]);
  const ours = new Set(drivers.options.filter((o) => o.driver === driver).map((o) => o.key));
  for (const k of keys) if (!ours.has(k)) report.push(`driver ${driver}: + ${k} (add it to grammar/drivers.json with its type and doc)`);
  for (const k of ours) if (!keys.has(k)) report.push(`driver ${driver}: - ${k} (no longer read by driver/${driver}/factory.go?)`);
}

console.log(`buildx ${describe} (grammar records ${grammar.buildxVersion})`);
console.log(report.length ? report.join('\n') : 'grammar matches');
if (write) {
  grammar.buildxVersion = describe;
  writeFileSync(grammarPath, JSON.stringify(grammar, null, 1) + '\n');
}
