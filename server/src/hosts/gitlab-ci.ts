/**
 * GitLab CI host: the `before_script`, `script` and `after_script` of every job (hidden `.jobs`
 * included: they run through `extends`), of `default:` and the deprecated top-level keys. Each
 * list item is one command line (a nested list, as `!reference` produces, is flattened); the
 * top-level `variables:` and the job's own are the values `$VAR` starts with, the job's winning.
 * A job runs the scripts it inherits through `extends` in its own shell, with its templates'
 * variables merged under its own. `$[[ inputs.… ]]` is interpolated before the job runs: DYNAMIC.
 */
import { isMap, isScalar, isSeq, type Scalar, type YAMLSeq } from 'yaml';
import { concatMapped, DYNAMIC, type MappedString, MappedStringBuilder, uniform } from '../core/mapped-string';
import type { HostProblem, HostResult, ShellRegion } from './region';
import { deref, get, isBlockScalar, keyOf, parseYaml, readVariables, scalarText, VarScope, type YamlLimits } from './yaml-common';
import { substituteExpressions } from './yaml-scalar';

/** Top-level keys that are not jobs (GitLab CI/CD YAML syntax reference, "Global keywords"). */
const GLOBAL_KEYS = new Set(['default', 'include', 'stages', 'variables', 'workflow', 'image', 'services', 'cache', 'before_script', 'after_script', 'types', 'spec']);
/**
 * The runner writes the items of `before_script` and `script` one per line into one shell script
 * (an `if …; then` item may end in a `fi` item); `after_script` runs in a shell of its own.
 */
const SHELLS = [['before_script', 'script'], ['after_script']];
const SCRIPT_KEYS = SHELLS.flat();

const interpolate = (s: MappedString) => substituteExpressions(s, '$[[', ']]');

/**
 * GitLab expands `$NAME` and `${NAME}` inside a variable's value before the job starts (CI/CD
 * variables docs, "Use CI/CD variables in other variables"; `expand: false` keeps the value raw),
 * and `$$` stands for one `$`. A reference to a variable of the file whose value holds no
 * reference itself becomes that value; any other (a predefined `CI_*` variable, a project
 * setting, a chain) is known only when the job runs: DYNAMIC. Either way the shell then reads
 * the text as data, never as `${…}` to expand again.
 */
const MAX_COPIED = 256;

function expandValue(s: MappedString, vars: { get(name: string): MappedString | undefined }): MappedString {
  if (!s.text.includes('$')) return s;
  const b = new MappedStringBuilder();
  const t = s.text;
  let budget = 4 * t.length + 1024;
  for (let i = 0; i < t.length; ) {
    if (t[i] === '$') {
      if (t[i + 1] === '$') {
        b.push('$', s.starts[i], s.ends[i + 1]);
        i += 2;
        continue;
      }
      const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(t.slice(i, i + 260));
      if (m) {
        const end = i + m[0].length;
        const target = vars.get(m[1] ?? m[2]);
        // Short values are copied, within a budget per value: many references to long values
        // would otherwise multiply the input (the rest is DYNAMIC, as past every other cap).
        if (target && target.text.length <= MAX_COPIED && (budget -= target.text.length) >= 0 && !target.text.includes('$') && !target.text.includes(DYNAMIC))
          for (const c of target.text) b.push(c, s.starts[i], s.ends[end - 1]);
        else b.push(DYNAMIC, s.starts[i], s.ends[end - 1]);
        i = end;
        continue;
      }
    }
    b.push(t[i], s.starts[i], s.ends[i]);
    i++;
  }
  return b.build(s.endOffset);
}

/**
 * readJobVariables reads a `variables:` map into `into`, expanding references as GitLab does.
 * `cache` keeps a map's values as written, for a template's map that many jobs merge.
 */
function readJobVariables(text: string, map: unknown, into: VarScope, cache?: Map<unknown, Map<string, MappedString>>): void {
  const node = deref(map);
  let raw = cache?.get(node);
  if (!raw) {
    raw = new Map<string, MappedString>();
    readVariables(text, map, raw, interpolate);
    cache?.set(node, raw);
  }
  // References resolve against the file's variables and this map's own, as written.
  const known = { get: (name: string) => raw.get(name) ?? into.get(name) };
  for (const [name, value] of raw) {
    if (!value.text.includes('$')) {
      into.set(name, value);
      continue;
    }
    const spec = isMap(node) ? deref(get(node, name)) : undefined;
    const expand = isMap(spec) ? deref(get(spec, 'expand')) : undefined;
    into.set(name, isScalar(expand) && expand.value === false ? value : expandValue(value, known));
  }
}

/**
 * A job's runner tags, its own or (through `extends`, hidden templates first) a template's, else
 * `default:`'s. GitLab picks a runner by these labels only; a tag naming Windows is a Windows
 * runner, whose shell is PowerShell (GitLab Runner docs, "Types of shells supported").
 */
function tagsOf(root: unknown, job: unknown, memo: Map<unknown, unknown>): string[] {
  const found = tagsNodeOf(root, job, memo);
  return scalarValues(found === NO_TAGS ? get(get(root, 'default'), 'tags') : found);
}

const NO_TAGS = Symbol('no tags');
const RESOLVING = Symbol('resolving');

