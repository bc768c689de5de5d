/**
 * GitLab CI `extends` that GitLab rejects: a chain past MAX_NESTING_LEVELS and a cycle
 * (gitlab-org/gitlab lib/gitlab/ci/config/extendable/entry.rb). The whole configuration is
 * rejected, so no job is read and one KBX614 names the offending `extends`.
 */
import { describe, expect, it } from 'vitest';
import { readGitlabCi } from '../../server/src/hosts/gitlab-ci';
import { growth } from '../harness/cost';
import { lintText } from '../harness/lint-helpers';

const CI = '.gitlab-ci.yml';

/**
 * `build` extends `.t1`, which extends `.t2`, … `.tN`, whose script builds: N `extends` steps.
 * In GitLab's terms the last template that extends one more has N - 1 ancestors.
 */
function chain(steps: number): string {
  const lines = ['build:', '  extends: .t1', '  stage: build'];
  for (let i = 1; i < steps; i++) lines.push(`.t${i}:`, `  extends: .t${i + 1}`);
  lines.push(`.t${steps}:`, '  script:', '    - docker buildx build --tag a:1 .');
  return `${lines.join('\n')}\n`;
}

const lineCol = (text: string, at: number) => {
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
};

describe('GitLab CI extends limits', () => {
  it('ten ancestors that extend (eleven steps) run: the script is read, nothing reported', () => {
    const text = chain(11);
    const r = readGitlabCi(text);
    expect(r.problems).toEqual([]);
    expect(r.regions.map((x) => x.source.text)).toEqual(['docker buildx build --tag a:1 .']);
    expect(r.regions[0].scope).toBe('job:build');
    expect(lintText(text, CI).diagnostics.filter((d) => d.code === 'KBX614')).toEqual([]);
  });

  it('eleven ancestors that extend (twelve steps): nesting too deep, no job read, at the 12th extends', () => {
    const text = chain(12);
    const r = readGitlabCi(text);
    expect(r.regions).toEqual([]);
    expect(r.problems).toHaveLength(1);
    const p = r.problems[0];
    expect(p.kind).toBe('gitlab-extends');
    expect(p.message).toMatch(/nesting too deep in `extends`/);
    expect(p.message).toContain('`build`');
    // The `extends` of `.t11` (eleven ancestors), naming `.t12`.
    expect(text.slice(p.span.start, p.span.end)).toBe('.t12');
    const at = text.indexOf('.t11:\n  extends: .t12') + '.t11:\n  extends: '.length;
    expect(p.span.start).toBe(at);
    const ds = lintText(text, CI).diagnostics;
    expect(ds.map((d) => d.code)).toEqual(['KBX614']);
    expect(ds[0].severity).toBe('error');
    expect(ds[0].span.start).toBe(at);
    // `.t11:` is line 24; its `extends: .t12` line 25, the name at column 12.
    expect(lineCol(text, ds[0].span.start)).toEqual({ line: 25, column: 12 });
  });

  it('a 2-cycle: circular dependency, at the extends that closes it, no job read', () => {
    const text = [
      '.a:',
      '  extends: .b',
      '  script:',
      '    - docker buildx build .',
      '.b:',
      '  extends: [.c, .a]',
      '.c:',
      '  image: docker:27',
      'build:',
      '  extends: .a',
      '  script:',
      '    - docker buildx build --tag b .',
      '',
    ].join('\n');
    const r = readGitlabCi(text);
    expect(r.regions).toEqual([]);
    expect(r.problems).toHaveLength(1);
    const p = r.problems[0];
    expect(p.kind).toBe('gitlab-extends');
    expect(p.message).toMatch(/circular dependency detected in `extends`/);
    expect(p.span.start).toBe(text.indexOf('.a]'));
    expect(text.slice(p.span.start, p.span.end)).toBe('.a');
    expect(lintText(text, CI).diagnostics.map((d) => d.code)).toEqual(['KBX614']);
  });

  it('a self-cycle: a job that extends itself is rejected', () => {
    const text = 'build:\n  extends: build\n  script:\n    - docker buildx build .\nother:\n  script:\n    - docker buildx ls\n';
    const r = readGitlabCi(text);
    expect(r.regions).toEqual([]);
    expect(r.problems.map((p) => [p.kind, text.slice(p.span.start, p.span.end)])).toEqual([['gitlab-extends', 'build']]);
    expect(r.problems[0].span.start).toBe(text.indexOf('extends: build') + 'extends: '.length);
  });

  it('a diamond and a template of another file are no cycle', () => {
    const text = ['.a:', '  image: x', '.b:', '  extends: .a', '.c:', '  extends: .a', 'build:', '  extends: [.b, .c, .included]', '  script:', '    - docker buildx build .', ''].join('\n');
    const r = readGitlabCi(text);
    expect(r.problems).toEqual([]);
    expect(r.regions).toHaveLength(1);
  });

  it('a 20,000-step chain is reported, in time linear in its length', { timeout: 120_000 }, () => {
    const r = readGitlabCi(chain(20_000));
    expect(r.regions).toEqual([]);
    expect(r.problems.map((p) => p.kind)).toEqual(['gitlab-extends']);
    const g = growth(chain, (text) => readGitlabCi(text), 5_000, { clock: 'cpu' });
    expect(g.ratio, g.describe).toBeLessThan(10);
  });
});
