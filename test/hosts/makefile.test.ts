/**
 * Unit tests of the Makefile reader: region text per make rule, and the file range each
 * character maps back to.
 */
import { describe, expect, it } from 'vitest';
import { DYNAMIC, type MappedString } from '../../server/src/core/mapped-string';
import { readMakefile } from '../../server/src/hosts/makefile';

const texts = (src: string): string[] => readMakefile(src).regions.map((r) => r.source.text);
const only = (src: string): MappedString => {
  const r = readMakefile(src).regions;
  expect(r).toHaveLength(1);
  return r[0].source;
};
/** spans lists the file text each character of `ms` maps to. */
const spans = (src: string, ms: MappedString): string[] => Array.from(ms.text, (_, i) => src.slice(ms.starts[i], ms.ends[i]));

/** expectLiteralMap checks that every non-DYNAMIC character that is not from `$(…)` maps to itself. */
function expectIdentityMap(src: string, ms: MappedString): void {
  expect(ms.starts.length).toBe(ms.text.length);
  for (let i = 0; i < ms.text.length; i++) expect(src.slice(ms.starts[i], ms.ends[i])).toBe(ms.text[i]);
}

describe('recipe lines', () => {
  it('gives one region per recipe line, mapped to the file', () => {
    const src = 'all: dep\n\techo hi\n\tdocker buildx ls\n';
    const r = readMakefile(src);
    expect(r.regions.map((x) => x.source.text)).toEqual(['echo hi', 'docker buildx ls']);
    expect(r.regions[0].dialect).toBe('sh');
    expect(r.regions[0].encoding).toBe('makefile');
    for (const g of r.regions) expectIdentityMap(src, g.source);
    expect(r.regions[1].source.starts[0]).toBe(src.indexOf('docker'));
  });

  it('reads recipes as bash when SHELL is known only at run time or set for some targets', () => {
    const dialects = (src: string) => readMakefile(src).regions.map((r) => r.dialect);
    expect(dialects('all:\n\tcat <(echo a)\n')).toEqual(['sh']);
    expect(dialects('SHELL := /bin/sh\nall:\n\techo a\n')).toEqual(['sh']);
    expect(dialects('SHELL := /bin/bash\nall:\n\techo a\n')).toEqual(['bash']);
    expect(dialects('SHELL := $(shell which bash)\nall:\n\tcat <(echo a)\n')).toEqual(['bash']);
    expect(dialects('codecov: SHELL := $(shell which bash)\ncodecov:\n\tcat <(echo a)\n')).toEqual(['bash']);
  });

  it('removes @ - + prefixes in any order, with blanks between and after them', () => {
    const src = 'all:\n\t@-+ @ echo a\n\t- @echo b\n\t  +@-\techo c\n';
    expect(texts(src)).toEqual(['echo a', 'echo b', 'echo c']);
    for (const g of readMakefile(src).regions) expectIdentityMap(src, g.source);
  });

  it('keeps # in a recipe line: it goes to the shell', () => {
    expect(texts('all:\n\techo a # not a make comment\n')).toEqual(['echo a # not a make comment']);
  });

  it('keeps backslash-newline in recipes and drops one tab after it', () => {
    const src = 'all:\n\tdocker buildx create \\\n\t\t--name b \\\n  --use\n';
    const ms = only(src);
    expect(ms.text).toBe('docker buildx create \\\n\t--name b \\\n  --use');
    expectIdentityMap(src, ms);
  });

  it('reads the inline recipe after ; and :: and pattern rules', () => {
    const src = 'a: b ; echo one\n\techo two\nc:: ; @echo three\n%.o: %.c\n\techo four\n';
    expect(texts(src)).toEqual(['echo one', 'echo two', 'echo three', 'echo four']);
    const first = readMakefile(src).regions[0].source;
    expectIdentityMap(src, first);
  });

  it('does not take ; after # as an inline recipe', () => {
    expect(texts('a: b # c ; echo no\n\techo yes\n')).toEqual(['echo yes']);
  });

  it('lets blank and comment lines continue a recipe, and other lines end it', () => {
    const src = 'all:\n\techo 1\n\n# comment\n   \n\techo 2\nX = 1\n\techo never\n';
    expect(texts(src)).toEqual(['echo 1', 'echo 2']);
  });

  it('skips empty commands and a lone colon, as make does', () => {
    expect(texts('all:\n\t@\n\t\n\t:\n\t: x\n')).toEqual([': x']);
  });

  it('honours .RECIPEPREFIX', () => {
    const src = '.RECIPEPREFIX = >\nall:\n>echo a \\\n>b\n> @echo c\n\techo not-a-recipe: x\n';
    expect(texts(src)).toEqual(['echo a \\\nb', 'echo c']);
  });

  it('reads CRLF files, dropping the CR', () => {
    const src = 'all:\r\n\techo a \\\r\n\tb\r\n';
    const ms = only(src);
    expect(ms.text).toBe('echo a \\\nb');
    expectIdentityMap(src, ms);
  });

  it('strips prefixes that come from a variable, like $(Q)', () => {
    const src = 'Q = @\nall:\n\t$(Q)echo quiet\n';
    const ms = only(src);
    expect(ms.text).toBe('echo quiet');
    expectIdentityMap(src, ms);
  });
});

