/**
 * The builder-graph walk resumed at a spliced statement (buildx/graph/walk.ts
 * `resumeBuilderGraph`) against a fresh full lint of the same text. Seeded random edits retype
 * builder names, drivers, node names and platforms of creates, builds and the other builder
 * commands of generated scripts in which every builder is read by later commands (appends, builds,
 * `use`, `rm`, `inspect`), so that the walk after the edited statement meets another state; after
 * each edit the diagnostics, the view the language server keeps (`viewOf`, the builder graph
 * included) and the lint thread's view (`DocumentLints.view`) must equal those of the full lint.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../server/src/engine/config';
import { IncrementalLint } from '../../server/src/engine/incremental';
import { lintIfBuildx } from '../../server/src/engine/lint';
import { DocumentLints, viewOf } from '../../server/src/lsp/lint-job';
import { mulberry32 } from '../harness/random';

type Rnd = () => number;
const pick = <T>(rnd: Rnd, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

const canonical = (v: unknown) => JSON.stringify(v, (_k, x) => (x instanceof Int32Array ? [...x] : x instanceof Map ? [...x] : x instanceof Set ? [...x] : typeof x === 'bigint' ? String(x) : x));

/** Names of one letter and one digit: a retyped character names another builder of the script (or a new one). */
const NAMES = ['b1', 'b2', 'b3', 'c1', 'c2'];
const DRIVERS = ['kubernetes', 'docker-container'];

/** A script whose builder commands read what the commands before them did, between ordinary lines. */
function graphScript(seed: number, commands: number): string {
  const rnd = mulberry32(seed);
  const out = ['#!/usr/bin/env bash', 'set -euo pipefail', 'TAG="$(git rev-parse HEAD)"'];
  for (let i = 0; i < commands; i++) {
    const name = pick(rnd, NAMES);
    const arch = pick(rnd, ['amd64', 'arm64']);
    const r = rnd();
    if (r < 0.3) {
      const driver = pick(rnd, DRIVERS);
      const opts = driver === 'kubernetes' ? ` --driver-opt namespace=ci,"nodeselector=kubernetes.io/arch=${arch}"` : '';
      out.push(`docker buildx create --name ${name} --driver ${driver} --node n${i % 10} --platform linux/${arch}${opts}`);
    } else if (r < 0.42) out.push(`docker buildx create --append --name ${name} --node m${i % 10} --platform linux/${arch}`);
    else if (r < 0.72) out.push(`docker buildx build --builder ${name} --platform linux/${arch} -t "reg/app${i}:$TAG" --push .`);
    else if (r < 0.8) out.push(`docker buildx use ${name}`);
    else if (r < 0.86) out.push(`docker buildx rm ${name}`);
    else if (r < 0.92) out.push(`docker buildx inspect --bootstrap ${name}`);
    else if (r < 0.96) out.push(`if [ -n "\${CI:-}" ]; then docker buildx rm ${name}; fi`);
    else out.push(`docker buildx build --platform linux/${arch} -t "reg/app${i}:$TAG" .`);
    out.push(pick(rnd, ['echo "ordinary line"', `mkdir -p out/${i} && cp -r assets out/${i}/`, '# a comment']));
  }
  out.push('echo done');
  return `${out.join('\n')}\n`;
}

/** A same-length retyping on a buildx line: the program, a digit or a letter of a name, a driver, an architecture. */
function edit(rnd: Rnd, text: string): string {
  const lines = text.split('\n');
  const docker = lines.map((l, n) => (/^docke[rx] buildx/.test(l) ? n : -1)).filter((n) => n >= 0);
  const n = pick(rnd, docker);
  const line = lines[n];
  const r = rnd();
  // A program that is not docker: the command stops being one the graph walks, or starts again.
  if (r < 0.08 || line.startsWith('dockex')) {
    lines[n] = line.startsWith('dockex') ? `docker${line.slice(6)}` : `dockex${line.slice(6)}`;
    return lines.join('\n');
  }
  const name = /(--name|--builder|use|rm|--bootstrap) ([bc])([0-9])/.exec(line);
  if (r < 0.5 && name) {
    const typed = rnd() < 0.5 ? `${name[2] === 'b' ? 'c' : 'b'}${name[3]}` : `${name[2]}${(Number(name[3]) + 1 + Math.floor(rnd() * 3)) % 10}`;
    lines[n] = line.slice(0, name.index) + `${name[1]} ${typed}` + line.slice(name.index + name[0].length);
  } else if (r < 0.6 && line.includes('arm64')) lines[n] = line.replace('arm64', 'amd64');
  else if (r < 0.7 && line.includes('amd64')) lines[n] = line.replace('amd64', 'arm64');
  else {
    const col = Math.floor(rnd() * line.length);
    const ch = line[col] ?? '';
    if (/[0-9]/.test(ch)) lines[n] = line.slice(0, col) + String((Number(ch) + 1) % 10) + line.slice(col + 1);
    else if (/[a-z]/.test(ch)) lines[n] = line.slice(0, col) + String.fromCharCode(97 + ((ch.charCodeAt(0) - 96) % 26)) + line.slice(col + 1);
  }
  return lines.join('\n');
}

