/**
 * Makefile conditionals and recipe scopes: which branch the reader takes, how undecidable
 * conditions merge, and the scope/after of each recipe region. Expected values were checked with
 * GNU make 4.3 (`$(info)` probes); the differential test compares generated files against it.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { readMakefile } from '../../server/src/hosts/makefile';

const D = DYNAMIC;
const texts = (...lines: string[]): string[] => readMakefile(lines.join('\n') + '\n').regions.map((r) => r.source.text);
/** echoes wraps probe lines into one rule and returns what each recipe line echoes. */
const echoes = (...lines: string[]): string[] => texts('all:', ...lines).map((t) => t.replace(/^echo /, ''));

describe('ifeq / ifneq', () => {
  it('compares both syntaxes and mixed quotes', () => {
    expect(
      echoes('ifeq (a,a)', '\techo 1', 'endif', 'ifeq "a" "a"', '\techo 2', 'endif', 'ifeq \'a\' "a"', '\techo 3', 'endif', 'ifneq (a,b)', '\techo 4', 'endif', 'ifneq "a" "a"', '\techo no', 'endif'),
    ).toEqual(['1', '2', '3', '4']);
  });

  it('handles whitespace exactly as make: blanks around the comma, none kept after it', () => {
    expect(
      echoes(
        'ifeq ( a,a)',
        '\techo no-leading-blank-of-first-kept',
        'endif',
        'ifeq (a, a)',
        '\techo 2',
        'endif',
        'ifeq (a ,a)',
        '\techo 3',
        'endif',
        'ifeq (a,a )',
        '\techo no-trailing-blank-of-second-kept',
        'endif',
        'ifeq " a" "a"',
        '\techo no-quoted-blank-kept',
        'endif',
        'ifeq    (a,a)   # comment',
        '\techo 6',
        'endif',
      ),
    ).toEqual(['2', '3', '6']);
  });

  it('balances parentheses inside the arguments', () => {
    expect(echoes('ifeq ((a),(a))', '\techo 1', 'endif', 'ifeq ($(subst a,b,a),b)', '\techo maybe', 'endif')).toEqual(['1', 'maybe']);
  });

  it('expands variables with their value at that point of the file', () => {
    expect(texts('X = a', 'ifeq ($(X),a)', 'Y := first', 'endif', 'X = b', 'ifeq ($(X),a)', 'Y := second', 'endif', 'all:', '\techo $(Y) $(X)')).toEqual(['echo first b']);
  });

  it('treats an undefined variable as empty, not as the environment', () => {
    expect(texts('ifeq (${X}, load)', 'PLATFORMS = linux/amd64', 'endif', 'all:', '\tdocker buildx build --platform $(PLATFORMS) .')).toEqual([`docker buildx build --platform ${D} .`]);
    expect(echoes('ifeq ($(UNDEFINED),)', '\techo empty', 'endif')).toEqual(['empty']);
  });

  it('follows recursive variables through undefined ones, and ?= defaults', () => {
    // NOPE is set only later in the file: empty where the condition reads it.
    expect(texts('R = x$(NOPE)', 'P ?= yes', 'P ?= no', 'ifeq ($(R)-$(P),x-yes)', 'OK = 1', 'endif', 'all:', '\techo $(OK)', 'NOPE =')).toEqual(['echo 1']);
    // A variable the file never sets comes from the environment: the condition is not decided.
    expect(texts('ifeq ($(FROM_ENV),yes)', 'OK = 1', 'endif', 'all:', '\techo $(OK)')).toEqual([`echo ${DYNAMIC}`]);
  });
});

describe('ifdef / ifndef', () => {
  it('tests for a non-empty value without expanding it', () => {
    expect(
      texts(
        'R = $(EMPTY)',
        'E =',
        'S := $(E) $(E)',
        'P ?=',
        'all:',
        'ifdef R',
        '\techo R',
        'endif',
        'ifdef E',
        '\techo E',
        'endif',
        'ifdef S',
        '\techo S',
        'endif',
        'ifdef P',
        '\techo P',
        'endif',
        'ifndef NEVER',
        '\techo NEVER',
        'endif',
        'ifdef $(subst x,,R)',
        '\techo computed-name',
        'endif',
      ),
    ).toEqual(['echo R', 'echo S', 'echo NEVER', 'echo computed-name']);
  });

  it('sees += and undefine', () => {
    expect(texts('A += x', 'B = 1', 'undefine B', 'all:', 'ifdef A', '\techo 1', 'endif', 'ifndef B', '\techo 2', 'endif')).toEqual(['echo 1', 'echo 2']);
  });

  it('does not know make built-ins (their value may be empty)', () => {
    expect(echoes('ifdef MAKECMDGOALS', '\techo 1', 'else', '\techo 2', 'endif')).toEqual(['1', '2']);
  });
});

