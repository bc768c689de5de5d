/**
 * GitLab CI host: script items as command lines, nested lists, `!reference`, variables, scopes,
 * positions, and the script text under real bash with a stub docker against `explain`'s argv.
 */
import { describe, expect, it } from 'vitest';
import { localIncludes, readGitlabCi } from '../../server/src/hosts/gitlab-ci';
import { explainFile } from '../../server/src/engine/explain';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { argvOf, lintText, modelOf, spanText } from '../harness/lint-helpers';
import { mulberry32 } from '../harness/random';
import { runScript } from '../harness/stub-docker';
import { shellAvailable } from '../harness/bash-oracle';

const CI = '.gitlab-ci.yml';
const invs = (text: string) => modelOf(text, CI).invocations;

describe('GitLab CI scripts', () => {
  it('reads before_script, script and after_script items of every job, hidden ones too', () => {
    const text = [
      'default:',
      '  before_script:',
      '    - docker buildx ls',
      '.setup:',
      '  script:',
      '    - docker buildx create --name ci --use',
      'build:',
      '  extends: .setup',
      '  script:',
      '    - echo start',
      '    - docker buildx build --tag a:1 .',
      '    - - docker buildx build --tag nested:1 .',
      '      - docker buildx build --tag nested:2 .',
      '    - !reference [.setup, script]',
      '  after_script:',
      '    - docker buildx rm ci',
      'stages: [build]',
      '',
    ].join('\n');
    const regions = readGitlabCi(text).regions;
    // before_script and script are one shell, after_script another; the hidden template's line
    // runs where build references it.
    expect(regions.map((r) => r.scope)).toEqual(['default', 'job:build', 'job:build']);
    expect(invs(text).map((i) => [i.command, ...argvOf(i).slice(2)].join(' '))).toEqual([
      'ls',
      'build --tag a:1 .',
      'build --tag nested:1 .',
      'build --tag nested:2 .',
      'create --name ci --use',
      'rm ci',
    ]);
  });

  it('reads anchors, aliases and << merge keys once, at the anchored text', () => {
    const text = [
      '.build_script: &build',
      '  - docker buildx build --tag anchored:1 .',
      '.tmpl: &tmpl',
      '  variables:',
      '    A: from-template',
      '  before_script:',
      '    - docker buildx create --name merged --use',
      'one:',
      '  <<: *tmpl',
      '  script: *build',
      'two:',
      '  script:',
      '    - *build',
      '    - docker buildx ls',
      '',
    ].join('\n');
    const regions = readGitlabCi(text).regions;
    expect(regions.map((r) => [r.scope, r.source.text])).toEqual([
      ['job:.tmpl', 'docker buildx create --name merged --use'],
      ['job:one', 'docker buildx build --tag anchored:1 .'],
      ['job:two', 'docker buildx ls'],
    ]);
    expect(spanText(text, invs(text)[1].argv[3].span)).toBe('anchored:1');
  });

  it('maps positions through plain multi-line and block items', () => {
    const text = [
      'job:',
      '  script:',
      '    - docker buildx build',
      '        --platform linux/arm64 .',
      '    - >',
      '      docker buildx build',
      '      --tag "x y" .',
      '    - |',
      '      docker buildx build \\',
      "        --label 'k=v' .",
      '',
    ].join('\n');
    const [a, b, c] = invs(text);
    expect(spanText(text, a.flags[0].valueSpan!)).toBe('linux/arm64');
    expect(spanText(text, b.flags[0].arg.span)).toBe('--tag');
    expect(spanText(text, b.flags[0].valueArg!.span)).toBe('"x y"');
    expect(spanText(text, c.flags[0].valueArg!.span)).toBe("'k=v'");
  });

  it('passes global and job variables, the job winning, and $[[ inputs ]] as unknown', () => {
    const text = [
      'variables:',
      '  A: global',
      '  B:',
      '    value: described',
      '    description: x',
      'job:',
      '  variables:',
      '    A: job',
      '    C: $[[ inputs.tag ]]',
      '  script:',
      '    - docker buildx build -t "$A$B$C" .',
      '',
    ].join('\n');
    const [region] = readGitlabCi(text).regions;
    expect(Object.fromEntries((region.variables ?? []).map((v) => [v.name, v.value.text]))).toEqual({ A: 'job', B: 'described', C: DYNAMIC });
  });

  it('skips the spec header document and reports YAML errors', () => {
    expect(invs(['spec:', '  inputs:', '    tag:', '---', 'job:', '  script:', '    - docker buildx build --tag $[[ inputs.tag ]] .', ''].join('\n')).map((i) => argvOf(i))).toEqual([
      ['buildx', 'build', '--tag', null, '.'],
    ]);
    const bad = lintText('job:\n  script:\n    - docker buildx build .\n   - oops\n', CI).diagnostics;
    expect(bad.map((d) => d.code)).toContain('KBX610');
  });

  it('reads before_script and script items as the lines of one script, as the runner writes them', () => {
    const text = [
      'job:',
      '  before_script:',
      '    - if [ "$CI_COMMIT_BRANCH" = main ]; then',
      '  script:',
      '    -   docker buildx build --push -t x .',
      '    - fi',
      '    - for p in amd64 arm64; do',
      '        docker buildx build --platform linux/$p -t x:$p .;',
      '      done',
      '  after_script:',
      '    - docker buildx ls',
      '',
    ].join('\n');
    expect(modelOf(text, CI).syntaxErrors).toEqual([]);
    expect(lintText(text, CI).diagnostics).toEqual([]);
    const [main, after] = readGitlabCi(text).regions;
    expect(main.source.text.split('\n')[0]).toBe('if [ "$CI_COMMIT_BRANCH" = main ]; then');
    expect(after.source.text).toBe('docker buildx ls');
    expect(invs(text).map((i) => spanText(text, i.argv[i.argv.length - 1].span))).toEqual(['.', '.', 'ls']);
    // An item left open still fails, and is reported where it is.
    const openText = 'job:\n  script:\n    - if true; then\n    - docker buildx ls\n  after_script:\n    - fi\n';
    const open = lintText(openText, CI).diagnostics;
    expect(open.map((d) => [d.code, spanText(openText, d.span).split('\n')[0]])).toEqual([
      ['KBX601', 'if true; then'],
      ['KBX601', 'fi'],
    ]);
  });

  it('offers fixes in block items, within a line when a job has several, none in flow items', () => {
    const opt = 'docker buildx create --driver kubernetes --driver-opt nodeselector=a=b,c=d';
    const fixOf = (items: string[]) => lintText(['job:', '  script:', ...items, ''].join('\n'), CI).diagnostics.find((d) => d.code === 'KBX101')!.fix;
    expect(fixOf(['    - |', `      ${opt}`, '    - |', '      docker buildx ls'])).toBeDefined();
    expect(fixOf(['    - |', `      ${opt}`, '    - docker buildx ls'])).toBeUndefined();
    const regions = readGitlabCi(['job:', '  script:', '    - |', `      ${opt}`, '    - |', '      docker buildx ls', ''].join('\n')).regions;
    expect(regions.map((r) => r.encoding)).toEqual(['line-prefixed']);
  });

  it('offers no fix inside a flow scalar, one inside a block scalar', () => {
    const flow = lintText('job:\n  script:\n    - docker buildx create --driver kubernetes --driver-opt nodeselector=a=b,c=d\n', CI).diagnostics.find((d) => d.code === 'KBX101')!;
    const block = lintText('job:\n  script:\n    - |\n      docker buildx create --driver kubernetes --driver-opt nodeselector=a=b,c=d\n', CI).diagnostics.find((d) => d.code === 'KBX101')!;
    expect(flow.fix).toBeUndefined();
    expect(block.fix).toBeDefined();
  });
});

