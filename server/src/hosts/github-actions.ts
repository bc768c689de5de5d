/**
 * GitHub Actions host: workflows (`jobs.<id>.steps`) and composite actions (`runs.steps` under
 * `runs.using: composite`). Each `run:` whose shell is bash or sh becomes a region; a step using
 * docker/setup-buildx-action, build-push-action or bake-action becomes the buildx commands the
 * action runs (docker-actions.ts). `${{ … }}` is substituted by the runner before either reads
 * the text, so it is one DYNAMIC character. The steps of one job share a scope: a builder created
 * in one step is the builder of the next step's build; jobs run on separate machines.
 */
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { DYNAMIC, type MappedString, spanOf } from '../core/mapped-string';
import { dockerActionOf, synthesiseAction, type StepInput } from './docker-actions';
import type { Dialect, HostProblem, HostResult, ShellRegion } from './region';
import { deref, get, isBlockScalar, keyOf, readVariables, scalarText, spanOfNode, VarScope, type YamlLimits, yamlDocuments } from './yaml-common';
import { substituteExpressions } from './yaml-scalar';

/**
 * The dialect of a `shell:` value, or null for a shell kbx-lint does not read (pwsh, python,
 * cmd, powershell, a custom program). `bash {0}`, `sh -e {0}`, `/usr/bin/bash -e {0}` count, and
 * so does a wrapper whose command hands the script file to bash or sh: the runner puts the
 * file's path where `{0}` stands (actions/runner ScriptHandler), so in `script -q -e -c "bash
 * {0}"` or `unbuffer bash {0}` bash reads the file.
 */
