/**
 * Untagged Markdown blocks whose docker commands follow the steps that prepare the build: a
 * package manager or dependency tool (`poetry export …`, `sudo apt-get install …`, `npm ci`) or
 * the cluster tool a Kubernetes builder is prepared with (`kubectl create namespace buildkit`).
 * Such a block is a script; what bash runs of it, with stub functions for the set-up tools and
 * a stub docker, is the oracle for the invocations read.
 */
import { describe, expect, it } from 'vitest';
import { buildModel, lint } from '../../server/src/engine/lint';
import { readMarkdown } from '../../server/src/hosts/markdown';
import { runScript } from '../harness/stub-docker';

const argvOf = (md: string): string[][] => buildModel({ text: md, fileName: 'README.md' }).invocations.map((i) => i.argv.map((a) => a.value.text));
const found = (md: string): string[] => lint({ text: md, fileName: 'README.md' }).diagnostics.map((d) => `${d.code}:${md.slice(d.span.start, d.span.end)}`);
/** The set-up tools as shell functions that do nothing: bash then runs only the docker calls. */
const STUBS = 'poetry() { :; }; kubectl() { :; }; apt-get() { :; }; npm() { :; }; helm() { :; }; sudo() { "$@"; }\n';

describe('Markdown untagged blocks after set-up commands', () => {
  const blocks = [
    [
      'poetry export -f requirements.txt --output requirements.txt --without-hashes',
      'docker buildx create --name multiarchbuilder',
      'docker buildx use multiarchbuilder',
      'docker buildx build -t me/backend:arm64 --platform linux/arm64/v8 --push .',
    ],
    ['kubectl create namespace buildkit', 'docker buildx create --bootstrap --name kube --driver kubernetes --driver-opt namespace=buildkit,replicas=2'],
    ['sudo apt-get install -y qemu-user-static', 'npm ci', 'docker buildx build --platform linux/amd64,linux/arm64 -t app .'],
    // An assignment with a comment after its value, then a build that uses it.
    ['release=2.4.0 # for example', 'docker build --no-cache --tag me/node:$release .'],
  ];

  it('reads them, with the invocations bash runs', () => {
    for (const lines of blocks) {
      const md = `Build it:\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`;
      const real = runScript(STUBS + lines.join('\n')).calls;
      expect(real.length).toBeGreaterThan(0);
      expect(argvOf(md)).toEqual(real);
      expect(found(md)).toEqual([]);
    }
  });

  it('still reads a block as commands only when its first other command runs docker', () => {
    const md = [
      // Output after a set-up command: the block is a transcript without prompts.
      '```',
      'go mod download',
      'go: downloading example.com/x v1.0.0',
      'docker buildx ls',
      '```',
      // Output of a command that prints a file: never set-up.
      '```',
      'cat Dockerfile',
      'docker buildx build .',
      '```',
      // A tool's own output line, capitalised or with a colon, is no set-up command.
      '```',
      'npm WARN deprecated x',
      'docker buildx ls',
      '```',
      '',
    ].join('\n');
    expect(readMarkdown(md).regions).toEqual([]);
  });
});
