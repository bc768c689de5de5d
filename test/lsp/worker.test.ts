/**
 * The server lints in worker threads: a slow document never holds up another document's
 * diagnostics or any request, a newer version supersedes an older lint, a lint past its time budget
 * is stopped with a finding that says so, and the push debounce follows the last lint time. Every
 * assertion is about order and content, never about milliseconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CompletionRequest, type PublishDiagnosticsParams } from 'vscode-languageserver/node';
import { positionOf, type Session, startSession } from './lsp-harness';

const BIG = 'file:///project/ci/huge.sh';
const SMALL = 'file:///project/ci/small.sh';
const SMALL_TEXT = 'docker buildx create --name k --driver kubernetes --driver-opt nodeselector=a=1,b=2\n';

/** About 300 KB of buildx commands, functions and branches: seconds to lint, not milliseconds. */
function hugeScript(): string {
  const blocks: string[] = ['#!/usr/bin/env bash'];
  for (let i = 0; blocks.length < 700; i++) {
    blocks.push(
      `create_${i}() {\n  docker buildx create --name "b${i}" --driver kubernetes --node n${i} \\\n    --platform linux/amd64 '--driver-opt="nodeselector=kubernetes.io/arch=amd64,pool=ci","tolerations=key=ci,operator=Exists"' \\\n    --driver-opt namespace=ci,replicas=${i % 5},requests.cpu=1,limits.memory=2Gi\n  if [ -n "$X" ]; then docker buildx build --builder b${i} --platform linux/amd64 -t "reg/app:$(git rev-parse HEAD)" --push .; fi\n}`,
    );
  }
  return `${blocks.join('\n')}\n`;
}
const HUGE = hugeScript() + SMALL_TEXT;

let session: Session | undefined;
afterEach(() => {
  session?.dispose();
  session = undefined;
});

/** Records every publication, in arrival order. */
function recorder(s: Session, uris: string[]): { order: PublishDiagnosticsParams[]; done: Promise<void> } {
  const order: PublishDiagnosticsParams[] = [];
  const done = Promise.all(
    uris.map(async (u) => {
      order.push(await s.next(u, 120_000));
    }),
  ).then(() => {});
  return { order, done };
}

