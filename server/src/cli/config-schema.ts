/**
 * The JSON Schema of `.kbx-lint.json`, generated from the rule list so that editors can validate
 * and complete rule ids. `schema/kbx-lint.schema.json` is this output; a test keeps it in sync.
 */
import { RULES } from '../rules/index';

export const SCHEMA_ID = 'https://github.com/kbx-lint/kbx-lint/raw/main/schema/kbx-lint.schema.json';

export function configJsonSchema(): Record<string, unknown> {
  const setting = { enum: ['error', 'warning', 'info', 'off'] };
  const ids = RULES.flatMap((r) => [r.meta.code, r.meta.name]);
  const rules = {
    type: 'object',
    description: 'Severity per rule, by code (KBX101) or name (driver-opt-unquoted-comma); "off" disables it.',
    // Keys are matched case-insensitively by kbx-lint; the schema lists the canonical spellings.
    propertyNames: { enum: ids },
    additionalProperties: setting,
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'kbx-lint configuration (.kbx-lint.json)',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      extends: {
        description: 'Configuration file(s) to start from, relative to this file; later entries and this file win.',
        oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      },
      rules,
      buildx: {
        description: 'The buildx release the files run with ("0.12", "v0.13.1" or "latest"); flags and driver options it lacks are reported (KBX450).',
        type: 'string',
        pattern: '^(latest|v?\\d+\\.\\d+(\\.\\d+)?([-+].*)?)$',
      },
      limits: {
        description: 'Past these sizes a file, or one word, Makefile expansion, Markdown code block or YAML document in it, is reported as too large (KBX604) instead of being read.',
        type: 'object',
        additionalProperties: false,
        properties: {
          maxFileSize: { type: 'integer', minimum: 1, description: 'Characters in the whole file (default 8 MiB).' },
          maxLineLength: { type: 'integer', minimum: 1, description: 'Characters in one line (default 256 KiB).' },
          maxWordLength: {
            type: 'integer',
            minimum: 1,
            description: 'Characters in one shell word or argument, as written and as the program receives it (default 128 KiB, the longest argument Linux passes to a program).',
          },
          maxWordFields: { type: 'integer', minimum: 1, description: 'Comma-separated fields in one word or argument, such as a --driver-opt value (default 10000).' },
          maxExpansion: { type: 'integer', minimum: 1, description: 'Characters one Makefile variable or recipe line may expand to (default 128 KiB).' },
          maxArguments: {
            type: 'integer',
            minimum: 1,
            description: 'Arguments of all the Docker commands of one file together; the command past it and every later one are not read (default 100000).',
          },
          maxStatements: {
            type: 'integer',
            minimum: 1,
            description: 'Shell statements of one file, at every depth; the rest of the file past it is not read (default 100000).',
          },
          maxBlockSize: { type: 'integer', minimum: 1, description: 'Characters in one Markdown code block; a larger block is not read (default 256 KiB).' },
          maxDocumentSize: {
            type: 'integer',
            minimum: 1,
            description: 'Characters in one YAML document of a workflow, action or GitLab CI file; a larger document is not read (default 1 MiB).',
          },
          maxAliases: {
            type: 'integer',
            minimum: 1,
            description: 'Aliases (*name) in one YAML document of a workflow, action or GitLab CI file; a document with more is not read (default 10000).',
          },
          maxFindings: {
            type: 'integer',
            minimum: 1,
            description: "Findings of one rule in one file; past it the rule's later findings are not reported, and one KBX604 says where they start (default 1000).",
          },
        },
      },
      overrides: {
        description: 'Rule settings for some paths only (gitignore-style globs relative to this file); later entries win.',
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['files'],
          properties: {
            files: { type: 'array', items: { type: 'string' }, minItems: 1 },
            rules,
          },
        },
      },
    },
  };
}
