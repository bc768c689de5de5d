/**
 * The injection grammar, tokenised the way VS Code does it (vscode-textmate + Oniguruma) over the
 * shell and Makefile grammars VS Code ships (tm-grammars' copies). An injected match necessarily
 * replaces the host's scopes on the characters it matches; what it must never do is change the
 * host grammar's state: at the end of every line the host's innermost scopes are the same with and
 * without the injection, and every character is inside a string or comment exactly when it is
 * without it — so a quote the injection touches can never leave the rest of the file a string.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';

const root = join(__dirname, '../..');
const INJECTION = 'kbx-lint.buildx.injection';
const grammarFiles: Record<string, string> = {
  'source.shell': join(root, 'node_modules/tm-grammars/grammars/shellscript.json'),
  'source.makefile': join(root, 'node_modules/tm-grammars/grammars/make.json'),
  [INJECTION]: join(root, 'grammar/buildx.injection.tmLanguage.json'),
};

let withInjection: textmate.Registry;
let hostOnly: textmate.Registry;

beforeAll(async () => {
  const wasm = readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const onigLib = Promise.resolve({
    createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
    createOnigString: (s: string) => new oniguruma.OnigString(s),
  });
  const make = (inject: boolean) =>
    new textmate.Registry({
      onigLib,
      loadGrammar: async (scope) => (grammarFiles[scope] ? textmate.parseRawGrammar(readFileSync(grammarFiles[scope], 'utf8'), grammarFiles[scope]) : null),
      getInjections: (scope) => (inject && (scope === 'source.shell' || scope === 'source.makefile') ? [INJECTION] : undefined),
    });
  withInjection = make(true);
  hostOnly = make(false);
});

interface Tokenised {
  /** Per line, per UTF-16 column: the scopes at that character. */
  scopes: string[][][];
  /** Per line: the innermost scopes of the grammar's state after the line. */
  endState: string[][];
}

/** The scope names of a state's innermost frame (vscode-textmate's StateStackImpl fields). */
function stateScopes(state: textmate.StateStack): string[] {
  const frame = state as unknown as { contentNameScopesList?: { getScopeNames(): string[] } | null };
  return frame.contentNameScopesList?.getScopeNames() ?? [];
}

async function tokenise(registry: textmate.Registry, scope: string, text: string): Promise<Tokenised> {
  const grammar = (await registry.loadGrammar(scope))!;
  let state = textmate.INITIAL;
  const scopes: string[][][] = [];
  const endState: string[][] = [];
  for (const line of text.split('\n')) {
    const r = grammar.tokenizeLine(line, state);
    const perChar: string[][] = [];
    for (const t of r.tokens) for (let c = t.startIndex; c < Math.min(t.endIndex, line.length); c++) perChar[c] = t.scopes;
    scopes.push(perChar);
    state = r.ruleStack;
    endState.push(stateScopes(state));
  }
  return { scopes, endState };
}

const own = (s: string) => s.endsWith('.buildx');

function examples(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.sh$|(^|\/)Makefile$|\.mk$/.test(p)) out.push(p);
    }
  };
  walk(join(root, 'examples'));
  return out;
}

const hostScope = (file: string) => (/\.sh$/.test(file) ? 'source.shell' : 'source.makefile');

describe('injection grammar leaves the host grammar alone', () => {
  it.each(examples().map((f) => [f.slice(root.length + 1), f]))('%s', async (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const a = await tokenise(withInjection, hostScope(file), text);
    const b = await tokenise(hostOnly, hostScope(file), text);
    const lines = text.split('\n');
    const textual = (scopes: string[] | undefined) => (scopes ?? []).filter((x) => !own(x) && /^(string\.quoted|string\.interpolated|comment)\./.test(x)).length > 0;
    for (let l = 0; l < lines.length; l++) {
      const where = `${file.slice(root.length + 1)}:${l + 1} ${JSON.stringify(lines[l])}`;
      expect(
        a.endState[l].filter((x) => !own(x)),
        where,
      ).toEqual(b.endState[l]);
      for (let c = 0; c < lines[l].length; c++) {
        expect(textual(a.scopes[l][c]), `${where} column ${c + 1}`).toBe(textual(b.scopes[l][c]));
      }
    }
  });
});

/** The injected scopes of a flag, whether or not the shell grammar split off its first dash. */
function flagScopes(s: Map<string, string[]>, flag: string): string[] | undefined {
  return s.get(flag) ?? s.get(flag.slice(1)) ?? s.get(flag.slice(1) + '=') ?? s.get(flag + '=');
}

async function scopesOf(text: string, scope = 'source.shell'): Promise<Map<string, string[]>> {
  const t = await tokenise(withInjection, scope, text);
  const out = new Map<string, string[]>();
  const lines = text.split('\n');
  lines.forEach((line, l) => {
    let c = 0;
    while (c < line.length) {
      const s = (t.scopes[l][c] ?? []).filter(own);
      let e = c + 1;
      while (e < line.length && JSON.stringify((t.scopes[l][e] ?? []).filter(own)) === JSON.stringify(s)) e++;
      if (s.length) out.set(line.slice(c, e), s);
      c = e;
    }
  });
  return out;
}

describe('what the injection scopes', () => {
  it('the quoted --driver-opt form the KBX101 fix writes, and the line after it', async () => {
    const text = `docker buildx create --name k \\\n  '--driver-opt=namespace=ci,"nodeselector=kubernetes.io/arch=amd64,pool=ci"' \\\n  --platform linux/amd64\necho done\n`;
    const s = await scopesOf(text);
    expect(flagScopes(s, '--driver-opt')).toContain('constant.other.option.driver-opt.buildx');
    expect(s.get('namespace')).toContain('support.type.property-name.driver-opt.buildx');
    expect(flagScopes(s, '--platform')).toContain('constant.other.option.buildx');
    expect(flagScopes(s, '--name')).toContain('constant.other.option.buildx');
    const host = await tokenise(hostOnly, 'source.shell', text);
    const inj = await tokenise(withInjection, 'source.shell', text);
    expect(inj.endState.map((x) => x.filter((y) => !own(y)))).toEqual(host.endState);
    expect(inj.scopes[3][0].filter((x) => !own(x))).toEqual(host.scopes[3][0]);
  });

  it('flags after whitespace, in a double-quoted word and after = ', async () => {
    const s = await scopesOf('docker buildx build   --push --platform=linux/amd64 "--driver-opt" -t app .\n');
    expect(flagScopes(s, '--push')).toContain('constant.other.option.buildx');
    expect(flagScopes(s, '--platform')).toContain('constant.other.option.buildx');
    expect([...s.keys()].some((k) => k.startsWith('buildx'))).toBe(true);
  });

  it('a recipe line in a Makefile', async () => {
    const s = await scopesOf('build:\n\tdocker buildx build --platform $(PLATFORMS) --push .\n', 'source.makefile');
    expect(flagScopes(s, '--platform')).toContain('constant.other.option.buildx');
  });
});