describe('lints off the main thread', () => {
  it('publishes a small document and answers its requests while a huge one is still linting', async () => {
    // A budget no lint of this file reaches even on a loaded machine: here the lint must finish.
    session = await startSession({ server: { lintTimeoutMs: 300_000 } });
    const s = session;
    expect(s.server().scheduler.threaded).toBe(true);
    const { order, done } = recorder(s, [BIG, SMALL]);
    await s.notify('textDocument/didOpen', { textDocument: { uri: BIG, languageId: 'shellscript', version: 1, text: HUGE } });
    await s.notify('textDocument/didOpen', { textDocument: { uri: SMALL, languageId: 'shellscript', version: 1, text: SMALL_TEXT } });
    while (!order.length) await new Promise((r) => setTimeout(r, 10));
    // The small document came first, and its hover and the huge document's requests are answered
    // before the huge document's lint is done.
    expect(order.map((p) => p.uri)).toEqual([SMALL]);
    expect(order[0].diagnostics.map((d) => d.code)).toContain('KBX101');
    const hover = await s.hover(SMALL, positionOf(SMALL_TEXT, 'nodeselector', 2));
    expect(JSON.stringify(hover?.contents)).toContain('nodeselector');
    // Before its first lint a document gets the cheap answers: no hover, completion from the text.
    expect(await s.hover(BIG, positionOf(HUGE, 'replicas', 2))).toBeNull();
    const items = await s.request<{ label: string }[]>(CompletionRequest.method, { textDocument: { uri: BIG }, position: positionOf(HUGE, '--driver ', '--driver '.length) });
    expect(items.map((i) => i.label)).toContain('kubernetes');
    expect(await s.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: BIG } })).toEqual([]);
    expect(order.map((p) => p.uri)).toEqual([SMALL]);
    await done;
    expect(order.map((p) => p.uri)).toEqual([SMALL, BIG]);
    expect(order[1].diagnostics.map((d) => d.code)).toContain('KBX101');
    // Now the huge document answers from its lint.
    expect(s.server().scheduler.latest(BIG)?.stopped).toBeUndefined();
    expect(JSON.stringify((await s.hover(BIG, positionOf(HUGE, 'replicas', 2)))?.contents)).toContain('replicas');
    // The push debounce follows the lint time: longer for the huge document, within the bound.
    const server = s.server();
    const lintMs = (u: string) => server.scheduler.lastLintMs(u)!;
    expect(lintMs(BIG)).toBeGreaterThan(lintMs(SMALL));
    for (const u of [BIG, SMALL]) expect(server.debounceFor(u)).toBe(Math.min(1000, Math.max(5, Math.round(2 * lintMs(u)))));
    expect(server.debounceFor(BIG)).toBeGreaterThanOrEqual(server.debounceFor(SMALL));
    // Closing drops what is kept for the document.
    await s.close(BIG);
    expect(server.scheduler.latest(BIG)).toBeUndefined();
    expect(server.scheduler.lastLintMs(BIG)).toBeUndefined();
  }, 180_000);

  it('stops a lint past its time budget with a KBX604 warning, and the next worker lints on', async () => {
    // The budget lies between what the two documents take here and now, each linted first by a
    // fresh worker as below: a fixed one (it was 200 ms) was both too close to a cold small lint
    // on a loaded machine and to the huge one as the linter got faster.
    const measuring = await startSession({ server: { lintTimeoutMs: 300_000, maxWorkers: 1 } });
    await measuring.open(SMALL, 'shellscript', SMALL_TEXT);
    await measuring.open(BIG, 'shellscript', HUGE);
    const smallMs = measuring.server().scheduler.lastLintMs(SMALL)!;
    const hugeMs = measuring.server().scheduler.lastLintMs(BIG)!;
    measuring.dispose();
    // The huge document takes well over ten times the small one (about a hundred): the geometric
    // mean leaves the same factor of slack on both sides.
    expect(hugeMs / smallMs, `${smallMs} ms and ${hugeMs} ms`).toBeGreaterThan(10);
    const budget = Math.round(Math.sqrt(smallMs * hugeMs));
    session = await startSession({ server: { lintTimeoutMs: budget, maxWorkers: 1 } });
    const s = session;
    const opened = s.next(BIG, 60_000);
    await s.notify('textDocument/didOpen', { textDocument: { uri: BIG, languageId: 'shellscript', version: 1, text: HUGE } });
    const stopped = await opened;
    expect(stopped.diagnostics).toHaveLength(1);
    expect(stopped.diagnostics[0]).toMatchObject({ code: 'KBX604', severity: 2, range: { start: { line: 0, character: 0 } } });
    expect(stopped.diagnostics[0].message).toContain(`took longer than ${Math.round(budget / 100) / 10} s`);
    // The one worker was replaced: another document is linted as usual.
    const small = await s.open(SMALL, 'shellscript', SMALL_TEXT);
    expect(small.diagnostics.map((d) => d.code)).toContain('KBX101');
    // An edit of the stopped document lints it again (and stops again: it is still huge).
    const again = await s.change(BIG, `${HUGE}# edited\n`);
    expect(again.diagnostics.map((d) => d.code)).toEqual(['KBX604']);
  }, 180_000);

  it('answers a request without the model rather than wait long behind another lint', async () => {
    // One worker: it holds the small document's model and lints the huge one for seconds.
    session = await startSession({ server: { maxWorkers: 1, lintTimeoutMs: 300_000 } });
    const s = session;
    await s.open(SMALL, 'shellscript', SMALL_TEXT);
    const where = positionOf(SMALL_TEXT, 'nodeselector', 2);
    expect(JSON.stringify((await s.hover(SMALL, where))?.contents)).toContain('nodeselector');
    const big = s.next(BIG, 120_000);
    await s.notify('textDocument/didOpen', { textDocument: { uri: BIG, languageId: 'shellscript', version: 1, text: HUGE } });
    while (!s.server().scheduler.linting(BIG)) await new Promise((r) => setTimeout(r, 10));
    // The hover gets the cheap answer (none) while the huge lint runs, and its completion the
    // answer from the text alone.
    expect(await s.hover(SMALL, where)).toBeNull();
    const items = await s.request<{ label: string }[]>(CompletionRequest.method, { textDocument: { uri: SMALL }, position: positionOf(SMALL_TEXT, '--driver-opt ', '--driver-opt '.length) });
    expect(items.map((i) => i.label)).toContain('namespace');
    expect(s.server().scheduler.latest(BIG)).toBeUndefined();
    await big;
    // Once the worker is free the model answers again.
    expect(JSON.stringify((await s.hover(SMALL, where))?.contents)).toContain('nodeselector');
  }, 180_000);

  it('drops the lint of a version a change superseded', async () => {
    session = await startSession({ server: { maxWorkers: 1 } });
    const s = session;
    const first = s.next(BIG, 120_000);
    await s.notify('textDocument/didOpen', { textDocument: { uri: BIG, languageId: 'shellscript', version: 1, text: HUGE } });
    await s.notify('textDocument/didChange', { textDocument: { uri: BIG, version: 2 }, contentChanges: [{ text: SMALL_TEXT }] });
    // With one worker, version 2 is linted only once the lint of version 1 has ended: had its
    // result been kept, it would have been published first.
    const published = await first;
    expect(published.version).toBe(2);
    expect(published.diagnostics.map((d) => d.code)).toContain('KBX101');
    expect(s.server().scheduler.latest(BIG)?.version).toBe(2);
  }, 180_000);

  it('answers a pull right after a change with the diagnostics of the changed text', async () => {
    session = await startSession({ textDocument: { diagnostic: {} } });
    const s = session;
    await s.notify('textDocument/didOpen', { textDocument: { uri: SMALL, languageId: 'shellscript', version: 1, text: SMALL_TEXT } });
    const pull = () => s.request<{ items: { code: string }[] }>('textDocument/diagnostic', { textDocument: { uri: SMALL } });
    expect((await pull()).items.map((d) => d.code)).toContain('KBX101');
    for (let v = 2; v < 8; v++) {
      const text = v % 2 ? SMALL_TEXT : 'docker buildx create --name k --driver kubernetes\n';
      await s.notify('textDocument/didChange', { textDocument: { uri: SMALL, version: v }, contentChanges: [{ text }] });
      expect((await pull()).items.map((d) => d.code).includes('KBX101')).toBe(v % 2 === 1);
    }
  }, 60_000);
});
