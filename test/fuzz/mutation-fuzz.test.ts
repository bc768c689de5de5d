/**
 * Mutation fuzzing from real-looking seeds: the shipped examples, the rule fixtures, the corpus
 * and a few hand-written CI files of every host (shell, Makefile, GitHub workflow, composite
 * action, GitLab CI, Markdown) are mutated by the operators of test/harness/random.ts (lines and
 * byte ranges deleted, copied and swapped; quotes, `\`, `$(`, `${`, `{{`, here-documents, tabs,
 * CR, NUL, invalid UTF-8, unmatched brackets, YAML indicators and fence markers inserted; one line
 * repeated many times). Each mutant goes through lint with every rule, explain, every fix alone
 * and fix-all, the language server's view copy and every handler (hover, completion, symbols,
 * inlay hints, semantic tokens, code actions, definition/references/rename), and an incremental
 * re-lint from its seed. Nothing may throw or report an internal error, every span and range must
 * lie inside its text, a fix must not add a syntax error, and the incremental answer must equal a
 * full lint's. A tree of mutants then goes through the CLI (every output format, explain, --fix)
 * and the server's workspace diagnostics, which must agree with the CLI.
 *
 * A failure prints its seed, case, operators and a minimised input.
 * Reproduce: KBX_FUZZ_SEED=<seed> npx vitest run test/fuzz/mutation-fuzz.test.ts
 * More: KBX_FUZZ_LONG=1 (5,000 cases and larger repetitions), KBX_FUZZ_N=<cases>; KBX_FUZZ_KEEP=<dir>
 * keeps the tree of mutants.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkspaceDiagnosticReport } from 'vscode-languageserver/node';
import { main } from '../../server/src/cli/main';
import { applyEdits } from '../../server/src/core/fix';
import { LineIndex } from '../../server/src/core/source';
import { explainFile, formatExplainText } from '../../server/src/engine/explain';
import { fixText } from '../../server/src/engine/fix';
import { lint, lintIfBuildx, type LintResult } from '../../server/src/engine/lint';
import { codeActions, FIX_ALL_KIND, fixAllEdit } from '../../server/src/lsp/code-actions';
import { completionsAt } from '../../server/src/lsp/completion';
import { toLspDiagnostic } from '../../server/src/lsp/convert';
import { hoverAt } from '../../server/src/lsp/hover';
import { definitionAt, prepareRenameAt, referencesAt, renameAt } from '../../server/src/lsp/insight';
import { DocumentLints, lintView } from '../../server/src/lsp/lint-job';
import { checkDocumentHandlers } from './lsp-checks';
import { cpuMs } from '../harness/cost';
import { minimise, mulberry32, mutateText } from '../harness/random';
import { type Session, startSession } from '../lsp/lsp-harness';
import { ALL_ON } from './fuzz-lib';

const LONG = process.env.KBX_FUZZ_LONG === '1';
const SEED = process.env.KBX_FUZZ_SEED ? Number(process.env.KBX_FUZZ_SEED) >>> 0 : 0x6d757431;
const CASES = Number(process.env.KBX_FUZZ_N ?? (LONG ? 5_000 : 200));
/** CPU time past which the loop stops and reports what it tried (CPU: a loaded machine only stretches wall time). */
const BUDGET_MS = LONG ? 3_000_000 : 20_000;
const MUTATION = LONG ? { maxRepeat: 5_000, maxLength: 400_000 } : { maxRepeat: 200, maxLength: 30_000 };
/** One lint of one mutant beyond this is a hang (mutants are at most 30 KB in CI). */
const HANG_MS = LONG ? 30_000 : 8_000;
const ROOT = join(__dirname, '../..');
/** KBX_FUZZ_KEEP=<dir>: keep the tree of mutants there, to run the CLI or an editor on it. */
const KEEP = process.env.KBX_FUZZ_KEEP ?? '';

interface Seed {
  fileName: string;
  text: string;
}

