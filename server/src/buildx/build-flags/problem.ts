/**
 * What every build-flag value parser shares: the problem shape, the helpers that locate a problem
 * inside a flag value, Go-style quoting of echoed values, and the CSV reader buildx uses.
 */
import type { Severity } from '../../core/diagnostic';
import { type MappedString, DYNAMIC, hasDynamic, spanOf, splitFirst } from '../../core/mapped-string';
import type { Problem as ModelProblem } from '../../core/problem';
import { splitMessageOnce } from '../split-message';
import { parseCsvRecord, type CsvField } from '../csv';
import { goQuote } from '../goparse';

/** A build-flag problem always has a severity; its kind is declared by the module that emits it. */
export interface Problem<K extends string = string> extends ModelProblem<K> {
  severity: Severity;
}

export interface Parsed<T> {
  /** null when the occurrence is skipped by buildx (empty) or rejected. */
  value: T | null;
  problems: Problem[];
}

export function problem(kind: string, severity: Severity, s: MappedString, from: number, to: number, message: string, data?: Record<string, unknown>): Problem {
  const p: Problem = { kind, severity, span: spanOf(s, from, to), ...splitMessageOnce(message) };
  if (data) p.data = data;
  return p;
}

export function whole(kind: string, severity: Severity, s: MappedString, message: string, data?: Record<string, unknown>): Problem {
  return problem(kind, severity, s, 0, s.text.length, message, data);
}

export const dyn = (s: MappedString | string | null | undefined): boolean => !!s && hasDynamic(typeof s === 'string' ? s : s.text);

/** Characters of a Go-quoted echo: dynamic parts are shown as `…`. */
export function q(s: string): string {
  return goQuote(s.split(DYNAMIC).join('…'));
}

export function show(s: string): string {
  return s.split(DYNAMIC).join('…');
}

export function pflagErr(flag: string, value: string, cause: string): string {
  return `invalid argument ${q(value)} for "${flag}" flag: ${cause}`;
}

/** csvFields runs go-csvvalue and turns its error into a problem located at the offending quote. */
export function csvFields(v: MappedString, kind: string, what: string, problems: Problem[], wrap: (m: string) => string = (m) => m): CsvField[] | null {
  const r = parseCsvRecord(v);
  if (r.error) {
    const at = r.error.kind === 'eof' ? 0 : r.error.index;
    const hint =
      r.error.kind === 'bare-quote'
        ? 'quotes must wrap the whole CSV field, e.g. "key=a,b", not key="a,b"'
        : r.error.kind === 'quote'
          ? 'a quoted CSV field must end with a quote followed by a comma or the end of the value'
          : 'the value is empty';
    problems.push(
      problem(kind, 'error', v, at, r.error.kind === 'eof' ? v.text.length : at + 1, `${what} ${q(v.text)} is not valid CSV: ${hint}; buildx: ${wrap(r.error.message)}`, { csvError: r.error.kind }),
    );
    return null;
  }
  return r.fields;
}

export interface KV {
  field: CsvField;
  key: MappedString;
  value: MappedString | null;
}

export function kvOf(field: CsvField): KV {
  const [key, value] = splitFirst(field.value, '=');
  return { field, key, value };
}

/** Span of a whole CSV field (quotes included) inside the flag value. */
export function fieldSpan(_v: MappedString, f: CsvField): [number, number] {
  return [f.from, f.to];
}
