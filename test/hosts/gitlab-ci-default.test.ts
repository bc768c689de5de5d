/**
 * `default: before_script:` runs in the shell of every job that inherits it, before the job's
 * script, so a builder it creates with `--use` is the one the job's builds run on. The oracle
 * follows GitLab's rules (CI/CD YAML reference, `default` and `inherit:default`; gitlab-org/gitlab
 * lib/gitlab/ci/config/entry/processable.rb): a job's own before_script, else its templates'
 * (`extends`, the last winning), else default's unless `inherit: default:` is `false` or a list
 * without `before_script`. Each before_script creates and selects a builder of its own name.
 */
import { describe, expect, it } from 'vitest';
import { explainFile } from '../../server/src/engine/explain';
import { readGitlabCi } from '../../server/src/hosts/gitlab-ci';
import { modelOf } from '../harness/lint-helpers';

const CI = '.gitlab-ci.yml';

type Inherit = undefined | false | true | string[];
type Case = { own: boolean; template: boolean; inherit: Inherit; topLevel: boolean };

/** The builder the job's `docker buildx build` runs on, by GitLab's rules. */
function oracle(c: Case): string | null {
  if (c.own) return 'own';
  if (c.template) return 'tmpl';
  if (c.inherit === false || (Array.isArray(c.inherit) && !c.inherit.includes('before_script'))) return null;
  return 'dflt';
}

function config(c: Case): string {
  const create = (name: string) => [`  before_script:`, `    - docker buildx create --name ${name} --driver docker-container --use`];
  const lines = c.topLevel ? ['before_script:', '  - docker buildx create --name dflt --driver docker-container --use'] : ['default:', ...create('dflt')];
  lines.push('.tmpl:', ...(c.template ? create('tmpl') : ['  variables: {A: a}']));
  lines.push('build:', '  extends: .tmpl');
  if (c.inherit !== undefined) lines.push(`  inherit:`, `    default: ${Array.isArray(c.inherit) ? `[${c.inherit.join(', ')}]` : c.inherit}`);
  if (c.own) lines.push(...create('own'));
  lines.push('  script:', '    - docker buildx build -t app .', '');
  return lines.join('\n');
}

const cases: Case[] = [];
for (const own of [false, true])
  for (const template of [false, true])
    for (const inherit of [undefined, true, false, ['image'], ['image', 'before_script']] as Inherit[]) for (const topLevel of [false, true]) cases.push({ own, template, inherit, topLevel });

describe('GitLab CI default: before_script runs before the job', () => {
  for (const c of cases) {
    const want = oracle(c);
    it(`own ${c.own}, template ${c.template}, inherit ${JSON.stringify(c.inherit)}, ${c.topLevel ? 'top-level' : 'default:'}: ${want ?? 'no builder'}`, () => {
      const text = config(c);
      const build = explainFile(CI, modelOf(text, CI)).find((i) => i.command === 'build');
      expect(build, text).toBeDefined();
      expect(build?.builder?.name, text).toBe(want);
    });
  }

  it('never runs default: after_script before a job', () => {
    const text = [
      'default:',
      '  before_script:',
      '    - docker buildx create --name dflt --use',
      '  after_script:',
      '    - docker buildx rm dflt',
      'build:',
      '  script:',
      '    - docker buildx build -t app .',
      '',
    ].join('\n');
    expect(readGitlabCi(text).regions.map((r) => r.scope)).toEqual(['default', 'default:after_script', 'job:build']);
    const build = explainFile(CI, modelOf(text, CI)).find((i) => i.command === 'build')!;
    expect(build.builder?.name).toBe('dflt');
  });
});
