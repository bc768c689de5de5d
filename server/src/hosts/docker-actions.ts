/**
 * The buildx commands Docker's GitHub Actions run, synthesised from a step's `with:` inputs:
 *
 * - docker/setup-buildx-action (`src/context.ts` getCreateArgs/getAppendArgs and `src/main.ts` at
 *   37fe631): `docker buildx create` for the builder, then one `create --append` per `append`
 *   node; `driver: docker` creates nothing.
 * - docker/build-push-action (`src/context.ts` at cb941d0): one `docker buildx build` with the
 *   inputs that map straight onto flags.
 * - docker/bake-action (`src/context.ts` at 4574eac): one `docker buildx bake`.
 *
 * Flags the action computes from its own state (`--iidfile`, `--metadata-file`, default
 * provenance, secrets written to temporary files) are left out: they carry no user mistakes.
 */
import { parseDocument, isMap, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { DYNAMIC, MappedStringBuilder, type MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';
import { booleanInput, getInput, getList, type ListOpts } from './action-inputs';
import type { HostProblem } from './region';
import { SynthScript, fixedText } from './synth';
import { decodeScalar, trimMapped } from './yaml-scalar';

export interface StepInput {
  keySpan: Span;
  /** The decoded value with `${{ … }}` already DYNAMIC. */
  value: MappedString;
}

export interface ActionStep {
  /** The `uses:` value (`docker/setup-buildx-action@v3`) and where it is. */
  uses: string;
  usesSpan: Span;
  inputs: Map<string, StepInput>;
  /** Sequence number of the step in its file, for generated builder names. */
  ordinal: number;
}

export type DockerAction = 'setup-buildx' | 'build-push' | 'bake';

export function dockerActionOf(uses: string): DockerAction | null {
  const m = /^docker\/(setup-buildx-action|build-push-action|bake-action)(?:@|$)/.exec(uses.trim());
  if (!m) return null;
  return m[1] === 'setup-buildx-action' ? 'setup-buildx' : m[1] === 'build-push-action' ? 'build-push' : 'bake';
}

const DEFAULT_BUILDKITD_FLAGS = '--allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host';

function driverSupportsBuildkitdFlags(driver: string): boolean {
  return driver === '' || driver === 'docker-container' || driver === 'docker' || driver === 'kubernetes';
}

/** compose maps a string decoded from `outer.text` onto the file through `outer`. */
function compose(inner: MappedString, outer: MappedString): MappedString {
  const b = new MappedStringBuilder();
  for (let i = 0; i < inner.text.length; i++) {
    const s = inner.starts[i];
    const e = inner.ends[i];
    const start = s < outer.text.length ? outer.starts[s] : outer.endOffset;
    const end = e > s ? outer.ends[Math.min(e, outer.text.length) - 1] : start;
    b.push(inner.text[i], start, end);
  }
  const eo = inner.endOffset;
  return b.build(eo > 0 && eo <= outer.text.length ? outer.ends[eo - 1] : outer.endOffset);
}

function spanOfMapped(s: MappedString, fallback: Span): Span {
  if (!s.text.length) return fallback;
  let start = s.starts[0];
  let end = s.ends[0];
  for (let i = 1; i < s.text.length; i++) {
    if (s.starts[i] < start) start = s.starts[i];
    if (s.ends[i] > end) end = s.ends[i];
  }
  return { start, end };
}

class Inputs {
  /** span() per input: a list input asks once per item, and the value may be the whole file. */
  private readonly spans = new Map<string, Span>();
  constructor(private step: ActionStep) {}
  raw(name: string): StepInput | undefined {
    return this.step.inputs.get(name);
  }
  get(name: string): MappedString | undefined {
    const v = getInput(this.raw(name)?.value);
    return v && v.text !== '' ? v : undefined;
  }
  list(name: string, opts: ListOpts = {}): MappedString[] {
    const v = getInput(this.raw(name)?.value, opts.trimWhitespace !== false);
    return v ? getList(v, opts) : [];
  }
  bool(name: string, dflt: boolean): boolean {
    const v = this.get(name);
    if (!v) return dflt;
    // A `${{ … }}` value is unknown: the default is the likelier reading.
    return booleanInput(v.text) ?? dflt;
  }
  /** The span to blame for a flag this input produced: the input's value, else its key. */
  span(name: string): Span {
    const r = this.raw(name);
    if (!r) return this.step.usesSpan;
    let span = this.spans.get(name);
    if (!span) this.spans.set(name, (span = spanOfMapped(trimMapped(r.value), r.keySpan)));
    return span;
  }
  keySpan(name: string): Span {
    return this.raw(name)?.keySpan ?? this.step.usesSpan;
  }
}

function joinPlatforms(items: MappedString[]): MappedString {
  const b = new MappedStringBuilder();
  items.forEach((p, k) => {
    if (k) b.push(',', p.text.length ? p.starts[0] : p.endOffset, p.text.length ? p.starts[0] : p.endOffset);
    b.append(p);
  });
  return b.build(items.length ? items[items.length - 1].endOffset : 0);
}

/** Host problems the inputs show before any buildx reading: comment lines, empty list items. */
function inputListProblems(inp: Inputs, name: string, problems: HostProblem[], commentCheck: boolean): void {
  const v = getInput(inp.raw(name)?.value);
  if (!v) return;
  if (commentCheck) {
    for (const item of getList(v, { ignoreComma: true, quote: false })) {
      if (item.text.startsWith('#')) {
        problems.push({
          kind: 'driver-opts-comment',
          supersedes: true,
          span: spanOfMapped(item, inp.span(name)),
          severity: 'error',
          message: `the action passes the line "${item.text}" to buildx as a driver option: ${name} has no comment syntax`,
        });
      }
    }
  }
}

function platformsProblems(inp: Inputs, name: string, problems: HostProblem[]): void {
  const v = getInput(inp.raw(name)?.value);
  if (!v) return;
  // getList splits on commas and drops empty items; an empty item is a stray comma.
  const t = v.text;
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== ',') continue;
    let k = i + 1;
    while (k < t.length && (t[k] === ' ' || t[k] === '\t')) k++;
    let j = i - 1;
    while (j >= 0 && (t[j] === ' ' || t[j] === '\t')) j--;
    const emptyAfter = k >= t.length || t[k] === ',' || t[k] === '\n' || t[k] === '\r';
    const emptyBefore = j < 0 || t[j] === '\n';
    if (emptyAfter || emptyBefore) {
      problems.push({
        kind: 'platforms-empty-item',
        span: { start: v.starts[i], end: v.ends[i] },
        severity: 'warning',
        message: `the ${name} input has an empty item at this comma; the action drops it`,
      });
    }
  }
}