describe('expansion', () => {
  it('turns $$ into $ mapped to both characters', () => {
    const src = 'all:\n\techo $$HOME\n';
    const ms = only(src);
    expect(ms.text).toBe('echo $HOME');
    expect(spans(src, ms)[5]).toBe('$$');
  });

  it('expands $(VAR), ${VAR} and $V, each character mapped to the reference', () => {
    const src = 'NAME = b1\nV := x\nall:\n\tdocker buildx create --name $(NAME) ${NAME}$V\n';
    const ms = only(src);
    expect(ms.text).toBe('docker buildx create --name b1 b1x');
    const sp = spans(src, ms);
    expect(sp.slice(28, 30)).toEqual(['$(NAME)', '$(NAME)']);
    expect(sp.slice(31, 33)).toEqual(['${NAME}', '${NAME}']);
    expect(sp[33]).toBe('$V');
    expect(sp[0]).toBe('d');
  });

  it('makes functions, automatic and undefined variables one DYNAMIC character', () => {
    const src = 'all:\n\techo $(shell git rev-parse HEAD) $@ $(@D) $(subst a,b,$(NOPE)) $(UNSET) $<\n';
    const ms = only(src);
    const D = DYNAMIC;
    expect(ms.text).toBe(`echo ${D} ${D} ${D} ${D} ${D} ${D}`);
    const sp = spans(src, ms);
    expect(sp[5]).toBe('$(shell git rev-parse HEAD)');
    expect(sp[7]).toBe('$@');
    expect(sp[9]).toBe('$(@D)');
    expect(sp[11]).toBe('$(subst a,b,$(NOPE))');
    expect(sp[13]).toBe('$(UNSET)');
  });

  it('expands recursive variables with their final value, := at definition', () => {
    const src = 'A = $(B)\nS := $(B)\nB = early\nT := $(B)\nall:\n\techo $(A) $(S) $(T)\nB = late\n';
    expect(texts(src)).toEqual([`echo late ${DYNAMIC} early`]);
  });

  it('handles += ?= != and the override/export/private modifiers', () => {
    const src = [
      'A = one',
      'A += two',
      'E =',
      'E += x',
      'C ?= first',
      'C ?= second',
      'S != git describe',
      'override O = kept',
      'O = ignored',
      'export X = exported',
      'export',
      'all:',
      '\techo $(A)|$(E)|$(C)|$(S)|$(O)|$(X)',
    ].join('\n');
    expect(texts(src)).toEqual([`echo one two|x|first|${DYNAMIC}|kept|exported`]);
  });

  it('reads an empty ?= as an input the caller sets, checked or not', () => {
    // `make push SERVICE=x REG=y`: the recipe stops unless both are given, so it never builds with them empty.
    const guarded = 'SERVICE ?=\nREG ?= \nall:\n\t@[ -n "$(SERVICE)" ] || exit 1\n\t@test -z "$(REG)" && exit 1\n\tdocker buildx build --platform=linux/$(SERVICE) -t $(REG)/app .\n';
    expect(texts(guarded)[2]).toBe(`docker buildx build --platform=linux/${DYNAMIC} -t ${DYNAMIC}/app .`);
    for (const check of ['ifndef A', 'ifeq ($(A),)', 'ifneq (,$(A))', 'X := $(if $(A),y)']) {
      expect(texts(`A ?=\n${check}\n${check.startsWith('if') ? 'endif\n' : ''}all:\n\techo $(A)\n`), check).toEqual([`echo ${DYNAMIC}`]);
    }
    // Unchecked too (datadog-operator's `GOARCH?=` for a target only CI jobs run, each setting it):
    // nobody runs a recipe that breaks on the empty default without giving the value.
    expect(texts('GOARCH?=\nimage:\n\tdocker buildx build --platform=linux/$(GOARCH) -t a/app .\n')).toEqual([`docker buildx build --platform=linux/${DYNAMIC} -t a/app .`]);
    // A default with text is what make uses.
    expect(texts('REG ?= r\nall:\n\tdocker buildx build -t $(REG)/app .\n')).toEqual(['docker buildx build -t r/app .']);
    // A later plain assignment still wins; := and += keep it unknown; a conditional reads the
    // empty value, as make does in a clean environment.
    expect(texts('A ?=\nA = set\nall:\n\t[ -n "$(A)" ] && echo $(A)\n')).toEqual(['[ -n "set" ] && echo set']);
    expect(texts('A ?=\nA += x\nB := $(A)/y\nall:\n\t[ -z "$(A)" ] || echo $(A) $(B)\n')).toEqual([`[ -z "${DYNAMIC}" ] || echo ${DYNAMIC} ${DYNAMIC}/y`]);
    expect(texts('A ?=\nifeq ($(A),)\nB = empty\nelse\nB = given\nendif\nall:\n\techo $(B)\n')).toEqual(['echo empty']);
  });

  it('a prefix variable from an undecided conditional is stripped at the start of a recipe line', () => {
    // VERBOSE comes from outside: VECHO is @ or undefined, and make strips either from the line.
    const src = 'ifeq ("$(VERBOSE)","true")\nP = x\nelse\nVECHO = @\nendif\nall:\n\t$(VECHO)if [ -d d ]; then docker buildx build -t a . ; fi\n\t@$(VECHO) -$(VECHO)echo $(VECHO)x\n';
    expect(texts(src)).toEqual(['if [ -d d ]; then docker buildx build -t a . ; fi', `echo ${DYNAMIC}x`]);
    // A branch that gives it any other text leaves it unknown everywhere.
    expect(texts('ifeq ($(V),1)\nQ = time\nelse\nQ = @\nendif\nall:\n\t$(Q)docker buildx ls\n')).toEqual([`${DYNAMIC}docker buildx ls`]);
  });

  it('treats ?= on make built-ins (CC, SHELL, …) as unknown', () => {
    expect(texts('CC ?= gcc\nall:\n\t$(CC) -c x.c\n')).toEqual([`${DYNAMIC} -c x.c`]);
  });

  it('cuts assignment values at # but not at \\#, and keeps trailing blanks as make does', () => {
    const src = 'A = x   # comment\nB = a\\#b\nC = $(A)|\nall:\n\techo [$(C)] $(B)\n';
    expect(texts(src)).toEqual(['echo [x   |] a#b']);
  });

  it('collapses backslash-newline in assignments into one space', () => {
    const src = 'OPTS = --a \\\n      --b\\\n\t--c\nall:\n\tx $(OPTS)\n';
    expect(texts(src)).toEqual(['x --a --b --c']);
  });

  it('implements substitution references', () => {
    const src = 'SRC = a.c b.c  x.h\nall:\n\techo $(SRC:.c=.o) $(SRC:%.c=obj/%.o)\n';
    expect(texts(src)).toEqual(['echo a.o b.o x.h obj/a.o obj/b.o x.h']);
  });

  it('resolves nested references and gives up on unknown ones', () => {
    const src = 'WHICH = NAME\nNAME = b1\nall:\n\techo $($(WHICH)) $($(NOPE))\n';
    expect(texts(src)).toEqual([`echo b1 ${DYNAMIC}`]);
  });

  it('turns self-reference and cycles into DYNAMIC without hanging', () => {
    const src = 'A = $(B)\nB = x $(A)\nC = $(C)\nall:\n\techo $(A) $(C)\n';
    const [t] = texts(src);
    expect(t.includes(DYNAMIC)).toBe(true);
    expect(t.startsWith('echo x ')).toBe(true);
  });

  it('treats target-specific variables as unknown and keeps reading', () => {
    const src = 'V = global\nbuild: V = special\n\techo not a recipe\nbuild:\n\techo $(V)\n';
    const r = readMakefile(src);
    expect(r.regions.map((x) => x.source.text)).toEqual([`echo ${DYNAMIC}`]);
  });

  it('collapses backslash-newline inside $(…) before expanding, even after $$', () => {
    const src = 'all:\n\techo $$(git \\\n\t\t  rev-parse HEAD)\n';
    expect(texts(src)).toEqual(['echo $(git rev-parse HEAD)']);
  });
});