/** Hand-written files of the hosts the shipped files cover thinly: GitLab CI and CI YAML around buildx. */
const WRITTEN: Seed[] = [
  {
    fileName: '.gitlab-ci.yml',
    text: `include:
  - local: ci/templates.yml
  - project: group/pipelines
    file: /buildx.yml
variables:
  PLATFORMS: linux/amd64,linux/arm64
  DRIVER_OPTS: "namespace=ci,nodeselector=kubernetes.io/arch=amd64,pool=ci"
.docker: &docker
  image: docker:27
  services: [docker:27-dind]
  before_script:
    - docker buildx create --name ci --driver kubernetes --driver-opt $DRIVER_OPTS --use
.build:
  <<: *docker
  extends: .base
  script:
    - !reference [.docker, before_script]
    - docker buildx build --platform $PLATFORMS -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA --push .
    - |
      docker buildx build \\
        --platform linux/x86_64 \\
        --cache-to type=registry,ref=$CI_REGISTRY_IMAGE/cache,mode=max .
build:
  extends: [.build]
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
  parallel:
    matrix:
      - ARCH: [amd64, arm64]
  script:
    - docker buildx build --platform linux/$ARCH --load -t app:$ARCH .
`,
  },
  {
    fileName: '.github/workflows/release.yml',
    text: `name: release
on:
  push:
    tags: ['v*']
env:
  IMAGE: ghcr.io/\${{ github.repository }}
jobs:
  image:
    runs-on: \${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest]
        platform: [linux/amd64, linux/arm64]
        include:
          - platform: linux/arm/v7
    steps:
      - uses: actions/checkout@v4
      - uses: docker/setup-buildx-action@v3
        with:
          driver: kubernetes
          driver-opts: |
            namespace=ci
            nodeselector=kubernetes.io/arch=amd64,pool=ci
          platforms: linux/amd64,linux/arm64
      - uses: docker/build-push-action@v6
        with:
          platforms: \${{ matrix.platform }}
          tags: |
            \${{ env.IMAGE }}:latest
            \${{ env.IMAGE }}:\${{ github.ref_name }}
          push: true
      - name: bake
        shell: bash
        run: |
          cat > Makefile.ci <<'EOF'
          all:
          	docker buildx build --platform linux/x86_64 -t r/a .
          EOF
          docker buildx bake --set '*.platform=linux/amd64,linux/arm64' --push
          docker buildx build --platform "\${{ matrix.platform }}" -t "$IMAGE" --load .
`,
  },
  {
    fileName: 'action.yml',
    text: `name: build
description: builds the image
inputs:
  platforms:
    description: platforms
    default: linux/amd64,linux/x86_64
  driver-opts:
    default: namespace=ci,nodeselector=kubernetes.io/arch=amd64
runs:
  using: composite
  steps:
    - uses: docker/setup-buildx-action@v3
      with:
        driver-opts: \${{ inputs.driver-opts }}
    - shell: bash
      run: docker buildx build --platform \${{ inputs.platforms }} -t app .
    - shell: sh
      run: >-
        docker buildx create --driver kubernetes
        --driver-opt replicas=two --name b
`,
  },
  {
    fileName: 'docs/install.md',
    text: `# Install

1. Create the builder:

   \`\`\`console
   $ docker buildx create --driver kubernetes \\
   >   --driver-opt namespace=ci,nodeselector=kubernetes.io/arch=amd64,pool=ci
   ci
   $ docker buildx inspect --bootstrap
   \`\`\`

> **Note**
> \`\`\`sh
> docker buildx build --platform linux/x86_64 --load -t app .
> \`\`\`

~~~bash
f() { docker buildx build "$@"; }
f --platform linux/amd64,linux/arm64 --push false .
~~~

<details>

\`\`\`shell
docker buildx build --secret id=x,src=y -o type=local .
\`\`\`

</details>
`,
  },
];