/**
 * The `tags` node a job gets: its own, else (later `extends` entries win) the first template's
 * that has one, transitively. Answers are kept per template in `memo`: templates that extend each
 * other in a fan made a walk per job cost the whole chain, quadratic in the file. Iterative, since
 * a chain of `extends` can be as long as the file; a template met again while it is being resolved
 * (a cycle, which GitLab rejects) gives nothing.
 */
function tagsNodeOf(root: unknown, job: unknown, memo: Map<unknown, unknown>): unknown {
  const start = deref(job);
  if (!isMap(start)) return NO_TAGS;
  const stack: { node: unknown; parents: unknown[]; next: number }[] = [];
  const open = (node: unknown): unknown => {
    const known = memo.get(node);
    if (known !== undefined) return known === RESOLVING ? NO_TAGS : known;
    const tags = get(node, 'tags');
    if (tags !== undefined) {
      memo.set(node, tags);
      return tags;
    }
    const ext = get(node, 'extends');
    const parents: unknown[] = [];
    for (const e of isSeq(ext) ? ext.items : ext === undefined ? [] : [ext]) {
      const n = deref(e);
      if (!isScalar(n)) continue;
      const p = deref(get(root, String(n.value)));
      if (isMap(p)) parents.push(p);
    }
    memo.set(node, RESOLVING);
    stack.push({ node, parents, next: parents.length - 1 });
    return undefined;
  };
  let answer = open(start);
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (answer !== undefined && answer !== NO_TAGS) {
      // A parent resolved to tags: so does this template, and every one waiting on it.
      memo.set(top.node, answer);
      stack.pop();
      continue;
    }
    if (top.next < 0) {
      memo.set(top.node, NO_TAGS);
      stack.pop();
      answer = NO_TAGS;
      continue;
    }
    answer = open(top.parents[top.next--]);
  }
  return answer ?? NO_TAGS;
}

function scalarValues(node: unknown): string[] {
  const n = deref(node);
  if (!isSeq(n)) return [];
  const out: string[] = [];
  for (const item of n.items) {
    const v = deref(item);
    if (isScalar(v)) out.push(String(v.value));
  }
  return out;
}

/**
 * GitLab resolves `extends` eleven steps deep at most (a job, then ten ancestors that extend one
 * more each; gitlab-org/gitlab lib/gitlab/ci/config/extendable/entry.rb, MAX_NESTING_LEVELS).
 */
const EXTENDS_DEPTH = 11;
/** Templates merged into one job: a job listing many, each listing many, stays linear in the file. */
const TEMPLATES_PER_JOB = 64;
/** Template variables merged into one job, for the same reason. */
const TEMPLATE_VARIABLES_PER_JOB = 256;

/**
 * The names a job's `extends` lists, each with its node (a string or a list of strings; anything
 * else names nothing).
 */
function extendsEntries(job: unknown): { name: string; node: unknown }[] {
  const ext = get(job, 'extends');
  const out: { name: string; node: unknown }[] = [];
  for (const e of isSeq(deref(ext)) ? (deref(ext) as YAMLSeq).items : ext === undefined ? [] : [ext]) {
    const n = deref(e);
    if (isScalar(n) && n.value !== null) out.push({ name: String(n.value), node: e });
  }
  return out;
}

/**
 * GitLab resolves `extends` for every top-level key, hidden templates included, and rejects the
 * whole configuration when one of them reaches, through more than ten others (MAX_NESTING_LEVELS
 * = 10 ancestors), a template that extends yet another ("nesting too deep in `extends`": twelve
 * steps are rejected, eleven run), or reaches a key already on its chain ("circular dependency
 * detected in `extends`") (gitlab-org/gitlab lib/gitlab/ci/config/extendable/entry.rb, extend!,
 * nesting_too_deep? and circular_dependency?). The problem is at the offending `extends` entry.
 * Only this file's keys are followed (an included file's template ends a chain): an error found
 * is certain. Iterative, each key once: a chain can be as long as the file.
 */
