/**
 * KBX520: --load or a docker output with several platforms.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX520',
    name: 'build-load-multi-platform',
    summary: '--load or a docker output with several platforms',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['load-multi-platform'],
    docs: {
      what: 'Reports `--load` or `-o type=docker` on a build with more than one platform, except in a GitHub Actions job whose earlier step set up Docker with the containerd image store (docker/setup-docker-action `daemon-config` turning the `containerd-snapshotter` feature on).',
      why: 'Loading a multi-platform image only works when the Docker daemon uses the containerd image store; with the classic store buildx fails after building every platform. A docker output written to a file (`-o type=docker,dest=app.tar`) fails with either store: buildx uses the oci exporter instead only for a load (docker/buildx `build/opt.go`); `type=oci` writes a manifest list.',
      example: 'docker buildx build --platform linux/amd64,linux/arm64 --load -t app .',
      useInstead: 'docker buildx build --platform linux/amd64,linux/arm64 --push -t registry.example.com/app:1.0 .',
      fixSafety: 'No fix is offered.',
      buildxSays: 'docker exporter does not currently support exporting manifest lists',
    },
  },
});
