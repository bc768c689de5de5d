/**
 * Command strings whose text is partly known: `trap "docker buildx rm $b" EXIT` (the variable is
 * expanded when the trap is set), `sh -c "cd $D && docker buildx build …"`, and a recipe's
 * `bash -c '…'` holding a make variable of unknown value. Each is read as the shell reads the
 * string, with the unknown parts as unknown text, and checked against real bash or GNU make with a
 * stub `docker` first on PATH: every static argument kbx-lint reads is the one docker receives.
 */
import { describe, expect, it } from 'vitest';
import { hostFor } from '../../server/src/hosts/detect';
import { argvOf, codes, invocationsOf } from '../harness/lint-helpers';
import { runMake, runScript, type StubRun } from '../harness/stub-docker';

function agrees(invs: ReturnType<typeof invocationsOf>, run: StubRun): void {
  expect(invs.length).toBeGreaterThan(0);
  expect(run.calls.length).toBe(invs.length);
  invs.forEach((inv, k) => {
    const argv = argvOf(inv);
    expect(argv.length).toBe(run.calls[k].length);
    argv.forEach((a, i) => {
      if (a !== null) expect(a).toBe(run.calls[k][i]);
    });
  });
}

describe('trap strings with expansions', () => {
  it('reads `trap "docker buildx rm $b" EXIT` with the builder name unknown', () => {
    const script = 'b="ci-$RANDOM"\ndocker buildx create --name "$b" --driver docker-container\ntrap "docker buildx rm --force $b" EXIT\n';
    const invs = invocationsOf(script);
    expect(invs.map((i) => i.command)).toEqual(['create', 'rm']);
    expect(argvOf(invs[1])).toEqual(['buildx', 'rm', '--force', null]);
    expect(argvOf(invs[0])).toEqual(['buildx', 'create', '--name', null, '--driver', 'docker-container']);
    agrees(invs, runScript(script));
  });

  it('reads each command of the string, and judges what it receives', () => {
    const script = 'trap "docker buildx rm $b; docker buildx prune --filter until=24h -f" INT EXIT\n';
    expect(invocationsOf(script).map((i) => i.command)).toEqual(['rm', 'prune']);
    expect(codes('trap "docker buildx create --name $b --driver kubernetes --driver-opt replicas=two" EXIT\n')).toContain('KBX202');
  });

  it('reads a trap string held in a known variable, and leaves an unknown one unread', () => {
    expect(invocationsOf('cleanup="docker buildx rm x"\ntrap "$cleanup" EXIT\n').map((i) => argvOf(i))).toEqual([['buildx', 'rm', 'x']]);
    expect(invocationsOf('trap "$1" EXIT\ntrap "$CLEANUP; $MORE" INT\n')).toHaveLength(0);
  });
});

describe('sh -c strings with expansions', () => {
  it('reads `sh -c "cd $D && docker buildx build …"`', () => {
    const script = 'D=$(mktemp -d)\nsh -c "cd $D && docker buildx build -t a/b:1 --platform linux/arm64 ."\n';
    const invs = invocationsOf(script);
    expect(invs.map((i) => i.command)).toEqual(['build']);
    expect(argvOf(invs[0])).toEqual(['buildx', 'build', '-t', 'a/b:1', '--platform', 'linux/arm64', '.']);
    agrees(invs, runScript(script));
  });

  it('does not read an unquoted string, which may split into several arguments', () => {
    expect(invocationsOf('bash -c $CMD\nbash -c docker\\ buildx\\ $X\n')).toHaveLength(0);
  });
});

