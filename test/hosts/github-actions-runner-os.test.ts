/**
 * KBX414 on a bare architecture depends on the OS of the machine running buildx. containerd's
 * `platforms.Parse` (used by buildx's util/platformutil) completes `arm64` with `runtime.GOOS`, so
 * in a GitHub Actions job the runner decides: linux/arm64 on an Ubuntu or self-hosted Linux
 * runner (what the workflow means), darwin/arm64 on macOS. The oracle below maps runner labels to
 * the OS as GitHub documents them (GitHub-hosted `ubuntu-*`, `windows-*`, `macos-*`; self-hosted
 * runners carry `linux`, `windows` or `macOS`) and applies Parse's rule to each case.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../harness/lint-helpers';

const WF = '.github/workflows/ci.yml';

/** The OS buildx runs on for one label set, or null when the labels do not say. */
function runnerOs(labels: string[]): 'linux' | 'windows' | 'darwin' | null {
  const oses = new Set<string>();
  for (const l of labels.map((x) => x.toLowerCase())) {
    if (l.startsWith('ubuntu-') || l === 'linux') oses.add('linux');
    else if (l.startsWith('windows')) oses.add('windows');
    else if (l.startsWith('macos')) oses.add('darwin');
  }
  return oses.size === 1 ? ([...oses][0] as 'linux' | 'windows' | 'darwin') : null;
}

/** Parse("arm64") on that machine: os/arm64; reported unless it is the Linux platform meant. */
const expectReported = (oses: (string | null)[]) => oses.some((os) => os !== 'linux');

const has414 = (text: string, file = WF) => lintText(text, file).diagnostics.some((d) => d.code === 'KBX414');

type Case = { runsOn: string[]; matrix?: string[][]; oses: (string | null)[] };
const cases: Case[] = [
  { runsOn: ['ubuntu-latest'], oses: [] },
  { runsOn: ['ubuntu-24.04-arm'], oses: [] },
  { runsOn: ['[self-hosted, linux, ARM64]'], oses: [] },
  { runsOn: ['[self-hosted, Linux]'], oses: [] },
  { runsOn: ['[self-hosted]'], oses: [] },
  { runsOn: ['[self-hosted, big-box]'], oses: [] },
  { runsOn: ['macos-14'], oses: [] },
  { runsOn: ['windows-2022'], oses: [] },
  { runsOn: ['${{ inputs.runner }}'], oses: [null] },
  { runsOn: ['${{ matrix.os }}'], matrix: [['ubuntu-22.04'], ['ubuntu-24.04-arm']], oses: [] },
  { runsOn: ['${{ matrix.os }}'], matrix: [['ubuntu-latest'], ['macos-latest']], oses: [] },
];
for (const c of cases) {
  if (c.matrix) c.oses = c.matrix.map(runnerOs);
  else if (!c.runsOn[0].includes('${{')) c.oses = [runnerOs(c.runsOn[0].replace(/^\[|\]$/g, '').split(/,\s*/))];
}

function workflow(c: Case, step: string[]): string {
  const matrix = c.matrix ? ['    strategy:', '      matrix:', `        os: [${c.matrix.map((m) => m[0]).join(', ')}]`] : [];
  return ['jobs:', '  build:', `    runs-on: ${c.runsOn[0]}`, ...matrix, '    steps:', ...step.map((l) => '      ' + l), ''].join('\n');
}

describe('a bare architecture on a runner whose OS is known', () => {
  // `shell: bash`: a Windows runner would otherwise run PowerShell, which is not read.
  const run = ['- shell: bash', '  run: docker buildx build --platform arm64 -t app .'];
  const action = ['- uses: docker/build-push-action@v6', '  with:', '    platforms: arm64', '    tags: app'];
  const setup = ['- uses: docker/setup-buildx-action@v3', '  with:', '    platforms: arm64'];
  for (const c of cases) {
    const want = expectReported(c.oses);
    const name = `${c.runsOn[0]}${c.matrix ? ` over ${c.matrix.map((m) => m[0]).join(', ')}` : ''}`;
    it(`${name}: ${want ? 'reported' : 'not reported'}`, () => {
      expect(has414(workflow(c, run))).toBe(want);
      expect(has414(workflow(c, action))).toBe(want);
      expect(has414(workflow(c, setup))).toBe(want);
    });
  }

  it('still reports a bare OS on Linux: the architecture is the runner’s', () => {
    expect(has414(workflow(cases[0], ['- run: docker buildx build --platform linux -t app .']))).toBe(true);
  });

  it('still reports a bare architecture in a composite action: its caller picks the runner', () => {
    const text = ['runs:', '  using: composite', '  steps:', '    - shell: bash', '      run: docker buildx build --platform arm64 -t app .', ''].join('\n');
    expect(has414(text, 'action.yml')).toBe(true);
  });

  it('still reports a bare architecture in a shell script', () => {
    expect(has414('docker buildx build --platform arm64 -t app .\n', 'build.sh')).toBe(true);
  });
});
