/** mulberry32: the small seeded PRNG every generated test uses, so a printed seed reproduces a run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Mutation fuzzing from real-looking seeds. Each operator takes a text and returns a mutant; the
 * operators cut and copy whole lines and byte ranges and insert the tokens each host's reader
 * treats specially (quotes, `\`, `$(`, `${`, `{{`, here-documents, tabs, CR, NUL, text decoded
 * from invalid UTF-8, unmatched brackets, YAML indicators, fence markers), or repeat one line many
 * times. All choices come from the seeded `rnd`, so a printed seed reproduces the mutant.
 */
export type Random = () => number;

const int = (rnd: Random, n: number) => Math.floor(rnd() * n);
const pick = <T>(rnd: Random, xs: readonly T[]): T => xs[int(rnd, xs.length)];

/** What `TextDecoder` makes of bytes that are not UTF-8, as a reader of the file sees them. */
const INVALID_UTF8 = [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x80, 0x80]].map((b) => new TextDecoder().decode(new Uint8Array(b)));

/** Tokens the readers treat specially, by family. */
export const MUTATION_TOKENS: Record<string, readonly string[]> = {
  quotes: ["'", '"', '`', "$'", '$"', '\\', '\\\n', '\\\r\n'],
  expansions: ['$(', '${', '$((', '$(VAR)', '${VAR:-', '$@', '"$@"', '$(shell ', '$(call f,', '$(eval ', '$$', '$$('],
  templates: ['{{', '}}', '${{', '${{ matrix.', '}} ', '${{ inputs.x }}', '<%', '%>'],
  heredocs: ['<<', '<<EOF\n', '<<-EOF\n', "<<'EOF'\n", '\nEOF\n', '<<<', '<<E\n$(docker buildx ls)\n'],
  control: ['\t', '\r', '\r\n', '\0', '\v', '\f', '\x1b[31m', '\uFEFF', '\u2028', '\u0085', '\uD800', '\uDFFF', ...INVALID_UTF8],
  brackets: ['(', ')', '[', ']', '{', '}', '((', '))', '[[', ']]', '{a,b}', '{1..9}', '(( ', ' )'],
  yaml: [
    '&a ',
    '*a',
    '<<: ',
    '<<: *a\n',
    '!reference [',
    '!reference [.a, script]',
    '? ',
    '- ',
    ': ',
    '|',
    '|-\n',
    '>-\n',
    '---\n',
    '...\n',
    '%YAML 1.2\n',
    '!!binary ',
    '!!str ',
    '#',
    '{',
    '}',
    '[',
    ']',
    ',',
    ': |\n  ',
    'extends: .a\n',
    'include: x.yml\n',
  ],
  markdown: ['```', '```sh\n', '````console\n$ ', '~~~\n', '~~~bash\n', '```\n', '> ', '- ', '    ', '<div>\n', '</div>\n', '<!-- ', ' -->', '$ ', '# ', '{', '}'],
  make: ['\n\t', 'define X\n', 'endef\n', 'ifeq (a,b)\n', 'ifdef X\n', 'else\n', 'endif\n', '.PHONY: all\n', 'all:\n\t', 'X := ', 'X += $(X)\n', ':: ', '|', '%:', '$(foreach a,b c,$(a))'],
  buildx: [
    ' docker buildx build . ',
    ' docker buildx create --driver kubernetes --driver-opt ',
    ',',
    '=',
    ';',
    ' --platform ',
    'linux/x86_64,',
    ' --append ',
    ' --name x ',
    ' --push false ',
    ' -t ',
    'nodeselector=a=b,c=d',
    '"tolerations=key=a,operator=exists"',
  ],
};
const ALL_TOKENS = Object.values(MUTATION_TOKENS).flat();

/** The line starts of `text` (offsets of each line's first character). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** A random line as [start, end) with its newline, or the whole text when it has one line. */
function randomLine(rnd: Random, text: string): [number, number] {
  const starts = lineStarts(text);
  const i = int(rnd, starts.length);
  return [starts[i], i + 1 < starts.length ? starts[i + 1] : text.length];
}

/** A run of 1–4 whole lines. */
function randomLines(rnd: Random, text: string): [number, number] {
  const starts = lineStarts(text);
  const i = int(rnd, starts.length);
  const j = Math.min(starts.length, i + 1 + int(rnd, 4));
  return [starts[i], j < starts.length ? starts[j] : text.length];
}

function randomRange(rnd: Random, text: string): [number, number] {
  const a = int(rnd, text.length + 1);
  return [a, Math.min(text.length, a + 1 + int(rnd, rnd() < 0.8 ? 24 : 400))];
}

function swap(text: string, x: [number, number], y: [number, number]): string {
  const [p, q] = x[0] <= y[0] ? [x, y] : [y, x];
  if (p[1] > q[0]) return text;
  return text.slice(0, p[0]) + text.slice(q[0], q[1]) + text.slice(p[1], q[0]) + text.slice(p[0], p[1]) + text.slice(q[1]);
}

