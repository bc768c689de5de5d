/**
 * Differential test of the Makefile reader against real GNU make: random Makefiles (seeded,
 * reproducible), with random conditionals, are run by make with SHELL set to a recorder that
 * only writes down the target (`$@`, in an exported variable) and its `-c` argument. For each
 * target, the regions the reader gives that scope must equal what make ran, byte for byte
 * (DYNAMIC stands for any text); regions from a branch the reader cannot decide may be absent.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DYNAMIC } from '../../server/src/core/mapped-string';
import { readMakefileBranches } from '../../server/src/hosts/makefile';

const MAKE = '/usr/bin/make';
/** One seed when KBX_MAKE_SEED is set (to reproduce a failure), else three fixed ones. */
const SEEDS = process.env.KBX_MAKE_SEED ? [Number(process.env.KBX_MAKE_SEED) >>> 0] : [0x6b62782d, 0x2f0d1c07, 0x51ab3e99];
const FILES = Number(process.env.KBX_MAKE_FILES ?? 150);

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
  // REC_T is `$@` on make's command line: make exports it, expanded for the target being made.
  writeFileSync(recorder, '#!/bin/sh\nprintf %s\\\\0%s\\\\0 "$REC_T" "$2" >> "$REC_OUT"\n');
  chmodSync(recorder, 0o755);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  ok: boolean;
  /** Per target, the commands make ran for it, in order. */
  commands: Map<string, string[]>;
  stderr: string;
}

function runMake(makefile: string, targets: string[]): Run {
  const mk = join(dir, 'Makefile.gen');
  const rec = join(dir, 'out.rec');
  writeFileSync(mk, makefile, 'latin1');
  writeFileSync(rec, '');
  const r = spawnSync(MAKE, ['-s', '-r', '-f', mk, `SHELL=${recorder}`, 'REC_T=$@', ...targets], {
    cwd: dir,
    env: { PATH: '/usr/bin:/bin', REC_OUT: rec },
    encoding: 'latin1',
    timeout: 20_000,
  });
  const fields = readFileSync(rec, 'latin1').split('\0');
  fields.pop();
  const commands = new Map<string, string[]>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const list = commands.get(fields[i]) ?? [];
    list.push(fields[i + 1]);
    commands.set(fields[i], list);
  }
  return { ok: r.status === 0, commands, stderr: r.stderr ?? String(r.error) };
}

function evenBackslashesBefore(s: string, at: number): boolean {
  let n = 0;
  while (at - 1 - n >= 0 && s[at - 1 - n] === '\\') n++;
  return n % 2 === 0;
}

function matches(region: string, actual: string): boolean {
  if (!region.includes(DYNAMIC)) return region === actual;
  const esc = (c: string): string => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const prefixOrDynamic = (c: string | undefined): boolean => c === DYNAMIC || c === ' ' || c === '\t' || c === '@' || c === '+' || c === '-';
  let re = '';
  for (let i = 0; i < region.length; ) {
    // At the start of the command, or of a line of a ONESHELL script (a newline without a
    // backslash before it), expansions that come out empty let make strip the prefixes after them.
    if (i === 0 || (region[i - 1] === '\n' && evenBackslashesBefore(region, i - 1))) {
      let j = i;
      while (prefixOrDynamic(region[j])) j++;
      if (region.slice(i, j).includes(DYNAMIC)) {
        re += '[\\s\\S]*';
        i = j;
        continue;
      }
    }
    if (i > 0 && region[i - 1] === '\n' && region[i] === DYNAMIC) {
      // make drops the recipe prefix after a backslash-newline once the line is expanded: after an
      // expansion that comes out empty, the tab that followed it goes too.
      let j = i;
      while (region[j] === DYNAMIC) j++;
      if (region[j] === '\t' || region[j] === '>') j++;
      re += '[\\s\\S]*';
      i = j;
      continue;
    }
    if (i > 0 && region[i - 1] === '\n') {
      // Backslashes before the newline that follow a DYNAMIC: the value may end in a backslash,
      // which flips whether the newline is escaped, and so whether make strips the prefixes after it.
      let k = i - 2;
      while (k >= 0 && region[k] === '\\') k--;
      if (k >= 0 && region[k] === DYNAMIC) {
        let j = i;
        while (region[j] === ' ' || region[j] === '\t' || region[j] === '@' || region[j] === '+' || region[j] === '-') j++;
        re += '[ \\t@+-]*';
        if (j > i) {
          i = j;
          continue;
        }
      }
    }
    re += region[i] === DYNAMIC ? '[\\s\\S]*' : esc(region[i]);
    i++;
  }
  return new RegExp(`^${re}$`).test(actual);
}

