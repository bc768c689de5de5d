/**
 * Differential test of the Makefile reader against real GNU make: random Makefiles (seeded,
 * reproducible) are run by make with SHELL set to a recorder that only writes down its `-c`
 * argument; every region the reader produces must equal what make passed, byte for byte (regions
 * with DYNAMIC must match with DYNAMIC standing for any text).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { readMakefile } from '../../server/src/hosts/makefile';

const MAKE = '/usr/bin/make';
const SEED = Number(process.env.KBX_MAKE_SEED ?? 0x6b62782d) >>> 0;
const FILES = Number(process.env.KBX_MAKE_FILES ?? 300);

import { mulberry32 } from '../harness/random';

let dir = '';
let recorder = '';

beforeAll(() => {
  if (!existsSync(MAKE)) {
    throw new Error(`GNU make is required for the differential test but ${MAKE} does not exist`);
  }
  const version = execFileSync(MAKE, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  if (!version.startsWith('GNU Make')) throw new Error(`${MAKE} is not GNU make: ${version}`);
  dir = mkdtempSync(join(tmpdir(), 'kbx-make-'));
  // Named `sh` so make treats it as a Bourne shell (that decides ONESHELL prefix handling), as
  // it would /bin/sh. It never runs the command: it only records it.
  recorder = join(dir, 'sh');
  writeFileSync(recorder, '#!/bin/sh\nprintf %s\\\\0 "$2" >> "$REC_OUT"\n');
  chmodSync(recorder, 0o755);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  ok: boolean;
  commands: string[];
  stderr: string;
}

function runMake(makefile: string, targets: string[]): Run {
  const mk = join(dir, 'Makefile.gen');
  const rec = join(dir, 'out.rec');
  writeFileSync(mk, makefile, 'latin1');
  writeFileSync(rec, '');
  const r = spawnSync(MAKE, ['-s', '-r', '-f', mk, `SHELL=${recorder}`, ...targets], {
    cwd: dir,
    env: { PATH: '/usr/bin:/bin', REC_OUT: rec },
    encoding: 'latin1',
    timeout: 20_000,
  });
  const commands = readFileSync(rec, 'latin1').split('\0');
  commands.pop();
  return { ok: r.status === 0, commands, stderr: r.stderr ?? String(r.error) };
}

function matches(region: string, actual: string): boolean {
  if (!region.includes(DYNAMIC)) return region === actual;
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const parts = region.split(DYNAMIC);
  // A leading DYNAMIC may expand to nothing, and then make strips the prefixes and blanks after it.
  const head = parts[0] === '' && parts.length > 1 ? parts[1].replace(/^[ \t@+-]+/, '') : null;
  const re =
    head === null
      ? parts.map(esc).join('[\\s\\S]*')
      : `(?:[\\s\\S]*${esc(parts[1])}|${esc(head)})` + parts.slice(2).map((p) => '[\\s\\S]*' + esc(p)).join('');
  return new RegExp(`^${re}$`).test(actual);
}

/** compare returns null when the reader agrees with make, else a description. */
function compare(makefile: string, targets: string[]): string | null {
  const run = runMake(makefile, targets);
  if (!run.ok) return `make failed: ${run.stderr}`;
  const regions = readMakefile(makefile).regions.map((r) => r.source.text);
  const n = Math.max(regions.length, run.commands.length);
  for (let i = 0; i < n; i++) {
    const got = regions[i];
    const want = run.commands[i];
    if (got === undefined || want === undefined || !matches(got, want)) {
      return `command ${i}: reader ${JSON.stringify(got)}, make ${JSON.stringify(want)}\nall reader: ${JSON.stringify(regions)}\nall make: ${JSON.stringify(run.commands)}`;
    }
  }
  return null;
}

/** shrink drops physical lines while make still succeeds and the reader still disagrees. */
function shrink(makefile: string, targets: string[]): string {
  let lines = makefile.split('\n');
  let budget = 300;
  for (let i = 0; i < lines.length && budget > 0; ) {
    const cand = [...lines.slice(0, i), ...lines.slice(i + 1)];
    budget--;
    const res = compare(cand.join('\n'), targets);
    if (res !== null && !res.startsWith('make failed')) lines = cand;
    else i++;
  }
  return lines.join('\n');
}

// ---- generator ------------------------------------------------------------------------------

const POOL = ['A', 'V', 'FOO', 'W', 'BAR_2', 'x.y', 'lower', 'Q'];

