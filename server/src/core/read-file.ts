/**
 * Reading a file that was found or named, never blocking: a FIFO (or a device) put where a file
 * was expected would otherwise wait for a writer forever. The CLI's walk, the configuration loader
 * and the Makefile include reader all read through here.
 */
import * as fs from 'node:fs';

export const NOT_REGULAR = 'not a regular file';

/**
 * openRegular opens a file for reading without ever blocking: a FIFO put where a file was found
 * would otherwise wait for a writer forever. Whatever is not a regular file is refused.
 */
export function openRegular(file: string | Buffer): { fd: number; size: number } {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error(NOT_REGULAR);
    return { fd, size: st.size };
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

/**
 * Never read whole, whatever the limits: past this many bytes neither a Buffer nor a string of
 * the file can be made (V8 strings end at 2^29 - 24 characters), and memory would give out first.
 */
export const MAX_READ_BYTES = 1024 * 1024 * 1024;

/** readRegular reads a regular file whole, never blocking on a FIFO or a device (openRegular). */
export function readRegular(file: string | Buffer): Buffer {
  const { fd, size } = openRegular(file);
  try {
    if (size > MAX_READ_BYTES) throw new Error(`the file has ${size} bytes, more than kbx-lint ever reads (${MAX_READ_BYTES})`);
    let buf = Buffer.allocUnsafe(size);
    let n = 0;
    // The size fstat gave is what is read (one read call, no second one to see the end); a file
    // that says it is empty (procfs and the like) is read to its end.
    while (size === 0 || n < size) {
      if (n === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(8192, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = fs.readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    return n === buf.length ? buf : buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}