/** The `append` input: a YAML list of nodes, parsed again from the input's decoded text. */
interface AppendNode {
  name?: MappedString;
  endpoint?: MappedString;
  platforms?: MappedString;
  driverOpts?: MappedString[];
  buildkitdFlags?: MappedString;
  span: Span;
}

function readAppend(value: MappedString, problems: HostProblem[]): AppendNode[] {
  const doc = parseDocument(value.text, { keepSourceTokens: true });
  if (doc.errors.length) return [];
  const root = doc.contents;
  if (!isSeq(root)) return [];
  const str = (n: unknown): MappedString | undefined => {
    if (!isScalar(n) || n.value === null) return undefined;
    const tok = (n as Scalar & { srcToken?: { indent?: number } }).srcToken;
    return compose(decodeScalar(value.text, n, tok?.indent ?? 0), value);
  };
  const out: AppendNode[] = [];
  for (const item of root.items) {
    if (!isMap(item)) continue;
    const r = (item as Node).range ?? [0, 0, 0];
    const node: AppendNode = { span: spanOfMapped(compose({ text: 'x', starts: Int32Array.of(r[0]), ends: Int32Array.of(Math.max(r[0] + 1, r[1])), endOffset: r[1] }, value), { start: 0, end: 0 }) };
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const v = pair.value;
      if (key === 'name') node.name = str(v);
      else if (key === 'endpoint') node.endpoint = str(v);
      else if (key === 'buildkitd-flags') node.buildkitdFlags = str(v);
      else if (key === 'platforms') {
        if (isSeq(v)) node.platforms = joinPlatforms(v.items.map(str).filter((x): x is MappedString => !!x));
        else node.platforms = str(v);
      } else if (key === 'driver-opts') {
        if (isSeq(v)) node.driverOpts = v.items.map(str).filter((x): x is MappedString => !!x);
        else {
          const s = str(v);
          if (s && s.text) {
            // asyncForEach over a string visits its characters: one --driver-opt per character.
            node.driverOpts = [];
            for (let i = 0; i < s.text.length; i++) node.driverOpts.push({ text: s.text[i], starts: s.starts.subarray(i, i + 1), ends: s.ends.subarray(i, i + 1), endOffset: s.ends[i] });
            problems.push({
              kind: 'append-driver-opts-string',
              supersedes: true,
              span: spanOfMapped(s, node.span),
              severity: 'error',
              message: `append driver-opts is a string: the action passes each of its ${s.text.length} characters as a separate --driver-opt`,
            });
          }
        }
      }
    }
    out.push(node);
  }
  return out;
}

