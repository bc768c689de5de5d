/**
 * Directory walks find the YAML CI hosts: workflows and composite actions under hidden `.github/`,
 * GitLab CI files, and YAML files a GitLab CI file includes by local path; a file named alone on
 * the command line and an editor's open document are known as included the same way.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discover } from '../../server/src/cli/discover';
import { main } from '../../server/src/cli/main';
import { includePattern, walk } from '../../server/src/cli/walk';
import { mulberry32 } from '../harness/random';
import { languageOf } from '../../server/src/lsp/server';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kbx-yaml-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const BAD_STEP = '      - run: docker buildx create --driver kubernetes --driver-opt nodeselector=a=b,c=d\n';
const put = (p: string, text: string) => {
  mkdirSync(join(dir, p, '..'), { recursive: true });
  writeFileSync(join(dir, p), text);
};

describe('YAML discovery', () => {
  it('walks .github/ and finds workflows, composite actions and GitLab files, not other YAML', () => {
    put('.github/workflows/ci.yml', 'jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n' + BAD_STEP);
    put('.github/actions/setup/action.yaml', 'runs:\n  using: composite\n  steps: []\n');
    put('.gitlab-ci.yml', 'include:\n  - local: /ci/build.yml\n  - local: ci/parts/*.yaml\n  - remote: https://example.com/x.yml\n  - project: g/p\n    file: /ci/other.yml\n');
    put('ci/build.yml', 'include: ci/deep.yml\nb:\n  script: [docker buildx ls]\n');
    put('ci/deep.yml', 'd:\n  script: [docker buildx ls]\n');
    put('ci/parts/one.yaml', 'o:\n  script: [docker buildx ls]\n');
    put('ci/other.yml', 'x: 1\n');
    put('config/settings.yml', 'docker buildx build: no\n');
    const { files } = discover([dir], { ignoreGlobs: [] });
    const found = Object.fromEntries(files.map((f) => [relative(dir, f.path), f.languageId]));
    expect(found).toEqual({
      '.github/workflows/ci.yml': 'github-actions',
      '.github/actions/setup/action.yaml': 'github-actions',
      '.gitlab-ci.yml': 'gitlab-ci',
      'ci/build.yml': 'gitlab-ci',
      'ci/deep.yml': 'gitlab-ci',
      'ci/parts/one.yaml': 'gitlab-ci',
    });
  });

  it('lints a workflow found by the walk, with the position in the YAML file', () => {
    put('.github/workflows/ci.yml', 'jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n' + BAD_STEP);
    let out = '';
    const code = main(
      ['--no-color', dir],
      (s) => (out += s),
      () => {},
    );
    expect(code).toBe(1);
    expect(out).toContain('ci.yml:5:85: error:');
    expect(out).toContain('KBX101');
  });

  it("reads a template of one included file in the jobs of another, with the pipeline's variables", () => {
    put('.gitlab-ci.yml', 'include:\n  - local: ci/base.yml\n  - local: /ci/web.yml\nvariables:\n  REG: registry.example.com\n');
    put('ci/base.yml', '.build:\n  variables:\n    PLATFORMS: linux/amd64\n  script:\n    - docker buildx build --platform "$PLATFORMS" -t "$REG/$APP:1" --push "$APP"\n');
    put('ci/web.yml', 'web:\n  extends: .build\n  variables:\n    APP: Web\n');
    for (const args of [[dir], [join(dir, 'ci/base.yml')]]) {
      let out = '';
      main(
        ['--no-color', '--format', 'json', ...args],
        (s) => (out += s),
        () => {},
      );
      const found = JSON.parse(out).diagnostics.map(
        (d: { file: string; line: number; rule: string; message: string }) => `${d.file.replace(/^.*ci\//, 'ci/')}:${d.line}:${d.rule}:${d.message.split(';')[0]}`,
      );
      // The job's APP and the root's REG reach the template's script; the finding points at the template.
      expect(found).toEqual(['ci/base.yml:1:KBX505:tag "registry.example.com/Web:1" has upper-case letters in the repository name']);
    }
  });

  it('a workflow using only build-push-action is not skipped by the pre-filter', () => {
    put(
      '.github/workflows/ci.yml',
      'jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          platforms: linux/amd64,linux/arm64\n          load: true\n',
    );
    let out = '';
    main(
      ['--no-color', dir],
      (s) => (out += s),
      () => {},
    );
    expect(out).toContain('KBX520');
  });
});

describe('a YAML file named alone, or open in an editor, that the root pipeline includes', () => {
  // An unclosed quote in a GitLab script: a finding only the GitLab host gives.
  const BROKEN = 'b:\n  script:\n    - docker buildx build --tag "x .\n';
  const run = (...paths: string[]) => {
    let out = '';
    let err = '';
    const code = main(
      ['--no-color', ...paths],
      (s) => (out += s),
      (s) => (err += s),
    );
    return { code, out, err };
  };

  it('is read as GitLab CI through direct, nested and glob includes, and the others stay unknown', () => {
    mkdirSync(join(dir, '.git'));
    put('.gitlab-ci.yml', 'include:\n  - local: /ci/build.yml\n  - local: templates/*.yml\n');
    put('ci/build.yml', 'include: ci/deep.yml\n' + BROKEN);
    put('ci/deep.yml', BROKEN);
    put('templates/job.yml', BROKEN);
    put('ci/alone.yml', BROKEN);
    for (const f of ['ci/build.yml', 'ci/deep.yml', 'templates/job.yml']) {
      const r = run(join(dir, f));
      expect([f, r.code, r.out.includes('KBX601')]).toEqual([f, 1, true]);
      expect(languageOf('yaml', join(dir, f))).toBe('gitlab-ci');
    }
    const alone = run(join(dir, 'ci/alone.yml'));
    expect(alone.out).not.toContain('KBX601');
    expect(alone.err).toContain('not a shell script, Makefile, CI file or Markdown file');
    expect(languageOf('yaml', join(dir, 'ci/alone.yml'))).toBeNull();
    // The start-up walk reads no YAML: it leaves a lone YAML path to the walk that does.
    expect(walk([join(dir, 'ci/build.yml')], { ignoreGlobs: [] }, null).includesPending).toBe(true);
    expect(walk([join(dir, 'run.sh')], { ignoreGlobs: [] }, null).includesPending).toBeUndefined();
    // Text on standard input named after the included file, as an editor integration sends it.
    const piped = (name: string) =>
      spawnSync(process.execPath, [join(__dirname, '../../dist/kbx-lint.js'), '--no-color', '--stdin-filename', name, '-'], { cwd: dir, input: BROKEN, encoding: 'utf8' });
    // Only the GitLab host sees the docker command of the script (it has no build context).
    expect(piped('ci/build.yml').stdout).toContain('KBX526');
    // Any other YAML name is skipped as that file would be: YAML is never read as shell.
    const alonePiped = piped('ci/alone.yml');
    expect([alonePiped.stdout, alonePiped.stderr]).toEqual(['', expect.stringContaining('ci/alone.yml: skipped: not a shell script, Makefile, CI file or Markdown file')]);
  });

  it('follows every root pipeline up to the repository root, and none beyond it', () => {
    put('.gitlab-ci.yml', 'include: repo/sub/ci/outside.yml\n');
    mkdirSync(join(dir, 'repo/.git'), { recursive: true });
    put('repo/.gitlab-ci.yml', 'include:\n  - local: sub/ci/jobs.yml\n');
    // A sub-project's own pipeline that does not include it does not hide the root's include.
    put('repo/sub/.gitlab-ci.yml', 'x:\n  script: [true]\n');
    put('repo/sub/ci/jobs.yml', BROKEN);
    put('repo/sub/ci/outside.yml', BROKEN);
    expect(languageOf('yaml', join(dir, 'repo/sub/ci/jobs.yml'))).toBe('gitlab-ci');
    expect(languageOf('yaml', join(dir, 'repo/sub/ci/outside.yml'))).toBeNull();
  });

  it('sees an edit of the root pipeline on disk at the next question', () => {
    put('.gitlab-ci.yml', 'include: ci/a.yml\n');
    put('ci/a.yml', BROKEN);
    put('ci/b.yml', BROKEN);
    expect(languageOf('yaml', join(dir, 'ci/b.yml'))).toBeNull();
    // A different size, so the change shows even within the file system's time resolution.
    put('.gitlab-ci.yml', 'include: [ci/a.yml, ci/b.yml]\n');
    expect(languageOf('yaml', join(dir, 'ci/b.yml'))).toBe('gitlab-ci');
  });
});

describe('a child pipeline (trigger: include:) is GitLab CI of the project', () => {
  it('is found by the walk and by name, in every form GitLab takes; artifact: and project: are not files', () => {
    put(
      '.gitlab-ci.yml',
      [
        'build-child:',
        '  trigger:',
        '    include: ci/child.yml',
        'many:',
        '  trigger:',
        '    include:',
        '      - local: /ci/second.yml',
        '      - ci/third.yml',
        '      - artifact: ci/generated.yml',
        '        job: gen',
        '      - project: other/group',
        '        file: ci/theirs.yml',
        '    strategy: depend',
        'downstream:',
        '  trigger: other/project',
        '',
      ].join('\n'),
    );
    for (const f of ['ci/child.yml', 'ci/second.yml', 'ci/third.yml', 'ci/generated.yml', 'ci/theirs.yml']) put(f, 'j:\n  script: [docker buildx ls]\n');
    const { files } = discover([dir], { ignoreGlobs: [] });
    expect(files.map((f) => relative(dir, f.path)).sort()).toEqual(['.gitlab-ci.yml', 'ci/child.yml', 'ci/second.yml', 'ci/third.yml']);
    expect(languageOf('yaml', join(dir, 'ci/second.yml'))).toBe('gitlab-ci');
    expect(languageOf('yaml', join(dir, 'ci/generated.yml'))).toBeNull();
  });
});

describe('GitLab templates published for other projects to include', () => {
  const JOB = '.build:\n  stage: build\n  script:\n    - docker buildx build --tag "x .\n';
  it('are GitLab CI when the path says GitLab and the content is jobs; other YAML is not', () => {
    put('gitlab-ci/docker.yml', JOB);
    put('.gitlab/ci/child.yml', 'build:\n  image: docker:27\n  script: docker buildx ls\n');
    put('templates/gitlab-component.yml', 'spec:\n  inputs:\n    platforms:\n      default: linux/amd64\n---\nb:\n  script: [docker buildx ls]\n');
    // Shapes that hold a script: key but are no pipeline, under GitLab-named folders.
    put('gitlab/values.yaml', 'backup:\n  script: /usr/bin/backup.sh\n  schedule: daily\n');
    put('.gitlab/agents/prod/config.yaml', 'ci_access:\n  projects:\n    - id: g/p\n');
    put('gitlab/roles/runner/tasks/main.yml', '- name: run\n  script: setup.sh\n  when: ready\n');
    // Jobs, but nothing in the path says GitLab: left alone (most YAML is not a pipeline).
    put('templates/docker.yml', JOB);
    const { files } = discover([dir], { ignoreGlobs: [] });
    expect(files.map((f) => [relative(dir, f.path), f.languageId]).sort()).toEqual([
      ['.gitlab/ci/child.yml', 'gitlab-ci'],
      ['gitlab-ci/docker.yml', 'gitlab-ci'],
      ['templates/gitlab-component.yml', 'gitlab-ci'],
    ]);
    // The start-up walk cannot read them and leaves them to the full walk.
    expect(walk([dir], { ignoreGlobs: [] }, null).includesPending).toBe(true);
  });

  it('named alone or open in the editor, with the path counted from the repository root', () => {
    mkdirSync(join(dir, 'gitlab-stuff/repo/.git'), { recursive: true });
    put('gitlab-stuff/repo/gitlab-ci/docker.yml', JOB);
    put('gitlab-stuff/repo/ci/docker.yml', JOB);
    expect(languageOf('yaml', join(dir, 'gitlab-stuff/repo/gitlab-ci/docker.yml'))).toBe('gitlab-ci');
    // The checkout's own folder name says GitLab; the file's path in the repository does not.
    expect(languageOf('yaml', join(dir, 'gitlab-stuff/repo/ci/docker.yml'))).toBeNull();
    // A template repository named for GitLab: its root's own name counts.
    mkdirSync(join(dir, 'gitlab-includes/.git'), { recursive: true });
    put('gitlab-includes/docker-build.yml', JOB);
    expect(languageOf('yaml', join(dir, 'gitlab-includes/docker-build.yml'))).toBe('gitlab-ci');
    expect(discover([join(dir, 'gitlab-includes')], { ignoreGlobs: [] }).files.map((f) => relative(dir, f.path))).toEqual(['gitlab-includes/docker-build.yml']);
    let out = '';
    const code = main(
      ['--no-color', join(dir, 'gitlab-stuff/repo/gitlab-ci/docker.yml')],
      (s) => (out += s),
      () => {},
    );
    expect([code, out.includes('KBX601')]).toEqual([1, true]);
  });
});

describe('include: globs', () => {
  // The reference: the glob as a regular expression, fine on inputs this small.
  const reference = (dir: string, p: string) =>
    new RegExp(
      '^' +
        join(dir, p)
          .split(/(\*\*|\*)/)
          .map((x) => (x === '**' ? '.*' : x === '*' ? '[^/]*' : x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
          .join('') +
        '$',
    );

  it('match exactly what the regular expression of the glob matches, on random globs and paths', () => {
    const rnd = mulberry32(7);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    for (let k = 0; k < 3000; k++) {
      const glob = Array.from({ length: 1 + Math.floor(rnd() * 7) }, () => pick(['a', 'b', '/', '*', '**', '.y', 'a/'])).join('');
      const file = '/r/' + Array.from({ length: 1 + Math.floor(rnd() * 10) }, () => pick(['a', 'b', '/', '.y', 'ab'])).join('');
      if (glob.startsWith('/') || /\/\/|\/$/.test(glob) || /\/\/|\/$/.test(file) || /(^|\/)\.{1,2}(\/|$)/.test(glob + '/' + file)) continue;
      expect([glob, file, includePattern('/r', glob).test(file)]).toEqual([glob, file, reference('/r', glob).test(file)]);
    }
  });

  it('of many stars against a long name that does not match end at once, in the walk and by name', () => {
    put('.gitlab-ci.yml', `include: '${'*a'.repeat(25)}*b.yml'\n`);
    put(`${'a'.repeat(40)}.yml`, 'j:\n  script: [docker buildx ls]\n');
    expect(discover([dir], { ignoreGlobs: [] }).files.map((f) => relative(dir, f.path))).toEqual(['.gitlab-ci.yml']);
    expect(languageOf('yaml', join(dir, `${'a'.repeat(40)}.yml`))).toBeNull();
  });
});
