/**
 * KBX411: an `os/arch[/variant]` platform whose OS or architecture Go does not know.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX411',
    name: 'platform-unknown-os-arch',
    summary: 'A --platform with an operating system or architecture that does not exist',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['platform-unknown-os-arch'],
    docs: {
      what: 'Reports two- and three-part platforms (`os/arch`, `os/arch/variant`) whose OS or architecture is not one Go (and so BuildKit and every registry) knows, such as `linux/amd` or `linux/arm64v8`, and suggests the closest real one.',
      why: 'buildx accepts any `os/arch` pair without checking it. The typo surfaces later and far from its cause: no base image manifest matches, or no builder node can build the platform.',
      example: 'docker buildx build --platform linux/amd64,linux/arm64v8 -t app .',
      useInstead: 'docker buildx build --platform linux/amd64,linux/arm64 -t app .',
      fixSafety: 'No fix is offered: the suggestion is the closest known name, which is a guess.',
    },
  },
});
