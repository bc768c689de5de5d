/**
 * Files far larger than the limits. A file was read whole before its size was judged: a 100 MB
 * script without docker took 100 MB of memory to be dropped, one past 4 GiB failed with Node's
 * own "The value of "size" is out of range", and one past V8's longest string could not be
 * decoded. A file with more bytes than `limits.maxFileSize` characters can take (three bytes or
 * more each) is now scanned through a small buffer, never held, and reported by its size when it
 * mentions docker; past 1 GiB it is not read at all. Sparse files make the sizes cheap.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { median, peakKBOfRun } from '../harness/peak';
import { tempDir } from '../harness/temp-dir';

const BIN = join(__dirname, '../../dist/kbx-lint.js');
const MB = 1024 * 1024;

function dir(): string {
  return tempDir('kbx-oversize-');
}

/** A sparse file of `size` bytes (zeros) that ends with `tail`. */
function sparse(file: string, size: number, tail = ''): string {
  fs.writeFileSync(file, '');
  fs.truncateSync(file, size - Buffer.byteLength(tail));
  if (tail) fs.appendFileSync(file, tail);
  return file;
}

const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, '--no-config', '--no-color', ...args], { encoding: 'utf8' });

describe('files far larger than the limits', () => {
  it('a file past 1 GiB that names docker is reported by its size, unread, in no time', () => {
    const f = sparse(join(dir(), 'huge.sh'), 5 * 1024 * MB, 'docker buildx build .\n');
    const r = cli('--format', 'concise', f);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${f}:1:1: error KBX604 the file has ${5 * 1024 * MB} bytes, too many for the limit of 8388608 characters: it is not read\n`);
    expect(r.status).toBe(1);
    // explain reads files whole: it says why it cannot, without Node's words.
    const e = spawnSync(process.execPath, [BIN, 'explain', '--no-config', f], { encoding: 'utf8' });
    expect(e.stderr).toBe(`${f}: cannot read: the file has ${5 * 1024 * MB} bytes, more than kbx-lint ever reads (1073741824)\n`);
    expect(e.status).toBe(2);
  });

  it('a file over three bytes per allowed character is scanned: reported when it names docker, dropped when not', () => {
    const d = dir();
    const named = sparse(join(d, 'named.sh'), 4 * MB, '\ndocker buildx build .\n');
    sparse(join(d, 'plain.sh'), 4 * MB, '\necho hello\n');
    const r = cli('--limit', 'maxFileSize=1000000', '--format', 'concise', d);
    expect(r.stdout).toBe(`${named}:1:1: error KBX604 the file has ${4 * MB} bytes, too many for the limit of 1000000 characters: it is not read\n`);
    expect(r.status).toBe(1);
    // The word is found across the scan's chunk boundaries, wherever it falls.
    for (const at of [64 * 1024 - 3, 64 * 1024, 128 * 1024 - 1, 3 * MB + 5]) {
      const f = join(d, `at${at}.sh`);
      fs.writeFileSync(f, '');
      fs.truncateSync(f, at);
      fs.appendFileSync(f, 'docker');
      fs.appendFileSync(f, Buffer.alloc(4 * MB - at - 6));
      expect(cli('--limit', 'maxFileSize=1000000', '--format', 'concise', f).stdout, String(at)).toContain('KBX604 the file has');
    }
    // Under a limit it fits, the same file is read and linted as usual.
    const text = `docker buildx build --platform linux/x86_64 .\n${'#'.repeat(100)}\n`;
    fs.writeFileSync(named, text);
    expect(cli('--format', 'concise', named).stdout).toContain('KBX412');
  });

  it('the text report of a file too large to read shows no empty code frame', () => {
    const f = sparse(join(dir(), 'big.sh'), 30 * MB, 'docker buildx build .\n');
    const r = cli(f);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      `${f}:1:1: error: the file has ${30 * MB} bytes, too many for the limit of 8388608 characters: it is not read [KBX604 input-too-large]`,
      '1 problem (1 error, 0 warnings, 0 info) in 1 file',
    ]);
  });

  it('a 200 MB file without docker costs no more memory than a small one', { timeout: 120_000 }, () => {
    const d = dir();
    const big = sparse(join(d, 'big.sh'), 200 * MB, '\necho done\n');
    const small = join(d, 'small.sh');
    fs.writeFileSync(small, 'echo done\n');
    const peaks = { big: [] as number[], small: [] as number[] };
    for (let i = 0; i < 3; i++) {
      peaks.big.push(peakKBOfRun([big]));
      peaks.small.push(peakKBOfRun([small]));
    }
    // Read whole, the big file alone took 200 MB above the small run's ~55 MB.
    expect(median(peaks.big) / median(peaks.small), JSON.stringify(peaks)).toBeLessThan(1.5);
    // The start-up stage, which answers a tree without docker before the linter loads, too.
    const quiet = spawnSync(process.execPath, [BIN, d], { encoding: 'utf8' });
    expect([quiet.status, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
  });
});
