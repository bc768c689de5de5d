/** The extension manifest, the server's settings and the injection grammar agree with each other. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGE_IDS, SETTINGS_SECTION, languageOf } from '../../server/src/lsp/server';
import { FIX_ALL_KIND } from '../../server/src/lsp/code-actions';
import { CONFIG_NAMES, validateConfig } from '../../server/src/engine/config';
import { SERVER_SETTINGS } from '../../server/src/lsp/settings';

const root = join(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'client/package.json'), 'utf8'));
const grammar = JSON.parse(readFileSync(join(root, 'grammar/buildx.injection.tmLanguage.json'), 'utf8'));

describe('client/package.json', () => {
  it('contributes exactly the settings the server reads, with their types and defaults', () => {
    const props = manifest.contributes.configuration.properties;
    expect(Object.keys(props).sort()).toEqual(
      Object.keys(SERVER_SETTINGS)
        .map((k) => `${SETTINGS_SECTION}.${k}`)
        .sort(),
    );
    for (const [key, spec] of Object.entries(SERVER_SETTINGS)) {
      const entry = props[`${SETTINGS_SECTION}.${key}`];
      expect(entry.type, key).toBe(spec.type);
      expect(entry.default, key).toEqual(spec.default);
      // Settings are per folder: the server asks for them with each document as scopeUri.
      expect(entry.scope, key).toBe('resource');
      expect(entry.description ?? entry.markdownDescription, key).toBeTruthy();
    }
    // Every severity the settings UI offers is one validateConfig accepts.
    for (const severity of props['kbxLint.rules'].additionalProperties.enum) {
      expect(validateConfig({ rules: { KBX101: severity } }, () => true).problems).toEqual([]);
    }
    // The settings UI accepts a buildx release exactly when the configuration file would.
    const release = new RegExp(props['kbxLint.buildx'].pattern);
    for (const v of ['0.12', 'v0.13.1', 'latest', '0.19.0-rc1', 'twelve', '1', 'v0.x', ' 0.12']) {
      expect(release.test(v), v).toBe(validateConfig({ buildx: v }).problems.length === 0);
    }
    expect(release.test('')).toBe(true);
    expect(FIX_ALL_KIND).toBe('source.fixAll.kbx-lint');
  });

  it('binds .kbx-lint.json and kbx-lint.json to the shipped schema', () => {
    const [v] = manifest.contributes.jsonValidation;
    expect(manifest.contributes.jsonValidation).toHaveLength(1);
    expect([...v.fileMatch].sort()).toEqual([...CONFIG_NAMES].sort());
    // The packaging scripts copy schema/kbx-lint.schema.json to client/dist/ under its own name.
    expect(v.url).toBe('./dist/kbx-lint.schema.json');
    for (const script of [readFileSync(join(root, 'scripts/package-vsix.mjs'), 'utf8'), JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['build:extension']]) {
      expect(script).toContain('schema/kbx-lint.schema.json');
    }
  });

  it('activates on, and selects, exactly the VS Code languages the server reads', () => {
    const activation = manifest.activationEvents.map((e: string) => e.replace(/^onLanguage:/, ''));
    expect(activation).toEqual(['shellscript', 'makefile', 'markdown', 'yaml', 'github-actions-workflow']);
    const extension = readFileSync(join(root, 'client/src/extension.ts'), 'utf8');
    const selected = [...extension.matchAll(/\{ language: '([^']+)' \}/g)].map((m) => m[1]);
    expect(selected).toEqual(activation);
    for (const id of activation) expect(LANGUAGE_IDS).toContain(id);
    // A sample document of each language, named as a user would name it, reaches its host.
    const sample: Record<string, [string, string]> = {
      shellscript: ['/p/build.sh', 'shellscript'],
      makefile: ['/p/Makefile', 'makefile'],
      markdown: ['/p/README.md', 'markdown'],
      yaml: ['/p/.gitlab-ci.yml', 'gitlab-ci'],
      'github-actions-workflow': ['/p/.github/workflows/ci.yml', 'github-actions'],
    };
    for (const id of activation) expect(languageOf(id, sample[id][0]), id).toBe(sample[id][1]);
    // YAML that is neither a workflow nor a pipeline is not ours; a composite action is.
    expect(languageOf('yaml', '/p/config/values.yaml')).toBeNull();
    expect(languageOf('yaml', '/p/action.yml')).toBe('github-actions');
    expect(languageOf('github-actions-workflow', '/p/notes.yml')).toBeNull();
    expect(languageOf('plaintext', '/p/docs/setup.md')).toBe('markdown');
    expect(languageOf('plaintext', '/p/notes.txt')).toBeNull();
  });

  it('injects the grammar into shell and Makefile', () => {
    const [g] = manifest.contributes.grammars;
    expect(g.scopeName).toBe(grammar.scopeName);
    expect(g.injectTo).toEqual(['source.shell', 'source.makefile']);
  });
});

describe('grammar/buildx.injection.tmLanguage.json', () => {
  const regexes: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'match' || k === 'begin' || k === 'end') && typeof x === 'string') regexes.push(x);
        else walk(x);
      }
    }
  };
  walk(grammar.repository);

  it('has regexes that compile (\\G read as ^ by JavaScript)', () => {
    expect(regexes.length).toBeGreaterThan(4);
    for (const r of regexes) expect(() => new RegExp(r.replace(/\\G/g, '^'))).not.toThrow();
  });

  it('matches buildx subcommands, --driver-opt and driver option keys', () => {
    // `docker` itself is left to the shell grammar: matching it would keep the shell grammar from
    // starting its command (see grammar-tokenize.test.ts).
    const command = new RegExp(grammar.repository.command.match);
    expect(command.exec('  docker buildx create --name x')?.slice(1)).toEqual(['buildx', 'create']);
    const opt = new RegExp(grammar.repository['driver-opt'].match);
    expect(opt.exec('--driver-opt=namespace=ci')?.[1]).toBe('--driver-opt');
    const key = new RegExp(grammar.repository['driver-opt-key'].match, 'g');
    expect([...'=nodeselector=a=1,tolerations=x,env.FOO=1,bogus=2'.matchAll(key)].map((m) => m[0])).toEqual(['nodeselector', 'tolerations', 'env.FOO']);
  });
});
