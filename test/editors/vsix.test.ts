/**
 * The VS Code extension packs from a clean checkout (scripts/package-vsix.mjs, @vscode/vsce) into a
 * .vsix holding what VS Code loads: the manifest, the extension and server bundles, the grammar,
 * configuration schema, README and LICENSE; the manifest's paths and commands point at files inside it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../harness/temp-dir';

const root = join(__dirname, '../..');

describe('the .vsix', () => {
  const dir = tempDir('kbx-vsix-');
  const vsix = join(dir, 'kbx-lint.vsix');
  execFileSync(process.execPath, [join(root, 'scripts/package-vsix.mjs'), '--out', vsix], { cwd: root, stdio: 'pipe' });
  execFileSync('unzip', ['-q', vsix, '-d', join(dir, 'x')]);
  const ext = join(dir, 'x/extension');
  const manifest = JSON.parse(readFileSync(join(ext, 'package.json'), 'utf8'));

  it('holds the bundles, the grammar, the configuration schema, README and LICENSE', () => {
    const files = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(files).toEqual(
      [
        '[Content_Types].xml',
        'extension.vsixmanifest',
        'extension/LICENSE.txt',
        'extension/dist/buildx.injection.tmLanguage.json',
        'extension/dist/extension.js',
        'extension/dist/kbx-lint.schema.json',
        'extension/dist/server.js',
        'extension/dist/lint-worker.js',
        'extension/package.json',
        'extension/readme.md',
      ].sort(),
    );
  });

  it('has a manifest whose entry point and grammar are in the package', () => {
    expect(readFileSync(join(ext, manifest.main.replace(/^\.\//, '')), 'utf8')).toContain('kbx-lint.restartServer');
    for (const g of manifest.contributes.grammars) expect(JSON.parse(readFileSync(join(ext, g.path), 'utf8')).scopeName).toBe(g.scopeName);
    // VS Code validates and completes .kbx-lint.json with the schema the package ships.
    for (const v of manifest.contributes.jsonValidation) {
      expect(readFileSync(join(ext, v.url.replace(/^\.\//, '')), 'utf8')).toBe(readFileSync(join(root, 'schema/kbx-lint.schema.json'), 'utf8'));
    }
  });

  it('declares Restricted Mode support and its commands', () => {
    expect(manifest.capabilities.untrustedWorkspaces.supported).toBe(true);
    expect(manifest.contributes.commands.map((c: { command: string }) => c.command).sort()).toEqual(['kbx-lint.explainCommand', 'kbx-lint.restartServer', 'kbx-lint.showOutput']);
    const bundle = readFileSync(join(ext, 'dist/extension.js'), 'utf8');
    for (const c of manifest.contributes.commands) expect(bundle).toContain(`'${c.command}'`.replace(/'/g, '"'));
  });

  it('ships a server that runs', () => {
    expect(execFileSync(process.execPath, [join(ext, 'dist/server.js'), '--version'], { encoding: 'utf8' })).toMatch(/^kbx-lint-lsp \d/);
  });
});
