/**
 * The conventional, strict command line: rule selection by code, prefix or name; path exclusion;
 * exit-status options; boolean options that refuse values they do not understand; and every
 * bad-usage case with its message and exit code (0 fine, 1 findings, 2 usage/config/I/O).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { inTempDir, runCli } from '../harness/cli-session';

const tmp = inTempDir('kbx-usage-');

const cli = runCli;

const DIST = join(__dirname, '../../dist/kbx-lint.js');
function spawnCli(args: string[], opts: { input?: string; env?: Record<string, string | undefined> } = {}) {
  const env = { ...process.env, ...opts.env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return spawnSync(process.execPath, [DIST, ...args], { cwd: tmp.current(), encoding: 'utf8', input: opts.input ?? '', env });
}

// KBX101 (error, safe fix) and KBX203 duplicate key (warning).
const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';
const WARN = 'docker buildx create --driver kubernetes --driver-opt replicas=1 --driver-opt replicas=2\n';

function codes(r: { out: string }): string[] {
  return JSON.parse(r.out).diagnostics.map((d: { rule: string }) => d.rule);
}

describe('rule selection', () => {
  beforeEach(() => writeFileSync('both.sh', BAD + WARN));

  it('--select by code, prefix and name; case-insensitive', () => {
    const all = codes(cli('--format', 'json', 'both.sh'));
    expect(all).toContain('KBX101');
    expect(all.some((c) => c !== 'KBX101')).toBe(true);
    expect(codes(cli('--format', 'json', '--select', 'KBX101', 'both.sh'))).toEqual(['KBX101']);
    expect(codes(cli('--format', 'json', '--select', 'kbx101', 'both.sh'))).toEqual(['KBX101']);
    expect(codes(cli('--format', 'json', '--select', 'DRIVER-OPT-UNQUOTED-COMMA', 'both.sh'))).toEqual(['KBX101']);
    const family = codes(cli('--format', 'json', '--select', 'KBX1', 'both.sh'));
    expect(family.length).toBeGreaterThan(0);
    expect(family.every((c) => c.startsWith('KBX1'))).toBe(true);
  });

  it('--ignore by code; --extend-select adds to the configured rules', () => {
    const ignored = codes(cli('--format', 'json', '--ignore', 'KBX101', 'both.sh'));
    expect(ignored).not.toContain('KBX101');
    expect(ignored.length).toBeGreaterThan(0);
    expect(codes(cli('--format', 'json', '--ignore=KBX101', 'both.sh'))).toEqual(ignored);
    const extended = codes(cli('--format', 'json', '--select', 'KBX101', '--extend-select', ignored[0], 'both.sh'));
    expect(new Set(extended)).toEqual(new Set(['KBX101', ignored[0]]));
  });

  it('--select enables a rule that is off by default', async () => {
    const { RULES } = await import('../../server/src/rules/index');
    const off = RULES.find((r) => !r.meta.enabledByDefault)!;
    writeFileSync('off.sh', off.meta.docs.example + '\n');
    const name = off.meta.docs.exampleFileName ?? 'off.sh';
    if (name !== 'off.sh') writeFileSync(name, off.meta.docs.example + '\n');
    expect(codes(cli('--format', 'json', name))).not.toContain(off.meta.code);
    expect(codes(cli('--format', 'json', '--select', off.meta.code, name))).toContain(off.meta.code);
  });

  it('unknown ids are usage errors with a suggestion', () => {
    for (const args of [
      ['--select', 'KBX10l'],
      ['--rule', 'driver-opt-unquoted-coma=off'],
      ['--extend-select', 'driver-opt-unquoted-comm'],
      ['--ignore', 'KBX999'],
    ]) {
      const r = cli(...args, 'both.sh');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(/unknown rule|no rule code starts with/);
    }
    expect(cli('--rule', 'driver-opt-unquoted-coma=off', 'both.sh').err).toContain('(did you mean KBX101 driver-opt-unquoted-comma?)');
    expect(cli('--select', 'KBX9', 'both.sh').err).toContain('no rule code starts with "KBX9"');
  });

  it('the old --ignore GLOB spelling still excludes paths, with a deprecation note', () => {
    mkdirSync('vendor');
    writeFileSync('vendor/x.sh', BAD);
    const r = cli('--format', 'json', '--ignore', 'vendor/', '.');
    expect(r.err).toContain('deprecated, use --exclude vendor/');
    expect(JSON.parse(r.out).diagnostics.map((d: { file: string }) => d.file)).not.toContain('vendor/x.sh');
    const e = cli('--format', 'json', '--exclude', 'vendor/', '.');
    expect(e.err).toBe('');
    expect(e.out).toBe(r.out);
  });
});

describe('exit status options', () => {
  it('--exit-zero, --fail-level, --max-warnings', () => {
    writeFileSync('bad.sh', BAD);
    writeFileSync('warn.sh', WARN);
    expect(cli('bad.sh').code).toBe(1);
    expect(cli('--exit-zero', 'bad.sh').code).toBe(0);
    expect(cli('warn.sh').code).toBe(0);
    expect(cli('--fail-level', 'warning', 'warn.sh').code).toBe(1);
    expect(cli('--fail-level=info', 'warn.sh').code).toBe(1);
    expect(cli('--max-warnings', '5', 'warn.sh').code).toBe(0);
    const over = cli('--max-warnings', '0', 'warn.sh');
    expect(over.code).toBe(1);
    expect(over.err).toContain('more than --max-warnings 0');
    expect(cli('--fail-level', 'fatal', 'warn.sh').code).toBe(2);
    expect(cli('--max-warnings', 'many', 'warn.sh').err).toContain('--max-warnings needs a whole number');
  });

  it('--severity filters what is reported', () => {
    writeFileSync('both.sh', BAD + WARN);
    const sev = JSON.parse(cli('--format', 'json', '--severity', 'error', 'both.sh').out).diagnostics;
    expect(sev.length).toBeGreaterThan(0);
    expect(sev.every((d: { severity: string }) => d.severity === 'error')).toBe(true);
    expect(cli('--format', 'json', '-q', 'both.sh').out).toBe(cli('--format', 'json', '--severity', 'error', 'both.sh').out);
  });

  it('--statistics counts findings per rule', () => {
    writeFileSync('a.sh', BAD + BAD);
    const r = cli('--statistics', 'a.sh');
    expect(r.code).toBe(1);
    expect(r.out).toBe('2\tKBX101\t[*] driver-opt-unquoted-comma\n');
    expect(JSON.parse(cli('--statistics', '--format', 'json', 'a.sh').out)).toEqual([{ code: 'KBX101', name: 'driver-opt-unquoted-comma', count: 2, fixable: 2 }]);
    expect(cli('--statistics', '--format', 'sarif', 'a.sh').code).toBe(2);
  });
});

describe('boolean options', () => {
  it('--fix=false does not write; --fix=true does', () => {
    writeFileSync('bad.sh', BAD);
    expect(cli('--fix=false', 'bad.sh').code).toBe(1);
    expect(readFileSync('bad.sh', 'utf8')).toBe(BAD);
    expect(cli('--fix=true', 'bad.sh').code).toBe(0);
    expect(readFileSync('bad.sh', 'utf8')).not.toBe(BAD);
  });

  it('values they do not understand are usage errors', () => {
    writeFileSync('bad.sh', BAD);
    for (const a of ['--quiet=no', '--fix=yes', '--exit-zero=1', '--diff=', '--verbose=on']) {
      const r = cli(a, 'bad.sh');
      expect(r.code, a).toBe(2);
      expect(r.err, a).toContain('takes no value, or =true / =false');
    }
    expect(readFileSync('bad.sh', 'utf8')).toBe(BAD);
  });

  it('--diff never writes, whatever else is given', () => {
    writeFileSync('bad.sh', BAD);
    for (const args of [
      ['--fix', '--diff'],
      ['--diff', '--fix'],
      ['--diff', '--fix', '--unsafe-fixes'],
      ['--fix=true', '--diff=true'],
    ]) {
      const r = cli(...args, 'bad.sh');
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.out).toContain('+++ b/bad.sh');
      expect(readFileSync('bad.sh', 'utf8')).toBe(BAD);
    }
  });

  it('--fix honours --format', () => {
    writeFileSync('both.sh', BAD + WARN);
    const r = cli('--fix', '--format', 'sarif', 'both.sh');
    const doc = JSON.parse(r.out);
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).not.toContain('KBX101');
    expect(doc.runs[0].results.length).toBeGreaterThan(0);
    expect(r.err).toContain('applied 1 fix in 1 file');
  });
});

describe('usage errors', () => {
  it('each has a message and exit code 2', () => {
    writeFileSync('bad.sh', BAD);
    const cases: [string[], string][] = [
      [['--bogus'], 'unknown option --bogus'],
      [['--format', 'xml'], '--format must be one of text, concise, json'],
      [['--format'], '--format needs a value'],
      [['--stdin-filename', 'x.sh', 'bad.sh'], "--stdin-filename names the text read from standard input: add '-' to the paths"],
      [['--unsafe-fixes', 'bad.sh'], '--unsafe-fixes needs --fix or --diff'],
      [['--color=sometimes'], '--color must be auto, always or never'],
      [['--rule', 'KBX101'], '--rule expects ID=SEVERITY'],
      [['--rule', 'KBX101=loud'], 'expected error, warning, info or off'],
      [['--severity', 'high'], '--severity must be error, warning or info'],
      [['explain'], 'explain needs at least one path'],
      [['explain', '--format', 'sarif', 'bad.sh'], '--format sarif is for linting'],
      [['help', 'nope'], 'no help for "nope"'],
    ];
    for (const [args, msg] of cases) {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toContain(msg);
      expect(r.out, args.join(' ')).toBe('');
    }
  });

  it('kbx-lint help and help <command>', () => {
    const h = cli('help');
    expect(h.code).toBe(0);
    expect(h.out).toBe(cli('--help').out);
    expect(h.out).toContain('--select RULES');
    expect(cli('help', 'explain').out).toContain('Usage: kbx-lint explain');
    expect(cli('explain', '--help').out).toContain('Usage: kbx-lint explain');
    expect(cli('help', 'rule').out).toContain('Usage: kbx-lint rule <CODE|name>');
  });

  it('unknown rule in kbx-lint rule suggests one', () => {
    const r = cli('rule', 'KBX1O1');
    expect(r.code).toBe(2);
    expect(r.err).toContain('did you mean KBX101 driver-opt-unquoted-comma?');
    expect(cli('rule', 'Driver-Opt-Unquoted-Comma').out).toContain('# KBX101');
  });
});

describe('configuration errors', () => {
  it('invalid JSON gives line:column', () => {
    writeFileSync('bad.sh', BAD);
    writeFileSync('c.json', '{\n  "rules": {"KBX101" "off"}\n}\n');
    const r = cli('--config', 'c.json', 'bad.sh');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^kbx-lint: c\.json:2:22: invalid JSON: /);
  });

  it('unknown rule ids in configuration get a did-you-mean; ids are case-insensitive', () => {
    writeFileSync('bad.sh', BAD);
    writeFileSync('c.json', '{"rules": {"driver-opt-unquoted-coma": "off"}}');
    const r = cli('--config', 'c.json', 'bad.sh');
    expect(r.code).toBe(2);
    expect(r.err).toContain('c.json: unknown rule "driver-opt-unquoted-coma" (did you mean KBX101 driver-opt-unquoted-comma?)');
    writeFileSync('lower.json', '{"rules": {"kbx101": "off"}}');
    expect(cli('--config', 'lower.json', 'bad.sh').code).toBe(0);
  });
});

describe('nothing linted', () => {
  it('says why on stderr, exit 0', () => {
    mkdirSync('docs');
    writeFileSync('docs/notes.txt', 'nothing here');
    const none = cli('docs');
    expect(none.code).toBe(0);
    expect(none.err).toContain('nothing linted: no shell script, Makefile, workflow, GitLab CI or Markdown file under docs');
    writeFileSync('docs/x.sh', BAD);
    const excluded = cli('--exclude', '*.sh', 'docs');
    expect(excluded.code).toBe(0);
    expect(excluded.err).toContain('nothing linted: every file under docs was excluded');
    expect(cli('docs/x.sh').err).not.toContain('nothing linted');
  });
});

describe('colour', () => {
  it('--color=always|never and FORCE_COLOR / NO_COLOR under auto', () => {
    writeFileSync('bad.sh', BAD);
    const esc = '\x1b[';
    expect(spawnCli(['--color=always', 'bad.sh']).stdout).toContain(esc);
    expect(spawnCli(['--color=never', 'bad.sh'], { env: { FORCE_COLOR: '1' } }).stdout).not.toContain(esc);
    expect(spawnCli(['bad.sh'], { env: { FORCE_COLOR: '1', NO_COLOR: undefined } }).stdout).toContain(esc);
    expect(spawnCli(['bad.sh'], { env: { FORCE_COLOR: '0' } }).stdout).not.toContain(esc);
    expect(spawnCli(['--color', 'bad.sh'], { env: { NO_COLOR: '1' } }).stdout).toContain(esc);
    expect(spawnCli(['bad.sh'], { env: { FORCE_COLOR: undefined, NO_COLOR: '1' } }).stdout).not.toContain(esc);
    expect(spawnCli(['--no-color', 'bad.sh'], { env: { FORCE_COLOR: '1' } }).stdout).not.toContain(esc);
  });
});
