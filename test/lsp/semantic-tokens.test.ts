/**
 * textDocument/semanticTokens over a real LSP connection: the token array is decoded (relative
 * lines and characters, UTF-16, the server's legend) back into the text each token covers, and
 * compared line by line with what each part of the command is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver/node';
import { type Session, startSession } from './lsp-harness';

const root = join(__dirname, '../..');
const CLIENT_TOKENS = { semanticTokens: { requests: { full: true, range: true }, tokenTypes: [], tokenModifiers: [], formats: ['relative'], multilineTokenSupport: false } };

let session: Session | undefined;
afterEach(() => {
  session?.dispose();
  session = undefined;
});

interface Decoded {
  line: number;
  character: number;
  length: number;
  label: string;
}

/** decode turns the integer array into tokens labelled `text:type[.modifier…]`, checking the array's invariants. */
function decode(text: string, legend: SemanticTokensLegend, tokens: SemanticTokens): Decoded[] {
  const lines = text.split('\n');
  const out: Decoded[] = [];
  let line = 0;
  let character = 0;
  expect(tokens.data.length % 5).toBe(0);
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [dl, dc, length, type, bits] = tokens.data.slice(i, i + 5);
    const prevEnd = dl === 0 && out.length ? out[out.length - 1].character + out[out.length - 1].length : 0;
    line += dl;
    character = dl ? dc : character + dc;
    expect(length).toBeGreaterThan(0);
    // Sorted, never overlapping, never past the end of its line.
    expect(character).toBeGreaterThanOrEqual(prevEnd);
    expect(character + length).toBeLessThanOrEqual(lines[line].replace(/\r$/, '').length);
    const mods = legend.tokenModifiers.filter((_, k) => bits & (1 << k));
    expect(type).toBeLessThan(legend.tokenTypes.length);
    out.push({ line, character, length, label: `${lines[line].slice(character, character + length)}:${legend.tokenTypes[type]}${mods.length ? `.${mods.join('.')}` : ''}` });
  }
  return out;
}

function byLine(tokens: Decoded[]): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (const t of tokens) (out[t.line + 1] ??= []).push(t.label);
  return out;
}

async function tokensOf(text: string, uri = 'file:///project/build.sh', languageId = 'shellscript', range?: unknown): Promise<Decoded[]> {
  session ??= await startSession({ textDocument: CLIENT_TOKENS });
  const legend = (session.init.capabilities.semanticTokensProvider as { legend: SemanticTokensLegend }).legend;
  await session.open(uri, languageId, text);
  const r = await session.request<SemanticTokens>(range ? 'textDocument/semanticTokens/range' : 'textDocument/semanticTokens/full', { textDocument: { uri }, ...(range ? { range } : {}) });
  return decode(text, legend, r);
}

