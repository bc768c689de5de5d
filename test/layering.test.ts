/**
 * The pipeline's dependency rule: a folder of server/src imports only from folders before it
 * (core ← hosts ← shell ← extract ← buildx ← rules ← engine ← cli | lsp); only lsp/ imports
 * vscode-languageserver, only cli/ and lsp/main touch `process`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ORDER = ['core', 'hosts', 'shell', 'extract', 'buildx', 'rules', 'engine', 'cli', 'lsp'];
const SRC = join(__dirname, '../server/src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('layering', () => {
  for (const folder of ORDER) {
    it(`${folder}/ imports only from earlier folders`, () => {
      const rank = ORDER.indexOf(folder);
      for (const f of files(join(SRC, folder))) {
        const text = readFileSync(f, 'utf8');
        for (const m of text.matchAll(/from '\.\.\/([a-z-]+)\//g)) {
          const target = ORDER.indexOf(m[1]);
          // cli and lsp are sibling adapters: neither may import the other.
          const ok = target >= 0 && target < rank && !(folder === 'lsp' && m[1] === 'cli');
          expect(ok, `${f} imports ../${m[1]}/`).toBe(true);
        }
        if (folder !== 'lsp') expect(text.includes("from 'vscode-languageserver"), f).toBe(false);
        if (folder !== 'cli' && folder !== 'lsp') expect(/\bprocess\.(argv|exit|stdout|stderr|env|cwd)/.test(text), `${f} touches process`).toBe(false);
      }
    });
  }
});
