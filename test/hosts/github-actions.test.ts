/**
 * GitHub Actions host: `run:` scripts through every YAML scalar style with exact positions, shell
 * selection, `${{ }}`, scopes and `env:`, composite actions, build-push/bake inputs, and a
 * differential test: the extracted text run under real bash with a stub docker gives the argv
 * `explain` shows.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument, visit } from 'yaml';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { decodeScalar } from '../../server/src/hosts/yaml-scalar';
import { dialectOfShell, readGithubActions } from '../../server/src/hosts/github-actions';
import { argvOf, lintText, modelOf, spanText } from '../harness/lint-helpers';
import { mulberry32 } from '../harness/random';
import { runScript } from '../harness/stub-docker';
import { shellAvailable } from '../harness/bash-oracle';

const WF = '.github/workflows/ci.yml';

function job(steps: string[], extra: string[] = []): string {
  return ['jobs:', '  build:', '    runs-on: ubuntu-latest', ...extra.map((l) => '    ' + l), '    steps:', ...steps.map((l) => '      ' + l), ''].join('\n');
}

function invs(text: string, file = WF) {
  return modelOf(text, file).invocations;
}

/** The text of the file the argument with this decoded value comes from. */
function argSource(text: string, value: string, file = WF): string {
  for (const inv of invs(text, file)) for (const a of inv.argv) if (a.value.text === value) return spanText(text, a.span);
  throw new Error(`no argument ${value}`);
}

describe('run: scalar styles map every character to the file', () => {
  const cases: { name: string; run: string[]; arg: string; source: string }[] = [
    { name: 'literal', run: ['- run: |', '    docker buildx build \\', '      --platform linux/amd64 .'], arg: 'linux/amd64', source: 'linux/amd64' },
    { name: 'literal strip', run: ['- run: |-', '    docker buildx build --tag a:b .'], arg: 'a:b', source: 'a:b' },
    { name: 'literal keep', run: ['- run: |+', '    docker buildx build --tag a:b .', '', ''], arg: 'a:b', source: 'a:b' },
    { name: 'explicit indentation', run: ['- run: |2', '      docker buildx build --tag "x y" .'], arg: 'x y', source: '"x y"' },
    { name: 'folded', run: ['- run: >', '    docker buildx build', '    --platform linux/arm64', '    .'], arg: 'linux/arm64', source: 'linux/arm64' },
    { name: 'folded strip', run: ['- run: >-', '    docker buildx build --tag', '    app:1 .'], arg: 'app:1', source: 'app:1' },
    { name: 'plain', run: ['- run: docker buildx build --tag app:2 .'], arg: 'app:2', source: 'app:2' },
    { name: 'plain multi-line', run: ['- run: docker buildx build', '    --tag app:3 .'], arg: 'app:3', source: 'app:3' },
    { name: 'single-quoted', run: ["- run: 'docker buildx build --tag ''a b'' .'"], arg: 'a b', source: "''a b''" },
    { name: 'double-quoted escapes', run: ['- run: "docker buildx build --tag \\x61pp:4 --label k=\\"v\\" ."'], arg: 'app:4', source: '\\x61pp:4' },
    { name: 'double-quoted line join', run: ['- run: "docker buildx build --tag ap\\', '    p:5 ."'], arg: 'app:5', source: 'ap\\\n          p:5' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const text = job(c.run);
      expect(argSource(text, c.arg)).toBe(c.source);
    });
  }

  it('every run: region is the value the YAML parser gives, character for character in place', () => {
    for (const c of cases) {
      const text = job(c.run);
      const doc = parseDocument(text);
      let value = '';
      visit(doc, {
        Pair(_k, p) {
          if ((p.key as { value?: unknown }).value === 'run') value = String((p.value as { value: unknown }).value);
        },
      });
      const [region] = readGithubActions(text).regions;
      expect(region.source.text, c.name).toBe(value);
      for (let i = 0; i < region.source.text.length; i++) {
        const ch = region.source.text[i];
        const src = text.slice(region.source.starts[i], region.source.ends[i]);
        // Literal characters map to themselves; folded breaks to the line break; escapes to the escape.
        if (src.length === 1 && src !== '\n') expect(src, c.name).toBe(ch);
      }
    }
  });
});

