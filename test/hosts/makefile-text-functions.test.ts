/**
 * make's text and file-name functions (GNU make manual, "Functions for String Substitution and
 * Analysis", "Functions for File Names") computed where their arguments are known, checked
 * against GNU make: every recipe line of the generated Makefile must read as `make -n` prints it.
 * An argument known only at run time leaves the result unknown.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { readMakefile } from '../../server/src/hosts/makefile';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const VARS = [
  'ACTION := load',
  'PLATFORMS = linux/amd64 linux/arm64  linux/arm/v7',
  'TAGS = latest 1.2 1.2.3',
  'IMAGE = ghcr.io/acme/app',
  'FILES = src/a.c src/b.c include/x.h main.c dir/',
  'EMPTY :=',
  'COMMA := ,',
  'SPACE := $(EMPTY) $(EMPTY)',
];

const EXPRESSIONS = [
  '$(addprefix --,$(ACTION))',
  '$(addprefix --platform=,$(PLATFORMS))',
  '$(addsuffix -amd64,$(TAGS))',
  '$(foreach t,$(TAGS),-t $(IMAGE):$(t))',
  '$(addprefix -t $(IMAGE):,$(TAGS))',
  '$(subst $(SPACE),$(COMMA),$(strip $(PLATFORMS)))',
  '$(subst /,-,$(PLATFORMS))',
  '$(subst linux/,,$(PLATFORMS))',
  '$(patsubst linux/%,%,$(PLATFORMS))',
  '$(patsubst %.c,%.o,$(FILES))',
  '$(patsubst %.c,,$(FILES))',
  '$(strip   a   b  )',
  '$(findstring arm,$(PLATFORMS))',
  '$(findstring s390x,$(PLATFORMS))',
  '$(filter linux/arm%,$(PLATFORMS))',
  '$(filter %.c %.h,$(FILES))',
  '$(filter-out linux/amd64,$(PLATFORMS))',
  '$(sort $(TAGS) latest b a)',
  '$(word 2,$(PLATFORMS))',
  '$(word 9,$(PLATFORMS))',
  '$(wordlist 2,3,$(PLATFORMS))',
  '$(wordlist 3,2,$(PLATFORMS))',
  '$(words $(PLATFORMS))',
  '$(firstword $(TAGS))',
  '$(lastword $(TAGS))',
  '$(join a b c,1 2)',
  '$(dir $(FILES))',
  '$(notdir $(FILES))',
  '$(strip a,b)',
  '$(addprefix x, a b)',
];

function write(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbx-mkfn-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'Makefile'), text);
  return dir;
}

describe('make text functions in recipes', () => {
  it('read as GNU make expands them', () => {
    const text = `${VARS.join('\n')}\nall:\n${EXPRESSIONS.map((e) => `\tdocker buildx build ${e} .\n`).join('')}`;
    const r = spawnSync('make', ['-n', '-s', '-C', write(text), 'all'], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(0);
    const made = r.stdout.split('\n').filter((l) => l !== '');
    const read = readMakefile(text).regions.map((x) => x.source.text);
    expect(read).toEqual(made);
  });

  it('an argument known only at run time leaves the result unknown', () => {
    const text = 'P := $(shell cat platforms)\nall:\n\tdocker buildx build $(addprefix --platform=,$(P)) .\n\tdocker buildx build --platform $(subst $(X), ,a) .\n';
    expect(readMakefile(text).regions.map((x) => x.source.text)).toEqual([`docker buildx build ${DYNAMIC} .`, `docker buildx build --platform ${DYNAMIC} .`]);
  });

  it('--load with several platforms behind $(addprefix --,$(ACTION)) is found', () => {
    const text = 'ACTION := load\nPLATFORMS := linux/amd64,linux/arm64\nbuild:\n\tdocker buildx build . $(addprefix --,$(ACTION)) --platform $(PLATFORMS) -t app\n';
    const r = readMakefile(text).regions.map((x) => x.source.text);
    expect(r).toEqual(['docker buildx build . --load --platform linux/amd64,linux/arm64 -t app']);
  });
});
