/**
 * The language server under storms (issue 14, item 5), in real sessions with the built lint
 * worker: a burst of 1,000 didChange notifications, 1,000 open documents, and a small document
 * edited again and again while a slow one lints. Assertions are on content, order and counts of
 * lints (work done per change), never on milliseconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { lspScript } from '../../bench/corpus.mjs';
import { positionOf, type Session, startSession } from './lsp-harness';

let session: Session | undefined;
afterEach(() => {
  session?.dispose();
  session = undefined;
});

const SMALL_TEXT = 'docker buildx create --name k --driver kubernetes --driver-opt nodeselector=a=1,b=2\n';

/** Counts the lints the scheduler is asked to run, per document. */
function countLints(s: Session): Map<string, number> {
  const counts = new Map<string, number>();
  const scheduler = s.server().scheduler;
  const lint = scheduler.lint.bind(scheduler);
  scheduler.lint = (version, input) => {
    counts.set(input.uri, (counts.get(input.uri) ?? 0) + 1);
    return lint(version, input);
  };
  return counts;
}

/** The publication of `version` (earlier versions' are skipped). */
async function publishedVersion(s: Session, uri: string, version: number): Promise<PublishDiagnosticsParams> {
  for (;;) {
    const p = await s.next(uri, 120_000);
    if (p.version === version) return p;
    expect(p.version ?? 0).toBeLessThan(version);
  }
}

const strip = (p: PublishDiagnosticsParams) => p.diagnostics.map(({ data: _data, ...d }) => d);

