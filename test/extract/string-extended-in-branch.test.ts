/**
 * A command string that the branches of an `if` extend differently (`CMD="docker buildx build
 * … -t $IMG"`, then `CMD="$CMD -f $FILE"` when a variant is asked for, then `eval "$CMD"`): after
 * the `if`, the words every outcome starts with are known and the rest is unknown text, which
 * eval reads as unknown arguments. Checked against real bash with a stub docker: each run's
 * arguments start with the words read, and the unknown part stands for what the branch added.
 */
import { describe, expect, it } from 'vitest';
import { argvOf, invocationsOf } from '../harness/lint-helpers';
import { runScript } from '../harness/stub-docker';

const script = (variant: boolean) =>
  [
    '#!/bin/bash',
    `VARIANT=${variant ? 'alpine' : ''}`,
    'CMD="docker buildx build --platform linux/amd64,linux/arm64 -t acme/app:1.0"',
    'if [ -n "$VARIANT" ]; then',
    '  CMD="$CMD -f Dockerfile-$VARIANT"',
    'fi',
    'CMD="$CMD --push ."',
    'eval "$CMD"',
    '',
  ].join('\n');

/** A script whose branch is decided at run time only (the variant comes from the caller). */
const undecided = script(false).replace('VARIANT=\n', 'VARIANT="$1"\n');

describe('a command string extended in one branch', () => {
  it('reads the shared words and an unknown rest, as bash runs either branch', () => {
    const argv = invocationsOf(undecided).map(argvOf);
    expect(argv).toEqual([['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '-t', 'acme/app:1.0', null, '--push', '.']]);
    const plain = runScript(script(false)).calls;
    const variant = runScript(script(true)).calls;
    expect(plain).toEqual([['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '-t', 'acme/app:1.0', '--push', '.']]);
    expect(variant).toEqual([['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '-t', 'acme/app:1.0', '-f', 'Dockerfile-alpine', '--push', '.']]);
    // The known words are a prefix and a suffix of every run; the unknown part is what is between.
    for (const run of [...plain, ...variant]) {
      expect(run.slice(0, 6)).toEqual(argv[0].slice(0, 6));
      expect(run.slice(-2)).toEqual(argv[0].slice(-2));
    }
  });

  it('an unknown part of the shared text ends the known words, as it may differ between outcomes', () => {
    const text = ['#!/bin/bash', 'CMD="docker buildx build --platform linux/arm64 -t acme/$1 --pull"', 'if [ -n "$2" ]; then CMD="$CMD -f $2"; fi', 'eval "$CMD ."', ''].join('\n');
    expect(invocationsOf(text).map(argvOf)).toEqual([['buildx', 'build', '--platform', 'linux/arm64', '-t', null, '.']]);
  });

  it('without a shared whole word the value stays unknown', () => {
    const midWord = ['#!/bin/bash', 'T="acme/app:1"', 'if [ -n "$1" ]; then T="acme/app:12"; fi', 'docker buildx build -t "$T" .', ''].join('\n');
    expect(invocationsOf(midWord).map(argvOf)).toEqual([['buildx', 'build', '-t', null, '.']]);
  });
});
