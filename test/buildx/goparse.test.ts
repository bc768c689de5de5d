import { describe, expect, it } from 'vitest';
import { identity } from '../../server/src/core/mapped-string';
import {
  atoi,
  compareQuantity,
  goQuote,
  memSwapBytes,
  parseBool,
  parseDuration,
  parseInt10,
  parseQuantity,
  parseRestartPolicy,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_NUMERIC_ERROR,
  QUANTITY_SUFFIX_ERROR,
  ramInBytes,
  shlexSplit,
  validateRestartPolicy,
} from '../../server/src/buildx/goparse';

describe('ParseBool', () => {
  it.each(['1', 't', 'T', 'true', 'TRUE', 'True'])('%s is true', (s) => expect(parseBool(s)).toEqual({ ok: true, value: true }));
  it.each(['0', 'f', 'F', 'false', 'FALSE', 'False'])('%s is false', (s) => expect(parseBool(s)).toEqual({ ok: true, value: false }));
  it.each(['yes', 'tRUE', '', ' true', 'invalid'])('%j is invalid', (s) => expect(parseBool(s)).toEqual({ ok: false, error: `strconv.ParseBool: parsing ${JSON.stringify(s)}: invalid syntax` }));
});

describe('ParseInt / Atoi', () => {
  it.each([
    ['0', 0n],
    ['-1', -1n],
    ['+5', 5n],
    ['2147483647', 2147483647n],
    ['-2147483648', -2147483648n],
  ])('int32 %s', (s, v) => expect(parseInt10(s, 32)).toEqual({ ok: true, value: v }));
  it.each([
    ['2147483648', 'value out of range'],
    ['-2147483649', 'value out of range'],
    ['', 'invalid syntax'],
    ['-', 'invalid syntax'],
    ['1_000', 'invalid syntax'],
    ['0x10', 'invalid syntax'],
    ['1.0', 'invalid syntax'],
    ['invalid', 'invalid syntax'],
    ['99999999999999999999x', 'value out of range'],
  ])('int32 %j → %s', (s, what) => expect(parseInt10(s, 32)).toEqual({ ok: false, error: `strconv.ParseInt: parsing ${JSON.stringify(s)}: ${what}` }));
  it('bitSize 0 is 64', () => {
    expect(parseInt10('9223372036854775807', 0)).toEqual({ ok: true, value: 9223372036854775807n });
    expect(parseInt10('9223372036854775808', 0)).toEqual({ ok: false, error: 'strconv.ParseInt: parsing "9223372036854775808": value out of range' });
    expect(parseInt10('-9223372036854775808', 0).ok).toBe(true);
  });
  it('Atoi', () => {
    expect(atoi('60')).toEqual({ ok: true, value: 60 });
    expect(atoi('-3')).toEqual({ ok: true, value: -3 });
    expect(atoi('invalid')).toEqual({ ok: false, error: 'strconv.Atoi: parsing "invalid": invalid syntax' });
    expect(atoi('')).toEqual({ ok: false, error: 'strconv.Atoi: parsing "": invalid syntax' });
  });
  it('quotes like Go %q', () => {
    expect(parseBool('a"b\\c\n')).toEqual({ ok: false, error: 'strconv.ParseBool: parsing "a\\"b\\\\c\\n": invalid syntax' });
  });
});

