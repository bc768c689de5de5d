/**
 * A document whose lint reads another file (a Makefile its `include`s, a `*.mk` fragment its
 * includer, a YAML file the root `.gitlab-ci.yml` that makes it GitLab CI) is linted again when
 * that file changes: on the disk (workspace/didChangeWatchedFiles) or in the editor's buffer of
 * it, which the dependent reads instead of the disk. Real server sessions on real files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DidChangeWatchedFilesNotification, type RegistrationParams, RegistrationRequest } from 'vscode-languageserver/node';
import { type Session, startSession } from './lsp-harness';

const MAKEFILE = 'include common.mk\n\nbuild:\n\tdocker buildx create --name k --driver kubernetes --driver-opt $(OPTS)\n';
/** An unquoted comma in a driver option: KBX101 in the Makefile's recipe. */
const COMMA = 'OPTS = nodeselector=a=1,b=2\n';
const NO_COMMA = 'OPTS = namespace=ci\n';
const BAD_LINE = 'docker buildx create --name k --driver kubernetes --driver-opt nodeselector=a=1,b=2';

let root: string;
let session: Session | undefined;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kbx-lsp-deps-'));
  mkdirSync(join(root, '.git'));
});
afterEach(() => {
  session?.dispose();
  session = undefined;
  rmSync(root, { recursive: true, force: true });
});

const uriOf = (file: string) => pathToFileURL(join(root, file)).href;
const codes = (p: { diagnostics: { code?: unknown }[] }) => p.diagnostics.map((d) => String(d.code));

function changedOnDisk(s: Session, file: string): Promise<void> {
  return s.notify(DidChangeWatchedFilesNotification.type.method, { changes: [{ uri: uriOf(file), type: 2 }] });
}

const WATCHING = { workspace: { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } };

/** Records the file watchers the server registers; `until` waits for one of a path. */
function watchers(s: Session): { until(file: string): Promise<unknown[]> } {
  const registered: RegistrationParams[] = [];
  s.connection.onRequest(RegistrationRequest.type, (p) => {
    registered.push(p);
  });
  const patterns = () =>
    registered
      .flatMap((p) => p.registrations)
      .filter((r) => r.method === DidChangeWatchedFilesNotification.type.method)
      .flatMap((r) => (r.registerOptions as { watchers: { globPattern: unknown }[] }).watchers.map((w) => w.globPattern));
  return {
    async until(file) {
      const wanted = JSON.stringify({ baseUri: pathToFileURL(join(root, file, '..')).href, pattern: basename(file) });
      for (let i = 0; i < 100 && !patterns().some((p) => JSON.stringify(p) === wanted); i++) await new Promise((r) => setTimeout(r, 20));
      return patterns();
    },
  };
}