export interface MutationOptions {
  /** How many times the "deep repetition" operator may repeat one line (it also stays under maxLength). */
  maxRepeat?: number;
  /** Mutants are cut back to this many characters. */
  maxLength?: number;
}

/** The operators by name: each a mutation of the text (returned unchanged when it does not apply). */
export const MUTATIONS: Record<string, (rnd: Random, text: string, o: Required<MutationOptions>) => string> = {
  'delete lines': (rnd, t) => {
    const [a, b] = randomLines(rnd, t);
    return t.slice(0, a) + t.slice(b);
  },
  'duplicate lines': (rnd, t) => {
    const [a, b] = randomLines(rnd, t);
    return t.slice(0, b) + t.slice(a, b) + t.slice(b);
  },
  'swap lines': (rnd, t) => swap(t, randomLines(rnd, t), randomLines(rnd, t)),
  'delete bytes': (rnd, t) => {
    const [a, b] = randomRange(rnd, t);
    return t.slice(0, a) + t.slice(b);
  },
  'duplicate bytes': (rnd, t) => {
    const [a, b] = randomRange(rnd, t);
    return t.slice(0, b) + t.slice(a, b) + t.slice(b);
  },
  'swap bytes': (rnd, t) => swap(t, randomRange(rnd, t), randomRange(rnd, t)),
  'insert token': (rnd, t) => {
    const at = int(rnd, t.length + 1);
    const family = pick(rnd, Object.keys(MUTATION_TOKENS));
    return t.slice(0, at) + pick(rnd, MUTATION_TOKENS[family]) + t.slice(at);
  },
  'insert tokens at a line start': (rnd, t) => {
    const [a] = randomLine(rnd, t);
    let s = '';
    for (let n = 1 + int(rnd, 3); n > 0; n--) s += pick(rnd, ALL_TOKENS);
    return t.slice(0, a) + s + t.slice(a);
  },
  'replace a character': (rnd, t) => {
    const at = int(rnd, t.length);
    return t.slice(0, at) + pick(rnd, ['\0', '\t', '\r', '\\', '$', '"', "'", '`', '{', '}', '(', ')', ':', '-', '#', ...INVALID_UTF8]) + t.slice(at + 1);
  },
  'indent or dedent a line': (rnd, t) => {
    const [a, b] = randomLine(rnd, t);
    const line = t.slice(a, b);
    const changed = rnd() < 0.5 ? pick(rnd, ['  ', '\t', '    ', ' ']) + line : line.replace(/^[ \t]{1,2}/, '');
    return t.slice(0, a) + changed + t.slice(b);
  },
  'line endings to CRLF': (rnd, t) => (rnd() < 0.5 ? t.replace(/\n/g, '\r\n') : t.replace(/\n/g, '\r')),
  truncate: (rnd, t) => t.slice(0, int(rnd, t.length + 1)),
  'deep repetition of a line': (rnd, t, o) => {
    const [a, b] = randomLine(rnd, t);
    const line = t.slice(a, b) || 'docker buildx build .\n';
    const unit = line.endsWith('\n') ? line : `${line}\n`;
    const times = Math.max(1, Math.min(o.maxRepeat, Math.floor((o.maxLength - t.length) / unit.length)));
    return t.slice(0, a) + unit.repeat(1 + int(rnd, times)) + t.slice(b);
  },
};
const MUTATION_NAMES = Object.keys(MUTATIONS);

/** mutateText applies 1–4 random operators to `text`; `applied` names them, for the report. */
export function mutateText(rnd: Random, text: string, options: MutationOptions = {}): { text: string; applied: string[] } {
  const o: Required<MutationOptions> = { maxRepeat: options.maxRepeat ?? 200, maxLength: options.maxLength ?? 40_000 };
  let t = text;
  const applied: string[] = [];
  for (let n = 1 + int(rnd, rnd() < 0.6 ? 2 : 4); n > 0; n--) {
    const name = pick(rnd, MUTATION_NAMES);
    t = MUTATIONS[name](rnd, t, o);
    applied.push(name);
  }
  return { text: t.length > o.maxLength ? t.slice(0, o.maxLength) : t, applied };
}

/**
 * minimise shrinks a failing input while `fails` still holds: whole lines first, then halving
 * chunks of characters down to one, then each line's indentation. Stops at the time budget.
 */
export function minimise(text: string, fails: (t: string) => boolean, budgetMs = 10_000): string {
  const deadline = performance.now() + budgetMs;
  let cur = text;
  const pass = (units: string[], join: string): string[] => {
    for (let size = Math.max(1, units.length >> 1); size >= 1 && performance.now() < deadline; size = size > 1 ? size >> 1 : 0) {
      for (let at = 0; at < units.length && performance.now() < deadline; ) {
        const cand = [...units.slice(0, at), ...units.slice(at + size)];
        if (fails(cand.join(join))) units = cand;
        else at += size;
      }
    }
    return units;
  };
  cur = pass(cur.split('\n'), '\n').join('\n');
  cur = pass([...cur], '').join('');
  return cur;
}
