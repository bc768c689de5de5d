/**
 * The YAML hosts compose one document at a time and keep no syntax tree (yaml-common.ts,
 * parseYaml): of the tree they need only the indentation a block scalar's explicit indicator
 * counts from. Differential: every scalar of every YAML file of the repository and of generated
 * documents (block scalars with and without indicators, at every depth, in sequences, mappings,
 * explicit keys and several documents) decodes as it does with the `yaml` package's own kept
 * tokens. Then the cost: a file of many documents holds the syntax tree of one at a time, and
 * variables defined once for many jobs or steps are not copied into each.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { isScalar, parseAllDocuments, type Scalar, visit } from 'yaml';
import { readGithubActions } from '../../server/src/hosts/github-actions';
import { readGitlabCi } from '../../server/src/hosts/gitlab-ci';
import { parseYaml, scalarText, yamlDocuments } from '../../server/src/hosts/yaml-common';
import { lint } from '../../server/src/engine/lint';
import { growth } from '../harness/cost';
import { decodeScalar } from '../../server/src/hosts/yaml-scalar';
import { mulberry32 } from '../harness/random';

const root = join(__dirname, '../..');

/** Every scalar's decoded text, by offset, as the host reads it. */
function hostScalars(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const doc of parseYaml(text).docs)
    visit(doc, {
      Scalar(_k, n) {
        if (n.range) out.set(n.range[0], JSON.stringify(scalarText(text, n)));
      },
    });
  return out;
}

/** The same through the syntax tree the `yaml` package keeps on request. */
function keptTokenScalars(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const doc of parseAllDocuments(text, { keepSourceTokens: true, uniqueKeys: false }) as ReturnType<typeof parseAllDocuments> & unknown[]) {
    if (!('contents' in doc) || doc.errors.length) return new Map();
    visit(doc, {
      Scalar(_k, n) {
        const tok = (n as Scalar & { srcToken?: { indent?: number } }).srcToken;
        if (n.range && isScalar(n)) out.set(n.range[0], JSON.stringify(decodeScalar(text, n, tok?.indent ?? 0)));
      },
    });
  }
  return out;
}

function blockScalarDoc(r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const header = () => `${pick(['|', '>'])}${pick(['', '1', '2', '4'])}${pick(['', '-', '+'])}`;
  const body = (indent: number) => {
    let s = '';
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) s += pick(['', `${' '.repeat(indent)}docker buildx build .`, `${' '.repeat(indent + 2)}--platform x`, `${' '.repeat(indent + 1)} y`, ' '.repeat(indent)]) + '\n';
    return s;
  };
  let t = '';
  const docs = 1 + Math.floor(r() * 3);
  for (let d = 0; d < docs; d++) {
    if (d) t += '---\n';
    const depth = Math.floor(r() * 4);
    let ind = 0;
    for (let k = 0; k < depth; k++) {
      t += pick([`${' '.repeat(ind)}k${k}:\n`, `${' '.repeat(ind)}- k${k}:\n`]);
      ind +=
        2 +
        (t.endsWith(':\n') &&
        t
          .slice(t.lastIndexOf('\n', t.length - 2) + 1)
          .trimStart()
          .startsWith('- ')
          ? 2
          : 0);
    }
    const form = Math.floor(r() * 3);
    if (form === 0) t += `${' '.repeat(ind)}run: ${header()}\n${body(ind + pick([1, 2, 4]))}`;
    else if (form === 1) t += `${' '.repeat(ind)}- ${header()}\n${body(ind + pick([1, 2, 4]))}`;
    else t += `${' '.repeat(ind)}? ${header()}\n${body(ind + 2)}${' '.repeat(ind)}: v\n`;
  }
  return t;
}

