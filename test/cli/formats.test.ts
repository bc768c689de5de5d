/**
 * Every report format, read back the way its consumer reads it: SARIF against the SARIF 2.1.0
 * JSON schema, Checkstyle and JUnit through an XML parser, GitLab Code Quality and rdjson by the
 * fields their consumers require, and `--output-file` for each.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli-session';

let dir: string;
let cwd: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kbx-formats-'));
  cwd = process.cwd();
  process.chdir(dir);
  writeFileSync('.git', '');
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

const cli = runCli;

const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';
const WARN = 'docker buildx create --driver kubernetes --driver-opt replicas=1 --driver-opt replicas=2\n';
// Paths a URI must escape: space, %, #, ?, and non-ASCII.
const AWKWARD = ['with space/a b.sh', 'pct/100%.sh', 'hash/#1.sh', 'q/what?.sh', 'ünï/çødé 🐳.sh'];

function writeAwkward(): void {
  for (const f of AWKWARD) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(f, '# 日本 🐳\n' + BAD + WARN);
  }
}

const sarifSchema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(sarifSchema);

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }[];
  relatedLocations?: { physicalLocation: { artifactLocation: { uri: string } }; message: { text: string } }[];
  partialFingerprints: Record<string, string>;
  properties?: { help?: string; upstream?: string };
}

describe('sarif', () => {
  it('validates against the SARIF 2.1.0 schema, with percent-encoded relative URIs', () => {
    writeAwkward();
    const r = cli('--format', 'sarif', '.');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(validateSarif(doc), JSON.stringify(validateSarif.errors, null, 1)).toBe(true);
    const run = doc.runs[0];
    const results = run.results as SarifResult[];
    const uris = new Set(results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri));
    expect([...uris].map(decodeURIComponent).sort()).toEqual([...AWKWARD].sort());
    for (const u of uris) {
      expect(u).not.toMatch(/[ #?]|[^\x21-\x7e]/);
      expect(new URL(u, 'file:///root/').pathname.startsWith('/root/')).toBe(true);
    }
    expect(uris).toContain('pct/100%25.sh');
    expect(uris).toContain('hash/%231.sh');
    expect(results.every((x) => x.locations[0].physicalLocation.artifactLocation.uriBaseId === '%SRCROOT%')).toBe(true);
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/\/.*\/$/);
    // The validator does reject what this output avoids: a raw space or '#' in a URI.
    const broken = JSON.parse(r.out);
    broken.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = 'with space/a b.sh';
    expect(validateSarif(broken)).toBe(false);
    // every result points at its rule
    for (const x of results) expect(run.tool.driver.rules[x.ruleIndex].id).toBe(x.ruleId);
  });

  it('paths are relative to --sarif-root, and to the git root by default', () => {
    mkdirSync('sub/deeper', { recursive: true });
    writeFileSync('sub/deeper/x.sh', BAD);
    process.chdir('sub');
    try {
      const uriOf = (...args: string[]) => JSON.parse(cli('--format', 'sarif', ...args).out).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
      expect(uriOf('deeper/x.sh')).toBe('sub/deeper/x.sh');
      expect(uriOf('--sarif-root', '.', 'deeper/x.sh')).toBe('deeper/x.sh');
      expect(uriOf('--sarif-root', 'deeper', 'deeper/x.sh')).toBe('x.sh');
      // outside the root: an absolute file URI
      const outside = uriOf('--sarif-root', join(dir, 'elsewhere'), 'deeper/x.sh');
      expect(outside).toMatch(/^file:\/\/\/.*\/sub\/deeper\/x\.sh$/);
    } finally {
      process.chdir(dir);
    }
  });

  it('rules carry descriptions, help, help links to the shipped docs, and default configuration', () => {
    writeFileSync('bad.sh', BAD);
    const doc = JSON.parse(cli('--format', 'sarif', 'bad.sh').out);
    const rules = doc.runs[0].tool.driver.rules;
    const docs = new Set(readdirSync(join(__dirname, '../../docs/rules')));
    for (const rule of rules) {
      expect(rule.fullDescription.text.length).toBeGreaterThan(10);
      expect(rule.help.text.length).toBeGreaterThan(10);
      expect(rule.help.markdown).toContain(rule.helpUri);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
      expect(typeof rule.defaultConfiguration.enabled).toBe('boolean');
      expect(docs.has(rule.helpUri.split('/').pop())).toBe(true);
    }
    const mirror = JSON.parse(cli('--format', 'sarif', '--docs-url', 'https://docs.example/kbx/', 'bad.sh').out);
    expect(mirror.runs[0].tool.driver.rules[0].helpUri).toMatch(/^https:\/\/docs\.example\/kbx\/KBX\d{3}-[a-z0-9-]+\.md$/);
  });

  it('related notes become relatedLocations; help and upstream are carried', () => {
    writeFileSync('bad.sh', BAD);
    const json = JSON.parse(cli('--format', 'json', 'bad.sh').out).diagnostics[0];
    const res = JSON.parse(cli('--format', 'sarif', 'bad.sh').out).runs[0].results[0] as SarifResult;
    expect(json.related.length).toBeGreaterThan(0);
    expect(res.relatedLocations!.map((l) => l.message.text)).toEqual(json.related.map((x: { message: string }) => x.message));
    expect(res.relatedLocations![0].physicalLocation.artifactLocation.uri).toBe('bad.sh');
    if (json.help) expect(res.properties?.help).toBe(json.help);
    if (json.upstream) expect(res.properties?.upstream).toBe(json.upstream);
    expect(res.message.text.startsWith(json.message)).toBe(true);
  });

  it('partialFingerprints survive lines added above and differ between findings', () => {
    writeFileSync('a.sh', BAD + BAD);
    const fp = () => (JSON.parse(cli('--format', 'sarif', 'a.sh').out).runs[0].results as SarifResult[]).map((x) => x.partialFingerprints['kbxLint/v1']);
    const before = fp();
    expect(new Set(before).size).toBe(2);
    writeFileSync('a.sh', 'echo one\necho two\n' + BAD + BAD);
    expect(fp()).toEqual(before);
  });

  it('standard input: a named input uses its name, an unnamed one a valid placeholder', () => {
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [join(__dirname, '../../dist/kbx-lint.js'), '--format', 'sarif', ...args, '-'], { cwd: dir, input: BAD, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(1);
      return JSON.parse(r.stdout);
    };
    const named = run('--stdin-filename', 'ci/my build.sh');
    expect(validateSarif(named)).toBe(true);
    expect(named.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('ci/my%20build.sh');
    const unnamed = run();
    expect(validateSarif(unnamed), JSON.stringify(validateSarif.errors)).toBe(true);
    expect(unnamed.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('stdin');
  });
});

describe('gitlab code quality', () => {
  it('an array of issues with the fields GitLab requires and stable, unique fingerprints', () => {
    writeAwkward();
    const issues = JSON.parse(cli('--format', 'gitlab', '.').out);
    expect(Array.isArray(issues)).toBe(true);
    expect(issues.length).toBe(AWKWARD.length * 2);
    for (const i of issues) {
      expect(typeof i.description).toBe('string');
      expect(i.check_name).toMatch(/^KBX\d{3} [a-z0-9-]+$/);
      expect(i.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(i.severity);
      expect(AWKWARD).toContain(i.location.path);
      expect(Number.isInteger(i.location.lines.begin)).toBe(true);
    }
    expect(new Set(issues.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(issues.length);
    expect(JSON.parse(cli('--format', 'gitlab', '.').out)).toEqual(issues);
  });
});

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => ['file', 'error', 'testsuite', 'testcase'].includes(name) });

describe('checkstyle', () => {
  it('parses back to the same findings, hostile names and messages escaped', () => {
    mkdirSync('a&b<c>');
    writeFileSync('a&b<c>/"q\'.sh', BAD + WARN);
    writeFileSync('clean.sh', 'echo hi\n# docker buildx\n');
    const out = cli('--format', 'checkstyle', '.').out;
    expect(XMLValidator.validate(out)).toBe(true);
    const doc = xml.parse(out);
    const json = JSON.parse(cli('--format', 'json', '.').out).diagnostics;
    const files = doc.checkstyle.file;
    const bad = files.find((f: { name: string }) => f.name === 'a&b<c>/"q\'.sh');
    expect(bad.error.map((e: { line: string; column: string; source: string }) => [Number(e.line), Number(e.column), e.source.split('.')[1]])).toEqual(
      json.map((d: { line: number; column: number; rule: string }) => [d.line, d.column, d.rule]),
    );
    expect(bad.error[0].message.startsWith(json[0].message)).toBe(true);
    expect(bad.error.map((e: { severity: string }) => e.severity)).toEqual(json.map((d: { severity: string }) => d.severity));
  });
});

describe('junit', () => {
  it('a failing test case per finding, a passing one per clean file', () => {
    writeFileSync('bad.sh', BAD + WARN);
    writeFileSync('clean.sh', 'docker buildx create --name ci --driver kubernetes --driver-opt namespace=ci\n');
    const out = cli('--format', 'junit', '.').out;
    expect(XMLValidator.validate(out)).toBe(true);
    const doc = xml.parse(out).testsuites;
    const count = JSON.parse(cli('--format', 'json', '.').out).diagnostics.length;
    expect(Number(doc.failures)).toBe(count);
    expect(Number(doc.tests)).toBe(count + 1);
    const suites = doc.testsuite;
    const bad = suites.find((s: { name: string }) => s.name === 'bad.sh');
    expect(bad.testcase.length).toBe(count);
    expect(bad.testcase.every((t: { failure?: { message: string } }) => t.failure && t.failure.message.length > 0)).toBe(true);
    const clean = suites.find((s: { name: string }) => s.name === 'clean.sh');
    expect(clean.testcase[0].failure).toBeUndefined();
  });
});

describe('rdjson', () => {
  it('reviewdog diagnostics with UTF-8 byte columns, codes, suggestions', () => {
    const line = 'echo "🐳é" && docker buildx create --driver kubernetes --driver-opt nodeselector=a=1,b=2';
    writeFileSync('u.sh', line + '\n');
    const doc = JSON.parse(cli('--format', 'rdjson', 'u.sh').out);
    expect(doc.source.name).toBe('kbx-lint');
    const d = doc.diagnostics[0];
    expect(d.location.path).toBe('u.sh');
    expect(d.severity).toBe('ERROR');
    expect(d.code.value).toBe('KBX101');
    expect(d.code.url).toMatch(/KBX101-driver-opt-unquoted-comma\.md$/);
    const utf16 = line.indexOf('b=2');
    expect(d.location.range.start).toEqual({ line: 1, column: Buffer.byteLength(line.slice(0, utf16)) + 1 });
    expect(d.location.range.end.column - d.location.range.start.column).toBe(3);
    expect(d.suggestions[0].text).toContain('nodeselector=a=1,b=2');
  });
});

describe('concise', () => {
  it('one line per finding', () => {
    writeFileSync('bad.sh', BAD + WARN);
    const json = JSON.parse(cli('--format', 'json', 'bad.sh').out).diagnostics;
    const lines = cli('--format', 'concise', 'bad.sh').out.trimEnd().split('\n');
    expect(lines.length).toBe(json.length);
    lines.forEach((l, i) => expect(l).toBe(`bad.sh:${json[i].line}:${json[i].column}: ${json[i].severity} ${json[i].rule} ${json[i].message}`));
  });
});

describe('--output-file', () => {
  it('writes exactly what stdout would get, for every format; exit code unchanged', () => {
    writeFileSync('bad.sh', BAD);
    for (const f of ['text', 'concise', 'json', 'github', 'sarif', 'gitlab', 'checkstyle', 'junit', 'rdjson']) {
      const direct = cli('--format', f, '--no-color', 'bad.sh');
      const file = cli('--format', f, '--no-color', '--output-file', `report.${f}`, 'bad.sh');
      expect(file.code, f).toBe(direct.code);
      expect(file.out, f).toBe('');
      expect(readFileSync(`report.${f}`, 'utf8'), f).toBe(direct.out);
    }
    const r = cli('--output-file', join(dir, 'missing-dir', 'r.txt'), 'bad.sh');
    expect(r.code).toBe(2);
    expect(r.err).toContain('cannot write');
  });
});

describe('github', () => {
  it('help and upstream follow the message on lines of their own, escaped into one command', () => {
    writeFileSync('bad.sh', BAD);
    const json = JSON.parse(cli('--format', 'json', 'bad.sh').out).diagnostics[0];
    const out = cli('--format', 'github', 'bad.sh').out;
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    const data = out.slice(out.indexOf('::', 2) + 2).trimEnd();
    const decoded = data.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
    expect(decoded).toBe([json.message, json.help ? `help: ${json.help}` : '', json.upstream ? `buildx: ${json.upstream}` : ''].filter(Boolean).join('\n'));
  });
});

describe('help and upstream', () => {
  it('appear where each format has a place for them', async () => {
    const { formatGithub } = await import('../../server/src/cli/format');
    const { formatSarif, formatGitlab, formatCheckstyle, formatJunit, formatRdjson } = await import('../../server/src/cli/ci-formats');
    const { RULES } = await import('../../server/src/rules/index');
    const text = 'docker buildx create --driver-opt x=1\n';
    const reports = [
      {
        path: 'a.sh',
        text,
        diagnostics: [
          {
            span: { start: 34, end: 37 },
            severity: 'error' as const,
            code: 'KBX201',
            name: 'driver-opt-unknown-key',
            message: 'The message.',
            help: 'Do this & that.',
            upstream: 'ERROR: invalid <x>',
          },
        ],
      },
    ];
    const ctx = { root: dir, cwd: dir, version: '0.0.0', rules: RULES.map((r) => r.meta), helpUri: () => 'https://x.example/r.md' };
    const sarif = JSON.parse(formatSarif(reports, ctx)).runs[0].results[0];
    expect(sarif.properties).toEqual({ help: 'Do this & that.', upstream: 'ERROR: invalid <x>' });
    expect(sarif.message.text).toBe('The message.\nHelp: Do this & that.\nbuildx: ERROR: invalid <x>');
    expect(JSON.parse(formatGitlab(reports, ctx))[0].content.body).toBe('Do this & that.\n\nbuildx: ERROR: invalid <x>');
    const rd = JSON.parse(formatRdjson(reports, ctx)).diagnostics[0];
    expect(rd.message).toBe('The message.\nhelp: Do this & that.');
    expect(rd.original_output).toBe('ERROR: invalid <x>');
    const cs = xml.parse(formatCheckstyle(reports)).checkstyle.file[0].error[0];
    expect(cs.message).toBe('The message.\nhelp: Do this & that.\nbuildx: ERROR: invalid <x>');
    const ju = xml.parse(formatJunit(reports)).testsuites.testsuite[0].testcase[0].failure;
    expect(ju['#text']).toBe('a.sh:1:35: The message.\nhelp: Do this & that.\nbuildx: ERROR: invalid <x>');
    expect(formatGithub(reports)).toContain('::The message.%0Ahelp: Do this & that.%0Abuildx: ERROR: invalid <x>\n');
  });
});

describe('xmlEscape', () => {
  it('keeps any text well-formed, even characters XML 1.0 cannot carry', async () => {
    const { xmlEscape } = await import('../../server/src/cli/ci-formats');
    const nasty = 'a\u0001b\u0000c\uD800d\uDC00e"<>&\'\n\t🐳';
    const doc = `<a m="${xmlEscape(nasty)}">${xmlEscape(nasty)}</a>`;
    expect(XMLValidator.validate(doc)).toBe(true);
    const parsed = xml.parse(doc).a;
    expect(parsed.m).toBe('a\\u0001b\\u0000c\\ud800d\\udc00e"<>&\'\n\t🐳');
  });
});
