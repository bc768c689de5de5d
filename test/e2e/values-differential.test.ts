/**
 * Values through variables, against real bash: random scripts with assignments (plain, `export`,
 * `readonly`, `declare -x`), defaults (`${U:-d}`, `: "${E:=d}"`), arrays (`A=(…)`, `A+=(…)`,
 * `"${A[@]}"`, `${A[@]}`, `"${A[*]}"`), word splitting of unquoted values, assignments under
 * conditions, command words held in variables, wrapper functions forwarding `"$@"` and `bash -c`
 * strings. Every argument kbx-lint's explain reports as static must be exactly what bash hands
 * to the stub `docker`; anything else must be reported as dynamic. Seeded (KBX_VALUES_SEED).
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../server/src/engine/lint';
import { explainFile } from '../../server/src/cli/explain';
import { runScript } from '../harness/stub-docker';
import { mulberry32 } from '../harness/random';

const BASE_SEED = Number(process.env.KBX_VALUES_SEED ?? 8088);

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** Static texts a value may hold: blanks to split on, commas, quotes, flags, nothing at all. */
const TEXTS = ['a', 'b c', 'x,y', '--load', '-t', 'img:1', 'linux/amd64', '', '  lead', 'tail\t', 'k=v', "q'uote", 'd"q', 'two  spaces', '\\back', 'p/q r/s'];

function quote(r: R, t: string): string {
  const style = Math.floor(r() * 3);
  if (style === 0 && /^[A-Za-z0-9_,./:=+-]+$/.test(t)) return t;
  if (style === 1 || !t.includes("'")) return "'" + t.split("'").join("'\\''") + "'";
  return '"' + t.replace(/[\\"$`]/g, (c) => '\\' + c) + '"';
}

interface Gen {
  r: R;
  lines: string[];
  scalars: string[];
  arrays: string[];
  n: number;
  wrappers: string[];
  readonly: Set<string>;
}

/** A word that is part of an assignment's value or of an argument. */
function valuePiece(g: Gen, inDq: boolean): string {
  const r = g.r;
  const s = g.scalars.length ? pick(r, g.scalars) : null;
  const a = g.arrays.length ? pick(r, g.arrays) : null;
  // bash reads a `'` inside `"${X:-…}"` as a quote: not a shape this test is about.
  const lit = inDq
    ? pick(
        r,
        TEXTS.filter((t) => !t.includes("'")),
      )
    : pick(r, TEXTS);
  switch (Math.floor(r() * 8)) {
    case 0:
      return s ? (inDq ? `\${${s}}` : `"$${s}"`) : 'z';
    case 1:
      return `\${U${Math.floor(r() * 3)}:-${inDq ? lit.replace(/[\\"$`]/g, (c) => '\\' + c) : quote(r, lit)}}`;
    case 2:
      return s ? `\${${s}:-zz}` : 'zz';
    case 3:
      return a ? `\${${a}[${Math.floor(r() * 3)}]}` : 'w';
    case 4:
      return s ? `\${${s}:+alt}` : 'alt';
    default:
      return inDq ? lit.replace(/[\\"$`]/g, (c) => '\\' + c) : quote(r, lit);
  }
}

function argWord(g: Gen): string {
  const r = g.r;
  const s = g.scalars.length ? pick(r, g.scalars) : null;
  const a = g.arrays.length ? pick(r, g.arrays) : null;
  switch (Math.floor(r() * 10)) {
    case 0:
      return s ? `"$${s}"` : 'x';
    case 1:
      return s ? `$${s}` : 'y';
    case 2:
      return a ? `"\${${a}[@]}"` : 'z';
    case 3:
      return a ? `\${${a}[@]}` : 'z';
    case 4:
      return a ? `"\${${a}[*]}"` : 'z';
    case 5:
      return `"pre${valuePiece(g, true)}post"`;
    case 6:
      return a && r() < 0.3 ? `"\${#${a}[@]}"` : valuePiece(g, false);
    default:
      return quote(r, pick(r, TEXTS));
  }
}