describe('else chains and nesting', () => {
  it('takes the first true branch of an else-if chain', () => {
    const chain = (x: string): string[] => texts(`X = ${x}`, 'all:', 'ifeq ($(X),a)', '\techo a', 'else ifneq ($(X),b)', '\techo not-b', 'else ifdef X', '\techo b', 'else', '\techo none', 'endif');
    expect(chain('a')).toEqual(['echo a']);
    expect(chain('c')).toEqual(['echo not-b']);
    expect(chain('b')).toEqual(['echo b']);
  });

  it('nests, and never evaluates inside an untaken branch', () => {
    expect(echoes('ifeq (a,b)', 'ifeq ($(shell x),1)', '\techo no', 'else', '\techo no', 'endif', 'else', 'ifdef NOPE', '\techo no', 'else', '\techo yes', 'endif', 'endif', 'NOPE = later')).toEqual([
      'yes',
    ]);
  });

  it('skips an ignored define up to its endef, conditionals inside it included', () => {
    expect(texts('ifeq (a,b)', 'define X', 'endif', 'endef', 'endif', 'all:', '\techo ok')).toEqual(['echo ok']);
  });

  it('keeps a rule going across directives, in the taken branch only', () => {
    expect(texts('a:', 'ifeq (1,0)', 'b:', '\techo b', 'else', '\techo a', 'endif', '\techo a2')).toEqual(['echo a', 'echo a2']);
  });
});

describe('SHELL in conditions', () => {
  // stashapp/stash's Makefile: a Windows shell test whose branch holds cmd.exe recipe lines.
  const winTest = [
    'IS_WIN_SHELL =',
    'ifeq (${SHELL}, sh.exe)',
    '  IS_WIN_SHELL = true',
    'endif',
    'all:',
    'ifdef IS_WIN_SHELL',
    '\t@if not exist ".local" mkdir .local',
    'else',
    '\t@mkdir -p .local',
    'endif',
  ];

  it('reads SHELL as make does when the file does not set it: /bin/sh, never the environment', () => {
    expect(texts(...winTest)).toEqual(['mkdir -p .local']);
    const r = spawnSync('make', ['-n', '-f', '-'], { input: `${winTest.join('\n')}\n`, env: { PATH: '/usr/bin:/bin', SHELL: 'sh.exe' }, encoding: 'utf8' });
    expect(r.stdout).toBe('mkdir -p .local\n');
  });

  it("uses the value the file gives it, and leaves a fragment's SHELL to the including file", () => {
    expect(texts('SHELL := sh.exe', ...winTest.slice(1))).toEqual(['if not exist ".local" mkdir .local']);
    const fragment = readMakefile(`${winTest.join('\n')}\n`, undefined, true).regions.map((x) => x.source.text);
    expect(fragment).toEqual(['if not exist ".local" mkdir .local', 'mkdir -p .local']);
  });
});

