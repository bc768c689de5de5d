/**
 * Two kinds of text that documentation writes in blocks tagged as shell and that bash would not
 * run: a directory drawing (`tree` output: `|   +-- dir`, `├── file`), and the JSON a command
 * printed, pasted after it without a prompt (`crane manifest … | jq …` then `{ "mediaType": … }`).
 * Neither is a KBX601 syntax error of the page; the commands before the JSON are still checked,
 * and the same lines in a shell script still are errors.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { shellAvailable } from '../harness/bash-oracle';

const md = (lang: string, body: string) => ['# Layout', '', 'The repository:', '', '```' + lang, body, '```', '', '```bash', 'docker buildx build -t app .', '```', ''].join('\n');
const codesIn = (text: string, fileName: string) => lint({ text, fileName }).diagnostics.map((d) => d.code);
const bashSays = (body: string) => spawnSync('bash', ['-n', '-c', body], { encoding: 'utf8' }).stderr;

const trees = [
  ['.', '+-- docker.tutorials', '|   +-- dockerfiles', '|       +-- greeting', '|   +-- package.json', '|   +-- README.md'].join('\n'),
  ['my-app/', '├── Dockerfile', '├── src', '│   └── main.go', '└── go.mod'].join('\n'),
  ['.', '|-- build', '|   `-- Dockerfile', '`-- docker-bake.hcl'].join('\n'),
];

const json = [
  "crane manifest ghcr.io/org/app:latest | jq '.manifests[]'",
  '{',
  '  "mediaType": "application/vnd.oci.image.manifest.v1+json",',
  '  "platform": {',
  '    "architecture": "unknown"',
  '  }',
  '}',
].join('\n');

describe.runIf(shellAvailable('bash'))('directory drawings and printed JSON in shell blocks', () => {
  for (const body of trees) {
    it(`a directory drawing is not read as shell: ${JSON.stringify(body.split('\n')[1])}`, () => {
      expect(codesIn(md('bash', body), 'README.md')).toEqual([]);
      expect(codesIn(md('sh', body), 'README.md')).toEqual([]);
    });
  }

  it('a drawing whose lines bash rejects is still an error in a script', () => {
    expect(bashSays(trees[0])).toMatch(/syntax error/);
    expect(codesIn(`${trees[0]}\ndocker buildx build -t app .\n`, 'build.sh')).toContain('KBX601');
  });

  it('a block with a drawing and a command in it is still read', () => {
    const body = ['|-- app', 'docker buildx build --platform linux/x86_64 -t app .'].join('\n');
    expect(codesIn(md('bash', body), 'README.md')).toContain('KBX601');
  });

  it('JSON printed after a command is output; the command is still checked', () => {
    expect(bashSays(json)).toMatch(/syntax error/);
    expect(codesIn(md('shell', json), 'README.md')).toEqual([]);
    const withBuild = json.replace('crane manifest', 'docker buildx build --platform linux/x86_64 -t app . && crane manifest');
    expect(codesIn(md('shell', withBuild), 'README.md')).toEqual(['KBX412']);
    expect(codesIn(`${json}\n`, 'inspect.sh')).toContain('KBX601');
  });

  it('a brace group after a command, or a `{` that a pipe continues into, is still shell', () => {
    const group = ['docker buildx build -t app .', '{', '  docker buildx build --platform linux/x86_64 -t app .', '}'].join('\n');
    expect(bashSays(group)).toBe('');
    expect(codesIn(md('bash', group), 'README.md')).toEqual(['KBX412']);
    const piped = ['docker buildx imagetools inspect app --raw |', '{', '  "mediaType": "x"', '}', 'docker buildx build --platform linux/x86_64 -t app .'].join('\n');
    expect(bashSays(piped)).toBe('');
    expect(codesIn(md('bash', piped), 'README.md')).toEqual(['KBX412']);
  });
});