export function dialectOfShell(shell: string): Dialect | null {
  const words = shell
    .trim()
    .split(/[\s"']+/)
    .filter(Boolean);
  const direct = shellDialect(words[0] ?? '');
  if (direct) return direct;
  const at = words.indexOf('{0}');
  // Back from the file to the program that receives it; only options may come between
  // (`-o pipefail`'s value included).
  for (let i = at - 1; i > 0; i--) {
    const d = shellDialect(words[i]);
    if (d) return d;
    const w = words[i];
    if (/^[-+]/.test(w)) continue;
    if (i > 1 && /^[-+]\w*o$/i.test(words[i - 1])) continue;
    return null;
  }
  return null;
}

function shellDialect(word: string): Dialect | null {
  const base = word.slice(word.lastIndexOf('/') + 1);
  if (base === 'bash') return 'bash';
  if (base === 'sh') return 'sh';
  return null;
}

interface Ctx {
  text: string;
  regions: ShellRegion[];
  problems: HostProblem[];
  ordinal: number;
  /** Steps of this document already read: one shared through an anchor is read once. */
  seen: Set<unknown>;
}

function shellOf(text: string, node: unknown): string | null | undefined {
  if (node === undefined || node === null) return undefined;
  const s = scalarText(text, node);
  if (!s) return undefined;
  // A shell chosen by an expression is unknown: do not guess.
  return s.text.includes('${{') ? null : s.text;
}

function defaultsShell(text: string, holder: unknown): string | null | undefined {
  return shellOf(text, get(get(get(holder, 'defaults'), 'run'), 'shell'));
}

function labelsOf(node: unknown): string[] | null {
  let n = deref(node);
  // `runs-on: {group: …, labels: […]}`
  if (isMap(n)) n = get(n, 'labels') ?? [];
  if (isScalar(n)) return [String(n.value)];
  if (isSeq(n))
    return n.items
      .map((i) => deref(i))
      .filter(isScalar)
      .map((i) => String(i.value));
  return Array.isArray(n) ? [] : null;
}

const isWindowsLabels = (labels: string[]) => labels.some((l) => /^windows/i.test(l));

/**
 * The values `${{ matrix.NAME }}` takes in a job: the `strategy.matrix.NAME` list and the NAME of
 * every `include` entry; null when one of them is not written out (an expression, `fromJSON`).
 */
function matrixValues(job: unknown, name: string): unknown[] | null {
  const matrix = deref(get(get(job, 'strategy'), 'matrix'));
  if (!isMap(matrix)) return null;
  const out: unknown[] = [];
  const list = deref(get(matrix, name));
  if (isSeq(list)) out.push(...list.items);
  else if (list !== undefined) return null;
  const include = deref(get(matrix, 'include'));
  if (include !== undefined && !isSeq(include)) return null;
  if (isSeq(include)) {
    for (const entry of include.items) {
      const e = deref(entry);
      if (!isMap(e)) return null;
      const v = get(e, name);
      if (v !== undefined) out.push(v);
    }
  }
  return out;
}

/**
 * `runs-on` is an expression that may name a Windows runner: it mentions Windows, or the job's
 * matrix lists a Windows label anywhere (`${{ matrix.arch == 'arm64' && format(…) || matrix.os }}`).
 */
function mayRunOnWindows(text: string, job: unknown): boolean {
  const r = deref(get(job, 'runs-on'));
  const s = scalarText(text, r);
  if (!s || !s.text.includes('${{')) return false;
  if (/windows/i.test(s.text)) return true;
  // A runner named by a reusable workflow's input or a configuration variable (`${{ inputs.os }}`)
  // is decided by the caller: it may be Windows.
  if (/^\$\{\{\s*(?:inputs|vars|github\.event\.inputs|needs)\.[\w.-]+\s*\}\}$/.test(s.text.trim()) || /fromJSON\s*\(/i.test(s.text)) return true;
  const stack: unknown[] = [get(get(job, 'strategy'), 'matrix')];
  // Each node once: aliases of aliases would make the walk exponential in the nesting.
  const visited = new Set<unknown>();
  while (stack.length) {
    const n = deref(stack.pop());
    if (visited.has(n)) continue;
    visited.add(n);
    if (isScalar(n)) {
      if (/^windows/i.test(String(n.value))) return true;
    } else if (isSeq(n)) for (const item of n.items) stack.push(item);
    else if (isMap(n)) for (const p of (n as YAMLMap).items) stack.push(p.value);
  }
  return false;
}

/**
 * Windows runners default to pwsh. `runs-on: ${{ matrix.os }}` is Windows when every value the
 * matrix gives it is a Windows label (a `run:` there is PowerShell); a matrix that mixes systems
 * runs the script under bash on its Linux and macOS legs, so it is read. Any other expression is
 * read as Linux.
 */
function runsOnWindows(job: unknown): boolean {
  const r = deref(get(job, 'runs-on'));
  const m = isScalar(r) ? /^\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}$/.exec(String(r.value).trim()) : null;
  if (m) {
    const values = matrixValues(job, m[1]);
    if (!values?.length) return false;
    return values.every((v) => {
      const labels = labelsOf(v);
      return labels !== null && !labels.some((l) => l.includes('${{')) && isWindowsLabels(labels);
    });
  }
  const labels = labelsOf(r);
  return labels !== null && isWindowsLabels(labels);
}

/**
 * The job certainly runs on Linux: every label set `runs-on` can take (itself, or each value of
 * `${{ matrix.NAME }}`) has a GitHub-hosted Ubuntu label (`ubuntu-latest`, `ubuntu-24.04-arm`) or
 * the `linux` label GitHub gives every self-hosted Linux runner, and no Windows or macOS label
 * (docs.github.com/en/actions: "Choosing the runner for a job", "Using labels with self-hosted
 * runners"). Any other expression or a custom label alone is not known.
 */
function runsOnLinux(job: unknown): boolean {
  const linux = (labels: string[] | null) =>
    labels !== null && labels.length > 0 && !labels.some((l) => l.includes('${{') || /^(?:windows|macos)/i.test(l)) && labels.some((l) => /^ubuntu-/i.test(l) || /^linux$/i.test(l));
  const r = deref(get(job, 'runs-on'));
  const m = isScalar(r) ? /^\$\{\{\s*matrix\.([A-Za-z_][\w-]*)\s*\}\}$/.exec(String(r.value).trim()) : null;
  if (m) {
    const values = matrixValues(job, m[1]);
    return !!values?.length && values.every((v) => linux(labelsOf(v)));
  }
  return linux(labelsOf(r));
}

/**
 * nick-fields/retry (formerly nick-invision/retry) runs its `command:` input with Node's
 * `spawn(command, { shell })`, the shell being its `shell:` input, else bash (powershell on
 * Windows): `src/index.ts` getExecutable at dd56f1c. The job's `defaults.run.shell` does not
 * apply to it.
 */
const RETRY_ACTION = /^nick-(?:fields|invision)\/retry(?:@|$)/;

/**
 * How a step's `if:` decides whether it runs, against the path kbx-lint follows (every earlier
 * step succeeded). `always`: absent, `success()`, `always()`, `!cancelled()`, `true`. `maybe`:
 * any other condition, which GitHub prefixes with `success() &&` (the facts of the earlier steps
 * hold when it runs). `detached`: a status function (`failure()`, `cancelled()`, `always() && …`)
 * runs it where earlier steps may have failed, so their facts do not hold there, and on the
 * success path it may not run: it is read in a scope of its own.
 */
function stepCondition(text: string, step: unknown): 'always' | 'maybe' | 'detached' {
  const cond = get(step, 'if');
  if (cond === undefined || cond === null) return 'always';
  if (isScalar(cond) && cond.value === true) return 'always';
  const s = scalarText(text, cond);
  if (!s) return 'maybe';
  const bare = s.text
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
    .trim();
  if (/^(?:success\(\)|always\(\)|!\s*cancelled\(\)|true)$/.test(bare)) return 'always';
  return /\b(?:failure|cancelled|always)\s*\(\s*\)/.test(bare) ? 'detached' : 'maybe';
}

/** docker/setup-docker-action and the crazy-max action it came from: both take `daemon-config`. */
const SETUP_DOCKER_ACTION = /^(?:docker\/setup-docker-action|crazy-max\/ghaction-setup-docker)@/i;

/**
 * Whether a step installs a Docker daemon that uses the containerd image store: setup-docker-action
 * with a `daemon-config` (written to daemon.json) whose `features` turn `containerd-snapshotter`
 * on, as Docker's docs enable the store (docs.docker.com, "containerd image store"). A value
 * known only at run time (`${{ … }}`) or that is not JSON says nothing.
 */
function setsUpContainerdStore(text: string, step: unknown): boolean {
  const uses = scalarText(text, get(step, 'uses'));
  if (!uses || !SETUP_DOCKER_ACTION.test(uses.text.trim())) return false;
  const config = scalarText(text, get(get(step, 'with'), 'daemon-config'));
  if (!config || config.text.includes('${{')) return false;
  try {
    const json = JSON.parse(config.text) as { features?: Record<string, unknown> } | null;
    return json?.features?.['containerd-snapshotter'] === true;
  } catch {
    return false;
  }
}

function readSteps(ctx: Ctx, steps: unknown, scope: string, baseVars: VarScope, defaultShell: string | null | undefined, composite: boolean, onWindows = false, maybeWindows = false): void {
  if (!isSeq(steps)) return;
  const { text } = ctx;
  // The buildx release a setup-buildx-action step installs (`version:`) runs every later buildx
  // command of the job, and that step's own create.
  let pinned: ShellRegion['buildxVersion'];
  // A step that set up Docker with the containerd image store holds for every later step.
  let store: { imageStore?: 'containerd' } = {};
  for (let index = 0; index < steps.items.length; index++) {
    const step = deref(steps.items[index]);
    if (!isMap(step) || ctx.seen.has(step)) continue;
    ctx.seen.add(step);
    const vars = new VarScope(baseVars);
    readVariables(text, get(step, 'env'), vars, substituteExpressions);
    const condition = stepCondition(text, step);
    const conditional = condition === 'maybe' ? { conditional: true } : {};
    const stepScope = condition === 'detached' ? `${scope}:step:${index}` : scope;
    if (condition === 'always' && setsUpContainerdStore(text, step)) store = { imageStore: 'containerd' };
    // A script the step hands to a shell: `run:`, or a retry action's `command:` input.
    const pushScript = (written: MappedString, node: unknown, dialect: Dialect, unsure: boolean) => {
      const source = substituteExpressions(written);
      ctx.regions.push({
        source,
        dialect,
        encoding: isBlockScalar(node) ? 'plain' : 'none',
        scope: stepScope,
        variables: vars.list(source.text),
        ...(pinned ? { buildxVersion: pinned } : {}),
        ...conditional,
        ...(unsure ? { shellUnsure: true } : {}),
        ...store,
      });
    };
    const run = get(step, 'run');
    if (run !== undefined) {
      const source = scalarText(text, run);
      if (!source) continue;
      let shell = shellOf(text, get(step, 'shell'));
      if (shell === undefined) shell = composite ? null : defaultShell;
      const unsure = shell === undefined && maybeWindows;
      if (shell === undefined) shell = 'bash';
      const dialect = shell === null ? null : dialectOfShell(shell);
      if (!dialect) continue;
      pushScript(source, run, dialect, unsure);
      continue;
    }
    const usesNode = get(step, 'uses');
    const uses = scalarText(text, usesNode);
    if (uses && RETRY_ACTION.test(uses.text.trim())) {
      const withMap = get(step, 'with');
      const command = get(withMap, 'command');
      const source = scalarText(text, command);
      if (!source) continue;
      let shell = shellOf(text, get(withMap, 'shell'));
      const unsure = shell === undefined && maybeWindows;
      if (shell === undefined) shell = onWindows ? 'powershell' : 'bash';
      const dialect = shell === null ? null : dialectOfShell(shell);
      if (!dialect) continue;
      pushScript(source, command, dialect, unsure);
      continue;
    }
    const kind = uses ? dockerActionOf(uses.text) : null;
    if (!uses || !kind) continue;
    const inputs = new Map<string, StepInput>();
    const withMap = get(step, 'with');
    if (isMap(withMap)) {
      for (const p of (withMap as YAMLMap).items) {
        const name = keyOf(p);
        const v = scalarText(text, deref(p.value));
        if (!name || !v) continue;
        inputs.set(name, { keySpan: spanOfNode(p.key as never), value: substituteExpressions(v) });
      }
    }
    const version = kind === 'setup-buildx' ? inputs.get('version') : undefined;
    if (version && !version.value.text.includes(DYNAMIC) && /^v?\d+\.\d+(\.\d+)?$/.test(version.value.text.trim())) {
      pinned = { version: version.value.text.trim(), span: spanOf(version.value) };
    }
    const source = synthesiseAction(kind, { uses: uses.text, usesSpan: spanOfNode(usesNode as never), inputs, ordinal: ++ctx.ordinal }, ctx.problems);
    if (source)
      ctx.regions.push({ source, dialect: 'bash', encoding: 'none', scope: stepScope, variables: vars.list(source.text), ...(pinned ? { buildxVersion: pinned } : {}), ...conditional, ...store });
  }
}

export function readGithubActions(text: string, limits: YamlLimits = {}): HostResult {
  // One document at a time: nothing of a document is kept once it is read, and what was read is
  // dropped if a later document fails to parse (such a file is not read at all).
  const ctx: Ctx = { text, regions: [], problems: [], ordinal: 0, seen: new Set() };
  const docs = yamlDocuments(text, limits);
  for (let next = docs.next(); ; next = docs.next()) {
    if (next.done) {
      const { problems, failed } = next.value;
      return failed ? { regions: [], problems } : { regions: ctx.regions, problems: [...problems, ...ctx.problems] };
    }
    const root = next.value.contents;
    // Anchors do not reach across documents: a step is shared only within its own.
    ctx.seen = new Set();
    if (!isMap(root)) continue;
    const runs = get(root, 'runs');
    if (isMap(runs)) {
      const using = scalarText(text, get(runs, 'using'));
      if (using?.text === 'composite') readSteps(ctx, get(runs, 'steps'), 'action', new VarScope(), undefined, true);
      continue;
    }
    const workflowVars = new VarScope();
    readVariables(text, get(root, 'env'), workflowVars, substituteExpressions);
    const workflowShell = defaultsShell(text, root);
    const jobs = get(root, 'jobs');
    if (!isMap(jobs)) continue;
    for (const jp of jobs.items) {
      const id = keyOf(jp);
      const job = deref(jp.value);
      if (!id || !isMap(job)) continue;
      const vars = new VarScope(workflowVars);
      readVariables(text, get(job, 'env'), vars, substituteExpressions);
      let shell = defaultsShell(text, job);
      if (shell === undefined) shell = workflowShell;
      const onWindows = runsOnWindows(job);
      if (shell === undefined && onWindows) shell = 'pwsh';
      const first = ctx.regions.length;
      readSteps(ctx, get(job, 'steps'), `job:${id}`, vars, shell, false, onWindows, !onWindows && mayRunOnWindows(text, job));
      if (runsOnLinux(job)) for (let i = first; i < ctx.regions.length; i++) ctx.regions[i].clientOs = 'linux';
    }
  }
}