function extendsProblem(root: unknown): HostProblem | undefined {
  if (!isMap(root)) return undefined;
  const nodeOf = (name: string): unknown => {
    const n = deref(get(root, name));
    return isMap(n) ? n : undefined;
  };
  /** Longest chain of `extends` steps from a key (0: it extends nothing of this file). */
  const height = new Map<unknown, number>();
  const ON_STACK = -1;
  for (const p of root.items) {
    const start = deref(p.value);
    if (!isMap(start) || height.has(start)) continue;
    const stack: { node: unknown; parents: { name: string; node: unknown }[]; next: number; best: number }[] = [];
    const open = (node: unknown) => {
      height.set(node, ON_STACK);
      stack.push({ node, parents: extendsEntries(node), next: 0, best: 0 });
    };
    open(start);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < top.parents.length) {
        const entry = top.parents[top.next++];
        const parent = nodeOf(entry.name);
        if (parent === undefined) continue;
        const h = height.get(parent);
        if (h === ON_STACK)
          return {
            kind: 'gitlab-extends',
            span: spanOf(entry.node),
            severity: 'error',
            message: `\`${entry.name}\`: circular dependency detected in \`extends\`: GitLab rejects the whole configuration, and none of its jobs is read`,
          };
        if (h === undefined) open(parent);
        else top.best = Math.max(top.best, h + 1);
        continue;
      }
      stack.pop();
      height.set(top.node, top.best);
      if (stack.length) {
        const below = stack[stack.length - 1];
        below.best = Math.max(below.best, top.best + 1);
      }
    }
  }
  // The first key, in file order, whose chain is too long: its template with ten ancestors is
  // the last GitLab resolves; the `extends` of the next one is where it stops.
  for (const p of root.items) {
    let node = deref(p.value);
    if (!isMap(node) || (height.get(node) ?? 0) <= EXTENDS_DEPTH) continue;
    for (let step = 0; ; step++) {
      const need = EXTENDS_DEPTH - step;
      const entry = extendsEntries(node).find((e) => {
        const parent = nodeOf(e.name);
        return parent !== undefined && (height.get(parent) ?? 0) >= need;
      });
      if (!entry) break;
      if (step === EXTENDS_DEPTH)
        return {
          kind: 'gitlab-extends',
          span: spanOf(entry.node),
          severity: 'error',
          message: `\`${keyOf(p) ?? ''}\` extends through more than ${EXTENDS_DEPTH} levels: nesting too deep in \`extends\`; GitLab rejects the whole configuration, and none of its jobs is read`,
        };
      node = nodeOf(entry.name);
    }
  }
  return undefined;
}

function spanOf(node: unknown): { start: number; end: number } {
  const [start, end] = nodeSpan(node);
  return { start, end };
}

interface Template {
  name: string;
  node: unknown;
  /** The text of the file that defines it, and whether that is another file of the pipeline. */
  text: string;
  foreign: boolean;
  /** Its own script keys, looked up once for every job that extends it. */
  keys: Map<string, unknown>;
}

/**
 * The templates a job extends, weakest first, as GitLab merges them: each entry after its own
 * templates, a later entry over an earlier one (the job itself, not listed, over all of them).
 * A name that is no job of this file (an included file's template) gives nothing. `memo` keeps
 * each template's own list: the jobs of a file mostly extend the same few templates.
 */
/**
 * A job or template by name in the merged configuration: this file's own first, then the other
 * files of its pipeline (GitLab merges every `include:` into one hash before `extends` resolves,
 * config/external/processor.rb; a name this file defines wins over an included one).
 */
type Lookup = (name: string) => { node: unknown; text: string; foreign: boolean } | undefined;

function lookupIn(root: unknown, text: string, others: { root: unknown; text: string }[]): Lookup {
  return (name) => {
    const own = deref(get(root, name));
    if (own !== undefined || !others.length) return own === undefined ? undefined : { node: own, text, foreign: false };
    for (const o of others) {
      const n = deref(get(o.root, name));
      if (n !== undefined) return { node: n, text: o.text, foreign: true };
    }
    return undefined;
  };
}

function templatesOf(lookup: Lookup, job: unknown, memo: Map<unknown, Template[] | null>, entries: Map<unknown, Template>, depth = 0): Template[] {
  const node = deref(job);
  const known = memo.get(node);
  if (known !== undefined) return known ?? [];
  // Marked while it is being resolved: a cycle, which GitLab rejects, ends here.
  memo.set(node, null);
  const out: Template[] = [];
  const ext = get(node, 'extends');
  for (const e of depth >= EXTENDS_DEPTH ? [] : isSeq(ext) ? ext.items : ext === undefined ? [] : [ext]) {
    const n = deref(e);
    if (!isScalar(n)) continue;
    const name = String(n.value);
    const found = lookup(name);
    const parent = found?.node;
    if (!found || !isMap(parent) || memo.get(parent) === null) continue;
    for (const t of templatesOf(lookup, parent, memo, entries, depth + 1)) if (out.length < TEMPLATES_PER_JOB) out.push(t);
    let entry = entries.get(parent);
    if (!entry) entries.set(parent, (entry = { name, node: parent, text: found.text, foreign: found.foreign, keys: new Map(SCRIPT_KEYS.map((k) => [k, get(parent, k)])) }));
    if (out.length < TEMPLATES_PER_JOB) out.push(entry);
  }
  memo.set(node, out);
  return out;
}

/**
 * The node a job's `key` has after `extends`: its own, else the strongest template's, which job
 * wrote it, and whether that is in another file (whose text is read there, not here).
 */
function inherited(job: unknown, templates: Template[], key: string, jobForeign = false): { node: unknown; from: string | null; foreign: boolean } | undefined {
  const own = get(job, key);
  if (own !== undefined) return { node: own, from: null, foreign: jobForeign };
  for (let i = templates.length - 1; i >= 0; i--) {
    const v = templates[i].keys.get(key);
    if (v !== undefined) return { node: v, from: templates[i].name, foreign: templates[i].foreign };
  }
  return undefined;
}

/**
 * A job runs `default:`'s before_script (and the deprecated top-level one) when it has none of its
 * own, neither written nor through `extends`, and `inherit: default:` is not `false` nor a list
 * without `before_script` (GitLab CI/CD YAML reference, `default` and `inherit:default`;
 * gitlab-org/gitlab lib/gitlab/ci/config/entry/processable.rb, inherit!).
 */
