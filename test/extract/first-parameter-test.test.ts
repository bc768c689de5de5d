/**
 * A docker stand-in script that hands its own arguments to buildx after testing the first one
 * (`if [[ $1 == "build" ]]; then command docker buildx "${@:1}"`, the CDK's DOCKER hook): in the
 * branch the test guards, $1 is that word, so the command is a `docker buildx build` invocation
 * whatever the rest. `${@:1}` is every parameter, as `"$@"`. Checked against real bash with a
 * stub docker.
 */
import { describe, expect, it } from 'vitest';
import { argvOf, invocationsOf } from '../harness/lint-helpers';
import { runScript } from '../harness/stub-docker';

/** The script run with `args` (after `set --`), as bash runs it. */
const ran = (text: string, args: string[]) => runScript(text.replace('#!/bin/bash\n', `#!/bin/bash\nset -- ${args.map((a) => `'${a}'`).join(' ')}\n`)).calls;

describe('the first parameter, tested before the parameters are passed on', () => {
  it('[[ $1 == "build" ]] makes "${@:1}" a build invocation; the other branch stays unknown', () => {
    const text = ['#!/bin/bash', 'if [[ $1 == "build" ]]; then', '  command docker buildx "${@:1}" --load', 'else', '  command docker "${@:1}"', 'fi', ''].join('\n');
    const invs = invocationsOf(text);
    expect(invs.map((i) => argvOf(i).slice(0, 2))).toEqual([['buildx', 'build']]);
    expect(argvOf(invs[0])).toEqual(['buildx', 'build', null, '--load']);
    expect(ran(text, ['build', '-t', 'app', '.'])).toEqual([['buildx', 'build', '-t', 'app', '.', '--load']]);
    expect(ran(text, ['build'])).toEqual([['buildx', 'build', '--load']]);
    expect(ran(text, ['push', 'app'])).toEqual([['push', 'app']]);
  });

  it('[ "$1" = build ] then shift: the rest is unknown, the flags written after are read', () => {
    const text = ['#!/bin/bash', 'if [ "$1" = build ]; then', '  shift', '  docker buildx build --platform linux/amd64 "$@" .', 'fi', ''].join('\n');
    expect(invocationsOf(text).map(argvOf)).toEqual([['buildx', 'build', '--platform', 'linux/amd64', null, '.']]);
    expect(ran(text, ['build', '-t', 'app'])).toEqual([['buildx', 'build', '--platform', 'linux/amd64', '-t', 'app', '.']]);
  });

  it('a pattern, another parameter or a known parameter list is not narrowed', () => {
    const pattern = ['#!/bin/bash', 'if [[ $1 == b* ]]; then docker buildx "$@"; fi', ''].join('\n');
    expect(invocationsOf(pattern)).toEqual([]);
    expect(ran(pattern, ['bake', 'all'])).toEqual([['buildx', 'bake', 'all']]);
    const second = ['#!/bin/bash', 'if [ "$2" = build ]; then docker buildx "$@"; fi', ''].join('\n');
    expect(invocationsOf(second)).toEqual([]);
    const known = ['#!/bin/bash', 'set -- bake all', 'if [ "$1" = build ]; then docker buildx "$@"; fi', ''].join('\n');
    expect(invocationsOf(known)).toEqual([]);
    expect(runScript(known).calls).toEqual([]);
  });

  it('${@:1} passes the parameters on as "$@" does', () => {
    const text = ['#!/bin/bash', "set -- build -t 'a b' .", 'docker buildx "${@:1}"', ''].join('\n');
    const bash = runScript(text).calls;
    expect(bash).toEqual([['buildx', 'build', '-t', 'a b', '.']]);
    expect(invocationsOf(text).map(argvOf)).toEqual(bash);
    const offset = ['#!/bin/bash', 'set -- x build .', 'docker buildx "${@:2}"', ''].join('\n');
    expect(runScript(offset).calls).toEqual([['buildx', 'build', '.']]);
    expect(invocationsOf(offset)).toEqual([]);
  });
});