function assignment(g: Gen): void {
  const r = g.r;
  const kind = Math.floor(r() * 10);
  const name = `S${g.n++}`;
  if (kind <= 4) {
    const prefix = pick(r, ['', '', 'export ', 'readonly ', 'declare -x ', 'typeset ']);
    const value = Array.from({ length: 1 + Math.floor(r() * 3) }, () => valuePiece(g, false)).join('');
    g.lines.push(`${prefix}${name}=${value}`);
    g.scalars.push(name);
    if (prefix === 'readonly ') g.readonly.add(name);
  } else if (kind <= 6) {
    const arr = `A${g.n++}`;
    const words = Array.from({ length: Math.floor(r() * 4) }, () => argWord(g).replace(/"\$\{#[A-Z0-9]+\[@\]\}"/, 'n'));
    g.lines.push(`${r() < 0.2 ? 'declare -a ' : ''}${arr}=(${words.join(' ')})`);
    g.arrays.push(arr);
  } else if (kind === 7 && g.arrays.length) {
    const arr = pick(r, g.arrays);
    g.lines.push(`${arr}+=(${argWord(g).replace(/"\$\{#[A-Z0-9]+\[@\]\}"/, 'n')} ${quote(r, pick(r, TEXTS))})`);
  } else if (kind === 8) {
    g.lines.push(
      r() < 0.5
        ? `: "\${${name}:=${pick(
            r,
            TEXTS.filter((t) => !t.includes("'")),
          ).replace(/[\\"$`}]/g, (c) => '\\' + c)}}"`
        : `${name}=\${U1-${quote(r, pick(r, TEXTS))}}`,
    );
    g.scalars.push(name);
  } else if (g.scalars.some((x) => !g.readonly.has(x))) {
    // Assigned under a condition bash decides at run time: kbx-lint must call it dynamic.
    const s = pick(
      r,
      g.scalars.filter((x) => !g.readonly.has(x)),
    );
    g.lines.push(
      pick(r, [
        `if [ -n "$U0" ]; then ${s}=${quote(r, pick(r, TEXTS))}; fi`,
        `[ -z "$U1" ] && ${s}=${quote(r, pick(r, TEXTS))}`,
        `case "$U2" in x) ${s}=same ;; *) ${s}=same ;; esac`,
        `for i in 1 2; do ${s}=${quote(r, pick(r, TEXTS))}$i; done`,
        `(${s}=sub)`,
        `echo "$(${s}=inner)" >/dev/null`,
      ]),
    );
  }
}

function invocation(g: Gen): void {
  const r = g.r;
  const args = Array.from({ length: Math.floor(r() * 5) }, () => argWord(g)).join(' ');
  switch (Math.floor(r() * 6)) {
    case 0:
      g.lines.push(`$DB build ${args} .`);
      break;
    case 1:
      g.lines.push(`\${U2:-docker} buildx build ${args} .`);
      break;
    case 2: {
      const w = `w${g.n++}`;
      g.lines.push(pick(r, [`${w}() { docker buildx "$@"; }`, `${w}() { (set +x; $BX "$@") }`, `${w}() { local first="$1"; shift; docker buildx build "$first" "$@"; }`]));
      g.lines.push(`${w} build ${args} .`);
      if (r() < 0.5) g.lines.push(`${w} build ${Array.from({ length: 2 }, () => argWord(g)).join(' ')}`);
      break;
    }
    case 3: {
      const inner = `docker buildx build ${Array.from({ length: 1 + Math.floor(r() * 3) }, () => quote(r, pick(r, TEXTS))).join(' ')} .`;
      g.lines.push(`bash -c ${"'" + inner.split("'").join("'\\''") + "'"}`);
      break;
    }
    default:
      g.lines.push(`docker buildx build ${args} .`);
  }
}