describe('.ONESHELL', () => {
  it('joins the lines of a rule with newlines and drops interior prefixes', () => {
    const src = '.ONESHELL:\nall:\n\t@set -e\n\t-@ docker buildx inspect b || \\\n\t  docker buildx create --name b\n\n\t+echo done\nx:\n\techo x\n';
    const r = readMakefile(src).regions;
    expect(r.map((g) => g.source.text)).toEqual(['set -e\ndocker buildx inspect b || \\\n  docker buildx create --name b\necho done', 'echo x']);
    const ms = r[0].source;
    const sp = spans(src, ms);
    for (let i = 0; i < ms.text.length; i++) expect(sp[i]).toBe(ms.text[i]);
  });

  it('applies to rules before the .ONESHELL line too', () => {
    expect(texts('a:\n\techo 1\n\techo 2\n.ONESHELL:\n')).toEqual(['echo 1\necho 2']);
  });
});

describe('directives that must not derail reading', () => {
  it('reads define bodies as values, and runs them where a recipe expands them', () => {
    const src = ['define ONE', 'docker buildx ls', 'endef', 'define MULTI', '\techo a', 'echo b', 'endef', 'define X :=', 'define nested', 'endef', 'endef', 'all:', '\t$(ONE)', '\t$(MULTI)'].join(
      '\n',
    );
    // `$(MULTI)` expands to two lines: make runs `echo a` and `echo b` as two commands.
    expect(texts(src)).toEqual(['docker buildx ls', 'echo a', 'echo b']);
  });

  it('reads the branch make takes; recipe lines stay with their rule', () => {
    const src = [
      'ifeq ($(OS),Windows_NT)',
      'DRIVER = docker',
      'else',
      'DRIVER = docker-container',
      'endif',
      'all:',
      'ifdef CI',
      '\techo ci',
      'else ifeq (a,b)',
      '\techo b',
      'endif',
      '\tdocker buildx create --driver $(DRIVER)',
    ].join('\n');
    // OS and CI are never set by the file: they come from the environment, so both branches of
    // each are read, DRIVER differs between them (dynamic), and `echo ci` may run.
    expect(texts(src)).toEqual(['echo ci', `docker buildx create --driver ${DYNAMIC}`]);
    // Set by the file (here to nothing), the same conditions are decided as make decides them.
    expect(texts(['OS =', 'CI =', src].join('\n'))).toEqual(['docker buildx create --driver docker-container']);
  });

  it('ignores include, -include, sinclude, vpath, .PHONY, export and undefine', () => {
    const src = ['include common.mk', '-include local.mk', 'sinclude other.mk', 'vpath %.c src', '.PHONY: all', 'X = 1', 'undefine X', 'all:', '\techo $(X)'].join('\n');
    expect(texts(src)).toEqual([`echo ${DYNAMIC}`]);
  });

  it('ignores recipes of rules without targets', () => {
    expect(texts(': foo\n\techo hidden\n')).toEqual([]);
  });
});

describe('the shell of an included fragment', () => {
  it('reads a *.mk file that never sets SHELL as bash (the including Makefile decides), a Makefile as sh', () => {
    const text = 'x:\n\tdocker buildx build . 2>&1 | tee >(grep -c error > n.txt) log.txt\n';
    expect(readMakefile(text, undefined, true).regions.map((r) => r.dialect)).toEqual(['bash']);
    expect(readMakefile(text).regions.map((r) => r.dialect)).toEqual(['sh']);
    expect(readMakefile('SHELL = /bin/sh\n' + text, undefined, true).regions.map((r) => r.dialect)).toEqual(['sh']);
  });
});

describe('host problems', () => {
  it('warns about a recipe line indented with spaces', () => {
    const src = 'all:\n    echo hi\n';
    const r = readMakefile(src);
    expect(r.regions).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].severity).toBe('warning');
    expect(r.problems[0].message).toMatch(/missing separator/);
    expect(src.slice(r.problems[0].span.start, r.problems[0].span.end)).toBe('    echo hi');
  });

  it('warns about a recipe line before any rule', () => {
    const r = readMakefile('X = 1\n\techo hi\n');
    expect(r.problems[0].message).toMatch(/recipe commences before first target/);
  });
});
