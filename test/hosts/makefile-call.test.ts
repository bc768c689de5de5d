/**
 * `define` macros and `$(call …)` in recipes, as GNU make expands them (function.c func_call; a
 * recipe line whose expansion holds newlines runs as several commands). Each Makefile is also run
 * with `make -n`, and the commands kbx-lint reads must be exactly the ones make prints.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { readMakefile } from '../../server/src/hosts/makefile';

function readCommands(text: string): string[] {
  return readMakefile(text).regions.map((r) => r.source.text);
}

function makeCommands(text: string, goal: string): string[] {
  const r = spawnSync('make', ['-n', '-s', '-f', '-', goal], { input: text, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '');
}

const CASES: [string, string][] = [
  [
    'a macro of two lines, called with arguments',
    'define build\n\t@echo start $(1)\n\tdocker buildx build --platform linux/amd64,linux/arm64 -t app-$(1) $(2) .\nendef\nall:\n\t$(call build,ubuntu,--push)\n\t$(call build,debian,)\n',
  ],
  ['nested parentheses and unused arguments', 'img = registry/$(1):$(2)\nall:\n\tdocker buildx build -t $(call img,app,v1) --label x=$(subst a,b,$(1)) .\n'],
  ['a macro used as a whole recipe', 'define steps\ndocker buildx create --name ci --use\ndocker buildx build --push -t r/app .\nendef\nall:\n\t$(steps)\n'],
  ['$(foreach) commands inside an if', 'R := a b\nall:\n\t@if true; then $(foreach r,$(R),docker buildx imagetools create --tag $(r)/x $(r)/y;) fi\n'],
  [
    '$(foreach) with a comma in its text and a call in its list',
    'p = linux/$(1)\nall:\n\tdocker buildx build --platform $(subst $(eval) ,$(eval),$(foreach a,amd64 arm64,$(call p,$(a)),)) .\n\techo $(foreach x,,never)done\n',
  ],
  ['$(eval) in a recipe expands to nothing', 'all:\n\t@$(eval V := 1) if true; then $(eval W = 2) docker buildx build -t a . ; fi\n'],
  ['a call inside a call', 'inner = -t $(1)\nouter = docker buildx build $(call inner,$(1)-x) .\nall:\n\t$(call outer,app)\n'],
];

describe('define and $(call) in recipes', () => {
  it('a variable a recipe $(eval) assigns is known only when make runs the recipe', () => {
    const read = readCommands('T := old\nall:\n\t$(eval T := $(shell date +%s))docker buildx build -t app:$(T) .\n');
    expect(read).toEqual([`docker buildx build -t app:${DYNAMIC} .`]);
  });

  it.each(CASES)('%s: the commands make runs', (_name, text) => {
    const read = readCommands(text);
    const made = makeCommands(text, 'all');
    // $(subst …) is not evaluated by kbx-lint: that word is unknown, everything else is exact.
    const known = (s: string) => !s.includes(DYNAMIC);
    expect(read.filter(known)).toEqual(made.filter((_, i) => known(read[i] ?? DYNAMIC)));
    expect(read).toHaveLength(made.length);
  });

  it('an undefined macro or a name known only at run time is unknown, never an empty command', () => {
    expect(readCommands('all:\n\tdocker buildx build $(call nope,a) .\n')).toEqual([`docker buildx build ${DYNAMIC} .`]);
    expect(readCommands('all:\n\tdocker buildx build $(call $(shell x),a) .\n')).toEqual([`docker buildx build ${DYNAMIC} .`]);
  });

  it('a recursive macro stops at the depth limit', () => {
    const out = readCommands('f = x$(call f)\nall:\n\techo $(call f)\n');
    expect(out).toHaveLength(1);
    expect(out[0]).toContain(DYNAMIC);
  });
});