describe('decodeScalar agrees with the yaml package on generated scalars', () => {
  const WORDS = ['a', 'b c', "it's", '"q"', '\\', '  lead', 'trail  ', '#x', 'k: v', '', '\t'];
  it('over 1500 scalars in every style', () => {
    const r = mulberry32(9);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    for (let n = 0; n < 1500; n++) {
      const lines = Array.from({ length: 1 + Math.floor(r() * 4) }, () => pick(WORDS));
      const style = pick(['|', '|-', '|+', '>', '>-', '>+', '|2', 'sq', 'dq']);
      let src: string;
      if (style === 'sq') src = `k: '${lines.join(pick(['\n', '\n\n', ' '])).replace(/'/g, "''")}'\n`;
      else if (style === 'dq') src = `k: "${lines.map((l) => l.replace(/\\/g, '\\\\').replace(/"/g, '\\"')).join(pick(['\n  ', '\\n', '\\\n  ', '\n\n  ']))}"\n`;
      else src = `k: ${style}\n${lines.map((l) => (l.startsWith(' ') && !style.includes('2') ? '  x' + l : '  ' + l)).join('\n')}\n${pick(['', '\n', '\n\n'])}`;
      const doc = parseDocument(src, { keepSourceTokens: true });
      if (doc.errors.length) continue;
      visit(doc, {
        Scalar(key, node) {
          if (key !== 'value' || typeof node.value !== 'string') return;
          const m = decodeScalar(src, node, (node as { srcToken?: { indent: number } }).srcToken?.indent ?? 0);
          expect(m.text, JSON.stringify(src)).toBe(node.value);
          // Not the coarse fallback: characters have their own one- or few-character spans.
          if (m.text.length > 1) expect(m.ends[0] - m.starts[0], JSON.stringify(src)).toBeLessThanOrEqual(10);
        },
      });
    }
  });
});

describe('shells', () => {
  it('reads bash by default, sh and bash {0} forms, skips pwsh and python', () => {
    const text = job([
      '- run: docker buildx build --tag one .',
      '- shell: sh -e {0}',
      '  run: docker buildx build --tag two .',
      '- shell: bash --noprofile --norc -eo pipefail {0}',
      '  run: docker buildx build --tag three .',
      '- shell: pwsh',
      '  run: docker buildx build --tag four .',
      '- shell: python',
      '  run: docker buildx build --tag five .',
    ]);
    const regions = readGithubActions(text).regions;
    expect(regions.map((r) => r.dialect)).toEqual(['bash', 'sh', 'bash']);
    expect(invs(text).map((i) => argvOf(i)[3])).toEqual(['one', 'two', 'three']);
  });

  it('honours defaults.run.shell of the job and the workflow, and Windows runners', () => {
    const wf = [
      'defaults:',
      '  run:',
      '    shell: pwsh',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: docker buildx build --tag a .',
      '  b:',
      '    runs-on: ubuntu-latest',
      '    defaults:',
      '      run:',
      '        shell: bash',
      '    steps:',
      '      - run: docker buildx build --tag b .',
      '  c:',
      '    runs-on: windows-2022',
      '    defaults: {}',
      '    steps:',
      '      - run: docker buildx build --tag c .',
      '',
    ].join('\n');
    expect(invs(wf).map((i) => argvOf(i)[3])).toEqual(['b']);
    const win = [
      'jobs:',
      '  w:',
      '    runs-on: [windows-latest]',
      '    steps:',
      '      - run: docker buildx build --tag w .',
      '      - shell: bash',
      '        run: docker buildx build --tag x .',
      '',
    ].join('\n');
    expect(invs(win).map((i) => argvOf(i)[3])).toEqual(['x']);
  });
});