function inheritsDefaultBeforeScript(job: unknown, templates: Template[]): boolean {
  if (inherited(job, templates, 'before_script') !== undefined) return false;
  let inherit = get(job, 'inherit');
  for (let i = templates.length - 1; inherit === undefined && i >= 0; i--) inherit = get(templates[i].node, 'inherit');
  const d = deref(get(deref(inherit), 'default'));
  if (isScalar(d)) return d.value !== false;
  if (isSeq(d))
    return d.items.some((i) => {
      const v = deref(i);
      return isScalar(v) && v.value === 'before_script';
    });
  return true;
}

/**
 * GitLab nests a script ten arrays deep at most, the arrays `!reference` brings in included
 * (gitlab-org/gitlab lib/gitlab/ci/config/entry/commands.rb, MAX_NESTING_LEVEL); deeper is a
 * pipeline error. The job's own list counts as one, so a deeper script is never read.
 */
const SCRIPT_NESTING = 10;
const CIRCULAR = -1;
const IN_PROGRESS = -2;

/**
 * `!reference [job, key, …]` as GitLab resolves it (gitlab-org/gitlab
 * lib/gitlab/ci/config/yaml/tags/reference.rb): a dig into the file's configuration by each
 * string in turn, after `include:` and `extends` have merged it (config.rb build_config), so a
 * key a template inherits is there. A target that is not in this file (an included file's
 * template) is unknown and its item is skipped; a reference met again while it is being resolved
 * is a circular chain (tags/base.rb), which rejects the whole file.
 */
interface References {
  root: unknown;
  lookup: Lookup;
  templateMemo: Map<unknown, Template[] | null>;
  templateEntries: Map<unknown, Template>;
  targets: Map<unknown, unknown>;
  /** Array nesting of a node with its references resolved; CIRCULAR when it reaches a cycle. */
  levels: Map<unknown, number>;
  /** Items references may still bring in: many jobs referencing one long template stay linear. */
  budget: number;
  circular: boolean;
}

const MISSING = Symbol('missing');
const referenceBudget = (text: string) => text.length + 1024;

function referenceTarget(ref: YAMLSeq, refs: References): unknown {
  let target = refs.targets.get(ref);
  if (target !== undefined) return target;
  target = MISSING;
  // GitLab accepts only a non-empty list of strings; anything else is an error of the file.
  if (ref.items.length && ref.items.every((k) => isScalar(deref(k)) && typeof (deref(k) as Scalar).value === 'string')) {
    const path = ref.items.map((k) => String((deref(k) as Scalar).value));
    const job = deref(get(refs.root, path[0]));
    // The job as `extends` merged it: its own hash over its templates', strongest first. Below a
    // key, maps deep-merge while they are maps; the strongest value that is not one wins alone.
    let layers: unknown[] =
      job === undefined
        ? []
        : [
            job,
            ...templatesOf(refs.lookup, job, refs.templateMemo, refs.templateEntries)
              // Another file's nodes hold another text: a reference digs into this file only.
              .filter((t) => !t.foreign)
              .map((t) => t.node)
              .reverse(),
          ];
    for (const key of path.slice(1)) {
      const next: unknown[] = [];
      for (const layer of layers) {
        // A dig into a list by name is a TypeError in Ruby: GitLab reports the reference missing.
        if (!isMap(layer)) continue;
        const v = deref(get(layer, key));
        if (v === undefined) continue;
        if (!isMap(v)) {
          if (!next.length) next.push(v);
          break;
        }
        next.push(v);
      }
      layers = next;
      if (!layers.length) break;
    }
    const at = layers[0];
    if (at !== undefined && at !== null && !(isScalar(at) && at.value === null)) target = at;
  }
  refs.targets.set(ref, target);
  return target;
}

const isReference = (n: unknown): boolean => isSeq(n) && n.tag === '!reference';

/**
 * levelOf: how many arrays deep `start` is once its references are resolved (a reference adds its
 * target's, a plain list one more than its deepest item), or CIRCULAR. Iterative, memoised per
 * node: a chain of references can be as long as the file, and a fan of them shares its targets.
 */
function levelOf(start: unknown, refs: References): number {
  const memo = refs.levels;
  const frames: { node: unknown; children: unknown[]; next: number; best: number; add: number }[] = [];
  const open = (raw: unknown): number | undefined => {
    const node = deref(raw);
    if (!isSeq(node)) return 0;
    const known = memo.get(node);
    if (known !== undefined) return known === IN_PROGRESS ? CIRCULAR : known;
    let children: unknown[];
    let add = 1;
    if (isReference(node)) {
      const target = referenceTarget(node, refs);
      if (target === MISSING) {
        memo.set(node, 0);
        return 0;
      }
      children = [target];
      add = 0;
    } else children = node.items;
    memo.set(node, IN_PROGRESS);
    frames.push({ node, children, next: 0, best: 0, add });
    return undefined;
  };
  let answer = open(start);
  while (frames.length) {
    const top = frames[frames.length - 1];
    if (answer !== undefined) {
      if (answer === CIRCULAR) top.best = CIRCULAR;
      else if (top.best !== CIRCULAR && answer > top.best) top.best = answer;
      answer = undefined;
    }
    if (top.best !== CIRCULAR && top.next < top.children.length) {
      answer = open(top.children[top.next++]);
      continue;
    }
    const level = top.best === CIRCULAR ? CIRCULAR : top.best + top.add;
    memo.set(top.node, level);
    frames.pop();
    answer = level;
  }
  return answer ?? 0;
}