describe('the language server under storms', () => {
  it('lints a burst of 1,000 changes a few times and publishes the last text', async () => {
    session = await startSession({ textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } });
    const s = session;
    const uri = 'file:///storm/edit.sh';
    let text = lspScript({ lines: 600, commands: 60, seed: 4 });
    await s.open(uri, 'shellscript', text);
    const counts = countLints(s);
    const lines = text.split('\n');
    const sent: Promise<void>[] = [];
    let version = 1;
    for (let i = 0; i < 1000; i++) {
      // One letter typed over in a line that has one, cycling through the file: the first of an
      // ordinary line, the last of a buildx command's (which stays a buildx command).
      const line = 5 + ((i * 37) % (lines.length - 6));
      const buildx = /docker|buildx|^\s+-/.test(lines[line]);
      const col = buildx ? lines[line].length - 1 - [...lines[line]].reverse().join('').search(/[a-z]/) : lines[line].search(/[a-z]/);
      if (col < 0 || col >= lines[line].length) continue;
      const ch = lines[line][col];
      const next = String.fromCharCode(97 + ((ch.charCodeAt(0) - 96) % 26));
      lines[line] = lines[line].slice(0, col) + next + lines[line].slice(col + 1);
      version++;
      sent.push(
        s.notify('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: { line, character: col }, end: { line, character: col + 1 } }, text: next }],
        }),
      );
    }
    text = lines.join('\n');
    const last = publishedVersion(s, uri, version);
    await Promise.all(sent);
    const got = await last;
    expect(version).toBeGreaterThan(900);
    // A few lints for the whole burst: each new version replaced the queued one.
    const lints = counts.get(uri) ?? 0;
    expect(lints).toBeGreaterThan(0);
    expect(lints, `${lints} lints for ${version - 1} changes`).toBeLessThan((version - 1) / 10);
    // The diagnostics are those of the final text, as a fresh document of that text gets them.
    const fresh = await s.open('file:///storm/fresh.sh', 'shellscript', text);
    expect(JSON.stringify(strip(got)).replaceAll(uri, 'file:///storm/fresh.sh')).toBe(JSON.stringify(strip(fresh)));
    expect(got.diagnostics.length).toBeGreaterThan(10);
    // And the document answers from its model what the fresh one answers.
    let answered = 0;
    for (let nth = 0; nth < 10; nth++) {
      const at = positionOf(text, 'replicas=', 2, nth);
      const mine = await s.hover(uri, at);
      expect(mine, `hover ${nth}`).toEqual(await s.hover('file:///storm/fresh.sh', at));
      if (mine) answered++;
    }
    expect(answered).toBeGreaterThan(0);
  }, 300_000);

  it('lints each of 1,000 open documents once, edits one alone, and forgets them on close', async () => {
    session = await startSession({});
    const s = session;
    const counts = countLints(s);
    const uris = Array.from({ length: 1000 }, (_, i) => `file:///storm/many/d${i}.sh`);
    const text = (i: number) => `#!/bin/sh\n${SMALL_TEXT.replace('--name k', `--name k${i}`)}docker buildx build --builder k${i} --platform linux/amd64 -t reg/app:${i} .\n`;
    const published = uris.map((u) => s.next(u, 240_000));
    await Promise.all(uris.map((u, i) => s.notify('textDocument/didOpen', { textDocument: { uri: u, languageId: 'shellscript', version: 1, text: text(i) } })));
    const all = await Promise.all(published);
    for (const p of all) expect(p.diagnostics.map((d) => d.code)).toContain('KBX101');
    // One lint per document: opening others never lints a document again.
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(counts.size).toBe(1000);
    // An edit of one lints that one alone, and its requests are answered from its new model.
    const edited = await s.change(uris[500], text(500).replace('nodeselector=a=1,b=2', 'nodeselector=a=1'));
    expect(edited.diagnostics.map((d) => d.code)).not.toContain('KBX101');
    expect(counts.get(uris[500])).toBe(2);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(1001);
    const hover = await s.hover(uris[500], positionOf(text(500), 'nodeselector', 2));
    expect(JSON.stringify(hover?.contents)).toContain('nodeselector');
    // Closing them drops everything the server kept for them.
    const scheduler = s.server().scheduler;
    await Promise.all(uris.map((u) => s.notify('textDocument/didClose', { textDocument: { uri: u } })));
    for (let k = 0; k < 200 && uris.some((u) => scheduler.latest(u)); k++) await new Promise((r) => setTimeout(r, 25));
    expect(uris.filter((u) => scheduler.latest(u))).toEqual([]);
  }, 300_000);

  it('publishes every edit of a small document, and answers its hovers, while a slow one lints', async () => {
    session = await startSession({ server: { lintTimeoutMs: 300_000 } });
    const s = session;
    const small = 'file:///storm/small.sh';
    const big = 'file:///storm/big.sh';
    await s.open(small, 'shellscript', SMALL_TEXT);
    const counts = countLints(s);
    // Seconds to lint: 4,000 blocks of creates and builds in functions and branches.
    const blocks = ['#!/usr/bin/env bash'];
    for (let i = 0; i < 1500; i++) {
      blocks.push(
        `f${i}() {\n  docker buildx create --name "b${i}" --driver kubernetes --node n${i} --platform linux/amd64 --driver-opt namespace=ci,replicas=${i % 5},"nodeselector=kubernetes.io/arch=amd64"\n  if [ -n "$X" ]; then docker buildx build --builder b${i} --platform linux/arm64 -t "reg/a:$(git rev-parse HEAD)" --push .; fi\n}`,
      );
    }
    const huge = `${blocks.join('\n')}\n`;
    const order: string[] = [];
    const bigDone = s.next(big, 240_000).then((p) => {
      order.push('big');
      return p;
    });
    await s.notify('textDocument/didOpen', { textDocument: { uri: big, languageId: 'shellscript', version: 1, text: huge } });
    while (!s.server().scheduler.linting(big)) await new Promise((r) => setTimeout(r, 5));
    // The slow lint starts the second worker for the other open document before it asks.
    for (let k = 0; k < 600 && s.server().scheduler.workers < 2; k++) await new Promise((r) => setTimeout(r, 50));
    expect(s.server().scheduler.workers, 'a worker started ahead of need').toBe(2);
    expect(s.server().scheduler.linting(big)).toBe(true);
    for (let k = 0; k < 5; k++) {
      const fields = k % 2 ? 'nodeselector=a=1' : 'nodeselector=a=1,b=2';
      const t = SMALL_TEXT.replace('nodeselector=a=1,b=2', fields).replace('--name k', `--name k${k}`);
      const p = await s.change(small, t);
      order.push(`small ${p.version}`);
      expect(p.diagnostics.map((d) => d.code).includes('KBX101'), `edit ${k}`).toBe(k % 2 === 0);
      const hover = await s.hover(small, positionOf(t, 'nodeselector', 2));
      expect(JSON.stringify(hover?.contents), `hover after edit ${k}`).toContain('nodeselector');
    }
    // The five edits were each linted and published before the slow document was done.
    expect(s.server().scheduler.linting(big), 'the slow lint outlasted the edits').toBe(true);
    expect(order).toEqual(['small 2', 'small 3', 'small 4', 'small 5', 'small 6']);
    expect(counts.get(small)).toBe(5);
    const done = await bigDone;
    expect(done.diagnostics.length).toBeGreaterThan(0);
    expect(order[order.length - 1]).toBe('big');
  }, 300_000);
});
