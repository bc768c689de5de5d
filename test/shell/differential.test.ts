/**
 * Differential test against real shells: random words built from every quoting form are run
 * through `printf '%s\0'` by bash (and dash when installed) and compared byte for byte with the
 * fields expandWord computes. Seeded; on failure the shrunk input is printed.
 */
import { describe, expect, it } from 'vitest';
import { identity, DYNAMIC } from '../../server/src/core/mapped-string';
import type { Dialect, SimpleCommand } from '../../server/src/shell/ast';
import { expandWord } from '../../server/src/shell/expand';
import { parseShell } from '../../server/src/shell/parser';
import { walkSimpleCommands } from '../../server/src/shell/walk';
import { mulberry32, runShell, shellAvailable, type OracleShell } from '../harness/bash-oracle';

const SEED = Number(process.env.KBX_SEED ?? 20240611);
const CASES = 400;

type Segment = string;
type GenWord = Segment[];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)];
}

const PLAIN = 'abcXYZ019=,/.-:@%+_'.split('');

function plain(rnd: () => number, min = 1): string {
  let s = '';
  const n = min + Math.floor(rnd() * 4);
  for (let i = 0; i < n; i++) s += pick(rnd, PLAIN);
  return s;
}

function segment(rnd: () => number, shell: OracleShell): Segment {
  const bash = shell === 'bash';
  const kinds = bash ? ['plain', 'plain', 'sq', 'dq', 'esc', 'ansic', 'cont', 'brace', 'seq', 'localized'] : ['plain', 'plain', 'sq', 'dq', 'esc', 'cont'];
  switch (pick(rnd, kinds)) {
    case 'plain':
      return plain(rnd);
    case 'sq': {
      let s = "'";
      const n = Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) s += pick(rnd, [plain(rnd), ' ', '"', '\\', '$', '`', '{a,b}', '\\\n', '#', '*']);
      return s + "'";
    }
    case 'dq': {
      let s = '"';
      const n = Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++) s += pick(rnd, [plain(rnd), ' ', '\\"', '\\\\', '\\$', '\\`', '\\a', '\\n', '\\\n', "'", '{x,y}', '~', '#', '*']);
      return s + '"';
    }
    case 'esc':
      return pick(rnd, ['\\,', '\\"', "\\'", '\\ ', '\\\\', '\\{', '\\}', '\\=', '\\a', '\\$', '\\*', '\\~', '\\#']);
    case 'ansic': {
      let s = "$'";
      const n = Math.floor(rnd() * 5);
      for (let i = 0; i < n; i++)
        s += pick(rnd, [plain(rnd), ' ', '\\n', '\\t', '\\\\', "\\'", '\\"', '\\x41', '\\x7e', '\\101', '\\0101', '\\u0041', '\\U0000004a', '\\cA', '\\e', '\\z', '\\?', '"', '\\x4g', '\\x', '\\7']);
      return s + "'";
    }
    case 'localized':
      return '$"' + plain(rnd) + '"';
    case 'cont':
      return '\\\n';
    case 'brace': {
      const n = 2 + Math.floor(rnd() * 2);
      const alts: string[] = [];
      for (let i = 0; i < n; i++) alts.push(rnd() < 0.2 ? '' : rnd() < 0.3 ? "'" + plain(rnd) + "'" : plain(rnd).replace(/[,]/g, ''));
      const inner = alts.join(',');
      return pick(rnd, ['{' + inner + '}', '{' + inner + '}', '{' + inner, inner + '}', '{' + plain(rnd).replace(/[,]/g, '') + '}']);
    }
    case 'seq':
      return pick(rnd, ['{1..3}', '{a..c}', '{3..1}', '{01..03}', '{1..7..3}', '{x..z..2}', '{1..a}', '{-1..1}']);
  }
  return 'x';
}

function genWord(rnd: () => number, shell: OracleShell): GenWord {
  const n = 1 + Math.floor(rnd() * 4);
  const segs: GenWord = [];
  for (let i = 0; i < n; i++) segs.push(segment(rnd, shell));
  // A leading continuation alone could glue this word to the previous one; keep a real first char.
  if (segs[0] === '\\\n') segs.unshift(plain(rnd));
  return segs;
}

function render(words: GenWord[], prefix: string): string {
  return "printf '%s\\0' " + prefix + words.map((w) => w.join('')).join(' ') + '\n';
}