describe('a recipe running bash -c with a make variable of unknown value', () => {
  const mk = [
    'ifeq ($(shell uname -m),x86_64)',
    'ARCH ?= amd64',
    'endif',
    'PLATFORM ?= linux/$(ARCH)',
    'BUILDER ?= docker buildx',
    'image:',
    "\t@bash -c 'set -e; \\",
    '\tP="$${P:-$(PLATFORM)}"; \\',
    '\t$(BUILDER) build --file Dockerfile \\',
    '\t\t--platform "$$P" \\',
    "\t\t.'",
    '',
  ].join('\n');

  it('reads the command with the platform unknown, as make and bash run it', () => {
    const invs = invocationsOf(mk, 'Makefile');
    expect(invs.map((i) => [i.program, i.command])).toEqual([['docker', 'build']]);
    expect(argvOf(invs[0])).toEqual(['buildx', 'build', '--file', 'Dockerfile', '--platform', null, '.']);
    agrees(invs, runMake(mk, ['image']));
  });
});

describe('Makefile fragments by name', () => {
  it('reads Makefile.inc, Makefile.examples and build.make as Makefiles', () => {
    for (const name of ['Makefile.inc', 'Makefile.examples', 'release-tools/build.make', 'make/image.mk', 'GNUmakefile', 'makefile']) {
      expect(hostFor(name)).toBe('makefile');
    }
  });

  it('leaves templates and other formats to their own tools', () => {
    // kubebuilder's makefile.go writes a Makefile from a Go template: it is Go, not make.
    for (const name of ['Makefile.in', 'Makefile.am', 'Makefile.toml', 'Makefile.win', 'Makefile.md', 'Makefile.bak', 'makefile.go', 'Makefile.tmpl', 'Makefile.j2', 'makefile.inc']) {
      expect(hostFor(name)).not.toBe('makefile');
    }
  });

  it('a fragment included by the Makefile gives the commands make runs from it', () => {
    const inc = 'clean-buildx:\n\tdocker buildx use builder_x > /dev/null 2>&1 && \\\n\tdocker buildx rm\n';
    const invs = invocationsOf(inc, 'Makefile.inc');
    expect(invs.map((i) => argvOf(i))).toEqual([
      ['buildx', 'use', 'builder_x'],
      ['buildx', 'rm'],
    ]);
    // GNU make runs the same commands when the Makefile includes the fragment (inlined here: the
    // stub harness writes one file).
    agrees(invs, runMake(`${inc}\nall: clean-buildx\n`, ['clean-buildx']));
  });
});

describe('an empty ?= default', () => {
  const mk = 'GOARCH?=\nifeq ($(GOARCH),)\nNOTE = unset\nendif\nimage:\n\t@echo $(NOTE)\n\tdocker buildx build --platform=linux/${GOARCH} -t a/op:1 .\n';

  it('is an input: the recipe reads it unknown, and the caller value is what docker receives', () => {
    const invs = invocationsOf(mk, 'Makefile');
    expect(argvOf(invs[0])).toEqual(['buildx', 'build', null, '-t', 'a/op:1', '.']);
    expect(codes(mk, 'Makefile')).toEqual([]);
    // The CI job's `make image GOARCH=arm64`: the other arguments are the ones docker receives.
    const run = runMake(mk, ['image', 'GOARCH=arm64']);
    agrees(invs, run);
    expect(run.calls[0][2]).toBe('--platform=linux/arm64');
  });
});

describe('$(shell …) in a conditional', () => {
  it('is a command make runs while reading the file, unless its branch is never reached', () => {
    const mk = [
      "ifeq ($(shell docker buildx inspect 2>/dev/null | awk '/Status/ { print $$2 }'), running)",
      'B = yes',
      'endif',
      'ifeq (a,b)',
      'ifneq ($(shell docker buildx ls),)',
      'endif',
      'endif',
      'ifneq (, $(BUILDX_BIN))',
      'X = $(BUILDX_BIN)',
      'else ifneq (, $(shell docker buildx version))',
      'X = docker buildx',
      'endif',
      'ifeq (a,a)',
      'else ifeq ($(shell docker buildx du),)',
      'endif',
      'all:',
      '\t@true',
      '',
    ].join('\n');
    const invs = invocationsOf(mk, 'Makefile');
    expect(invs.map((i) => argvOf(i))).toEqual([
      ['buildx', 'inspect'],
      ['buildx', 'version'],
    ]);
    agrees(invs, runMake(mk, ['all']));
  });
});

