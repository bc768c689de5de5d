/**
 * `define` macros and `$(call …)` in recipes, as GNU make expands them (function.c func_call; a
 * recipe line whose expansion holds newlines runs as several commands). Each Makefile is also run
 * with `make -n`, and the commands kbx-lint reads must be exactly the ones make prints.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DYNAMIC, startAt } from '../../server/src/core/mapped-string';
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

/**
 * `$(eval …)` on a line of its own at the top level (function.c func_eval): make reads the
 * expanded text as makefile lines at once, so the rules a template defines exist, with their
 * recipes, as if written out. Each case is checked against `make -n` of its `all` goal.
 */
const EVAL_CASES: [string, string][] = [
  [
    'a template instantiated per target in $(foreach)',
    'TARGETS = amd64 arm64\ndefine T\nbuild-$(1):\n\tdocker buildx build --platform linux/$(1) -t app:$(1) .\nendef\n$(foreach t,$(TARGETS),$(eval $(call T,$(t))))\nall: build-amd64 build-arm64\n',
  ],
  [
    'a template read through a variable, assignments and automatic variables inside',
    'BINS = a b\ndefine RULE\n.$(BIN)-push: IMG := reg/$(BIN)\n.$(BIN)-push:\n\t@docker buildx build --push -t reg/$(BIN):v1 -f $(BIN).Dockerfile .\nLAST := $(BIN)\nendef\n$(foreach BIN,$(BINS),$(eval $(RULE)))\nall: .a-push .b-push\n\techo $(LAST)\n',
  ],
  [
    'a template with a value known only when make runs',
    'NOW = $(shell echo 2024)\ndefine T\nimg-$(1):\n\tdocker buildx build --build-arg STAMP=$(NOW) -t $(1) .\n\tdocker buildx imagetools inspect $(1)\nendef\n$(foreach t,a b,$(eval $(call T,$(t))))\nall: img-a img-b\n',
  ],
  [
    'one eval of a call, with a conditional in the template',
    'define T\nifeq ($(1),x)\nx:\n\tdocker buildx build -t x .\nelse\n$(1):\n\tdocker buildx build -t other .\nendif\nendef\n$(eval $(call T,x))\n$(eval $(call T,y))\nall: x y\n',
  ],
];

describe('templates instantiated by a top-level $(eval)', () => {
  it.each(EVAL_CASES)('%s: the commands make runs', (_name, text) => {
    const read = readCommands(text);
    const made = makeCommands(text, 'all');
    const known = (s: string) => !s.includes(DYNAMIC);
    expect(read).toHaveLength(made.length);
    expect(read.filter(known)).toEqual(made.filter((_, i) => known(read[i])));
    expect(read.filter(known).length).toBeGreaterThan(0);
  });

  it('the commands map to the eval line, and a branch make skips is not read', () => {
    const text = 'define T\n$(1):\n\tdocker buildx build -t $(1) .\nendef\nifeq (a,b)\n$(eval $(call T,never))\nendif\n$(eval $(call T,app))\n';
    const regions = readMakefile(text).regions;
    expect(regions.map((r) => r.source.text)).toEqual(['docker buildx build -t app .']);
    const line = '$(eval $(call T,app))';
    const at = text.indexOf(line);
    const src = regions[0].source;
    for (let i = 0; i < src.text.length; i++) {
      const o = startAt(src, i);
      expect(o).toBeGreaterThanOrEqual(at);
      expect(o).toBeLessThan(at + line.length);
    }
  });

  it('a rule line that merely contains an eval stays a rule; an unknown template reads nothing', () => {
    const rule = readCommands('all: $(eval X := 1)\n\techo $(X)\n');
    expect(rule).toHaveLength(1);
    expect(rule[0]).toMatch(/^echo /);
    expect(readCommands('$(eval $(call $(shell echo T),a))\nall:\n\techo ok\n')).toEqual(['echo ok']);
  });

  it('a template sees its own evals at once; the rebuilt text is not judged for structure', () => {
    // make applies `$(eval NAME := $(1))` while it expands the call, so the rule line after it
    // already reads the new value.
    const text = 'define T\n$(eval NAME := $(1))\n$(NAME)-img:\n\tdocker buildx build -t $(NAME) .\n  $(UNKNOWN_LIST)\nendef\n$(eval $(call T,web))\nall: web-img\n';
    expect(readCommands(text)).toEqual(makeCommands(text, 'all'));
    expect(readMakefile(text).problems).toEqual([]);
  });

  it('a template that evaluates itself stops at the nesting limit', () => {
    const text = 'define T\nt$(1):\n\techo $(1)\n$$(eval $$(call T,$(1)x))\nendef\n$(eval $(call T,x))\n';
    const read = readCommands(text);
    expect(read.length).toBeGreaterThan(1);
    expect(read.length).toBeLessThan(20);
  });
});