/**
 * The command lines a script key runs, its lists flattened as GitLab flattens them (commands.rb)
 * and its `!reference` items resolved, when `refs` is given. Items a reference to a hidden
 * template brought in are added to `fromHidden`.
 */
function scriptItems(node: unknown, refs?: References, fromHidden?: Set<unknown>): unknown[] {
  const out: unknown[] = [];
  if (refs) {
    const level = levelOf(node, refs);
    if (level === CIRCULAR) refs.circular = true;
    if (level === CIRCULAR || level > SCRIPT_NESTING) return out;
  }
  // Iterative flattening: nesting depth is the input's to choose.
  const stack: { node: unknown; hidden: boolean }[] = [{ node, hidden: false }];
  // A list aliased many times over (lists of aliases of lists) is flattened once: its items would
  // only repeat, and the emit reads each item once anyway.
  const flattened = new Set<unknown>();
  while (stack.length) {
    const top = stack.pop();
    const n = deref(top?.node);
    const hidden = top?.hidden ?? false;
    if (isSeq(n)) {
      if (flattened.has(n)) continue;
      flattened.add(n);
      if (isReference(n)) {
        if (!refs) continue;
        const target = referenceTarget(n, refs);
        if (target === MISSING || !(isSeq(target) || isScalar(target))) continue;
        const size = isSeq(target) ? target.items.length : 1;
        if ((refs.budget -= size) < 0) continue;
        const first = deref(n.items[0]);
        stack.push({ node: target, hidden: hidden || (isScalar(first) && String(first.value).startsWith('.')) });
        continue;
      }
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ node: n.items[i], hidden });
    } else if (isScalar(n)) {
      out.push(n);
      if (hidden) fromHidden?.add(n);
    }
  }
  return out;
}

/**
 * The other files of the pipeline a file belongs to: the root `.gitlab-ci.yml` that includes it
 * and the local files that root includes (set by the CLI, which reads them from the disk).
 */
export interface PipelineFile {
  text: string;
}

/** A job or template of another pipeline file whose scripts name lines of this file. */
interface ForeignReference {
  name: string;
  job: unknown;
  text: string;
  /** This file's items it runs, per shell (before_script with script, after_script), in order. */
  groups: unknown[][];
  /** Where values written in the other file point: the key of the first template referenced here. */
  anchor: [number, number];
}

/**
 * foreignReferences: the jobs and templates of the pipeline's other files (a sibling template
 * file of a template repository included beside this one) whose `script`, `before_script` or
 * `after_script` holds `!reference [.x, key, …]` where `.x` is this file's and not their own.
 * GitLab resolves a reference over the merged configuration (config/yaml/tags/reference.rb,
 * after `include:`), so the lines it names run in that job, in the order written: they are read
 * here in its scope, with its variables. A reference into its own file is that file's to read.
 */
function foreignReferences(root: unknown, others: { root: unknown; text: string }[], refs: References): ForeignReference[] {
  const out: ForeignReference[] = [];
  if (!isMap(root)) return out;
  for (const o of others) {
    if (!isMap(o.root)) continue;
    for (const p of o.root.items) {
      const name = keyOf(p);
      const job = deref(p.value);
      if (!name || name === '<<' || GLOBAL_KEYS.has(name) || !isMap(job) || get(root, name) !== undefined) continue;
      if (out.length >= FOREIGN_JOBS) return out;
      let anchor: [number, number] | undefined;
      const groups = SHELLS.map((keys) => {
        const items: unknown[] = [];
        for (const key of keys) {
          // The job's own list, its nested lists flattened; each reference into this file resolved.
          const stack: unknown[] = [get(job, key)];
          while (stack.length) {
            const n = deref(stack.pop());
            if (!isSeq(n)) continue;
            if (!isReference(n)) {
              for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
              continue;
            }
            const first = deref(n.items[0]);
            if (!isScalar(first) || typeof first.value !== 'string' || get(o.root, first.value) !== undefined || get(root, first.value) === undefined) continue;
            anchor ??= keySpan(root, deref(get(root, first.value)));
            items.push(...scriptItems(n, refs));
          }
        }
        return items;
      });
      if (groups.some((g) => g.length)) out.push({ name, job, text: o.text, groups, anchor: anchor ?? [0, 1] });
    }
  }
  return out;
}

/** Jobs of other pipeline files whose inherited scripts this file's templates hold, at most. */
const FOREIGN_JOBS = 256;

/**
 * A variable value read in another file, for a script of this one: the same text, every
 * character mapped to `anchor` (a finding about it points at the `extends` or template that
 * brought it in).
 */
const anchored = (value: MappedString, anchor: [number, number]): MappedString => uniform(value.text, anchor[0], anchor[1]);

function nodeSpan(node: unknown): [number, number] {
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range ? [range[0], Math.max(range[0] + 1, range[1])] : [0, 1];
}

