/**
 * KBX412: a platform spelled with an alias (`x86_64`, `aarch64`, `armhf`, upper case) instead of
 * the canonical name buildx normalises it to.
 */
import type { FlagOccurrence, Invocation } from '../extract/invocation';
import { fixReplaceSpan } from './fix-support';
import { defineRule, reportOf } from './rule';

/** An invocation's --platform flags, listed once: one command may hold thousands of aliases. */
const platformFlags = new WeakMap<Invocation, FlagOccurrence[]>();
function platformFlagsOf(inv: Invocation): FlagOccurrence[] {
  let flags = platformFlags.get(inv);
  if (!flags) platformFlags.set(inv, (flags = inv.flags.filter((fl) => fl.name === 'platform')));
  return flags;
}

export default defineRule({
  meta: {
    code: 'KBX412',
    name: 'platform-alias',
    summary: 'A --platform written with an alias of its canonical name',
    severity: 'info',
    fixable: 'sometimes',
    enabledByDefault: true,
    owns: ['platform-alias'],
    docs: {
      what: 'Reports platforms that buildx accepts but normalises to another spelling: `linux/x86_64` and `linux/x86-64` (`linux/amd64`), `linux/aarch64` (`linux/arm64`), `linux/armhf` (`linux/arm/v7`), `linux/armel` (`linux/arm/v6`), `linux/i386` (`linux/386`), `linux/arm/7`, upper-case names. Leaving out the default variant (`linux/arm`) or spelling it out (`linux/arm64/v8`) is not reported.',
      why: 'Registries, builder node lists and `docker buildx ls` only use the canonical names, so an alias makes scripts harder to search and compare, and readers unsure whether two spellings are the same platform.',
      example: 'docker buildx build --platform linux/x86_64,linux/aarch64 -t app .',
      useInstead: 'docker buildx build --platform linux/amd64,linux/arm64 -t app .',
      fixSafety: 'Safe: the fix replaces the item by its canonical name, which buildx normalises both spellings to; the builder and the image get the very same platform.',
    },
  },
  onProblem(p, model) {
    const flags = p.inv ? platformFlagsOf(p.inv) : [];
    const r = reportOf(p);
    if (p.replacement) r.fix = fixReplaceSpan(model, flags, p.span, p.replacement, `write ${p.replacement}`, 'safe', p.inv);
    return r;
  },
});