interface Read {
  text: string;
  maybe: boolean;
}

/**
 * aligns tells whether make's commands are the reader's regions with some of the regions from
 * undecided branches left out (a small dynamic programme: the lists are short).
 */
function aligns(got: Read[], want: string[]): boolean {
  // ok[j] after step i: the first i regions can produce the first j commands.
  let ok = want.map((_, j) => j === 0).concat([want.length === 0]);
  for (const g of got) {
    const next = ok.map(() => false);
    for (let j = 0; j <= want.length; j++) {
      if (!ok[j]) continue;
      // A region that is only expansions may come out empty, and make then runs nothing.
      if (g.maybe || /^[\uE000\s@+:-]*$/.test(g.text)) next[j] = true;
      if (j < want.length && matches(g.text, want[j])) next[j + 1] = true;
    }
    ok = next;
  }
  return ok[want.length];
}

/**
 * compare returns null when the reader agrees with make, else a description. With `strict`,
 * every region must belong to a target make was asked to run.
 */
function compare(makefile: string, targets: string[], strict = true): string | null {
  const run = runMake(makefile, targets);
  if (!run.ok) return `make failed: ${run.stderr}`;
  const read = readMakefileBranches(makefile);
  const byScope = new Map<string, Read[]>();
  read.regions.forEach((r, i) => {
    const list = byScope.get(r.scope ?? '') ?? [];
    list.push({ text: r.source.text, maybe: read.maybe[i] });
    byScope.set(r.scope ?? '', list);
  });
  const names = new Set([...targets, ...run.commands.keys()]);
  for (const t of names) {
    const got = byScope.get(`make:${t}`) ?? [];
    const want = run.commands.get(t) ?? [];
    if (!aligns(got, want)) {
      const show = got.map((g) => (g.maybe ? '(maybe) ' : '') + g.text.replaceAll(DYNAMIC, '<DYNAMIC>'));
      return `target ${t}: reader ${JSON.stringify(show)}, make ${JSON.stringify(want)}`;
    }
  }
  if (strict) {
    for (const scope of byScope.keys()) {
      if (!names.has(scope.replace(/^make:/, ''))) return `regions with scope ${JSON.stringify(scope)}, which make never ran`;
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
/** Variables for ifdef/ifeq: literal values only (no cycles), undefined until assigned. */
const FLAGS = ['F1', 'F2', 'F3'];
/** Condition arguments make can compute but the reader cannot (functions, make's own values). */
const UNKNOWN_ARGS = ['$(wildcard no-such-file*)', '$(strip  a )', '$(firstword $(F1) x)', '$(filter t1,$(MAKECMDGOALS))', '$(if $(F2),on)', '$(MAKECMDGOALS)', '$(words $(F1))'];

class Gen {
  readonly lines: string[] = [];
  readonly targets: string[] = [];
  private flavor: Array<'r' | 's' | null> = POOL.map(() => null);
  private prefix = '\t';
  /** Nesting of the conditionals being generated. */
  private condDepth = 0;
  private oneShell = false;
  /** Targets whose rule sits in a conditional: declared at the end so `make tN` always works. */
  private declared: string[] = [];

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
        const cands = POOL.map((_, j) => j).filter((j) => (recursive ? j > i : anySimple ? this.flavor[j] !== null : this.flavor[j] === 's'));
        if (cands.length) {
          parts.push(this.ref(this.pick(cands)));
          continue;
        }
      }
      parts.push(this.pick(['foo', 'o', 'a b', '--opt=1', "'q x'", '"dq"', ',', '=', ':', '$$x', '$$(pwd)', '\\#h', 'x\\y', 'tab\there', '-', '@', 'a.o b.o', '%', ';', 'lo\\\\#']));
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
    // Inside a conditional the other branch may keep it recursive: recursive it stays, for safety.
    if (op === ':=' && this.condDepth === 0) this.flavor[i] = 's';
  }

  flagAssignment(): void {
    const name = this.pick(FLAGS);
    if (this.chance(0.08)) {
      this.lines.push(`undefine ${name}`);
      return;
    }
    const op = this.pick(['=', ':=', '?=', '+=', '::=']);
    const v = this.pick(['', 'on', 'yes', 'a b', 'on  ', '$(NOT_SET)', ' # c', 'x,y']);
    this.lines.push(`${name}${this.pick([' ', '', '\t'])}${op}${this.pick([' ', '', '  '])}${v}`);
  }

  /** condArg is one side of an ifeq: literals, references, and (when allowed) unknowable text. */
  condArg(unknownOk: boolean | 'literal'): string {
    const r = this.rnd();
    if (unknownOk === 'literal') return this.pick(['', 'a', 'on', 'a b', '$$x']);
    if (unknownOk && r < 0.12) return this.pick(UNKNOWN_ARGS);
    if (r < 0.35) return `$(${this.pick(FLAGS)})`;
    if (r < 0.5) return this.ref(Math.floor(this.rnd() * POOL.length));
    if (r < 0.55) return `$(${this.pick(FLAGS)})$(${this.pick(FLAGS)})`;
    return this.pick(['', 'a', 'on', 'yes', 'a b', 'foo', 'on ', '$$x', 'xy']);
  }

  condition(word: string, unknownOk: boolean | 'literal'): string {
    if (word === 'ifdef' || word === 'ifndef') {
      // NOT_SET is never assigned: it can only come from the environment, so the reader cannot
      // decide on it; EMPTY is assigned an empty value, which it can.
      const names = unknownOk === 'literal' ? ['EMPTY', 'TS'] : [...FLAGS, ...FLAGS, ...POOL, 'NOT_SET', 'EMPTY', 'TS'];
      if (unknownOk === true) names.push('CC', 'MAKEFLAGS', '$(firstword F1 F2)');
      return this.pick(names) + this.pick(['', '', ' ', '\t']);
    }
    const a = this.condArg(unknownOk);
    const b = this.condArg(unknownOk);
    const ws = (): string => this.pick(['', '', ' ', '  ', '\t']);
    switch (Math.floor(this.rnd() * 5)) {
      case 0:
        return `(${a},${b})`;
      case 1:
        return `(${ws()}${a}${ws()},${ws()}${b}${ws()})`;
      case 2:
        return `"${a}"${ws()} "${b}"`;
      case 3:
        return `'${a}' '${b}'`;
      default:
        return this.chance(0.5) ? `"${a}" '${b}'` : `'${a}'${ws()}\t"${b}"`;
    }
  }

  /**
   * conditional writes `if… / [else if…]* / [else] / endif` around bodies from `body`; the
   * condition may be one the reader cannot decide when `unknownOk`, and is a comparison of
   * literals (always decided) with 'literal'.
   */
  conditional(body: () => void, unknownOk: boolean | 'literal'): void {
    this.condDepth++;
    const indent = this.pick(['', '', ' ', '  ']);
    const ws = (): string => this.pick([' ', ' ', '  ', '\t']);
    const kw = (): string => this.pick(['ifeq', 'ifneq', 'ifdef', 'ifndef']);
    const first = kw();
    this.lines.push(`${indent}${first}${ws()}${this.condition(first, unknownOk)}${this.chance(0.1) ? ' # why' : ''}`);
    body();
    const elses = this.chance(0.35) ? 1 + Math.floor(this.rnd() * 3) : 0;
    for (let k = 0; k < elses; k++) {
      const w = kw();
      this.lines.push(`${indent}else${ws()}${w}${ws()}${this.condition(w, unknownOk)}`);
      body();
    }
    if (this.chance(0.5)) {
      this.lines.push(`${indent}else${this.chance(0.1) ? ' # otherwise' : ''}`);
      body();
    }
    this.lines.push(`${indent}endif${this.chance(0.1) ? '  # end' : ''}`);
    this.condDepth--;
  }

  /** topLevel writes what may sit between rules: assignments, rules, nested conditionals. */
  topLevel(): void {
    const n = Math.floor(this.rnd() * 3);
    for (let k = 0; k < n; k++) {
      const r = this.rnd();
      if (r < 0.35) this.flagAssignment();
      else if (r < 0.6) this.assignment(false, Math.floor(this.rnd() * POOL.length));
      else if (r < 0.85 || this.condDepth >= 3) this.rule(false);
      else this.conditional(() => this.topLevel(), true);
    }
  }

  /** recipeLines writes recipe lines, some of them inside conditionals. */
  recipeLines(n: number): void {
    for (let k = 0; k < n; k++) {
      if (this.condDepth < 3 && this.chance(0.2)) {
        // Under .ONESHELL a rule is one region: an undecided branch inside it cannot be told apart,
        // so there the conditions are literal (a variable may have been left unknown).
        this.conditional(() => this.recipeLines(Math.floor(this.rnd() * 3)), this.oneShell ? 'literal' : true);
        continue;
      }
      this.lines.push(this.prefix + this.recipeLine());
    }
  }

  recipeLine(): string {
    const words: string[] = [];
    const n = 1 + Math.floor(this.rnd() * 6);
    for (let k = 0; k < n; k++) {
      const r = this.rnd();
      if (r < 0.05) words.push(`$(${this.pick(FLAGS)})`);
      else if (r < 0.3) words.push(this.ref(Math.floor(this.rnd() * POOL.length)));
      else if (r < 0.33) words.push(this.pick(['$@', '$(@F)', '$(subst a,b,xax)', '$(TS)']));
      else
        words.push(
          this.pick([
            'echo',
            'docker',
            'buildx',
            'create',
            '--driver-opt=a=b,c=d',
            "'single q'",
            '"double q"',
            '$$HOME',
            '$${x}',
            '$$(date)',
            '$$(echo a \\\n\t b)',
            '#',
            '# c',
            ';',
            '&&',
            '|',
            '=',
            ',',
            ':',
            '\\\\',
            '%',
            '\\#',
            '"a \\\n\tb"',
            "'a \\\n b'",
            'x=1',
            '$$$$',
            '@',
            '-',
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

  rule(allowDouble = true): void {
    const name = `t${this.targets.length + 1}`;
    this.targets.push(name);
    if (this.condDepth > 0) this.declared.push(name);
    const colon = allowDouble && this.condDepth === 0 && this.chance(0.15) ? '::' : ':';
    let head = `${name}${colon}`;
    // Prerequisites (normal and order-only) on earlier targets: make runs those first, once.
    if (this.targets.length > 1 && this.chance(0.25)) head += ` t${1 + Math.floor(this.rnd() * (this.targets.length - 1))}`;
    if (this.targets.length > 1 && this.chance(0.1)) head += ` | t${1 + Math.floor(this.rnd() * (this.targets.length - 1))}`;
    if (this.chance(0.1)) this.lines.push(`${name}: TS = target-${name}`);
    if (this.chance(0.2)) head += ` ;${this.recipeLine()}`;
    else if (this.chance(0.1)) head += ' # just a comment';
    this.lines.push(head);
    const n = Math.floor(this.rnd() * 5);
    for (let k = 0; k < n; k++) {
      if (this.chance(0.1)) this.lines.push(this.pick(['', '# comment inside recipe', '   ']));
      if (this.chance(0.05)) this.lines.push(this.prefix);
      this.recipeLines(1);
    }
  }

  file(): string {
    if (this.chance(0.1)) {
      this.prefix = '>';
      this.lines.push('.RECIPEPREFIX = >');
    }
    if (this.chance(0.05)) this.lines.push('.POSIX:');
    this.lines.push('TS = global-ts');
    this.lines.push('EMPTY =');
    POOL.forEach((_, i) => this.assignment(true, i));
    const blocks = 2 + Math.floor(this.rnd() * 6);
    let oneShellAt = this.chance(0.25) ? Math.floor(this.rnd() * blocks) : -1;
    this.oneShell = oneShellAt >= 0;
    for (let b = 0; b < blocks; b++) {
      if (this.chance(0.3)) this.flagAssignment();
      if (this.chance(0.4)) this.conditional(() => this.topLevel(), true);
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
    if (this.declared.length) this.lines.push(`${this.declared.join(' ')}:`);
    return this.lines.join('\n') + (this.chance(0.9) ? '\n' : '');
  }
}

describe('Makefile reader agrees with GNU make', () => {
  it.each(SEEDS)(`matches make's commands per target on ${FILES} random Makefiles with conditionals (seed %i)`, (SEED) => {
    console.log(`makefile differential seed: ${SEED} (set KBX_MAKE_SEED to reproduce)`);
    const rnd = mulberry32(SEED);
    let commands = 0;
    let staticCommands = 0;
    let maybeCommands = 0;
    let directives = 0;
    for (let f = 0; f < FILES; f++) {
      const g = new Gen(rnd);
      const text = g.file();
      const res = compare(text, g.targets);
      if (res !== null) {
        if (process.env.KBX_MAKE_DUMP) writeFileSync(process.env.KBX_MAKE_DUMP, text, 'latin1');
        const small = res.startsWith('make failed') ? text : shrink(text, g.targets);
        const detail = compare(small, g.targets) ?? res;
        throw new Error(`seed ${SEED}, file ${f}: ${res}\nafter shrinking: ${detail}\n--- minimal failing Makefile (targets ${g.targets.join(' ')}) ---\n${small}\n--- end ---`);
      }
      const read = readMakefileBranches(text);
      read.regions.forEach((r, i) => {
        commands++;
        if (read.maybe[i]) maybeCommands++;
        else if (!r.source.text.includes(DYNAMIC)) staticCommands++;
      });
      directives += text.split('\n').filter((l) => /^\s*(ifn?eq|ifn?def)\b/.test(l)).length;
    }
    console.log(`compared ${commands} commands (${staticCommands} fully static, ${maybeCommands} from undecided branches); ${directives} conditionals`);
    expect(commands).toBeGreaterThan(FILES * 2);
    expect(directives).toBeGreaterThan(FILES);
    // The comparison must mostly be exact: decided branches, no DYNAMIC wildcards.
    expect(staticCommands).toBeGreaterThan(commands / 3);
    expect(maybeCommands).toBeLessThan(commands / 4);
  });

  it('matches make on the hand-written fixtures', () => {
    for (const [name, targets] of [
      ['quirks.mk', ['all', 'oneshell-free', 'inline']],
      ['oneshell.mk', ['first', 'second']],
    ] as const) {
      const text = readFileSync(join(__dirname, '../fixtures/makefiles', name), 'latin1');
      const res = compare(text, [...targets], false);
      expect(res, name).toBeNull();
    }
  });
});