describe('conditions that cannot be decided', () => {
  it('reads every branch and makes a variable that differs DYNAMIC', () => {
    const r = texts(
      'ifeq ($(shell uname -m),x86_64)',
      'ARCH = amd64',
      'SAME = 1',
      'else',
      'ARCH = arm64',
      'SAME = 1',
      'endif',
      'all:',
      '\techo $(ARCH) $(SAME)',
      'ifneq ($(wildcard go.mod),)',
      '\techo go',
      'else',
      '\techo nogo',
      'endif',
    );
    expect(r).toEqual([`echo ${D} 1`, 'echo go', 'echo nogo']);
  });

  it('lets each branch start from the state before the conditional', () => {
    expect(
      texts('V = base', 'ifeq ($(shell x),1)', 'V = one', 'ifeq ($(V),one)', 'W = seen-one', 'endif', 'else', 'ifeq ($(V),base)', 'W = seen-one', 'endif', 'endif', 'all:', '\techo $(W) $(V)'),
    ).toEqual([`echo seen-one ${D}`]);
  });

  it('counts "no branch ran" as an outcome unless an else makes one certain', () => {
    expect(texts('V = base', 'ifdef MAKEFLAGS', 'V = base', 'endif', 'W = w', 'ifdef MAKEFLAGS', 'W = other', 'endif', 'all:', '\techo $(V) $(W)')).toEqual([`echo base ${D}`]);
    expect(texts('ifdef MAKEFLAGS', 'V = 1', 'else ifeq (a,a)', 'V = 1', 'else', 'V = 2', 'endif', 'all:', '\techo $(V)')).toEqual(['echo 1']);
  });

  it('makes ?= and ifdef unknown after a branch that may define the variable', () => {
    expect(texts('ifneq ($(shell x),)', 'V = set', 'endif', 'V ?= dflt', 'all:', '\techo $(V)', 'ifdef V', '\techo def', 'endif')).toEqual([`echo ${D}`, 'echo def']);
  });

  it('drops recipe lines whose rule depends on the branch', () => {
    expect(texts('a:', 'ifeq ($(shell x),1)', 'b:', '\techo b', 'endif', '\techo which', 'c:', '\techo c')).toEqual(['echo b', 'echo c']);
  });

  // phusion/passenger-docker's Makefile: a prerequisite added only in an interactive shell.
  it('keeps recipe lines after a conditional whose every path ends in a rule line for the same targets', () => {
    const src = [
      'I := $(shell [ -t 0 ] && echo 1)',
      'build_%: pre',
      'ifeq ($(I),1)',
      'build_%: base pre',
      'endif',
      '\techo build $*',
      'x y:',
      'ifneq ($(shell x),)',
      'x  y: z',
      'else',
      'x y: w',
      'endif',
      '\techo xy',
      'base pre w z:',
    ];
    const regions = readMakefile(`${src.join('\n')}\n`).regions;
    // Prerequisites kept are those of every path: pre for build_%, none for x (z or w).
    expect(regions.map((r) => [r.source.text, r.scope, r.after])).toEqual([
      [`echo build ${D}`, 'make:build_%', ['make:pre']],
      ['echo xy', 'make:x', []],
    ]);
    for (const [vars, want] of [
      [['I=1'], 'echo build foo\n'],
      [['I=0'], 'echo build foo\n'],
    ] as const) {
      const r = spawnSync('make', ['-n', '-f', '-', 'build_foo', ...vars], { input: `${src.join('\n')}\n`, env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
      expect(r.stdout).toBe(want);
    }
    const r = spawnSync('make', ['-n', '-f', '-', 'x'], { input: `${src.join('\n')}\n`, env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    expect(r.stdout).toBe('echo xy\n');
  });

  it('still drops them when the paths end in rules for other targets, or one path ends the rule', () => {
    expect(texts('a:', 'ifeq ($(shell x),1)', 'b:', 'endif', '\techo which')).toEqual([]);
    expect(texts('a:', 'ifeq ($(shell x),1)', 'a b:', 'endif', '\techo which')).toEqual([]);
    expect(texts('a:', 'ifeq ($(shell x),1)', 'V = 1', 'endif', '\techo which')).toEqual([]);
  });

  it('makes a variable known again after a later unconditional assignment', () => {
    expect(texts('ifeq ($(shell x),1)', 'V = 1', 'endif', 'V := 2', 'all:', '\techo $(V)')).toEqual(['echo 2']);
  });
});

describe('malformed conditionals', () => {
  it('reports make errors with their line and keeps reading', () => {
    const src = 'all:\nifeq (a,b\n\techo one\nendif\nendif\nelse\nifeq (a,a) junk\n\techo two\nendif x\nifdef A\n';
    const r = readMakefile(src);
    const msgs = r.problems.map((p) => [src.slice(p.span.start, p.span.end), p.message]);
    expect(msgs.map((m) => m[0])).toEqual(['ifeq (a,b', 'endif', 'else', 'ifeq (a,a) junk', 'endif x', '']);
    expect(msgs[0][1]).toMatch(/invalid syntax in conditional/);
    expect(msgs[1][1]).toMatch(/extraneous 'endif'/);
    expect(msgs[5][1]).toMatch(/missing 'endif'/);
    expect(r.regions.map((x) => x.source.text)).toEqual(['echo one', 'echo two']);
  });
});

describe('recipe scopes', () => {
  const scopes = (src: string): Array<[string, string | undefined, string[] | undefined]> => readMakefile(src).regions.map((r) => [r.source.text, r.scope, r.after]);

  it('gives each recipe its first target as scope and its normal prerequisites as after', () => {
    const src = [
      'DEPS = dep1 dep2',
      'build push: $(DEPS) dep1 | order-only',
      '\techo build',
      '%.o: %.c config.h',
      '\techo compile',
      'a.o b.o: %.o: %.c extra',
      '\techo static',
      'clean:: ; echo c1',
      'clean:: prep',
      '\techo c2',
      'x: $(UNKNOWN) y',
      '\techo x',
    ].join('\n');
    expect(scopes(src)).toEqual([
      ['echo build', 'make:build', ['make:dep1', 'make:dep2']],
      ['echo compile', 'make:%.o', ['make:config.h']],
      ['echo static', 'make:a.o', ['make:extra']],
      ['echo c1', 'make:clean', []],
      ['echo c2', 'make:clean', ['make:prep']],
      ['echo x', 'make:x', ['make:y']],
    ]);
  });

  it('keeps one scope for a whole .ONESHELL recipe', () => {
    expect(scopes('.ONESHELL:\nall: pre\n\techo a\n\techo b\n')).toEqual([['echo a\necho b', 'make:all', ['make:pre']]]);
  });
});
