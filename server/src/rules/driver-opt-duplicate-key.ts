/**
 * KBX107: The same driver option given twice.
 */
import { LastMemo } from '../core/compact';
import { parseCsvRecord } from '../buildx/csv';
import type { CreateModel, FileModel } from '../buildx/model';
import type { Fix } from '../core/fix';
import { type MappedString, spanOf } from '../core/mapped-string';
import type { Span } from '../core/span';
import { driverOptFlagAt, fixFor } from './fix-support';

/**
 * dropEarlier removes the earlier, ineffective field (with one adjacent comma), or the whole
 * `--driver-opt` flag when that field was its only content.
 */
/** Each record's fields by their span, built once: a record with many duplicates stays linear. */
const fieldIndex = new LastMemo<object, Map<string, number>>();

function fieldIndexAt(record: MappedString, fields: readonly { from: number; to: number }[], span: Span): number {
  let m = fieldIndex.get(record);
  if (!m) {
    m = new Map();
    fields.forEach((f, i) => {
      const s = spanOf(record, f.from, f.to);
      const key = `${s.start}:${s.end}`;
      if (!m!.has(key)) m!.set(key, i);
    });
    fieldIndex.set(record, m);
  }
  return m.get(`${span.start}:${span.end}`) ?? -1;
}

function dropEarlier(model: FileModel, create: CreateModel, earlierField: Span): Fix | undefined {
  const flag = driverOptFlagAt(create, earlierField);
  const record = flag?.value;
  if (!flag || !record) return undefined;
  const csv = parseCsvRecord(record);
  if (csv.error) return undefined;
  const i = fieldIndexAt(record, csv.fields, earlierField);
  if (i < 0) return undefined;
  const title = `remove the earlier ${model.text.slice(earlierField.start, earlierField.end)}`;
  if (csv.fields.length > 1) {
    const f = csv.fields[i];
    const range = i + 1 < csv.fields.length ? { from: f.from, to: csv.fields[i + 1].from } : { from: csv.fields[i - 1].to, to: f.to };
    return fixFor(model, { flag, piece: record, changes: [{ ...range, replacement: '' }] }, title, 'unsafe');
  }
  // The flag holds nothing else: delete its word(s) and the blanks before them.
  const first = flag.arg.span;
  const last = flag.valueArg?.span ?? first;
  let start = first.start;
  while (start > 0 && (model.text[start - 1] === ' ' || model.text[start - 1] === '\t')) start--;
  const between = model.text.slice(first.end, last.start);
  if (flag.valueArg !== flag.arg && !/^[ \t]*$/.test(between)) return undefined;
  return { title, applicability: 'unsafe', edits: [{ span: { start, end: last.end }, newText: '' }] };
}
import { defineRule, reportOf } from './rule';

export default defineRule({
  meta: {
    code: 'KBX107',
    name: 'driver-opt-duplicate-key',
    summary: 'The same driver option given twice',
    severity: 'warning',
    fixable: 'sometimes',
    enabledByDefault: true,
    owns: ['duplicate-key'],
    docs: {
      what: 'Reports a driver option key that appears more than once across the `--driver-opt` flags of one command.',
      why: 'buildx stores the options in a map: the last value silently wins, and the earlier one is ignored. That is rarely what was meant.',
      example: 'docker buildx create --driver kubernetes --driver-opt replicas=1 --driver-opt replicas=3',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt replicas=3',
      fixSafety: 'Unsafe: the fix removes the earlier, ineffective occurrence, so the command reads as what buildx already does; which of the two values was intended is for the author to confirm.',
      buildxSays: undefined,
    },
  },
  onProblem(p, model) {
    const create = p.create!;
    const r = reportOf(p);
    const earlier = p.data?.earlierFieldSpan as Span | undefined;
    if (earlier) {
      r.related = [{ span: earlier, message: 'the earlier value, which buildx ignores' }];
      r.fix = dropEarlier(model, create, earlier);
    }
    return r;
  },
});