describe('$(if …) in a recipe', () => {
  const mk = [
    'define multiarch',
    '\t$(eval push_image=$(1))',
    '\t$(if $(push_image), docker buildx imagetools create --tag "a/b:1" "a/b:1-amd64" "a/b:1-arm64")',
    'endef',
    'push:',
    '\t$(call multiarch,push)',
    '\t$(if $(V),@)docker buildx ls',
    'decided:',
    '\t$(if yes,docker buildx du --verbose)',
    '\t$(if ,docker buildx du,docker buildx version)',
    '',
  ].join('\n');

  it('reads THEN where the condition is known only at run time, and the branch make takes where it is known', () => {
    const invs = invocationsOf(mk, 'Makefile');
    expect(invs.map((i) => argvOf(i))).toEqual([
      ['buildx', 'imagetools', 'create', '--tag', 'a/b:1', 'a/b:1-amd64', 'a/b:1-arm64'],
      ['buildx', 'ls'],
      ['buildx', 'du', '--verbose'],
      ['buildx', 'version'],
    ]);
    // The undecided ones are lines make may skip.
    expect(invs.map((i) => i.region.conditional === true)).toEqual([true, true, false, false]);
    agrees(invs, runMake(mk, ['push', 'decided']));
  });

  it('keeps an assignment with an undecided $(if …) unknown', () => {
    const invs = invocationsOf('FLAGS := $(if $(DEBUG),--progress=plain)\nall:\n\tdocker buildx build $(FLAGS) .\n', 'Makefile');
    expect(argvOf(invs[0])).toEqual(['buildx', 'build', null, '.']);
  });
});

describe('retry helpers from outside the file', () => {
  const helper = 'mkdir -p hack\nprintf \'#!/bin/sh\\nwhile [ "$1" != docker ]; do shift; done\\n"$@"\\n\' > hack/retry.sh\nchmod +x hack/retry.sh\n';

  it('reads the command a retry script runs, as bash runs it', () => {
    const run = 'hack/retry.sh -n 3 docker buildx imagetools create -t a/b:2 a/b:1\n./hack/retry.sh 10s docker buildx build --platform linux/arm64 -t a/b:3 .\n';
    const invs = invocationsOf(helper + run);
    expect(invs.map((i) => argvOf(i))).toEqual([
      ['buildx', 'imagetools', 'create', '-t', 'a/b:2', 'a/b:1'],
      ['buildx', 'build', '--platform', 'linux/arm64', '-t', 'a/b:3', '.'],
    ]);
    agrees(invs, runScript(helper + run));
    expect(codes('source ./lib.sh\nretry 3 docker buildx build --platform linux/amd64,linux/arm64 --load -t a/b:1 .\n')).toContain('KBX520');
  });

  it('reads a retry function the file defines once, through its body', () => {
    const script = 'retry() { n=$1; shift; for i in $(seq 1 "$n"); do "$@" && return 0; done; return 1; }\nretry 3 docker buildx build -t a/b:1 .\n';
    expect(invocationsOf(script)).toHaveLength(1);
    agrees(invocationsOf(script), runScript(script));
  });

  it('leaves a retry of anything but docker or buildx alone', () => {
    expect(invocationsOf('retry echo docker buildx build .\nretry_push docker push a/b:1\nretry "$CMD" docker buildx ls\n')).toHaveLength(0);
  });
});

