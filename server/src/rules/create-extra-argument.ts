/**
 * KBX420: more than one positional argument to `buildx create`, most often a `--platform` list
 * split at a space after a comma.
 */
import { DYNAMIC } from '../core/mapped-string';
import { argCountUncertain } from '../buildx/model';
import { parsePlatformSpec } from '../buildx/platform';
import { defineRule } from './rule';
import { analyseBuildFlags } from '../buildx/build-flags/index';

function looksLikePlatform(s: string): boolean {
  if (!s.includes('/') || s.includes('://')) return false;
  const p = parsePlatformSpec(s.replace(/,+$/, '').split(',')[0]);
  return p.platform !== null && p.error === null;
}

export default defineRule({
  meta: {
    code: 'KBX420',
    name: 'create-extra-argument',
    summary: '`buildx create` given more than one positional argument',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'Reports the second and later positional arguments of `buildx create`, which takes at most one `[CONTEXT|ENDPOINT]`. When the extra word looks like a platform it says so: the classic cause is `--platform linux/amd64, linux/arm64`, where the shell splits the list at the space.',
      why: 'buildx stops before creating anything.',
      example: 'docker buildx create --name multi --platform linux/amd64, linux/arm64 ssh://arm-host',
      useInstead: 'docker buildx create --name multi --platform linux/amd64,linux/arm64 ssh://arm-host',
      fixSafety: 'No fix is offered: the words may belong to different flags.',
      buildxSays: '"docker buildx create" requires at most 1 argument.',
    },
  },
  check(model, ctx) {
    // A `--use false` word already reports the argument count (KBX530, as an error): once is enough.
    const explained = new Set(
      analyseBuildFlags(model)
        .filter((p) => p.kind === 'bool-separate-value' && p.severity === 'error')
        .map((p) => p.inv),
    );
    for (const c of model.creates) {
      const inv = c.inv;
      if (argCountUncertain(inv) || inv.positionals.length < 2 || c.leave === true || explained.has(inv)) continue;
      const all = inv.positionals;
      const platformWord = all.find((a) => a.static && !a.value.text.includes(DYNAMIC) && looksLikePlatform(a.value.text));
      const bin = inv.program === 'docker' ? 'docker buildx create' : `${inv.program} create`;
      const extra = all.slice(1);
      const words = all.map((a) => `"${a.static ? a.value.text : '…'}"`).join(', ');
      const hint = platformWord ? `; "${platformWord.value.text}" looks like part of a --platform list split at a space` : '';
      ctx.report({
        span: { start: extra[0].span.start, end: extra[extra.length - 1].span.end },
        message: `create takes at most one argument (a context or endpoint), found ${all.length}: ${words}${hint}`,
        help: platformWord ? 'write the list without spaces, e.g. --platform linux/amd64,linux/arm64' : undefined,
        upstream: `"${bin}" requires at most 1 argument.`,
      });
    }
  },
});