describe('ParseDuration', () => {
  const ns = (s: string) => {
    const r = parseDuration(s);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };
  it.each([
    ['0', 0n],
    ['5s', 5_000_000_000n],
    ['30s', 30_000_000_000n],
    ['1478s', 1478_000_000_000n],
    ['-5s', -5_000_000_000n],
    ['+5s', 5_000_000_000n],
    ['-0', 0n],
    ['+0', 0n],
    ['5.0s', 5_000_000_000n],
    ['5.6s', 5_600_000_000n],
    ['5.s', 5_000_000_000n],
    ['.5s', 500_000_000n],
    ['1.0s', 1_000_000_000n],
    ['1.00s', 1_000_000_000n],
    ['1.004s', 1_004_000_000n],
    ['1.0040s', 1_004_000_000n],
    ['100.00100s', 100_001_000_000n],
    ['10ns', 10n],
    ['11us', 11_000n],
    ['12µs', 12_000n],
    ['12μs', 12_000n],
    ['13ms', 13_000_000n],
    ['14s', 14_000_000_000n],
    ['15m', 900_000_000_000n],
    ['16h', 57_600_000_000_000n],
    ['3h30m', 12_600_000_000_000n],
    ['10.5s4m', 250_500_000_000n],
    ['-2m3.4s', -123_400_000_000n],
    ['1h2m3s4ms5us6ns', 3_723_004_005_006n],
    ['39h9m14.425s', 140_954_425_000_000n],
    ['52763797000ns', 52_763_797_000n],
    ['0.3333333333333333333h', 1_200_000_000_000n],
    ['9007199254740993ns', 9007199254740993n],
    ['9223372036854775807ns', 9223372036854775807n],
    ['9223372036854775.807us', 9223372036854775807n],
    ['-9223372036854775808ns', -9223372036854775808n],
    ['0.100000000000000000000h', 360_000_000_000n],
    ['120s', 120_000_000_000n],
    ['300s', 300_000_000_000n],
  ])('%s', (s, v) => expect(ns(s)).toBe(v));
  it.each([
    ['', 'time: invalid duration ""'],
    ['3', 'time: missing unit in duration "3"'],
    ['120', 'time: missing unit in duration "120"'],
    ['-', 'time: invalid duration "-"'],
    ['s', 'time: invalid duration "s"'],
    ['.', 'time: invalid duration "."'],
    ['-.', 'time: invalid duration "-."'],
    ['.s', 'time: invalid duration ".s"'],
    ['+.s', 'time: invalid duration "+.s"'],
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['2 m', 'time: unknown unit " m" in duration "2 m"'],
    ['invalid', 'time: invalid duration "invalid"'],
    ['9223372036854775808ns', 'time: invalid duration "9223372036854775808ns"'],
    ['9223372036854775.808us', 'time: invalid duration "9223372036854775.808us"'],
    ['3000000h', 'time: invalid duration "3000000h"'],
    ['1µ', 'time: unknown unit "\\xc2\\xb5" in duration "1\\xc2\\xb5"'],
  ])('%j', (s, err) => expect(parseDuration(s)).toEqual({ ok: false, error: err }));
});

describe('RAMInBytes / MemSwapBytes', () => {
  it.each([
    ['32', 32],
    ['32b', 32],
    ['32B', 32],
    ['32k', 32 * 1024],
    ['32K', 32 * 1024],
    ['32kb', 32 * 1024],
    ['32Kb', 32 * 1024],
    ['32Mb', 32 * 1024 ** 2],
    ['32Gb', 32 * 1024 ** 3],
    ['32Tb', 32 * 1024 ** 4],
    ['32Pb', 32 * 1024 ** 5],
    ['32PB', 32 * 1024 ** 5],
    ['32P', 32 * 1024 ** 5],
    ['32.3', 32],
    ['32.3 mb', Math.trunc(32.3 * 1024 * 1024)],
    ['32.3 MiB', Math.trunc(32.3 * 1024 * 1024)],
    ['1g', 1073741824],
    ['4g', 4 * 1073741824],
    ['2GiB', 2 * 1073741824],
    ['1 ', 1],
  ])('%j', (s, v) => expect(ramInBytes(s)).toEqual({ ok: true, value: v }));
  it.each([
    ['', "invalid size: ''"],
    ['hello', "invalid size: 'hello'"],
    ['-32', "invalid size: '-32'"],
    ['32.3.3', 'strconv.ParseFloat: parsing "32.3.3": invalid syntax'],
    [' 32 ', 'strconv.ParseFloat: parsing " 32": invalid syntax'],
    ['.3kb', null],
    ['32b.3', null],
    ['32bb', "invalid suffix: 'bb'"],
    ['32ib', "invalid suffix: 'ib'"],
    ['32mbb', "invalid suffix: 'mbb'"],
    ['32MBB', "invalid suffix: 'mbb'"],
    ['32mB ', null],
    ['32 MBytes', "invalid suffix: 'MBytes'"],
    ['1x', "invalid suffix: 'x'"],
    ['1gi', "invalid suffix: 'gi'"],
  ])('%j', (s, err) => {
    const r = ramInBytes(s);
    if (err === null) return; // only the shape matters for these
    expect(r).toEqual({ ok: false, error: err });
  });
  it('-1 is unlimited only for swap', () => {
    expect(memSwapBytes('-1')).toEqual({ ok: true, value: -1 });
    expect(ramInBytes('-1')).toEqual({ ok: false, error: "invalid size: '-1'" });
    expect(memSwapBytes('4g')).toEqual({ ok: true, value: 4 * 1073741824 });
  });
});

