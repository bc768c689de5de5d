#!/usr/bin/env node
/**
 * Builds the VS Code extension package: `node scripts/package-vsix.mjs [--out FILE]`.
 * Bundles the extension and the server, copies them, the injection grammar, the configuration
 * file's JSON Schema (for jsonValidation) and the LICENSE into
 * client/, and runs @vscode/vsce there (offline: the bundles have no runtime dependencies).
 * Prints the path of the .vsix.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const client = join(root, 'client');
const args = process.argv.slice(2);
const version = JSON.parse(readFileSync(join(client, 'package.json'), 'utf8')).version;
const out = resolve(args[args.indexOf('--out') + 1] && args.includes('--out') ? args[args.indexOf('--out') + 1] : join(root, 'dist', `kbx-lint-${version}.vsix`));

execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
mkdirSync(join(client, 'dist'), { recursive: true });
for (const f of ['dist/extension.js', 'dist/server.js', 'dist/lint-worker.js', 'grammar/buildx.injection.tmLanguage.json', 'schema/kbx-lint.schema.json']) {
  copyFileSync(join(root, f), join(client, 'dist', f.split('/').pop()));
}
copyFileSync(join(root, 'LICENSE'), join(client, 'LICENSE'));
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
// --no-dependencies: everything the extension needs is bundled; prepublish already ran above.
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--out', out], {
  cwd: client,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, npm_config_ignore_scripts: 'true' },
});
console.log(out);
