#!/usr/bin/env node
/**
 * Builds the bundles in dist/: the CLI (a start-up entry and the linter it loads), the language
 * server and the VS Code extension client.
 * `node scripts/build.mjs` builds once; `--watch` rebuilds each bundle when its sources change.
 */
import * as esbuild from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
};

/** The bundles: entry point, output file, and modules left to the host (VS Code provides `vscode`). */
const BUNDLES = [
  // The CLI is a package bin: it needs its own #! line (the server's comes from lsp/main.ts). The
  // bin is a small entry that answers --version and --help alone and loads the linter
  // (dist/kbx-lint-cli.js, which the worker threads of --jobs also run) for everything else.
  { entryPoints: ['server/src/cli/entry.ts'], outfile: 'dist/kbx-lint.js', banner: { js: '#!/usr/bin/env node' }, external: ['./kbx-lint-cli.js'] },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/kbx-lint-cli.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', external: ['vscode'] },
  // The language server's lint thread, started by dist/server.js (server/src/lsp/scheduler.ts).
  { entryPoints: ['server/src/lsp/lint-worker.ts'], outfile: 'dist/lint-worker.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
];

const watch = process.argv.includes('--watch');

if (watch) {
  for (const b of BUNDLES) {
    const ctx = await esbuild.context({ ...common, ...b, logLevel: 'info' });
    await ctx.watch();
  }
  console.log('watching server/src and client/src; Ctrl-C to stop');
} else {
  // One bundle after the other, like the chain of esbuild commands this replaces: the first
  // failure stops the build with esbuild's own message.
  for (const b of BUNDLES) {
    try {
      await esbuild.build({ ...common, ...b });
    } catch {
      process.exit(1);
    }
  }
}
