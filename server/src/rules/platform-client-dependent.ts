/**
 * KBX414: a bare OS or a bare architecture: platforms completed from the machine that runs buildx,
 * not from the builder. `local` is not reported: it is the explicit, deliberate spelling of "the
 * client's platform" (buildx `util/platformutil` resolves it to the client's default platform).
 */
import { defineRule, reportOf } from './rule';

export default defineRule({
  meta: {
    code: 'KBX414',
    name: 'platform-client-dependent',
    summary: 'A --platform whose meaning depends on the machine running the script',
    severity: 'info',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['platform-client-dependent'],
    docs: {
      what: 'Reports one-word platforms that buildx completes from the client machine: a bare OS such as `linux` (the client’s CPU architecture is added) and a bare architecture such as `arm64` (the client’s OS is added). `local` is not reported: it names the client’s platform on purpose, and neither is a bare architecture where the host knows buildx runs on Linux (a GitHub Actions job on an `ubuntu-…` or self-hosted `linux` runner), which completes it as `linux/…`.',
      why: 'The same script builds different platforms depending on who runs it: on an Apple-silicon Mac `--platform arm64` means `darwin/arm64`, which no Linux image provides. The builder’s own platform plays no part.',
      example: 'docker buildx build --platform arm64 -t app .',
      useInstead: 'docker buildx build --platform linux/arm64 -t app .',
      fixSafety: 'No fix is offered yet: the message names the os/arch form a Linux x86-64 client would use.',
    },
  },
  onProblem: (p, model) => (model.text.slice(p.span.start, p.span.end).toLowerCase() === 'local' ? null : reportOf(p)),
});
