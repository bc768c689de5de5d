/**
 * `$(shell …)` in a recipe line: make runs the command while it expands the recipe, before the
 * first line's shell starts. Checked against GNU make with a stub docker on PATH.
 */
import { describe, expect, it } from 'vitest';
import { argvOf, codes, invocationsOf } from '../harness/lint-helpers';
import { runMake } from '../harness/stub-docker';

describe('$(shell …) in recipes', () => {
  it('reads the commands make runs while it expands the recipe, before its first line runs', () => {
    const mk = [
      'OPTS := --driver docker-container',
      'release:',
      '\tBUILDER=$(shell docker buildx create $(OPTS) --use); docker buildx build -t a/b:1 .',
      '\techo ${shell docker buildx ls}',
      '\techo $$(shell docker build -t x .)',
      '\t@echo $(shell date)',
      '',
    ].join('\n');
    const invs = invocationsOf(mk, 'Makefile');
    expect(invs.map((i) => argvOf(i))).toEqual([
      ['buildx', 'create', '--driver', 'docker-container', '--use'],
      ['buildx', 'ls'],
      ['buildx', 'build', '-t', 'a/b:1', '.'],
    ]);
    // `$$(shell …)` is the shell's command substitution of a program named shell: make runs no docker.
    expect(runMake(mk, ['release']).calls).toEqual(invs.map((i) => argvOf(i)));
  });

  it('judges what the command receives, at its place in the recipe', () => {
    const mk = 'b:\n\tB=$(shell docker buildx create --driver kubernetes --driver-opt nodeselector=a=b,c=d)\n';
    expect(codes(mk, 'Makefile')).toContain('KBX101');
  });

  it('reads nothing from a $(shell …) that never names docker or buildx, nor from an unclosed one', () => {
    expect(invocationsOf('a:\n\techo $(shell git rev-parse HEAD) $(shell uname -m\n', 'Makefile')).toHaveLength(0);
  });
});

describe('$(shell …) in the value of a simple variable', () => {
  // `:=` and `::=` expand the value as make reads the line: the call runs on every run of make,
  // whatever the goal, and before any recipe (GNU make manual, "The Two Flavors of Variables").
  it('reads the commands make runs as it reads `:=` and `::=` lines, not those of `=` never expanded', () => {
    const mk = [
      'NAME := kbx',
      'BUILDER := $(shell docker buildx inspect $(NAME) >/dev/null 2>&1 && echo $(NAME) || docker buildx create --name $(NAME))',
      'COUNT ::= $(shell docker buildx ls | grep -c $(NAME))',
      'LAZY = $(shell docker buildx du)',
      'ifeq ($(CI),yes)',
      'PUSHED := $(shell docker buildx imagetools inspect a/b:1)',
      'endif',
      'all:',
      '\t@true',
      '',
    ].join('\n');
    const invs = invocationsOf(mk, 'Makefile');
    expect(invs.map((i) => argvOf(i))).toEqual([
      ['buildx', 'inspect', 'kbx'],
      ['buildx', 'create', '--name', 'kbx'],
      ['buildx', 'ls'],
      ['buildx', 'imagetools', 'inspect', 'a/b:1'],
    ]);
    // The stub's inspect fails, so the create runs; CI is unset, so the ifeq branch does not.
    expect(runMake(mk, ['all']).calls).toEqual(invs.slice(0, 3).map((i) => argvOf(i)));
    expect(runMake(`CI := yes\n${mk}`, ['all']).calls).toEqual(invs.map((i) => argvOf(i)));
  });

  it('judges what such a call receives', () => {
    expect(codes('B := $(shell docker buildx create --driver kubernetes --driver-opt nodeselector=a=b,c=d)\nall:\n\t@echo $(B)\n', 'Makefile')).toContain('KBX101');
  });
});
