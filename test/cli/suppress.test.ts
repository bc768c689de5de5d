/**
 * Suppression comments people can trust: an optional `-- reason`, ids in any case, misspelt ids
 * reported with a suggestion (KBX691), and unused suppressions reported on request (KBX690,
 * `--report-unused-disable`), through the engine and the CLI.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inTempDir, runCli } from '../harness/cli-session';
import { lint } from '../../server/src/engine/lint';

const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';
const CLEAN = 'docker buildx create --name ci --driver kubernetes --driver-opt namespace=ci\n';
const codes = (text: string, rules: Record<string, 'error' | 'warning' | 'info' | 'off'> = {}) => lint({ text, fileName: 'x.sh' }, { rules }).diagnostics.map((d) => d.code);

describe('suppression comments', () => {
  it('take an optional reason after --', () => {
    expect(codes(BAD)).toContain('KBX101');
    expect(codes('# kbx-lint disable=KBX101 -- the chart sets the pool\n' + BAD)).not.toContain('KBX101');
    expect(codes(BAD.replace('\n', ' # kbx-lint disable=KBX101 -- reason here\n'))).not.toContain('KBX101');
    expect(codes('# kbx-lint disable=KBX101 --\n' + BAD)).not.toContain('KBX101');
    expect(codes('# kbx-lint disable-file=KBX101 -- generated file\n' + BAD + BAD)).not.toContain('KBX101');
  });

  it('ids are codes or names in any case, comma-separated with optional spaces', () => {
    expect(codes('# kbx-lint disable=kbx101\n' + BAD)).not.toContain('KBX101');
    expect(codes('# kbx-lint disable=Driver-Opt-Unquoted-Comma\n' + BAD)).not.toContain('KBX101');
    expect(codes('# kbx-lint disable=KBX203, KBX101\n' + BAD)).not.toContain('KBX101');
  });

  it('an unknown id is reported at its characters, with a suggestion', () => {
    const text = '# kbx-lint disable=KBX1O1 -- typo\n' + BAD;
    const r = lint({ text, fileName: 'x.sh' });
    const d = r.diagnostics.find((x) => x.code === 'KBX691')!;
    expect(d.message).toBe('unknown rule "KBX1O1" (did you mean KBX101 driver-opt-unquoted-comma?) in a suppression comment');
    expect(text.slice(d.span.start, d.span.end)).toBe('KBX1O1');
    expect(d.severity).toBe('warning');
    expect(r.diagnostics.map((x) => x.code)).toContain('KBX101');
    expect(codes(text, { KBX691: 'off' })).not.toContain('KBX691');
  });

  it('unused suppressions are reported only when asked, at the unused id', () => {
    const text = '# kbx-lint disable=KBX101,KBX203 -- one of these is stale\n' + BAD + '# kbx-lint disable=KBX101\n' + CLEAN;
    expect(codes(text)).not.toContain('KBX690');
    const r = lint({ text, fileName: 'x.sh' }, { rules: { KBX690: 'warning' } });
    const unused = r.diagnostics.filter((d) => d.code === 'KBX690');
    expect(unused.map((d) => text.slice(d.span.start, d.span.end))).toEqual(['KBX203', 'KBX101']);
    expect(unused[0].message).toBe('"KBX203" suppresses nothing: KBX203 reports no finding on the command it applies to');
    expect(unused[1].span.start).toBeGreaterThan(text.indexOf(CLEAN) - 20);
    // the used id is not reported
    expect(r.diagnostics.filter((d) => d.code === 'KBX101')).toEqual([]);
  });

  it('a suppression of a rule that did not run is not called unused', () => {
    expect(codes('# kbx-lint disable=KBX101\n' + CLEAN, { KBX690: 'warning', KBX101: 'off' })).not.toContain('KBX690');
  });

  it('an unused disable-file is reported, and disable-file silences the report itself', () => {
    expect(codes('# kbx-lint disable-file=KBX101\n' + CLEAN, { KBX690: 'warning' })).toEqual(['KBX690']);
    expect(codes('# kbx-lint disable-file=KBX101,KBX690\n' + CLEAN, { KBX690: 'warning' })).toEqual([]);
  });
});

describe('CLI', () => {
  inTempDir('kbx-suppress-');
  const cli = runCli;

  it('--report-unused-disable reports stale comments; warnings keep exit 0 unless the fail level says so', () => {
    writeFileSync('s.sh', '# kbx-lint disable=KBX101 -- fixed long ago\n' + CLEAN);
    expect(cli('--format', 'json', 's.sh').out).not.toContain('KBX690');
    const r = cli('--no-color', '--report-unused-disable', 's.sh');
    expect(r.code).toBe(0);
    expect(r.out).toContain('s.sh:1:20: warning: "KBX101" suppresses nothing');
    expect(r.out).toContain('[KBX690 unused-suppression]');
    expect(cli('--report-unused-disable', '--fail-level', 'warning', 's.sh').code).toBe(1);
    expect(cli('--report-unused-disable=false', '--format', 'json', 's.sh').out).not.toContain('KBX690');
  });

  it('unknown ids in suppressions are reported by default', () => {
    writeFileSync('s.sh', '# kbx-lint disable=driver-opt-unquoted-coma\n' + BAD);
    const r = cli('--no-color', 's.sh');
    expect(r.out).toContain('did you mean KBX101 driver-opt-unquoted-comma?');
    expect(r.out).toContain('[KBX691 suppression-unknown-rule]');
  });
});
