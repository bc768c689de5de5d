/**
 * Macros a Makefile fragment (`*.mk`) defines for the Makefiles that include it: one that nothing
 * in the fragment expands (or that it expands only over a list each project fills, as upbound's
 * makelib does with XPKGS) is read once, with every argument unknown. Each fragment is also
 * included by a Makefile that instantiates it and run with `make -n`: the words kbx-lint knows
 * are the words make runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMakefile } from '../../server/src/hosts/makefile';
import { argvOf, codes, invocationsOf } from '../harness/lint-helpers';

/** The commands `make -n goal` prints for `includer`, which includes `fragment` as frag.mk. */
function makeCommands(fragment: string, includer: string, goal: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kbx-frag-'));
  try {
    writeFileSync(join(dir, 'frag.mk'), fragment);
    writeFileSync(join(dir, 'Makefile'), includer);
    const r = spawnSync('make', ['-n', '-s', goal], { cwd: dir, env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.split('\n').filter((l) => l !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every word kbx-lint knows (null: unknown) is the word make runs at that place. */
function agrees(known: (string | null)[], ran: string): void {
  const words = ran.split(/\s+/).filter((w) => w !== '');
  expect(words[0]).toBe('docker');
  expect(words.length - 1).toBe(known.length);
  known.forEach((w, i) => {
    if (w !== null) expect(w).toBe(words[i + 1]);
  });
}

const RECIPE = ['define image.build', '\t@echo building $(1)', '\tdocker buildx build --platform linux/amd64,linux/arm64 --push -t $(1):$(2) .', 'endef', ''].join('\n');
const RULES = [
  'define xpkg.targets',
  'xpkg.promote.$(1).$(2):',
  '\t@docker buildx imagetools create -t $(1)/$(2):$(CHANNEL) $(1)/$(2):$(VERSION)',
  'xpkg.promote: xpkg.promote.$(1).$(2)',
  'endef',
  '$(foreach r,$(XPKG_REG_ORGS), $(foreach x,$(XPKGS),$(eval $(call xpkg.targets,$(r),$(x)))))',
  '',
].join('\n');

describe('macros a fragment defines for its includers', () => {
  it('reads a macro of recipe lines nothing in the fragment calls', () => {
    const invs = invocationsOf(RECIPE, 'build/image.mk');
    expect(invs.map(argvOf)).toEqual([['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '--push', '-t', null, '.']]);
    // Reported on the definition, which is where the command is written.
    expect(invs[0].span.start).toBe(0);
    const ran = makeCommands(RECIPE, 'include frag.mk\nimg:\n\t$(call image.build,r/app,v1)\n', 'img');
    agrees(argvOf(invs[0]), ran[1]);
    expect(codes(RECIPE, 'build/image.mk')).toEqual([]);
  });

  it('reads rule templates evaluated over a list the fragment leaves empty', () => {
    const invs = invocationsOf(RULES, 'makelib/xpkg.mk');
    expect(invs.map(argvOf)).toEqual([['buildx', 'imagetools', 'create', '-t', null, null]]);
    const ran = makeCommands(RULES, 'CHANNEL := stable\nVERSION := v1\nXPKG_REG_ORGS := xpkg.upbound.io/o\nXPKGS := p\ninclude frag.mk\n', 'xpkg.promote');
    agrees(argvOf(invs[0]), ran[0]);
  });

  it("does not read again a macro the fragment expands, nor a Makefile's own unused macro", () => {
    const called = `${RECIPE}all:\n\t$(call image.build,r/a,v1)\n`;
    expect(invocationsOf(called, 'image.mk').map(argvOf)).toEqual([['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '--push', '-t', 'r/a:v1', '.']]);
    expect(invocationsOf(RECIPE, 'Makefile')).toHaveLength(0);
    expect(readMakefile(RECIPE, undefined, false).regions).toHaveLength(0);
  });

  it('leaves a macro that only computes a value alone', () => {
    expect(readMakefile('define version\n$(shell git describe)\nendef\n', undefined, true).regions).toHaveLength(0);
  });
});