describe('differential: script items under real bash give the argv explain shows', () => {
  const ITEMS = [
    ['- docker buildx build --platform linux/amd64 -t "reg/app:1" .'],
    ["- docker buildx create --driver kubernetes --driver-opt 'nodeselector=a=b,c=d'"],
    ['- |', '  docker buildx build \\', '    --cache-to type=registry,ref=r/c \\', '    --push .'],
    ['- >', '  docker buildx build', "  --label 'a b' ."],
    ['- "docker buildx build --tag \\"q:1\\" ."'],
    ["- 'docker buildx ls'"],
  ];
  it.runIf(shellAvailable('bash'))('over generated jobs', () => {
    const r = mulberry32(5);
    for (let n = 0; n < 30; n++) {
      const items = Array.from({ length: 1 + Math.floor(r() * 3) }, () => ITEMS[Math.floor(r() * ITEMS.length)]);
      const text = ['job:', '  script:', ...items.flat().map((l) => '    ' + l), ''].join('\n');
      const script = readGitlabCi(text)
        .regions.map((g) => g.source.text)
        .join('\n');
      const run = runScript(script);
      const expected = invs(text).map((i) => argvOf(i));
      for (const a of expected) expect(a.includes(null)).toBe(false);
      expect(run.calls, text).toEqual(expected);
    }
  });
});

