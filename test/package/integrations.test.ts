/**
 * The GitHub Action and the pre-commit hook, exercised as their hosts would: action.yml's steps
 * are run one by one the way the Actions runner runs a composite action (inputs and expressions
 * substituted, `if:` conditions evaluated, `run:` under `bash --noprofile --norc -eo pipefail`,
 * step outputs read from $GITHUB_OUTPUT); the hook's `files` regex is checked against the file-type
 * detection kbx-lint itself uses.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { classifyByName } from '../../server/src/hosts/detect';
import { tempDir } from '../harness/temp-dir';

const ROOT = join(__dirname, '../..');

interface Step {
  id?: string;
  name?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, string | number>;
}
interface Action {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as Action;

interface Context {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
  github: Record<string, string>;
  runner: Record<string, string>;
}

function lookup(ctx: Context, expr: string): string {
  const parts = expr.trim().split('.');
  let v: unknown = ctx;
  for (const p of parts) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v === undefined ? '' : String(v);
}

/** The small part of the Actions expression language action.yml uses: ==, !=, &&, literals, contexts. */
function evaluate(ctx: Context, expr: string): boolean {
  const e = expr.replace(/^\$\{\{\s*|\s*\}\}$/g, '');
  return e.split('&&').every((clause) => {
    const m = /^\s*([\w.-]+)\s*(==|!=)\s*'([^']*)'\s*$/.exec(clause);
    if (!m) throw new Error(`expression not understood by the test runner: ${clause}`);
    return m[2] === '==' ? lookup(ctx, m[1]) === m[3] : lookup(ctx, m[1]) !== m[3];
  });
}

function substitute(ctx: Context, s: string): string {
  return s.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => lookup(ctx, e));
}

interface RunResult {
  stdout: string;
  stderr: string;
  failed: boolean;
  exitCode: number;
  ran: string[];
  uses: { uses: string; with: Record<string, string> }[];
  outputs: Record<string, string>;
}

function runAction(workspace: string, inputs: Record<string, string>): RunResult {
  const temp = tempDir('kbx-runner-');
  const ctx: Context = {
    inputs: Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, inputs[k] ?? v.default ?? ''])),
    steps: {},
    github: { action_path: ROOT, workspace },
    runner: { temp },
  };
  const res: RunResult = { stdout: '', stderr: '', failed: false, exitCode: 0, ran: [], uses: [], outputs: {} };
  for (const [i, step] of action.runs.steps.entries()) {
    // A step without `if:` runs only while every earlier step succeeded.
    if (res.failed) break;
    if (step.if && !evaluate(ctx, step.if)) continue;
    res.ran.push(step.name ?? String(i));
    if (step.uses) {
      res.uses.push({ uses: step.uses, with: Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(ctx, String(v))])) });
      continue;
    }
    expect(step.shell).toBe('bash');
    const outputFile = join(temp, `output-${i}`);
    writeFileSync(outputFile, '');
    const scriptFile = join(temp, `step-${i}.sh`);
    writeFileSync(scriptFile, substitute(ctx, step.run!));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? temp,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_OUTPUT: outputFile,
      RUNNER_TEMP: temp,
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = substitute(ctx, v);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], { cwd: workspace, env, encoding: 'utf8' });
    res.stdout += r.stdout;
    res.stderr += r.stderr;
    const outputs: Record<string, string> = {};
    for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
    }
    if (step.id) ctx.steps[step.id] = { outputs };
    if (r.status !== 0) {
      res.failed = true;
      res.exitCode = r.status ?? 1;
    }
  }
  for (const [k, v] of Object.entries(action.outputs)) res.outputs[k] = substitute(ctx, v.value);
  return res;
}

const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';
const WARN = 'docker buildx create --driver kubernetes --driver-opt replicas=1 --driver-opt replicas=2\n';

let workspace: string;
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'kbx-workspace-'));
  mkdirSync(join(workspace, '.git'));
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

