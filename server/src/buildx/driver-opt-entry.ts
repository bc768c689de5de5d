/**
 * What the `--driver-opt` decoder and the per-driver checkers (kubernetes.ts) share: a decoded entry
 * the driver-independent problem kinds and the problem shape. It lives apart from driver-opts.ts so kubernetes.ts need not import the
 * decoder that calls it.
 */
import type { MappedString } from '../core/mapped-string';
import type { Problem } from '../core/problem';
import type { Severity } from '../core/diagnostic';
import type { CsvField } from './csv';
import type { Span } from '../core/span';
import { splitMessageOnce } from './split-message';

export interface DriverOptEntry {
  key: MappedString;
  value: MappedString;
  field: CsvField;
  /** Which `--driver-opt` occurrence (0-based). */
  flagIndex: number;
  /** The whole `--driver-opt` value. */
  record: MappedString;
}

/** Problems of the CSV decoding and the driver-independent key/value checks. */
export const DRIVER_OPT_PROBLEM_KINDS = [
  'empty-record',
  'csv-bare-quote',
  'csv-quote',
  'empty-field',
  'field-without-equals',
  'comma-split',
  'duplicate-key',
  'env-without-name',
  'unknown-key',
  'invalid-value',
  'daemon-rejected',
  'remote-path-not-absolute',
  'remote-tls-incomplete',
] as const;
export type DriverOptProblemKind = (typeof DRIVER_OPT_PROBLEM_KINDS)[number];

/** A driver-option problem always carries its severity. */
export interface DriverOptProblemOf<K extends string> extends Problem<K> {
  severity: Severity;
}

/**
 * A driver-option problem in one shape, every field present (unset ones undefined): a file with
 * 100,000 of them copies and reads each several times, and spreading the message parts gave each
 * combination of parts its own shape, which made every later access a slow lookup.
 */
export function driverOptProblem<K extends string>(kind: K, span: Span, message: string, severity: Severity, data?: Record<string, unknown>): DriverOptProblemOf<K> {
  const parts = splitMessageOnce(message);
  return { kind, span, message: parts.message, help: parts.help, upstream: parts.upstream, upstreamFrom: parts.upstreamFrom, severity, data };
}
