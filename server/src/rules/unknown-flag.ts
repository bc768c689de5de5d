/**
 * KBX001: a flag the buildx command does not define.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX001',
    name: 'unknown-flag',
    summary: 'A flag the buildx command does not define',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports flags that the buildx subcommand does not define, as spf13/pflag would.',
      why: 'buildx stops with `unknown flag` before doing anything, so the whole command fails.',
      example: 'docker buildx create --name kube --drivr kubernetes',
      useInstead: 'docker buildx create --name kube --driver kubernetes',
      fixSafety: 'No fix is offered: the intended flag is a guess.',
      buildxSays: 'unknown flag: --drivr',
    },
  },
  check(model, ctx) {
    for (const inv of model.invocations) {
      for (const p of inv.problems) {
        if (p.kind === 'unknown-flag') ctx.report({ span: p.span, message: `${p.message.replace(/^unknown/, 'unknown')} for "${inv.command}"; buildx: ${p.message}` });
      }
    }
  },
});
