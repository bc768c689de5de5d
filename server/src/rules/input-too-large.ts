/**
 * KBX604: a file past the input limits, reported instead of read.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX604',
    name: 'input-too-large',
    summary: 'A file, word, Makefile expansion, code block or YAML document too large to read safely',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['input-too-large'],
    docs: {
      what: 'Reports a file longer than `limits.maxFileSize` characters (default 8 MiB) or with a line longer than `limits.maxLineLength` (default 256 KiB), which kbx-lint then does not read (a file with more than three bytes for every character the limit allows, and any file over 1 GiB, is reported by its size and never read whole, so memory stays bounded whatever the file\'s size); and, in a file it reads, a single word longer than `limits.maxWordLength` characters (default 128 KiB, as written or after variables) or with more than `limits.maxWordFields` comma-separated fields (default 10000), and a Makefile variable or recipe line that expands to more than `limits.maxExpansion` characters (default 128 KiB), or a Makefile whose expansions together produce more than 8 times its own length (at least 4 million, at most 40 million characters; what make would print can grow with the square of the file). Such a word or expansion is left unjudged, like a value known only at run time; the rest of the file is checked as usual. When the arguments of a file\'s Docker commands together pass `limits.maxArguments` (default 100000), the finding is at the first command that does not fit, and it and every later command are not checked: the model of a command weighs some 500 bytes an argument, so this bounds what one file can hold. Likewise past `limits.maxStatements` shell statements in one file (default 100000, at every depth: each command, pipeline, `if` and each command inside a substitution), the rest of the file is not read and the finding is at the first statement left out: a syntax tree weighs some 400 bytes a statement, and a file of short commands holds one every few bytes. A Markdown code block longer than `limits.maxBlockSize` characters (default 256 KiB) and a YAML document (a workflow, an action, a pipeline, or one `---` document of the file) longer than `limits.maxDocumentSize` (default 1 MiB) are not read, and the finding is at the block\'s opening fence or the document\'s first line; so is a YAML document with more than `limits.maxAliases` aliases (`*name`, default 10000; an alias bomb: its parse alone would hold hundreds of MB), with the finding at its first alias past the limit; the other blocks and documents of the file are. The limits are set in `.kbx-lint.json`: `{"limits": {"maxFileSize": 16777216, "maxWordFields": 50000}}`, on the command line with `--limit NAME=N` (`--limit maxBlockSize=524288`, repeatable, over the file\'s), and in the editor with the `kbxLint.limits` setting.',
      why: 'No real script, Makefile, workflow or page comes near these sizes (among 14,708 Markdown code blocks the largest had 35 KB; among 7,575 YAML documents of 40 public repositories, 611 KB; GitHub starts no run for a workflow file over 512,000 bytes, and GitLab refuses a pipeline file whose loaded configuration passes 2 MB, a few hundred KB of YAML); a file that does is generated or hostile, and reading it could exhaust memory: a code block or a YAML document is parsed whole, at some 100 bytes of memory a character. Linux itself refuses to start a program with one argument longer than 128 KiB (`MAX_ARG_STRLEN`, execve(2): "Argument list too long"), and make passes each recipe line to the shell as one argument. Among 1,791 shell, Makefile, YAML and Markdown files of 39 public repositories (docker/buildx, moby/buildkit and docker/build-push-action among them), the most arguments of Docker commands in one file was 576, in build-push-action\'s CI workflow; 100,000 is 170 times that, lets `--fix` mend 10,000 commands in one generated file, and bounds the model of one file to some 50 MB. bash\'s own `configure` script (670 KB) has 12,810 statements. Saying so is better than silence or a crash.',
      example: 'docker buildx build --platform linux/amd64,linux/arm64 --tag registry.example.com/team/app:1.0 .',
      useInstead: 'docker buildx build -t app .',
      exampleConfig: { limits: { maxLineLength: 80 } },
      fixSafety: 'No fix is offered.',
    },
  },
});
