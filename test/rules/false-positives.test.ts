/**
 * False positives found by the real-world corpus (test/corpus/): each case is a correct or
 * dynamic command that a rule reported, next to a control showing the rule still fires on the
 * real mistake.
 */
import { describe, expect, it } from 'vitest';
import { buildModel, lint } from '../../server/src/engine/lint';
import { argCountUncertain } from '../../server/src/buildx/model';

function codes(text: string, fileName = 'build.sh'): string[] {
  return lint({ text, fileName }).diagnostics.map((d) => d.code);
}

describe('an unresolved make expansion may split into several arguments', () => {
  // PUSH is set per target, so kbx-lint leaves $(PUSH) dynamic; make pastes `--push` into the
  // recipe and the shell sees a flag, not a second build context.
  const mk = (recipe: string) => `release: PUSH = --push\nrelease:\n\t${recipe}\n`;

  it('does not count it as a build context (KBX526)', () => {
    expect(codes(mk('docker buildx build -t app:1 $(PUSH) .'), 'Makefile')).toEqual([]);
  });

  it('does not count it as a second create argument (KBX420)', () => {
    expect(codes(mk('docker buildx create --name b $(PUSH) ctx'), 'Makefile')).toEqual([]);
  });

  it('does not demand a remote endpoint it may contain (KBX421)', () => {
    expect(codes(mk('docker buildx create --name r --driver remote $(PUSH)'), 'Makefile')).toEqual([]);
  });

  it('marks the invocation as uncertain only when unquoted', () => {
    const unquoted = buildModel({ text: mk('docker buildx build $(PUSH) .'), fileName: 'Makefile' }).invocations[0];
    const quoted = buildModel({ text: mk('docker buildx build "$(PUSH)" .'), fileName: 'Makefile' }).invocations[0];
    expect(argCountUncertain(unquoted)).toBe(true);
    expect(argCountUncertain(quoted)).toBe(false);
  });

  it('does not count a quoted word known only at run time as a context: it may be a flag', () => {
    // make pastes `--push` between the quotes; buildx sees the flag, quotes or not.
    expect(codes(mk('docker buildx build -t app:1 "$(PUSH)" .'), 'Makefile')).toEqual([]);
    // Set to `--output=…` in each branch of an `if`: the shell script's value is not known.
    const sh = 'if [ "$1" ]; then out="--output=type=tar,dest=a.tar"; else out="--output=type=image,name=r/a,push=true"; fi\ndocker buildx build "$out" .\n';
    expect(codes(sh)).toEqual([]);
  });

  it('control: a quoted expansion is exactly one argument, so a second context is still reported', () => {
    expect(codes(mk('docker buildx build -t app:1 "ctx-$(PUSH)" .'), 'Makefile')).toEqual(['KBX526']);
    expect(codes(mk('docker buildx build -t app:1 "$(PUSH)" . other'), 'Makefile')).toEqual(['KBX526']);
  });

  it('control: a resolved make variable is read as what it expands to', () => {
    expect(codes('CTX := a b\nall:\n\tdocker buildx build -t app:1 $(CTX)\n', 'Makefile')).toEqual(['KBX526']);
  });
});

describe('words that may carry --append or --node (builder graph)', () => {
  it('does not report builder-exists when $OPTS may hold --append (KBX406)', () => {
    expect(codes('docker buildx create --name a $OPTS\ndocker buildx create --name a $OPTS\n')).toEqual([]);
  });

  it('does not report node-not-found when $OPTS may hold --append (KBX405)', () => {
    expect(codes('docker buildx create --name b --driver kubernetes\ndocker buildx create --name b $OPTS --node n2\n')).toEqual([]);
  });

  it('does not report builder-exists when an unresolved make variable may hold --append', () => {
    expect(codes('all:\n\tdocker buildx create --name a\n\tdocker buildx create --name a $(APPEND_FLAG)\n', 'Makefile')).toEqual([]);
  });

  it('does not report builder-exists for --append=$X', () => {
    expect(codes('docker buildx create --name a\ndocker buildx create --name a --append=$APPEND\n')).toEqual([]);
  });

  it('control: without a splitting word both are still reported', () => {
    expect(codes('docker buildx create --name a\ndocker buildx create --name a "$OPTS"\n')).toEqual(['KBX406']);
    expect(codes('docker buildx create --name b --driver kubernetes\ndocker buildx create --name b --node n2\n')).toEqual(['KBX405']);
  });
});

describe('the cloud driver of Docker Build Cloud (KBX207)', () => {
  it('accepts --driver cloud ORG/BUILDER', () => {
    expect(codes('docker buildx create --use --driver cloud acme/builder\n')).toEqual([]);
  });

  it('control: an unknown driver is still reported', () => {
    expect(codes('docker buildx create --use --driver clod acme/builder\n')).toEqual(['KBX207']);
  });
});

describe('platforms a docker-container builder may emulate (KBX426)', () => {
  it('does not judge a docker-container node: its host may run or emulate the platform', () => {
    const text =
      'docker run --privileged --rm tonistiigi/binfmt --install all\n' +
      'docker buildx create --name dc --driver docker-container --platform linux/amd64 --use\n' +
      'docker buildx build --builder dc --platform linux/amd64,linux/arm64 -t x/y --push .\n';
    expect(codes(text)).toEqual([]);
  });

  it('does not judge the host-native platform of a node pinned to another one', () => {
    const text = 'docker buildx create --name sway --platform linux/arm64 --driver docker-container\n' + 'docker buildx build --builder sway --platform linux/amd64 -t sway .\n';
    expect(codes(text)).toEqual([]);
  });

  it('control: a kubernetes node without qemu.install is still judged', () => {
    const text = 'docker buildx create --name k --driver kubernetes --node amd --platform linux/amd64\n' + 'docker buildx build --builder k --platform linux/amd64,linux/arm64 -t x/y --push .\n';
    expect(codes(text)).toEqual(['KBX426']);
  });
});
