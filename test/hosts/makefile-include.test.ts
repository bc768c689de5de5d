/**
 * `include`, `-include` and `sinclude` of local files (GNU make 4.3 read.c eval): each Makefile
 * and the files it includes are written to a temporary directory and run with `make -n`; the
 * commands kbx-lint reads must be the ones make prints, and where make cannot say (a missing
 * file, a cycle, a chain past the bound) the values the include could set must be unknown.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diskIncludeFiles, makefileIncluding } from '../../server/src/engine/make-includes';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { lintIfBuildx } from '../../server/src/engine/lint';
import { readMakefile } from '../../server/src/hosts/makefile';
import { MAX_INCLUDE_DEPTH, MAX_INCLUDE_FILES } from '../../server/src/hosts/makefile-include';
import '../../server/src/lsp/lint-job';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** writeTree writes the files (name → text) to a new directory and returns it. */
function writeTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbx-mkinc-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function readCommands(dir: string): string[] {
  const text = fs.readFileSync(path.join(dir, 'Makefile'), 'utf8');
  const r = readMakefile(text, undefined, false, { files: diskIncludeFiles(path.join(dir, 'Makefile')), maxBytes: 1 << 20 });
  return r.regions.map((x) => x.source.text);
}

function makeRun(dir: string): { status: number | null; commands: string[] } {
  const r = spawnSync('make', ['-n', '-s', '-C', dir, 'all'], { encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, commands: r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('make')) };
}

const SAME_AS_MAKE: [string, Record<string, string>][] = [
  [
    'assignments, ?=, += and a conditional of the included file, in order',
    {
      Makefile: 'DOCKERCMD = podman\ninclude ../makelib/common.mk\nTAGS += -t b\nall:\n\t$(DOCKERCMD) buildx imagetools create $(TAGS) $(IMG)\n',
      '../makelib/common.mk': 'DOCKERCMD ?= docker\nTAGS = -t a\nifeq ($(DOCKERCMD),podman)\nIMG = quay.io/x\nelse\nIMG = docker.io/x\nendif\n',
    },
  ],
  [
    'a define of the included file expanded by the includer, and a nested include',
    {
      Makefile: 'include lib.Makefile\nall:\n\t$(call DOCKER_BUILD,app)\n',
      'lib.Makefile': 'include sub/plat.mk\ndefine DOCKER_BUILD\ndocker buildx build --platform $(PLATFORMS) -t $(1) .\nendef\n',
      'sub/plat.mk': 'PLATFORMS := linux/amd64,linux/arm64\n',
    },
  ],
  [
    'a glob, read in sorted order, and a path built from a variable',
    {
      Makefile: 'MK = mk\ninclude $(MK)/*.mk\n-include $(MK)/none-*.mk\nall:\n\tdocker buildx build $(ARGS) .\n',
      'mk/b.mk': 'ARGS += --push\n',
      'mk/a.mk': 'ARGS = -t a\n',
    },
  ],
  [
    'a path next to the file being read: $(dir $(lastword $(MAKEFILE_LIST)))',
    {
      Makefile: 'include $(dir $(lastword $(MAKEFILE_LIST)))mk/k8s.mk\nall:\n\tdocker buildx build --platform $(P) -t $(T) .\n',
      'mk/k8s.mk': 'include $(dir $(lastword $(MAKEFILE_LIST)))common.mk\nT = app\n',
      'mk/common.mk': 'P = linux/arm64\n',
    },
  ],
  [
    'a variable set to the directory of the file being read ($(shell dirname $(realpath …))) names the files next to it',
    {
      Makefile: 'include defs.mk\nall:\n\t$(QUIET) if true; then docker buildx build -t $(T) .; fi\n',
      'defs.mk': 'ROOT_DIR := $(shell dirname $(realpath $(lastword $(MAKEFILE_LIST))))\ninclude $(ROOT_DIR)/quiet.mk\n',
      'quiet.mk': 'QUIET = @\n\tT = quiet\n',
    },
  ],
  [
    'the same directory spelled $(abspath $(dir …)), $(patsubst %/,%,$(dir $(abspath …))) and $(dir $(realpath …)), in a sub-directory',
    {
      Makefile: 'include mk/defs.mk\nall:\n\tdocker buildx build --platform $(P) -t $(T) $(C) .\n',
      'mk/defs.mk':
        'HERE := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))\nTOP ::= $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))\nD := $(dir $(realpath $(lastword $(MAKEFILE_LIST))))\ninclude $(HERE)/common.mk ${TOP}/tag.mk $(D)cache.mk\n',
      'mk/common.mk': 'P = linux/arm64\n',
      'mk/tag.mk': 'T = app\n',
      'mk/cache.mk': 'C = --no-cache\n',
    },
  ],
  ['a missing -include that no rule builds is skipped', { Makefile: '-include .env\nsinclude local.mk\nP ?= linux/amd64\nall:\n\tdocker buildx build --platform $(P) .\n' }],
  [
    'the included file’s rules and recipe prefix stay its own; its .RECIPEPREFIX holds after',
    {
      Makefile: 'include rules.mk\nall:\n>docker buildx build -t $(T) .\n',
      'rules.mk': '.RECIPEPREFIX = >\nT = x\nother:\n>docker buildx build -t other .\n',
    },
  ],
  [
    'fragments that include the file including them all, behind include guards (read again, as make does)',
    {
      Makefile: 'include build/*.mk\nall:\n\t$(silent)docker buildx build --platform $(PLATFORMS) -t app .\n',
      'build/a.mk': 'ifndef _main_mk\ninclude build/main.mk\nendif\n',
      'build/main.mk': 'ifndef _main_mk\n_main_mk := y\ninclude build/a.mk\ninclude build/vars.mk\nendif\n',
      'build/vars.mk': 'ifndef _main_mk\ninclude build/main.mk\nendif\nifndef _vars_mk\n_vars_mk := y\nifdef V\nsilent :=\nelse\nsilent := @\nendif\nPLATFORMS := linux/amd64,linux/arm64\nendif\n',
    },
  ],
];

