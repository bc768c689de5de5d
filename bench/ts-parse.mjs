#!/usr/bin/env node
// The tree-sitter baseline: parse every shell file under DIR with tree-sitter-bash (WASM, through
// web-tree-sitter) and print one JSON line { files, bytes, errors, ms }. run.mjs starts this as a
// child process, so the baseline pays process start-up and grammar loading just as kbx-lint pays
// its own. Makefiles are skipped: tree-sitter-bash reading make syntax measures nothing useful.
// Usage: node bench/ts-parse.mjs DIR
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

const require = createRequire(import.meta.url);
const GRAMMAR = require.resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter-bash.wasm');

export function shellFilesUnder(dir) {
  const out = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (/\.(sh|bash)$/.test(e.name)) out.push(p);
    }
  }
  return out.sort();
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node bench/ts-parse.mjs DIR\n');
  process.exit(2);
}
const t0 = performance.now();
await Parser.init();
const parser = new Parser();
parser.setLanguage(await Language.load(GRAMMAR));
let bytes = 0;
let errors = 0;
const files = shellFilesUnder(dir);
for (const f of files) {
  const text = readFileSync(f, 'utf8');
  bytes += text.length;
  const tree = parser.parse(text);
  if (tree.rootNode.hasError) errors++;
  tree.delete();
}
console.log(JSON.stringify({ files: files.length, bytes, errors, ms: performance.now() - t0 }));
