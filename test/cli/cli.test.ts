/**
 * The CLI at the product boundary: exit codes, formats, file discovery, explain, fixes written
 * atomically without touching anything else, and robustness on hostile input. Most tests call
 * main() in process; a few spawn the built dist/kbx-lint.js to check the real process behaviour.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareCost } from '../harness/cost';
import { runCli } from '../harness/cli-session';

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kbx-cli-'));
  cwd = process.cwd();
  process.chdir(dir);
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

const cli = runCli;

const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';
const WARN_ONLY = 'docker buildx create --driver kubernetes --driver-opt replicas=1 --driver-opt replicas=2\n';
const CLEAN = 'docker buildx create --name ci --driver kubernetes --driver-opt namespace=ci\n';

describe('exit codes and text output', () => {
  it('0 when clean, 1 on errors, 2 on usage problems', () => {
    writeFileSync('clean.sh', CLEAN);
    writeFileSync('bad.sh', BAD);
    expect(cli('clean.sh').code).toBe(0);
    const bad = cli('--no-color', 'bad.sh');
    expect(bad.code).toBe(1);
    const col = BAD.indexOf('pool=ci') + 1;
    expect(bad.out).toContain(`bad.sh:1:${col}: error: buildx will read "pool=ci" as a separate driver option`);
    expect(bad.out).toContain('[KBX101 driver-opt-unquoted-comma]');
    // caret under exactly the 7 characters of pool=ci
    expect(bad.out).toContain(`\n  | ${' '.repeat(col - 1)}^^^^^^^\n`);
    expect(cli('--format', 'xml', 'bad.sh').code).toBe(2);
    expect(cli('--bogus').code).toBe(2);
    expect(cli('missing.sh').code).toBe(2);
  });

  it('warnings alone exit 0; --quiet hides them', () => {
    writeFileSync('w.sh', WARN_ONLY);
    const r = cli('--no-color', 'w.sh');
    expect(r.code).toBe(0);
    expect(r.out).toContain('warning:');
    expect(cli('--quiet', 'w.sh').out).not.toContain('warning:');
  });

  it('--rule and --config change severities; bad configuration is exit 2 with the file named', () => {
    writeFileSync('bad.sh', BAD);
    expect(cli('--rule', 'KBX101=off', 'bad.sh').code).toBe(0);
    expect(cli('--rule', 'driver-opt-unquoted-comma=warning', 'bad.sh').code).toBe(0);
    writeFileSync('cfg.json', '{"rules": {"KBX101": "off"}}');
    expect(cli('--config', 'cfg.json', 'bad.sh').code).toBe(0);
    writeFileSync('broken.json', '{"rules": ');
    const r = cli('--config', 'broken.json', 'bad.sh');
    expect(r.code).toBe(2);
    expect(r.err).toContain('broken.json:1:11: invalid JSON: unexpected end of input');
    writeFileSync('unknown.json', '{"rules": {"KBX999": "off"}}');
    expect(cli('--config', 'unknown.json', 'bad.sh').err).toContain('unknown rule "KBX999"');
  });

  it('finds .kbx-lint.json in the working directory or a parent, unless --no-config', () => {
    writeFileSync('.git', '');
    mkdirSync('sub');
    writeFileSync('sub/bad.sh', BAD);
    writeFileSync('.kbx-lint.json', '{"rules": {"driver-opt-unquoted-comma": "off"}}');
    process.chdir('sub');
    try {
      expect(cli('bad.sh').code).toBe(0);
      expect(cli('--no-config', 'bad.sh').code).toBe(1);
    } finally {
      process.chdir(dir);
    }
  });

  it('rejects configuration that is not an object, naming the file', () => {
    writeFileSync('bad.sh', BAD);
    for (const [name, body, msg] of [
      ['null.json', 'null', 'configuration must be a JSON object'],
      ['array.json', '[]', 'configuration must be a JSON object'],
      ['rules.json', '{"rules": 5}', '"rules" must be an object'],
      ['key.json', '{"rulez": {}}', 'unknown configuration key "rulez"'],
      ['sev.json', '{"rules": {"KBX101": "fatal"}}', 'expected "error", "warning", "info" or "off"'],
    ]) {
      writeFileSync(name, body);
      const r = cli('--config', name, 'bad.sh');
      expect(r.code, name).toBe(2);
      expect(r.err, name).toContain(`${name}: `);
      expect(r.err, name).toContain(msg);
    }
  });

  it('suppression comments', () => {
    writeFileSync('s.sh', '# kbx-lint disable=KBX101\n' + BAD + BAD.replace('\n', ' # kbx-lint disable=driver-opt-unquoted-comma\n'));
    expect(cli('s.sh').code).toBe(0);
    writeFileSync('f.sh', BAD + '# kbx-lint disable-file=KBX101\n');
    expect(cli('f.sh').code).toBe(0);
  });
});

describe('JSON output', () => {
  it('follows the documented contract', () => {
    writeFileSync('bad.sh', BAD);
    const r = cli('--format', 'json', 'bad.sh');
    const doc = JSON.parse(r.out);
    expect(doc.version).toBe(1);
    const d = doc.diagnostics[0];
    expect(Object.keys(d).sort()).toEqual(['column', 'endColumn', 'endLine', 'file', 'fix', 'help', 'line', 'message', 'name', 'related', 'rule', 'severity', 'upstream'].sort());
    expect(d.help).toBe('make it one CSV field: "nodeselector=kubernetes.io/arch=amd64,pool=ci"');
    expect(d.upstream).toBe('invalid driver option pool for driver kubernetes');
    expect(d.message).not.toContain('buildx:');
    const col = BAD.indexOf('pool=ci') + 1;
    expect(d).toMatchObject({ file: 'bad.sh', line: 1, column: col, endLine: 1, endColumn: col + 7, severity: 'error', rule: 'KBX101', name: 'driver-opt-unquoted-comma' });
    expect(d.fix.applicability).toBe('safe');
    expect(d.fix.edits[0]).toMatchObject({ line: 1, column: BAD.indexOf('nodeselector') + 1, newText: '\'"nodeselector=kubernetes.io/arch=amd64,pool=ci"\'' });
  });

  it('counts columns in UTF-16 code units', () => {
    writeFileSync('u.sh', '# 日本 🐳\necho "🐳" && docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2\n');
    const d = JSON.parse(cli('--format', 'json', 'u.sh').out).diagnostics[0];
    const line = 'echo "🐳" && docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2';
    expect(d.line).toBe(2);
    expect(d.column).toBe(line.indexOf('b=2') + 1);
  });
});

describe('github and sarif formats', () => {
  it('github: one workflow command per finding, values escaped', () => {
    writeFileSync('bad.sh', BAD);
    const r = cli('--format', 'github', 'bad.sh');
    expect(r.code).toBe(1);
    const col = BAD.indexOf('pool=ci') + 1;
    expect(r.out).toMatch(
      new RegExp(`^::error file=bad.sh,line=1,col=${col},endLine=1,endColumn=${col + 7},title=KBX101 driver-opt-unquoted-comma::buildx will read "pool=ci" as a separate driver option`),
    );
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).not.toMatch(/::.*\n.+::/s);
  });
  it('sarif: 2.1.0 with rules and UTF-16 regions', () => {
    writeFileSync('bad.sh', BAD);
    const doc = JSON.parse(cli('--format', 'sarif', 'bad.sh').out);
    expect(doc.version).toBe('2.1.0');
    const run = doc.runs[0];
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.tool.driver.rules.find((x: { id: string }) => x.id === 'KBX101').name).toBe('driver-opt-unquoted-comma');
    expect(run.results[0]).toMatchObject({
      ruleId: 'KBX101',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'bad.sh' }, region: { startLine: 1, startColumn: BAD.indexOf('pool=ci') + 1 } } }],
    });
  });
  it('explain refuses them with exit 2', () => {
    writeFileSync('bad.sh', BAD);
    expect(cli('explain', '--format', 'sarif', 'bad.sh').code).toBe(2);
  });
});

describe('explain', () => {
  it('prints argv as bash passes it, null for dynamic words, and the driver options', () => {
    writeFileSync('e.sh', `docker buildx create --name "$B" --driver kubernetes '--driver-opt="nodeselector=a=1,b=2","tolerations=key=ci,operator=Exists"'\n`);
    const doc = JSON.parse(cli('explain', '--format', 'json', 'e.sh').out);
    const inv = doc.invocations[0];
    expect(inv).toMatchObject({ file: 'e.sh', line: 1, endLine: 1, program: 'docker', command: 'create', driver: 'kubernetes' });
    expect(inv.argv).toEqual(['buildx', 'create', '--name', null, '--driver', 'kubernetes', '--driver-opt="nodeselector=a=1,b=2","tolerations=key=ci,operator=Exists"']);
    expect(inv.driverOpts.options).toEqual({ nodeselector: 'a=1,b=2', tolerations: 'key=ci,operator=Exists' });
    expect(inv.driverOpts.nodeSelector).toEqual({ a: '1', b: '2' });
    expect(inv.driverOpts.tolerations).toEqual([{ key: 'ci', operator: 'Exists' }]);
    const text = cli('explain', 'e.sh').out;
    expect(text).toContain('argv[4] <dynamic>');
  });
});

describe('file discovery', () => {
  it('finds shell files by extension and shebang, Makefiles by name, respects .gitignore and --ignore', () => {
    mkdirSync('a/b', { recursive: true });
    writeFileSync('a/x.sh', BAD);
    writeFileSync('a/b/run', '#!/usr/bin/env bash\n' + BAD);
    writeFileSync('a/b/notes.txt', BAD);
    writeFileSync('a/Makefile', 'all:\n\t' + BAD);
    writeFileSync('a/b/ignored.sh', BAD);
    writeFileSync('a/.gitignore', 'b/ignored.sh\n');
    writeFileSync('a/skip.mk', 'all:\n\t' + BAD);
    const r = JSON.parse(cli('--format', 'json', '--ignore', '*.mk', 'a').out);
    const files = [...new Set(r.diagnostics.map((d: { file: string }) => d.file))].sort();
    expect(files).toEqual(['a/Makefile', 'a/b/run', 'a/x.sh']);
  });

  it('skips binary files and symlinks that leave the tree', () => {
    mkdirSync('t');
    mkdirSync('outside');
    writeFileSync('outside/x.sh', BAD);
    symlinkSync(join(dir, 'outside'), 't/link');
    writeFileSync('t/bin.sh', Buffer.concat([Buffer.from(BAD), Buffer.from([0, 1, 2, 3])]));
    const r = cli('--verbose', 't');
    expect(r.code).toBe(0);
    expect(r.err).toContain('binary file');
    expect(r.err).toContain('leads outside');
  });

  it('reads stdin with --stdin-filename choosing the file type', () => {
    const dist = join(cwd, 'dist/kbx-lint.js');
    const r = spawnSync(process.execPath, [dist, '--no-color', '--stdin-filename', 'Makefile', '-'], { input: 'all:\n\t' + BAD, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('Makefile:2:');
  });
});

describe('--fix and --diff', () => {
  it('--diff prints a unified diff, writes nothing, exits 1', () => {
    writeFileSync('bad.sh', BAD);
    const r = cli('--diff', 'bad.sh');
    expect(r.code).toBe(1);
    expect(r.out).toContain('--- a/bad.sh\n+++ b/bad.sh\n@@ -1,1 +1,1 @@\n-docker');
    expect(readFileSync('bad.sh', 'utf8')).toBe(BAD);
    expect(r.err).toContain('would apply 1 fix');
  });

  it('--fix keeps mode, CRLF, BOM and a missing final newline, and changes nothing else', () => {
    const original = '\uFEFF#!/bin/sh\r\necho  "keep   this"\r\n' + BAD.replace('\n', '\r\n') + 'echo tail';
    writeFileSync('f.sh', original);
    chmodSync('f.sh', 0o751);
    const r = cli('--fix', 'f.sh');
    expect(r.code).toBe(0);
    const fixed = readFileSync('f.sh', 'utf8');
    expect(fixed).toBe(original.replace('nodeselector=kubernetes.io/arch=amd64,pool=ci', `'"nodeselector=kubernetes.io/arch=amd64,pool=ci"'`));
    expect(statSync('f.sh').mode & 0o777).toBe(0o751);
    expect(r.err).toContain('applied 1 fix in 1 file; 0 problems remain');
    // A second run changes nothing.
    expect(cli('--fix', 'f.sh').err).toContain('applied 0 fixes');
  });

  it('--fix on standard input prints the fixed text and writes no file', () => {
    const dist = join(cwd, 'dist/kbx-lint.js');
    const r = spawnSync(process.execPath, [dist, '--fix', '-'], { input: 'docker buildx build --push false -t a .\necho done\n', encoding: 'utf8', cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('docker buildx build --push=false -t a .\necho done\n');
    expect(r.stderr).toContain('applied 1 fix in 1 file');
  });

  it('refuses to rewrite a file that is not valid UTF-8 or has syntax errors', () => {
    writeFileSync('bin.sh', Buffer.concat([Buffer.from(BAD), Buffer.from([0xff, 0xfe, 0x0a])]));
    writeFileSync('syn.sh', BAD + 'echo "open\n');
    const r = cli('--fix', 'bin.sh', 'syn.sh');
    expect(r.err).toContain('bin.sh: not fixed: the file is not valid UTF-8');
    expect(r.err).toContain('syn.sh: not fixed: the file has shell syntax errors');
    expect(readFileSync('syn.sh', 'utf8')).toBe(BAD + 'echo "open\n');
  });
});

describe('pipes', () => {
  it('a reader that closes early (| head) gets no stack trace', () => {
    const dist = join(cwd, 'dist/kbx-lint.js');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${dist}" rules | head -1`], { encoding: 'utf8' });
    expect(r.stdout.split('\n')[0]).toContain('CODE');
    expect(r.stderr).toBe('');
  });
  it('a report that cannot be written (a full disk) is one message and exit 2, not a stack trace', () => {
    const dist = join(cwd, 'dist/kbx-lint.js');
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${dist}" --no-config examples > /dev/full`], { encoding: 'utf8', cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('kbx-lint: cannot write the report to stdout: ENOSPC\n');
  });
});

describe('rules and rule', () => {
  it('lists rules and prints docs by code or name', () => {
    expect(cli('rules').out).toContain('KBX101  driver-opt-unquoted-comma');
    expect(JSON.parse(cli('rules', '--format', 'json').out).rules.length).toBeGreaterThan(20);
    expect(cli('rule', 'KBX101').out).toContain('## Why is this bad?');
    expect(cli('rule', 'driver-opt-unquoted-comma').out).toContain('# KBX101');
    expect(cli('rule', 'nope').code).toBe(2);
  });
});

describe('robustness: no crash, no hang, exit 0 or 1', () => {
  // Each hostile file beside a benign one of the same length and kind: its cost is checked as a
  // ratio measured in the same test (never in milliseconds); a hang is caught by the test timeout.
  const hostile: [string, string | Buffer, string | Buffer][] = [
    ['unterminated.sh', "docker buildx create --driver-opt 'a=b\n", "docker buildx create --driver-opt 'a=b'"],
    ['deep.sh', 'docker buildx create ' + '$('.repeat(100_000), 'docker buildx create ' + '$x'.repeat(100_000)],
    ['longline.sh', 'docker buildx create --driver-opt ' + 'a'.repeat(10_000_000), 'echo   buildx create --driver-opt ' + 'a'.repeat(10_000_000)],
    ['garbage.sh', Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919 + 13) % 256 || 1)), CLEAN.repeat(200_000 / CLEAN.length + 1).slice(0, 200_000)],
    ['invalid-utf8.sh', Buffer.concat([Buffer.from('docker buildx create --name '), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from('\n')]), 'docker buildx create --name abcd\n'],
    [
      'Makefile',
      'all:\n\t' + 'docker buildx create $(' + 'A'.repeat(1000) + '\n' + 'define X\n' + 'endef\n'.repeat(0),
      'all:\n\t' + 'docker buildx create $(' + 'A'.repeat(999) + ')\n' + 'define X\n',
    ],
  ];
  it.each(hostile)(
    '%s',
    (name, content, benign) => {
      writeFileSync(name, content);
      mkdirSync('benign');
      writeFileSync(join('benign', name), benign);
      let r: ReturnType<typeof cli> | undefined;
      const cost = compareCost(
        () => () => (r = cli('--format', 'json', name)),
        () => () => cli('--format', 'json', join('benign', name)),
        1,
        { runs: 2, noWarmup: true, maxGrowth: 1 },
      );
      expect([0, 1]).toContain(r!.code);
      expect(() => JSON.parse(r!.out)).not.toThrow();
      expect(cost.ratio, cost.describe).toBeLessThan(10);
    },
    60_000,
  );
});