describe('YAML composed without its syntax tree', () => {
  it('decodes every scalar of the repository YAML files as with kept tokens', () => {
    const files = execFileSync('git', ['ls-files', '*.yml', '*.yaml'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    let scalars = 0;
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      const want = keptTokenScalars(text);
      scalars += want.size;
      expect([...hostScalars(text)], f).toEqual([...want]);
    }
    expect(scalars).toBeGreaterThan(200);
  });

  it('decodes generated block scalars with indentation indicators as with kept tokens (seed 0x796d)', () => {
    const r = mulberry32(0x796d);
    let compared = 0;
    for (let k = 0; k < 3000; k++) {
      const text = blockScalarDoc(r);
      const want = keptTokenScalars(text);
      if (!want.size) continue;
      compared++;
      expect([...hostScalars(text)], JSON.stringify(text)).toEqual([...want]);
    }
    expect(compared).toBeGreaterThan(1000);
  });
});

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The heap still held by what parseYaml returns. */
function retainedByParse(text: string): number {
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const r = parseYaml(text);
  gc();
  const after = process.memoryUsage().heapUsed - before;
  expect(r.docs.length).toBeGreaterThan(0);
  return after;
}

const manyDocuments = (n: number) => Array.from({ length: n }, (_, i) => `---\non: push\njobs:\n  b${i}:\n    runs-on: x\n    steps:\n      - run: docker buildx build -t r/a${i} .\n`).join('');

describe('YAML parse memory', () => {
  // The composed documents are what a reader keeps: about a third of what they held with the
  // syntax tree of every document kept beside them.
  it('keeps no syntax tree with the documents', () => {
    retainedByParse(manyDocuments(200));
    const held = retainedByParse(manyDocuments(4000));
    gc();
    const before = process.memoryUsage().heapUsed;
    const withTokens = parseAllDocuments(manyDocuments(4000), { keepSourceTokens: true, uniqueKeys: false });
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    expect(Array.isArray(withTokens)).toBe(true);
    expect(held / kept, `${(held / 1e6).toFixed(1)} MB against ${(kept / 1e6).toFixed(1)} MB`).toBeLessThan(0.75);
  });

  // A WeakRef keeps its target alive until the current job ends: each check waits for the next.
  const nextJob = () => new Promise((resolve) => setImmediate(resolve));
  it('hands out documents one at a time: the ones already read can be collected', async () => {
    const text = manyDocuments(400);
    const refs: WeakRef<object>[] = [];
    let mostAlive = 0;
    let count = 0;
    const it = yamlDocuments(text);
    for (let r = it.next(); !r.done; r = it.next()) {
      refs.push(new WeakRef(r.value));
      count++;
      if (count % 50 === 0) {
        await nextJob();
        gc();
        mostAlive = Math.max(mostAlive, refs.filter((w) => w.deref() !== undefined).length);
      }
    }
    expect(count).toBe(400);
    // The one just handed out, the one the composer holds back, and the one being composed.
    expect(mostAlive).toBeGreaterThan(0);
    expect(mostAlive).toBeLessThanOrEqual(3);
    // parseYaml, which returns them all, keeps every one: the check above can tell the two apart.
    const docs = parseYaml(text).docs;
    const all = docs.map((d) => new WeakRef(d));
    await nextJob();
    gc();
    expect(all.filter((w) => w.deref() !== undefined).length).toBe(400);
    expect(docs.length).toBe(400);
  });

  it('a syntax error in a later document still leaves the whole workflow unread', () => {
    const good = manyDocuments(3);
    const streamed = readGithubActions(`${good}---
on: [push
`);
    expect(streamed.regions).toEqual([]);
    expect(streamed.problems.map((p) => p.kind)).toEqual(['yaml-syntax']);
    expect(readGithubActions(good).regions.length).toBe(3);
  });
});

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';
/** n workflow variables over n steps; every step names one of them, the first step BUILDX_BUILDER's. */
const githubScopes = (n: number) => ({
  fileName: '.github/workflows/ci.yml',
  text: `on: push\nenv:\n  BUILDX_BUILDER: b\n${lines(n, (i) => `  P${i}: linux/amd64`)}jobs:\n  b:\n    runs-on: x\n    env:\n${lines(n >> 1, (i) => `      J${i}: j`)}    steps:\n${lines(n, (i) => `      - run: docker buildx build --platform $P${i} -t r/a${i} .\n        env: {S${i}: s}`)}`,
});
const gitlabScopes = (n: number) => ({
  fileName: '.gitlab-ci.yml',
  text: `variables:\n${lines(n, (i) => `  P${i}: linux/amd64`)}${lines(n, (i) => `j${i}:\n  variables: {Q${i}: $P${i}}\n  script:\n    - docker buildx build --platform $Q${i} -t r/a${i} .`)}`,
});

/** Jobs that each extend every template of a chain n long, each template with its own variables. */
const gitlabExtends = (n: number) => ({
  fileName: '.gitlab-ci.yml',
  text: `.long:\n  script:\n${lines(n, (l) => `    - docker buildx ls --format l${l}`)}${lines(n, (t) => `.t${t}:\n${t ? `  extends: .t${t - 1}\n` : ''}  variables: {V${t}: linux/amd64, W${t}: w}\n  script:\n    - docker buildx build --platform $V${t} -t r/t${t} .`)}${lines(n, (i) => `j${i}:\n  extends: [${Array.from({ length: 20 }, (_, t) => `.t${(i + t) % n}`).join(', ')}]`)}`,
});

/**
 * n templates referencing the ones before them (four deep, twice each), one n lines long, and n
 * jobs each referencing the long one and 20 others.
 */
const gitlabReferences = (n: number) => ({
  fileName: '.gitlab-ci.yml',
  text: `.long:\n  script:\n${lines(n, (l) => `    - docker buildx ls --format l${l}`)}${lines(n, (t) => `.t${t}:\n  script:\n    - docker buildx build --platform linux/amd64 -t r/t${t} .${t % 4 ? `\n    - !reference [.t${t - 1}, script]\n    - [!reference [.t${t - 1}, script]]` : ''}`)}${lines(n, (i) => `j${i}:\n  variables: {A: a${i}}\n  script:\n    - !reference [.long, script]\n${Array.from({ length: 20 }, (_, t) => `    - !reference [.t${(i + t) % n}, script]`).join('\n')}`)}`,
});

describe('YAML variables by scope', () => {
  it('a step gets the variables it names and those buildx reads, with their innermost values', () => {
    const { text } = githubScopes(3);
    const regions = readGithubActions(text).regions;
    expect(regions.map((r) => r.variables?.map((v) => `${v.name}=${v.value.text}`))).toEqual([
      ['BUILDX_BUILDER=b', 'P0=linux/amd64'],
      ['BUILDX_BUILDER=b', 'P1=linux/amd64'],
      ['BUILDX_BUILDER=b', 'P2=linux/amd64'],
    ]);
    const gl = readGitlabCi(gitlabScopes(2).text).regions;
    expect(gl.map((r) => r.variables?.map((v) => `${v.name}=${v.value.text}`))).toEqual([['Q0=linux/amd64'], ['Q1=linux/amd64']]);
  });

  it('GitHub Actions: 4× the steps under 4× the workflow variables costs about 4× the time', { timeout: 120_000 }, () => {
    const g = growth(githubScopes, (input) => lint(input), 500, { clock: 'cpu' });
    expect(g.ratio, g.describe).toBeLessThan(10);
  });

  it('GitLab CI: 4× the jobs under 4× the global variables costs about 4× the time', { timeout: 120_000 }, () => {
    const g = growth(gitlabScopes, (input) => lint(input), 500, { clock: 'cpu' });
    expect(g.ratio, g.describe).toBeLessThan(10);
  });

  it('GitLab CI: 4× the jobs referencing 4× the chained templates costs about 4× the time', { timeout: 120_000 }, () => {
    expect(readGitlabCi(gitlabReferences(8).text).regions.some((r) => r.source.text.split('\n').length > 1)).toBe(true);
    const g = growth(gitlabReferences, (input) => lint(input), 500, { clock: 'cpu' });
    expect(g.ratio, g.describe).toBeLessThan(10);
  });

  it('GitLab CI: 4× the jobs extending 4× the chained templates costs about 4× the time', { timeout: 120_000 }, () => {
    const g = growth(gitlabExtends, (input) => lint(input), 500, { clock: 'cpu' });
    expect(g.ratio, g.describe).toBeLessThan(10);
  });
});
