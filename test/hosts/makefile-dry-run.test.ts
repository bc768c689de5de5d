/**
 * A command variable that an undecided conditional turns into a dry run
 * (`ifdef DRYRUN` / `DOCKER := echo "[dry-run] $(DOCKER)"`): recipes that run it run nothing
 * under DRYRUN, so they are read with the other branch's value, the commands make runs without
 * it. Checked against GNU make: `make -n` prints the commands kbx-lint reads, and with DRYRUN
 * set the same lines print `echo …` instead (GNU make manual, "Conditional Syntax": ifdef).
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

function make(text: string, ...vars: string[]): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kbx-dry-'));
  dirs.push(dir);
  fs.writeFileSync(path.join(dir, 'Makefile'), text);
  const r = spawnSync('make', ['-n', '-s', '-C', dir, ...vars, 'all'], { encoding: 'utf8', timeout: 10_000 });
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('make'));
}

const read = (text: string) => readMakefile(text).regions.map((r) => r.source.text);

const DRY =
  'DOCKER = DOCKER_BUILDKIT=1 docker\n' +
  'BUILDX = $(DOCKER) buildx\n' +
  'ifdef DRYRUN\n' +
  'DOCKER := echo "[dry-run] $(DOCKER)"\n' +
  'BUILDX := echo "[dry-run] $(BUILDX)"\n' +
  'endif\n' +
  'PLATFORMS ?= linux/amd64,linux/arm64\n' +
  'all:\n' +
  '\t$(DOCKER) build -t base .\n' +
  '\t@if ! $(BUILDX) inspect ci >/dev/null 2>&1; then $(BUILDX) create --name ci; fi\n' +
  '\t$(BUILDX) build --builder ci --platform $(PLATFORMS) --push -t app .\n';

describe('dry-run command variables in Makefiles', () => {
  it('reads the commands make runs without the dry run', () => {
    expect(read(DRY)).toEqual(make(DRY));
    expect(read(DRY).join('\n')).not.toContain(DYNAMIC);
    // With the dry run, each of those lines is an echo: nothing of buildx runs.
    const dry = make(DRY, 'DRYRUN=1');
    expect(dry).toHaveLength(3);
    expect(dry.every((l) => /^(?:if ! )?echo /.test(l))).toBe(true);
  });

  it('an alternative that runs another program (podman) or nothing stays unknown', () => {
    const podman = 'DOCKER = docker\nifdef USE_PODMAN\nDOCKER := podman\nendif\nall:\n\t$(DOCKER) build -t app .\n';
    expect(read(podman)).toEqual([`${DYNAMIC} build -t app .`]);
    const unset = 'ifndef CI\nDOCKER := echo docker\nendif\nall:\n\t$(DOCKER) build -t app .\n';
    expect(read(unset)).toEqual([`${DYNAMIC} build -t app .`]);
  });

  it('outside recipes the value stays unknown: a conditional on it is undecided', () => {
    const text = 'DOCKER = docker\nifdef DRYRUN\nDOCKER := echo docker\nendif\nifeq ($(DOCKER),docker)\nP := linux/amd64\nendif\nall:\n\t$(DOCKER) buildx build --platform $(P) .\n';
    expect(read(text)).toEqual([`docker buildx build --platform ${DYNAMIC} .`]);
  });
});