function setupBuildx(step: ActionStep, script: SynthScript, problems: HostProblem[]): void {
  const inp = new Inputs(step);
  const u = step.usesSpan;
  const driverIn = inp.get('driver');
  const driver = driverIn?.text ?? 'docker-container';
  const nameIn = inp.get('name');
  const name: MappedString = driver === 'docker' ? fixedText('default', u) : (nameIn ?? fixedText(`builder-generated-${step.ordinal}`, u));
  inputListProblems(inp, 'driver-opts', problems, true);
  platformsProblems(inp, 'platforms', problems);
  // The program words stand for the step, or for the `append` input that adds a node: each
  // command then starts where its input is, in the order the action runs them.
  const cmd = (at: Span = u) => {
    script.fixed('docker', at);
    script.fixed('buildx', at);
    script.fixed('create', at);
  };
  const nameArgs = () => {
    script.fixed('--name', nameIn ? inp.keySpan('name') : u);
    script.word(name, u);
  };
  if (driver !== 'docker') {
    cmd();
    nameArgs();
    script.fixed('--driver', driverIn ? inp.keySpan('driver') : u);
    if (driverIn) script.word(driverIn, inp.span('driver'));
    else script.fixed('docker-container', u);
    for (const opt of inp.list('driver-opts', { ignoreComma: true, quote: false })) {
      script.fixed('--driver-opt', inp.keySpan('driver-opts'));
      script.word(opt, inp.span('driver-opts'), true);
    }
    const flags = inp.get('buildkitd-flags');
    if (flags) {
      script.fixed('--buildkitd-flags', inp.keySpan('buildkitd-flags'));
      script.word(flags, inp.span('buildkitd-flags'));
    } else if (driverSupportsBuildkitdFlags(driver)) {
      script.fixed('--buildkitd-flags', u);
      script.fixed(DEFAULT_BUILDKITD_FLAGS, u);
    }
    const platforms = inp.list('platforms');
    if (platforms.length) {
      script.fixed('--platform', inp.keySpan('platforms'));
      script.word(joinPlatforms(platforms), inp.span('platforms'));
    }
    if (inp.bool('use', true)) script.fixed('--use', inp.raw('use') ? inp.span('use') : u);
    for (const cfg of ['buildkitd-config', 'buildkitd-config-inline']) {
      if (!inp.get(cfg)) continue;
      // The action writes the configuration to a file of its own and passes that path.
      script.fixed('--config', inp.keySpan(cfg));
      script.fixed(DYNAMIC, inp.span(cfg));
      break;
    }
    const endpoint = inp.get('endpoint');
    if (endpoint) script.word(endpoint, inp.span('endpoint'));
    script.endCommand();
  }
  const append = inp.get('append');
  for (const node of append ? readAppend(append, problems) : []) {
    cmd(node.span);
    nameArgs();
    script.fixed('--append', inp.keySpan('append'));
    if (node.name?.text) {
      script.fixed('--node', node.span);
      script.word(node.name, node.span);
    }
    if (node.driverOpts?.length) {
      for (const opt of node.driverOpts) {
        script.fixed('--driver-opt', node.span);
        script.word(opt, node.span);
      }
      if (node.buildkitdFlags?.text) {
        script.fixed('--buildkitd-flags', node.span);
        script.word(node.buildkitdFlags, node.span);
      } else if (driverSupportsBuildkitdFlags(driver)) {
        script.fixed('--buildkitd-flags', node.span);
        script.fixed(DEFAULT_BUILDKITD_FLAGS, node.span);
      }
    }
    if (node.platforms?.text) {
      script.fixed('--platform', node.span);
      script.word(node.platforms, node.span);
    }
    if (node.endpoint?.text) script.word(node.endpoint, node.span);
    script.endCommand();
  }
  // `install: true` (v1 to v3; v4 dropped the input, b4664d8) runs `docker buildx install` after
  // the builder is up, so a later `docker build` goes to the builder in use. An `install` given by
  // an expression is read as installed: `docker build` is then not taken for the context's builder.
  const install = inp.get('install');
  const major = /@v(\d+)/.exec(step.uses)?.[1];
  if (install && (major === undefined || Number(major) < 4) && (booleanInput(install.text) ?? true)) {
    const at = inp.span('install');
    script.fixed('docker', at);
    script.fixed('buildx', at);
    script.fixed('install', at);
    script.endCommand();
  }
}

/** Inputs of build-push-action that become one flag per list item, in the action's order. */
const BUILD_LISTS: { input: string; flag: string; opts: ListOpts }[] = [
  { input: 'add-hosts', flag: '--add-host', opts: {} },
  { input: 'allow', flag: '--allow', opts: {} },
  { input: 'annotations', flag: '--annotation', opts: { ignoreComma: true } },
  { input: 'build-args', flag: '--build-arg', opts: { ignoreComma: true } },
  { input: 'build-contexts', flag: '--build-context', opts: { ignoreComma: true } },
  { input: 'cache-from', flag: '--cache-from', opts: { ignoreComma: true } },
  { input: 'cache-to', flag: '--cache-to', opts: { ignoreComma: true } },
];