/** The span of the key that names `node` in `root` (a job's or template's name), else of the first key. */
function keySpan(root: unknown, node: unknown): [number, number] {
  if (!isMap(root) || !root.items.length) return [0, 1];
  for (const p of root.items) if (node !== undefined && deref(p.value) === node) return nodeSpan(p.key);
  return nodeSpan(root.items[0].key);
}

/** A template's or job's `variables:` read in its own file, then expanded here over `vars`. */
function readForeignVariables(source: string, map: unknown, vars: VarScope, anchor: [number, number]): void {
  const raw = new Map<string, MappedString>();
  readVariables(source, map, raw, interpolate);
  const here = new Map<string, MappedString>();
  for (const [name, value] of raw) here.set(name, anchored(value, anchor));
  const known = { get: (name: string) => here.get(name) ?? vars.get(name) };
  for (const [name, value] of here) vars.set(name, value.text.includes('$') ? expandValue(value, known) : value);
}

export function readGitlabCi(text: string, limits: YamlLimits = {}, pipeline: PipelineFile[] = []): HostResult {
  const { docs, problems } = parseYaml(text, limits);
  const regions: ShellRegion[] = [];
  const others: { root: unknown; text: string }[] = [];
  for (const f of pipeline) {
    for (const d of parseYaml(f.text, limits).docs) if (isMap(d.contents)) others.push({ root: d.contents, text: f.text });
  }
  // A script shared through an anchor is read once, in the first job that uses it.
  const seen = new Set<unknown>();
  for (const doc of docs) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    // The header document of a file with `spec: inputs:` has no jobs.
    if (root.items.length === 1 && keyOf(root.items[0]) === 'spec') continue;
    // A configuration GitLab rejects for its `extends` runs no job: none is read.
    const badExtends = extendsProblem(root);
    if (badExtends) {
      problems.push(badExtends);
      continue;
    }
    const globalVars = new VarScope();
    // Top-level variables of the whole pipeline, this file's over its other files'.
    for (const o of others) {
      const map = deref(get(o.root, 'variables'));
      if (isMap(map) && map.items.length <= TEMPLATE_VARIABLES_PER_JOB) readForeignVariables(o.text, map, globalVars, keySpan(root, deref(get(root, 'include'))));
    }
    readJobVariables(text, get(root, 'variables'), globalVars);
    const lookup = lookupIn(root, text, others);
    // A hidden template's script items run in the first job of the file that inherits them: they
    // are read there, with that job's variables and in its shell, and not in the template's own.
    const claimed = new Map<unknown, string>();
    const inheritedKeys = new Map<string, { templates: Template[] }>();
    const templateMemo = new Map<unknown, Template[] | null>();
    const templateEntries = new Map<unknown, Template>();
    // So do the lines a `!reference` to a hidden template brings into a job.
    const newRefs = (): References => ({ root, lookup, templateMemo, templateEntries, targets: new Map(), levels: new Map(), budget: referenceBudget(text), circular: false });
    const refs: References | undefined = text.includes('!reference') ? newRefs() : undefined;
    // And the lines of this file that another file's job or template names with `!reference`.
    const foreignRefs = others.length ? foreignReferences(root, others, refs ?? newRefs()) : [];
    const firstRegion = regions.length;
    for (const p of root.items) {
      const name = keyOf(p);
      const job = deref(p.value);
      if (!name || name.startsWith('.') || name === '<<' || GLOBAL_KEYS.has(name) || !isMap(job)) continue;
      const extending = get(job, 'extends') !== undefined;
      if (!extending && !refs) continue;
      const templates = extending ? templatesOf(lookup, job, templateMemo, templateEntries) : [];
      if (extending) inheritedKeys.set(name, { templates });
      for (const key of SCRIPT_KEYS) {
        const found = inherited(job, templates, key);
        if (!found || found.foreign) continue;
        const fromTemplate = found.from?.startsWith('.') ?? false;
        if (!fromTemplate && !refs) continue;
        const fromHidden = new Set<unknown>();
        for (const item of scriptItems(found.node, refs, fromHidden)) if ((fromTemplate || fromHidden.has(item)) && !claimed.has(item)) claimed.set(item, name);
      }
    }
    // Then the jobs of the pipeline's other files: a template here that only they extend runs in
    // them, with their variables (its scripts are read here, the job's own ones in its file).
    const foreignJobs: { name: string; job: unknown; text: string; templates: Template[] }[] = [];
    for (const o of others) {
      if (!isMap(o.root)) continue;
      for (const p of o.root.items) {
        const name = keyOf(p);
        const job = deref(p.value);
        if (!name || name.startsWith('.') || name === '<<' || GLOBAL_KEYS.has(name) || !isMap(job) || get(job, 'extends') === undefined) continue;
        if (get(root, name) !== undefined || foreignJobs.length >= FOREIGN_JOBS) continue;
        const templates = templatesOf(lookup, job, templateMemo, templateEntries);
        if (!templates.some((t) => !t.foreign)) continue;
        let claims = false;
        for (const key of SCRIPT_KEYS) {
          const found = inherited(job, templates, key, true);
          if (!found || found.foreign || !found.from?.startsWith('.')) continue;
          for (const item of scriptItems(found.node, refs))
            if (!claimed.has(item)) {
              claimed.set(item, name);
              claims = true;
            }
        }
        if (claims) foreignJobs.push({ name, job, text: o.text, templates });
      }
    }
    for (const f of foreignRefs) for (const group of f.groups) for (const item of group) if (!claimed.has(item)) claimed.set(item, f.name);
    const emit = (holder: unknown, scope: string, vars: VarScope, windows = false, templates: Template[] = [], holderForeign = false) => {
      for (const keys of SHELLS) {
        const items: unknown[] = [];
        for (const key of keys) {
          const found = inherited(holder, templates, key, holderForeign);
          if (found?.foreign) continue;
          for (const item of scriptItems(found?.node, refs)) {
            if (seen.has(item)) continue;
            const owner = claimed.get(item);
            if (owner !== undefined && `job:${owner}` !== scope) continue;
            seen.add(item);
            items.push(item);
          }
        }
        const script = joinScript(text, items);
        if (!script) continue;
        // `default:`'s after_script runs after each job, never before one: a scope of its own.
        const at = scope === 'default' && keys[0] === 'after_script' ? 'default:after_script' : scope;
        // A Windows runner's script is PowerShell: what does not parse as shell is not read.
        regions.push({ ...script, dialect: 'bash', scope: at, variables: vars.list(script.source.text), ...(windows ? { shellUnsure: true } : {}) });
      }
    };
    // The emits walk the same references again, on a budget of their own.
    if (refs) refs.budget = referenceBudget(text);
    const defaultOnWindows = scalarValues(get(get(root, 'default'), 'tags')).some((t) => /windows/i.test(t));
    const beforeDefault = regions.length;
    emit(get(root, 'default'), 'default', globalVars, defaultOnWindows);
    emit(root, 'default', globalVars, defaultOnWindows);
    const defaultBefore = regions.slice(beforeDefault).some((r) => r.scope === 'default');
    const tagsMemo = new Map<unknown, unknown>();
    let templateVariables: Map<unknown, Map<string, MappedString>> | undefined;
    for (const p of root.items) {
      const name = keyOf(p);
      const job = deref(p.value);
      if (!name || name === '<<' || GLOBAL_KEYS.has(name) || !isMap(job)) continue;
      const vars = new VarScope(globalVars);
      const templates = inheritedKeys.get(name)?.templates ?? [];
      let budget = TEMPLATE_VARIABLES_PER_JOB;
      if (!templateVariables) templateVariables = new Map();
      for (const t of templates) {
        const map = deref(get(t.node, 'variables'));
        if (!isMap(map) || (budget -= map.items.length) < 0) continue;
        if (t.foreign) readForeignVariables(t.text, map, vars, nodeSpan(get(job, 'extends')));
        else readJobVariables(text, map, vars, templateVariables);
      }
      readJobVariables(text, get(job, 'variables'), vars);
      const first = regions.length;
      emit(
        job,
        `job:${name}`,
        vars,
        tagsOf(root, job, tagsMemo).some((t) => /windows/i.test(t)),
        templates,
      );
      // The job's shell runs `default:`'s before_script first when it inherits it: its builders
      // and `use` hold in the job's scripts.
      if (defaultBefore && !name.startsWith('.') && inheritsDefaultBeforeScript(job, templates)) for (let i = first; i < regions.length; i++) regions[i].after = ['default'];
    }
    for (const f of foreignJobs) {
      const vars = new VarScope(globalVars);
      // Values written in the job's file point at the first template of this file it extends.
      const anchor = keySpan(root, f.templates.find((t) => !t.foreign)?.node);
      let budget = TEMPLATE_VARIABLES_PER_JOB;
      for (const t of f.templates) {
        const map = deref(get(t.node, 'variables'));
        if (!isMap(map) || (budget -= map.items.length) < 0) continue;
        if (t.foreign) readForeignVariables(t.text, map, vars, anchor);
        else readJobVariables(text, map, vars, templateVariables);
      }
      const own = deref(get(f.job, 'variables'));
      if (isMap(own) && own.items.length <= TEMPLATE_VARIABLES_PER_JOB) readForeignVariables(f.text, own, vars, anchor);
      emit(f.job, `job:${f.name}`, vars, false, f.templates, true);
    }
    for (const f of foreignRefs) {
      const vars = new VarScope(globalVars);
      const own = deref(get(f.job, 'variables'));
      if (isMap(own) && own.items.length <= TEMPLATE_VARIABLES_PER_JOB) readForeignVariables(f.text, own, vars, f.anchor);
      for (const group of f.groups) {
        // An item listed twice (two references to one list) is read once, as in `emit`.
        const items: unknown[] = [];
        for (const item of group) {
          if (seen.has(item) || claimed.get(item) !== f.name) continue;
          seen.add(item);
          items.push(item);
        }
        const script = joinScript(text, items);
        if (script) regions.push({ ...script, dialect: 'bash', scope: `job:${f.name}`, variables: vars.list(script.source.text) });
      }
    }
    // GitLab rejects a file with a circular `!reference` chain: none of its jobs runs.
    if (refs?.circular) regions.length = firstRegion;
  }
  return { regions, problems };
}

