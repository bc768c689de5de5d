/**
 * Writing a fixed file without losing anything. The fixed text replaces the file's content in
 * place, on the same inode, so hard links, owner, group, mode, ACLs and extended attributes all
 * stay; a symbolic link is followed to its target and kept. Before writing, the file must still
 * hold exactly the bytes that were linted (another process may have edited it since), and the
 * original bytes are first saved to a private backup file — created with O_EXCL under an
 * unpredictable name, never through a symbolic link — which is removed once the new content is
 * safely on disk, so a crash in between loses neither version.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export class RefusedWrite extends Error {}

const NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off, off);
}

function readAll(fd: number, size: number): Buffer {
  const buf = Buffer.alloc(size);
  let off = 0;
  while (off < size) {
    const n = fs.readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return off === size ? buf : buf.subarray(0, off);
}

/**
 * writeFixed replaces the content of `file` (whose bytes were `original` when it was read) with
 * `text`. Throws RefusedWrite with a reason a user can act on when it will not write.
 */
export function writeFixed(file: string, original: Buffer, text: string, opts: { allowReadOnly?: boolean } = {}): void {
  let target = file;
  const link = fs.lstatSync(file);
  if (link.isSymbolicLink()) target = fs.realpathSync(file);
  const st = fs.statSync(target);
  if (!st.isFile()) throw new RefusedWrite('not a regular file');
  if ((st.mode & 0o222) === 0 && !opts.allowReadOnly) throw new RefusedWrite('the file is read-only');
  let fd: number;
  try {
    fd = fs.openSync(target, fs.constants.O_RDWR | NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw new RefusedWrite(`cannot open it for writing (${code})`);
    throw e;
  }
  try {
    const now = fs.fstatSync(fd);
    if (now.ino !== st.ino || now.dev !== st.dev) throw new RefusedWrite('the file was replaced while it was being fixed');
    // Read one byte more than expected: a file that grew must not compare equal.
    const current = readAll(fd, original.length + 1);
    if (!current.equals(original)) throw new RefusedWrite('the file changed on disk after it was read; run kbx-lint again');
    const backup = saveBackup(path.dirname(target), path.basename(target), original);
    const next = Buffer.from(text, 'utf8');
    writeAll(fd, next);
    fs.ftruncateSync(fd, next.length);
    fs.fsyncSync(fd);
    fs.unlinkSync(backup);
  } finally {
    fs.closeSync(fd);
  }
}

/** saveBackup writes the original bytes next to the file, O_EXCL and never through a link. */
function saveBackup(dir: string, base: string, original: Buffer): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const name = path.join(dir, `.${base}.kbx-lint-${randomBytes(8).toString('hex')}.orig`);
    let fd: number;
    try {
      fd = fs.openSync(name, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | NOFOLLOW, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new RefusedWrite(`cannot create a backup next to it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    try {
      writeAll(fd, original);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    return name;
  }
  throw new RefusedWrite('cannot create a backup next to it');
}