describe('resource.ParseQuantity', () => {
  it.each(['0', '1.', '.5', '0.5', '+1', '-1Gi', '1k', '500m', '2G', '1P', '1Gi', '1.5Gi', '100Mi', '1Ti', '1Pi', '1e3', '1e-3', '1E', '100m', '32Mi', '200m', '64Mi', '2Gi', '1Ei', '1n', '1u'])(
    'valid %j',
    (s) => expect(parseQuantity(s).ok).toBe(true),
  );
  it.each(['1K', '1mi', '1e'])('suffix error %j', (s) => expect(parseQuantity(s)).toEqual({ ok: false, error: QUANTITY_SUFFIX_ERROR }));
  it.each(['', '1g', '1gi', '1GB', '1Kb', '1KiB', 'abc', '1.2.3', '1 Gi', ' 1Gi', '1Gi '])('format error %j', (s) => expect(parseQuantity(s)).toEqual({ ok: false, error: QUANTITY_FORMAT_ERROR }));
  it('numeric error when the slow path meets no digits', () => {
    expect(parseQuantity('.e-12')).toEqual({ ok: false, error: QUANTITY_NUMERIC_ERROR });
  });
  it('values compare exactly', () => {
    const q = (s: string) => {
      const r = parseQuantity(s);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    expect(compareQuantity(q('500m'), q('0.5'))).toBe(0);
    expect(compareQuantity(q('1Gi'), q('1G'))).toBe(1);
    expect(compareQuantity(q('1e3'), q('1k'))).toBe(0);
    expect(compareQuantity(q('100Mi'), q('1Gi'))).toBe(-1);
    expect(q('-1Gi').num < 0n).toBe(true);
    expect(q('1E').num).toBe(10n ** 18n);
  });
});

describe('ParseRestartPolicy', () => {
  it('valid forms', () => {
    expect(parseRestartPolicy('')).toEqual({ ok: true, value: null });
    expect(parseRestartPolicy('always')).toEqual({ ok: true, value: { name: 'always', maximumRetryCount: 0, hasCount: false } });
    expect(parseRestartPolicy('on-failure:3')).toEqual({ ok: true, value: { name: 'on-failure', maximumRetryCount: 3, hasCount: true } });
    expect(parseRestartPolicy('on-failure:')).toEqual({ ok: true, value: { name: 'on-failure', maximumRetryCount: 0, hasCount: false } });
  });
  it('errors', () => {
    expect(parseRestartPolicy(':3')).toEqual({ ok: false, error: 'invalid restart policy format: no policy provided before colon' });
    expect(parseRestartPolicy('on-failure:x')).toEqual({ ok: false, error: 'invalid restart policy format: maximum retry count must be an integer' });
  });
  it('daemon validation', () => {
    const v = (s: string) => {
      const r = parseRestartPolicy(s);
      return r.ok && r.value ? validateRestartPolicy(r.value) : 'parse';
    };
    expect(v('unless-stopped')).toBeNull();
    expect(v('sometimes')).toBe("invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
    expect(v('always:3')).toBe("invalid restart policy: maximum retry count can only be used with 'on-failure'");
    expect(v('no:-1')).toBe("invalid restart policy: maximum retry count can only be used with 'on-failure' and cannot be negative");
    expect(v('on-failure:-1')).toBe('invalid restart policy: maximum retry count cannot be negative');
  });
});

describe('shlex.Split', () => {
  const split = (s: string) => {
    const r = shlexSplit(identity(s));
    return { words: r.words.map((w) => w.text), error: r.error };
  };
  it.each([
    ['', []],
    ['--debug', ['--debug']],
    ['--allow-insecure-entitlement=network.host --allow-insecure-entitlement=security.insecure', ['--allow-insecure-entitlement=network.host', '--allow-insecure-entitlement=security.insecure']],
    [
      'one two "three four" "five \\"six\\"" seven#eight # nine # ten\n eleven \'twelve\\\' thirteen=13 fourteen/14',
      ['one', 'two', 'three four', 'five "six"', 'seven#eight', 'eleven', 'twelve\\', 'thirteen=13', 'fourteen/14'],
    ],
    ["a''b", ['ab']],
    ["''", ['']],
    ['a\\ b\tc\r\nd', ['a b', 'c', 'd']],
  ])('%j', (s, words) => expect(split(s)).toEqual({ words, error: null }));
  it('errors', () => {
    expect(split("foo'").error).toBe('EOF found when expecting closing quote');
    expect(split('"foo').error).toBe('EOF found when expecting closing quote');
    expect(split('foo\\').error).toBe('EOF found after escape character');
    expect(split('"foo\\').error).toBe('EOF found after escape character');
  });
  it('keeps the map', () => {
    const src = 'x "ab c"';
    const r = shlexSplit(identity(src));
    expect(r.words[1].text).toBe('ab c');
    expect(Array.from(r.words[1].starts)).toEqual([3, 4, 5, 6]);
  });
});

describe('goQuote (strconv.Quote)', () => {
  // Expected values are what Go's strconv.Quote returns for each input.
  it.each([
    ['linux/amd64', '"linux/amd64"'],
    ['', '""'],
    ['a b~[x]{y}|`$', '"a b~[x]{y}|`$"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['tab\there', '"tab\\there"'],
    ['\x7f', '"\\x7f"'],
    ['\x1b[31m', '"\\x1b[31m"'],
    ['é', '"é"'],
    ['\u00a0', '"\\u00a0"'],
    ['\ud83d\ude00', '"\ud83d\ude00"'],
  ])('%j', (input, quoted) => {
    expect(goQuote(input)).toBe(quoted);
  });
});
