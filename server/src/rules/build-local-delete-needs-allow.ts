/**
 * KBX527: A local output with mode=delete outside the working directory without --allow.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX527',
    name: 'build-local-delete-needs-allow',
    summary: 'A local output with mode=delete outside the working directory without --allow',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['local-delete-needs-allow'],
    docs: {
      what: 'Reports `-o type=local,mode=delete,dest=<dir>` when `<dir>` is not strictly inside the current directory (absolute, `.`, `..`, `~`) and `--allow=buildx.local.delete` is absent.',
      why: 'buildx refuses to delete files outside the working directory without the entitlement.',
      example: 'docker buildx build -o type=local,mode=delete,dest=/srv/site .',
      useInstead: 'docker buildx build --allow=buildx.local.delete -o type=local,mode=delete,dest=/srv/site .',
      fixSafety: 'No fix is offered: granting deletion rights is a decision.',
      buildxSays: 'local output mode=delete for destination "/srv/site" requires --allow=buildx.local.delete',
    },
  },
});