describe('semantic tokens', () => {
  it('are offered only to a client that declares them, with standard token types', async () => {
    session = await startSession();
    expect(session.init.capabilities.semanticTokensProvider).toBeUndefined();
    session.dispose();
    session = await startSession({ textDocument: CLIENT_TOKENS });
    const provider = session.init.capabilities.semanticTokensProvider as { legend: SemanticTokensLegend; full: boolean; range: boolean };
    expect(provider).toMatchObject({ full: true, range: true });
    // LSP 3.17's predefined SemanticTokenTypes and SemanticTokenModifiers only: every theme has a colour for them.
    const standardTypes = [
      'namespace',
      'type',
      'class',
      'enum',
      'interface',
      'struct',
      'typeParameter',
      'parameter',
      'variable',
      'property',
      'enumMember',
      'event',
      'function',
      'method',
      'macro',
      'keyword',
      'modifier',
      'comment',
      'string',
      'number',
      'regexp',
      'operator',
      'decorator',
    ];
    const standardModifiers = ['declaration', 'definition', 'readonly', 'static', 'deprecated', 'abstract', 'async', 'modification', 'documentation', 'defaultLibrary'];
    for (const t of provider.legend.tokenTypes) expect(standardTypes).toContain(t);
    for (const m of provider.legend.tokenModifiers) expect(standardModifiers).toContain(m);
  });

  it('examples/ci/kube-nodes.sh, line by line', async () => {
    const text = readFileSync(join(root, 'examples/ci/kube-nodes.sh'), 'utf8');
    expect(byLine(await tokensOf(text))).toEqual({
      5: ['buildx:keyword', 'create:keyword', '--name:parameter', 'fleet:variable.declaration', '--driver:parameter', 'kubernetes:enumMember', '--node:parameter', 'fleet-amd64:variable.declaration'],
      6: ['--platform:parameter', 'linux/amd64:enumMember'],
      // Inside the shell quotes and the CSV quotes: only the characters buildx reads as key and value.
      7: ['--driver-opt:parameter', 'nodeselector:property', 'kubernetes.io/arch=amd64:string', 'tolerations:property', 'key=build,operator=Equal,value=true,effect=NoSchedule:string'],
      8: ['--driver-opt:parameter', 'namespace:property', 'buildkit:string', 'replicas:property', '2:string', 'requests.cpu:property', '2:string', 'limits.cpu:property', '4:string'],
      // --append names an existing builder: a use of "fleet", not its declaration; the new node is declared.
      11: ['buildx:keyword', 'create:keyword', '--append:parameter', '--name:parameter', 'fleet:variable', '--node:parameter', 'fleet-arm64:variable.declaration'],
      12: ['--platform:parameter', 'linux/arm64:enumMember'],
      13: ['--driver-opt:parameter', 'nodeselector:property', 'kubernetes.io/arch=amd64:string'],
      14: ['--driver-opt:parameter', 'namespace:property', 'buildkit:string', 'timeout:property', '5m:string'],
      16: ['buildx:keyword', 'build:keyword', '--builder:parameter', 'fleet:variable', '--platform:parameter', 'linux/amd64:enumMember', 'linux/arm64:enumMember', 'linux/s390x:enumMember'],
      17: ['--cache-to:parameter'],
      18: ['-t:parameter', '--push:parameter'],
    });
  });

  it('a range request gives the tokens of the full request that meet the range', async () => {
    const text = readFileSync(join(root, 'examples/ci/kube-nodes.sh'), 'utf8');
    const full = await tokensOf(text);
    const part = await tokensOf(text, 'file:///project/build.sh', 'shellscript', { start: { line: 10, character: 0 }, end: { line: 13, character: 0 } });
    expect(part.map((t) => t.label)).toEqual(full.filter((t) => t.line >= 10 && t.line < 13).map((t) => t.label));
    expect(part.length).toBeGreaterThan(0);
  });

  it('follow the source characters: quotes split a key, expansions are not coloured, a value over two lines is cut per line', async () => {
    const text = ['docker buildx create --driver kubernetes --driver-opt "name"space=ci,replicas=$N \\', '  --driver-opt "image=reg/a', 'b"', ''].join('\n');
    expect(byLine(await tokensOf(text))).toEqual({
      1: ['buildx:keyword', 'create:keyword', '--driver:parameter', 'kubernetes:enumMember', '--driver-opt:parameter', 'name:property', 'space:property', 'ci:string', 'replicas:property'],
      2: ['--driver-opt:parameter', 'image:property', 'reg/a:string'],
      3: ['b:string'],
    });
  });

  it('count UTF-16 code units, as LSP positions do', async () => {
    const text = 'X=😀é; docker buildx create --name b😀x --driver-opt env.GREETING=héllo😀,namespace=ci\n';
    const tokens = await tokensOf(text);
    expect(tokens.map((t) => t.label)).toEqual([
      'buildx:keyword',
      'create:keyword',
      '--name:parameter',
      'b😀x:variable.declaration',
      '--driver-opt:parameter',
      'env.GREETING:property',
      'héllo😀:string',
      'namespace:property',
      'ci:string',
    ]);
    expect(tokens[0].character).toBe(text.indexOf('buildx'));
  });

  it('a Makefile: `$$` and a resolved variable map to what is written', async () => {
    const text = 'NS := ci\nb:\n\tdocker buildx create --driver kubernetes --driver-opt namespace=$(NS),env.A=$$HOME\n';
    expect(byLine(await tokensOf(text, 'file:///project/Makefile', 'makefile'))).toEqual({
      3: ['buildx:keyword', 'create:keyword', '--driver:parameter', 'kubernetes:enumMember', '--driver-opt:parameter', 'namespace:property', '$(NS):string', 'env.A:property'],
    });
  });

  it('none when kbxLint.enable is false', async () => {
    session = await startSession({ textDocument: CLIENT_TOKENS, settings: { enable: false } });
    await session.open('file:///project/build.sh', 'shellscript', 'docker buildx create --name x\n');
    const r = await session.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: 'file:///project/build.sh' } });
    expect(r.data).toEqual([]);
  });
});