function ourFields(script: string, dialect: Dialect): { fields: string[]; problem: string | null } {
  const parsed = parseShell(identity(script), { dialect });
  if (parsed.errors.length) return { fields: [], problem: 'parse errors: ' + JSON.stringify(parsed.errors) };
  const cmds: SimpleCommand[] = [];
  walkSimpleCommands(parsed, (c) => cmds.push(c));
  if (cmds.length !== 1) return { fields: [], problem: `expected 1 command, got ${cmds.length}` };
  const fields: string[] = [];
  for (const w of cmds[0].words.slice(2)) {
    for (const f of expandWord(w, dialect)) {
      if (!f.static) return { fields: [], problem: `non-static field ${JSON.stringify(f.value.text)}` };
      fields.push(f.value.text);
    }
  }
  return { fields, problem: null };
}

function mismatch(shell: OracleShell, words: GenWord[], prefix: string): string | null {
  const script = render(words, prefix);
  const ours = ourFields(script, shell === 'bash' ? 'bash' : 'sh');
  const real = runShell(shell, script);
  if (real.status !== 0) return `${shell} failed (${real.status}): ${real.stderr}`;
  if (ours.problem) return ours.problem;
  const theirs = real.fields.slice(prefix ? prefix.trim().split(' ').length : 0);
  const oursTail = ours.fields.slice(prefix ? prefix.trim().split(' ').length : 0);
  if (JSON.stringify(theirs) !== JSON.stringify(oursTail)) return `ours ${JSON.stringify(oursTail)} vs ${shell} ${JSON.stringify(theirs)}`;
  return null;
}

/** Drops whole words, then single segments, while the mismatch persists. */
function shrink(shell: OracleShell, words: GenWord[], prefix: string): GenWord[] {
  let cur = words.map((w) => w.slice());
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = 0; i < cur.length && cur.length > 1; i++) {
      const cand = cur.filter((_, k) => k !== i);
      if (mismatch(shell, cand, prefix)) {
        cur = cand;
        changed = true;
        i--;
      }
    }
    for (let i = 0; i < cur.length; i++) {
      for (let j = 0; j < cur[i].length && cur[i].length > 1; j++) {
        const cand = cur.map((w, k) => (k === i ? w.filter((_, m) => m !== j) : w));
        if (mismatch(shell, cand, prefix)) {
          cur = cand;
          changed = true;
          j--;
        }
      }
    }
  }
  return cur;
}

function runDifferential(shell: OracleShell, seed: number): void {
  console.log(`differential ${shell}: seed ${seed} (set KBX_SEED to reproduce)`);
  const rnd = mulberry32(seed);
  const failures: string[] = [];
  for (let c = 0; c < CASES && failures.length < 3; c++) {
    const nWords = 1 + Math.floor(rnd() * 4);
    const words: GenWord[] = [];
    for (let i = 0; i < nWords; i++) words.push(genWord(rnd, shell));
    const prefix = rnd() < 0.3 ? 'docker buildx create ' : '';
    const m = mismatch(shell, words, prefix);
    if (m) {
      const small = shrink(shell, words, prefix);
      failures.push(`case ${c}: ${JSON.stringify(render(small, prefix))}\n  ${mismatch(shell, small, prefix)}`);
    }
  }
  expect(failures, failures.join('\n')).toEqual([]);
}

describe('differential against real shells', () => {
  it('bash: static words expand exactly as bash passes them', () => {
    expect(shellAvailable('bash'), 'bash is required for this test').toBe(true);
    runDifferential('bash', SEED);
  });

  if (shellAvailable('dash')) {
    it('dash: static words expand exactly as dash passes them', () => {
      runDifferential('dash', SEED + 1);
    });
  } else {
    console.log('dash not installed: the POSIX sh differential variant is not generated');
  }

  it('bash: words with $VAR, $(…), `…`, ~ are reported non-static', () => {
    const rnd = mulberry32(SEED + 2);
    for (let c = 0; c < 100; c++) {
      const dyn = pick(rnd, ['$VAR', '${VAR}', '"$VAR"', '$(echo x)', '`echo x`', '$((1+2))', '"${X:-d}"', '~', '~/x']);
      const before = plain(rnd, 0);
      const word = dyn.startsWith('~') ? dyn + before : before + dyn + plain(rnd, 0);
      const parsed = parseShell(identity(`printf '%s\\0' ${word}\n`));
      expect(parsed.errors).toEqual([]);
      let fields: ReturnType<typeof expandWord> = [];
      walkSimpleCommands(parsed, (cmd, ctx) => {
        if (!ctx.inSubstitution) fields = expandWord(cmd.words[2]);
      });
      expect(fields.length, word).toBe(1);
      expect(fields[0].static, word).toBe(false);
      expect(fields[0].value.text.includes(DYNAMIC), word).toBe(true);
    }
  });
});