function collectSeeds(): Seed[] {
  const out: Seed[] = [];
  const add = (abs: string, fileName: string) => out.push({ fileName, text: readFileSync(abs, 'utf8') });
  const walk = (dir: string, visit: (abs: string, rel: string) => void, base = dir) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort()) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p, visit, base);
      else visit(p, relative(base, p));
    }
  };
  walk(join(ROOT, 'examples'), (abs, rel) => add(abs, rel));
  walk(join(ROOT, 'test/corpus'), (abs, rel) => /\.(sh|mk)$/.test(rel) && add(abs, rel.replace(/^.*\//, '')));
  walk(join(ROOT, 'test/fixtures'), (abs, rel) => {
    const base = rel.replace(/^.*\//, '');
    if (/\.(sh|mk)$/.test(base)) add(abs, base);
    else if (/\.md$/.test(base) && base !== 'README.md') add(abs, `docs/${base}`);
    else if (/\.ya?ml$/.test(base)) add(abs, `.github/workflows/${base}`);
  });
  return [...out, ...WRITTEN];
}

class Failure extends Error {}

function inside(text: string, r: LintResult, what: string): void {
  const check = (s: { start: number; end: number }, where: string) => {
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= text.length))
      throw new Failure(`${what}: ${where} span ${JSON.stringify({ start: s.start, end: s.end })} outside a text of ${text.length}`);
  };
  if (r.internalErrors.length) throw new Failure(`${what}: internal error ${r.internalErrors[0].slice(0, 200)}`);
  for (const d of r.diagnostics) {
    check(d.span, d.code);
    for (const rel of d.related ?? []) check(rel.span, `${d.code} related`);
    for (const e of d.fix?.edits ?? []) {
      check(e.span, `${d.code} fix edit`);
      if (typeof e.newText !== 'string') throw new Failure(`${what}: ${d.code} fix edit without text`);
    }
  }
  for (const inv of r.invocations) check(inv.span, 'invocation');
}

function timed(input: Seed, what: string): LintResult {
  const t0 = performance.now();
  const r = lint(input, ALL_ON);
  const ms = performance.now() - t0;
  if (ms > HANG_MS) throw new Failure(`${what}: lint took ${Math.round(ms)} ms on ${input.text.length} characters (hang)`);
  inside(input.text, r, what);
  return r;
}

/** At most this many fixes are applied alone per mutant (an even sample of the rest). */
const FIXES_ALONE = 12;
const PROBES = 8;

/** Fix-all re-lints once per batch of fixes: run on every `FIX_ALL_EVERY`th mutant in CI. */
const FIX_ALL_EVERY = LONG ? 1 : 2;

function checkMutant(input: Seed, seed: Seed, index = 0): void {
  const { text, fileName } = input;
  const r = timed(input, 'lint');
  const explained = explainFile(fileName, r.model);
  if (explained.length !== r.invocations.length) throw new Failure('explain: one entry per invocation expected');
  formatExplainText(explained);
  JSON.stringify(explained);

  // Every fix alone: the result re-lints cleanly and reads no worse than the mutant did.
  const syntax = r.model.syntaxErrors.length;
  const fixable = r.diagnostics.filter((d) => d.fix);
  const step = Math.max(1, Math.ceil(fixable.length / FIXES_ALONE));
  for (let i = 0; i < fixable.length; i += step) {
    const d = fixable[i];
    const after = applyEdits(text, d.fix!.edits).text;
    const again = timed({ fileName, text: after }, `re-lint after the ${d.code} fix`);
    if (again.model.syntaxErrors.length > syntax) throw new Failure(`the ${d.code} fix (${d.fix!.title}) adds a syntax error: ${again.model.syntaxErrors[0]?.message ?? ''}`);
  }
  if (index % FIX_ALL_EVERY === 0) {
    const relint = (t: string) => timed({ fileName, text: t }, 'fix-all re-lint');
    const all = fixText(text, true, relint);
    if (typeof all.text !== 'string') throw new Failure('fixText: no text');
    if (syntax && all.text !== text) throw new Failure('fixText rewrote a file with syntax errors');
  }

  // The language server: its view copy, then every handler on the view, as the main thread has it.
  const uri = `file:///w/${fileName}`;
  const { view } = lintView({ uri, text, fileName, languageId: undefined, config: ALL_ON });
  const lines = new LineIndex(text);
  const lastLine = lines.position(text.length).line;
  const inRange = (x: { start: { line: number; character: number }; end: { line: number; character: number } }, what: string) => {
    const ok = (p: { line: number; character: number }) => Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line <= lastLine && p.character >= 0;
    if (!ok(x.start) || !ok(x.end)) throw new Failure(`${what}: range ${JSON.stringify(x)} outside a document of ${lastLine + 1} lines`);
  };
  const model = view.model;
  const at: number[] = [];
  for (let i = 0; i <= PROBES; i++) at.push(Math.floor((i * text.length) / PROBES));
  for (const d of r.diagnostics.slice(0, 8)) at.push(d.span.start, d.span.end);
  for (const inv of r.invocations.slice(0, 4)) at.push(inv.span.start + 1);
  for (const offset of at) {
    const h = hoverAt(model, offset);
    if (h?.range) inRange(h.range, 'hover');
    if (!Array.isArray(completionsAt(text, offset, model))) throw new Failure('completion: no list');
    for (const loc of definitionAt(model, lines, uri, offset)) inRange(loc.range, 'definition');
    for (const loc of referencesAt(model, lines, uri, offset, true)) inRange(loc.range, 'references');
    const prepared = prepareRenameAt(model, lines, offset);
    if (typeof prepared !== 'string') {
      inRange(prepared, 'prepare rename');
      const edits = renameAt(model, lines, offset, 'RENAMED');
      if (typeof edits !== 'string') for (const e of edits) inRange(e.range, 'rename');
    }
  }
  checkDocumentHandlers(model, lines, text.length, lastLine, inRange, (m) => {
    throw new Failure(m);
  });
  const diagnostics = view.diagnostics.map((d) => toLspDiagnostic(lines, d, { relatedInformation: true, uri }));
  for (const d of diagnostics) inRange(d.range, `diagnostic ${d.code}`);
  const lspRelint = (t: string) => lint({ fileName, text: t }, ALL_ON);
  for (const only of [['quickfix'], [FIX_ALL_KIND], undefined]) {
    const actions = codeActions({ uri, text, diagnostics, only, result: r, relint: lspRelint });
    for (const a of actions) for (const e of a.edit?.changes?.[uri] ?? []) inRange(e.range, `code action ${a.title}`);
  }
  const fixAll = fixAllEdit(text, r, lspRelint);
  if (fixAll) inRange(fixAll.range, 'fix-all edit');

  // didOpen of the seed, didChange to the mutant: the lint thread's answer equals a full lint's.
  const docs = new DocumentLints();
  const job = (t: string) => ({ uri, text: t, fileName, languageId: undefined, config: ALL_ON });
  docs.lint(job(seed.text));
  const incremental = docs.lint(job(text));
  const full = lintIfBuildx({ text, fileName }, ALL_ON);
  const key = (ds: { code: string; span: { start: number; end: number }; message: string }[]) => ds.map((d) => `${d.code}@${d.span.start}-${d.span.end} ${d.message}`).join('\n');
  if (key(incremental.diagnostics) !== key(full.diagnostics))
    throw new Failure(`incremental re-lint from the seed differs from a full lint:\n${key(incremental.diagnostics).slice(0, 600)}\n---\n${key(full.diagnostics).slice(0, 600)}`);
}

function failureOf(input: Seed, seed: Seed, index = 0): string | null {
  try {
    checkMutant(input, seed, index);
    return null;
  } catch (e) {
    if (e instanceof Failure) return e.message;
    if (e instanceof Error)
      return `${e.name}: ${e.message}\n${(e.stack ?? '')
        .split('\n')
        .filter((l) => l.includes('server/src'))
        .slice(0, 3)
        .join('\n')}`;
    return String(e);
  }
}

/** What identifies a failure while it is minimised: its first line without numbers. */
const signature = (f: string) => (f.includes('(hang)') ? 'hang' : f.split('\n')[0].replace(/\d+/g, 'N').slice(0, 100));

const seeds = collectSeeds();
const mutants: { seed: Seed; mutant: Seed; applied: string[] }[] = [];

describe('mutation fuzzing from real-looking seeds', () => {
  it(`every host, the whole pipeline and every handler (seed ${SEED})`, { timeout: LONG ? 3_600_000 : 300_000 }, () => {
    const hosts = new Set(seeds.map((s) => s.fileName.replace(/^.*\//, '').replace(/^.*\.(sh|mk|md)$/, '$1')));
    expect(seeds.length).toBeGreaterThan(100);
    expect([...hosts]).toEqual(expect.arrayContaining(['sh', 'mk', 'md', 'action.yml', '.gitlab-ci.yml', 'Makefile']));
    const rnd = mulberry32(SEED);
    const failures = new Map<string, { index: number; seed: Seed; mutant: Seed; applied: string[]; failure: string }>();
    const t0 = performance.now();
    const c0 = cpuMs();
    let tried = 0;
    for (let i = 0; i < CASES && cpuMs() - c0 < BUDGET_MS; i++) {
      const seed = seeds[Math.floor(rnd() * seeds.length)];
      const { text, applied } = mutateText(rnd, seed.text, MUTATION);
      const mutant = { fileName: seed.fileName, text };
      mutants.push({ seed, mutant, applied });
      tried++;
      const failure = failureOf(mutant, seed, i);
      if (failure && !failures.has(signature(failure))) failures.set(signature(failure), { index: i, seed, mutant, applied, failure });
    }
    console.log(
      `kbx-lint mutation fuzz: seed ${SEED}: ${tried} mutants of ${seeds.length} seeds in ${Math.round(performance.now() - t0)} ms (${Math.round(cpuMs() - c0)} ms of CPU), ${failures.size} distinct failures`,
    );
    const reports: string[] = [];
    for (const { index, seed, mutant, applied, failure } of failures.values()) {
      const want = signature(failure);
      const min = minimise(mutant.text, (t) => {
        const f = failureOf({ ...mutant, text: t }, seed, index);
        return f !== null && signature(f) === want;
      });
      reports.push(`seed ${SEED}, case ${index} (${mutant.fileName}, ${applied.join(' + ')}): ${failure}\n  minimal input: ${JSON.stringify(min)}`);
    }
    expect(reports, reports.join('\n\n')).toEqual([]);
    expect(tried).toBeGreaterThanOrEqual(Math.min(CASES, 100));
  });
});

describe('a tree of mutants through the CLI and the language server', () => {
  let root = '';
  let session: Session | undefined;
  afterAll(() => {
    session?.dispose();
    if (root && !KEEP) rmSync(root, { recursive: true, force: true });
  });

  it('every format, explain and --fix: no internal error; workspace diagnostics agree with the CLI', { timeout: 300_000 }, async () => {
    root = KEEP ? mkdtempSync(join(KEEP, 'kbx-mutants-')) : mkdtempSync(join(tmpdir(), 'kbx-mutants-'));
    if (KEEP) console.log(`kbx-lint mutation fuzz: the tree of mutants is kept in ${root}`);
    const tree = join(root, 'tree');
    mkdirSync(join(tree, '.git'), { recursive: true });
    // The mutants of the first test, or fresh ones when it was filtered out.
    const rnd = mulberry32(SEED ^ 0x5eed);
    while (mutants.length < 48) {
      const seed = seeds[Math.floor(rnd() * seeds.length)];
      mutants.push({ seed, mutant: { fileName: seed.fileName, text: mutateText(rnd, seed.text, MUTATION).text }, applied: [] });
    }
    const picked = mutants.slice(0, 48);
    picked.forEach(({ mutant }, i) => {
      const file = join(tree, `m${i}`, mutant.fileName);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, mutant.text);
    });
    const cli = (args: string[], cwd = tree) => {
      let out = '';
      let err = '';
      const code = main(
        [...args, cwd],
        (s) => (out += s),
        (s) => (err += s),
      );
      return { code, out, err };
    };
    const problems: string[] = [];
    const judge = (what: string, r: { code: number; err: string }) => {
      if (r.code !== 0 && r.code !== 1) problems.push(`${what}: exit ${r.code}: ${r.err.slice(0, 300)}`);
      if (/internal error|^\s+at .*:\d+:\d+\)?$/m.test(r.err)) problems.push(`${what}: ${r.err.slice(0, 300)}`);
    };
    for (const format of ['text', 'concise', 'json', 'github', 'sarif', 'gitlab', 'checkstyle', 'junit', 'rdjson'])
      judge(`--format ${format}`, cli(['--no-config', '--select', 'ALL', '--format', format]));
    judge('explain', cli(['explain', '--no-config', '--format', 'json']));
    judge('--statistics', cli(['--no-config', '--select', 'ALL', '--statistics']));
    const fixed = join(root, 'fixed');
    cpSync(tree, fixed, { recursive: true });
    judge('--fix --unsafe-fixes', cli(['--no-config', '--fix', '--unsafe-fixes'], fixed));
    judge('lint after --fix', cli(['--no-config', '--select', 'ALL'], fixed));
    expect(problems, problems.join('\n')).toEqual([]);

    const json = JSON.parse(cli(['--no-config', '--format', 'json']).out) as { diagnostics: { file: string; line: number; column: number; rule: string }[] };
    const fromCli = json.diagnostics.map((d) => `${relative(tree, d.file)}:${d.line}:${d.column}:${d.rule}`).sort();
    session = await startSession({
      textDocument: { diagnostic: { dynamicRegistration: false, relatedInformation: true } },
      workspace: { diagnostics: { refreshSupport: true } },
      initialize: { rootUri: null, workspaceFolders: [{ uri: pathToFileURL(tree).href, name: 'mutants' }] },
    });
    const report = await session.request<WorkspaceDiagnosticReport>('workspace/diagnostic', { previousResultIds: [] });
    const fromServer = report.items
      .flatMap((x) =>
        x.kind === 'full' ? x.items.map((d) => `${relative(tree, decodeURIComponent(new URL(x.uri).pathname))}:${d.range.start.line + 1}:${d.range.start.character + 1}:${d.code}`) : [],
      )
      .sort();
    // A disagreement names each file that differs, with its text, so it can be reproduced alone.
    const disagreements = picked.flatMap(({ mutant }, i) => {
      const mine = (xs: string[]) => xs.filter((x) => x.startsWith(`m${i}/`)).join(' ');
      return mine(fromServer) === mine(fromCli) ? [] : [`m${i}/${mutant.fileName}: server [${mine(fromServer)}], CLI [${mine(fromCli)}]\n  text: ${JSON.stringify(mutant.text.slice(0, 1500))}`];
    });
    expect(disagreements, disagreements.join('\n')).toEqual([]);
    expect(session.messages.filter((m) => /internal error|failed/i.test(m))).toEqual([]);
  });
});