/**
 * One shell's script items as one region's text: each item's lines, interpolated, joined by a
 * newline mapped to the start of the next; null when no item has text. One item keeps its own
 * encoding; several may not take a fix across from one item into the next (the YAML between
 * them), so edits stay inside a line; a flow item takes fixes nowhere.
 */
function joinScript(text: string, items: readonly unknown[]): { source: MappedString; encoding: 'plain' | 'none' | 'line-prefixed' } | null {
  const parts: MappedString[] = [];
  let allBlock = true;
  for (const item of items) {
    const s = scalarText(text, item);
    if (!s || !s.text.trim()) continue;
    if (parts.length) parts.push(uniform('\n', s.starts[0] ?? 0, s.starts[0] ?? 0));
    parts.push(interpolate(s));
    allBlock &&= isBlockScalar(item);
  }
  if (!parts.length) return null;
  const encoding = !allBlock ? 'none' : parts.length === 1 ? 'plain' : 'line-prefixed';
  return { source: parts.length === 1 ? parts[0] : concatMapped(parts), encoding };
}

/**
 * localIncludes lists the `include:` entries of a GitLab CI file that name files of the same
 * project: `include: path.yml`, `- local: path.yml`, `- path.yml` (not remote URLs, templates,
 * components or other projects), and the same forms under a job's `trigger: include:`, the
 * configuration of a child pipeline (GitLab "parent-child pipelines"; `artifact:` entries are
 * generated while the pipeline runs and name no file of the tree). Paths are as written
 * (relative to the project root).
 */
