/**
 * Hostile constructs shared by the growth fuzzers (the pipeline in growth-fuzz.test.ts, the
 * language server's handlers in lsp-growth.test.ts): each builds a file of about `size`
 * characters that stresses one layer (long words, deep nesting, many commas, quotes and
 * parentheses, many commands and Makefile targets, doubling Makefile variables), from a seed.
 */
import { genLine, mulberry32, Rng } from './fuzz-lib';

export interface Input {
  text: string;
  fileName: string;
}
export type Construct = (r: Rng, size: number) => Input;

const SAFE = 'abcdefghijklmnopqrstuvwxyz0123456789=/:._-';
function chars(r: Rng, n: number): string {
  let s = '';
  while (s.length < n) s += SAFE[r.int(SAFE.length)];
  return s;
}
export function repeatTo(size: number, unit: (i: number) => string): string {
  const out: string[] = [];
  let len = 0;
  for (let i = 0; len < size; i++) {
    const u = unit(i);
    out.push(u);
    len += u.length;
  }
  return out.join('');
}

/** Each construct grows with `size` (about that many characters). */
export const CONSTRUCTS: Record<string, Construct> = {
  'long word': (r, n) => ({ text: `docker buildx build -t ${chars(r, n)} --platform linux/x86_64 .\n`, fileName: 'x.sh' }),
  'long quoted word over lines': (r, n) => ({
    text: `docker buildx create --driver kubernetes --driver-opt "${repeatTo(n, (i) => `k${i}=${chars(r, 3)},${i % 20 === 19 ? '\n' : ''}`)}"\n`,
    fileName: 'x.sh',
  }),
  'many commas': (_r, n) => ({ text: `docker buildx create --driver kubernetes --driver-opt namespace=ci${','.repeat(n)}replicas=1\n`, fileName: 'x.sh' }),
  'many quotes': (_r, n) => ({ text: `docker buildx create --driver kubernetes --driver-opt ${repeatTo(n, (i) => (i % 2 ? `"a${i}=""x"""` : `'b${i}=y,'`))}\n`, fileName: 'x.sh' }),
  'many parentheses': (_r, n) => ({ text: `docker buildx build . ${')'.repeat(n)}\n`, fileName: 'x.sh' }),
  'deep substitutions': (_r, n) => {
    const d = Math.max(1, n >> 5);
    return { text: `docker buildx build --build-arg X=${'"$('.repeat(d)}echo x${')"'.repeat(d)} --platform linux/x86_64 .\n`, fileName: 'x.sh' };
  },
  'deep subshells': (_r, n) => {
    const d = Math.max(1, n >> 4);
    return { text: `${'( '.repeat(d)}docker buildx build --platform linux/x86_64 .${' )'.repeat(d)}\n`, fileName: 'x.sh' };
  },
  'many commands': (r, n) => ({ text: repeatTo(n, () => genLine(r, false) + '\n'), fileName: 'x.sh' }),
  'many targets': (r, n) => ({ text: repeatTo(n, (i) => `t${i}: t${Math.max(0, i - 1)}\n\t${genLine(r, true)}\n`), fileName: 'Makefile' }),
  'doubling variables': (_r, n) => {
    // 24 levels: far past the expansion limit; the recipes use small levels, and one the largest.
    let t = 'A0 := x,\n';
    for (let i = 0; i < 24; i++) t += `A${i + 1} = $(A${i})$(A${i})\n`;
    return {
      text: `${t}${repeatTo(n, (i) => `t${i}:\n\tdocker buildx build --build-arg X=$(A${i % 6}) --platform linux/amd64 .\n`)}all:\n\tdocker buildx build --platform $(A24) .\n`,
      fileName: 'Makefile',
    };
  },
};

/** mixed picks constructs by the seed and joins them (as one script or one Makefile). */
export function mixed(r: Rng, n: number): Input {
  const make = r.chance(0.5);
  const names = Object.keys(CONSTRUCTS).filter((k) => (CONSTRUCTS[k](new Rng(mulberry32(1)), 10).fileName === 'Makefile') === make);
  const parts: string[] = [];
  for (let k = 0; k < 4; k++) parts.push(CONSTRUCTS[r.pick(names)](r, n >> 2).text);
  return { text: make ? parts.join('\n') : parts.join('\n'), fileName: make ? 'Makefile' : 'x.sh' };
}

/**
 * The shapes of issue 14's rows (bench/hostile.mjs), scaled to `size`: many flags or commands on
 * one builder, long driver-option lists, a CI YAML `run:` block, Makefile chains that create.
 */
export const ISSUE_ROWS: Record<string, Construct> = {
  'many --driver-opt flags': (_r, n) => ({
    text: `docker buildx create --driver kubernetes \\\n${repeatTo(n, (i) => `  --driver-opt nodeselector=k${i}=v,x${i}=y \\\n`)}  --name b\n`,
    fileName: 'x.sh',
  }),
  'appends to one builder': (_r, n) => ({ text: repeatTo(n, (i) => `docker buildx create --append --name same --node n${i} --platform linux/amd64\n`), fileName: 'x.sh' }),
  tolerations: (_r, n) => ({
    text: `docker buildx create --driver kubernetes --driver-opt '"tolerations=${repeatTo(n, (i) => `key=k${i},operator=Equal,value=v,effect=NoSchedule;`)}"'\n`,
    fileName: 'x.sh',
  }),
  'platform list': (_r, n) => ({ text: `docker buildx build --platform ${repeatTo(n, (i) => (i % 2 ? 'linux/arm64,' : `linux/amd64/v${i},`))}linux/amd64 .\n`, fileName: 'x.sh' }),
  'split nodeselector': (_r, n) => ({ text: `docker buildx create --driver kubernetes --driver-opt nodeselector=${repeatTo(n, (i) => `k${i}=v,`)}k=v\n`, fileName: 'x.sh' }),
  'YAML run: block': (_r, n) => ({
    text: `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: |\n          docker buildx create --driver kubernetes --driver-opt "\n${repeatTo(n, () => `          ${'a=1,'.repeat(20)}\n`)}          "\n      - run: docker buildx build --platform linux/x86_64 .\n`,
    fileName: '.github/workflows/ci.yml',
  }),
  'Makefile chain that creates builders': (_r, n) => ({
    text: repeatTo(n, (i) => `t${i}: t${Math.max(0, i - 1)}\n\tdocker buildx create --name b${i} --platform linux/amd64\n\tdocker buildx build --builder b${i} --platform linux/x86_64 .\n`),
    fileName: 'Makefile',
  }),
};
