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
