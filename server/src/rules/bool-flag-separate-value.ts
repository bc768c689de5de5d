/**
 * KBX530: a boolean flag followed by `true`/`false` as a separate word (`--push false`).
 */
import { analyseBuildFlags } from './build-flag-support';
import { joinWords } from './fix-support';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX530',
    name: 'bool-flag-separate-value',
    summary: 'A boolean flag followed by true/false as a separate word',
    severity: 'warning',
    fixable: 'sometimes',
    enabledByDefault: true,
    docs: {
      what:
        'Reports a boolean flag (`--push`, `--load`, `--no-cache`, `--use`, `--bootstrap`, …) directly followed by a separate word that is a Go boolean (`true`, `false`, `1`, `0`, …), on every buildx command.',
      why:
        'pflag never lets a boolean flag take the next word: `--push false` turns pushing ON, and `false` becomes a positional argument. For build it is then a second build context (buildx fails with the argument count: reported as an error) or, worse, the build context itself; for create it becomes the endpoint (a second one is an error); for bake a target name.',
      example: 'docker buildx build --push false -t app .',
      useInstead: 'docker buildx build --push=false -t app .',
      fixSafety: 'Safe: the fix joins the word to the flag with `=` (`--push=false`), which gives pflag exactly the value the author wrote. No fix for a clustered shorthand such as `-qD false`.',
      buildxSays: '"docker buildx build" requires exactly 1 argument.',
    },
  },
  check(model, ctx) {
    for (const f of analyseBuildFlags(model).boolWords) {
      // Safe: `--push false` → `--push=false` gives pflag the value the author wrote.
      const single = /^(--[a-z][a-z0-9-]*|-[a-zA-Z])$/.test(f.flag.arg.value.text) && f.flag.arg.static;
      const edit = single ? joinWords(model.text, f.flag.arg, f.word, '=') : null;
      const w = f.word.value.text;
      // When the stray word breaks the argument count buildx refuses the command: an error, and
      // build-context-count (KBX526) stays silent about the same word.
      ctx.report({
        span: f.span,
        message: f.message,
        severity: f.argCountError ? 'error' : undefined,
        upstream: f.argCountError,
        fix: edit ? { title: `write ${f.flag.arg.value.text}=${w}`, applicability: 'safe', edits: [edit] } : undefined,
      });
    }
  },
});
