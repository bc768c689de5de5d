/**
 * KBX410: a `--platform` item buildx rejects, including lists the shell split at `, `.
 */
import type { Fix } from '../core/fix';
import type { ModelProblem } from '../buildx/problems';
import { joinWords } from './fix-support';
import { defineRule, reportOf } from './rule';

/**
 * spaceSplitFix removes the blanks after each comma of `--platform a, b`, gluing the words back into
 * the one list the author wrote. Safe: the shell concatenates adjacent words exactly as written.
 */
function spaceSplitFix(text: string, f: ModelProblem): Fix | undefined {
  const words = (f.inv?.argv ?? []).filter((a) => a.span.end > f.span.start && a.span.start < f.span.end);
  if (words.length < 2) return undefined;
  const edits = [];
  for (let i = 0; i + 1 < words.length; i++) {
    const e = joinWords(text, words[i], words[i + 1]);
    if (!e) return undefined;
    edits.push(e);
  }
  return { title: 'remove the space after the comma', applicability: 'safe', edits };
}

export default defineRule({
  meta: {
    code: 'KBX410',
    name: 'platform-invalid',
    summary: 'A --platform value that buildx cannot parse',
    severity: 'error',
    fixable: 'sometimes',
    enabledByDefault: true,
    owns: ['platform-invalid', 'platform-space-split'],
    docs: {
      what:
        'Parses every comma-separated item of `--platform` on `docker buildx create` and `docker buildx build` the way buildx does (containerd `platforms.Parse`) and reports items it rejects: empty items from a stray comma, items with spaces, unknown single words, more than three parts, wildcards. ' +
        'When a list written as `linux/amd64, linux/arm64` reaches buildx as two words (`--platform linux/amd64,` plus a separate `linux/arm64`), the pair is reported once, at the comma and the extra word.',
      why: 'buildx does not trim list items, so `linux/amd64, linux/arm64` fails on " linux/arm64"; unquoted, the space makes the second platform a separate argument, which `build` takes as a second build context and `create` as the endpoint. The command fails before anything is built.',
      example: 'docker buildx build --platform linux/amd64, linux/arm64 -t app .',
      useInstead: 'docker buildx build --platform linux/amd64,linux/arm64 -t app .',
      fixSafety:
        'Safe for a list split by a space after a comma (`--platform linux/amd64, linux/arm64`): the fix removes the blanks so the shell passes the one list that was written. No fix for other invalid values: which platform a typo meant is a guess.',
      buildxSays: "docker: 'docker buildx build' requires 1 argument",
    },
  },
  onProblem(p, model) {
    const r = reportOf(p);
    if (p.kind === 'platform-space-split') r.fix = spaceSplitFix(model.text, p);
    return r;
  },
});
