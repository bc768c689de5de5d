/**
 * Go's `net.ParseIP` acceptance, for `--add-host` addresses.
 */
function parseIPv4(s: string): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  // Go 1.17+ rejects leading zeros, which older resolvers read as octal.
  return parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function parseIPv6(s: string): boolean {
  if (s.includes('%')) return false;
  let groups = 0;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const check = (h: string, isLast: boolean): boolean => {
    if (h === '') return true;
    const gs = h.split(':');
    for (let i = 0; i < gs.length; i++) {
      const g = gs[i];
      if (isLast && i === gs.length - 1 && g.includes('.')) {
        if (!parseIPv4(g)) return false;
        groups += 2;
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
      groups++;
    }
    return true;
  };
  if (halves.length === 1) return check(s, true) && groups === 8;
  if (!check(halves[0], false) || !check(halves[1], true)) return false;
  return groups < 8;
}

/** parseIP reports whether Go's net.ParseIP accepts s. */
export function isGoIP(s: string): boolean {
  if (s.includes(':')) return parseIPv6(s);
  return parseIPv4(s);
}
