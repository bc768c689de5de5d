/**
 * Plain-data descriptions of the buildx model for `explain` output (and later hover).
 */
import type { CreateModel } from '../buildx/model';

export function describeCreate(c: CreateModel): { driver: string | null; driverOpts: Record<string, unknown> | null } {
  if (!c.driverOpts) return { driver: c.driver, driverOpts: null };
  const map: Record<string, string> = {};
  for (const [k, e] of c.driverOpts.effective) map[k] = e.value.text;
  const result: Record<string, unknown> = { options: map };
  const k = c.driverOpts.kubernetes;
  if (k) {
    const kv = (list: { key: { text: string }; value: { text: string } }[]) => Object.fromEntries(list.map((p) => [p.key.text, p.value.text]));
    result.nodeSelector = kv(k.nodeSelector);
    result.labels = kv(k.labels);
    result.annotations = kv(k.annotations);
    result.tolerations = k.tolerations.map((t) => {
      const o: Record<string, string> = {};
      for (const name of ['key', 'operator', 'value', 'effect', 'tolerationSeconds'] as const) {
        const v = t[name];
        if (v) o[name] = v.text;
      }
      return o;
    });
  }
  if (c.driverOpts.problems.some((p) => p.severity === 'error')) result.errors = c.driverOpts.problems.filter((p) => p.severity === 'error').map((p) => p.message);
  return { driver: c.driver, driverOpts: result };
}
