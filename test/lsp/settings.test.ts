/**
 * Every `kbxLint.*` setting the server declares (SERVER_SETTINGS, which the VS Code manifest
 * mirrors) changes what an editor sees, over a real LSP connection: a setting the server lists but
 * never reads, or reads under another name, fails here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SERVER_SETTINGS, type Settings } from '../../server/src/lsp/settings';
import { type Session, startSession } from './lsp-harness';

// KBX101 (a split nodeselector), KBX450 only when the target is older than buildx 0.15 (`timeout`),
// KBX690 for the suppression of KBX205 where nothing fires, and KBX202 (`replicas=two`) always.
const TEXT = [
  'docker buildx create --name a --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci',
  '# kbx-lint disable=KBX205',
  'docker buildx create --name b --driver kubernetes --driver-opt timeout=5m',
  'docker buildx create --name c --driver kubernetes --driver-opt replicas=two',
  '',
].join('\n');

const root = mkdtempSync(join(tmpdir(), 'kbx-lsp-settings-'));
mkdirSync(join(root, '.git'));
// The project turns KBX101 off; useConfigFile=false must bring it back.
writeFileSync(join(root, '.kbx-lint.json'), '{"rules": {"KBX101": "off"}}');
const file = join(root, 'build.sh');
writeFileSync(file, TEXT);
const uri = pathToFileURL(file).href;

let session: Session | undefined;
afterEach(() => {
  session?.dispose();
  session = undefined;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function codes(settings: Settings): Promise<string[]> {
  session = await startSession({ settings: settings as Record<string, unknown> });
  const p = await session.open(uri, 'shellscript', TEXT);
  const out = p.diagnostics.map((d) => String(d.code)).sort();
  session.dispose();
  session = undefined;
  return out;
}

/** For each setting, a value other than its default and what it must change. */
const EFFECT: Record<keyof Settings, { value: unknown; check(withDefault: string[], changed: string[]): void }> = {
  enable: { value: false, check: (d, c) => (expect(d.length).toBeGreaterThan(0), expect(c).toEqual([])) },
  rules: { value: { KBX101: 'error', KBX450: 'off' }, check: (d, c) => (expect(d).not.toContain('KBX101'), expect(c).toContain('KBX101')) },
  useConfigFile: { value: false, check: (d, c) => (expect(d).not.toContain('KBX101'), expect(c).toContain('KBX101')) },
  reportUnusedDisable: { value: true, check: (d, c) => (expect(d).not.toContain('KBX690'), expect(c).toContain('KBX690')) },
  buildx: { value: '0.12', check: (d, c) => (expect(d).not.toContain('KBX450'), expect(c).toContain('KBX450')) },
  // Two fields in the nodeselector word are past a limit of one: that word is not checked.
  limits: { value: { maxWordFields: 1 }, check: (d, c) => (expect(d).not.toContain('KBX604'), expect(c).toContain('KBX604')) },
};

describe('kbxLint settings', () => {
  it('every declared setting has an effect case here', () => {
    expect(Object.keys(EFFECT).sort()).toEqual(Object.keys(SERVER_SETTINGS).sort());
  });

  it.each(Object.keys(SERVER_SETTINGS))('%s changes what the editor sees', async (key) => {
    const spec = SERVER_SETTINGS[key as keyof Settings];
    const effect = EFFECT[key as keyof Settings];
    expect(effect.value).not.toEqual(spec.default);
    // The declared default is the server's behaviour when the setting is absent.
    const absent = await codes({});
    expect(await codes({ [key]: spec.default })).toEqual(absent);
    effect.check(absent, await codes({ [key]: effect.value }));
  });

  it('a value of the wrong type is reported and its default used', async () => {
    session = await startSession({ settings: { enable: 'no', buildx: 12 } });
    const p = await session.open(uri, 'shellscript', TEXT);
    expect(p.diagnostics.length).toBeGreaterThan(0);
    expect(session.messages.some((m) => m.includes('kbxLint.enable: expected a boolean, got "no"'))).toBe(true);
    expect(session.messages.some((m) => m.includes('kbxLint.buildx: expected a string, got 12'))).toBe(true);
  });

  it('a buildx release that does not parse is reported as the configuration file would be', async () => {
    session = await startSession({ settings: { buildx: 'twelve' } });
    await session.open(uri, 'shellscript', TEXT);
    expect(session.messages.some((m) => m.includes('kbxLint.buildx: "buildx" must be a release'))).toBe(true);
  });
});
