/**
 * How Docker's GitHub Actions read their inputs, on MappedStrings: `core.getInput` (trimmed),
 * `core.getBooleanInput`, and `Util.getInputList` of docker/actions-toolkit (`src/util.ts` at
 * 3d440be): the input is parsed as CSV by csv-parse (relaxed quotes, empty lines skipped, no
 * comment syntax), a one-field record is split on commas unless `ignoreComma`, several fields are
 * kept (or re-joined with `,` under `ignoreComma`), empty items dropped, the rest trimmed.
 */
import { MappedStringBuilder, sliceMapped, splitMapped, type MappedString } from '../core/mapped-string';
import { trimMapped } from './yaml-scalar';

export interface ListOpts {
  ignoreComma?: boolean;
  /** false: csv-parse with `quote: false`, a `"` is an ordinary character. */
  quote?: boolean;
  trimWhitespace?: boolean;
}

/**
 * csvFields reads one record (a line) the way csv-parse does with relaxQuotes; `commas` gets
 * the index in `line` of each delimiter, so a re-join can map its commas to them.
 */
function csvFields(line: MappedString, quote: boolean, commas: number[] = []): MappedString[] {
  const out: MappedString[] = [];
  const t = line.text;
  let i = 0;
  for (;;) {
    if (quote && t[i] === '"') {
      // A quoted field: up to the closing quote, `""` is one quote.
      const b = new MappedStringBuilder();
      let k = i + 1;
      let closed = false;
      while (k < t.length) {
        if (t[k] === '"') {
          if (t[k + 1] === '"') {
            b.push('"', line.starts[k], line.ends[k + 1]);
            k += 2;
            continue;
          }
          closed = true;
          k++;
          break;
        }
        b.push(t[k], line.starts[k], line.ends[k]);
        k++;
      }
      if (closed && (k === t.length || t[k] === ',')) {
        out.push(b.build(k > 0 ? line.ends[k - 1] : line.endOffset));
        if (k === t.length) return out;
        commas.push(k);
        i = k + 1;
        continue;
      }
      // Not a well-formed quoted field: read it as unquoted text (relaxed).
    }
    const comma = t.indexOf(',', i);
    if (comma < 0) {
      out.push(sliceMapped(line, i));
      return out;
    }
    out.push(sliceMapped(line, i, comma));
    commas.push(comma);
    i = comma + 1;
  }
}

function joinComma(fields: MappedString[], line: MappedString, commas: number[]): MappedString {
  const b = new MappedStringBuilder();
  fields.forEach((f, k) => {
    if (k) b.push(',', line.starts[commas[k - 1]], line.ends[commas[k - 1]]);
    b.append(f);
  });
  return b.build(fields.length ? fields[fields.length - 1].endOffset : 0);
}

/** lines splits on `\n` (dropping a `\r` before it) and skips empty lines, as csv-parse does. */
function csvLines(input: MappedString): MappedString[] {
  return splitMapped(input, '\n')
    .map((l) => (l.text.endsWith('\r') ? sliceMapped(l, 0, l.text.length - 1) : l))
    .filter((l) => l.text.length > 0);
}

/** getList is Util.getList over an input already read with getInput. */
export function getList(input: MappedString, opts: ListOpts = {}): MappedString[] {
  if (input.text === '') return [];
  const res: MappedString[] = [];
  for (const line of csvLines(input)) {
    const commas: number[] = [];
    const record = csvFields(line, opts.quote !== false, commas);
    if (record.length === 1) {
      if (opts.ignoreComma) res.push(record[0]);
      else for (const item of splitMapped(record[0], ',')) res.push(item);
    } else if (!opts.ignoreComma) for (const item of record) res.push(item);
    else res.push(joinComma(record, line, commas));
  }
  return res.filter((item) => item.text !== '').map((item) => (opts.trimWhitespace === false ? item : trimMapped(item)));
}

/** getInput: the raw value, trimmed unless told otherwise. */
export function getInput(raw: MappedString | undefined, trim = true): MappedString | undefined {
  if (!raw) return undefined;
  return trim ? trimMapped(raw) : raw;
}

/** getBooleanInput: the YAML 1.2 core-schema spellings @actions/core accepts; null otherwise. */
export function booleanInput(v: string): boolean | null {
  if (v === 'true' || v === 'True' || v === 'TRUE') return true;
  if (v === 'false' || v === 'False' || v === 'FALSE') return false;
  return null;
}