describe('a spliced re-lint resumes the builder-graph walk at the edited statement', () => {
  it('equals a full lint after random edits of builder names, drivers and platforms', () => {
    let resumed = 0;
    let spliced = 0;
    let changed = 0;
    const codes = new Set<string>();
    for (const seed of [1, 2, 3, 4]) {
      let text = graphScript(seed, 40);
      const name = `graph-${seed}.sh`;
      const rnd = mulberry32(900 + seed);
      const inc = new IncrementalLint();
      const lints = new DocumentLints();
      const uri = `file:///project/${name}`;
      const job = () => ({ uri, text, fileName: name, languageId: undefined, config: DEFAULT_CONFIG });
      inc.update({ text, fileName: name }, DEFAULT_CONFIG);
      lints.lint(job());
      for (let i = 0; i < 40; i++) {
        const next = edit(rnd, text);
        if (next === text) continue;
        text = next;
        changed++;
        const got = inc.update({ text, fileName: name }, DEFAULT_CONFIG);
        const want = lintIfBuildx({ text, fileName: name }, DEFAULT_CONFIG);
        for (const d of want.diagnostics) codes.add(d.code);
        const where = `${name}, edit ${i}`;
        expect(got.diagnostics, where).toEqual(want.diagnostics);
        expect(got.internalErrors, where).toEqual(want.internalErrors);
        const view = canonical({ ...viewOf(want, 0), ms: 0 });
        if (got.result) expect(canonical({ ...viewOf(got.result, 0), ms: 0 }), where).toBe(view);
        expect(lints.lint(job()).diagnostics, where).toEqual(want.diagnostics);
        expect(canonical({ ...lints.view(uri, text), ms: 0 }), where).toBe(view);
      }
      resumed += inc.stats.graphResumed;
      spliced += inc.stats.spliced;
    }
    // The edits change what the graph reads: appends to missing builders and existing nodes, missing nodes, drivers.
    for (const code of ['KBX403', 'KBX404', 'KBX405', 'KBX407']) expect(codes.has(code), code).toBe(true);
    expect(changed).toBeGreaterThan(100);
    expect(spliced).toBeGreaterThan(changed / 2);
    // Most splices changed the graph's inputs, and the walk was resumed for them.
    expect(resumed).toBeGreaterThan(spliced / 3);
  }, 300_000);

  it('takes back what an edited statement wrote when the walk no longer reads it', () => {
    // `rm` retyped to a program that is not docker: the build after it meets the builder again.
    const text = '#!/bin/bash\ndocker buildx create --name b1 --driver docker-container\necho a\ndocker buildx rm b1\necho b\ndocker buildx build --builder b1 .\n';
    const inc = new IncrementalLint();
    const first = inc.update({ text, fileName: 'rm.sh' }, DEFAULT_CONFIG);
    expect(first.diagnostics.map((d) => d.code)).toContain('KBX428');
    for (const next of [text.replace('docker buildx rm', 'dockex buildx rm'), text]) {
      const got = inc.update({ text: next, fileName: 'rm.sh' }, DEFAULT_CONFIG);
      const want = lintIfBuildx({ text: next, fileName: 'rm.sh' }, DEFAULT_CONFIG);
      expect(got.diagnostics).toEqual(want.diagnostics);
      expect(canonical({ ...viewOf(got.result!, 0), ms: 0 })).toBe(canonical({ ...viewOf(want, 0), ms: 0 }));
    }
    expect(inc.stats.graphResumed).toBeGreaterThan(0);
  });
});
