/**
 * The pipeline's dependency rule: a folder of server/src imports only from folders before it
 * (core ← hosts ← shell ← extract ← buildx ← rules ← engine ← cli | lsp; lsp reads cli/discover.ts); only lsp/ imports
 * vscode-languageserver, only cli/ and lsp/main touch `process`; and inside a folder the modules
 * import each other without cycles (type-only imports included).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ORDER = ['core', 'hosts', 'shell', 'extract', 'buildx', 'rules', 'engine', 'cli', 'lsp'];
const SRC = join(__dirname, '../server/src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** topFolder is the pipeline folder a file of server/src belongs to (`buildx` for buildx/build-flags/x.ts). */
const topFolder = (file: string) => relative(SRC, file).split(/[\\/]/)[0];

/** localImports resolves the relative imports of a file to files of server/src (`./x` → x.ts or x/index.ts). */
function localImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)) {
    const base = resolve(dirname(file), m[1]);
    if (!base.startsWith(SRC)) continue;
    const candidates = [`${base}.ts`, join(base, 'index.ts'), base];
    const hit = candidates.find((c) => ALL.has(c));
    if (hit) out.push(hit);
  }
  return out;
}

const ALL = new Set(files(SRC));
const GRAPH = new Map([...ALL].map((f) => [f, localImports(f, readFileSync(f, 'utf8'))]));

/** cycleIn finds one import cycle among the files of a folder (iterative DFS), or null. */
function cycleIn(folder: string): string[] | null {
  const inFolder = [...ALL].filter((f) => topFolder(f) === folder);
  const state = new Map<string, 'open' | 'done'>();
  for (const root of inFolder) {
    if (state.has(root)) continue;
    const stack: { file: string; next: number }[] = [{ file: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length) {
      const top = stack[stack.length - 1];
      const deps = (GRAPH.get(top.file) ?? []).filter((d) => topFolder(d) === folder);
      if (top.next >= deps.length) {
        state.set(top.file, 'done');
        stack.pop();
        continue;
      }
      const dep = deps[top.next++];
      const s = state.get(dep);
      if (s === 'open') {
        const from = stack.findIndex((e) => e.file === dep);
        return [...stack.slice(from).map((e) => relative(SRC, e.file)), relative(SRC, dep)];
      }
      if (!s) {
        state.set(dep, 'open');
        stack.push({ file: dep, next: 0 });
      }
    }
  }
  return null;
}

describe('layering', () => {
  for (const folder of ORDER) {
    it(`${folder}/ imports only from earlier folders`, () => {
      const rank = ORDER.indexOf(folder);
      for (const f of files(join(SRC, folder))) {
        const text = readFileSync(f, 'utf8');
        for (const dep of GRAPH.get(f) ?? []) {
          const target = topFolder(dep);
          if (target === folder) continue;
          const t = ORDER.indexOf(target);
          // cli and lsp are sibling adapters: neither may import the other, except that the server's
          // workspace diagnostics find files exactly as the CLI does (cli/discover.ts).
          const ok = t >= 0 && t < rank && !(folder === 'lsp' && target === 'cli' && relative(SRC, dep) !== 'cli/discover.ts');
          expect(ok, `${relative(SRC, f)} imports ${relative(SRC, dep)}`).toBe(true);
        }
        if (folder !== 'lsp') expect(text.includes("from 'vscode-languageserver"), f).toBe(false);
        if (folder !== 'cli' && folder !== 'lsp') expect(/\bprocess\.(argv|exit|stdout|stderr|env|cwd)/.test(text), `${f} touches process`).toBe(false);
      }
    });

    it(`${folder}/ has no import cycle`, () => {
      expect(cycleIn(folder)).toBeNull();
    });
  }

  it('resolves imports in nested folders', () => {
    const analyse = join(SRC, 'buildx/build-flags/analyse.ts');
    expect((GRAPH.get(analyse) ?? []).map((d) => relative(SRC, d))).toContain('buildx/model.ts');
  });
});