describe('Makefile includes, as GNU make reads them', () => {
  it.each(SAME_AS_MAKE)('%s', (_name, files) => {
    const dir = writeTree(Object.fromEntries(Object.entries(files).map(([k, v]) => [k.replace('../', 'up/'), v])));
    // `../makelib` of a case stays inside the temporary tree: its Makefile moves one level down.
    const mkdir = Object.keys(files).some((k) => k.startsWith('../')) ? path.join(dir, 'up', 'proj') : dir;
    if (mkdir !== dir) {
      fs.mkdirSync(mkdir, { recursive: true });
      fs.renameSync(path.join(dir, 'Makefile'), path.join(mkdir, 'Makefile'));
    }
    const made = makeRun(mkdir);
    expect(made.status).toBe(0);
    const read = readCommands(mkdir);
    expect(read).toEqual(made.commands);
    expect(read.join('\n')).not.toContain(DYNAMIC);
  });

  it('a missing include is unknown from there on, whether make builds it or stops', () => {
    const stops = writeTree({ Makefile: 'P = linux/amd64\ninclude gen.mk\nall:\n\tdocker buildx build --platform $(P) .\n' });
    expect(makeRun(stops).status).not.toBe(0);
    expect(readCommands(stops)).toEqual([`docker buildx build --platform ${DYNAMIC} .`]);
    const built = writeTree({ Makefile: 'P = linux/amd64\n-include gen.mk\nall:\n\tdocker buildx build --platform $(P) .\ngen.mk:\n\techo P=linux/arm64 > $@\n' });
    const made = spawnSync('make', ['-s', '-C', built, '--eval', 'SHELL=/bin/sh', 'gen.mk'], { encoding: 'utf8' });
    expect(made.status).toBe(0);
    fs.rmSync(path.join(built, 'gen.mk'));
    expect(readCommands(built)).toEqual([`docker buildx build --platform ${DYNAMIC} .`, `echo P=linux/arm64 > ${DYNAMIC}`]);
  });

  it('a missing -include that a rule of an included file builds is unknown, as make reads what it built', () => {
    const dir = writeTree({
      Makefile: 'P = linux/amd64\ninclude rules.mk\n-include gen.mk\nall:\n\tdocker buildx build --platform $(P) .\n',
      'rules.mk': 'gen.mk:\n\techo P=linux/arm64 > gen.mk\n',
    });
    expect(readCommands(dir)).toEqual([`docker buildx build --platform ${DYNAMIC} .`]);
  });

  it('a recipe prefix from an undecided branch of a file found through the directory variable starts no command', () => {
    const dir = writeTree({
      Makefile: 'include defs.mk\nall:\n\t$(QUIET) if true; then docker buildx build -t app .; fi\n',
      'defs.mk': 'ROOT_DIR := $(shell dirname $(realpath $(lastword $(MAKEFILE_LIST))))\ninclude $(ROOT_DIR)/quiet.mk\n',
      'quiet.mk': 'ifeq ($(QUIET_MAKE),)\n\tT = dev\nelse\n\tQUIET=@\nendif\n',
    });
    expect(makeRun(dir).commands).toEqual(['if true; then docker buildx build -t app .; fi']);
    const text = fs.readFileSync(path.join(dir, 'Makefile'), 'utf8');
    const includes = { files: diskIncludeFiles(path.join(dir, 'Makefile')), maxBytes: 1 << 20 };
    expect(readMakefile(text, undefined, false, includes).regions.map((x) => x.source.text)).toEqual(['if true; then docker buildx build -t app .; fi']);
  });

  it('a directory variable replaced before the include, or set with =, is not taken for the directory', () => {
    const replaced = writeTree({
      Makefile: 'ROOT := $(shell dirname $(realpath $(lastword $(MAKEFILE_LIST))))\nROOT := $(shell pwd)/x\ninclude $(ROOT)/a.mk\nall:\n\tdocker buildx build -t $(T) .\n',
      'a.mk': 'T = app\n',
    });
    expect(readCommands(replaced)).toEqual([`docker buildx build -t ${DYNAMIC} .`]);
    const recursive = writeTree({ Makefile: 'ROOT = $(shell dirname $(realpath $(lastword $(MAKEFILE_LIST))))\ninclude $(ROOT)/a.mk\nall:\n\tdocker buildx build -t $(T) .\n', 'a.mk': 'T = app\n' });
    expect(readCommands(recursive)).toEqual([`docker buildx build -t ${DYNAMIC} .`]);
  });

  it('an assignment after an unknown include makes its variable known again', () => {
    const dir = writeTree({ Makefile: 'include $(shell ls *.inc)\nP = linux/amd64\nall:\n\tdocker buildx build --platform $(P) -t $(T) .\n' });
    expect(readCommands(dir)).toEqual([`docker buildx build --platform linux/amd64 -t ${DYNAMIC} .`]);
  });

  it('an include cycle, on which GNU make crashes, leaves the values unknown', () => {
    const dir = writeTree({ Makefile: 'P = linux/amd64\ninclude a.mk\nall:\n\tdocker buildx build --platform $(P) .\n', 'a.mk': 'include b.mk\n', 'b.mk': 'include a.mk\n' });
    expect(makeRun(dir).status).not.toBe(0);
    expect(readCommands(dir)).toEqual([`docker buildx build --platform ${DYNAMIC} .`]);
  });

  it('a chain of includes is followed to the depth limit, and unknown past it', () => {
    const chain = (n: number): Record<string, string> => {
      const files: Record<string, string> = { Makefile: 'include c0.mk\nall:\n\tdocker buildx build --platform $(P) -t $(T0) .\n' };
      for (let i = 0; i < n; i++) files[`c${i}.mk`] = `T${i} = t${i}\n${i === n - 1 ? 'P = linux/arm64\n' : `include c${i + 1}.mk\n`}`;
      return files;
    };
    const inside = writeTree(chain(MAX_INCLUDE_DEPTH));
    expect(readCommands(inside)).toEqual(makeRun(inside).commands);
    expect(readCommands(inside)).toEqual(['docker buildx build --platform linux/arm64 -t t0 .']);
    const past = writeTree(chain(MAX_INCLUDE_DEPTH + 1));
    expect(makeRun(past).commands).toEqual(['docker buildx build --platform linux/arm64 -t t0 .']);
    expect(readCommands(past)).toEqual([`docker buildx build --platform ${DYNAMIC} -t ${DYNAMIC} .`]);
  });

  it('more included files than the bound leave the values unknown; a Makefile including itself too', () => {
    const files: Record<string, string> = { Makefile: 'P = linux/amd64\ninclude parts/*.mk\nall:\n\tdocker buildx build --platform $(P) .\n' };
    for (let i = 0; i < MAX_INCLUDE_FILES + 1; i++) files[`parts/p${String(i).padStart(3, '0')}.mk`] = `X${i} = ${i}\n`;
    expect(readCommands(writeTree(files))).toEqual([`docker buildx build --platform ${DYNAMIC} .`]);
    const self = writeTree({ Makefile: 'P = linux/amd64\ninclude Makefile\nall:\n\tdocker buildx build --platform $(P) .\n' });
    expect(readCommands(self)).toEqual([`docker buildx build --platform ${DYNAMIC} .`]);
  });

  it('the language server reads the include from disk, again when it changes', () => {
    const dir = writeTree({ Makefile: 'include common.mk\nall:\n\tdocker buildx build --platform $(P) .\n', 'common.mk': 'P = linux/amd65\n' });
    const lintIt = () => lintIfBuildx({ text: fs.readFileSync(path.join(dir, 'Makefile'), 'utf8'), fileName: path.join(dir, 'Makefile') }).diagnostics.map((d) => d.code);
    expect(lintIt()).toContain('KBX411');
    fs.writeFileSync(path.join(dir, 'common.mk'), 'P = linux/amd64,linux/arm64\n');
    // A size change is what the cache sees, whatever the clock's resolution.
    expect(lintIt()).not.toContain('KBX411');
  });
});

