/**
 * Property test of the run-based MappedString against the per-character implementation it
 * replaced, written out here as the reference: random strings are built through random sequences
 * of identity, slice, concat, builder pushes and appends, split, splitFirst and fromOffsets (each operation on
 * both forms), and every character's start and end, the materialised arrays, endOffset and spanOf
 * over ranges are compared. Plain per-character objects are fed in as inputs too, since callers
 * still write them. Seeded (KBX_SEED reproduces a run).
 */
import { describe, expect, it } from 'vitest';
import {
  concatMapped,
  endAt,
  forEachSourceRange,
  fromOffsets,
  identity,
  lowerBoundStart,
  MappedStringBuilder,
  offsetAt,
  sliceMapped,
  sliceWithEnd,
  spanOf,
  splitFirst,
  splitMapped,
  startAt,
  uniform,
  type MappedString,
} from '../../server/src/core/mapped-string';
import { mulberry32 } from '../harness/random';

const SEED = Number(process.env.KBX_SEED ?? 20261201);

/** The reference: one start and one end per character, in plain arrays. */
interface Ref {
  text: string;
  starts: number[];
  ends: number[];
  endOffset: number;
}

function refIdentity(text: string, start: number, end: number, base: number): Ref {
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = start; i < end; i++) {
    starts.push(i + base);
    ends.push(i + 1 + base);
  }
  return { text: text.slice(start, end), starts, ends, endOffset: end + base };
}

function refSlice(s: Ref, from: number, to = s.text.length, endOffset = -1): Ref {
  if (from < 0) from = 0;
  if (to > s.text.length) to = s.text.length;
  if (to < from) to = from;
  const next = to < s.text.length ? s.starts[to] : s.endOffset;
  return {
    text: s.text.slice(from, to),
    starts: s.starts.slice(from, to),
    ends: s.ends.slice(from, to),
    endOffset: endOffset >= 0 ? endOffset : to > from ? s.ends[to - 1] : next,
  };
}

function refSpan(s: Ref, from: number, to: number): { start: number; end: number } {
  if (to > s.text.length) to = s.text.length;
  if (from >= to) {
    const at = from < s.text.length ? s.starts[from] : s.endOffset;
    return { start: at, end: at };
  }
  let start = s.starts[from];
  let end = s.ends[to - 1];
  for (let i = from; i < to; i++) {
    start = Math.min(start, s.starts[i]);
    end = Math.max(end, s.ends[i]);
  }
  return { start, end };
}

function refConcat(parts: Ref[], endOffset?: number): Ref {
  const out: Ref = { text: '', starts: [], ends: [], endOffset: 0 };
  for (const p of parts) {
    out.text += p.text;
    out.starts.push(...p.starts);
    out.ends.push(...p.ends);
  }
  out.endOffset = endOffset ?? (parts.length ? parts[parts.length - 1].endOffset : 0);
  return out;
}

function refSplit(s: Ref, sep: string): Ref[] {
  const out: Ref[] = [];
  let from = 0;
  for (let i = 0; i < s.text.length; i++) {
    if (s.text[i] === sep) {
      out.push(refSlice(s, from, i));
      from = i + 1;
    }
  }
  out.push(refSlice(s, from));
  return out;
}

/** A plain per-character MappedString, as the layers that build their own arrays write it. */
function plain(r: Ref): MappedString {
  return { text: r.text, starts: Int32Array.from(r.starts), ends: Int32Array.from(r.ends), endOffset: r.endOffset };
}

interface Pair {
  ref: Ref;
  impl: MappedString;
}