describe('a docker command indented with spaces under a rule', () => {
  it('is a rule line to make: the command never runs, and KBX602 says so', () => {
    const mk = 'IMAGE := r/ci\nimage:\n        docker buildx build -t $(IMAGE):1.0 .\n\t@echo done\n';
    expect(invocationsOf(mk, 'Makefile')).toHaveLength(0);
    expect(codes(mk, 'Makefile')).toEqual(['KBX602']);
    expect(runMake(mk, ['image']).calls).toEqual([]);
    // A rule line indented by design stays silent.
    expect(codes('IMAGE := r/ci\nimage:\n\tdocker buildx build -t $(IMAGE):1.0 .\n  $(IMAGE).stamp: image\n\t@touch $@\n', 'Makefile')).toEqual([]);
  });
});

describe('an array holding an expansion that may split', () => {
  const script = ['TAG_ARGS=()', 'for t in "$@"; do TAG_ARGS+=(--tag "$t"); done', 'CMD=(docker buildx imagetools create "${TAG_ARGS[@]}" "$AMD64_REF")', '"${CMD[@]}"', ''].join('\n');

  it('keeps the elements around it: "${CMD[@]}" runs docker buildx imagetools create', () => {
    const invs = invocationsOf(script);
    expect(invs.map((i) => argvOf(i).slice(0, 3))).toEqual([['buildx', 'imagetools', 'create']]);
    // bash with two tags: the known words are the ones docker receives, the rest in between.
    const run = runScript(`set -- a/b:1 a/b:latest\nAMD64_REF=a/b:1-amd64\n${script}`);
    expect(run.calls).toEqual([['buildx', 'imagetools', 'create', '--tag', 'a/b:1', '--tag', 'a/b:latest', 'a/b:1-amd64']]);
  });

  it('judges what it can and no argument count', () => {
    const grown = 'ARGS=()\nfor a in "$@"; do ARGS+=("$a"); done\n';
    expect(codes(`${grown}B=(docker buildx build "\${ARGS[@]}")\n"\${B[@]}"\n`)).toEqual([]);
    expect(codes(`${grown}B=(docker buildx build --platform linux/amd64,linux/arm64 --load "\${ARGS[@]}")\n"\${B[@]}"\n`)).toEqual(['KBX520']);
    // An index into it is unknown: the expansion may have shifted the elements.
    expect(invocationsOf(`${grown}B=(docker "\${ARGS[@]}" buildx)\n"\${B[0]}" "\${B[2]}" ls\n`)).toHaveLength(0);
  });
});