describe('GitLab CI variables that use other variables', () => {
  const lintCodes = (text: string) => lintText(text, CI).diagnostics.map((d) => d.code);
  const ci = (jobVar: string, extra: string[] = []) =>
    [
      'variables:',
      '  IMAGE: registry.example.com/ci/app',
      '  VERSION: latest',
      ...extra,
      'build:',
      '  variables:',
      `    TARGET: ${jobVar}`,
      '  script:',
      '    - docker buildx build --push --tag ${TARGET} .',
      '',
    ].join('\n');

  it('expands ${NAME} and $NAME from the file before the job starts, as GitLab does', () => {
    const text = ci('${IMAGE}:${VERSION}');
    expect(lintCodes(text)).not.toContain('KBX505');
    expect(argvOf(invs(text)[0])).toEqual(['buildx', 'build', '--push', '--tag', 'registry.example.com/ci/app:latest', '.']);
    expect(argvOf(invs(ci('$IMAGE:$VERSION'))[0])[4]).toBe('registry.example.com/ci/app:latest');
  });

  it('makes a predefined or unknown variable DYNAMIC, never the text of the reference', () => {
    const text = ci('${IMAGE}:${CI_COMMIT_SHA}');
    expect(lintCodes(text)).not.toContain('KBX505');
    // A word with a part known only at run time is not a known string.
    expect(argvOf(invs(text)[0])[4]).toBeNull();
    expect(readGitlabCi(text).regions[0].variables!.find((x) => x.name === 'TARGET')!.value.text).toBe(`registry.example.com/ci/app:${DYNAMIC}`);
  });

  it('keeps the value raw with expand: false, and $$ is one dollar', () => {
    const raw = ci('{value: "${IMAGE}:${VERSION}", expand: false}');
    expect(argvOf(invs(raw)[0])[4]).toBe('${IMAGE}:${VERSION}');
    expect(lintCodes(raw)).toContain('KBX505');
    expect(argvOf(invs(ci('app$$x'))[0])[4]).toBe('app$x');
  });

  it('still reports a wrong value reached through a reference', () => {
    const text = ci('${IMAGE}:${VERSION}', ['  PLATFORMS: linux']).replace('--push', '--push --platform ${PLATFORMS}');
    expect(lintCodes(text)).toContain('KBX414');
  });

  it('copies a value into many references only within a budget', () => {
    const long = 'a'.repeat(200);
    const refs = '${L}'.repeat(2000);
    const text = ['variables:', `  L: ${long}`, `  M: "${refs}"`, 'build:', '  script:', '    - docker buildx build --tag "x:$M" .', ''].join('\n');
    const v = readGitlabCi(text).regions[0].variables!.find((x) => x.name === 'M')!.value.text;
    expect(v.length).toBeLessThan(5 * refs.length + 1100);
    expect(v).toContain(DYNAMIC);
    expect(v.startsWith(long)).toBe(true);
  });
});

describe('GitLab CI jobs on Windows runners', () => {
  const ps = ['  script:', '    - |', '      $hash = & ./compute-hash.ps1', '      if ($LASTEXITCODE -ne 0) { throw "no hash" }', '      docker build -t "img:${hash}" .', ''];
  const lintCodes = (text: string) => lintText(text, CI).diagnostics.map((d) => d.code);

  it('does not read PowerShell as bash in a job whose tags name Windows', () => {
    expect(lintCodes(['build:', '  tags: ["windows-v2:2022"]', ...ps].join('\n'))).not.toContain('KBX601');
    // The same script on a runner without a Windows tag is bash, and bash cannot parse it.
    expect(lintCodes(['build:', '  tags: ["arch:amd64"]', ...ps].join('\n'))).toContain('KBX601');
  });

  it('finds the tags through extends and default:', () => {
    expect(lintCodes(['.win:', '  tags: [windows]', 'build:', '  extends: [.other, .win]', ...ps].join('\n'))).not.toContain('KBX601');
    expect(lintCodes(['default:', '  tags: [windows]', 'build:', ...ps].join('\n'))).not.toContain('KBX601');
    // A cycle of extends ends: GitLab rejects the file (KBX614), and none of its jobs is read.
    const cycle = lintCodes(['.a:', '  extends: .b', '.b:', '  extends: .a', 'build:', '  extends: .a', ...ps].join('\n'));
    expect(cycle).toContain('KBX614');
    expect(cycle).not.toContain('KBX601');
  });

  it('still reads a command that parses as shell on a Windows runner', () => {
    const text = ['build:', '  tags: [windows]', '  script:', '    - docker buildx build --platform linux .', ''].join('\n');
    expect(lintCodes(text)).toContain('KBX414');
  });
});