describe('a custom shell: that hands the script file to bash', () => {
  // The runner replaces {0} with the script file's path and runs the command (actions/runner
  // ScriptHandler); the wrapper around bash does not change what reads the file.
  const templates: { shell: string; dialect: 'bash' | 'sh' | null }[] = [
    { shell: 'script -q -e -c "bash {0}"', dialect: 'bash' },
    { shell: "script -q -e -c 'sh -e {0}'", dialect: 'sh' },
    { shell: 'unbuffer bash {0}', dialect: 'bash' },
    { shell: 'stdbuf -oL bash -eo pipefail {0}', dialect: 'bash' },
    { shell: 'nice -n 5 /bin/bash --noprofile {0}', dialect: 'bash' },
    { shell: 'env FOO=1 bash {0}', dialect: 'bash' },
    { shell: 'python {0}', dialect: null },
    { shell: 'pwsh -command ". \'{0}\'"', dialect: null },
    { shell: 'cmd /c {0}', dialect: null },
    { shell: 'node {0} bash', dialect: null },
  ];

  it('reads the run: of a wrapper whose last program before {0} is bash or sh', () => {
    for (const t of templates) expect([t.shell, dialectOfShell(t.shell)]).toEqual([t.shell, t.dialect]);
    const text = job(['- shell: \'script -q -e -c "bash {0}"\'', '  run: docker buildx build --tag wrapped .', '- shell: python {0}', '  run: docker buildx build --tag py .']);
    expect(invs(text).map((i) => argvOf(i)[3])).toEqual(['wrapped']);
  });

  it.runIf(shellAvailable('bash') && existsSync('/usr/bin/script'))('agrees with running the template: bash reads the file exactly where kbx-lint says bash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kbx-shell-'));
    try {
      const file = join(dir, 'step.sh');
      // Prints which shell read it; a program that is no shell fails on it or prints nothing.
      writeFileSync(file, 'if [ -n "$BASH_VERSION" ]; then echo bash; else echo sh; fi\n');
      for (const t of templates) {
        const program = t.shell.split(/\s+/)[0];
        if (spawnSync('sh', ['-c', `command -v ${program}`]).status !== 0) continue;
        // The runner splits the command line as a shell would for these quotes; in the
        // temporary directory, where script(1) writes its typescript file.
        const r = spawnSync('bash', ['--norc', '-c', `exec ${t.shell.replace('{0}', file)}`], { cwd: dir, encoding: 'utf8', timeout: 10000 });
        const ran = r.status === 0 ? (r.stdout.trim().split(/\s+/).pop() ?? '') : '';
        const seen = ran === 'bash' || ran === 'sh' ? ran : null;
        expect([t.shell, seen]).toEqual([t.shell, t.dialect]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runs-on from the matrix', () => {
  const wf = (matrix: string[], runsOn = '${{ matrix.os }}') =>
    [
      'jobs:',
      '  j:',
      `    runs-on: ${runsOn}`,
      '    strategy:',
      '      matrix:',
      ...matrix.map((l) => '        ' + l),
      '    steps:',
      '      - run: docker buildx build --tag a .',
      '      - shell: bash',
      '        run: docker buildx build --tag b .',
      '',
    ].join('\n');
  const tags = (text: string) => invs(text).map((i) => argvOf(i)[3]);

  it('is Windows when every value the matrix gives is a Windows label: run: is PowerShell there', () => {
    expect(tags(wf(['os: [windows-latest, windows-2019]']))).toEqual(['b']);
    expect(tags(wf(['include:', '  - os: windows-latest', '    target: x86_64', '  - os: windows-2022']))).toEqual(['b']);
    expect(tags(wf(['os: [windows-latest]', 'include:', '  - os: windows-2022']))).toEqual(['b']);
    expect(tags(wf(['runner:', '  - [self-hosted, windows]'], '${{matrix.runner}}'))).toEqual(['b']);
  });

  it('reads the script when one value is not Windows: bash runs it on that leg', () => {
    expect(tags(wf(['os: [ubuntu-latest, windows-latest]']))).toEqual(['a', 'b']);
    expect(tags(wf(['os: [windows-latest]', 'include:', '  - os: macos-latest']))).toEqual(['a', 'b']);
  });

  it('reads values it cannot see as Linux, as before', () => {
    expect(tags(wf(['os: ${{ fromJSON(inputs.oses) }}']))).toEqual(['a', 'b']);
    expect(tags(wf(['target: [a]']))).toEqual(['a', 'b']);
    expect(tags(wf(['os: [windows-latest]'], '${{ matrix.os }}-large'))).toEqual(['a', 'b']);
  });

  it('skips a run: that is not shell when runs-on is an expression that may name Windows', () => {
    const runsOn = "${{ matrix.arch == 'arm64' && format('{0}-{1}', matrix.os, matrix.arch) || matrix.os }}";
    const ps = ['jobs:', '  j:', `    runs-on: ${runsOn}`, '    strategy:', '      matrix:', '        os: [windows]', '        arch: [amd64, arm64]', '    steps:'];
    const powershell = ['      - run: |', '          if (Get-Command ccache -ErrorAction SilentlyContinue) {', '            docker buildx build --tag p .', '          }'];
    const codes = (text: string) => lintText(text, WF).diagnostics.map((d) => d.code);
    // PowerShell on the Windows legs: no syntax error, no invocation read from it.
    expect(codes([...ps, ...powershell, ''].join('\n'))).toEqual([]);
    expect(tags([...ps, ...powershell, ''].join('\n'))).toEqual([]);
    // A script that parses as shell is still read (bash on any other leg), and an explicit shell is kept.
    expect(tags([...ps, '      - run: docker buildx build --tag a .', '      - shell: bash', '        run: |', '          if (x) {', '          }', ''].join('\n'))).toEqual(['a']);
    expect(codes([...ps, '      - shell: bash', '        run: |', '          if (x) {', '          }', ''].join('\n'))).toContain('KBX601');
    // Without Windows anywhere in the matrix the syntax error is reported as before.
    const linux = ps.map((l) => l.replace('[windows]', '[ubuntu]'));
    expect(codes([...linux, ...powershell, ''].join('\n'))).toContain('KBX601');
  });

  it('skips a run: that is not shell when runs-on comes from a reusable workflow input', () => {
    const head = (runsOn: string) => ['on:', '  workflow_call:', '    inputs:', '      os:', '        type: string', 'jobs:', '  j:', `    runs-on: ${runsOn}`, '    steps:'];
    const powershell = ['      - run: |', '          & docker build `', '            -t p .', ''];
    const codes = (text: string) => lintText(text, WF).diagnostics.map((d) => d.code);
    expect(codes([...head('${{ inputs.os }}'), ...powershell].join('\n'))).toEqual([]);
    expect(codes([...head('${{ vars.RUNNER }}'), ...powershell].join('\n'))).toEqual([]);
    // A script that parses is still read there, and literal Linux runners in the expression keep bash.
    expect(tags([...head('${{ inputs.os }}'), '      - run: docker buildx build --tag a .', ''].join('\n'))).toEqual(['a']);
    expect(codes([...head("${{ inputs.arm && 'ubuntu-24.04-arm' || 'ubuntu-latest' }}"), ...powershell].join('\n'))).toContain('KBX601');
  });

  it('reads the labels of a runs-on group', () => {
    const text = ['jobs:', '  j:', '    runs-on:', '      group: big', '      labels: [windows-2022]', '    steps:', '      - run: docker buildx build --tag a .', ''].join('\n');
    expect(tags(text)).toEqual([]);
  });
});

describe('steps with an if: condition may not run', () => {
  const codesOf = (steps: string[]) => lintText(job(steps), WF).diagnostics.map((d) => d.code);
  const create = '- run: docker buildx create --name b --driver docker-container';
  const build = '- run: docker buildx build --builder b -t x .';

  it('keeps a removal in a conditional step from ending the builder for the steps after it', () => {
    for (const cond of ["${{ github.event_name == 'push' }}", "steps.x.outcome == 'failure'", 'false']) {
      expect(codesOf([create, `- if: ${cond}`, '  run: docker buildx rm b', build]), cond).toEqual([]);
    }
    // Without the condition the build certainly follows the removal.
    expect(codesOf([create, '- run: docker buildx rm b', build])).toEqual(['KBX428']);
  });

  it('reads success(), always(), !cancelled() and true as running on the path it follows', () => {
    for (const cond of ['always()', '${{ success() }}', '${{ !cancelled() }}', 'true']) {
      expect(codesOf([create, `- if: ${cond}`, '  run: docker buildx create --name b']), cond).toEqual(['KBX406']);
    }
  });

  it('reads a step run on failure in a scope of its own: the earlier steps may not have run', () => {
    for (const cond of ['failure()', "${{ always() && steps.b.outcome == 'failure' }}", 'cancelled()']) {
      expect(codesOf([create, `- if: ${cond}`, '  run: docker buildx create --name b', build]), cond).toEqual([]);
      expect(codesOf([create, `- if: ${cond}`, '  run: docker buildx rm b', build]), cond).toEqual([]);
    }
    const { regions } = readGithubActions(job([create, '- if: failure()', '  run: docker buildx rm b', build]));
    expect(regions.map((r) => r.scope)).toEqual(['job:build', 'job:build:step:1', 'job:build']);
  });

  it('applies to the commands an action step runs', () => {
    const text = job(['- if: ${{ inputs.multi }}', '  uses: docker/setup-buildx-action@v3', '  with:', '    name: b', '- run: docker buildx create --name b']);
    expect(readGithubActions(text).regions.map((r) => !!r.conditional)).toEqual([true, false]);
    expect(lintText(text, WF).diagnostics.map((d) => d.code)).toEqual([]);
  });
});

describe('nick-fields/retry runs its command input in a shell', () => {
  it('reads command under bash by default, with the step env, in the job scope', () => {
    const text = job([
      '- uses: docker/setup-buildx-action@v3',
      '- uses: nick-fields/retry@v3',
      '  env:',
      '    PLATFORM: linux/arm64',
      '  with:',
      '    timeout_minutes: 20',
      '    command: |',
      '      docker buildx create --name ci --driver docker-container --use \\',
      '        ; docker buildx build --platform "$PLATFORM" --tag app:${{ github.sha }} .',
    ]);
    const all = invs(text);
    expect(all.map((i) => i.command)).toEqual(['create', 'create', 'build']);
    const build = all[2];
    expect(argvOf(build)).toEqual(['buildx', 'build', '--platform', 'linux/arm64', '--tag', null, '.']);
    // The builder of the build is the one the retried command created, in the same job.
    const { regions } = readGithubActions(text);
    expect(regions.map((r) => r.scope)).toEqual(['job:build', 'job:build']);
    expect(regions[1].encoding).toBe('plain');
    expect(argSource(text, 'ci')).toBe('ci');
    expect(modelOf(text, WF).syntaxErrors).toHaveLength(0);
  });

  it('follows its shell input, never the job defaults, and powershell on Windows', () => {
    const step = (shell: string | null) => ['- uses: nick-invision/retry@v2', '  with:', ...(shell ? [`    shell: ${shell}`] : []), '    command: docker buildx build --tag a .'];
    expect(invs(job(step('sh'))).map((i) => i.command)).toEqual(['build']);
    expect(invs(job(step('pwsh')))).toEqual([]);
    expect(invs(job(step('python')))).toEqual([]);
    expect(invs(job(step('${{ inputs.shell }}')))).toEqual([]);
    expect(invs(job(step(null), ['defaults:', '  run:', '    shell: pwsh'])).map((i) => i.command)).toEqual(['build']);
    const win = ['jobs:', '  w:', '    runs-on: windows-latest', '    steps:', ...step(null).map((l) => '      ' + l), ''].join('\n');
    expect(invs(win)).toEqual([]);
    // Another action's command input is not read.
    expect(invs(job(['- uses: other/retry@v1', '  with:', '    command: docker buildx build --tag a .']))).toEqual([]);
  });

  it.runIf(shellAvailable('bash'))('gives the argv bash gives the command', () => {
    const text = job(['- uses: nick-fields/retry@v3', '  with:', '    command: >-', "      docker buildx build --label 'a b'", '      --platform linux/amd64,linux/arm64 -t "reg/app:1" .']);
    const region = readGithubActions(text).regions[0];
    expect(runScript(region.source.text).calls).toEqual(invs(text).map((i) => argvOf(i)));
  });
});

describe('${{ }} is substituted before the shell reads the text', () => {
  it('is one dynamic character mapped to the whole expression, never shell syntax', () => {
    const text = job(['- run: |', "    docker buildx build --tag ${{ format('{0} {1}', 'a', \"'\") }} --platform linux/amd64 ."]);
    const [inv] = invs(text);
    expect(modelOf(text, WF).syntaxErrors).toHaveLength(0);
    const tag = inv.argv[3];
    expect(tag.value.text).toBe(DYNAMIC);
    expect(spanText(text, tag.span)).toBe("${{ format('{0} {1}', 'a', \"'\") }}");
    expect(argvOf(inv)[3]).toBeNull();
    expect(argvOf(inv)[5]).toBe('linux/amd64');
  });
});

describe('scopes and env', () => {
  it('gives each job its own scope and passes workflow, job and step env', () => {
    const text = [
      'env:',
      '  A: wf',
      '  B: wf',
      'jobs:',
      '  one:',
      '    runs-on: ubuntu-latest',
      '    env:',
      '      B: job',
      '    steps:',
      '      - env:',
      '          C: ${{ secrets.X }}-s',
      '        run: docker buildx build -t "$A:$B" --build-arg C .',
      '  two:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: docker buildx ls --format "$A $B $C"',
      '',
    ].join('\n');
    const regions = readGithubActions(text).regions;
    expect(regions.map((r) => r.scope)).toEqual(['job:one', 'job:two']);
    const vars = Object.fromEntries(regions[0].variables!.map((v) => [v.name, v.value.text]));
    expect(vars).toEqual({ A: 'wf', B: 'job', C: DYNAMIC + '-s' });
    const b = regions[0].variables!.find((v) => v.name === 'B')!;
    expect(text.slice(b.value.starts[0], b.value.ends[2])).toBe('job');
    expect(regions[1].variables!.map((v) => v.name)).toEqual(['A', 'B']);
    // A variable the script never names is not given: only its name could read it.
    expect(readGithubActions(text.replace('--build-arg C ', '')).regions[0].variables!.map((v) => v.name)).toEqual(['A', 'B']);
  });

  it('gives fixes only in block scalars', () => {
    const block = job(['- run: |', '    docker buildx create --driver kubernetes --driver-opt nodeselector=a=b,c=d']);
    const flow = job(['- run: docker buildx create --driver kubernetes --driver-opt nodeselector=a=b,c=d']);
    expect(lintText(block, WF).diagnostics.find((d) => d.code === 'KBX101')!.fix).toBeDefined();
    const d = lintText(flow, WF).diagnostics.find((d) => d.code === 'KBX101')!;
    expect(d).toBeDefined();
    expect(d.fix).toBeUndefined();
  });
});

describe('anchors', () => {
  it('an aliased step is read once, at its anchor', () => {
    const text = [
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - &b',
      '        run: docker buildx build --tag shared .',
      '  b:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - *b',
      '      - run: docker buildx ls',
      '',
    ].join('\n');
    expect(readGithubActions(text).regions.map((r) => r.scope)).toEqual(['job:a', 'job:b']);
    expect(invs(text).map((i) => i.command)).toEqual(['build', 'ls']);
  });
});

describe('suppression comments', () => {
  it('work at the end of a uses: line and inside a run: script', () => {
    const steps = [
      '- uses: docker/setup-buildx-action@v3 # kbx-lint disable=KBX202',
      '  with:',
      '    driver: kubernetes',
      '    driver-opts: |',
      '      replicas=two',
      '- run: |',
      '    # kbx-lint disable=KBX202',
      '    docker buildx create --driver kubernetes --driver-opt replicas=three',
    ];
    expect(lintText(job(steps), WF).diagnostics.filter((d) => d.code === 'KBX202')).toHaveLength(0);
    const bare = steps.map((l) => l.replace(/ ?# kbx-lint disable=KBX202/, '')).filter((l) => l.trim() !== '');
    expect(lintText(job(bare), WF).diagnostics.filter((d) => d.code === 'KBX202')).toHaveLength(2);
  });
});

describe('composite actions', () => {
  it('reads runs.steps with their shell, skips others', () => {
    const text = [
      'name: x',
      'runs:',
      '  using: composite',
      '  steps:',
      '    - shell: bash',
      '      run: docker buildx build --tag ${{ inputs.tag }} .',
      '    - shell: pwsh',
      '      run: docker buildx ls',
      '    - run: docker buildx du',
      '',
    ].join('\n');
    const model = modelOf(text, 'action.yml');
    expect(model.invocations.map((i) => i.command)).toEqual(['build']);
    expect(model.regions[0].region.scope).toBe('action');
  });

  it('does not read a JavaScript action', () => {
    expect(invs(['runs:', '  using: node20', '  main: index.js', ''].join('\n'), 'action.yaml')).toHaveLength(0);
  });
});

describe('build-push-action and bake-action inputs', () => {
  it('become one docker buildx build with the inputs as flags', () => {
    const text = job([
      '- uses: docker/build-push-action@v6',
      '  with:',
      '    context: ./app',
      '    file: ./app/Dockerfile',
      '    platforms: linux/amd64,linux/arm64',
      '    tags: |',
      '      a/b:1',
      '      a/b:latest',
      '    cache-from: type=gha',
      '    cache-to: type=gha,mode=max',
      '    outputs: type=registry',
      '    build-contexts: base=docker-image://alpine',
      '    builder: ${{ steps.buildx.outputs.name }}',
      '    load: false',
      '    push: true',
    ]);
    const [inv] = invs(text);
    expect(inv.command).toBe('build');
    expect(argvOf(inv)).toEqual([
      'buildx',
      'build',
      '--build-context',
      'base=docker-image://alpine',
      '--cache-from',
      'type=gha',
      '--cache-to',
      'type=gha,mode=max',
      '--file',
      './app/Dockerfile',
      '--output',
      'type=registry',
      '--platform',
      'linux/amd64,linux/arm64',
      '--tag',
      'a/b:1',
      '--tag',
      'a/b:latest',
      '--builder',
      null,
      '--push',
      './app',
    ]);
    const tag = inv.flags.filter((f) => f.name === 'tag')[1];
    expect(spanText(text, tag.valueSpan!)).toBe('a/b:latest');
    const push = inv.flags.find((f) => f.name === 'push')!;
    expect(spanText(text, push.arg.span)).toBe('true');
  });

  it('a list input given by an expression may be several items: its argument may vary', () => {
    const [inv] = invs(job(['- uses: docker/build-push-action@v6', '  with:', '    context: .', '    tags: ${{ steps.meta.outputs.tags }}', '    builder: ${{ steps.b.outputs.name }}']));
    const tag = inv.flags.find((f) => f.name === 'tag')!;
    expect(tag.valueArg!.mayVary).toBe(true);
    expect(inv.flags.find((f) => f.name === 'builder')!.valueArg!.mayVary).toBe(false);
  });

  it('an empty context is the Git context: unknown', () => {
    const [inv] = invs(job(['- uses: docker/build-push-action@v6', '  with:', '    push: false']));
    expect(argvOf(inv)).toEqual(['buildx', 'build', null]);
  });

  it('reports build-flag findings on the input', () => {
    const text = job(['- uses: docker/build-push-action@v6', '  with:', '    platforms: linux/amd64,linux/arm64', '    load: true']);
    const d = lintText(text, WF).diagnostics.find((x) => x.code === 'KBX520')!;
    expect(spanText(text, d.span)).toBe('true');
  });

  it('bake-action becomes docker buildx bake', () => {
    const text = job([
      '- uses: docker/bake-action@v6',
      '  with:',
      '    source: .',
      '    files: docker-bake.hcl',
      '    targets: app,test',
      '    set: |',
      '      *.platform=linux/amd64',
      '    push: true',
    ]);
    const [inv] = invs(text);
    expect(argvOf(inv)).toEqual(['buildx', 'bake', '--file', 'docker-bake.hcl', '--set', '*.platform=linux/amd64', '--push', 'app', 'test']);
    // Without a source the Git context is passed first: unknown.
    const [git] = invs(job(['- uses: docker/bake-action@v6', '  with:', '    targets: app']));
    expect(argvOf(git)).toEqual(['buildx', 'bake', null, 'app']);
  });
});

describe('differential: run: text under real bash gives the argv explain shows', () => {
  const COMMANDS = [
    'docker buildx build --platform linux/amd64,linux/arm64 -t "reg/app:1" .',
    "docker buildx create --name k8s --driver kubernetes --driver-opt 'nodeselector=a=b,c=d' --use",
    'docker buildx build \\\n  --cache-to type=gha,mode=max \\\n  --push .',
    'docker buildx create --driver-opt=namespace=b,"tolerations=key=k,operator=Exists"',
    "docker buildx build --label 'a b' --tag x:y --output=type=local,dest=out .",
    'docker buildx ls; docker buildx inspect ci',
  ];
  it.runIf(shellAvailable('bash'))('over generated workflows', () => {
    const r = mulberry32(77);
    for (let n = 0; n < 40; n++) {
      const cmds = Array.from({ length: 1 + Math.floor(r() * 3) }, () => COMMANDS[Math.floor(r() * COMMANDS.length)]);
      const lines = cmds.join('\n').split('\n');
      const style = ['|', '|-', '|+'][n % 3];
      const text = job(['- run: ' + style, ...lines.map((l) => '    ' + l)]);
      const [region] = readGithubActions(text).regions;
      const run = runScript(region.source.text);
      const expected = invs(text).map((i) => argvOf(i));
      // Every argument of these commands is static.
      for (const a of expected) expect(a.includes(null)).toBe(false);
      expect(run.calls, text).toEqual(expected);
    }
  });
});
