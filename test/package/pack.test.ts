/**
 * The published package as a user gets it: `npm pack`, install the tarball into an empty prefix
 * without dev dependencies and without the network, then run both bins from another directory.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
let work: string;
let prefix: string;
let tarball: string;
let packed: { files: { path: string }[] }[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kbx-pack-'));
  prefix = join(work, 'prefix');
  // --json lists the packed files. Scripts are skipped: `prepare` would rebuild dist/ under the
  // feet of other test files that run it; `npm test` builds first.
  if (!existsSync(join(ROOT, 'dist/kbx-lint.js')) || !existsSync(join(ROOT, 'dist/server.js'))) throw new Error('run `npm run build` first');
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  packed = JSON.parse(out.slice(out.indexOf('[')));
  tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  execFileSync('npm', ['install', '--global', '--offline', '--omit=dev', '--no-audit', '--no-fund', '--prefix', prefix, tarball], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm package', () => {
  it('ships only the bundles, rule docs, schema, README and LICENSE', () => {
    const files = packed[0].files.map((f) => f.path).sort();
    expect(files).toContain('dist/kbx-lint.js');
    expect(files).toContain('dist/kbx-lint-cli.js');
    expect(files).toContain('dist/server.js');
    expect(files).toContain('dist/lint-worker.js');
    expect(files).toContain('LICENSE');
    expect(files).toContain('README.md');
    expect(files).toContain('package.json');
    expect(files).toContain('schema/kbx-lint.schema.json');
    expect(files).toContain('docs/rules/KBX101-driver-opt-unquoted-comma.md');
    const unexpected = files.filter((f) => !/^(dist\/(kbx-lint|kbx-lint-cli|server|lint-worker)\.js|docs\/rules\/[^/]+\.md|schema\/kbx-lint\.schema\.json|README\.md|LICENSE|package\.json)$/.test(f));
    expect(unexpected).toEqual([]);
  });

  it('has no runtime dependencies left to install', () => {
    const installed = readdirSync(join(prefix, 'lib/node_modules/kbx-lint'));
    expect(installed).not.toContain('node_modules');
  });

  it('kbx-lint runs from another directory', () => {
    const elsewhere = mkdtempSync(join(work, 'project-'));
    writeFileSync(join(elsewhere, 'build.sh'), 'docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n');
    const bin = join(prefix, 'bin/kbx-lint');
    const version = spawnSync(bin, ['--version'], { cwd: elsewhere, encoding: 'utf8' });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const r = spawnSync(bin, ['--no-color'], { cwd: elsewhere, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('build.sh:1:');
    expect(r.stdout).toContain('[KBX101 driver-opt-unquoted-comma]');
    // Worker threads load the linter bundle from where the package is installed.
    writeFileSync(join(elsewhere, 'push.sh'), 'docker buildx build --push false -t app .\n');
    const threads = spawnSync(bin, ['--no-color', '--jobs', '2', '--verbose'], { cwd: elsewhere, encoding: 'utf8' });
    expect(threads.stderr).toContain('linting on 2 threads (this one and 1 worker)');
    expect(threads.status, threads.stderr).toBe(1);
    expect(threads.stdout).toContain('build.sh:1:');
    expect(threads.stdout).toContain('push.sh:1:');
  });

  it('kbx-lint-lsp --stdio answers initialize', async () => {
    const child = spawn(join(prefix, 'bin/kbx-lint-lsp'), ['--stdio'], { cwd: work, stdio: ['pipe', 'pipe', 'pipe'] });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const response = await new Promise<{ id: number; result: { serverInfo?: { name: string }; capabilities: Record<string, unknown> } }>((resolve, reject) => {
      let buf = Buffer.alloc(0);
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      child.stdout.on('data', (b: Buffer) => {
        buf = Buffer.concat([buf, b]);
        const head = buf.indexOf('\r\n\r\n');
        if (head < 0) return;
        const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, head).toString())![1]);
        if (buf.length < head + 4 + len) return;
        resolve(JSON.parse(buf.subarray(head + 4, head + 4 + len).toString()));
      });
    });
    child.kill();
    expect(response.id).toBe(1);
    expect(response.result.serverInfo?.name).toBe('kbx-lint');
    expect(response.result.capabilities.hoverProvider).toBe(true);
  });
});