// The oracle follows GitLab's merge (gitlab-org/gitlab lib/gitlab/ci/config/extendable/entry.rb:
// the bases, each extended first, deep-merged in order, then the job's own hash over them), and
// real bash runs each job's script with its merged variables.
type Job = { extends?: string[]; variables?: Record<string, string>; before_script?: string[]; script?: string[] };
const deepMerge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const was = out[k];
    out[k] = was && v && typeof was === 'object' && typeof v === 'object' && !Array.isArray(was) && !Array.isArray(v) ? deepMerge(was as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
};
const extend = (config: Record<string, Job>, name: string): Job => {
  const job = config[name];
  const bases = (job.extends ?? []).filter((n) => n in config).map((n) => extend(config, n));
  const { extends: _, ...own } = job;
  return deepMerge(
    bases.reduce((m, b) => deepMerge(m, b as Record<string, unknown>), {} as Record<string, unknown>),
    own,
  ) as Job;
};
/**
 * The region's script run with the variables the merged job gives (the oracle) calls docker as
 * it does run with the variables kbx-lint attached to the region.
 */
const expectRunsLikeMergedJob = (region: { source: { text: string }; variables?: { name: string; value: { text: string } }[] }, merged: Job, context: string) => {
  const assign = Object.entries(merged.variables ?? {}).map(([k, v]) => `${k}=${v}`);
  const unset = ['A', 'B'].filter((v) => !(v in (merged.variables ?? {}))).map((v) => `${v}=`);
  const run = runScript([...unset, ...assign, region.source.text].join('\n'));
  const kbx = Object.fromEntries((region.variables ?? []).map((v) => [v.name, v.value.text]));
  const ours = runScript([...['A', 'B'].map((v) => `${v}=${kbx[v] ?? ''}`), region.source.text].join('\n'));
  expect(ours.calls, context).toEqual(run.calls);
};
const yamlOf = (config: Record<string, Job>) => {
  const out: string[] = [];
  for (const [name, job] of Object.entries(config)) {
    out.push(`${name}:`);
    if (job.extends) out.push(`  extends: [${job.extends.join(', ')}]`);
    if (job.variables)
      out.push(
        `  variables: {${Object.entries(job.variables)
          .map(([k, v]) => `${k}: ${v}`)
          .join(', ')}}`,
      );
    for (const key of ['before_script', 'script'] as const) if (job[key]) out.push(`  ${key}:`, ...job[key]!.map((l) => `    - ${l}`));
  }
  return out.join('\n') + '\n';
};

