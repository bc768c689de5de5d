/**
 * KBX101: a comma inside a multi-value option (nodeselector, labels, annotations, tolerations)
 * that the CSV layer treats as a field separator, so the rest becomes a separate option.
 */
import { LastMemo } from '../core/compact';
import { parseCsvRecord, type CsvField } from '../buildx/csv';
import { lookupOption, takesCommas, type DriverName } from '../buildx/driver-opts';
import { goQuote } from '../buildx/goparse';
import type { CreateModel, FileModel } from '../buildx/model';
import type { Fix } from '../core/fix';
import { spanOf } from '../core/mapped-string';
import type { Span } from '../core/span';
import { driverOptFlagAt, fixFor } from './fix-support';
import { defineRule, type Report } from './rule';

/**
 * rejoinFix puts the multi-value field and the pieces split off it back into one CSV field by
 * adding the CSV quotes buildx needs (inner quotes doubled). Safe: every piece it joins is not an
 * option of the driver, so buildx could never have meant them as separate options.
 */
/**
 * Per record: the index of each CSV field by the file offset it starts at, and the fix of each
 * split group by the index of its multi-value field. Every piece of one group shares one fix, so
 * a record split into many pieces costs one re-encoding, not one per piece.
 */
const byRecord = new LastMemo<
  object,
  { csv: ReturnType<typeof parseCsvRecord>; fieldAt: Map<number, number>; fixes: Map<number, { fix: Fix | undefined; shared: boolean }>; groupStart?: Int32Array }
>();

/**
 * Characters a group's fix may take, repeated on each of its pieces, before it is offered on the
 * first piece only: a value of 9,000 split fields would otherwise carry its whole re-quoted text
 * 9,000 times, a report the square of the input. A real group (a few pieces, a short value) stays
 * far under it, and keeps its fix on every piece.
 */
const SHARED_FIX_BUDGET = 64 * 1024;

const fixSize = (fix: Fix | undefined) => (fix ? fix.edits.reduce((n, e) => n + e.newText.length + 16, 0) : 0);

function rejoinFix(model: FileModel, create: CreateModel, field: Span): Fix | undefined {
  const flag = driverOptFlagAt(create, field);
  if (!flag?.value || !create.driver) return undefined;
  const record = flag.value;
  // The record is parsed once for all its pieces: 64,000 flags or 10,000 pieces stay linear.
  let memo = byRecord.get(record);
  if (!memo) {
    const csv = parseCsvRecord(record);
    const fieldAt = new Map<number, number>();
    if (!csv.error) {
      csv.fields.forEach((f, i) => {
        const s = spanOf(record, f.from, f.to);
        fieldAt.set(s.start * 2 + (s.end === s.start ? 1 : 0), i);
      });
    }
    byRecord.set(record, (memo = { csv, fieldAt, fixes: new Map() }));
  }
  if (memo.csv.error) return undefined;
  const fields = memo.csv.fields;
  const at = memo.fieldAt.get(field.start * 2 + (field.end === field.start ? 1 : 0)) ?? -1;
  if (at < 0) return undefined;
  const atSpan = spanOf(record, fields[at].from, fields[at].to);
  if (atSpan.start !== field.start || atSpan.end !== field.end) return undefined;
  const keyOf = (f: CsvField) => f.value.text.split('=')[0];
  const isPiece = (f: CsvField) => !f.quoted && f.value.text !== '' && (!f.value.text.includes('=') || !lookupOption(create.driver as DriverName, keyOf(f)));
  // groupStart[i]: the field a run of pieces ending at i starts from (computed once per record).
  if (!memo.groupStart) {
    const g = new Int32Array(fields.length);
    for (let i = 0; i < fields.length; i++) g[i] = i > 0 && isPiece(fields[i]) ? g[i - 1] : i;
    memo.groupStart = g;
  }
  const k = memo.groupStart[at];
  if (fields[k].quoted || !takesCommas(keyOf(fields[k])) || k === at) return undefined;
  const known = memo.fixes.get(k);
  if (known) return known.shared || at === k + 1 ? known.fix : undefined;
  let j = at;
  while (j + 1 < fields.length && isPiece(fields[j + 1])) j++;
  const changes: { from: number; to: number; replacement: string }[] = [{ from: fields[k].from, to: fields[k].from, replacement: '"' }];
  for (let i = fields[k].from; i < fields[j].to; i++) if (record.text[i] === '"') changes.push({ from: i, to: i + 1, replacement: '""' });
  changes.push({ from: fields[j].to, to: fields[j].to, replacement: '"' });
  const joined = fields
    .slice(k, j + 1)
    .map((f) => f.value.text)
    .join(',');
  const shown = joined.length > 200 ? `${joined.slice(0, 200)}…` : joined;
  const fix = fixFor(model, { flag, piece: record, changes }, `quote ${goQuote(shown)} as one CSV field`, 'safe');
  // Pieces k+1..j all report this fix; past the budget only the first of them does.
  const shared = (j - k) * fixSize(fix) <= SHARED_FIX_BUDGET;
  memo.fixes.set(k, { fix, shared });
  return shared || at === k + 1 ? fix : undefined;
}

