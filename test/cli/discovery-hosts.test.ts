/**
 * Discovery and host choice at the CLI: Markdown pages are found by a directory walk and read by
 * the Markdown host, pages that never mention buildx are not parsed at all, and a file of unknown
 * type named on the command line is skipped with one message instead of being read as shell.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const parsed = vi.hoisted(() => ({ pages: 0 }));
vi.mock('../../server/src/hosts/markdown', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../server/src/hosts/markdown')>();
  return {
    ...real,
    readMarkdown: (text: string) => {
      parsed.pages++;
      return real.readMarkdown(text);
    },
  };
});

import { runCli } from '../harness/cli-session';

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kbx-hosts-'));
  cwd = process.cwd();
  process.chdir(dir);
  parsed.pages = 0;
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

const cli = runCli;

const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci';
const PAGE = `# Builders\n\nCreate one:\n\n\`\`\`console\n$ ${BAD}\nbuilder\n\`\`\`\n`;

describe('Markdown discovery', () => {
  it('a directory walk lints README.md and parses only pages that mention buildx', () => {
    mkdirSync('docs');
    writeFileSync('README.md', PAGE);
    writeFileSync('docs/intro.md', '# Intro\n\n' + 'Nothing to see here.\n'.repeat(2000));
    writeFileSync('docs/docker.md', '# Docker\n\nRun `docker ps` to list containers.\n```bash\ndocker ps\n```\n');
    const r = cli('--format', 'json', '.');
    expect(r.code).toBe(1);
    const d = JSON.parse(r.out).diagnostics;
    expect(d.map((x: { file: string; rule: string; line: number }) => `${x.file}:${x.line}:${x.rule}`)).toEqual(['README.md:6:KBX101']);
    // The page without docker is never decoded; the one that mentions only `docker ps` never parsed.
    expect(parsed.pages).toBe(1);
  });

  it('a README without shell blocks gives no findings, however much it talks about buildx', () => {
    writeFileSync('README.md', `Use \`${BAD}\`.\n\n    Indented prose is code: ls -l\n\n${BAD}\n`);
    const r = cli('README.md');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
  });
});

describe('files named on the command line', () => {
  it('of unknown type are skipped once on stderr, never read as shell', () => {
    writeFileSync('notes.txt', BAD + '\n');
    writeFileSync('Dockerfile', 'FROM alpine\nRUN ' + BAD + '\n');
    const r = cli('--format', 'json', 'notes.txt', 'Dockerfile', 'notes.txt');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).diagnostics).toEqual([]);
    expect(r.err.split('\n').filter(Boolean)).toEqual([
      'notes.txt: skipped: not a shell script, Makefile, CI file or Markdown file',
      'Dockerfile: skipped: not a shell script, Makefile, CI file or Markdown file',
      'kbx-lint: nothing linted: no shell script, Makefile, workflow, GitLab CI or Markdown file under notes.txt, Dockerfile',
    ]);
  });

  it('without an extension but with a shell shebang are linted', () => {
    writeFileSync('release', '#!/usr/bin/env bash\n' + BAD + '\n');
    writeFileSync('Containerfile', '#!/bin/sh\n' + BAD + '\n');
    const r = cli('--format', 'json', 'release', 'Containerfile');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).diagnostics.map((x: { file: string }) => x.file)).toEqual(['release', 'Containerfile']);
  });

  it('Makefile fragments are found by a directory walk; templates of other tools are not', () => {
    mkdirSync('release-tools');
    const recipe = `img:\n\t${BAD}\n`;
    for (const name of ['Makefile.inc', 'Makefile.examples', 'release-tools/build.make', 'Makefile.in', 'Makefile.am', 'Makefile.toml']) writeFileSync(name, recipe);
    const r = cli('--format', 'json', '.');
    expect(r.code).toBe(1);
    const files = JSON.parse(r.out).diagnostics.map((x: { file: string }) => x.file);
    expect([...new Set(files)].sort()).toEqual(['Makefile.examples', 'Makefile.inc', 'release-tools/build.make']);
  });

  it('a Markdown file is read as Markdown when named explicitly', () => {
    writeFileSync('guide.markdown', PAGE);
    const r = JSON.parse(cli('--format', 'json', 'guide.markdown').out);
    expect(r.diagnostics.map((x: { line: number }) => x.line)).toEqual([6]);
  });

  it('--stdin-filename README.md reads standard input as Markdown', () => {
    const dist = join(cwd, 'dist/kbx-lint.js');
    const run = (name: string) => spawnSync(process.execPath, [dist, '--format', 'json', '--stdin-filename', name, '-'], { input: PAGE, encoding: 'utf8' });
    const md = run('README.md');
    expect(md.status).toBe(1);
    expect(JSON.parse(md.stdout).diagnostics.map((x: { file: string; line: number }) => `${x.file}:${x.line}`)).toEqual(['README.md:6']);
    // Read as a shell script the fences swallow the command into a backquote substitution.
    expect(JSON.parse(run('page.sh').stdout).diagnostics).toEqual([]);
  });
});
