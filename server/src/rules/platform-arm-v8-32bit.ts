/**
 * KBX413: `linux/arm/v8`, a 32-bit platform that is usually meant as 64-bit ARM.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX413',
    name: 'platform-arm-v8-32bit',
    summary: 'A linux/arm/v8 platform is 32-bit ARM, not arm64',
    severity: 'info',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['platform-arm-v8'],
    docs: {
      what: 'Reports `arm/v8` (and `arm/8`) platforms: 32-bit ARM code for ARMv8 CPUs, which few images publish.',
      why: 'People who write `linux/arm/v8` almost always mean 64-bit ARM (`linux/arm64`, whose full form is `linux/arm64/v8`). The build then produces, or fails to find base images for, a 32-bit variant nobody runs.',
      example: 'docker buildx build --platform linux/amd64,linux/arm/v8 -t app .',
      useInstead: 'docker buildx build --platform linux/amd64,linux/arm64 -t app .',
      fixSafety: 'No fix is offered: 32-bit ARMv8 may be intended.',
    },
  },
});
