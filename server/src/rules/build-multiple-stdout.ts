/**
 * KBX523: Two outputs that both write to stdout.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX523',
    name: 'build-multiple-stdout',
    summary: 'Two outputs that both write to stdout',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['multiple-stdout'],
    docs: {
      what: 'Reports a second output that writes to stdout (`-o -`, `type=tar` or `type=oci` without `dest=`, `dest=-`).',
      why: 'Only one stream can go to stdout; buildx refuses.',
      example: 'docker buildx build -o - -o type=oci . > out.tar',
      useInstead: 'docker buildx build -o - -o type=oci,dest=out.oci.tar . > out.tar',
      fixSafety: 'No fix is offered.',
      buildxSays: 'multiple outputs configured to write to stdout',
    },
  },
});