describe('re-lints the documents that read a changed file', () => {
  it('a Makefile, when the fragment it includes changes on the disk; an unrelated document is left alone', async () => {
    writeFileSync(join(root, 'Makefile'), MAKEFILE);
    writeFileSync(join(root, 'common.mk'), COMMA);
    session = await startSession();
    const s = session;
    expect(codes(await s.open(uriOf('Makefile'), 'makefile', MAKEFILE))).toContain('KBX101');
    expect(codes(await s.open(uriOf('other.sh'), 'shellscript', `${BAD_LINE}\n`))).toContain('KBX101');
    writeFileSync(join(root, 'common.mk'), NO_COMMA);
    const republished = s.next(uriOf('Makefile'));
    const other = s.pushedWithin(uriOf('other.sh'), 500);
    await changedOnDisk(s, 'common.mk');
    expect(codes(await republished)).not.toContain('KBX101');
    expect(await other).toBe(false);
    // Back again: the new text is read, not a kept one.
    writeFileSync(join(root, 'common.mk'), `${COMMA}# again\n`);
    const again = s.next(uriOf('Makefile'));
    await changedOnDisk(s, 'common.mk');
    expect(codes(await again)).toContain('KBX101');
  });

  it('a Makefile, when the open buffer of the fragment it includes is edited, and the disk again once it closes', async () => {
    writeFileSync(join(root, 'Makefile'), MAKEFILE);
    writeFileSync(join(root, 'common.mk'), COMMA);
    session = await startSession();
    const s = session;
    expect(codes(await s.open(uriOf('Makefile'), 'makefile', MAKEFILE))).toContain('KBX101');
    const reopened = s.next(uriOf('Makefile'));
    await s.open(uriOf('common.mk'), 'makefile', COMMA);
    expect(codes(await reopened)).toContain('KBX101');
    // Unsaved: the Makefile reads the buffer, not the disk.
    const edited = s.next(uriOf('Makefile'));
    await s.change(uriOf('common.mk'), NO_COMMA);
    expect(codes(await edited)).not.toContain('KBX101');
    const closed = s.next(uriOf('Makefile'));
    await s.close(uriOf('common.mk'));
    expect(codes(await closed)).toContain('KBX101');
  });

  it('a fragment opened before its buffer is read, when its includer is edited', async () => {
    writeFileSync(join(root, 'Makefile'), 'include common.mk\nOPTS = namespace=ci\n');
    writeFileSync(join(root, 'common.mk'), 'build:\n\tdocker buildx create --name k --driver kubernetes --driver-opt $(OPTS)\n');
    session = await startSession();
    const s = session;
    const fragment = 'build:\n\tdocker buildx create --name k --driver kubernetes --driver-opt $(OPTS)\n';
    expect(codes(await s.open(uriOf('common.mk'), 'makefile', fragment))).not.toContain('KBX101');
    const republished = s.next(uriOf('common.mk'));
    await s.open(uriOf('Makefile'), 'makefile', `include common.mk\n${COMMA}`);
    expect(codes(await republished)).toContain('KBX101');
  });

  it('a YAML file, when the root .gitlab-ci.yml comes to include it', async () => {
    mkdirSync(join(root, 'ci'));
    writeFileSync(join(root, '.gitlab-ci.yml'), 'stages: [build]\n');
    const job = `build:\n  script:\n    - ${BAD_LINE}\n`;
    writeFileSync(join(root, 'ci/build.yml'), job);
    session = await startSession(WATCHING);
    const s = session;
    const watched = watchers(s);
    expect((await s.open(uriOf('ci/build.yml'), 'yaml', job)).diagnostics).toEqual([]);
    expect(await watched.until('.gitlab-ci.yml')).toContainEqual({ baseUri: pathToFileURL(root).href, pattern: '.gitlab-ci.yml' });
    writeFileSync(join(root, '.gitlab-ci.yml'), 'include:\n  - local: ci/build.yml\n');
    const republished = s.next(uriOf('ci/build.yml'));
    await changedOnDisk(s, '.gitlab-ci.yml');
    expect(codes(await republished)).toContain('KBX101');
  });

  it('asks the client to watch the files the open documents read', async () => {
    writeFileSync(join(root, 'Makefile'), MAKEFILE);
    writeFileSync(join(root, 'common.mk'), COMMA);
    session = await startSession(WATCHING);
    const watched = watchers(session);
    await session.open(uriOf('Makefile'), 'makefile', MAKEFILE);
    expect(await watched.until('common.mk')).toContainEqual({ baseUri: pathToFileURL(root).href, pattern: 'common.mk' });
  });

  it('every document, when a file the configuration extends changes, and the client is asked to watch it', async () => {
    writeFileSync(join(root, '.kbx-lint.json'), '{"extends": "base.json"}');
    writeFileSync(join(root, 'base.json'), '{}');
    session = await startSession(WATCHING);
    const s = session;
    const watched = watchers(s);
    expect(codes(await s.open(uriOf('a.sh'), 'shellscript', `${BAD_LINE}\n`))).toContain('KBX101');
    expect(await watched.until('base.json')).toContainEqual({ baseUri: pathToFileURL(root).href, pattern: 'base.json' });
    writeFileSync(join(root, 'base.json'), '{"rules": {"KBX101": "off"}}');
    const republished = s.next(uriOf('a.sh'));
    await changedOnDisk(s, 'base.json');
    expect(codes(await republished)).not.toContain('KBX101');
  });
});