export function localIncludes(text: string): string[] {
  // A key `include` is spelled out in the text, unless a double-quoted key writes it with an
  // escape (`"incl\x75de"`), which needs a backslash: without either no parse can find one, and
  // the host parses the file again to read it (a large file was parsed twice).
  if (!text.includes('include') && !text.includes('\\')) return [];
  const { docs } = parseYaml(text);
  const out: string[] = [];
  const collect = (inc: unknown) => {
    const items = isSeq(inc) ? inc.items : inc === undefined || inc === null ? [] : [inc];
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
  };
  for (const doc of docs) {
    collect(get(doc.contents, 'include'));
    if (!isMap(doc.contents)) continue;
    for (const p of doc.contents.items) {
      const job = deref(p.value);
      if (isMap(job)) collect(get(get(job, 'trigger'), 'include'));
    }
  }
  return out;
}

/**
 * isGitlabTemplate: whether YAML that no name and no include identifies is a GitLab CI template
 * published for other projects' `include: remote:`/`project:` (a `gitlab-ci/docker.yml` of a
 * template repository): a top-level job or hidden job (`.build:`) whose `script`,
 * `before_script` or `after_script` is a string or a list, beside a key only a job has (`stage`,
 * `extends`, `image`, `rules`, …), a document that is a CI/CD component's `spec:` header, or
 * one that uses the `!reference` tag (holdsReference). Only
 * files whose path already says GitLab are asked (detect.ts mayBeGitlabTemplate): a `script:`
 * key alone is also Ansible's, Helm values' and many others'.
 */
export function isGitlabTemplate(text: string): boolean {
  const { docs } = parseYaml(text);
  for (const doc of docs) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    if (text.includes('!reference') && holdsReference(root)) return true;
    for (const p of root.items) {
      const name = keyOf(p);
      if (name === 'spec' && isMap(deref(p.value)) && get(deref(p.value), 'inputs') !== undefined) return true;
      const job = deref(p.value);
      if (!name || GLOBAL_KEYS.has(name) || !isMap(job)) continue;
      const scripted = ['script', 'before_script', 'after_script'].some((k) => {
        const v = deref(get(job, k));
        return isSeq(v) || (isScalar(v) && typeof v.value === 'string');
      });
      if (scripted && job.items.some((q) => JOB_ONLY_KEYS.has(keyOf(q) ?? ''))) return true;
    }
  }
  return false;
}

/**
 * Whether a document uses GitLab's `!reference` tag (CI/CD YAML syntax reference, "`!reference`
 * tags"), a custom tag no other tool defines: a library of script lists that templates of the
 * same folder pull in (`.templates: build: [docker buildx create …]`) holds no `script:` key of
 * its own. Iterative, a node at most once (aliases).
 */
function holdsReference(root: unknown): boolean {
  const stack: unknown[] = [root];
  const seenNodes = new Set<unknown>();
  while (stack.length) {
    const n = deref(stack.pop());
    if (seenNodes.has(n)) continue;
    seenNodes.add(n);
    if (isSeq(n)) {
      if (isReference(n)) return true;
      stack.push(...n.items);
    } else if (isMap(n)) for (const q of n.items) stack.push(q.value);
  }
  return false;
}

/** Keys of a GitLab job that Ansible tasks, Helm values and other `script:` holders rarely have. */
const JOB_ONLY_KEYS = new Set([
  'stage',
  'extends',
  'image',
  'services',
  'rules',
  'only',
  'except',
  'tags',
  'needs',
  'artifacts',
  'dependencies',
  'allow_failure',
  'when',
  'interruptible',
  'resource_group',
  'retry',
  'parallel',
  'coverage',
  'environment',
  'release',
  'trigger',
  'id_tokens',
  'secrets',
  'cache',
  'before_script',
  'after_script',
]);