describe('GitLab CI extends: a job runs what it inherits', () => {
  const scopes = (text: string) => readGitlabCi(text).regions.map((r) => [r.scope, r.source.text]);

  it('reads a template script in the job that inherits it, with the job variables', () => {
    const text = [
      '.image:',
      '  variables:',
      '    FILE: base.Dockerfile',
      '    PLATFORM: linux/amd64',
      '  script:',
      '    - docker buildx build -f "$FILE" --platform "$PLATFORM" .',
      'web:',
      '  extends: .image',
      '  variables:',
      '    FILE: web.Dockerfile',
      '',
    ].join('\n');
    expect(scopes(text)).toEqual([['job:web', 'docker buildx build -f "$FILE" --platform "$PLATFORM" .']]);
    expect(invs(text).map((i) => argvOf(i))).toEqual([['buildx', 'build', '-f', 'web.Dockerfile', '--platform', 'linux/amd64', '.']]);
  });

  it('runs an inherited before_script and the job script in one shell', () => {
    const text = ['.buildx:', '  before_script:', '    - docker buildx create --name ci --use', 'build:', '  extends: .buildx', '  script:', '    - docker buildx build -t a .', ''].join('\n');
    expect(scopes(text)).toEqual([['job:build', 'docker buildx create --name ci --use\ndocker buildx build -t a .']]);
    const build = explainFile(CI, modelOf(text, CI)).find((i) => i.command === 'build')!;
    expect(build.builder).toEqual({ name: 'ci', source: 'create-use' });
  });

  it('merges templates in order, the later and the job winning, through chains', () => {
    const text = [
      '.a:',
      '  variables: {X: a, Y: a, Z: a}',
      '  script:',
      '    - docker buildx build -t "$X-$Y-$Z" .',
      '.b:',
      '  extends: .a',
      '  variables: {Y: b}',
      '.c:',
      '  variables: {X: c, Y: c}',
      'job:',
      '  extends: [.c, .b]',
      '  variables: {Z: job}',
      '',
    ].join('\n');
    // .b (with .a under it) is merged over .c: X from .a (over .c), Y from .b.
    expect(invs(text).map((i) => argvOf(i)[3])).toEqual(['a-b-job']);
  });

  it('reads a template once, in the first job that inherits it, and keeps the rest as before', () => {
    const text = [
      '.t:',
      '  script:',
      '    - docker buildx build -t "$APP" .',
      'one:',
      '  extends: .t',
      '  variables: {APP: one}',
      'two:',
      '  extends: .t',
      '  variables: {APP: two}',
      '.unused:',
      '  script:',
      '    - docker buildx ls',
      'own:',
      '  extends: [.unused, .from-another-file]',
      '  script:',
      '    - docker buildx du',
      '',
    ].join('\n');
    // A cycle of extends rejects the whole file: gitlab-ci-extends-limits.test.ts.
    expect(scopes(text)).toEqual([
      ['job:one', 'docker buildx build -t "$APP" .'],
      ['job:.unused', 'docker buildx ls'],
      ['job:own', 'docker buildx du'],
    ]);
  });

  it.runIf(shellAvailable('bash'))('differential: generated templates and jobs, GitLab merge oracle, real bash', () => {
    const r = mulberry32(11);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    for (let n = 0; n < 25; n++) {
      const config: Record<string, Job> = {};
      const templates = ['.t0', '.t1', '.t2', '.t3'];
      templates.forEach((t, i) => {
        const job: Job = {};
        if (i > 0 && r() < 0.5) job.extends = [pick(templates.slice(0, i))];
        if (r() < 0.7) job.variables = Object.fromEntries(['A', 'B'].filter(() => r() < 0.6).map((v) => [v, `${t.slice(1)}${v.toLowerCase()}`]));
        if (r() < 0.4) job.before_script = [`docker buildx ls --format "${t}-before"`];
        if (r() < 0.6) job.script = [`docker buildx build -t "r/${t.slice(1)}:$A-$B" .`];
        config[t] = job;
      });
      for (let j = 0; j < 3; j++) {
        const job: Job = { extends: templates.filter(() => r() < 0.4) };
        if (r() < 0.5) job.variables = { B: `j${j}` };
        if (r() < 0.3) job.script = [`docker buildx build -t "r/j${j}:$A-$B" .`];
        config[`j${j}`] = job;
      }
      const text = yamlOf(config);
      const regions = readGitlabCi(text).regions;
      const seen = new Set<string>();
      for (let j = 0; j < 3; j++) {
        const merged = extend(config, `j${j}`);
        const lines = [...(merged.before_script ?? []), ...(merged.script ?? [])].filter((l) => !seen.has(l));
        for (const l of lines) seen.add(l);
        const region = regions.find((g) => g.scope === `job:j${j}`);
        expect(region?.source.text.split('\n') ?? [], text).toEqual(lines);
        if (!region) continue;
        expectRunsLikeMergedJob(region, merged, text);
      }
    }
  });
});

