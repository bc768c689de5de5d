/**
 * `--add-host`: buildx `build/utils.go` (toBuildkitExtraHosts) behind pflag's stringSlice reader.
 */
import { type MappedString, sliceMapped, splitFirst } from '../../core/mapped-string';
import { parseCsvRecord } from '../csv';
import { isGoIP } from '../go-ip';
import { type Problem, type Parsed, problem, whole, dyn, q, show, pflagErr } from './problem';

export const EXTRA_HOSTS_PROBLEM_KINDS = ['add-host-comma-split', 'add-host-csv', 'add-host-invalid', 'add-host-multiline'] as const;
export type ExtraHostsProblemKind = (typeof EXTRA_HOSTS_PROBLEM_KINDS)[number];

export interface ExtraHost {
  host: string;
  ip: string;
  hostGateway: boolean;
}

/** pflagSliceFields is pflag's stringSlice reader: encoding/csv, first record only. */
function pflagSliceFields(v: MappedString, flag: string, problems: Problem[]): MappedString[] | null {
  if (v.text === '') return [];
  let inQuote = false;
  let cut = -1;
  for (let i = 0; i < v.text.length; i++) {
    const c = v.text[i];
    if (c === '"') inQuote = !inQuote;
    else if (c === '\n' && !inQuote) {
      cut = i;
      break;
    }
  }
  let rec = v;
  if (cut >= 0 && cut < v.text.length - 1) {
    problems.push(
      problem(
        'add-host-multiline',
        'warning',
        v,
        cut + 1,
        v.text.length,
        `${flag} value ${q(v.text)} spans several lines; pflag reads it as CSV and keeps only the first line, so the rest is ignored`,
      ),
    );
  }
  if (cut >= 0) rec = sliceMapped(v, 0, cut + 1);
  const r = parseCsvRecord(rec);
  if (r.error) {
    const at = r.error.kind === 'eof' ? 0 : r.error.index;
    problems.push(
      problem(
        'add-host-csv',
        'error',
        v,
        at,
        at + 1,
        `${flag} ${q(v.text)} is not valid CSV (pflag splits this flag with encoding/csv; quotes must wrap whole entries); buildx: ${pflagErr(flag, v.text, r.error.message)}`,
      ),
    );
    return null;
  }
  return r.fields.map((f) => f.value);
}

export function parseAddHost(v: MappedString): Parsed<ExtraHost[]> {
  const problems: Problem[] = [];
  const entries = pflagSliceFields(v, '--add-host', problems);
  if (!entries) return { value: null, problems };
  const out: ExtraHost[] = [];
  let prevHost: ExtraHost | null = null;
  for (const e of entries) {
    if (dyn(e)) {
      prevHost = null;
      continue;
    }
    let [host, ip] = splitFirst(e, '=');
    if (ip === null) [host, ip] = splitFirst(e, ':');
    const bad = (detail: string, from = 0, to = e.text.length) => {
      problems.push(problem('add-host-invalid', 'error', e, from, to, `--add-host entry ${q(e.text)} ${detail}; buildx: invalid host ${show(e.text)}`));
    };
    if (ip === null || host.text === '' || ip.text === '') {
      if (ip === null && prevHost && isGoIP(e.text.replace(/^\[(.*)\]$/, '$1'))) {
        problems.push(
          whole(
            'add-host-comma-split',
            'error',
            e,
            `--add-host splits its value on commas (pflag stringSlice), so ${q(e.text)} became an entry of its own instead of a second address of ${q(prevHost.host)}; quote the whole entry as CSV ("${prevHost.host}=${prevHost.ip},${e.text}") or repeat --add-host ${prevHost.host}=${e.text}; buildx: invalid host ${e.text}`,
          ),
        );
      } else if (ip === null) {
        bad(e.text === '' ? 'is empty (a doubled or trailing comma)' : 'has neither "=" nor ":" between host name and address; expected host=ip or host:ip');
      } else if (host.text === '') {
        bad('has an empty host name; expected host=ip');
      } else {
        bad('has no address after the separator; expected host=ip', host.text.length, e.text.length);
      }
      prevHost = null;
      continue;
    }
    if (ip.text === 'host-gateway') {
      const h = { host: host.text, ip: ip.text, hostGateway: true };
      out.push(h);
      prevHost = null;
      continue;
    }
    let ok = true;
    let off = host.text.length + 1;
    for (const part of ip.text.split(',')) {
      let a = part;
      if (a.length > 2 && a[0] === '[' && a[a.length - 1] === ']') a = a.slice(1, -1);
      if (!isGoIP(a)) {
        bad(`has ${q(part)}, which is not an IP address`, off, off + part.length);
        ok = false;
        break;
      }
      off += part.length + 1;
    }
    if (ok) {
      const h = { host: host.text, ip: ip.text, hostGateway: false };
      out.push(h);
      prevHost = h;
    } else {
      prevHost = null;
    }
  }
  return { value: problems.some((p) => p.severity === 'error') ? null : out, problems };
}
