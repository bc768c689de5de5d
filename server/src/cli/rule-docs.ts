/**
 * Rule documentation rendered from rule metadata: `kbx-lint rules`, `kbx-lint rule X` and the
 * pages in docs/rules/ all come from here, so no hand-kept catalog can drift.
 */
import { RULES } from '../rules/index';
import type { Rule } from '../rules/rule';

export function renderRuleList(format: 'text' | 'json'): string {
  if (format === 'json') {
    return JSON.stringify(
      {
        version: 1,
        rules: RULES.map((r) => ({
          code: r.meta.code,
          name: r.meta.name,
          severity: r.meta.severity,
          fixable: r.meta.fixable,
          enabledByDefault: r.meta.enabledByDefault,
          summary: r.meta.summary,
        })),
      },
      null,
      2,
    );
  }
  const rows = RULES.map(
    (r) =>
      `${r.meta.code}  ${r.meta.name.padEnd(36)} ${r.meta.severity.padEnd(7)} ${r.meta.fixable === 'never' ? '   ' : 'fix'} ${r.meta.enabledByDefault ? '' : '(off by default) '}${r.meta.summary}`,
  );
  return ['CODE    NAME                                 DEFAULT FIX SUMMARY', ...rows].join('\n');
}

function fenceOf(file: string | undefined): string {
  if (file === 'Makefile') return 'make';
  return file && /\.ya?ml$/.test(file) ? 'yaml' : 'sh';
}

export function renderRuleDoc(rule: Rule): string {
  const m = rule.meta;
  const d = m.docs;
  const lines = [
    `# ${m.code} ${m.name}`,
    '',
    `${m.summary}.`,
    '',
    `Default severity: **${m.severity}**${m.enabledByDefault ? '' : ' (off by default; enable it in the configuration)'}. Fix: ${m.fixable}.`,
    '',
    '## What it does',
    '',
    d.what,
    '',
    '## Why is this bad?',
    '',
    d.why,
    '',
    '## Example',
    '',
    ...(d.exampleConfig ? [`With \`.kbx-lint.json\` \`${JSON.stringify(d.exampleConfig)}\`:`, ''] : []),
    '```' + fenceOf(d.exampleFileName),
    d.example,
    '```',
    '',
    '## Use instead',
    '',
    '```' + fenceOf(d.exampleFileName),
    d.useInstead,
    '```',
    '',
    '## Fix safety',
    '',
    d.fixSafety,
  ];
  if (d.buildxSays) lines.push('', '## What buildx says', '', '```', d.buildxSays, '```');
  // Findings about suppression comments sit on the comments themselves: only a file-wide comment applies.
  const fileWideOnly = m.code === 'KBX690' || m.code === 'KBX691';
  lines.push('', '## Suppress', '', '```sh', `# kbx-lint ${fileWideOnly ? 'disable-file' : 'disable'}=${m.code}`, '```');
  return lines.join('\n');
}
