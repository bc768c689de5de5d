#!/usr/bin/env node
// Language-server edit latency: spawns `node dist/server.js --stdio`, opens a generated script of
// 5,000 lines with 500 buildx commands, makes one-character edits and times each pull of
// textDocument/diagnostic sent right after the change; reports p50/p99 and the server's peak RSS
// (VmHWM of the server process and its threads, from /proc).
// Usage: node bench/lsp-edits.mjs [--edits 100] [--server dist/server.js]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const EDITS = Number(opt('edits', 100));
const SERVER = opt('server', join(root, 'dist/server.js'));

/** The script: 500 blocks of 10 lines, each with one buildx command, variables and a branch. */
export function generateScript(blocks = 500) {
  const out = ['#!/usr/bin/env bash', 'set -euo pipefail'];
  for (let i = 0; i < blocks; i++) {
    const kind = i % 4;
    out.push(`# block ${i}`);
    out.push(`NAME_${i}="builder-${i}"`);
    if (kind === 0) {
      out.push(`docker buildx create --name "$NAME_${i}" --driver kubernetes \\`);
      out.push(`  --driver-opt namespace=ci,replicas=${i % 5},nodeselector=kubernetes.io/arch=amd64,pool=ci \\`);
      out.push(`  --platform linux/amd64`);
    } else if (kind === 1) {
      out.push(`if [ -n "\${PUSH:-}" ]; then`);
      out.push(`  docker buildx build --builder "$NAME_${i - 1}" --platform linux/amd64,linux/arm64 -t reg/app:${i} --push .`);
      out.push('fi');
    } else if (kind === 2) {
      out.push(`run_${i}() {`);
      out.push(`  docker buildx build --load --platform linux/amd64 -t "app:${i}" --cache-to type=local,dest=/tmp/c${i} "$@"`);
      out.push('}');
    } else {
      out.push(`for arch in amd64 arm64; do`);
      out.push(`  docker buildx build --platform "linux/$arch" --output type=image,name=reg/app-${i},push=true .`);
      out.push('done');
    }
    out.push(`echo "done ${i}"`);
    out.push(`STEP=$((STEP + 1))`);
    while (out.length < 2 + (i + 1) * 10) out.push(`: step ${i}`);
  }
  return out.join('\n') + '\n';
}

function frame(msg) {
  const body = Buffer.from(JSON.stringify(msg));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

function peakRss(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

async function main() {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buf = Buffer.alloc(0);
  const pending = new Map();
  child.stdout.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const sep = buf.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString())[1]);
      if (buf.length < sep + 4 + len) return;
      const msg = JSON.parse(buf.subarray(sep + 4, sep + 4 + len).toString());
      buf = buf.subarray(sep + 4 + len);
      if (msg.id !== undefined && pending.has(msg.id)) {
        pending.get(msg.id)(msg);
        pending.delete(msg.id);
      } else if (msg.id !== undefined && msg.method) {
        child.stdin.write(frame({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? [null] : null }));
      }
    }
  });
  let nextId = 1;
  const request = (method, params) =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.stdin.write(frame({ jsonrpc: '2.0', id, method, params }));
    });
  const notify = (method, params) => child.stdin.write(frame({ jsonrpc: '2.0', method, params }));

  await request('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { diagnostic: {} } } });
  notify('initialized', {});
  const text = generateScript();
  const uri = 'file:///bench/big.sh';
  notify('textDocument/didOpen', { textDocument: { uri, languageId: 'shellscript', version: 1, text } });
  const first = await request('textDocument/diagnostic', { textDocument: { uri } });
  const findings = first.result.items.length;
  const lines = text.split('\n');
  const times = [];
  let seed = 12345;
  const rand = (n) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let k = 0; k < EDITS; k++) {
    // A one-character insertion at a random place of a random buildx line.
    let line;
    do line = rand(lines.length - 1);
    while (!lines[line].includes('docker'));
    const character = rand(lines[line].length);
    const ch = 'abcxyz'[rand(6)];
    lines[line] = lines[line].slice(0, character) + ch + lines[line].slice(character);
    notify('textDocument/didChange', {
      textDocument: { uri, version: k + 2 },
      contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: ch }],
    });
    const t = process.hrtime.bigint();
    await request('textDocument/diagnostic', { textDocument: { uri } });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const rss = peakRss(child.pid);
  await request('shutdown', null);
  notify('exit', null);
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)];
  console.log(`${lines.length - 1} lines, ${findings} findings at open, ${EDITS} one-character edits`);
  console.log(`pull diagnostic after an edit: p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`);
  console.log(`server peak RSS (VmHWM): ${rss.toFixed(0)} MB`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
