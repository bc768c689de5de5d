/**
 * KBX530: a boolean flag followed by `true`/`false` as a separate word (`--push false`).
 */
import { joinWords } from './fix-support';
import { defineRule, reportOf } from './rule';

export default defineRule({
  meta: {
    code: 'KBX530',
    name: 'bool-flag-separate-value',
    summary: 'A boolean flag followed by true/false as a separate word',
    severity: 'warning',
    fixable: 'sometimes',
    enabledByDefault: true,
    owns: ['bool-separate-value'],
    docs: {
      what: 'Reports a boolean flag (`--push`, `--load`, `--no-cache`, `--use`, `--bootstrap`, …) directly followed by a separate word that is a Go boolean (`true`, `false`, `1`, `0`, …), on every buildx command.',
      why: 'pflag never lets a boolean flag take the next word: `--push false` turns pushing ON, and `false` becomes a positional argument. For build it is then a second build context (buildx fails with the argument count: reported as an error) or, worse, the build context itself; for create it becomes the endpoint (a second one is an error); for bake a target name.',
      example: 'docker buildx build --push false -t app .',
      useInstead: 'docker buildx build --push=false -t app .',
      fixSafety: 'Safe: the fix joins the word to the flag with `=` (`--push=false`), which gives pflag exactly the value the author wrote. No fix for a clustered shorthand such as `-qD false`.',
      buildxSays: '"docker buildx build" requires exactly 1 argument.',
    },
  },
  onProblem(p, model) {
    const r = reportOf(p);
    const { flag, word } = p;
    if (!flag || !word) return r;
    // Safe: `--push false` → `--push=false` gives pflag the value the author wrote.
    const single = /^(--[a-z][a-z0-9-]*|-[a-zA-Z])$/.test(flag.arg.value.text) && flag.arg.static;
    const edit = single ? joinWords(model.text, flag.arg, word, '=') : null;
    if (edit) r.fix = { title: `write ${flag.arg.value.text}=${word.value.text}`, applicability: 'safe', edits: [edit] };
    return r;
  },
});
