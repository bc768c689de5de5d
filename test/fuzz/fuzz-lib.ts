/**
 * Shared by the fuzz tests: a seeded PRNG, input generators (mutated corpus files and generated
 * buildx command lines), the whole-pipeline check of one input, and a chunk-deleting shrinker.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lint, type LintResult } from '../../server/src/engine/lint';
import { RULES } from '../../server/src/rules/index';
import { applyEdits } from '../../server/src/core/fix';
import { fixText } from '../../server/src/engine/fix';
import { explainFile } from '../../server/src/cli/explain';
import type { Config } from '../../server/src/engine/config';
import type { Span } from '../../server/src/core/span';
import commands from '../../grammar/buildx-commands.json';
import drivers from '../../grammar/drivers.json';

export const ALL_ON: Config = { rules: Object.fromEntries(RULES.map((r) => [r.meta.code, r.meta.severity])) };

export { mulberry32 } from '../harness/random';

export class Rng {
  constructor(readonly next: () => number) {}
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs

function collect(dir: string, out: { name: string; text: string }[]) {
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (/\.(sh|bash|mk)$|^(Makefile|GNUmakefile|makefile)$/.test(f)) out.push({ name: p, text: readFileSync(p, 'utf8') });
  }
}

export function seedFiles(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  collect(join(__dirname, '../corpus'), out);
  collect(join(__dirname, '../../examples'), out);
  return out;
}

const METACHARS = [...`'"\\$(){}[]<>|&;#\n\t`];
const ATOMS = [
  '\\\n',
  '$(',
  '${',
  '$((',
  '<<EOF\n',
  '<<-EOF\n',
  "<<'EOF'\n",
  '\nEOF\n',
  '$(VAR)',
  '$(shell ',
  '$$',
  '$$(',
  '\t',
  '\n\t',
  '\0',
  '\uD800',
  '\uDC00',
  '\uDBFF\uDFFF',
  '\r\n',
  '\r',
  '`',
  "$'",
  '"',
  "'",
  ',',
  '=',
  ';',
  ' ',
  '\\',
  '#',
  '))',
  '}}',
  ' --driver-opt ',
  ' --platform ',
  ' --driver kubernetes ',
  ' --append ',
  ' --name x ',
  ' docker buildx create ',
  ' docker buildx build . ',
  'define X\n',
  'endef\n',
  'ifeq (a,b)\n',
  'endif\n',
  '.PHONY: all\n',
  'all:\n\t',
  'X := ',
  'X = $(Y)',
  '\\\r\n',
  '\u00e9',
  '\u{1F600}',
];

function randomChunk(r: Rng): string {
  switch (r.int(4)) {
    case 0:
      return r.pick(METACHARS);
    case 1:
      return r.pick(ATOMS);
    case 2: {
      let s = '';
      const n = 1 + r.int(6);
      for (let i = 0; i < n; i++) s += r.chance(0.5) ? r.pick(METACHARS) : r.pick(ATOMS);
      return s;
    }
    default:
      return r.chance(0.5) ? genLine(r, r.chance(0.5)) : String.fromCharCode(r.int(r.chance(0.7) ? 128 : 65536));
  }
}

export const MAX_INPUT = 20_000;

export function mutate(r: Rng, base: string, other: string): string {
  let s = base;
  const n = r.chance(0.5) ? 1 + r.int(2) : 1 + r.int(8);
  for (let k = 0; k < n; k++) {
    const len = s.length;
    const a = r.int(len + 1);
    const b = Math.min(len, a + r.int(Math.max(1, Math.min(len, r.chance(0.7) ? 40 : 2000))));
    switch (r.int(14)) {
      case 11: // a generated command line at a line boundary
      case 12: {
        const nl = s.lastIndexOf('\n', a - 1) + 1;
        const make = /^\t/m.test(s) && r.chance(0.7);
        s = s.slice(0, nl) + (make ? '\t' : '') + genLine(r, make) + '\n' + s.slice(nl);
        break;
      }
      case 13: {
        // replace one blank-delimited word by a value, an expansion or a requoted variant
        const m = /[^\s]+/.exec(s.slice(a));
        if (m) {
          const at = a + m.index;
          const w = r.chance(0.3) ? quoteWord(r, m[0]) : r.chance(0.5) ? quoteWord(r, driverOptValue(r)) : r.pick([...EXPANSIONS, ...PLATFORMS, ...GENERIC]);
          s = s.slice(0, at) + w + s.slice(at + m[0].length);
        }
        break;
      }
      case 0: // delete a range
        s = s.slice(0, a) + s.slice(b);
        break;
      case 1: // duplicate a range
        s = s.slice(0, b) + s.slice(a, b) + s.slice(b);
        break;
      case 2: {
        // swap two ranges
        const c = r.int(len + 1);
        const d = Math.min(len, c + r.int(60));
        const [x, y] =
          a <= c
            ? [
                [a, b],
                [c, d],
              ]
            : [
                [c, d],
                [a, b],
              ];
        if (x[1] <= y[0]) s = s.slice(0, x[0]) + s.slice(y[0], y[1]) + s.slice(x[1], y[0]) + s.slice(x[0], x[1]) + s.slice(y[1]);
        break;
      }
      case 3:
      case 4:
      case 5: // insert metacharacters and constructs
        s = s.slice(0, a) + randomChunk(r) + s.slice(a);
        break;
      case 6: // CRLF line endings, everywhere or on one line
        if (r.chance(0.5)) s = s.replace(/\n/g, '\r\n');
        else s = s.slice(0, a) + s.slice(a).replace('\n', '\r\n');
        break;
      case 7: // splice in a piece of another file
        {
          const o = r.int(other.length + 1);
          s = s.slice(0, a) + other.slice(o, o + r.int(400)) + s.slice(a);
        }
        break;
      case 8: // a backslash-newline or a tab at a line start
        {
          const nl = s.indexOf('\n', a);
          if (nl >= 0) s = s.slice(0, nl) + (r.chance(0.5) ? ' \\' : '\n\t') + s.slice(nl);
        }
        break;
      case 9: // replace one character by a hostile one
        s = s.slice(0, a) + r.pick(['\0', '\uD800', '\uDFFF', '\\', '$', '"', "'", '\t', '\r', ',', '=']) + s.slice(a + 1);
        break;
      default: // truncate, or (rarely) repeat a range up to the size limit to expose superlinear work
        if (r.chance(0.3)) s = s.slice(0, a);
        else if (r.chance(0.1) && b > a) s = s.slice(0, b) + s.slice(a, b).repeat(Math.max(0, Math.floor((MAX_INPUT - s.length) / (b - a)))) + s.slice(b);
    }
  }
  return s.length > MAX_INPUT ? s.slice(0, MAX_INPUT) : s;
}

// Generated buildx command lines, from the flag tables.

interface Flag {
  name: string;
  type: string;
  shorthand?: string;
}
const CMDS = commands.commands as Record<string, { aliases?: string[]; flags: Flag[] }>;
const OPTIONS = drivers.options as { key: string; driver: string; type: string }[];
const DRIVER_NAMES = [...Object.keys(drivers.drivers), 'kube', '', 'docker-container,kubernetes'];

const VALUES_BY_TYPE: Record<string, string[]> = {
  bool: ['true', 'false', '1', '0', 'yes', 'TRUE', ''],
  bytes: ['4g', '512m', '-1', '1.5gb', '0', 'x', '10000000000000000000000'],
  duration: ['10s', '1h2m', '-3s', '0', '1.5h', 'forever', '9999999999999h'],
  int32: ['1', '-1', '2147483648', '0x10', '1e3', ''],
  int64: ['100000', '-1', '9223372036854775808', '007'],
  quantity: ['500m', '1Gi', '1e3', '+1', '.5', '1.2.3', '100Mi', 'Ki'],
  memswap: ['-1', '2g', '0'],
  'abs-path': ['/etc/x', 'rel/path', '~/x', '', '/'],
  'kv-list': ['a=b', 'a=b;c=d', 'kubernetes.io/arch=amd64', 'a', '=x', 'a=b=c', 'a=;b=', 'a:b'],
  tolerations: ['key=k,value=v,operator=Equal,effect=NoSchedule', 'key=a;key=b,effect=NoExecute,tolerationSeconds=30', 'operator=Exists', 'Key=x', 'key=a,tolerationSeconds=x'],
  'restart-policy': ['always', 'on-failure:3', 'on-failure:x', 'never', 'unless-stopped'],
  string: ['x', 'moby/buildkit:latest', 'host', 'a b', ''],
  'enum:sticky|random': ['sticky', 'random', 'Sticky'],
};

const PLATFORMS = [
  'linux/amd64',
  'linux/arm64',
  'linux/arm/v7',
  'linux/amd64,linux/arm64',
  'windows/amd64',
  'local',
  'linux',
  'Linux/AMD64',
  'linux/arm64/v8',
  'darwin',
  ',',
  'linux/amd64,,linux/arm64',
];
const GENERIC = [
  '.',
  '-',
  'type=registry,ref=x',
  'type=local,dest=out',
  'type=docker',
  'id=x,src=y',
  'default',
  'x=y',
  'a,b',
  'name=v',
  'host:1.2.3.4',
  'ctx=docker-image://x',
  'mode=max',
  'network.host',
  'tcp://h:1234',
  'unix:///x',
  'img:tag',
  'plain',
  'auto',
  '',
];
const EXPANSIONS = ['$VAR', '${VAR}', '"$VAR"', '${VAR:-a,b}', '$(cmd)', '"$(cmd x)"', '`c`', '$1', '"$@"', '${ARR[@]}', '$(VAR)', '$$VAR', '$$(cmd)', '${X//,/ }'];

function driverOptValue(r: Rng): string {
  const fields: string[] = [];
  const n = 1 + r.int(4);
  for (let i = 0; i < n; i++) {
    const o = r.pick(OPTIONS);
    let key = o.key.endsWith('.') ? o.key + r.pick(['FOO', 'http_proxy', '', 'A=B']) : o.key;
    if (r.chance(0.05)) key = key.toUpperCase();
    let value = r.pick(VALUES_BY_TYPE[o.type] ?? VALUES_BY_TYPE.string);
    if (r.chance(0.15)) value = r.pick(EXPANSIONS);
    if (r.chance(0.1)) value += r.pick([',', '=', ';', '"', "'", ':', ',x=y']);
    let field = r.chance(0.05) ? key : `${key}=${value}`;
    if (r.chance(0.15)) field = `"${field.replace(/"/g, '""')}"`;
    if (r.chance(0.05)) field = `"${field}`;
    fields.push(field);
  }
  return fields.join(r.chance(0.9) ? ',' : r.pick([';', ', ', ',,']));
}

function quoteWord(r: Rng, w: string): string {
  switch (r.int(8)) {
    case 0:
      return `'${w.replace(/'/g, `'\\''`)}'`;
    case 1:
      return `"${w.replace(/["\\$`]/g, '\\$&')}"`;
    case 2:
      return `'"${w}"'`;
    case 3: {
      const cut = r.int(w.length + 1);
      return `${w.slice(0, cut)}"${w.slice(cut)}"`;
    }
    case 4:
      return `$'${w.replace(/'/g, "\\'")}'`;
    case 5:
      return w.replace(/,/g, '\\,');
    default:
      return w;
  }
}

function flagValue(r: Rng, f: Flag): string {
  if (f.name === 'driver-opt') return driverOptValue(r);
  if (f.name === 'driver') return r.pick(DRIVER_NAMES);
  if (f.name === 'platform') return r.pick(PLATFORMS);
  if (f.type === 'bool') return r.pick(VALUES_BY_TYPE.bool);
  if (f.type === 'duration') return r.pick(VALUES_BY_TYPE.duration);
  if (r.chance(0.2)) return r.pick(EXPANSIONS);
  return r.chance(0.7) ? r.pick(GENERIC) : `${r.pick(GENERIC)},${r.pick(GENERIC)}`;
}

/** genLine builds one random buildx command line (Makefile-flavoured when `make`). */
export function genLine(r: Rng, make: boolean): string {
  const names = Object.keys(CMDS);
  const cmd = r.pick(names);
  const spec = CMDS[cmd];
  const words: string[] = [];
  words.push(
    r.pick([
      'docker buildx',
      'docker buildx',
      'docker buildx',
      'buildx',
      'docker',
      'docker --context x buildx',
      'docker -D buildx --builder b',
      'sudo docker buildx',
      'docker builder',
      'docker-buildx',
      'DOCKER_BUILDKIT=1 docker buildx',
    ]),
  );
  words.push(r.chance(0.1) && spec.aliases?.length ? r.pick(spec.aliases) : cmd);
  const nflags = r.int(7);
  for (let i = 0; i < nflags; i++) {
    const f = r.chance(0.05) ? { name: 'no-such-flag', type: 'string' } : r.pick(spec.flags.length ? spec.flags : CMDS.create.flags);
    const v = quoteWord(r, flagValue(r, f));
    const form = r.int(6);
    if (f.type === 'bool') words.push(form === 0 ? `--${f.name}=${v}` : form === 1 ? `--${f.name} ${v}` : `--${f.name}`);
    else if (form === 0) words.push(`--${f.name}=${v}`);
    else if (form === 1 && f.shorthand) words.push(`-${f.shorthand}${v}`);
    else if (form === 2 && f.shorthand) words.push(`-${f.shorthand} ${v}`);
    else if (form === 3 && r.chance(0.3))
      words.push(`--${f.name}`); // value missing
    else words.push(`--${f.name} ${v}`);
  }
  const npos = r.int(3);
  for (let i = 0; i < npos; i++) words.push(quoteWord(r, r.pick([...GENERIC, ...EXPANSIONS, 'ctx', 'tcp://1.2.3.4:1234', 'kubernetes'])));
  let line = '';
  for (const w of words) line += (line ? (r.chance(0.1) ? ' \\\n  ' : r.chance(0.05) ? '\t' : ' ') : '') + w;
  if (make) line = line.replace(/\$(?![$(])/g, '$$$$');
  if (r.chance(0.1)) line = r.pick(['if ', 'x=$(', '( ', '{ ', 'for a in b; do ', 'sh -c "', 'eval ']) + line + r.pick(['; then :; fi', ')', ' )', '; }', '; done', '"', '']);
  if (r.chance(0.1)) line += r.pick([' && ', ' || ', ' | ', '; ', ' & ', ' # ']) + genLine(r, make);
  return line;
}

/** genFile builds a file of generated command lines, as a script or as Makefile recipes. */
export function genFile(r: Rng): string {
  const make = r.chance(0.5);
  const lines: string[] = [];
  if (make) {
    if (r.chance(0.5)) lines.push(`OPTS ${r.pick([':=', '=', '?=', '+='])} ${driverOptValue(r)}`, `P := ${r.pick(PLATFORMS)}`);
    lines.push('.PHONY: all', 'all:');
  } else lines.push('#!/bin/sh', r.chance(0.3) ? 'OPTS="a=b,c=d"' : 'set -e');
  const n = 1 + r.int(6);
  for (let i = 0; i < n; i++) {
    const l = genLine(r, make);
    lines.push(
      make
        ? l
            .split('\n')
            .map((x) => '\t' + r.pick(['', '', '@', '-', '+']) + x)
            .join('\n')
        : l,
    );
    if (make && r.chance(0.2)) lines.push(`t${i}:`);
  }
  return lines.join(r.chance(0.05) ? '\r\n' : '\n') + (r.chance(0.9) ? '\n' : '');
}

// ---------------------------------------------------------------------------------------------
// Checking one input

export const HANG_MS = 2000;
const MAX_FIX_RELINTS = 30;
/** fixText re-lints after each fix (up to 200): the whole run may take longer than one lint. */
const FIX_TEXT_HANG_MS = 15_000;
export const FILE_NAMES = ['x.sh', 'Makefile'] as const;

export class FuzzFailure extends Error {}

function checkSpan(text: string, s: Span, what: string) {
  if (!s || !Number.isInteger(s.start) || !Number.isInteger(s.end) || s.start < 0 || s.end > text.length || s.start > s.end) {
    throw new FuzzFailure(`${what}: span ${JSON.stringify(s)} outside text of length ${text.length}`);
  }
}

function timedLint(text: string, fileName: string, what: string): LintResult {
  const t0 = performance.now();
  const result = lint({ text, fileName }, ALL_ON);
  const ms = performance.now() - t0;
  if (ms > HANG_MS) throw new FuzzFailure(`${what}: lint took ${Math.round(ms)} ms (hang)`);
  checkResult(text, result, what);
  return result;
}

function checkResult(text: string, result: LintResult, what: string) {
  for (const d of result.diagnostics) {
    checkSpan(text, d.span, `${what} ${d.code} span`);
    for (const rel of d.related ?? []) checkSpan(text, rel.span, `${what} ${d.code} related`);
    for (const e of d.fix?.edits ?? []) {
      checkSpan(text, e.span, `${what} ${d.code} fix edit`);
      if (typeof e.newText !== 'string') throw new FuzzFailure(`${what} ${d.code}: fix edit without text`);
    }
  }
  for (const inv of result.invocations) checkSpan(text, inv.span, `${what} invocation`);
}

/**
 * checkInput runs the whole pipeline on one text as one file type and throws on the first
 * problem: an exception anywhere, a span outside the text, or a lint slower than HANG_MS.
 * Returns the number of lints run.
 */
export function checkInput(text: string, fileName: string, opts: { fixAll?: boolean } = {}): number {
  let lints = 1;
  const result = timedLint(text, fileName, 'lint');
  const explained = explainFile(fileName, result.model);
  if (explained.length !== result.invocations.length) throw new FuzzFailure('explain: one entry per invocation expected');
  JSON.stringify(explained);
  // Every fix is applied alone and re-linted; on a file with hundreds of fixes, an even sample.
  const fixed = result.diagnostics.filter((d) => d.fix);
  const step = Math.max(1, Math.ceil(fixed.length / MAX_FIX_RELINTS));
  for (let i = 0; i < fixed.length; i += step) {
    const d = fixed[i];
    if (!d.fix) continue;
    const after = applyEdits(text, d.fix.edits).text;
    timedLint(after, fileName, `re-lint after ${d.code} fix`);
    lints++;
  }
  if (opts.fixAll !== false) {
    const t0 = performance.now();
    let n = 0;
    const out = fixText(text, true, (t) => {
      n++;
      if (performance.now() - t0 > FIX_TEXT_HANG_MS) throw new FuzzFailure(`fixText: ${n} lints took more than ${FIX_TEXT_HANG_MS} ms (hang)`);
      return timedLint(t, fileName, 'fixText lint');
    });
    lints += n;
    if (typeof out.text !== 'string') throw new FuzzFailure('fixText: no text');
    if (result.model.syntaxErrors.length && out.text !== text) throw new FuzzFailure('fixText rewrote a file with syntax errors');
  }
  return lints;
}

/** failureOf returns the first line of the failure of an input, or null when it passes. */
export function failureOf(text: string, fileName: string): string | null {
  try {
    checkInput(text, fileName);
    return null;
  } catch (e) {
    return describe(e);
  }
}

export function describe(e: unknown): string {
  if (e instanceof FuzzFailure) return e.message.replace(/\d+ ms/, 'N ms');
  if (e instanceof Error) {
    const frame = (e.stack ?? '').split('\n').find((l) => l.includes('server/src')) ?? '';
    return `${e.name}: ${e.message} ${frame.trim()}`;
  }
  return String(e);
}

/** signature is the part of a failure that identifies it while shrinking. */
function signature(f: string): string {
  if (f.includes('(hang)')) return 'hang';
  return f
    .replace(/ at .*$/, '')
    .replace(/\d+/g, 'N')
    .slice(0, 80);
}

/**
 * shrink deletes chunks (halving their size down to one character) as long as the input keeps
 * failing the same way, within a time budget.
 */
export function shrink(text: string, fileName: string, failure: string, budgetMs = 20_000): string {
  const want = signature(failure);
  const deadline = performance.now() + budgetMs;
  const same = (t: string) => {
    const f = failureOf(t, fileName);
    return f !== null && signature(f) === want;
  };
  let cur = text;
  for (let size = Math.max(1, cur.length >> 1); size >= 1; size = size > 1 ? size >> 1 : 0) {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (let at = 0; at < cur.length && performance.now() < deadline; ) {
        const cand = cur.slice(0, at) + cur.slice(at + size);
        if (same(cand)) {
          cur = cand;
          progressed = true;
        } else at += size;
      }
      if (performance.now() >= deadline) return cur;
    }
  }
  return cur;
}
