/**
 * What a spliced re-lint reuses of the previous one, against a fresh full lint of the same text:
 * the builder graph kept across an edit of a build's platforms, each statement's command list and
 * touchesGraph answer (graph/walk.ts), each invocation's boolean-word problems
 * (build-flags/bool-words.ts) and the platform matching memo (platform.ts). Seeded random edit
 * sequences over generated scripts whose builds are assigned to the nodes of kubernetes builders
 * (KBX426 fires and stops firing as platforms are retyped) and over generated Makefiles; after each
 * edit the incremental diagnostics and the model's view (the builder graph included) must equal
 * those of the full lint, and the reuse paths must have answered.
 */
import { describe, expect, it } from 'vitest';
import { denseCorpus } from '../../bench/corpus.mjs';
import { DEFAULT_CONFIG } from '../../server/src/engine/config';
import { IncrementalLint } from '../../server/src/engine/incremental';
import { lintIfBuildx } from '../../server/src/engine/lint';
import { viewOf } from '../../server/src/lsp/lint-job';
import { mulberry32 } from '../harness/random';

type Rnd = () => number;
const pick = <T>(rnd: Rnd, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

const canonical = (v: unknown) => JSON.stringify(v, (_k, x) => (x instanceof Int32Array ? [...x] : x instanceof Map ? [...x] : x instanceof Set ? [...x] : typeof x === 'bigint' ? String(x) : x));

/** Platforms of the same length, so that retyping one is spliced: served, emulated, unknown, invalid. */
const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/s390x', 'linux/ppc64', 'linux/arm/v7', 'linux/arm/v6', 'linux/386xx', 'linux/riscv'].map((p) => p.padEnd(12, ' ').slice(0, 12));
const WORDS = ['true', 'false', 'yes!', 'no!!'];

/**
 * A script of kubernetes builders with one or two nodes declaring platforms (by --platform and by
 * a nodeselector) and builds asking for platforms on them, between ordinary commands.
 */
function platformScript(seed: number, builders: number): string {
  const rnd = mulberry32(seed);
  const out = ['#!/usr/bin/env bash', 'set -euo pipefail', 'TAG="$(git rev-parse HEAD)"'];
  for (let i = 0; i < builders; i++) {
    const arch = pick(rnd, ['amd64', 'arm64']);
    out.push(
      `docker buildx create --name k${i} --driver kubernetes --node n${i} --platform linux/${arch} \\`,
      `  --driver-opt namespace=ci,replicas=${1 + (i % 3)},"nodeselector=kubernetes.io/arch=${arch}"`,
    );
    if (rnd() < 0.5) out.push(`docker buildx create --append --name k${i} --node m${i} --platform linux/${arch === 'amd64' ? 'arm64' : 'amd64'} --driver-opt namespace=ci`);
    out.push('echo "ordinary line"', `mkdir -p out/${i} && cp -r assets out/${i}/`);
    for (let j = 0; j < 2; j++) {
      const plats = [pick(rnd, PLATFORMS).trim(), pick(rnd, PLATFORMS).trim()].join(',');
      out.push(`docker buildx build --builder k${i} --platform ${plats} \\`, `  -t "reg/app${i}:$TAG" --push ${pick(rnd, WORDS)} .`);
    }
  }
  out.push('echo done');
  return `${out.join('\n')}\n`;
}

/** One same-length edit: a platform retyped for another, a boolean word swapped, a letter or digit typed over. */
function edit(rnd: Rnd, text: string): string {
  const lines = text.split('\n');
  const builds = lines.map((l, n) => (/buildx (build|create)|--push|--driver-opt/.test(l) ? n : -1)).filter((n) => n >= 0);
  const n = pick(rnd, builds);
  const line = lines[n];
  const r = rnd();
  const platform = /linux\/[a-z0-9]+(?:\/v[0-9])?/g;
  const found = [...line.matchAll(platform)];
  if (r < 0.45 && found.length) {
    const m = pick(rnd, found);
    const same = PLATFORMS.map((p) => p.trim()).filter((p) => p.length === m[0].length && p !== m[0]);
    if (same.length) lines[n] = line.slice(0, m.index) + pick(rnd, same) + line.slice(m.index! + m[0].length);
  } else if (r < 0.6) {
    const w = WORDS.find((x) => line.includes(` ${x} `));
    if (w) {
      const other = WORDS.filter((x) => x.length === w.length && x !== w);
      if (other.length) lines[n] = line.replace(` ${w} `, ` ${pick(rnd, other)} `);
    }
  } else {
    const col = Math.floor(rnd() * line.length);
    const ch = line[col] ?? '';
    if (/[0-9]/.test(ch)) lines[n] = line.slice(0, col) + String((Number(ch) + 1) % 10) + line.slice(col + 1);
    else if (/[a-z]/.test(ch)) lines[n] = line.slice(0, col) + String.fromCharCode(97 + ((ch.charCodeAt(0) - 96) % 26)) + line.slice(col + 1);
  }
  return lines.join('\n');
}

function check(name: string, text: string, edits: number, seed: number, change: (rnd: Rnd, text: string) => string) {
  const rnd = mulberry32(seed);
  const inc = new IncrementalLint();
  inc.update({ text, fileName: name }, DEFAULT_CONFIG);
  let changed = 0;
  for (let i = 0; i < edits; i++) {
    const next = change(rnd, text);
    if (next === text) continue;
    text = next;
    changed++;
    const got = inc.update({ text, fileName: name }, DEFAULT_CONFIG);
    const want = lintIfBuildx({ text, fileName: name }, DEFAULT_CONFIG);
    const where = `${name}, seed ${seed}, edit ${i}`;
    expect(got.diagnostics, where).toEqual(want.diagnostics);
    expect(got.internalErrors, where).toEqual(want.internalErrors);
    if (got.result) expect(canonical({ ...viewOf(got.result, 0), ms: 0 }), where).toBe(canonical({ ...viewOf(want, 0), ms: 0 }));
  }
  return { ...inc.stats, changed };
}

describe('a spliced re-lint reuses the unchanged commands', () => {
  it('keeps the builder graph across platform edits of builds and equals a full lint', () => {
    let spliced = 0;
    let graphKept = 0;
    let changed = 0;
    const codes = new Set<string>();
    for (const seed of [1, 2, 3]) {
      const text = platformScript(seed, 8);
      for (const d of lintIfBuildx({ text, fileName: 'p.sh' }, DEFAULT_CONFIG).diagnostics) codes.add(d.code);
      const s = check(`platforms-${seed}.sh`, text, 40, 500 + seed, edit);
      spliced += s.spliced;
      graphKept += s.graphKept;
      changed += s.changed;
    }
    // The scripts exercise what is reused: unserved platforms (KBX426) and boolean words.
    expect(codes.has('KBX426')).toBe(true);
    expect(codes.has('KBX530')).toBe(true);
    // Most edits were spliced, and the graph was kept for a good share of them.
    expect(changed).toBeGreaterThan(60);
    expect(spliced).toBeGreaterThan(changed / 2);
    expect(graphKept).toBeGreaterThan(spliced / 4);
  }, 300_000);

  it('equals a full lint after random edits of generated Makefiles', () => {
    const makefiles = denseCorpus({ files: 40, bytes: 120_000, seed: 9 })
      .filter((f) => /Makefile|\.mk$/.test(f.path))
      .slice(0, 3);
    expect(makefiles.length).toBeGreaterThan(0);
    let changed = 0;
    for (const [k, f] of makefiles.entries()) {
      const typing = (rnd: Rnd, text: string): string => {
        const at = Math.floor(rnd() * text.length);
        const ch = text[at];
        if (/[0-9]/.test(ch)) return text.slice(0, at) + String((Number(ch) + 1) % 10) + text.slice(at + 1);
        if (/[a-z]/.test(ch)) return text.slice(0, at) + String.fromCharCode(97 + ((ch.charCodeAt(0) - 96) % 26)) + text.slice(at + 1);
        return text;
      };
      changed += check(f.path, f.text, 15, 700 + k, typing).changed;
    }
    expect(changed).toBeGreaterThan(10);
  }, 300_000);
});
