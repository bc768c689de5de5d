/** said is everything a finding tells the reader (message, help, upstream error), for content assertions. */
export function said(p: { message: string; help?: string; upstream?: string }): string {
  return [p.message, p.help, p.upstream].filter((s) => s).join('\n');
}
