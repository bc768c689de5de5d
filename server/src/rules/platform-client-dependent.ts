/**
 * KBX414: `local`, a bare OS or a bare architecture: platforms completed from the machine that runs
 * buildx, not from the builder.
 */
import { defineRule } from './rule';

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
      what:
        'Reports one-word platforms: `local` (the client machine’s platform), a bare OS such as `linux` (the client’s CPU architecture is added) and a bare architecture such as `arm64` (the client’s OS is added).',
      why:
        'The same script builds different platforms depending on who runs it: on an Apple-silicon Mac `--platform arm64` means `darwin/arm64` and `local` means `darwin/arm64`, which no Linux image provides. The builder’s own platform plays no part.',
      example: 'docker buildx build --platform arm64 -t app .',
      useInstead: 'docker buildx build --platform linux/arm64 -t app .',
      fixSafety: 'No fix is offered yet: the message names the os/arch form a Linux x86-64 client would use.',
    },
  },
});
