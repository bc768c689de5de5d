/**
 * `--fix` and the file system: it never loses data. Each hazard of writing a fixed file is set up
 * for real on disk and run through the CLI.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RefusedWrite, writeFixed } from '../../server/src/cli/safe-write';
import { tempDir } from '../harness/temp-dir';

const CLI = join(__dirname, '../../dist/kbx-lint.js');
const BAD = 'docker buildx create --driver kubernetes --driver-opt nodeselector=kubernetes.io/arch=amd64,pool=ci\n';
const GOOD = `docker buildx create --driver kubernetes --driver-opt '"nodeselector=kubernetes.io/arch=amd64,pool=ci"'\n`;

/** A directory removed after the test, read-only entries included. */
function dir(): string {
  return tempDir('kbx-fixfs-');
}

function fix(...paths: string[]) {
  return spawnSync(process.execPath, [CLI, '--fix', '--no-color', ...paths], { encoding: 'utf8' });
}

function leftovers(d: string): string[] {
  return fs.readdirSync(d).filter((f) => f.includes('kbx-lint'));
}

describe('--fix on the file system', () => {
  it('fixes a plain file in place and leaves no temporary file', () => {
    const d = dir();
    const f = join(d, 'a.sh');
    fs.writeFileSync(f, BAD, { mode: 0o750 });
    const ino = fs.statSync(f).ino;
    fix(f);
    expect(fs.readFileSync(f, 'utf8')).toBe(GOOD);
    expect(fs.statSync(f).ino).toBe(ino);
    expect(fs.statSync(f).mode & 0o777).toBe(0o750);
    expect(leftovers(d)).toEqual([]);
  });

  it('edits through a symbolic link: the target is fixed and the link stays a link', () => {
    const d = dir();
    fs.mkdirSync(join(d, 'real'));
    const target = join(d, 'real/build.sh');
    fs.writeFileSync(target, BAD);
    const link = join(d, 'build.sh');
    fs.symlinkSync('real/build.sh', link);
    fix(link);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe('real/build.sh');
    expect(fs.readFileSync(target, 'utf8')).toBe(GOOD);
  });

  it('keeps hard links: every name sees the fixed text, on the same inode', () => {
    const d = dir();
    const a = join(d, 'a.sh');
    const b = join(d, 'b.sh');
    fs.writeFileSync(a, BAD);
    fs.linkSync(a, b);
    fix(a);
    expect(fs.readFileSync(b, 'utf8')).toBe(GOOD);
    expect(fs.statSync(a).ino).toBe(fs.statSync(b).ino);
    expect(fs.statSync(a).nlink).toBe(2);
  });

  it('keeps owner and group (and so, on the same inode, ACLs and extended attributes)', () => {
    const d = dir();
    const f = join(d, 'a.sh');
    fs.writeFileSync(f, BAD);
    // As root (CI) the file is given to another user first, so a replaced file would show.
    if (process.getuid?.() === 0) fs.chownSync(f, 4321, 8765);
    const before = fs.statSync(f);
    fix(f);
    const st = fs.statSync(f);
    expect([st.uid, st.gid, st.ino]).toEqual([before.uid, before.gid, before.ino]);
    expect(fs.readFileSync(f, 'utf8')).toBe(GOOD);
  });

  it('keeps extended attributes and an access-control list, read back with getfattr and getfacl', () => {
    const d = dir();
    const f = join(d, 'a.sh');
    fs.writeFileSync(f, BAD);
    // setfattr/getfattr (Debian "attr") and setfacl/getfacl ("acl") are installed by .ci/run.
    const run = (cmd: string, ...args: string[]) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8' });
      expect(r.error, `install ${cmd} (apt-get install attr acl) to run this test`).toBeUndefined();
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    run('setfattr', '-n', 'user.kbx.origin', '-v', 'kept', f);
    run('setfacl', '-m', 'u:65534:r', f);
    const attrsBefore = run('getfattr', '--absolute-names', '-d', f);
    const aclBefore = run('getfacl', '--absolute-names', '-p', f);
    expect(attrsBefore).toContain('user.kbx.origin="kept"');
    expect(aclBefore).toMatch(/user:(65534|nobody):r--/);
    fix(f);
    expect(fs.readFileSync(f, 'utf8')).toBe(GOOD);
    expect(run('getfattr', '--absolute-names', '-d', f)).toBe(attrsBefore);
    expect(run('getfacl', '--absolute-names', '-p', f)).toBe(aclBefore);
  });

  it('refuses a read-only file with a clear message and leaves it untouched', () => {
    const d = dir();
    const f = join(d, 'ro.sh');
    fs.writeFileSync(f, BAD);
    fs.chmodSync(f, 0o444);
    const r = fix(f);
    expect(r.stderr).toContain(`${f}: not fixed: the file is read-only`);
    expect(r.status).toBe(2);
    expect(fs.readFileSync(f, 'utf8')).toBe(BAD);
    expect(fs.statSync(f).mode & 0o777).toBe(0o444);
  });

  it('never writes through a symbolic link planted at a temporary name', () => {
    const d = dir();
    const f = join(d, 'a.sh');
    fs.writeFileSync(f, BAD);
    const victim = join(d, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    // The old predictable names, and a spread of pids around the CLI's.
    for (let pid = 1; pid < 400; pid++) fs.symlinkSync(victim, join(d, `.a.sh.kbx-lint-${pid}.tmp`));
    fix(f);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(fs.readFileSync(f, 'utf8')).toBe(GOOD);
  });

  it('refuses when the file changed after it was read', () => {
    const d = dir();
    const f = join(d, 'a.sh');
    fs.writeFileSync(f, BAD);
    const read = fs.readFileSync(f);
    fs.writeFileSync(f, BAD + 'echo edited elsewhere\n');
    expect(() => writeFixed(f, read, GOOD)).toThrow(RefusedWrite);
    expect(() => writeFixed(f, read, GOOD)).toThrow(/changed on disk after it was read/);
    expect(fs.readFileSync(f, 'utf8')).toBe(BAD + 'echo edited elsewhere\n');
    // A file that only grew at the end is a change too.
    fs.writeFileSync(f, BAD + '#');
    expect(() => writeFixed(f, read, GOOD)).toThrow(/changed on disk/);
    expect(leftovers(d)).toEqual([]);
  });

  it('shortens a file correctly when the fixed text is shorter', () => {
    const d = dir();
    const f = join(d, 'a.sh');
    const long = 'x'.repeat(100);
    fs.writeFileSync(f, long);
    writeFixed(f, Buffer.from(long), 'short\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('short\n');
  });
});