describe('a fragment read with the variables of the Makefile that includes it', () => {
  const fragmentCommands = (dir: string, fragment: string): string[] => {
    const file = path.join(dir, fragment);
    const includer = makefileIncluding(file);
    const includes = includer ? { files: diskIncludeFiles(includer.makefile), maxBytes: 1 << 20, includer: { text: includer.text, fragment: includer.fragment } } : undefined;
    return readMakefile(fs.readFileSync(file, 'utf8'), undefined, true, includes).regions.map((r) => r.source.text);
  };

  it('its recipes see what the includer sets before and after the include, as make -n shows', () => {
    const dir = writeTree({
      Makefile: 'PLATFORMS = linux/amd64\ninclude mk/build.mk\nIMAGE = registry/app\nrelease: image\n\tdocker buildx imagetools inspect $(IMAGE)\n',
      'mk/build.mk': 'image:\n\t$(DOCKER) buildx build --platform $(PLATFORMS) -t $(IMAGE) .\nDOCKER ?= docker\n',
    });
    const r = spawnSync('make', ['-n', '-s', '-C', dir, 'image'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(fragmentCommands(dir, 'mk/build.mk')).toEqual(r.stdout.split('\n').filter((l) => l !== ''));
    const alone = readMakefile(fs.readFileSync(path.join(dir, 'mk/build.mk'), 'utf8'), undefined, true).regions.map((x) => x.source.text);
    expect(alone).toEqual([`docker buildx build --platform ${DYNAMIC} -t ${DYNAMIC} .`]);
  });

  it('a macro of the fragment that only the includer instantiates is still read as such', () => {
    const dir = writeTree({
      Makefile: 'ARCHES = amd64 arm64\ninclude image.mk\n$(foreach a,$(ARCHES),$(eval $(call IMAGE_BY_ARCH,$(a))))\n',
      'image.mk': 'define IMAGE_BY_ARCH\nimage/$(1):\n\tdocker buildx build --platform linux/$(1) -t app .\nendef\n',
    });
    expect(fragmentCommands(dir, 'image.mk')).toEqual([`docker buildx build --platform linux/${DYNAMIC} -t app .`]);
  });

  it('a finding in the fragment comes from the includer’s value; one the includer never reaches is read alone', () => {
    const dir = writeTree({
      Makefile: 'P = linux/amd65\ninclude build.mk\n',
      'build.mk': 'image:\n\tdocker buildx build --platform $(P) .\n',
      'sub/Makefile': 'NEVER = 0\nifeq ($(NEVER),1)\ninclude other.mk\nendif\nP = linux/amd65\n',
      'sub/other.mk': 'image:\n\tdocker buildx build --platform $(P) .\n',
    });
    const codes = (f: string) => lintIfBuildx({ text: fs.readFileSync(path.join(dir, f), 'utf8'), fileName: path.join(dir, f) }).diagnostics.map((d) => d.code);
    expect(codes('build.mk')).toEqual(['KBX411']);
    expect(fragmentCommands(dir, 'sub/other.mk')).toEqual([`docker buildx build --platform ${DYNAMIC} .`]);
    expect(codes('sub/other.mk')).toEqual([]);
  });
});
