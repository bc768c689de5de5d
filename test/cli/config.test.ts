/**
 * Configuration files in the CLI: discovery from each linted file's directory (not the working
 * directory), `extends`, per-path `overrides`, and clear errors for bad files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { inTempDir, runCli } from '../harness/cli-session';

const tmp = inTempDir('kbx-config-');
beforeEach(() => {
  mkdirSync('.git');
});

const cli = runCli;
const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';
const files = (r: { out: string }) => [...new Set(JSON.parse(r.out).diagnostics.map((d: { file: string }) => d.file))].sort();

describe('configuration discovery and composition', () => {
  it('each file gets the configuration nearest to it', () => {
    mkdirSync('a');
    mkdirSync('b');
    writeFileSync('a/x.sh', BAD);
    writeFileSync('b/x.sh', BAD);
    writeFileSync('a/.kbx-lint.json', '{"rules": {"KBX101": "off"}}');
    expect(files(cli('--format', 'json', '.'))).toEqual(['b/x.sh']);
    // The working directory does not matter.
    process.chdir('b');
    try {
      expect(files(cli('--format', 'json', '../a', '.'))).toEqual(['x.sh']);
    } finally {
      process.chdir(tmp.current());
    }
  });

  it('overrides apply to matching paths, relative to the configuration file', () => {
    mkdirSync('ci/jobs', { recursive: true });
    writeFileSync('ci/jobs/x.sh', BAD);
    writeFileSync('top.sh', BAD);
    writeFileSync('.kbx-lint.json', '{"overrides": [{"files": ["ci/**"], "rules": {"driver-opt-unquoted-comma": "off"}}]}');
    expect(files(cli('--format', 'json', '.'))).toEqual(['top.sh']);
    // --rule comes after the overrides
    expect(files(cli('--format', 'json', '--rule', 'KBX101=error', '.'))).toEqual(['ci/jobs/x.sh', 'top.sh']);
  });

  it('extends: relative to the file, later settings win, cycles are an error', () => {
    mkdirSync('shared');
    writeFileSync('shared/base.json', '{"rules": {"KBX101": "off"}}');
    writeFileSync('x.sh', BAD);
    writeFileSync('.kbx-lint.json', '{"extends": "shared/base.json"}');
    expect(cli('x.sh').code).toBe(0);
    writeFileSync('.kbx-lint.json', '{"extends": ["shared/base.json"], "rules": {"KBX101": "error"}}');
    expect(cli('x.sh').code).toBe(1);
    writeFileSync('shared/base.json', '{"extends": "../.kbx-lint.json"}');
    const cycle = cli('x.sh');
    expect(cycle.code).toBe(2);
    expect(cycle.err).toContain('"extends" cycle: .kbx-lint.json → base.json → .kbx-lint.json');
    writeFileSync('.kbx-lint.json', '{"extends": "missing.json"}');
    const missing = cli('x.sh');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('missing.json: extended configuration file does not exist');
  });

  it('bad overrides are clear errors', () => {
    writeFileSync('x.sh', BAD);
    for (const [body, msg] of [
      ['{"overrides": {}}', '"overrides" must be a list'],
      ['{"overrides": [{"rules": {}}]}', 'overrides[0].files must be a non-empty list of globs'],
      ['{"overrides": [{"files": ["a"], "rule": {}}]}', 'overrides[0]: unknown key "rule"'],
      ['{"overrides": [{"files": ["a"], "rules": {"KBX1O1": "off"}}]}', 'unknown rule "KBX1O1" (did you mean KBX101'],
      ['{"extends": 5}', '"extends" must be a file name or a list'],
    ]) {
      writeFileSync('.kbx-lint.json', body);
      const r = cli('x.sh');
      expect(r.code, body).toBe(2);
      expect(r.err, body).toContain(msg);
    }
  });

  it('a "$schema" key is allowed, so editors can validate the file', () => {
    writeFileSync('x.sh', BAD);
    writeFileSync('.kbx-lint.json', '{"$schema": "./node_modules/kbx-lint/schema/kbx-lint.schema.json", "rules": {"KBX101": "off"}}');
    expect(cli('x.sh').code).toBe(0);
  });
});
