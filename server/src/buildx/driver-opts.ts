/**
 * The `--driver-opt` model: CSV-decode every occurrence, split fields into key=value, merge them
 * the way buildx's map does (later keys win), then validate the effective options against the
 * chosen driver's closed key set and value parsers, reporting buildx's own error texts.
 */
import { type MappedString, hasDynamic, sliceMapped, spanOf, splitFirst } from '../core/mapped-string';
import type { Span } from '../core/span';
import { type CsvField, encodeCsvField, parseCsvRecord } from './csv';
import driversJson from '../../../grammar/drivers.json';
import { goQuote, memSwapBytes, parseBool, parseDuration, parseInt10, parseRestartPolicy, ramInBytes, validateRestartPolicy } from './goparse';
import { checkKubernetes, type KubernetesOpts, type KubernetesProblemKind } from './kubernetes';
import { type DriverOptEntry, type DriverOptProblemKind, type DriverOptProblemOf, driverOptProblem } from './driver-opt-entry';
import { editDistance } from '../core/edit-distance';

export type DriverName = 'docker-container' | 'kubernetes' | 'remote' | 'docker';

export type { DriverOptEntry };
export type DriverOptProblem = DriverOptProblemOf<DriverOptProblemKind | KubernetesProblemKind>;

export interface DriverOptsModel {
  entries: DriverOptEntry[];
  effective: Map<string, DriverOptEntry>;
  problems: DriverOptProblem[];
  kubernetes?: KubernetesOpts;
}

export interface DriverOptionSpec {
  key: string;
  driver: Exclude<DriverName, 'docker'>;
  type: string;
  default: string | null;
  since: string;
  doc: string;
  /** The key is a prefix (`env.` + NAME). */
  prefix?: boolean;
}

interface DriversTable {
  buildx: { version: string; commit: string };
  drivers: Record<DriverName, { unknownKeyError: string | null }>;
  options: DriverOptionSpec[];
  aliases: Record<string, string>;
}

export const DRIVERS = driversJson as unknown as DriversTable;
/** The buildx release the option table describes. */
export const BUILDX_VERSION = DRIVERS.buildx.version;

/** lookupOption finds the spec row for a key of a driver (`env.FOO` matches the `env.` row). */
export function lookupOption(driver: DriverName, key: string): DriverOptionSpec | undefined {
  return DRIVERS.options.find((o) => o.driver === driver && (o.prefix ? key.startsWith(o.key) : o.key === key));
}

export function optionsOf(driver: DriverName): DriverOptionSpec[] {
  return DRIVERS.options.filter((o) => o.driver === driver);
}

const MULTI_VALUE_KEYS = new Set(['nodeselector', 'labels', 'annotations', 'tolerations']);

/**
 * takesCommas: options whose values commonly contain commas, so a comma after them is most likely
 * part of the value (`env.NO_PROXY=a,b` included).
 */
export function takesCommas(key: string): boolean {
  return MULTI_VALUE_KEYS.has(key) || (key.startsWith('env.') && key.length > 4);
}

export function unknownKeyError(driver: DriverName, key: string): string {
  return (DRIVERS.drivers[driver].unknownKeyError ?? '').replace('%s', key);
}

interface Suggestion {
  suggestion?: string;
  hint?: string;
  otherDriver?: string;
}

/** suggestKey explains an unknown key: alias, case, typo, another driver's option, removed option. */
export function suggestKey(driver: DriverName, key: string): Suggestion {
  const own = optionsOf(driver);
  const names = own.filter((o) => !o.prefix).map((o) => o.key);
  const hasEnv = own.some((o) => o.prefix);
  if (key === 'platform') return { hint: 'platforms are set with --platform, not as a driver option' };
  if (key === 'env' && hasEnv) return { suggestion: 'env.NAME', hint: 'environment variables are written env.NAME=value' };
  if (driver === 'remote' && key === 'endpoint') return { hint: 'the remote endpoint is the positional argument of buildx create (e.g. tcp://host:1234)' };
  const alias = DRIVERS.aliases[key];
  if (alias && names.includes(alias)) return { suggestion: alias };
  const ci = names.find((n) => n.toLowerCase() === key.toLowerCase());
  if (ci) return { suggestion: ci };
  if (key.length >= 3) {
    let best: string | undefined;
    let bestD = Infinity;
    for (const n of names) {
      const d = editDistance(key.toLowerCase(), n);
      if (d < bestD) {
        bestD = d;
        best = n;
      }
    }
    if (best && bestD <= (key.length >= 6 ? 2 : 1)) return { suggestion: best };
  }
  const other = DRIVERS.options.find((o) => o.driver !== driver && (o.prefix ? key.startsWith(o.key) : o.key === key));
  if (other) return { otherDriver: other.driver, hint: `${goQuote(key)} is an option of the ${other.driver} driver` };
  return {};
}

