/**
 * CSV decoding exactly as buildx does it with `tonistiigi/go-csvvalue` `Fields(s, nil)`: delimiter
 * `,`, no lazy quotes, no space trimming, one record. Works on MappedStrings so every field keeps
 * the file position of each of its characters.
 */
import { endAt, type MappedString, sliceMapped, MappedStringBuilder, startAt } from '../core/mapped-string';

export interface CsvField {
  /** Field content after CSV unquoting. */
  value: MappedString;
  /** Index range of the field in the input, quotes included. */
  from: number;
  to: number;
  /** The field was a quoted CSV field (`"…"`). */
  quoted: boolean;
}

export type CsvErrorKind = 'eof' | 'bare-quote' | 'quote';

export interface CsvError {
  kind: CsvErrorKind;
  /** Index into the input of the offending character (for `eof`, 0). */
  index: number;
  /** Go's 1-based byte column, as printed in buildx's message. */
  column: number;
  /** Go's error text, e.g. `parse error on line 1, column 3: bare " in non-quoted-field`. */
  message: string;
}

export interface CsvResult {
  fields: CsvField[];
  error: CsvError | null;
  /** Fields read before an error (buildx discards them; rules may still look at them). */
  trailingNewlineStripped: boolean;
}

function byteColumn(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8') + 1;
}

/**
 * Results per record: mapped strings are never mutated, and rules building a fix for each of
 * many fields of one long record would otherwise re-read the whole record for each of them.
 */
const parsed = new WeakMap<MappedString, CsvResult>();

/** parseCsvRecord decodes one `--driver-opt`-style CSV record. */
export function parseCsvRecord(input: MappedString): CsvResult {
  let result = parsed.get(input);
  if (!result) parsed.set(input, (result = parseCsvRecordUncached(input)));
  return result;
}

function parseCsvRecordUncached(input: MappedString): CsvResult {
  let s = input;
  let stripped = false;
  if (s.text.endsWith('\r\n')) {
    s = sliceMapped(s, 0, s.text.length - 2);
    stripped = true;
  } else if (s.text.endsWith('\n')) {
    s = sliceMapped(s, 0, s.text.length - 1);
    stripped = true;
  }
  const text = s.text;
  if (text.length === 0) {
    return { fields: [], error: { kind: 'eof', index: 0, column: 0, message: 'EOF' }, trailingNewlineStripped: stripped };
  }
  const fields: CsvField[] = [];
  let i = 0;
  for (;;) {
    const from = i;
    if (text[i] === '"') {
      // The field's text between doubled quotes is copied as slices of the input.
      const b = new MappedStringBuilder();
      let j = i + 1;
      let run = j;
      let lastQuote = i;
      let closed = false;
      while (j < text.length) {
        j = text.indexOf('"', j);
        if (j < 0) {
          j = text.length;
          break;
        }
        lastQuote = j;
        if (text[j + 1] === '"') {
          b.appendSlice(s, run, j);
          b.push('"', startAt(s, j), endAt(s, j + 1));
          lastQuote = j + 1;
          j += 2;
          run = j;
          continue;
        }
        closed = true;
        break;
      }
      b.appendSlice(s, run, j);
      if (!closed) {
        const col = byteColumn(text, lastQuote + 1);
        return {
          fields,
          error: { kind: 'quote', index: lastQuote, column: col, message: `parse error on line 1, column ${col}: extraneous or missing " in quoted-field` },
          trailingNewlineStripped: stripped,
        };
      }
      // j is the closing quote.
      const after = j + 1;
      if (after < text.length && text[after] !== ',') {
        const col = byteColumn(text, j);
        return {
          fields,
          error: { kind: 'quote', index: j, column: col, message: `parse error on line 1, column ${col}: extraneous or missing " in quoted-field` },
          trailingNewlineStripped: stripped,
        };
      }
      fields.push({ value: b.build(startAt(s, j)), from, to: after, quoted: true });
      if (after >= text.length) break;
      i = after + 1;
      if (i >= text.length) {
        fields.push({ value: sliceMapped(s, i, i), from: i, to: i, quoted: false });
        break;
      }
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ',') {
      if (text[j] === '"') {
        const col = byteColumn(text, j);
        return {
          fields,
          error: { kind: 'bare-quote', index: j, column: col, message: `parse error on line 1, column ${col}: bare " in non-quoted-field` },
          trailingNewlineStripped: stripped,
        };
      }
      j++;
    }
    fields.push({ value: sliceMapped(s, i, j), from, to: j, quoted: false });
    if (j >= text.length) break;
    i = j + 1;
    if (i >= text.length) {
      fields.push({ value: sliceMapped(s, i, i), from: i, to: i, quoted: false });
      break;
    }
  }
  return { fields, error: null, trailingNewlineStripped: stripped };
}

/** encodeCsvField quotes a field when CSV needs it (a comma, a quote, a leading quote, CR/LF). */
export function encodeCsvField(value: string, force = false): string {
  if (!force && !/[",\r\n]/.test(value)) return value;
  return '"' + value.replace(/"/g, '""') + '"';
}
