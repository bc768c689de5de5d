/**
 * KBX208: `--buildkitd-flags` / `--buildkitd-config` problems: the remote driver rejects both,
 * and the flags string must split like a POSIX shell line (google/shlex).
 */
import { shlexSplit } from '../buildx/goparse';
import { DYNAMIC } from '../core/mapped-string';
import { lastFlag } from '../extract/invocation';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX208',
    name: 'buildkitd-flags-invalid',
    summary: 'BuildKit daemon flags or config the driver rejects',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports `--buildkitd-flags` or `--buildkitd-config` (and its hidden alias `--config`) on a remote builder, and a `--buildkitd-flags` string with an unterminated quote.',
      why: 'The remote driver connects to a daemon that is already running, so it rejects both; buildx splits the flags with shell rules and fails on a broken quote.',
      example: "docker buildx create --driver remote --buildkitd-flags '--debug' tcp://buildkitd:1234",
      useInstead: 'docker buildx create --driver remote tcp://buildkitd:1234',
      fixSafety: 'No fix is offered.',
      buildxSays: 'setting buildkit flags is not supported for remote driver',
    },
  },
  check(model, ctx) {
    for (const c of model.creates) {
      const flags = lastFlag(c.inv, 'buildkitd-flags');
      const configs = c.inv.flags.filter((f) => f.name === 'buildkitd-config' || f.name === 'config');
      const config = configs[configs.length - 1];
      if (c.driver === 'remote') {
        if (flags?.value && flags.value.text !== '')
          ctx.report({
            span: flags.nameSpan,
            message: 'the remote driver connects to a running BuildKit daemon and takes no daemon flags',
            help: 'configure that daemon instead',
            upstream: 'setting buildkit flags is not supported for remote driver',
          });
        if (config?.value && config.value.text !== '')
          ctx.report({
            span: config.nameSpan,
            message: 'the remote driver takes no BuildKit config file',
            help: 'configure the running daemon instead',
            upstream: 'setting config file is not supported for remote driver',
          });
      }
      if (flags?.value && !flags.value.text.includes(DYNAMIC)) {
        const r = shlexSplit(flags.value);
        if (r.error)
          ctx.report({ span: flags.valueSpan ?? flags.nameSpan, message: `--buildkitd-flags does not split into words: ${r.error}`, upstream: `failed to parse buildkit flags: ${r.error}` });
      }
    }
  },
});
