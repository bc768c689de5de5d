/**
 * buildx versions: the release a project targets (configuration `buildx`, `--buildx-version`, or a
 * host such as docker/setup-buildx-action's `version:` input) compared with the release that
 * introduced a flag or driver option.
 */

export type Version = readonly [number, number, number];

/**
 * parseVersion reads `0.12`, `v0.12.1`, `0.13.0-rc1` (the pre-release is ignored: a candidate of
 * 0.13 already has 0.13's options). `latest` and anything unreadable are null: no target, nothing
 * to judge.
 */
export function parseVersion(text: string): Version | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function formatVersion(v: Version): string {
  return `v${v[0]}.${v[1]}${v[2] ? `.${v[2]}` : ''}`;
}

/** isBefore: the target release predates `since` (both as written in the tables, `v0.12`). */
export function isBefore(target: Version, since: string | undefined): boolean {
  if (!since) return false;
  const s = parseVersion(since);
  return s !== null && compareVersions(target, s) < 0;
}

/**
 * targetVersion is the buildx release an invocation runs with: its region's pin (a CI host's
 * setup-buildx-action `version:`), else the configured target; null: the newest.
 */
export function targetVersion(inv: { region: { buildxVersion?: { version: string } } }, configured: string | null | undefined): Version | null {
  const pinned = inv.region.buildxVersion?.version;
  if (pinned) return parseVersion(pinned);
  return configured ? parseVersion(configured) : null;
}
