/**
 * Invocations whose program word is known only at run time, or that a library function runs:
 * `$SUDO docker …`, `$cmd docker build …`, `$(DOCKER) buildx …`, `xargs docker buildx rm`, and
 * wrapper calls inside functions the file never calls. Each case is checked against real bash
 * with a stub `docker` on PATH: every static argument kbx-lint reads is the one docker receives.
 */
import { describe, expect, it } from 'vitest';
import { argvOf, codes, invocationsOf } from '../harness/lint-helpers';
import { runMake, runScript } from '../harness/stub-docker';
import { lintIfBuildx } from '../../server/src/engine/lint';

/** The docker argv bash passes, compared with kbx-lint's reading (null: not static). */
function agreesWithBash(script: string, run: string): void {
  const invs = invocationsOf(script);
  const calls = runScript(script + run).calls;
  expect(invs.length).toBeGreaterThan(0);
  expect(calls.length).toBe(invs.length);
  invs.forEach((inv, k) => {
    const argv = argvOf(inv);
    expect(argv.length).toBeLessThanOrEqual(calls[k].length);
    argv.forEach((a, i) => {
      if (a !== null) expect(a).toBe(calls[k][i]);
    });
  });
}

describe('a program word known only at run time', () => {
  it('reads `$SUDO docker …` from the literal docker, with or without the prefix', () => {
    for (const sudo of ['', 'env']) {
      const script = `SUDO=$1\n$SUDO docker buildx build -t a/b:1 --platform linux/amd64 .\n`;
      expect(invocationsOf(script)).toHaveLength(1);
      agreesWithBash(`set -- ${sudo}\n${script}`, '');
    }
  });

  it('reads a dry-run prefix set in branches (`$cmd docker build`)', () => {
    const script = 'cmd=""\nif [ "$1" = -n ]; then cmd=echo; fi\n$cmd docker build --tag generate:linux linux\n';
    const invs = invocationsOf(script);
    expect(invs.map((i) => i.command)).toEqual(['build']);
    expect(argvOf(invs[0])).toEqual(['build', '--tag', 'generate:linux', 'linux']);
    agreesWithBash(script, '');
  });

  it('reads `$(DOCKER) buildx …` and `"$DOCKER" buildx …` as the Docker CLI running buildx', () => {
    const mk = 'DOCKER := $(shell command -v docker)\nimg:\n\t$(DOCKER) buildx build --platform linux/amd64,linux/arm64 -t a/b:c --push .\n';
    const invs = invocationsOf(mk, 'Makefile');
    expect(invs.map((i) => [i.program, i.command])).toEqual([['docker', 'build']]);
    expect(argvOf(invs[0])).toEqual(['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '-t', 'a/b:c', '--push', '.']);
    agreesWithBash('D=$(command -v docker)\n"$D" buildx create --name x --driver docker-container\n', '');
  });

  it('judges what such a command receives', () => {
    expect(codes('$SUDO docker buildx create --name a --driver-opt nodeselector=a=b,c=d --driver kubernetes\n')).toContain('KBX101');
    expect(codes('"$D" buildx build -t Bad .\n')).toContain('KBX505');
  });

  it('stays silent when the expansion is the program itself', () => {
    // Another program, or a subcommand chosen at run time: nothing says buildx runs.
    expect(invocationsOf('$BUILDER build -t x .\n"$SUDO" docker buildx build .\n$RUN echo docker build .\n')).toHaveLength(0);
  });
});

describe('xargs', () => {
  it('runs its command with the arguments it reads appended', () => {
    const script = 'printf "b1\\nb2\\n" | xargs -n 1 docker buildx rm --force\n';
    const invs = invocationsOf(script);
    expect(invs.map((i) => i.command)).toEqual(['rm']);
    expect(invs[0].argCountUncertain).toBe(true);
    const calls = runScript(script).calls;
    expect(calls.map((c) => c.slice(0, 3))).toEqual([
      ['buildx', 'rm', '--force'],
      ['buildx', 'rm', '--force'],
    ]);
  });

  it('reads a command with a replace string, the string an unknown part of its words', () => {
    // One command per input line, nothing appended: each `{}` (or the string given) becomes the
    // line, inside the argument that holds it (GNU findutils xargs, `-I replace-str`).
    const forms = [
      'xargs -I {} docker buildx build -t {}:v1 .',
      'xargs -I{} docker buildx build -t {}:v1 .',
      'xargs -IIMG docker buildx build -t IMG:v1 .',
      'xargs -0 -I % docker buildx build -t %:v1 .',
      'xargs --replace docker buildx build -t {}:v1 .',
      'xargs -i docker buildx build -t {}:v1 .',
    ];
    for (const form of forms) {
      const input = form.includes('-0') ? "printf 'r/a\\0r/b\\0'" : "printf 'r/a\\nr/b\\n'";
      const script = `${input} | ${form}\n`;
      const invs = invocationsOf(script);
      expect(
        invs.map((i) => [i.command, i.argCountUncertain, argvOf(i)]),
        form,
      ).toEqual([['build', false, ['buildx', 'build', '-t', null, '.']]]);
      const calls = runScript(script).calls;
      expect(calls, form).toEqual([
        ['buildx', 'build', '-t', 'r/a:v1', '.'],
        ['buildx', 'build', '-t', 'r/b:v1', '.'],
      ]);
    }
    // The unknown part is no wrong value: no finding about the tag.
    expect(codes('ls | xargs -I {} docker buildx build -t {} .\n')).toEqual([]);
    // A replace string known only at run time says nothing of the words.
    expect(invocationsOf('ls | xargs -I "$R" docker buildx build -t x .\n')).toHaveLength(0);
  });
});

describe('wrappers called from a library of functions', () => {
  const lib = 'die() { echo "$*" >&2; exit 1; }\ntry() { "$@" || die "cannot $*"; }\n';
  it('replays the wrapper inside a function the file never calls', () => {
    const script = `${lib}build_images() {\n  (cd . && try docker build -t op:dev .)\n}\n`;
    const invs = invocationsOf(script);
    expect(invs.map((i) => [i.command, argvOf(i)])).toEqual([['build', ['build', '-t', 'op:dev', '.']]]);
    agreesWithBash(script, 'build_images\n');
  });

  it('reads each call once when the library function is called too', () => {
    const script = `${lib}build_images() {\n  try docker buildx build -t op:dev .\n}\nbuild_images\nbuild_images\n`;
    expect(invocationsOf(script)).toHaveLength(1);
    expect(runScript(script).calls).toHaveLength(2);
  });

  it('replays the wrapper inside a library function with parameters that the file never calls', () => {
    const script = `${lib}install() {
  if [ "$1" = helm ]; then return; fi
  TAG=op:noop
  (cd . && try docker build -t $TAG .)
}
`;
    expect(invocationsOf(script).map((i) => argvOf(i))).toEqual([['build', '-t', 'op:noop', '.']]);
    agreesWithBash(script, 'install sts\n');
  });

  it('reads a library function with parameters at its call sites once it is called', () => {
    const script = `${lib}install() {
  try docker build -t "op:$1" .
}
install a
install b
`;
    expect(invocationsOf(script).map((i) => argvOf(i))).toEqual([
      ['build', '-t', 'op:a', '.'],
      ['build', '-t', 'op:b', '.'],
    ]);
    agreesWithBash(script, '');
  });

  it('leaves a function that forwards its own arguments to its call sites', () => {
    const script = `${lib}build() {\n  try docker buildx build "$@"\n}\nbuild -t a .\nbuild -t b .\n`;
    expect(invocationsOf(script).map((i) => argvOf(i))).toEqual([
      ['buildx', 'build', '-t', 'a', '.'],
      ['buildx', 'build', '-t', 'b', '.'],
    ]);
    agreesWithBash(script, '');
  });
});

describe('a file that names the Docker CLI only through a variable', () => {
  // No line says `docker` and `build` together, so the cheap pre-filter used to skip the file
  // (apache/apisix's Makefile: `ENV_DOCKER ?= docker`, then `$(ENV_DOCKER) build -t …`).
  // lintIfBuildx is how the CLI and the language server read a file: behind that pre-filter.
  const filtered = (text: string, fileName = 'test.sh') => lintIfBuildx({ text, fileName }).diagnostics.map((d) => d.code);
  it('lints `$(ENV_DOCKER) build` after `ENV_DOCKER ?= docker`, as make runs it', () => {
    const mk = 'ENV_DOCKER ?= docker\nimage:\n\t$(ENV_DOCKER) build -t Apisix/Dev:latest -f ./Dockerfile .\n';
    expect(filtered(mk, 'Makefile')).toContain('KBX505');
    expect(runMake(mk, ['image']).calls).toEqual([['build', '-t', 'Apisix/Dev:latest', '-f', './Dockerfile', '.']]);
  });

  it('lints `"$DOCKER" build` and `${CLI} image build` in a script, as bash runs them', () => {
    const script = 'DOCKER=docker\nCLI=${CLI:-docker}\n"$DOCKER" build -t Bad .\n${CLI} image build -t Bad2 .\n';
    const invs = invocationsOf(script);
    expect(invs.map(argvOf)).toEqual([
      ['build', '-t', 'Bad', '.'],
      ['image', 'build', '-t', 'Bad2', '.'],
    ]);
    expect(filtered(script).filter((c) => c === 'KBX505')).toHaveLength(2);
    expect(runScript(script).calls).toEqual(invs.map(argvOf));
  });

  it('stays quiet when the name holds another program', () => {
    expect(codes('GO ?= go\n# builds the docker image elsewhere\nall:\n\t$(GO) build ./...\n', 'Makefile')).toEqual([]);
    expect(codes('# docker\nGO=go\n$GO build ./...\n')).toEqual([]);
  });
});

describe('a function named after the program', () => {
  // bash and dash look a command's name up among the functions first: `docker` after
  // `docker() { … }` runs the function. The call is read through the body, never as docker.
  const cases: { name: string; script: string }[] = [
    { name: 'a dry-run stub that never runs docker', script: 'docker() { echo "would run: docker $*"; }\ndocker buildx build -t Bad .\n' },
    { name: 'a buildx shorthand', script: 'buildx() { docker buildx "$@"; }\nbuildx build --platform linux/amd64 -t a/b:1 .\n' },
    { name: 'a wrapper that runs the real docker with `command`', script: 'docker() { command docker "$@"; }\ndocker buildx build -t a/b:2 .\n' },
    { name: 'a wrapper that runs the real docker through env', script: 'docker() { env DOCKER_CLI_HINTS=false docker "$@"; }\ndocker buildx create --name x --use\n' },
    { name: 'a call before the definition, and one that bypasses it', script: 'docker buildx ls\ndocker() { :; }\ndocker buildx rm a\ncommand docker buildx rm b\n' },
  ];
  for (const { name, script } of cases) {
    it(`reads ${name} as bash and dash run it`, () => {
      const read = invocationsOf(script).map(argvOf);
      expect(runScript(script).calls).toEqual(read);
      expect(runScript(script, 'dash').calls).toEqual(read);
    });
  }

  it('reports what the function runs once, and nothing for a stub', () => {
    expect(codes(cases[0].script)).toEqual([]);
    expect(codes('buildx() { docker buildx "$@"; }\nbuildx build -t Bad .\n')).toEqual(['KBX505']);
    expect(codes('docker() { command docker "$@"; }\ndocker buildx build -t Bad .\n')).toEqual(['KBX505']);
  });
});
