/**
 * The shipped configuration schema is the generated one, and it accepts what the CLI accepts and
 * rejects what the CLI rejects (checked with a real JSON Schema validator).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../server/src/cli/config-schema';

const FILE = join(__dirname, '../../schema/kbx-lint.schema.json');

describe('schema/kbx-lint.schema.json', () => {
  it('is the schema generated from the rule list', () => {
    const text = JSON.stringify(configJsonSchema(), null, 2) + '\n';
    if (process.env.KBX_UPDATE_DOCS) writeFileSync(FILE, text);
    expect(readFileSync(FILE, 'utf8')).toBe(text);
  });

  it('validates configurations', () => {
    const validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(FILE, 'utf8')));
    const ok = [
      {},
      { rules: { KBX101: 'off', 'driver-opt-duplicate-key': 'error' } },
      { $schema: './schema.json', extends: '../base.json', overrides: [{ files: ['ci/**'], rules: { KBX205: 'info' } }] },
      { extends: ['a.json', 'b.json'] },
    ];
    for (const c of ok) expect(validate(c), JSON.stringify(validate.errors)).toBe(true);
    const bad = [{ rules: { KBX999: 'off' } }, { rules: { KBX101: 'silent' } }, { rule: {} }, { overrides: [{ rules: {} }] }, { extends: 3 }];
    for (const c of bad) expect(validate(c), JSON.stringify(c)).toBe(false);
  });
});
