/**
 * Program words whose value is known only as "a buildx program": a path found on PATH at run
 * time (`buildx="$(command -v docker-buildx)"`, then `"$buildx" create …`) and longhorn's
 * two-branch arrays (`BUILD_CMD=(buildx) || BUILD_CMD=(docker buildx)`, then
 * `"${BUILD_CMD[@]}" build …`). Each is checked against real bash with stub `docker`, `buildx` and
 * `docker-buildx` first on PATH: the arguments after the program prefix are the ones the program
 * receives, on whichever path bash takes.
 */
import { describe, expect, it } from 'vitest';
import type { Invocation } from '../../server/src/extract/invocation';
import { argvOf, codes, invocationsOf } from '../harness/lint-helpers';
import { runScript } from '../harness/stub-docker';

/** The arguments after the program prefix: `docker buildx create …` and `buildx create …` give `create …`. */
function afterPrefix(argv: (string | null)[], docker: boolean): (string | null)[] {
  return docker && argv[0] === 'buildx' ? argv.slice(1) : argv;
}

/** Every invocation read is one call bash makes, with the same arguments after the program. */
function agrees(script: string): Invocation[] {
  const invs = invocationsOf(script);
  const run = runScript(script);
  expect(invs.length).toBeGreaterThan(0);
  expect(run.calls.length).toBe(invs.length);
  invs.forEach((inv, k) => {
    const read = afterPrefix(argvOf(inv), inv.program === 'docker');
    // The stub records the arguments, not its name: a call to `docker` starts with `buildx`.
    const real = afterPrefix(run.calls[k], run.calls[k][0] === 'buildx' && read[0] !== 'buildx');
    expect(read.length).toBe(real.length);
    read.forEach((a, i) => {
      if (a !== null) expect(a).toBe(real[i]);
    });
  });
  return invs;
}

describe('a program found on PATH at run time', () => {
  it.each([
    ['buildx="$(command -v docker-buildx)"\n"$buildx" create --name b --driver docker-container\n', 'docker-buildx'],
    ['BUILDX=$(which buildx)\n"$BUILDX" create --name b --driver docker-container\n', 'buildx'],
    ['b=$(type -P docker-buildx)\n"$b" create --name b --driver docker-container\n', 'docker-buildx'],
    ['b=`command -v buildx 2>/dev/null`\n"$b" create --name b --driver docker-container\n', 'buildx'],
  ])('reads %j as %s', (script, program) => {
    const invs = agrees(script);
    expect(invs.map((i) => [i.program, i.command])).toEqual([[program, 'create']]);
    expect(argvOf(invs[0])).toEqual(['create', '--name', 'b', '--driver', 'docker-container']);
  });

  it('judges what the program receives there', () => {
    expect(codes('buildx="$(command -v docker-buildx)"\n"$buildx" create --driver kubernetes --driver-opt replicas=two\n')).toContain('KBX202');
  });

  it('keeps working behind a guard that falls back to a plugin path', () => {
    const script = [
      'buildx="$(command -v docker-buildx)"',
      '[ -x "$buildx" ] || buildx=/usr/libexec/docker/cli-plugins/docker-buildx',
      '[ -x "$buildx" ] || { echo "no buildx" >&2; exit 1; }',
      '"$buildx" create --name b --driver docker-container',
      '',
    ].join('\n');
    expect(agrees(script).map((i) => i.program)).toEqual(['docker-buildx']);
  });

  it('reads `"$(command -v docker)" buildx …` as docker', () => {
    const script = 'docker="$(command -v docker)"\n"$docker" buildx create --name b\n"$(command -v docker)" buildx rm b\n';
    expect(agrees(script).map((i) => [i.program, i.command])).toEqual([
      ['docker', 'create'],
      ['docker', 'rm'],
    ]);
  });

  it('leaves unknown whatever is not exactly a lookup of a buildx program', () => {
    const unread = [
      'b=$(command -v kubectl)\n"$b" create --driver-opt replicas=two\n',
      'b=$(command -v docker-buildx | head -1)\n"$b" create --driver-opt replicas=two\n',
      'b=$(command -v docker-buildx >/tmp/x)\n"$b" create --driver-opt replicas=two\n',
      'b=$(command -v "$NAME")\n"$b" create --driver-opt replicas=two\n',
      'b=$(command -V buildx)\n"$b" create --driver-opt replicas=two\n',
      // A function of that name is what command -v prints, and what "$b" then runs.
      'docker-buildx() { :; }\nb=$(command -v docker-buildx)\n"$b" create --driver-opt replicas=two\n',
      // Unquoted, a program not found is nothing: the command is `create`.
      'b=$(command -v docker-buildx)\n$b create --driver-opt replicas=two\n',
      'b=$(command -v docker-buildx)\nb+=x\n"$b" create --driver-opt replicas=two\n',
      'b=$(command -v docker-buildx)\n[ -x "$b" ] || b=$(command -v kubectl)\n"$b" create --driver-opt replicas=two\n',
      'b=$(command -v docker-buildx)\nfor x in 1; do b=$x; done\n"$b" create --driver-opt replicas=two\n',
    ];
    for (const script of unread) expect(invocationsOf(script), script).toHaveLength(0);
  });

  it('reads `type -P` only where the shell is bash', () => {
    expect(invocationsOf('#!/bin/sh\nb=$(type -P buildx)\n"$b" create --name b\n')).toHaveLength(0);
  });
});