function script(seed: number, size: number): string {
  const g: Gen = { r: mulberry32(seed), lines: ['DB="docker buildx"', ': "${BX=docker buildx}"'], scalars: [], arrays: [], n: 0, wrappers: [], readonly: new Set() };
  for (let i = 0; i < size; i++) {
    if (g.r() < 0.55) assignment(g);
    else invocation(g);
  }
  return g.lines.join('\n') + '\n';
}

interface Outcome {
  failure: string | null;
  invocations: number;
  fullyStatic: number;
}

function compare(text: string): Outcome {
  const model = buildModel({ text, fileName: 'gen.sh' });
  const ours = explainFile('gen.sh', model);
  const real = runScript(text).calls;
  const out: Outcome = { failure: null, invocations: ours.length, fullyStatic: 0 };
  if (ours.length !== real.length) {
    out.failure = `invocation count ${ours.length} != ${real.length}`;
    return out;
  }
  for (let i = 0; i < ours.length; i++) {
    const argv = ours[i].argv;
    const inv = model.invocations[i];
    let k = 0;
    for (; k < argv.length; k++) {
      if (argv[k] === null || inv.argv[k].mayVary) break;
      if (argv[k] !== real[i][k]) {
        out.failure = `invocation ${i} (line ${ours[i].line}) argv[${k}] ${JSON.stringify(argv[k])} != ${JSON.stringify(real[i][k])}; bash: ${JSON.stringify(real[i])}`;
        return out;
      }
    }
    if (k === argv.length) {
      if (argv.length !== real[i].length) {
        out.failure = `invocation ${i} (line ${ours[i].line}) has ${argv.length} static arguments, bash passed ${real[i].length}: ${JSON.stringify(real[i])}`;
        return out;
      }
      out.fullyStatic++;
    }
  }
  return out;
}

/** shrink drops lines while the script still fails (keeping the two set-up lines). */
function shrink(text: string): string {
  let lines = text.trimEnd().split('\n');
  for (let size = Math.ceil(lines.length / 2); size >= 1; size = Math.floor(size / 2)) {
    for (let i = 2; i < lines.length; ) {
      const next = [...lines.slice(0, i), ...lines.slice(i + size)];
      if (compare(next.join('\n') + '\n').failure) lines = next;
      else i += size;
    }
  }
  return lines.join('\n') + '\n';
}

describe('values through variables agree with bash', () => {
  for (const seed of [BASE_SEED, BASE_SEED + 1, BASE_SEED + 2, BASE_SEED + 3]) {
    it(`seed ${seed}: 60 random lines`, () => {
      const text = script(seed, 60);
      const o = compare(text);
      if (o.failure) expect.fail(`seed ${seed}: ${o.failure}\nminimal input:\n${shrink(text)}`);
      expect(o.invocations).toBeGreaterThan(10);
      // Most invocations must be read through to the end: propagation has to do real work.
      expect(o.fullyStatic / o.invocations).toBeGreaterThan(0.4);
    });
  }

  it('reports run-time values as dynamic, never as a wrong value', () => {
    const text =
      [
        'X=a',
        'if [ -n "$U0" ]; then X=b; fi',
        'docker buildx build "$X" .',
        'Y=c',
        'for i in 1; do Y=d; done',
        'docker buildx build "$Y" .',
        'Z=e',
        '(Z=f)',
        'echo "$(Z=g)" | cat >/dev/null',
        'docker buildx build "$Z" .',
        'f() { W=h; }',
        'W=i',
        'f',
        'docker buildx build "$W" "${#A[@]}" "$RANDOM" .',
      ].join('\n') + '\n';
    const ours = explainFile('d.sh', buildModel({ text, fileName: 'd.sh' })).map((e) => e.argv);
    expect(ours).toEqual([
      ['buildx', 'build', null, '.'],
      ['buildx', 'build', null, '.'],
      ['buildx', 'build', 'e', '.'],
      ['buildx', 'build', null, null, null, '.'],
    ]);
    expect(runScript(text).calls.map((c) => c[2])).toEqual(['a', 'd', 'e', 'h']);
  });
});