describe('GitLab CI extends across the files of one pipeline', () => {
  const scopes = (text: string, others: string[]) =>
    readGitlabCi(
      text,
      undefined,
      others.map((o) => ({ text: o })),
    ).regions.map((r) => [r.scope, r.source.text]);
  const values = (text: string, others: string[], scope: string) =>
    Object.fromEntries(
      (
        readGitlabCi(
          text,
          undefined,
          others.map((o) => ({ text: o })),
        ).regions.find((r) => r.scope === scope)?.variables ?? []
      ).map((v) => [v.name, v.value.text]),
    );
  const base = [
    '.build:',
    '  variables:',
    '    PLATFORM: linux/amd64',
    '  before_script:',
    '    - docker buildx create --name ci --use',
    '  script:',
    '    - docker buildx build --platform "$PLATFORM" "$APP"',
    '',
  ].join('\n');
  const web = [
    'web:',
    '  extends: .build',
    '  variables:',
    '    APP: web',
    '  script:',
    '    - docker buildx build -t "$PLATFORM" "$APP"',
    'api:',
    '  extends: .build',
    '  variables:',
    '    APP: api',
    '',
  ].join('\n');

  it("reads a template's scripts in the first job of another file that inherits them, with its variables", () => {
    // web has its own script: only the inherited before_script is read here, in web's scope; api
    // inherits script, which web's did not take.
    expect(scopes(base, [web])).toEqual([
      ['job:web', 'docker buildx create --name ci --use'],
      ['job:api', 'docker buildx build --platform "$PLATFORM" "$APP"'],
    ]);
    expect(values(base, [web], 'job:api')).toEqual({ PLATFORM: 'linux/amd64', APP: 'api' });
    // Without the pipeline the template is read on its own, its APP unknown.
    expect(scopes(base, [])).toEqual([['job:.build', 'docker buildx create --name ci --use\ndocker buildx build --platform "$PLATFORM" "$APP"']]);
  });

  it("gives a job the variables of a template in another file, and the pipeline's top-level ones", () => {
    const root = 'include:\n  - local: base.yml\nvariables:\n  REG: r.example.com\n  PLATFORM: linux/s390x\n';
    expect(scopes(web, [root, base])).toEqual([['job:web', 'docker buildx build -t "$PLATFORM" "$APP"']]);
    // The template's PLATFORM is merged over the pipeline's, the job's APP over both.
    expect(values(web, [root, base], 'job:web')).toEqual({ PLATFORM: 'linux/amd64', APP: 'web' });
    const argv = readGitlabCi(web, undefined, [{ text: root }, { text: base }]).regions[0].variables!;
    // Values written elsewhere point at this file's `extends`.
    for (const v of argv) expect(v.value.starts.every((x) => x >= 0 && x < web.length)).toBe(true);
  });

  it('lets a name this file defines win over an included one, and ignores a missing or foreign-only chain', () => {
    const local = ['.build:', '  script:', '    - docker buildx ls', 'web:', '  extends: .build', ''].join('\n');
    expect(scopes(local, [base])).toEqual([['job:web', 'docker buildx ls']]);
    expect(scopes('x:\n  extends: .nowhere\n  script: [docker buildx du]\n', [base])).toEqual([['job:x', 'docker buildx du']]);
  });

  // The same merge over one configuration split in two files, templates in one and jobs in the
  // other: GitLab merges `include:` before `extends` (config/external/processor.rb).
  it.runIf(shellAvailable('bash'))('differential: templates and jobs in two files, GitLab merge oracle, real bash', () => {
    const r = mulberry32(23);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    for (let n = 0; n < 25; n++) {
      const templates: Record<string, Job> = {};
      const jobs: Record<string, Job> = {};
      const names = ['.t0', '.t1', '.t2', '.t3'];
      names.forEach((t, i) => {
        const job: Job = {};
        if (i > 0 && r() < 0.5) job.extends = [pick(names.slice(0, i))];
        if (r() < 0.7) job.variables = Object.fromEntries(['A', 'B'].filter(() => r() < 0.6).map((v) => [v, `${t.slice(1)}${v.toLowerCase()}`]));
        if (r() < 0.4) job.before_script = [`docker buildx ls --format "${t}-before"`];
        if (r() < 0.6) job.script = [`docker buildx build -t "r/${t.slice(1)}:$A-$B" .`];
        templates[t] = job;
      });
      for (let j = 0; j < 3; j++) {
        const job: Job = { extends: names.filter(() => r() < 0.5) };
        if (r() < 0.5) job.variables = { B: `j${j}` };
        if (r() < 0.3) job.script = [`docker buildx build -t "r/j${j}:$A-$B" .`];
        jobs[`j${j}`] = job;
      }
      const config = { ...templates, ...jobs };
      const templateText = yamlOf(templates);
      const jobText = yamlOf(jobs);
      const inTemplates = readGitlabCi(templateText, undefined, [{ text: jobText }]).regions;
      const inJobs = readGitlabCi(jobText, undefined, [{ text: templateText }]).regions;
      const seen = new Set<string>();
      for (let j = 0; j < 3; j++) {
        const merged = extend(config, `j${j}`);
        const lines = [...(merged.before_script ?? []), ...(merged.script ?? [])];
        // Each line is read in the file that holds it: the job's own here, a template's there (once).
        const own = lines.filter((l) => l.includes(`r/j${j}:`));
        const inherited = lines.filter((l) => !own.includes(l) && !seen.has(l));
        for (const l of inherited) seen.add(l);
        const context = templateText + '---\n' + jobText;
        for (const [regions, want] of [
          [inJobs, own],
          [inTemplates, inherited],
        ] as const) {
          const region = regions.find((g) => g.scope === `job:j${j}`);
          expect(region?.source.text.split('\n') ?? [], context).toEqual(want);
          if (!region) continue;
          expectRunsLikeMergedJob(region, merged, context);
        }
      }
    }
  });
});