class Gen {
  readonly lines: string[] = [];
  readonly targets: string[] = [];
  private flavor: Array<'r' | 's' | null> = POOL.map(() => null);
  private prefix = '\t';

  constructor(private readonly rnd: () => number) {}

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }

  chance(p: number): boolean {
    return this.rnd() < p;
  }

  ref(i: number): string {
    const name = POOL[i];
    const forms = [`$(${name})`, `\${${name}}`];
    if (name.length === 1) forms.push(`$${name}`);
    if (this.chance(0.15)) return this.pick([`$(${name}:o=0)`, `$(${name}:%=<%>)`, `\${${name}:a=}`]);
    return this.pick(forms);
  }

  /** A value for variable i; recursive values refer forward only, so no cycle can form. */
  value(i: number, recursive: boolean, anySimple: boolean): string {
    const parts: string[] = [];
    const n = 1 + Math.floor(this.rnd() * 4);
    for (let k = 0; k < n; k++) {
      const r = this.rnd();
      if (r < 0.35) {
        const cands = POOL.map((_, j) => j).filter((j) =>
          recursive ? j > i : anySimple ? this.flavor[j] !== null : this.flavor[j] === 's',
        );
        if (cands.length) {
          parts.push(this.ref(this.pick(cands)));
          continue;
        }
      }
      parts.push(
        this.pick([
          'foo', 'o', 'a b', '--opt=1', "'q x'", '"dq"', ',', '=', ':', '$$x', '$$(pwd)', '\\#h', 'x\\y',
          'tab\there', '-', '@', 'a.o b.o', '%', ';', 'lo\\\\#',
        ]),
      );
    }
    let v = parts.join(this.pick([' ', '', '  ', ' \\\n   ', '\\\n']));
    if (this.chance(0.2)) v += this.pick(['   ', ' # comment', '\t', '# c \\\n continued comment']);
    return v;
  }

  assignment(phase1: boolean, i: number): void {
    const name = POOL[i];
    const mod = this.chance(0.1) ? this.pick(['override ', 'export ']) : '';
    const sp = this.pick([' ', '', '  ', '\t']);
    if (phase1) {
      const op = this.pick(['=', ':=', '::=', '?=', 'define', 'define :=']);
      const recursive = op === '=' || op === '?=' || op === 'define';
      const v = this.value(i, recursive, false);
      if (op.startsWith('define')) {
        const body = v.replace(/\\\n\s*/g, ' ').replace(/\\+$/, '');
        this.lines.push(`define ${name}${op === 'define' ? '' : ' :='}`, body, 'endef');
      } else this.lines.push(`${mod}${name}${sp}${op}${sp}${v}`);
      this.flavor[i] = recursive ? 'r' : 's';
      return;
    }
    const op = this.pick(['=', ':=', '+=', '+=', '?=']);
    const recursive = op === '=' || (op === '+=' && this.flavor[i] === 'r') || (op === '?=' && this.flavor[i] === 'r');
    this.lines.push(`${mod}${name}${sp}${op}${sp}${this.value(i, recursive, true)}`);
    if (op === '=') this.flavor[i] = 'r';
    if (op === ':=') this.flavor[i] = 's';
  }

  recipeLine(): string {
    const words: string[] = [];
    const n = 1 + Math.floor(this.rnd() * 6);
    for (let k = 0; k < n; k++) {
      const r = this.rnd();
      if (r < 0.3) words.push(this.ref(Math.floor(this.rnd() * POOL.length)));
      else if (r < 0.33) words.push(this.pick(['$@', '$(@F)', '$(subst a,b,xax)', '$(TS)']));
      else
        words.push(
          this.pick([
            'echo', 'docker', 'buildx', 'create', '--driver-opt=a=b,c=d', "'single q'", '"double q"',
            '$$HOME', '$${x}', '$$(date)', '$$(echo a \\\n\t b)', '#', '# c', ';', '&&', '|', '=', ',',
            ':', '\\\\', '%', '\\#', '"a \\\n\tb"', "'a \\\n b'", 'x=1', '$$$$', '@', '-',
          ]),
        );
    }
    let line = '';
    words.forEach((w, k) => {
      if (k > 0) {
        if (this.chance(0.15)) {
          line += this.pick([' \\\n', '\\\n', ' \\\n  ']) + this.pick([this.prefix, this.prefix + '\t', '', '  ', this.prefix + ' @']);
        } else line += this.pick([' ', ' ', '  ', '\t']);
      }
      line += w;
    });
    const pre = this.chance(0.4) ? this.pick(['@', '-', '+', '@-', '-@ ', ' @ ', '@+-', '  ', '@\t']) : '';
    return pre + line + (this.chance(0.1) ? '  ' : '');
  }

  rule(): void {
    const name = `t${this.targets.length + 1}`;
    this.targets.push(name);
    const colon = this.chance(0.15) ? '::' : ':';
    let head = `${name}${colon}`;
    if (this.chance(0.1)) this.lines.push(`${name}: TS = target-${name}`);
    if (this.chance(0.2)) head += ` ;${this.recipeLine()}`;
    else if (this.chance(0.1)) head += ' # just a comment';
    this.lines.push(head);
    const n = Math.floor(this.rnd() * 5);
    for (let k = 0; k < n; k++) {
      if (this.chance(0.1)) this.lines.push(this.pick(['', '# comment inside recipe', '   ']));
      if (this.chance(0.05)) this.lines.push(this.prefix);
      // A true conditional around a recipe line: make reads it, and so does the reader.
      const cond = this.chance(0.05);
      if (cond) this.lines.push(this.pick(['ifeq (a,a)', 'ifneq "a" "b"', 'ifdef TS']));
      this.lines.push(this.prefix + this.recipeLine());
      if (cond) this.lines.push('endif');
    }
  }

  file(): string {
    if (this.chance(0.1)) {
      this.prefix = '>';
      this.lines.push('.RECIPEPREFIX = >');
    }
    if (this.chance(0.05)) this.lines.push('.POSIX:');
    this.lines.push('TS = global-ts');
    POOL.forEach((_, i) => this.assignment(true, i));
    const blocks = 2 + Math.floor(this.rnd() * 6);
    let oneShellAt = this.chance(0.25) ? Math.floor(this.rnd() * blocks) : -1;
    for (let b = 0; b < blocks; b++) {
      if (b === oneShellAt) {
        this.lines.push('.ONESHELL:');
        oneShellAt = -1;
      }
      if (this.chance(0.5)) this.assignment(false, Math.floor(this.rnd() * POOL.length));
      if (this.chance(0.1)) this.lines.push(this.pick(['vpath %.c src', '-include no-such-file.mk', 'export FOO', '.PHONY: t1']));
      this.rule();
      if (this.chance(0.3)) this.assignment(false, Math.floor(this.rnd() * POOL.length));
    }
    this.lines.push(`.PHONY: ${this.targets.join(' ')}`);
    return this.lines.join('\n') + (this.chance(0.9) ? '\n' : '');
  }
}

