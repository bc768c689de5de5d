/**
 * KBX105: An empty CSV field (trailing or doubled comma).
 */
import { LastMemo } from '../core/compact';
import { parseCsvRecord } from '../buildx/csv';
import { type MappedString, spanOf } from '../core/mapped-string';
import { spansOverlap } from '../core/span';
import { driverOptFlagAt, fixFor } from './fix-support';
import { defineRule, reportOf } from './rule';

type Field = ReturnType<typeof parseCsvRecord>['fields'][number];
interface Record_ {
  parsed: ReturnType<typeof parseCsvRecord>;
  /** The empty unquoted fields by the span each is reported at ("start:end"). */
  empties: Map<string, Field>;
}

/**
 * One parse per `--driver-opt` value, however many empty fields it has: a value of 8,000 commas
 * has 8,000 findings, and parsing it again for each made the rule quadratic.
 */
const records = new LastMemo<MappedString, Record_>();
function recordOf(record: MappedString): Record_ {
  let r = records.get(record);
  if (!r) {
    const parsed = parseCsvRecord(record);
    const empties = new Map<string, Field>();
    if (!parsed.error) {
      for (const f of parsed.fields) {
        if (f.quoted || f.value.text !== '') continue;
        const s = reportedSpan(record, f);
        const key = `${s.start}:${s.end}`;
        if (!empties.has(key)) empties.set(key, f);
      }
    }
    r = { parsed, empties };
    records.set(record, r);
  }
  return r;
}

/** The reported span is the comma before the empty field (or the field itself at the start). */
const reportedSpan = (record: MappedString, f: Field) => (f.from > 0 ? spanOf(record, f.from - 1, f.from) : spanOf(record, f.from, f.from + 1));

export default defineRule({
  meta: {
    code: 'KBX105',
    name: 'driver-opt-empty-field',
    summary: 'An empty CSV field (trailing or doubled comma)',
    severity: 'error',
    fixable: 'sometimes',
    enabledByDefault: true,
    owns: ['empty-field'],
    docs: {
      what: 'Reports an empty field in a `--driver-opt` value: a trailing comma or two commas in a row.',
      why: 'buildx keeps empty CSV fields and rejects them as `invalid value ""`.',
      example: 'docker buildx create --driver kubernetes --driver-opt namespace=ci,replicas=2,',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt namespace=ci,replicas=2',
      fixSafety: 'Safe: removing the stray comma gives buildx exactly the fields that were written.',
      buildxSays: 'invalid value "", expecting k=v',
    },
  },
  onProblem(p, model) {
    const create = p.create!;
    const r = reportOf(p);
    const flag = driverOptFlagAt(create, p.span);
    const record = flag?.value;
    if (!flag || !record) return r;
    const { parsed: csv, empties } = recordOf(record);
    if (csv.error) return r;
    const field = empties.get(`${p.span.start}:${p.span.end}`) ?? csv.fields.find((f) => !f.quoted && f.value.text === '' && spansOverlap(reportedSpan(record, f), p.span));
    if (!field || csv.fields.length < 2) return r;
    const comma = field.from > 0 ? field.from - 1 : field.to;
    r.fix = fixFor(model, { flag, piece: record, changes: [{ from: comma, to: comma + 1, replacement: '' }] }, 'remove the stray comma', 'safe');
    return r;
  },
});
