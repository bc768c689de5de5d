/**
 * Directory walks find the YAML CI hosts: workflows and composite actions under hidden `.github/`,
 * GitLab CI files, and YAML files a GitLab CI file includes by local path.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { discover } from '../../server/src/cli/discover';
import { main } from '../../server/src/cli/main';

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
