/**
 * KBX604: a file past the input limits, reported instead of read.
 */
import { defineRule } from './rule';

export default defineRule({
  meta: {
    code: 'KBX604',
    name: 'input-too-large',
    summary: 'A file too large to read safely',
    severity: 'error',
    fixable: 'never',
    enabledByDefault: true,
    owns: ['input-too-large'],
    docs: {
      what: 'Reports a file longer than `limits.maxFileSize` characters (default 8 MiB) or with a line longer than `limits.maxLineLength` (default 256 KiB), which kbx-lint then does not read. Both limits are set in `.kbx-lint.json`: `{"limits": {"maxFileSize": 16777216}}`.',
      why: 'No real script, Makefile, workflow or page comes near these sizes; a file that does is generated or hostile, and reading it could exhaust memory. Saying so is better than silence or a crash.',
      example: 'docker buildx build --platform linux/amd64,linux/arm64 --tag registry.example.com/team/app:1.0 .',
      useInstead: 'docker buildx build -t app .',
      exampleConfig: { limits: { maxLineLength: 80 } },
      fixSafety: 'No fix is offered.',
    },
  },
});