export default defineRule({
  meta: {
    code: 'KBX101',
    name: 'driver-opt-unquoted-comma',
    summary: 'A comma splits a multi-value driver option into separate options',
    severity: 'error',
    fixable: 'sometimes',
    enabledByDefault: true,
    owns: ['comma-split'],
    docs: {
      what: "Finds `--driver-opt` values where a comma meant to separate items of `nodeselector`, `labels`, `annotations` or `tolerations` (or to stay inside an `env.NAME` value) is read by buildx's CSV layer as the end of the option. It names what buildx will see instead, and says when the double quotes you wrote were removed by the shell before buildx saw them.",
      why: 'buildx parses every `--driver-opt` as one CSV record after the shell has removed its own quotes. `nodeselector=a=1,b=2` is two options, `nodeselector=a=1` and `b=2`, and `b` is not a driver option, so `buildx create` fails. The value must be one CSV field wrapped in double quotes that reach buildx: `\'"nodeselector=a=1,b=2"\'`.',
      example: 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt \'"nodeselector=kubernetes.io/arch=amd64,pool=ci"\'',
      fixSafety:
        'Safe when every piece split off is not an option of the driver: the fix re-joins them into one CSV field quoted for buildx and re-quotes the word for the shell (keeping `$VAR` parts expanding, and `$$` in Makefiles). No fix when the word is partly dynamic in the edited part.',
      buildxSays: 'invalid driver option pool for driver kubernetes',
    },
  },
  onProblem(p, model) {
    const create = p.create!;
    const field = (p.data?.fieldSpan as Span | undefined) ?? p.span;
    const splitFrom = p.data!.splitFrom as string;
    const text = model.text.slice(field.start, field.end);
    const piece = (p.data?.field as string | undefined) ?? text;
    const flag = driverOptFlagAt(create, field);
    // The comma sat inside shell double quotes: the author meant to protect it, but the shell
    // removed those quotes and buildx never saw them.
    const holder = flag?.valueArg ?? flag?.arg;
    const shellRemoved = !!holder && holder.quotedSpans.some((q) => model.text[q.start] === '"' && q.start < field.start && q.end > field.start);
    const suggestion = p.data?.suggestion as string | undefined;
    const related = p.data?.splitFromSpan ? [{ span: p.data.splitFromSpan as Span, message: `the ${splitFrom} option ends at the comma before ${goQuote(piece)}` }] : undefined;
    const r: Report = {
      span: field,
      message:
        `buildx will read ${goQuote(piece)} as a separate driver option: the unquoted comma ends the ${splitFrom} value` +
        (shellRemoved ? ' (the shell removed the double quotes you wrote before buildx saw them)' : ''),
      related,
      fix: rejoinFix(model, create, field),
    };
    if (suggestion) r.help = `make it one CSV field: ${suggestion}`;
    if (p.upstream) r.upstream = p.upstream;
    return r;
  },
});