describe('a program prefix that differs between paths', () => {
  it("reads longhorn's `BUILD_CMD=(buildx) || BUILD_CMD=(docker buildx)` on the path bash takes", () => {
    const script = 'BUILD_CMD=(buildx) || BUILD_CMD=(docker buildx)\n"${BUILD_CMD[@]}" build --platform linux/amd64 -t a/b:1 .\n';
    const invs = agrees(script);
    expect(invs.map((i) => i.command)).toEqual(['build']);
  });

  it('reads an if/else of prefixes on both paths', () => {
    for (const os of ['Linux', 'Nope']) {
      const script = `if [ "$(uname)" = ${os} ]; then CMD=(docker buildx); else CMD=(buildx); fi\n"\${CMD[@]}" create --name b --driver docker-container\n`;
      expect(agrees(script).map((i) => i.command)).toEqual(['create']);
    }
    expect(codes('if [ -n "$CI" ]; then CMD=(docker buildx); else CMD=(buildx); fi\n"${CMD[@]}" create --driver kubernetes --driver-opt replicas=two\n')).toContain('KBX202');
  });

  it('reads a PATH lookup and a known prefix as one choice', () => {
    const script = 'if command -v docker-buildx >/dev/null; then B=(docker-buildx); else B=(docker buildx); fi\n"${B[@]}" rm b\n';
    expect(agrees(script).map((i) => i.command)).toEqual(['rm']);
  });

  it('leaves unknown a choice where some path holds anything else', () => {
    const unread = [
      // The path not taken leaves the array unset: the command is `build`.
      '[ -n "$CI" ] && CMD=(buildx)\n"${CMD[@]}" build --platform linux/amd64 .\n',
      'if [ -n "$CI" ]; then CMD=(docker buildx); else CMD=(echo); fi\n"${CMD[@]}" create --driver-opt replicas=two\n',
      'if [ -n "$CI" ]; then CMD=(docker buildx); else CMD=(docker); fi\n"${CMD[@]}" create --driver-opt replicas=two\n',
      // `buildx buildx create` is not a create.
      'if [ -n "$CI" ]; then CMD=(docker); else CMD=(buildx); fi\n"${CMD[@]}" buildx create --driver-opt replicas=two\n',
      'if [ -n "$CI" ]; then CMD=(docker buildx); else CMD=(buildx); fi\n"${CMD[0]}" create --driver-opt replicas=two\n',
    ];
    for (const script of unread) expect(invocationsOf(script), script).toHaveLength(0);
  });

  it('leaves out a path that ends in exit or return', () => {
    for (const found of ['docker-buildx', 'kubectl']) {
      const script = [
        `if command -v ${found} >/dev/null 2>&1; then`,
        '  BUILDX=(docker-buildx)',
        'elif docker buildx version >/dev/null 2>&1; then',
        '  BUILDX=(docker buildx)',
        'else',
        '  echo "no buildx" >&2',
        '  exit 1',
        'fi',
        '"${BUILDX[@]}" build --platform linux/amd64 -t a/b:1 .',
        '',
      ].join('\n');
      const builds = invocationsOf(script).filter((i) => i.command === 'build');
      expect(builds).toHaveLength(1);
      // The condition's `docker buildx version` runs only when docker-buildx is not found.
      const calls = runScript(script).calls;
      expect(afterPrefix(argvOf(builds[0]), builds[0].program === 'docker')).toEqual(afterPrefix(calls[calls.length - 1], calls.length > 1));
    }
    const inFunction = 'f() {\n  if [ -n "$CI" ]; then B=(buildx); else return 1; fi\n  "${B[@]}" rm b\n}\nf\n';
    expect(invocationsOf(inFunction).map((i) => i.command)).toEqual(['rm']);
  });

  it('keeps a path whose exit leaves only a subshell, a pipeline or the background', () => {
    for (const leave of ['(exit 1)', 'exit 1 | cat', 'exit 1 &', 'echo exit']) {
      const script = `if [ -n "$CI" ]; then CMD=(buildx); else ${leave}; fi\n"\${CMD[@]}" create --driver-opt replicas=two\n`;
      expect(invocationsOf(script), script).toHaveLength(0);
      // Bash takes the path with CMD unset: `create` is not found, no program runs.
      expect(runScript(script).calls).toEqual([]);
    }
  });

  it('keeps a test on the value undecided', () => {
    // The value is unknown text: `[ "${CMD[0]}" = docker ]` decides no branch.
    const script = 'if [ -n "$CI" ]; then CMD=(docker buildx); else CMD=(buildx); fi\nif [ "${CMD[0]}" = docker ]; then docker buildx ls; fi\n';
    expect(invocationsOf(script).map((i) => i.command)).toEqual(['ls']);
  });
});
