/**
 * The benchmark's inputs are what its numbers mean: the generators must give the same bytes for
 * a seed, the promised shape (file count, size, buildx density), and input real bash and GNU make
 * read without error, so the benchmark measures linting, not error recovery.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denseCorpus, type GeneratedFile, hugeDriverOpt, lspScript, plainTree, writeFiles } from '../../bench/corpus.mjs';
import { lint } from '../../server/src/engine/lint';

const digest = (files: GeneratedFile[]) =>
  createHash('sha256')
    .update(files.map((f) => `${f.path}\0${f.text}`).join('\0'))
    .digest('hex');
const bytesOf = (files: GeneratedFile[]) => files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
/** Commands that run buildx, as written in a script (`docker buildx`) or a recipe (`$(DOCKER) buildx`). */
const buildxCommands = (text: string) => (text.match(/(?:docker|\$\(DOCKER\)) buildx (?:create|build|bake|rm|use|inspect|imagetools)\b/g) ?? []).length;

describe('the dense corpus', () => {
  const corpus = denseCorpus();

  it('is the same for the same seed and differs for another', () => {
    expect(digest(denseCorpus())).toBe(digest(corpus));
    expect(digest(denseCorpus({ seed: 2 }))).not.toBe(digest(corpus));
  });

  it('has 400 files, about 6.5 MB, a third of them Makefiles, unique paths', () => {
    expect(corpus).toHaveLength(400);
    expect(new Set(corpus.map((f) => f.path)).size).toBe(400);
    const bytes = bytesOf(corpus);
    expect(bytes).toBeGreaterThan(6_200_000);
    expect(bytes).toBeLessThan(6_800_000);
    const make = corpus.filter((f) => f.kind === 'make').length;
    expect(make).toBeGreaterThan(100);
    expect(make).toBeLessThan(160);
    for (const f of corpus) expect(f.kind === 'make').toBe(/(^|\/)Makefile$|\.mk$/.test(f.path));
  });

  it('is buildx-dense: every file runs buildx, about three commands per KB, kubernetes builders and platform lists', () => {
    const perFile = corpus.map((f) => buildxCommands(f.text));
    expect(Math.min(...perFile)).toBeGreaterThan(0);
    const perKb = perFile.reduce((a, b) => a + b, 0) / (bytesOf(corpus) / 1000);
    expect(perKb).toBeGreaterThan(1.5);
    const all = corpus.map((f) => f.text).join('\n');
    expect((all.match(/--driver kubernetes/g) ?? []).length).toBeGreaterThan(1000);
    expect((all.match(/--platform linux\/[a-z0-9/]+,linux\//g) ?? []).length).toBeGreaterThan(100);
    expect((all.match(/<<'?EOF/g) ?? []).length).toBeGreaterThan(100);
  });

  describe('is read without error by bash and GNU make', () => {
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'kbx-corpus-'));
      writeFiles(dir, corpus);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('bash -n accepts every shell script', () => {
      const scripts = corpus.filter((f) => f.kind === 'shell').map((f) => join(dir, f.path));
      const r = spawnSync('bash', ['-c', 'for f; do bash -n "$f" 2>&1 || echo "BAD $f"; done', 'check', ...scripts], { encoding: 'utf8' });
      expect(r.stdout).toBe('');
    });

    it('make -n reads every Makefile and its phony targets', () => {
      const makefiles = corpus.filter((f) => f.kind === 'make').map((f) => join(dir, f.path));
      const empty = mkdtempSync(join(tmpdir(), 'kbx-corpus-make-'));
      try {
        // TAG=t on the command line: make never needs the `$(shell git …)` default.
        const r = spawnSync('bash', ['-c', 'for f; do make -s -n -f "$f" TAG=t all builder images test clean >/dev/null 2>&1 || echo "BAD $f"; done', 'check', ...makefiles], {
          cwd: empty,
          encoding: 'utf8',
        });
        expect(r.stdout).toBe('');
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });
  });

  it('kbx-lint reads a small corpus of the same shape without reading problems', () => {
    for (const f of denseCorpus({ files: 12, bytes: 120_000, seed: 5 })) {
      const r = lint({ text: f.text, fileName: f.path });
      expect(r.model.invocations.length, f.path).toBeGreaterThanOrEqual(buildxCommands(f.text));
      expect(r.diagnostics.filter((d) => d.code.startsWith('KBX6')).map((d) => `${f.path}: ${d.code} ${d.message}`)).toEqual([]);
    }
  });
});

describe('the other inputs', () => {
  it('the plain tree is deterministic and never mentions buildx or docker build', () => {
    const tree = plainTree({ files: 500 });
    expect(digest(plainTree({ files: 500 }))).toBe(digest(tree));
    expect(tree).toHaveLength(500);
    expect(tree.filter((f) => /buildx|docker build/.test(f.text)).map((f) => f.path)).toEqual([]);
  });

  it('the language-server script has 5,000 lines and 500 buildx commands', () => {
    const text = lspScript();
    expect(lspScript()).toBe(text);
    expect(text.split('\n').length - 1).toBe(5000);
    expect(buildxCommands(text)).toBe(500);
  });

  it('the hostile document is one --driver-opt of the requested number of fields', () => {
    const text = hugeDriverOpt({ fields: 1000 });
    const value = text.trim().split(' ').pop() ?? '';
    expect(value.split(',')).toHaveLength(1000);
    expect(hugeDriverOpt().length).toBeGreaterThan(20_000_000);
  });
});
