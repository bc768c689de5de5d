/**
 * setMakeScopes gives a Makefile model's regions the scopes the Makefile host is to set: one scope
 * per rule (`make:<first target>`), starting after its prerequisites. The graph tests use it so
 * that they do not depend on the host doing it; it reads rule lines only (no variables).
 */
import type { FileModel } from '../../server/src/buildx/model';

const RULE = /^([^\t#:=\s][^:=]*?)\s*::?(?!=)([^;#]*)/;

export function setMakeScopes(model: FileModel): void {
  const rules: { offset: number; target: string; prereqs: string[] }[] = [];
  let offset = 0;
  for (const line of model.text.split('\n')) {
    const m = RULE.exec(line);
    if (m && !/^\s*(ifn?eq|ifn?def|else|endif|export|define|\.PHONY)\b/.test(line)) {
      const prereqs = m[2].split('|')[0].trim().split(/\s+/).filter(Boolean);
      rules.push({ offset, target: m[1].trim().split(/\s+/)[0], prereqs });
    }
    offset += line.length + 1;
  }
  for (const r of model.regions) {
    const at = r.region.source.starts[0] ?? 0;
    let rule: (typeof rules)[number] | undefined;
    for (const x of rules) if (x.offset <= at) rule = x;
    if (!rule) continue;
    r.region.scope = `make:${rule.target}`;
    r.region.after = rule.prereqs.map((p) => `make:${p}`);
  }
}
