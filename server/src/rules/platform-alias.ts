/**
 * KBX412: a platform spelled with an alias (`x86_64`, `aarch64`, `armhf`, upper case) instead of
 * the canonical name buildx normalises it to.
 */
import { analysePlatforms } from './platform-support';
import { fixReplaceSpan } from './fix-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX412',
    name: 'platform-alias',
    summary: 'A --platform written with an alias of its canonical name',
    severity: 'info',
    fixable: 'sometimes',
    enabledByDefault: true,
    docs: {
      what:
        'Reports platforms that buildx accepts but normalises to another spelling: `linux/x86_64` and `linux/x86-64` (`linux/amd64`), `linux/aarch64` (`linux/arm64`), `linux/armhf` (`linux/arm/v7`), `linux/armel` (`linux/arm/v6`), `linux/i386` (`linux/386`), `linux/arm/7`, upper-case names. Leaving out the default variant (`linux/arm`) or spelling it out (`linux/arm64/v8`) is not reported.',
      why:
        'Registries, builder node lists and `docker buildx ls` only use the canonical names, so an alias makes scripts harder to search and compare, and readers unsure whether two spellings are the same platform.',
      example: 'docker buildx build --platform linux/x86_64,linux/aarch64 -t app .',
      useInstead: 'docker buildx build --platform linux/amd64,linux/arm64 -t app .',
      fixSafety: 'Safe: the fix replaces the item by its canonical name, which buildx normalises both spellings to; the builder and the image get the very same platform.',
    },
  },
  check(model, ctx) {
    for (const f of analysePlatforms(model).findings) {
      if (f.kind !== 'alias') continue;
      const flags = f.inv.flags.filter((fl) => fl.name === 'platform');
      const fix = f.replacement ? fixReplaceSpan(model, flags, f.span, f.replacement, `write ${f.replacement}`, 'safe') : undefined;
      ctx.report({ span: f.span, message: f.message, fix });
    }
  },
});