interface Ctx {
  driver: DriverName;
  problems: DriverOptProblem[];
}

function push(ctx: Ctx, kind: DriverOptProblemKind, where: MappedString | Span, message: string, severity: DriverOptProblem['severity'] = 'error', data?: Record<string, unknown>): void {
  const span = 'text' in where ? spanOf(where) : where;
  ctx.problems.push(driverOptProblem(kind, span, message, severity, data) as DriverOptProblem);
}

/** fieldSpan is the source span of a CSV field, quotes included. */
function fieldSpan(record: MappedString, f: CsvField): Span {
  return spanOf(record, f.from, f.to);
}

export function decodeDriverOpts(values: MappedString[], driver: DriverName): DriverOptsModel {
  const ctx: Ctx = { driver, problems: [] };
  const entries: DriverOptEntry[] = [];
  const effective = new Map<string, DriverOptEntry>();
  // For each record: the fields in order, with the split key when there was one.
  const splitHints = new Map<CsvField, Record<string, unknown>>();

  values.forEach((record, flagIndex) => {
    const csv = parseCsvRecord(record);
    if (csv.error) {
      const e = csv.error;
      if (e.kind === 'eof') {
        push(ctx, 'empty-record', record, `empty --driver-opt value, expected key=value; buildx: EOF`);
      } else if (e.kind === 'bare-quote') {
        const data: Record<string, unknown> = { column: e.column };
        // Suggest quoting the whole field instead of its value.
        const start = record.text.lastIndexOf(',', e.index) + 1;
        const comma = record.text.indexOf(',', e.index);
        let end = comma < 0 ? record.text.length : comma;
        const m = /^([^=",]*)="([^"]*)"(?=,|$)/.exec(record.text.slice(start));
        if (m) {
          data.suggestion = encodeCsvField(`${m[1]}=${m[2]}`, true);
          end = start + m[0].length;
        }
        data.fieldSpan = spanOf(record, start, end);
        push(
          ctx,
          'csv-bare-quote',
          spanOf(record, e.index, e.index + 1),
          `unexpected '"' inside the unquoted field ${goQuote(record.text.slice(start, end))}; CSV quotes must wrap the whole field, e.g. "key=a,b"` +
            (m ? ` (write ${data.suggestion})` : '') +
            `; buildx: ${e.message}`,
          'error',
          data,
        );
      } else {
        push(
          ctx,
          'csv-quote',
          spanOf(record, e.index, e.index + 1),
          `unbalanced '"' in quoted CSV field; a quoted field must end with '"' followed by ',' or the end of the value, and a literal '"' is written '""'; buildx: ${e.message}`,
        );
      }
      return;
    }
    let prevMulti: { key: string; field: CsvField; texts: string[] } | null = null;
    for (const field of csv.fields) {
      const [key, value] = splitFirst(field.value, '=');
      const fSpan = fieldSpan(record, field);
      if (value === null) {
        if (hasDynamic(key.text)) {
          prevMulti = null;
          continue;
        }
        const data: Record<string, unknown> = { field: key.text };
        let hint = '';
        if (prevMulti) {
          prevMulti.texts.push(key.text);
          Object.assign(data, splitData(record, prevMulti));
          hint = `; the unquoted ',' split the ${prevMulti.key} value, quote the whole field: ${data.suggestion}`;
        } else if (field.value.text === '') {
          hint = field.to >= record.text.length ? ' (trailing comma)' : ' (two commas in a row)';
        }
        push(
          ctx,
          field.value.text === '' ? 'empty-field' : prevMulti ? 'comma-split' : 'field-without-equals',
          field.value.text === '' ? (field.from > 0 ? spanOf(record, field.from - 1, field.from) : fSpan) : fSpan,
          `${field.value.text === '' ? 'empty field' : `field ${goQuote(field.value.text)} has no '='`}, expected key=value${hint}; buildx: invalid value ${goQuote(field.value.text)}, expecting k=v`,
          'error',
          data,
        );
        continue;
      }
      const entry: DriverOptEntry = { key, value, field, flagIndex, record };
      entries.push(entry);
      const earlier = effective.get(key.text);
      if (earlier && !hasDynamic(key.text)) {
        push(
          ctx,
          'duplicate-key',
          key.text === '' ? fSpan : key,
          `driver option ${goQuote(key.text)} is set more than once; the later value ${goQuote(value.text)} replaces ${goQuote(earlier.value.text)}`,
          'warning',
          { earlierSpan: spanOf(earlier.key), earlierFieldSpan: fieldSpan(earlier.record, earlier.field), earlierValue: earlier.value.text },
        );
      }
      effective.set(key.text, entry);
      if (prevMulti && !field.quoted && lookupOption(driver, key.text) === undefined) {
        prevMulti.texts.push(field.value.text);
        splitHints.set(field, splitData(record, prevMulti));
      } else if (takesCommas(key.text) && !field.quoted && lookupOption(driver, key.text)) {
        prevMulti = { key: key.text, field, texts: [field.value.text] };
      } else {
        prevMulti = null;
      }
    }
  });

  for (const [key, e] of effective) validateEntry(ctx, key, e, splitHints.get(e.field));
  const model: DriverOptsModel = { entries, effective, problems: ctx.problems };
  if (driver === 'docker-container') checkDockerContainer(ctx, effective);
  if (driver === 'remote') checkRemote(ctx, effective);
  if (driver === 'kubernetes') {
    const k = checkKubernetes(effective);
    model.kubernetes = k.opts;
    ctx.problems.push(...k.problems);
  }
  return model;
}

/** A suggestion quoted in a message is cut here: a hostile record must not make every message long. */
const SUGGESTION_MAX = 200;

function splitData(record: MappedString, prev: { key: string; field: CsvField; texts: string[] }): Record<string, unknown> {
  // Only as many pieces as the message shows are joined, so each split costs O(1), not O(pieces).
  let joined = '';
  let cut = false;
  for (let i = 0; i < prev.texts.length; i++) {
    if (joined.length > SUGGESTION_MAX) {
      cut = true;
      break;
    }
    joined += (i ? ',' : '') + prev.texts[i];
  }
  const quoted = encodeCsvField(joined, true);
  return {
    splitFrom: prev.key,
    splitFromSpan: fieldSpan(record, prev.field),
    suggestion: cut ? `${quoted.slice(0, -1)}…"` : quoted,
  };
}

function validateEntry(ctx: Ctx, key: string, e: DriverOptEntry, split: Record<string, unknown> | undefined): void {
  const { driver } = ctx;
  if (hasDynamic(key)) return;
  if (key === 'env.' && lookupOption(driver, key)) {
    push(ctx, 'env-without-name', e.key, `env option without a variable name, expected env.NAME=value; buildx: invalid env option "env.", expecting env.FOO=bar`);
    return;
  }
  const spec = lookupOption(driver, key);
  if (!spec) {
    const buildx = unknownKeyError(driver, key);
    const data: Record<string, unknown> = { key, fieldSpan: fieldSpan(e.record, e.field) };
    let msg = `unknown ${driver} driver option ${goQuote(key)}`;
    if (split) {
      Object.assign(data, split);
      msg += `; the unquoted ',' split the ${split.splitFrom} value, quote the whole field: ${split.suggestion}`;
    } else {
      const s = suggestKey(driver, key);
      if (s.suggestion) {
        data.suggestion = s.suggestion;
        msg += `; did you mean ${goQuote(s.suggestion)}?`;
      }
      if (s.hint) msg += `; ${s.hint}`;
      if (s.otherDriver) data.otherDriver = s.otherDriver;
    }
    push(ctx, split ? 'comma-split' : 'unknown-key', key === '' ? fieldSpan(e.record, e.field) : e.key, `${msg}${msg.endsWith('?') ? ' ' : '; '}buildx: ${buildx}`, 'error', data);
    return;
  }
  const v = e.value.text;
  if (hasDynamic(v)) return;
  const bad = (expected: string, err: string, data?: Record<string, unknown>) =>
    push(ctx, 'invalid-value', e.value.text === '' ? fieldSpan(e.record, e.field) : e.value, `invalid value ${goQuote(v)} for ${key}, expected ${expected}; buildx: ${err}`, 'error', data);
  switch (spec.type) {
    case 'bool': {
      const r = parseBool(v);
      if (!r.ok) {
        const low = v.toLowerCase();
        const data = ['yes', 'y', 'on', 'enable', 'enabled'].includes(low) ? { suggestion: 'true' } : ['no', 'n', 'off', 'disable', 'disabled'].includes(low) ? { suggestion: 'false' } : undefined;
        bad('true or false', r.error, data);
      }
      break;
    }
    case 'int64': {
      const r = parseInt10(v, 0);
      if (!r.ok) bad('an integer', r.error);
      break;
    }
    case 'int32': {
      const r = parseInt10(v, 32);
      if (!r.ok) bad('a 32-bit integer', r.error);
      break;
    }
    case 'duration': {
      const r = parseDuration(v);
      if (!r.ok) {
        const data = /^\d+$/.test(v) ? { suggestion: `${v}s` } : undefined;
        bad('a Go duration such as 120s or 5m', `cannot parse timeout: ${r.error}`, data);
      }
      break;
    }
    case 'bytes': {
      const r = ramInBytes(v);
      if (!r.ok) bad('a size such as 512m or 4g', r.error);
      break;
    }
    case 'memswap': {
      const r = memSwapBytes(v);
      if (!r.ok) bad('a size such as 4g, or -1 for unlimited', r.error);
      break;
    }
    case 'restart-policy': {
      const r = parseRestartPolicy(v);
      if (!r.ok) bad('a restart policy name[:max-retries]', r.error);
      else if (r.value) {
        const err = validateRestartPolicy(r.value);
        if (err) push(ctx, 'daemon-rejected', e.value, `restart-policy ${goQuote(v)} is rejected by the docker daemon when the builder starts: ${err}`);
      }
      break;
    }
    case 'abs-path':
      if (!v.startsWith('/'))
        push(
          ctx,
          'remote-path-not-absolute',
          v === '' ? fieldSpan(e.record, e.field) : e.value,
          `${key} path ${goQuote(v)} is not absolute, expected a path starting with '/'; buildx: non-absolute path '${v}' provided for ${key}`,
        );
      break;
    default:
      if (spec.type.startsWith('enum:')) {
        const allowed = spec.type.slice(5).split('|');
        if (!allowed.includes(v)) {
          const fix = allowed.find((a) => a === v.toLowerCase());
          bad(allowed.map((a) => goQuote(a)).join(' or '), `invalid ${key} ${goQuote(v)}`, fix ? { suggestion: fix } : undefined);
        }
      }
  }
}

const MIN_MEMORY = 6 * 1024 * 1024;

/** Checks dockerd applies when the BuildKit container is created (runtime, but certain). */
function checkDockerContainer(ctx: Ctx, eff: Map<string, DriverOptEntry>): void {
  const num = (k: string): { e: DriverOptEntry; n: number } | null => {
    const e = eff.get(k);
    if (!e || hasDynamic(e.value.text)) return null;
    const r = k.startsWith('memory') ? (k === 'memory' ? ramInBytes(e.value.text) : memSwapBytes(e.value.text)) : parseInt10(e.value.text, 0);
    return r.ok ? { e, n: Number(r.value) } : null;
  };
  const period = num('cpu-period');
  if (period && period.n !== 0 && (period.n < 1000 || period.n > 1000000))
    push(
      ctx,
      'daemon-rejected',
      period.e.value,
      `cpu-period ${goQuote(period.e.value.text)} is outside 1000..1000000 microseconds; docker: CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)`,
    );
  const quota = num('cpu-quota');
  if (quota && quota.n > 0 && quota.n < 1000)
    push(ctx, 'daemon-rejected', quota.e.value, `cpu-quota ${goQuote(quota.e.value.text)} is below 1000 microseconds; docker: CPU cfs quota can not be less than 1ms (i.e. 1000)`);
  const mem = num('memory');
  if (mem && mem.n > 0 && mem.n < MIN_MEMORY) push(ctx, 'daemon-rejected', mem.e.value, `memory ${goQuote(mem.e.value.text)} is below the 6MiB minimum; docker: Minimum memory limit allowed is 6MB`);
  const swap = num('memory-swap');
  if (swap && swap.n > 0) {
    if (!eff.has('memory')) push(ctx, 'daemon-rejected', swap.e.key, `memory-swap is set without memory; docker: You should always set the Memory limit when using Memoryswap limit, see usage`);
    else if (mem && mem.n > 0 && swap.n < mem.n)
      push(
        ctx,
        'daemon-rejected',
        swap.e.value,
        `memory-swap ${goQuote(swap.e.value.text)} is smaller than memory ${goQuote(mem.e.value.text)} (memory-swap is memory plus swap); docker: Minimum memoryswap limit should be larger than memory limit, see usage`,
      );
  }
}

function checkRemote(ctx: Ctx, eff: Map<string, DriverOptEntry>): void {
  const tlsKeys = ['servername', 'cacert', 'cert', 'key'].filter((k) => eff.has(k));
  if (tlsKeys.length === 0) return;
  const set = (k: string) => eff.has(k) && eff.get(k)!.value.text !== '';
  // buildx tests the values, so an empty value counts as missing (it already failed IsAbs anyway).
  const missing: string[] = [];
  if (!set('cacert')) missing.push('cacert');
  if (set('cert') && !set('key')) missing.push('key');
  if (set('key') && !set('cert')) missing.push('cert');
  if (missing.length === 0) return;
  const first = eff.get(tlsKeys[0])!;
  push(
    ctx,
    'remote-tls-incomplete',
    fieldSpan(first.record, first.field),
    `setting ${tlsKeys.join(' and ')} turns on TLS, which also needs ${missing.join(' and ')} (cacert, cert and key go together); buildx: tls enabled, but missing keys ${missing.join(', ')}`,
    'error',
    { missing, present: tlsKeys },
  );
}

/** Export for hover: the key part of a field, e.g. `env.` of `env.FOO`. */
export function keyOfField(field: CsvField): MappedString {
  const i = field.value.text.indexOf('=');
  return i < 0 ? field.value : sliceMapped(field.value, 0, i);
}