function same(p: Pair, rnd: () => number): void {
  const { ref, impl } = p;
  expect(impl.text).toBe(ref.text);
  expect(impl.endOffset).toBe(ref.endOffset);
  const n = ref.text.length;
  for (let i = 0; i < n; i++) {
    if (startAt(impl, i) !== ref.starts[i] || endAt(impl, i) !== ref.ends[i]) {
      throw new Error(`char ${i} of ${JSON.stringify(ref.text)}: got [${startAt(impl, i)}, ${endAt(impl, i)}], want [${ref.starts[i]}, ${ref.ends[i]}]`);
    }
  }
  for (let i = 0; i <= n + 1; i++) {
    const want = i < n ? ref.starts[i] : ref.endOffset;
    if (offsetAt(impl, i) !== want) throw new Error(`offsetAt(${i}) of ${JSON.stringify(ref.text)}: got ${offsetAt(impl, i)}, want ${want}`);
  }
  const span = (a: number, b: number): void => {
    const got = spanOf(impl, a, b);
    const want = refSpan(ref, a, b);
    if (got.start !== want.start || got.end !== want.end) {
      throw new Error(`spanOf(${a}, ${b}) of ${JSON.stringify(ref.text)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
  };
  // Every range of a short string, a sample of a long one.
  if (n <= 12) {
    for (let a = 0; a <= n + 1; a++) for (let b = 0; b <= n + 2; b++) span(a, b);
  } else {
    for (let k = 0; k < 40; k++) span(Math.floor(rnd() * (n + 2)), Math.floor(rnd() * (n + 3)));
  }
  expect(spanOf(impl)).toEqual(refSpan(ref, 0, n));
  for (let k = 0; k < 4; k++) {
    const x = (n ? ref.starts[Math.floor(rnd() * n)] : 0) + Math.floor(rnd() * 3) - 1;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ref.starts[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    expect(lowerBoundStart(impl, x)).toBe(lo);
  }
  // The arrays old callers read, made on demand, agree too (compared last: reading them caches them).
  if (rnd() < 0.5) {
    expect(Array.from(impl.starts)).toEqual(ref.starts);
    expect(Array.from(impl.ends)).toEqual(ref.ends);
  }
}

const ALPHABET = ['a', 'b', ',', '=', ' ', '"', '\uE000', '\u{1F600}', 'é'];

function randomText(rnd: () => number, max: number): string {
  let t = '';
  const n = Math.floor(rnd() * max);
  for (let i = 0; i < n; i++) t += ALPHABET[Math.floor(rnd() * ALPHABET.length)];
  return t;
}

function int(rnd: () => number, n: number): number {
  return Math.floor(rnd() * n);
}

function generate(rnd: () => number, pool: Pair[]): Pair {
  const any = (): Pair => pool[int(rnd, pool.length)];
  const op = int(rnd, 9);
  switch (op) {
    case 0: {
      const text = randomText(rnd, 30);
      const start = int(rnd, text.length + 1);
      const end = start + int(rnd, text.length - start + 1);
      const base = int(rnd, 3) === 0 ? 0 : int(rnd, 1000);
      return { ref: refIdentity(text, start, end, base), impl: identity(text, start, end, base) };
    }
    case 1: {
      const s = any();
      const n = s.ref.text.length;
      const from = int(rnd, n + 3) - 1;
      const to = rnd() < 0.2 ? undefined : int(rnd, n + 3) - 1;
      return { ref: refSlice(s.ref, from, to), impl: sliceMapped(s.impl, from, to) };
    }
    case 2: {
      const s = any();
      const n = s.ref.text.length;
      const from = int(rnd, n + 1);
      const to = from + int(rnd, n - from + 1);
      const end = rnd() < 0.5 ? -1 : int(rnd, 2000);
      return { ref: refSlice(s.ref, from, to, end), impl: sliceWithEnd(s.impl, from, to, end) };
    }
    case 3: {
      const parts: Pair[] = [];
      // Joined strings would grow without bound: keep them to a few hundred characters.
      for (let k = int(rnd, 5); k > 0; k--) {
        const p = any();
        if (p.ref.text.length < 200) parts.push(p);
      }
      const end = rnd() < 0.5 ? undefined : int(rnd, 2000);
      return {
        ref: refConcat(
          parts.map((p) => p.ref),
          end,
        ),
        impl: concatMapped(
          parts.map((p) => p.impl),
          end,
        ),
      };
    }
    case 4:
    case 5: {
      // A builder fed a random mix of pushes (consecutive, repeated, synthesised, multi-unit)
      // and appends of whole strings or of slices.
      const b = new MappedStringBuilder();
      const ref: Ref = { text: '', starts: [], ends: [], endOffset: 0 };
      let at = int(rnd, 500);
      for (let k = int(rnd, 12); k > 0; k--) {
        const kind = int(rnd, 6);
        if (kind <= 2) {
          const ch = randomText(rnd, 3) || 'x';
          let start: number;
          let end: number;
          if (kind === 0) {
            start = at;
            end = at + 1;
            at++;
          } else if (kind === 1) {
            start = at;
            end = at + int(rnd, 4);
          } else {
            start = int(rnd, 600);
            end = start + int(rnd, 3);
          }
          b.push(ch, start, end);
          for (let i = 0; i < ch.length; i++) {
            ref.text += ch[i];
            ref.starts.push(start);
            ref.ends.push(end);
          }
        } else {
          const s = any();
          if (s.ref.text.length > 200) continue;
          const n = s.ref.text.length;
          const from = kind === 3 ? 0 : int(rnd, n + 1);
          const to = kind === 3 ? n : from + int(rnd, n - from + 1);
          if (kind === 3) b.append(s.impl);
          else b.appendSlice(s.impl, from, to);
          const piece = refSlice(s.ref, from, to);
          ref.text += piece.text;
          ref.starts.push(...piece.starts);
          ref.ends.push(...piece.ends);
        }
        expect(b.length).toBe(ref.text.length);
      }
      ref.endOffset = int(rnd, 2000);
      return { ref, impl: b.build(ref.endOffset) };
    }
    case 6: {
      const s = any();
      const sep = ALPHABET[int(rnd, 4)];
      const refs = refSplit(s.ref, sep);
      const impls = splitMapped(s.impl, sep);
      expect(impls.length).toBe(refs.length);
      const k = int(rnd, refs.length);
      return { ref: refs[k], impl: impls[k] };
    }
    case 7: {
      const s = any();
      const sep = ALPHABET[int(rnd, 4)];
      const i = s.ref.text.indexOf(sep);
      const [head, tail] = splitFirst(s.impl, sep);
      if (i < 0) {
        expect(tail).toBeNull();
        return { ref: s.ref, impl: head };
      }
      expect(tail).not.toBeNull();
      return rnd() < 0.5 ? { ref: refSlice(s.ref, 0, i), impl: head } : { ref: refSlice(s.ref, i + 1), impl: tail! };
    }
    default: {
      if (rnd() < 0.5) {
        // A per-character object from another layer.
        const s = any();
        if (rnd() < 0.5) return { ref: s.ref, impl: plain(s.ref) };
        return { ref: s.ref, impl: fromOffsets(s.ref.text, s.ref.starts, s.ref.ends, s.ref.endOffset) };
      }
      const ch = randomText(rnd, 4);
      const start = int(rnd, 500);
      const end = start + int(rnd, 3);
      const ref: Ref = { text: ch, starts: [], ends: [], endOffset: end };
      for (let i = 0; i < ch.length; i++) {
        ref.starts.push(start);
        ref.ends.push(end);
      }
      return { ref, impl: uniform(ch, start, end) };
    }
  }
}

describe('MappedString runs agree with the per-character map', () => {
  it('through random sequences of identity, slice, concat, builder and split', () => {
    const rnd = mulberry32(SEED);
    for (let round = 0; round < 60; round++) {
      const pool: Pair[] = [{ ref: refIdentity('abc', 0, 3, 0), impl: identity('abc') }];
      for (let step = 0; step < 80; step++) {
        const p = generate(rnd, pool);
        try {
          same(p, rnd);
        } catch (e) {
          throw new Error(`seed ${SEED}, round ${round}, step ${step}: ${(e as Error).message}`);
        }
        pool.push(p);
      }
    }
  });

  it('forEachSourceRange covers what the characters cover, merged where ranges touch', () => {
    const merged = (ranges: [number, number][]) => {
      const out: [number, number][] = [];
      for (const r of [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
        const last = out[out.length - 1];
        if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
        else out.push([r[0], r[1]]);
      }
      return out;
    };
    const rnd = mulberry32(SEED + 1);
    let checked = 0;
    for (let round = 0; round < 20; round++) {
      const pool: Pair[] = [{ ref: refIdentity('abc', 0, 3, 0), impl: identity('abc') }];
      for (let step = 0; step < 60; step++) {
        const p = generate(rnd, pool);
        pool.push(p);
        const perChar: [number, number][] = p.ref.starts.map((st, i) => [st, p.ref.ends[i]]);
        const byRange: [number, number][] = [];
        forEachSourceRange(p.impl, (start, end) => byRange.push([start, end]));
        expect(byRange.length).toBeLessThanOrEqual(perChar.length);
        expect(merged(byRange), `seed ${SEED + 1}, round ${round}, step ${step}`).toEqual(merged(perChar));
        checked += perChar.length;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('keeps a verbatim slice of the source as one run however it is cut and joined', () => {
    const src = identity('docker buildx create --driver-opt a=1,b=2', 0, 41, 100);
    const words = splitMapped(src, ' ');
    const joined = new MappedStringBuilder();
    words.forEach((w, k) => {
      if (k) joined.appendSlice(src, spanOf(words[k - 1]).end - 100, spanOf(w).start - 100);
      joined.append(w);
    });
    const back = joined.build(src.endOffset);
    expect(back.text).toBe(src.text);
    for (let i = 0; i < back.text.length; i++) expect([startAt(back, i), endAt(back, i)]).toEqual([100 + i, 101 + i]);
    expect((back as unknown as { runs: number[] }).runs.length).toBe(3);
  });
});