describe('Makefile reader agrees with GNU make', () => {
  it(`matches make's -c arguments on ${FILES} random Makefiles (seed ${SEED})`, () => {
    console.log(`makefile differential seed: ${SEED} (set KBX_MAKE_SEED to reproduce)`);
    const rnd = mulberry32(SEED);
    let commands = 0;
    let staticCommands = 0;
    for (let f = 0; f < FILES; f++) {
      const g = new Gen(rnd);
      const text = g.file();
      const res = compare(text, g.targets);
      if (res !== null) {
        if (process.env.KBX_MAKE_DUMP) writeFileSync(process.env.KBX_MAKE_DUMP, text, 'latin1');
        const small = res.startsWith('make failed') ? text : shrink(text, g.targets);
        const detail = compare(small, g.targets) ?? res;
        throw new Error(
          `seed ${SEED}, file ${f}: ${res}\nafter shrinking: ${detail}\n--- minimal failing Makefile (targets ${g.targets.join(' ')}) ---\n${small}\n--- end ---`,
        );
      }
      for (const r of readMakefile(text).regions) {
        commands++;
        if (!r.source.text.includes(DYNAMIC)) staticCommands++;
      }
    }
    console.log(`compared ${commands} commands, ${staticCommands} of them fully static`);
    expect(commands).toBeGreaterThan(FILES * 2);
    // The comparison must mostly be exact, not DYNAMIC wildcards.
    expect(staticCommands).toBeGreaterThan(commands / 3);
  });

  it('matches make on the hand-written fixtures', () => {
    for (const [name, targets] of [
      ['quirks.mk', ['all', 'oneshell-free', 'inline']],
      ['oneshell.mk', ['first', 'second']],
    ] as const) {
      const text = readFileSync(join(__dirname, '../fixtures/makefiles', name), 'latin1');
      const res = compare(text, [...targets]);
      expect(res, name).toBeNull();
    }
  });
});
