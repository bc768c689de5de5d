/**
 * GitLab CI host: the `before_script`, `script` and `after_script` of every job (hidden `.jobs`
 * included: they run through `extends`), of `default:` and the deprecated top-level keys. Each
 * list item is one command line (a nested list, as `!reference` produces, is flattened); the
 * top-level `variables:` and the job's own are the values `$VAR` starts with, the job's winning.
 * `$[[ inputs.… ]]` is interpolated before the job runs: DYNAMIC.
 */
import { isMap, isScalar, isSeq } from 'yaml';
import { concatMapped, type MappedString, uniform } from '../core/mapped-string';
import type { HostResult, ShellRegion } from './region';
import { deref, get, isBlockScalar, keyOf, parseYaml, readVariables, scalarText, variablesList } from './yaml-common';
import { substituteExpressions } from './yaml-scalar';

/** Top-level keys that are not jobs (GitLab CI/CD YAML syntax reference, "Global keywords"). */
const GLOBAL_KEYS = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'types', 'spec']);
/**
 * The runner writes the items of `before_script` and `script` one per line into one shell script
 * (an `if …; then` item may end in a `fi` item); `after_script` runs in a shell of its own.
 */
const SHELLS = [['before_script', 'script'], ['after_script']];

const interpolate = (s: MappedString) => substituteExpressions(s, '$[[', ']]');

function scriptItems(node: unknown): unknown[] {
  const out: unknown[] = [];
  // Iterative flattening: nesting depth is the input's to choose.
  const stack: unknown[] = [node];
  // A list aliased many times over (lists of aliases of lists) is flattened once: its items would
  // only repeat, and the emit reads each item once anyway.
  const flattened = new Set<unknown>();
  while (stack.length) {
    const n = deref(stack.pop());
    if (isSeq(n)) {
      if (n.tag === '!reference' || flattened.has(n)) continue;
      flattened.add(n);
      for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
    } else if (isScalar(n)) out.push(n);
  }
  return out;
}

export function readGitlabCi(text: string): HostResult {
  const { docs, problems } = parseYaml(text);
  const regions: ShellRegion[] = [];
  // A script shared through an anchor is read once, in the first job that uses it.
  const seen = new Set<unknown>();
  for (const doc of docs) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    // The header document of a file with `spec: inputs:` has no jobs.
    if (root.items.length === 1 && keyOf(root.items[0]) === 'spec') continue;
    const globalVars = new Map<string, MappedString>();
    readVariables(text, get(root, 'variables'), globalVars, interpolate);
    const emit = (holder: unknown, scope: string, vars: Map<string, MappedString>) => {
      for (const keys of SHELLS) {
        const parts: MappedString[] = [];
        let allBlock = true;
        for (const key of keys) {
          for (const item of scriptItems(get(holder, key))) {
            if (seen.has(item)) continue;
            seen.add(item);
            const s = scalarText(text, item);
            if (!s || !s.text.trim()) continue;
            if (parts.length) parts.push(uniform('\n', s.starts[0] ?? 0, s.starts[0] ?? 0));
            parts.push(interpolate(s));
            allBlock &&= isBlockScalar(item);
          }
        }
        if (!parts.length) continue;
        // One item: as written. Several: a fix may not cross from one item into the next (the
        // YAML between them), so edits stay inside a line; a flow item takes fixes nowhere.
        const encoding = !allBlock ? 'none' : parts.length === 1 ? 'plain' : 'line-prefixed';
        regions.push({ source: parts.length === 1 ? parts[0] : concatMapped(parts), dialect: 'bash', encoding, scope, variables: variablesList(vars) });
      }
    };
    emit(get(root, 'default'), 'default', globalVars);
    emit(root, 'default', globalVars);
    for (const p of root.items) {
      const name = keyOf(p);
      const job = deref(p.value);
      if (!name || name === '<<' || GLOBAL_KEYS.has(name) || !isMap(job)) continue;
      const vars = new Map(globalVars);
      readVariables(text, get(job, 'variables'), vars, interpolate);
      emit(job, `job:${name}`, vars);
    }
  }
  return { regions, problems };
}

/**
 * localIncludes lists the `include:` entries of a GitLab CI file that name files of the same
 * project: `include: path.yml`, `- local: path.yml`, `- path.yml` (not remote URLs, templates,
 * components or other projects). Paths are as written (relative to the project root).
 */
export function localIncludes(text: string): string[] {
  const { docs } = parseYaml(text);
  const out: string[] = [];
  for (const doc of docs) {
    const inc = get(doc.contents, 'include');
    const items = isSeq(inc) ? inc.items : inc === undefined ? [] : [inc];
    for (const item of items) {
      let v: unknown = item;
      if (isMap(item)) {
        if (get(item, 'project') !== undefined) continue;
        v = get(item, 'local');
      }
      if (!isScalar(v) || typeof v.value !== 'string') continue;
      const p = v.value.trim();
      if (!p || /^[a-z][a-z0-9+.-]*:\/\//i.test(p) || p.includes('$')) continue;
      out.push(p);
    }
  }
  return out;
}
