/**
 * KBX450: a flag or driver option that the targeted buildx release does not have yet.
 */
import type { Span } from '../core/span';
import { lookupOption, unknownKeyError, type DriverName } from '../buildx/driver-opts';
import { formatVersion, isBefore, parseVersion, type Version } from '../buildx/version';
import type { Invocation } from '../extract/invocation';
import { defineRule } from './rule';

interface Target {
  version: Version;
  /** Where the target is set, when a file sets it. */
  span?: Span;
}

function targetOf(inv: Invocation, configured: string | null | undefined): Target | null {
  const pinned = inv.region.buildxVersion;
  if (pinned) {
    const v = parseVersion(pinned.version);
    return v ? { version: v, span: pinned.span } : null;
  }
  const v = configured ? parseVersion(configured) : null;
  return v ? { version: v } : null;
}

export default defineRule({
  meta: {
    code: 'KBX450',
    name: 'buildx-version-unsupported',
    summary: 'A flag or driver option newer than the targeted buildx release',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    docs: {
      what: 'When the configuration names the buildx release the project runs (`"buildx": "0.12"` in `.kbx-lint.json`, or a `# kbx-lint buildx=0.12` comment in the file), or a CI host pins it (docker/setup-buildx-action `version:`), reports flags and `--driver-opt` keys that release does not have yet. The release each flag and option first appeared in is read from buildx’s own history (`scripts/buildx-since.mjs`). Without a target, kbx-lint judges against the newest release and this rule stays silent.',
      why: 'An older buildx rejects a flag it does not know (`unknown flag`) and a driver option it does not know (`invalid driver option`), often only on the CI machine that pins the older release.',
      example: '# kbx-lint buildx=0.12\ndocker buildx build --call check .',
      useInstead: '# kbx-lint buildx=0.15\ndocker buildx build --call check .',
      fixSafety: 'No fix is offered: the remedy is a newer buildx or a different command.',
      buildxSays: 'unknown flag: --call',
    },
  },
  check(model, ctx) {
    // The target depends only on the command's region: thousands of commands share a few regions.
    let lastRegion: Invocation['region'] | null = null;
    let lastTarget: Target | null = null;
    const targetFor = (inv: Invocation): Target | null => {
      if (inv.region !== lastRegion) {
        lastRegion = inv.region;
        lastTarget = targetOf(inv, model.buildxTarget);
      }
      return lastTarget;
    };
    for (const inv of model.invocations) {
      const target = targetFor(inv);
      if (!target) continue;
      const related = target.span ? [{ span: target.span, message: `buildx ${formatVersion(target.version)} is pinned here` }] : undefined;
      for (const f of inv.flags) {
        if (!f.spec || !isBefore(target.version, f.spec.since)) continue;
        ctx.report({
          span: f.nameSpan,
          message: `--${f.name} needs buildx ${f.spec.since} or later; the target is buildx ${formatVersion(target.version)}`,
          help: `upgrade buildx to ${f.spec.since} or drop --${f.name}`,
          upstream: `unknown flag: --${f.name}`,
          related,
        });
      }
    }
    for (const c of model.creates) {
      const target = targetFor(c.inv);
      if (!target || !c.driverOpts || !c.driver) continue;
      const related = target.span ? [{ span: target.span, message: `buildx ${formatVersion(target.version)} is pinned here` }] : undefined;
      for (const e of c.driverOpts.entries) {
        const spec = lookupOption(c.driver as DriverName, e.key.text);
        if (!spec || !isBefore(target.version, spec.since)) continue;
        ctx.report({
          span: { start: e.key.starts[0] ?? e.key.endOffset, end: e.key.text.length ? e.key.ends[e.key.text.length - 1] : e.key.endOffset },
          message: `driver option ${e.key.text} needs buildx ${spec.since} or later; the target is buildx ${formatVersion(target.version)}`,
          help: `upgrade buildx to ${spec.since} or drop ${e.key.text}`,
          upstream: unknownKeyError(c.driver as DriverName, e.key.text),
          related,
        });
      }
    }
  },
});