describe('action.yml', () => {
  it('is a composite action with the documented inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs).sort()).toEqual(['args', 'fail-level', 'format', 'paths', 'version']);
    expect(existsSync(join(ROOT, 'dist/kbx-lint.js')), 'run `npm run build` first').toBe(true);
  });

  it('default: annotations for each finding, the job fails on errors', () => {
    mkdirSync(join(workspace, 'ci'));
    writeFileSync(join(workspace, 'ci/build me.sh'), BAD);
    const r = runAction(workspace, {});
    expect(r.stdout).toMatch(/^::error file=ci\/build me\.sh,line=1,col=\d+,.*title=KBX101 driver-opt-unquoted-comma::/m);
    expect(r.failed).toBe(true);
    expect(r.exitCode).toBe(1);
    expect(r.outputs['exit-code']).toBe('1');
    // Node 20 is on PATH, so setup-node is skipped; no SARIF upload.
    expect(r.uses).toEqual([]);
  });

  it('a clean repository passes', () => {
    writeFileSync(join(workspace, 'ok.sh'), 'docker buildx create --name ci --driver kubernetes --driver-opt namespace=ci\n');
    const r = runAction(workspace, {});
    expect(r.failed, r.stderr).toBe(false);
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.stdout).toBe('');
  });

  it('sarif: writes a valid report and hands it to upload-sarif, then fails', () => {
    writeFileSync(join(workspace, 'bad.sh'), BAD);
    const r = runAction(workspace, { format: 'sarif' });
    expect(r.uses.map((u) => u.uses)).toEqual(['github/codeql-action/upload-sarif@v3']);
    const file = r.uses[0].with.sarif_file;
    expect(file).toBe(r.outputs['sarif-file']);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    const ajv = new Ajv({ strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')));
    expect(validate(doc)).toBe(true);
    expect(doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('bad.sh');
    expect(r.failed).toBe(true);
  });

  it('paths, fail-level and args are passed through', () => {
    mkdirSync(join(workspace, 'a'));
    mkdirSync(join(workspace, 'b'));
    writeFileSync(join(workspace, 'a/warn.sh'), WARN);
    writeFileSync(join(workspace, 'b/bad.sh'), BAD);
    const onlyA = runAction(workspace, { paths: 'a' });
    expect(onlyA.stdout).toContain('::warning file=a/warn.sh');
    expect(onlyA.stdout).not.toContain('b/bad.sh');
    expect(onlyA.failed).toBe(false);
    expect(runAction(workspace, { paths: 'a', 'fail-level': 'warning' }).failed).toBe(true);
    const ignored = runAction(workspace, { paths: 'a\nb', args: '--ignore KBX101 --exit-zero' });
    expect(ignored.stdout).not.toContain('KBX101');
    expect(ignored.failed).toBe(false);
    const usage = runAction(workspace, { args: '--bogus' });
    expect(usage.outputs['exit-code']).toBe('2');
    expect(usage.failed).toBe(true);
  });

  it('inputs cannot inject shell commands', () => {
    writeFileSync(join(workspace, 'ok.sh'), 'echo hi\n');
    const marker = join(workspace, 'pwned');
    runAction(workspace, { paths: `$(touch ${marker})`, args: `; touch ${marker}` });
    expect(existsSync(marker)).toBe(false);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
  const hook = hooks.find((h) => h.id === 'kbx-lint')!;

  it('declares a node hook running the kbx-lint bin', () => {
    expect(hook).toMatchObject({ id: 'kbx-lint', language: 'node', entry: 'kbx-lint' });
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.bin)).toContain(hook.entry);
    expect(hook.types_or).toEqual(['shell', 'makefile', 'yaml', 'markdown', 'mdx']);
  });

  it('files matches exactly the names kbx-lint reads, plus dot-less names for shebang scripts', () => {
    const files = new RegExp(hook.files as string);
    const samples = [
      'build.sh',
      'a/b/c.bash',
      'x.ksh',
      'y.dash',
      'Makefile',
      'sub/GNUmakefile',
      'makefile',
      'rules.mk',
      '.github/workflows/ci.yml',
      'repo/.github/workflows/release.yaml',
      '.github/workflows/nested/x.yml',
      'action.yml',
      'sub/action.yaml',
      '.gitlab-ci.yml',
      'ci/build.gitlab-ci.yaml',
      'gitlab-ci.yml',
      'README.md',
      'docs/Guide.MD',
      'notes.markdown',
      'x.mdown',
      'docs/faq.mdx',
      'y.mkd',
      'package.json',
      'src/index.ts',
      'config.yml',
      'docker-compose.yaml',
      'x.sh.orig',
      'Makefile.am',
      'scripts/deploy',
      'bin/run',
      'LICENSE',
      '.github/dependabot.yml',
    ];
    for (const s of samples) {
      const base = s.slice(s.lastIndexOf('/') + 1);
      const expected = classifyByName(s) !== null || !base.includes('.');
      expect(files.test(s), s).toBe(expected);
    }
  });
});
