/**
 * KBX206: rootless=true with an empty image keeps the non-rootless image.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX206',
    name: 'rootless-default-image',
    summary: 'rootless=true with an empty image keeps the non-rootless image',
    severity: 'warning',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['rootless-empty-image'],
    docs: {
      what: 'Reports `rootless=true` together with `image=` (empty): buildx then keeps the non-rootless default image.',
      why: 'The builder runs the privileged image without privileges and fails at boot.',
      example: 'docker buildx create --driver kubernetes --driver-opt rootless=true,image=',
      useInstead: 'docker buildx create --driver kubernetes --driver-opt rootless=true',
      fixSafety: 'No fix is offered.',
      buildxSays: undefined,
    },
  },
});