function buildPush(step: ActionStep, script: SynthScript, problems: HostProblem[]): void {
  const inp = new Inputs(step);
  const u = step.usesSpan;
  platformsProblems(inp, 'platforms', problems);
  script.fixed('docker', u);
  script.fixed('buildx', u);
  script.fixed('build', u);
  const each = (input: string, flag: string, opts: ListOpts) => {
    for (const v of inp.list(input, opts)) {
      script.fixed(flag, inp.keySpan(input));
      script.word(v, inp.span(input), true);
    }
  };
  const single = (input: string, flag: string) => {
    const v = inp.get(input);
    if (!v) return;
    script.fixed(flag, inp.keySpan(input));
    script.word(v, inp.span(input));
  };
  for (const l of BUILD_LISTS) each(l.input, l.flag, l.opts);
  single('call', '--call');
  single('cgroup-parent', '--cgroup-parent');
  single('file', '--file');
  each('labels', '--label', { ignoreComma: true });
  each('no-cache-filters', '--no-cache-filter', {});
  each('outputs', '--output', { ignoreComma: true, quote: false });
  const platforms = inp.list('platforms');
  if (platforms.length) {
    script.fixed('--platform', inp.keySpan('platforms'));
    script.word(joinPlatforms(platforms), inp.span('platforms'));
  }
  single('shm-size', '--shm-size');
  each('ssh', '--ssh', {});
  each('tags', '--tag', {});
  single('target', '--target');
  each('ulimit', '--ulimit', { ignoreComma: true });
  single('builder', '--builder');
  const flag = (input: string, f: string) => {
    if (inp.bool(input, false)) script.fixed(f, inp.span(input));
  };
  flag('load', '--load');
  single('network', '--network');
  flag('no-cache', '--no-cache');
  flag('pull', '--pull');
  flag('push', '--push');
  const context = inp.get('context');
  // An empty context is the Git context of the workflow's repository and ref.
  if (context && !context.text.includes('{{')) script.word(context, inp.span('context'));
  else script.fixed(DYNAMIC, context ? inp.span('context') : u);
  script.endCommand();
}

function bake(step: ActionStep, script: SynthScript, problems: HostProblem[]): void {
  const inp = new Inputs(step);
  const u = step.usesSpan;
  void problems;
  script.fixed('docker', u);
  script.fixed('buildx', u);
  script.fixed('bake', u);
  // getBakeContext: an empty source is the workflow's Git context, a remote definition passed
  // as the first argument; a local directory is a working directory, not an argument.
  const source = inp.get('source');
  if (source && /^(https?:\/\/|git:\/\/|github\.com\/|git@)/.test(source.text)) script.word(source, inp.span('source'));
  else if (!source || source.text.includes('{{')) script.fixed(DYNAMIC, source ? inp.span('source') : u);
  const each = (input: string, flag: string, opts: ListOpts) => {
    for (const v of inp.list(input, opts)) {
      script.fixed(flag, inp.keySpan(input));
      script.word(v, inp.span(input), true);
    }
  };
  each('allow', '--allow', {});
  const call = inp.get('call');
  if (call) {
    script.fixed('--call', inp.keySpan('call'));
    script.word(call, inp.span('call'));
  }
  each('files', '--file', {});
  each('set', '--set', { ignoreComma: true, quote: false });
  each('vars', '--var', { ignoreComma: true, quote: false });
  const flag = (input: string, f: string) => {
    if (inp.bool(input, false)) script.fixed(f, inp.span(input));
  };
  flag('no-cache', '--no-cache');
  const builder = inp.get('builder');
  if (builder) {
    script.fixed('--builder', inp.keySpan('builder'));
    script.word(builder, inp.span('builder'));
  }
  flag('pull', '--pull');
  flag('load', '--load');
  flag('push', '--push');
  for (const t of inp.list('targets')) script.word(t, inp.span('targets'), true);
  script.endCommand();
}

/** synthesise returns the shell text of the commands the action runs, or null for none. */
export function synthesiseAction(kind: DockerAction, step: ActionStep, problems: HostProblem[]): MappedString | null {
  const script = new SynthScript();
  if (kind === 'setup-buildx') setupBuildx(step, script, problems);
  else if (kind === 'build-push') buildPush(step, script, problems);
  else bake(step, script, problems);
  return script.empty ? null : script.build();
}
