/**
 * A GitHub Actions job that sets up Docker with the containerd image store
 * (docker/setup-docker-action `daemon-config`, `"features": {"containerd-snapshotter": true}`,
 * as docs.docker.com "containerd image store" enables it) loads multi-platform images: buildx
 * then exports with the oci exporter (docker/buildx build/opt.go: the docker exporter turns into
 * `oci` when the daemon reports the OCI importer, util/dockerutil/client.go, which it does for
 * the `io.containerd.snapshotter.v1` driver type). KBX520 holds only where that is not known.
 */
import { describe, expect, it } from 'vitest';
import { lintText } from '../harness/lint-helpers';

const WF = '.github/workflows/ci.yml';
const lines520 = (text: string) =>
  lintText(text, WF)
    .diagnostics.filter((d) => d.code === 'KBX520')
    .map((d) => text.slice(0, d.span.start).split('\n').length);

const setup = (config: string, extra = '') => [
  '      - uses: docker/setup-docker-action@v4',
  ...(extra ? [`        ${extra}`] : []),
  '        with:',
  '          daemon-config: |',
  ...config.split('\n').map((l) => `            ${l}`),
];
const ON = '{\n  "debug": true,\n  "features": {\n    "containerd-snapshotter": true\n  }\n}';
const builds = [
  '      - uses: docker/build-push-action@v6',
  '        with:',
  '          load: true',
  '          platforms: linux/amd64,linux/arm64',
  '          tags: app:dev',
  '      - run: docker buildx build --load --platform linux/amd64,linux/arm64 -t app:dev .',
];
const workflow = (steps: string[]) => ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', ...steps, ''].join('\n');

describe('KBX520 after setup-docker-action with the containerd image store', () => {
  it('is not reported for loads after a step that turns the store on', () => {
    expect(lines520(workflow([...setup(ON), ...builds]))).toEqual([]);
  });

  it('is reported where the store is not known to be on', () => {
    // Before the set-up step; a config without the feature, or with it off; a step that may be
    // skipped; a value known only at run time; another action's step.
    const offsets = (steps: string[]) => lines520(workflow(steps)).length;
    expect(offsets([...builds, ...setup(ON)])).toBe(2);
    expect(offsets([...setup('{"debug": true}'), ...builds])).toBe(2);
    expect(offsets([...setup('{"features": {"containerd-snapshotter": false}}'), ...builds])).toBe(2);
    expect(offsets([...setup(ON, "if: ${{ matrix.store == 'containerd' }}"), ...builds])).toBe(2);
    expect(offsets([...setup('${{ vars.DAEMON_CONFIG }}'), ...builds])).toBe(2);
    expect(offsets([...setup(ON).map((l) => l.replace('docker/setup-docker-action', 'docker/setup-qemu-action')), ...builds])).toBe(2);
  });

  it('is still reported for a docker output written to a file, which never goes through the daemon', () => {
    // buildx rewrites the docker exporter to the oci one only for a load (docker/buildx
    // build/opt.go, `e.Output == nil`); with dest= a manifest list fails whatever the store.
    const tarball = ['      - run: docker buildx build --platform linux/amd64,linux/arm64 -o type=docker,dest=/tmp/app.tar .'];
    const text = workflow([...setup(ON), ...tarball]);
    expect(lines520(text).length).toBe(1);
    expect(lintText(text, WF).diagnostics.find((d) => d.code === 'KBX520')?.message).toMatch(/fails whatever the image store.*use type=oci/);
  });

  it('holds in the job that set it up, not in another job', () => {
    const text = ['on: push', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:', ...setup(ON), '  b:', '    runs-on: ubuntu-latest', '    steps:', ...builds, ''].join('\n');
    expect(lines520(text).length).toBe(2);
  });
});
