/**
 * `!reference` across the files of one GitLab configuration: a template of one file pulls the
 * script lists of another (`.templates: build: [docker buildx create …]`), as template
 * repositories publish them side by side for `include:`. GitLab resolves a reference over the
 * merged configuration (gitlab-org/gitlab lib/gitlab/ci/config/yaml/tags/reference.rb, after
 * `include:`), so the lines run in the job that names them; they are read in the file that holds
 * them, in that job's scope, with its variables. The oracle merges the files, resolves each
 * reference by digging into the merge, flattens the lists (config/entry/commands.rb) and runs the
 * job's script under real bash with a stub docker.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../server/src/cli/main';
import { isGitlabTemplate, readGitlabCi } from '../../server/src/hosts/gitlab-ci';
import { mulberry32 } from '../harness/random';
import { runScript } from '../harness/stub-docker';
import { shellAvailable } from '../harness/bash-oracle';

const scopes = (text: string, others: string[]) =>
  readGitlabCi(
    text,
    undefined,
    others.map((o) => ({ text: o })),
  ).regions.map((r) => [r.scope, r.source.text]);

const LIBRARY = [
  '.templates_buildx:',
  '  setup:',
  '    - docker buildx create --name "$BUILDER" --driver docker-container --use',
  '  build:',
  '    - !reference [.templates_buildx, setup]',
  '    - docker buildx build --platform "$PLATFORMS" -t r/app --push .',
  '    - docker buildx rm "$BUILDER"',
  '',
].join('\n');
const TEMPLATE = [
  '.build from dockerfile:',
  '  stage: build',
  '  variables:',
  '    BUILDER: ci',
  '    PLATFORMS: linux/amd64,linux/arm64',
  '  script:',
  '    - echo start',
  '    - !reference [.templates_buildx, build]',
  '',
].join('\n');

describe('GitLab CI: a template names script lists of another file with !reference', () => {
  it('knows a file of script lists by its !reference tags', () => {
    expect(isGitlabTemplate(LIBRARY)).toBe(true);
    expect(isGitlabTemplate('.lists:\n  build:\n    - docker buildx ls\n')).toBe(false);
  });

  it("reads the lines in the file that holds them, in the referencing template's scope, with its variables", () => {
    expect(scopes(LIBRARY, [TEMPLATE])).toEqual([
      [
        'job:.build from dockerfile',
        'docker buildx create --name "$BUILDER" --driver docker-container --use\ndocker buildx build --platform "$PLATFORMS" -t r/app --push .\ndocker buildx rm "$BUILDER"',
      ],
    ]);
    const region = readGitlabCi(LIBRARY, undefined, [{ text: TEMPLATE }]).regions[0];
    expect(Object.fromEntries((region.variables ?? []).map((v) => [v.name, v.value.text]))).toEqual({ BUILDER: 'ci', PLATFORMS: 'linux/amd64,linux/arm64' });
    // The template's own file reads its own line; the lines of the other file are not its own.
    expect(scopes(TEMPLATE, [LIBRARY])).toEqual([['job:.build from dockerfile', 'echo start']]);
    // Without the other file nothing names the lists: they are not scripts.
    expect(scopes(LIBRARY, [])).toEqual([]);
  });

  it('leaves a name both files define to the referencing file, and reads a list once', () => {
    const both = `${TEMPLATE}.templates_buildx:\n  build: [docker buildx ls]\n`;
    expect(scopes(LIBRARY, [both])).toEqual([]);
    const twice = `${TEMPLATE}second:\n  script:\n    - !reference [.templates_buildx, setup]\n`;
    const read = scopes(LIBRARY, [twice]).map(([, t]) => t);
    expect(
      read
        .join('\n')
        .split('\n')
        .filter((l) => l.includes('create')).length,
    ).toBe(1);
  });

  it.runIf(shellAvailable('bash'))('differential: random lists and jobs in two files, GitLab merge oracle, real bash', () => {
    const r = mulberry32(31);
    for (let n = 0; n < 12; n++) {
      // The library: .lib.k0 … k3, each a list of lines and references to earlier keys.
      const lib: Record<string, (string | string[])[]> = {};
      for (let k = 0; k < 4; k++) {
        const items: (string | string[])[] = [];
        const count = 1 + Math.floor(r() * 3);
        for (let i = 0; i < count; i++) items.push(k > 0 && r() < 0.3 ? ['.lib', `k${Math.floor(r() * k)}`] : `docker buildx ls --format "lib-k${k}-${i}"`);
        lib[`k${k}`] = items;
      }
      const jobs: Record<string, { script: (string | string[])[] }> = {};
      for (let j = 0; j < 3; j++) {
        const script: (string | string[])[] = [];
        for (let i = 0; i < 1 + Math.floor(r() * 4); i++) script.push(r() < 0.6 ? ['.lib', `k${Math.floor(r() * 4)}`] : `docker buildx du --filter "j${j}-${i}"`);
        jobs[`${r() < 0.5 ? '.' : ''}j${j}`] = { script };
      }
      const item = (x: string | string[]) => (typeof x === 'string' ? `      - '${x}'` : `      - !reference [${x.join(', ')}]`);
      const libText =
        '.lib:\n' +
        Object.entries(lib)
          .map(([k, items]) => `  ${k}:\n${items.map((x) => item(x).slice(2)).join('\n')}`)
          .join('\n') +
        '\n';
      const jobText =
        Object.entries(jobs)
          .map(([name, job]) => `${name}:\n  stage: build\n  script:\n${job.script.map((x) => item(x).slice(2)).join('\n')}`)
          .join('\n') + '\n';
      // GitLab's resolution: dig into the merged configuration, flatten.
      const resolve = (items: (string | string[])[]): string[] => items.flatMap((x) => (typeof x === 'string' ? [x] : resolve(lib[x[1]])));
      const inLib = readGitlabCi(libText, undefined, [{ text: jobText }]).regions;
      const inJobs = readGitlabCi(jobText, undefined, [{ text: libText }]).regions;
      const claimed = new Set<string>();
      for (const name of Object.keys(jobs)) {
        const lines = resolve(jobs[name].script);
        const context = `${libText}---\n${jobText}`;
        // The job's own lines are read in its file, the library's in the library, each line once
        // (a list two references bring in is one list of the file: the first job to run it reads it).
        const own = lines.filter((l) => !l.includes('lib-'));
        const fromLib: string[] = [];
        for (const l of lines)
          if (l.includes('lib-') && !claimed.has(l)) {
            claimed.add(l);
            fromLib.push(l);
          }
        const text = (regions: typeof inLib) => regions.find((g) => g.scope === `job:${name}`)?.source.text.split('\n') ?? [];
        expect(text(inJobs), context).toEqual(own);
        expect(text(inLib), context).toEqual(fromLib);
        // And what bash runs of the library's part is what the job runs of it.
        const region = inLib.find((g) => g.scope === `job:${name}`);
        if (region) expect(runScript(region.source.text).calls, context).toEqual(runScript(fromLib.join('\n')).calls);
      }
    }
  });
});

describe('a directory walk gives a template its folder’s other GitLab files', () => {
  it('reports a wrong value in the list another template of the folder pulls in', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kbx-ref-'));
    try {
      const put = (p: string, text: string) => {
        mkdirSync(join(dir, p, '..'), { recursive: true });
        writeFileSync(join(dir, p), text);
      };
      // The root includes the templates from another project: no local include names them.
      put('.gitlab-ci.yml', "include:\n  - project: group/templates\n    file: ['.gitlab/templates/lib.yml', '.gitlab/templates/build.yml']\nstages: [build]\n");
      put('.gitlab/templates/lib.yml', LIBRARY.replace('--driver docker-container', '--driver kubernetes --driver-opt nodeselector=a=b,c=d'));
      put('.gitlab/templates/build.yml', TEMPLATE);
      let out = '';
      const code = main(
        ['--no-color', '--format', 'concise', dir],
        (s) => (out += s),
        () => {},
      );
      expect(out).toContain('lib.yml:3:');
      expect(out).toContain('KBX101');
      expect(code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