describe('eval strings', () => {
  it('reads `eval "docker buildx …"` and judges what buildx receives', () => {
    const script = 'eval "docker buildx create --name b --driver kubernetes --driver-opt nodeselector=a=b,c=d"\n';
    const invs = invocationsOf(script);
    expect(invs.map((i) => argvOf(i))).toEqual([['buildx', 'create', '--name', 'b', '--driver', 'kubernetes', '--driver-opt', 'nodeselector=a=b,c=d']]);
    expect(codes(script)).toContain('KBX101');
    agrees(invs, runScript(script));
  });

  it('gives the string the current "$@", and its own assignments', () => {
    const script = 'set -- --platform linux/arm64\neval \'docker buildx build "$@" -t r/a .\'\neval "T=r/b; docker buildx build -t \\$T ."\n';
    const invs = invocationsOf(script);
    expect(invs.map((i) => argvOf(i))).toEqual([
      ['buildx', 'build', '--platform', 'linux/arm64', '-t', 'r/a', '.'],
      ['buildx', 'build', '-t', 'r/b', '.'],
    ]);
    agrees(invs, runScript(script));
  });

  it('leaves what the string may assign unknown afterwards', () => {
    // bash builds r/z: the eval replaced T. Reading it as r/x would judge the wrong tag.
    const script = 'T=r/x\neval "$SETUP"\ndocker buildx build -t "$T" .\nT=r/y\neval "T=r/z"\ndocker buildx build -t "$T" .\n';
    const invs = invocationsOf(script);
    expect(invs.map((i) => argvOf(i))).toEqual([
      ['buildx', 'build', '-t', null, '.'],
      ['buildx', 'build', '-t', null, '.'],
    ]);
    agrees(invs, runScript(script));
  });

  it('does not read a string it cannot know', () => {
    expect(invocationsOf('eval "$CMD"\neval $CMD\n')).toHaveLength(0);
  });

  it('joins several arguments with spaces and reads the text again, as bash does', () => {
    // The quoted label splits again in the second reading: docker gets `--label a=1` and `b=2`.
    const script = 'A="--platform linux/amd64 --push"\neval docker buildx build $A --label "a=1 b=2" -t r/a .\n';
    const invs = invocationsOf(script);
    expect(invs.map((i) => argvOf(i))).toEqual([['buildx', 'build', '--platform', 'linux/amd64', '--push', '--label', 'a=1', 'b=2', '-t', 'r/a', '.']]);
    agrees(invs, runScript(script));
  });

  it('reads the joined text with a value set in two branches as unknown words', () => {
    // openziti's quickstart: `eval docker buildx build "${P}" … "${A}"`, P empty or two words.
    const script = 'if [ "$1" = local ]; then P=""; A=--load; else P="--platform linux/amd64,linux/arm64"; A=--push; fi\neval docker buildx build "${P}" . --tag "r/q:1" "${A}"\n';
    const invs = invocationsOf(script);
    expect(invs.map((i) => argvOf(i))).toEqual([['buildx', 'build', null, '.', '--tag', 'r/q:1', null]]);
    expect(codes(script)).toEqual([]);
    expect(runScript(script).calls).toEqual([['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '.', '--tag', 'r/q:1', '--push']]);
  });

  it('reads a string passed to a function that evals its parameters, at the call', () => {
    const script = [
      'run() {',
      '  if [ "$DRY_RUN" = true ]; then echo "$*"; else eval "$@"; fi',
      '}',
      'T=r/a:1',
      'run "docker buildx build \\',
      '  --platform linux/amd64 --tag ${T} ."',
      'run docker buildx imagetools create -t r/a:latest r/a:1',
      '',
    ].join('\n');
    const invs = invocationsOf(script);
    expect(invs.map((i) => argvOf(i))).toEqual([
      ['buildx', 'build', '--platform', 'linux/amd64', '--tag', 'r/a:1', '.'],
      ['buildx', 'imagetools', 'create', '-t', 'r/a:latest', 'r/a:1'],
    ]);
    // Each is reported at its call, which is where the command is written.
    expect(invs.map((i) => i.span.start)).toEqual([script.indexOf('run "docker'), script.indexOf('run docker')]);
    agrees(invs, runScript(script));
  });
});

describe('a command array that branches extend differently', () => {
  it('keeps the elements every branch starts with, the rest unknown', () => {
    // ajslater's docker-bake.sh and ravelox/tvdb's docker-build.sh.
    const script = [
      'CMD=("docker" "buildx" "bake")',
      'if [ "${1:-}" == "push" ]; then',
      '  CMD=("${CMD[@]}" "--push")',
      'fi',
      '"${CMD[@]}"',
      'args=(docker buildx build --platform linux/amd64,linux/arm64 -t "r/a:$V")',
      'if $PUSH; then args+=(--push); else args+=(--load); fi',
      '"${args[@]}" .',
      '',
    ].join('\n');
    const invs = invocationsOf(script);
    expect(invs.map((i) => argvOf(i))).toEqual([
      ['buildx', 'bake', null],
      ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '-t', null, null, '.'],
    ]);
    // The unknown tail may be --load: no KBX520 is claimed, and none of a missing output.
    expect(codes(script)).toEqual([]);
    const run = runScript(`set -- push\nPUSH=false\n${script}`);
    expect(run.calls).toEqual([
      ['buildx', 'bake', '--push'],
      ['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '-t', 'r/a:', '--load', '.'],
    ]);
  });
});