describe('GitLab CI !reference: a job runs the lines it names', () => {
  const scopes = (text: string) => readGitlabCi(text).regions.map((r) => [r.scope, r.source.text]);
  const nodeSelector = 'docker buildx create --driver kubernetes --driver-opt nodeselector=a=b,c=d';

  it('reads the referenced lines in the job, with its variables, findings at the template line', () => {
    const text = [
      '.buildx:',
      '  before_script:',
      `    - ${nodeSelector}`,
      '  script:',
      '    - docker buildx build --platform "$PLATFORMS" -t r/app .',
      'web:',
      '  variables:',
      '    PLATFORMS: linux/arm64',
      '  before_script:',
      '    - !reference [.buildx, before_script]',
      '  script:',
      '    - echo start',
      '    - !reference [.buildx, script]',
      '',
    ].join('\n');
    expect(scopes(text)).toEqual([['job:web', `${nodeSelector}\necho start\ndocker buildx build --platform "$PLATFORMS" -t r/app .`]]);
    expect(invs(text).map((i) => argvOf(i)[2] === '--platform' && argvOf(i)[3])).toEqual([false, 'linux/arm64']);
    const d = lintText(text, CI).diagnostics.find((x) => x.code === 'KBX101');
    expect(d && spanText(text, d.span)).toBe('c=d');
    expect(d && text.slice(0, d.span.start).split('\n').length).toBe(3);
  });

  it('resolves a whole key, nested references, and keeps the template read where no job references it', () => {
    const text = [
      '.one:',
      '  script: [docker buildx ls]',
      '.two:',
      '  script:',
      '    - !reference [.one, script]',
      '    - docker buildx du',
      '.alone:',
      '  script: [docker buildx version]',
      'job:',
      '  script: !reference [.two, script]',
      '',
    ].join('\n');
    expect(scopes(text)).toEqual([
      ['job:.alone', 'docker buildx version'],
      ['job:job', 'docker buildx ls\ndocker buildx du'],
    ]);
  });

  it('skips a target not in the file and a malformed reference, and reads a key extends gives', () => {
    const text = [
      '.base:',
      '  script: [docker buildx ls]',
      '.child:',
      '  extends: .base',
      'job:',
      '  script:',
      '    - !reference [.from-an-include, script]',
      // References resolve after extends merges (config.rb build_config): .child has .base's.
      '    - !reference [.child, script]',
      '    - !reference [.base, script, 0]',
      '    - !reference []',
      '    - !reference [.base, [script]]',
      '    - docker buildx du',
      '',
    ].join('\n');
    expect(scopes(text)).toEqual([['job:job', 'docker buildx ls\ndocker buildx du']]);
  });

  it('digs into the job as extends merged it, maps deep-merged, the job winning', () => {
    const text = [
      '.base:',
      '  script: [docker buildx ls]',
      '  x: {a: [docker buildx du], b: [docker buildx version]}',
      '.mid:',
      '  extends: .base',
      '  script: [docker buildx inspect]',
      '  x: {a: [docker buildx prune]}',
      'job:',
      '  script:',
      '    - !reference [.mid, script]',
      '    - !reference [.mid, x, a]',
      '    - !reference [.mid, x, b]',
      '',
    ].join('\n');
    expect(scopes(text)).toEqual([
      ['job:.base', 'docker buildx ls'],
      ['job:job', 'docker buildx inspect\ndocker buildx prune\ndocker buildx version'],
    ]);
  });

  it('reads nothing of a file with a circular chain, which GitLab rejects, and does not hang', () => {
    const self = ['.a:', '  script:', '    - !reference [.a, script]', 'job:', `  script: ["${nodeSelector}"]`, ''].join('\n');
    const mutual = ['.a:', '  script: !reference [.b, script]', '.b:', '  script: [!reference [.a, script]]', 'job:', `  script: ["${nodeSelector}"]`, ''].join('\n');
    for (const text of [self, mutual]) {
      expect(readGitlabCi(text).regions).toEqual([]);
      expect(lintText(text, CI).diagnostics.filter((d) => d.code === 'KBX101')).toEqual([]);
    }
    // Without the cycle the same job is read and reported.
    expect(lintText(self.replace('!reference [.a, script]', 'echo'), CI).diagnostics.some((d) => d.code === 'KBX101')).toBe(true);
  });

  it('reads a script nested a few levels, not one deeper than GitLab allows, and survives a long chain', () => {
    const chain = (n: number) =>
      [
        '.t0:',
        '  script: [docker buildx ls]',
        ...Array.from({ length: n }, (_, i) => [`.t${i + 1}:`, '  script:', `    - !reference [.t${i}, script]`]).flat(),
        'job:',
        `  script: [!reference [.t${n}, script]]`,
        '',
      ].join('\n');
    expect(scopes(chain(5))).toEqual([['job:job', 'docker buildx ls']]);
    // Twenty arrays deep is a GitLab error: no job runs that line, neither here nor in .t0.
    expect(scopes(chain(20))).toEqual([['job:.t0', 'docker buildx ls']]);
    expect(scopes(chain(15_000))).toEqual([['job:.t0', 'docker buildx ls']]);
  });

  // The oracle follows GitLab: each `!reference` is a dig into the file's hash, resolved deeply
  // (gitlab-org/gitlab lib/gitlab/ci/config/yaml/tags/reference.rb, resolver.rb), and the script
  // is flattened (entry/commands.rb); a target from another file is skipped, as the host does.
  type Item = string | { ref: [string, string] } | Item[];
  const resolve = (config: Record<string, Record<string, Item[]>>, items: Item[]): string[] =>
    items.flatMap((it): string[] => {
      if (typeof it === 'string') return [it];
      if (Array.isArray(it)) return resolve(config, it);
      const target = config[it.ref[0]]?.[it.ref[1]];
      return target ? resolve(config, target) : [];
    });
  const yamlItem = (it: Item): string => (typeof it === 'string' ? JSON.stringify(it) : Array.isArray(it) ? `[${it.map(yamlItem).join(', ')}]` : `!reference [${it.ref.join(', ')}]`);

  it.runIf(shellAvailable('bash'))('differential: generated references, GitLab resolver oracle, real bash', () => {
    const r = mulberry32(29);
    for (let n = 0; n < 30; n++) {
      const config: Record<string, Record<string, Item[]>> = {};
      const templates = ['.t0', '.t1', '.t2', '.t3'];
      const refTo = (pool: string[]): Item => ({ ref: [r() < 0.15 ? '.elsewhere' : pool[Math.floor(r() * pool.length)], r() < 0.7 ? 'script' : 'before_script'] });
      templates.forEach((t, i) => {
        const job: Record<string, Item[]> = {};
        for (const key of ['before_script', 'script']) {
          if (r() < 0.3) continue;
          const items: Item[] = [`docker buildx build -t "r/${t.slice(1)}-${key}:$A" .`];
          if (i > 0 && r() < 0.6) items.push(refTo(templates.slice(0, i)));
          if (r() < 0.2) items.push([`docker buildx ls --format "${t}-${key}-nested"`]);
          job[key] = items;
        }
        config[t] = job;
      });
      for (let j = 0; j < 3; j++) {
        const items: Item[] = [`docker buildx du --filter "j${j}=$A"`];
        for (let k = 0; k < 3; k++) if (r() < 0.6) items.splice(Math.floor(r() * (items.length + 1)), 0, refTo(templates));
        config[`j${j}`] = { script: items };
      }
      const text = Object.entries(config)
        .map(([name, job]) =>
          [`${name}:`, ...(name.startsWith('j') ? ['  variables: {A: ' + name + '}'] : []), ...Object.entries(job).map(([k, v]) => `  ${k}: [${v.map(yamlItem).join(', ')}]`)].join('\n'),
        )
        .join('\n')
        .concat('\n');
      const regions = readGitlabCi(text).regions;
      const seen = new Set<string>();
      for (let j = 0; j < 3; j++) {
        // A line is read once, where it is first reached (as an anchored one is): a second run of
        // the same text adds no builder and no flag the first did not.
        const lines = resolve(config, config[`j${j}`].script).filter((l) => !seen.has(l) && seen.add(l));
        const region = regions.find((g) => g.scope === `job:j${j}`);
        expect(region?.source.text.split('\n') ?? [], text).toEqual(lines);
        if (!region) continue;
        const run = runScript([`A=j${j}`, region.source.text].join('\n'));
        const kbx = Object.fromEntries((region.variables ?? []).map((v) => [v.name, v.value.text]));
        const ours = runScript([`A=${kbx.A ?? ''}`, region.source.text].join('\n'));
        expect(ours.calls, text).toEqual(run.calls);
      }
    }
  });
});

describe('localIncludes without parsing what cannot include', () => {
  it('finds an include key however it is spelled, and none where the text cannot hold one', () => {
    expect(localIncludes('include: a.yml\n')).toEqual(['a.yml']);
    expect(localIncludes('"incl\\x75de": [b.yml]\n')).toEqual(['b.yml']);
    expect(localIncludes('"\\u0069nclude":\n  - local: c.yml\n')).toEqual(['c.yml']);
    expect(localIncludes('.t: &t\n  include: d.yml\n<<: *t\n')).toEqual(['d.yml']);
    expect(localIncludes('job:\n  script: [docker buildx build .]\n')).toEqual([]);
    expect(localIncludes('"incl\\x75dx": e.yml\n')).toEqual([]);
  });
});
