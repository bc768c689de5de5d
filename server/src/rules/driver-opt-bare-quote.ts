/**
 * KBX102: A double quote inside an unquoted CSV field.
 */
import { parseCsvRecord } from '../buildx/csv';
import { driverOptFlagAt, fixFor } from './fix-support';
import { defineRule, reportOf } from './rule';

export default defineRule({
  meta: {
    code: 'KBX102',
    name: 'driver-opt-bare-quote',
    summary: 'A double quote inside an unquoted CSV field',
    severity: 'error',
    fixable: 'sometimes',
    enabledByDefault: true,
    owns: ['csv-bare-quote'],
    docs: {
      what: 'Reports a `"` that reaches buildx in the middle of a `--driver-opt` field, as in `key="a,b"` when the quotes are protected from the shell.',
      why: 'CSV quotes must wrap the whole field. go-csvvalue rejects a quote that does not start the field, so `buildx create` fails.',
      example: 'docker buildx create --driver kubernetes --driver-opt \'nodeselector="a=1,b=2"\'',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt \'"nodeselector=a=1,b=2"\'',
      fixSafety: 'Safe: when the quotes wrap exactly the value (`key="…"`), the fix moves the opening quote to the start of the field, which is what the author meant.',
      buildxSays: 'parse error on line 1, column 14: bare " in non-quoted-field',
    },
  },
  onProblem(p, model) {
    const create = p.create!;
    const r = reportOf(p);
    const flag = driverOptFlagAt(create, p.span);
    const record = flag?.value;
    const err = record ? parseCsvRecord(record).error : null;
    if (flag && record && err?.kind === 'bare-quote') {
      // `key="a,b"`: the quotes wrap exactly the value, so the author meant the CSV field
      // `"key=a,b"`. Move the opening quote to the start of the field.
      const start = record.text.lastIndexOf(',', err.index) + 1;
      const m = /^([^=",]*)="([^"]*)"(?=,|$)/.exec(record.text.slice(start));
      if (m && start + m[1].length + 1 === err.index) {
        r.fix = fixFor(
          model,
          {
            flag,
            piece: record,
            changes: [
              { from: start, to: start, replacement: '"' },
              { from: err.index, to: err.index + 1, replacement: '' },
            ],
          },
          `quote the whole field: "${m[1]}=${m[2]}"`,
          'safe',
        );
      }
    }
    return r;
  },
});
