/**
 * Plain-data descriptions of the buildx model for `explain` output (and later hover).
 */
import { DYNAMIC } from '../core/mapped-string';
import type { CreateModel } from '../buildx/model';

/** A value only known at run time is null, never its static remainder or an empty string. */
function knownValue(text: string): string | null {
  return text.includes(DYNAMIC) ? null : text;
}

/** JSON keys must be strings: a run-time part of a key is written `<dynamic>`. */
function keyOf(text: string): string {
  return text.split(DYNAMIC).join('<dynamic>');
}

export function describeCreate(c: CreateModel): { driver: string | null; driverOpts: Record<string, unknown> | null } {
  if (!c.driverOpts) return { driver: c.driver, driverOpts: null };
  const map: Record<string, string | null> = {};
  for (const [k, e] of c.driverOpts.effective) map[keyOf(k)] = knownValue(e.value.text);
  const result: Record<string, unknown> = { options: map };
  const k = c.driverOpts.kubernetes;
  if (k) {
    const kv = (list: { key: { text: string }; value: { text: string } }[]) => Object.fromEntries(list.map((p) => [keyOf(p.key.text), knownValue(p.value.text)]));
    // An item with a run-time part may hold several pairs or none: it is listed as one `<dynamic>` key.
    const withUnknown = (pairs: Record<string, string | null>, option: string) => {
      const raw = c.driverOpts!.effective.get(option)?.value.text ?? '';
      return raw.includes(DYNAMIC) ? { ...pairs, '<dynamic>': null } : pairs;
    };
    result.nodeSelector = withUnknown(kv(k.nodeSelector), 'nodeselector');
    result.labels = withUnknown(kv(k.labels), 'labels');
    result.annotations = withUnknown(kv(k.annotations), 'annotations');
    result.tolerations = k.tolerations.map((t) => {
      const o: Record<string, string | null> = {};
      for (const name of ['key', 'operator', 'value', 'effect', 'tolerationSeconds'] as const) {
        const v = t[name];
        if (v) o[name] = knownValue(v.text);
      }
      if (t.dynamic) o['<dynamic>'] = null;
      return o;
    });
  }
  if (c.driverOpts.problems.some((p) => p.severity === 'error')) result.errors = c.driverOpts.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  return { driver: c.driver, driverOpts: result };
}
