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
import { deref, get, isBlockScalar, keyOf, parseYaml, readVariables, scalarText, spanOfNode, variablesList } from './yaml-common';
import { substituteExpressions } from './yaml-scalar';

/**
 * The dialect of a `shell:` value, or null for a shell kbx-lint does not read (pwsh, python,
 * cmd, powershell, a custom program). `bash {0}`, `sh -e {0}`, `/usr/bin/bash -e {0}` count.
 */
export function dialectOfShell(shell: string): Dialect | null {
  const prog = shell.trim().split(/\s+/)[0] ?? '';
  const base = prog.slice(prog.lastIndexOf('/') + 1);
  if (base === 'bash') return 'bash';
  if (base === 'sh') return 'sh';
  return null;
}

interface Ctx {
  text: string;
  regions: ShellRegion[];
  problems: HostProblem[];
  ordinal: number;
  /** Steps already read: one shared through an anchor is read once. */
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

/** Windows runners default to pwsh; an expression or a label list is read as Linux. */
function runsOnWindows(job: unknown): boolean {
  const r = get(job, 'runs-on');
  const names: string[] = [];
  if (isScalar(r)) names.push(String(r.value));
  else if (isSeq(r)) for (const i of r.items) if (isScalar(i)) names.push(String(i.value));
  return names.some((n) => /^windows/i.test(n));
}

function readSteps(ctx: Ctx, steps: unknown, scope: string, baseVars: Map<string, MappedString>, defaultShell: string | null | undefined, composite: boolean): void {
  if (!isSeq(steps)) return;
  const { text } = ctx;
  // The buildx release a setup-buildx-action step installs (`version:`) runs every later buildx
  // command of the job, and that step's own create.
  let pinned: ShellRegion['buildxVersion'];
  for (const item of steps.items) {
    const step = deref(item);
    if (!isMap(step) || ctx.seen.has(step)) continue;
    ctx.seen.add(step);
    const vars = new Map(baseVars);
    readVariables(text, get(step, 'env'), vars, substituteExpressions);
    const run = get(step, 'run');
    if (run !== undefined) {
      const source = scalarText(text, run);
      if (!source) continue;
      let shell = shellOf(text, get(step, 'shell'));
      if (shell === undefined) shell = composite ? null : defaultShell;
      if (shell === undefined) shell = 'bash';
      const dialect = shell === null ? null : dialectOfShell(shell);
      if (!dialect) continue;
      ctx.regions.push({
        source: substituteExpressions(source),
        dialect,
        encoding: isBlockScalar(run) ? 'plain' : 'none',
        scope,
        variables: variablesList(vars),
        ...(pinned ? { buildxVersion: pinned } : {}),
      });
      continue;
    }
    const usesNode = get(step, 'uses');
    const uses = scalarText(text, usesNode);
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
    if (source) ctx.regions.push({ source, dialect: 'bash', encoding: 'none', scope, variables: variablesList(vars), ...(pinned ? { buildxVersion: pinned } : {}) });
  }
}

export function readGithubActions(text: string): HostResult {
  const { docs, problems } = parseYaml(text);
  const ctx: Ctx = { text, regions: [], problems, ordinal: 0, seen: new Set() };
  for (const doc of docs) {
    const root = doc.contents;
    if (!isMap(root)) continue;
    const runs = get(root, 'runs');
    if (isMap(runs)) {
      const using = scalarText(text, get(runs, 'using'));
      if (using?.text === 'composite') readSteps(ctx, get(runs, 'steps'), 'action', new Map(), undefined, true);
      continue;
    }
    const workflowVars = new Map<string, MappedString>();
    readVariables(text, get(root, 'env'), workflowVars, substituteExpressions);
    const workflowShell = defaultsShell(text, root);
    const jobs = get(root, 'jobs');
    if (!isMap(jobs)) continue;
    for (const jp of jobs.items) {
      const id = keyOf(jp);
      const job = deref(jp.value);
      if (!id || !isMap(job)) continue;
      const vars = new Map(workflowVars);
      readVariables(text, get(job, 'env'), vars, substituteExpressions);
      let shell = defaultsShell(text, job);
      if (shell === undefined) shell = workflowShell;
      if (shell === undefined && runsOnWindows(job)) shell = 'pwsh';
      readSteps(ctx, get(job, 'steps'), `job:${id}`, vars, shell, false);
    }
  }
  return { regions: ctx.regions, problems: ctx.problems };
}
