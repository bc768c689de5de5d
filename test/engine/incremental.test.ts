/**
 * The incremental lint against a fresh full lint: seeded random edit sequences (characters and
 * lines inserted, deleted and replaced, at random places and next to quotes, here-documents,
 * expansions, Make variables and YAML block scalars) over the shipped examples and generated
 * files of every host. After every edit the incremental answer must equal the full lint of the
 * same text, and the fast path must have answered a good share of the edits (else this would only
 * test the full lint against itself).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { denseCorpus, lspScript } from '../../bench/corpus.mjs';
import { DEFAULT_CONFIG } from '../../server/src/engine/config';
import { IncrementalLint, shiftOffset, shiftOffsets } from '../../server/src/engine/incremental';
import { lintIfBuildx } from '../../server/src/engine/lint';
import { LineIndex } from '../../server/src/core/source';
import { answerOn, type Question, viewOf } from '../../server/src/lsp/lint-job';
import { mulberry32 } from '../harness/random';

const ROOT = join(__dirname, '../..');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) stack.push(p);
      else out.push(p);
    }
  }
  return out.sort();
}

const CHARS = ['a', 'z', '0', '7', ' ', '\t', '"', "'", '$', '\\', '\n', '#', '=', ',', '{', '}', '(', ')', ';', '|', '&', '<', '-', ':', '`', '*'];
const LINES = [
  'echo hi',
  'echo "$HOME"',
  'X=1',
  'export B=b1',
  'cat <<EOF',
  'EOF',
  '# a comment',
  '# kbx-lint disable=KBX101',
  'ls -la "$X" | wc -l',
  'docker buildx ls',
  'docker buildx create --name b1 --driver kubernetes --driver-opt namespace=ns,replicas=2',
  'f() { docker buildx "$@"; }',
  'f build --platform linux/amd64 .',
  ': "${X:=d}"',
  "'",
  '"',
  '\\',
  'if true; then',
  'fi',
  '  - run: docker buildx build --platform linux/arm64 .',
  '\tdocker buildx build --load .',
  'VAR := value',
  '```sh',
  '```',
  '$ docker buildx use b1',
  'mkdir -p out && cp -r assets out/ || exit 1',
  'kubectl rollout status deployment/web --timeout=300s',
  'A="$X"',
  'ARGS=(--progress=plain "$X")',
  'IFS=,',
  'BUILDX_BUILDER=b1',
  'git fetch && V="$(git describe --tags)"',
  'echo "${!X}"',
  'export KUBECONFIG="$HOME/.kube/config" DOCKER_BUILDKIT=1',
  'export X=2 Y="$X"',
  'log() { echo "$*" >&2; }',
  'g() { ls; }',
  'log hi',
  'eval "echo $X"',
  '# BUILDKIT_HOST=tcp://buildkitd:1234',
];
const SPOTS = ['"', "'", '<<', '$(', ':=', '=', 'run:', '|', '\\\n', '$$', '--driver-opt', '\n\t', 'EOF'];

type Rnd = () => number;
const pick = <T>(rnd: Rnd, list: readonly T[]): T => list[Math.floor(rnd() * list.length)];

/** A random place: anywhere, or next to something that changes how the text around it reads. */
function place(rnd: Rnd, text: string): number {
  if (rnd() < 0.5) {
    const spot = pick(rnd, SPOTS);
    const hits: number[] = [];
    for (let i = text.indexOf(spot); i >= 0 && hits.length < 200; i = text.indexOf(spot, i + 1)) hits.push(i);
    if (hits.length) return Math.min(text.length, pick(rnd, hits) + Math.floor(rnd() * (spot.length + 1)));
  }
  return Math.floor(rnd() * (text.length + 1));
}

function edit(rnd: Rnd, text: string): string {
  const at = place(rnd, text);
  const r = rnd();
  if (r < 0.2) return text.slice(0, at) + pick(rnd, CHARS) + text.slice(at);
  if (r < 0.35) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 3)));
  if (r < 0.6) {
    // One character replaced by another of its class: what typing over a name or a number does.
    const ch = text[at] ?? '';
    const next = /[0-9]/.test(ch) ? String((Number(ch) + 1) % 10) : /[a-z]/.test(ch) ? String.fromCharCode(97 + ((ch.charCodeAt(0) - 96) % 26)) : pick(rnd, CHARS);
    return text.slice(0, at) + next + text.slice(at + 1);
  }
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const nl = text.indexOf('\n', at);
  const end = nl < 0 ? text.length : nl + 1;
  if (r < 0.75) return text.slice(0, start) + pick(rnd, LINES) + '\n' + text.slice(start);
  if (r < 0.85) return text.slice(0, start) + text.slice(end);
  if (r < 0.93) return text.slice(0, end) + text.slice(start, end) + text.slice(end);
  // A word typed one character at a time.
  return text.slice(0, at) + pick(rnd, ['x', ' y', 'ab', '12']) + text.slice(at);
}

/** Mostly typing over names and numbers (what the language-server benchmark does), now and then anything. */
function typing(rnd: Rnd, text: string): string {
  if (rnd() < 0.15) return edit(rnd, text);
  for (;;) {
    const at = Math.floor(rnd() * text.length);
    const ch = text[at];
    if (/[0-9]/.test(ch)) return text.slice(0, at) + String((Number(ch) + 3) % 10) + text.slice(at + 1);
    if (/[a-z]/.test(ch)) return rnd() < 0.5 ? text.slice(0, at) + String.fromCharCode(97 + ((ch.charCodeAt(0) - 90) % 26)) + text.slice(at + 1) : text.slice(0, at) + 'q' + text.slice(at);
  }
}

interface Doc {
  name: string;
  text: string;
}

function run(docs: Doc[], editsPerDoc: number, seed: number, change: (rnd: Rnd, text: string) => string = edit) {
  let derived = 0;
  let spliced = 0;
  let full = 0;
  let edits = 0;
  for (const [k, doc] of docs.entries()) {
    const rnd = mulberry32(seed + k);
    const inc = new IncrementalLint();
    let text = doc.text;
    inc.update({ text, fileName: doc.name }, DEFAULT_CONFIG);
    for (let i = 0; i < editsPerDoc; i++) {
      text = change(rnd, text);
      edits++;
      const got = inc.update({ text, fileName: doc.name }, DEFAULT_CONFIG);
      const want = lintIfBuildx({ text, fileName: doc.name }, DEFAULT_CONFIG);
      if (!got.result) {
        expect(got.diagnostics, `${doc.name}, seed ${seed + k}, edit ${i}`).toEqual(want.diagnostics);
        expect(got.internalErrors).toEqual(want.internalErrors);
      } else expect(got.result.diagnostics).toEqual(want.diagnostics);
    }
    derived += inc.stats.derived;
    spliced += inc.stats.spliced;
    full += inc.stats.full;
  }
  return { derived, spliced, full, edits };
}

/**
 * Scripts whose commands depend on each other through every channel the fast path must respect:
 * values, wrapper functions, the builder graph, suppression comments, here-documents, `${X:=d}`,
 * values read more than once (fixes) and line positions.
 */
const COUPLED = [
  `#!/usr/bin/env bash
NS=buildkit
OPTS="namespace=$NS,replicas=2"
export PLAT=linux/amd64
b() { docker buildx "$@"; }
echo start
docker buildx create --name k1 --driver kubernetes --driver-opt "$OPTS" --platform "$PLAT"
echo middle
b build --builder k1 --platform linux/arm64 --push .
# kbx-lint disable=KBX201
docker buildx create --name k2 --driver kubernetes --driver-opt nodeSelector=a=b
cat <<EOF
docker buildx create --driver-opt x=1
EOF
echo "$NS done"
REPL=two
: "\${MEM:=4 gigs}"
docker buildx create --name k3 --driver kubernetes --driver-opt replicas=$REPL,limits.memory=$MEM
echo "$REPL"
docker buildx rm k1
ls -la
docker buildx create --append --name k1 --node n2
SELX="nodeSelector=kubernetes.io/arch=amd64"
echo "$SELX"
docker buildx create --name k4 --driver kubernetes --driver-opt "$SELX"
# kbx-lint disable=KBX201
echo spacer
docker buildx create --name k5 --driver kubernetes --driver-opt nodeSelector=a=b
tune() { MEMX=1Gi; }
MEMX="4 gigs"
tune
docker buildx create --name k6 --driver kubernetes --driver-opt limits.memory=$MEMX
b ls
`,
  `#!/bin/sh
set -e
SEL='"nodeselector=kubernetes.io/arch=amd64,pool=ci"'
mkdir -p out && cp -r assets out/ || exit 1
docker buildx create --name ci --driver kubernetes --driver-opt "$SEL" --platform linux/arm64
kubectl rollout status deployment/web --timeout=300s
docker buildx build --builder ci --platform linux/amd64,linux/arm64 --load .
echo ok
docker buildx use ci
printf '%s\\n' done
docker buildx build --platform linux/s390x -t reg/app:1 --push .
`,
  // Assignments read in every way but by name in a buildx command: through another assignment,
  // a function, a here-document's substitution, export, the shell itself (IFS) and BUILDX_BUILDER.
  `#!/usr/bin/env bash
set -e
ARGS=(--progress=plain --metadata-file /tmp/meta.json)
UNREAD="$(git describe --tags)"
git fetch --tags && VERSION="$(git describe --always)"
PLAT=linux/arm64
CHAIN=linux/amd64
NEXT="$CHAIN"
show() { echo "$SHOWN"; docker buildx ls; }
SHOWN=yes
echo "$UNREAD $VERSION"
docker buildx create --name a1 --driver kubernetes --platform "$PLAT" --driver-opt namespace=ns
docker buildx build --builder a1 --platform "$NEXT" --push .
show
IFS=,
LIST=linux/amd64,linux/arm64
docker buildx build --builder a1 --platform $LIST -t r/a:1 --push .
BUILDX_BUILDER=a1
REMOTE=tcp://host:1234
cat <<EOF
$(docker buildx create --name h1 --driver remote $REMOTE)
EOF
# the endpoint comes from BUILDKIT_HOSX
docker buildx create --name r1 --driver remote
export EXPORTED=1
EXPORTED=2
LATE=linux/s390x
docker build .
`,
  // Exported assignments, some read by buildx commands and some not, next to unchanged names the
  // shell or buildx reads unnamed; function bodies that only run programs, called or not, and
  // bodies that assign, read positionals or call another function.
  `#!/usr/bin/env bash
export KUBECONFIG="\${KUBECONFIG:-$HOME/.kube/config}" DOCKER_BUILDKIT=1
log() { echo "$(date -u +%H:%M:%S) $*" >&2; }
note() { echo "note"; ls -la; }
setp() { PLAT=linux/s390x; }
wrap() { log "wrapped"; }
PLAT=linux/arm64
export PLAT2=linux/amd64 UNUSED=x
log start
docker buildx create --name e1 --driver kubernetes --platform "$PLAT" --driver-opt namespace=ns
docker buildx build --builder e1 --platform "$PLAT2" --push .
note
export NS=ci
docker buildx create --name e2 --driver kubernetes --driver-opt "namespace=$NS"
export A=amd64 B="$A"
docker buildx build --builder e2 --platform "linux/$B" .
quiet() { echo hi | tr a-z A-Z; }
wrap
quiet
export C=1 C="$C"2
export GOFLAGS=-mod=mod CGO_ENABLED=0
export LOG_LEVEL=debug OTHER_LEVEL="$LOG_LEVEL"
docker buildx create --name e3 --driver kubernetes --driver-opt "replicas=$C"
`,
  // Functions nothing calls: bodies the values walk reads at their definition, some of which
  // make invocations (through a shell, eval, a wrapper) and some only run builtins it undoes.
  `#!/usr/bin/env bash
b() { docker buildx "$@"; }
echo start
CMD="docker buildx create --name k8 --driver kubernetes --driver-opt nodeSelector=a=b"
EVALED="docker buildx create --name k7 --driver kubernetes --driver-opt nodeSelector=c=d"
SUDOED="docker buildx create --name k6 --driver kubernetes --driver-opt nodeSelector=e=f"
viash() { sh -c "$CMD"; }
viab() { b create --name k9 --driver kubernetes --driver-opt nodeSelector=a=b; }
viaeval() { eval "$EVALED"; }
stamp() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
keep() { local v; read -r v < /dev/null; printf -v MEMX '%s' "$v"; export KEPT=1; }
docker buildx create --name u1 --driver kubernetes --driver-opt replicas=$MEMX
stamp() { printf 'again %s\n' "$*"; }
viasudo() { sudo -E bash -c "$SUDOED"; }
echo end
`,
  // Functions that are called, at the start of a line, after `;`, in a pipeline and by
  // `function name` definitions: the variables their bodies set reach the commands after the call.
  `#!/usr/bin/env bash
setrep() { printf -v REPS '%s' "abc"; }
function setns { NS=team-a; }
setrep
echo x; setns
docker buildx create --name c1 --driver kubernetes --driver-opt replicas=$REPS --driver-opt namespace=$NS
`,
  `#!/bin/sh
INDIR=PLAT
PLAT=linux/arm64
docker buildx create --name i1 --driver kubernetes --platform "\${!INDIR}"
EV=linux/ppc64le
eval "docker buildx build --builder i1 --platform \\$EV ."
OTHER=1
`,
];

describe('incremental lint', () => {
  it('moves offsets after the replaced range and refuses data inside it', () => {
    const s = { at: 10, oldEnd: 20, delta: 5 };
    expect([shiftOffset(3, s), shiftOffset(10, s), shiftOffset(20, s), shiftOffset(30, s)]).toEqual([3, 10, 25, 35]);
    expect(Number.isNaN(shiftOffset(15, s))).toBe(true);
    const shared = { start: 25, end: 30 };
    const moved = shiftOffsets({ a: shared, b: [shared], m: { text: 'ab', starts: Int32Array.from([1, 21]), ends: Int32Array.from([2, 22]), endOffset: 22 } }, s)!;
    expect(moved.a).toEqual({ start: 30, end: 35 });
    expect(moved.b[0]).toBe(moved.a);
    expect([...moved.m.starts, ...moved.m.ends, moved.m.endOffset]).toEqual([1, 26, 2, 27, 27]);
    expect(shiftOffsets({ span: { start: 12, end: 14 } }, s)).toBeNull();
  });

  it('equals a full lint after every edit of the shipped examples', () => {
    const docs = filesUnder(join(ROOT, 'examples')).map((p) => ({ name: relative(ROOT, p), text: readFileSync(p, 'utf8') }));
    expect(docs.length).toBeGreaterThan(6);
    const { derived, spliced, full, edits } = run(docs, 30, 100);
    expect(derived + spliced + full).toBe(edits + docs.length);
    // Most edits of these short, dense files touch a buildx command or risky text: linted in full.
    expect(derived).toBeGreaterThan(5);
  }, 300_000);

  it('equals a full lint after every edit of scripts whose commands depend on each other', () => {
    const docs = COUPLED.map((text, i) => ({ name: `coupled-${i}.sh`, text }));
    const { derived } = run(docs, 60, 400, typing);
    expect(derived).toBeGreaterThan(0);
  });

  it('equals a full lint after an edit of each line of those scripts, one edit kind after the other', () => {
    let derived = 0;
    let edits = 0;
    let assignments = 0;
    let exports = 0;
    let bodies = 0;
    let uncalled = 0;
    for (const [k, original] of COUPLED.entries()) {
      const lines = original.split('\n');
      for (let n = 0; n < lines.length; n++) {
        const line = lines[n];
        const mid = Math.floor(line.length / 2);
        const variants = [
          `${line.slice(0, mid)}q${line.slice(mid)}`,
          line.replace(/[a-z](?=[^a-z]*$)/, 'z'),
          line.replace(/[0-9a-z]/, (c) => (c === 'x' ? 'y' : 'x')),
          `${line}\n${line}`,
          '',
          `# ${line}`,
          null,
        ];
        for (const v of variants) {
          if (v === line) continue;
          const inc = new IncrementalLint();
          const name = `coupled-${k}.sh`;
          inc.update({ text: original, fileName: name }, DEFAULT_CONFIG);
          // null: the line is deleted, newline and all.
          const text = [...lines.slice(0, n), ...(v === null ? [] : [v]), ...lines.slice(n + 1)].join('\n');
          const got = inc.update({ text, fileName: name }, DEFAULT_CONFIG);
          edits++;
          if (got.result) continue;
          derived++;
          if (/^[A-Z_]+=/.test(line) && v !== null && /^[A-Z_]+=/.test(v)) assignments++;
          if (/^export [A-Z]/.test(line) && v !== null && /^export [A-Z]/.test(v)) exports++;
          if (/^\w+\(\) \{/.test(line) && v !== null && /^\w+\(\) \{/.test(v)) bodies++;
          if (/^(stamp|keep)\(\) \{/.test(line) && v !== null && /^(stamp|keep)\(\) \{/.test(v)) uncalled++;
          expect(got.diagnostics, `${name} line ${n + 1}: ${JSON.stringify(v)}`).toEqual(lintIfBuildx({ text, fileName: name }, DEFAULT_CONFIG).diagnostics);
        }
      }
    }
    expect(derived).toBeGreaterThan(edits / 10);
    // Typing in an assignment no buildx command reads (ARGS, UNREAD, VERSION, LATE, OTHER…).
    expect(assignments).toBeGreaterThan(5);
    // Typing in an exported assignment no one reads (KUBECONFIG, UNUSED) and in a function body.
    expect(exports).toBeGreaterThan(3);
    expect(bodies).toBeGreaterThan(3);
    // Typing in the body of a function nothing calls, with builtins the body's reading undoes (printf, read, local).
    expect(uncalled).toBeGreaterThan(2);
  }, 300_000);

  it('lints in full when a comment starts or stops naming BUILDKIT_HOST', () => {
    const before = '#!/bin/sh\necho start\ndocker buildx create --name r --driver remote\n# BUILDKIT_HOSX\n';
    for (const [a, b] of [
      [before, before.replace('HOSX', 'HOST')],
      [before.replace('HOSX', 'HOST'), before],
    ]) {
      const inc = new IncrementalLint();
      inc.update({ text: a, fileName: 'remote.sh' }, DEFAULT_CONFIG);
      const got = inc.update({ text: b, fileName: 'remote.sh' }, DEFAULT_CONFIG);
      expect(got.diagnostics).toEqual(lintIfBuildx({ text: b, fileName: 'remote.sh' }, DEFAULT_CONFIG).diagnostics);
      expect(inc.lastFullReason).toMatch(/^risky-text\//);
    }
  });

  it('equals a full lint after every edit of generated scripts and Makefiles', () => {
    const docs = denseCorpus({ files: 10, bytes: 50_000, seed: 7 }).map((f) => ({ name: f.path, text: f.text }));
    const scripts = [5, 6].map((seed) => ({ name: `lsp-${seed}.sh`, text: lspScript({ lines: 300, commands: 30, seed }) }));
    expect(docs.some((d) => /Makefile|\.mk$/.test(d.name))).toBe(true);
    const { edits } = run(docs, 20, 200);
    expect(edits).toBe(200);
    const sparse = run(scripts, 40, 300, typing);
    expect(sparse.derived).toBeGreaterThan(sparse.edits / 4);
  }, 300_000);

  it('splices edits of creates whose name later creates without --driver read', () => {
    // buildx create without --driver takes the driver of a builder of its name made before it:
    // retyping a name or a driver changes what the creates after it are.
    const lines = ['#!/bin/sh', 'echo start'];
    for (let i = 0; i < 8; i++) {
      lines.push(`docker buildx create --name n${i % 3} --driver ${i % 2 ? 'kubernetes' : 'remote'} --driver-opt namespace=ns${i}`);
      lines.push(`docker buildx create --append --name n${(i + 1) % 3} --node m${i} --driver-opt replicas=${i},namespace=a${i}`);
      lines.push(`docker buildx build --builder n${i % 3} --platform linux/arm64 .`);
    }
    const original = `${lines.join('\n')}\n`;
    let spliced = 0;
    for (let n = 2; n < lines.length; n++) {
      for (const [from, to] of [
        [/--name n(\d)/, (_: string, d: string) => `--name n${(Number(d) + 1) % 3}`],
        [/--driver (kubernetes|remote)/, (_: string, d: string) => (d === 'remote' ? '--driver rxmote' : '--driver kubernetez')],
        [/namespace=\w(\d)/, (_: string, d: string) => `namespace=q${d}`],
      ] as const) {
        const line = lines[n].replace(from, to as (s: string, d: string) => string);
        if (line === lines[n] || line.length !== lines[n].length) continue;
        const inc = new IncrementalLint();
        inc.update({ text: original, fileName: 'n.sh' }, DEFAULT_CONFIG);
        const text = `${[...lines.slice(0, n), line, ...lines.slice(n + 1)].join('\n')}\n`;
        const got = inc.update({ text, fileName: 'n.sh' }, DEFAULT_CONFIG);
        const want = lintIfBuildx({ text, fileName: 'n.sh' }, DEFAULT_CONFIG);
        expect(got.diagnostics, `line ${n + 1}: ${line}`).toEqual(want.diagnostics);
        expect(viewOf(got.result!, 0), `line ${n + 1}: ${line}`).toEqual(viewOf(want, 0));
        spliced += inc.stats.spliced;
      }
    }
    expect(spliced).toBeGreaterThan(20);
  }, 300_000);

  it('splices edits inside buildx commands: diagnostics, view and answers equal a full lint', () => {
    // Typing over letters and digits, mostly inside buildx commands, now and then an edit that
    // must lint in full (a substitution, a brace, a quote, a new line, a function name).
    const rnd = mulberry32(77);
    const name = 'splice.sh';
    let text = `${lspScript({ lines: 600, commands: 60, seed: 11 })}f() { echo "$@"; }\n`;
    const inc = new IncrementalLint();
    inc.update({ text, fileName: name }, DEFAULT_CONFIG);
    const canonical = (v: unknown) => JSON.stringify(v, (_k, x) => (x instanceof Int32Array ? [...x] : x instanceof Map ? [...x] : x instanceof Set ? [...x] : typeof x === 'bigint' ? String(x) : x));
    const hazards = [' $(date)', ' {a,b}', ' "', '\n', ' ${X:=1}', ' `id`', ' <<EOF'];
    let spliced = 0;
    for (let i = 0; i < 120; i++) {
      const lines = text.split('\n');
      const docker = lines.map((l, n) => (l.includes('docker') || lines[n - 1]?.endsWith('\\') ? n : -1)).filter((n) => n >= 0);
      const n = rnd() < 0.8 ? pick(rnd, docker) : Math.floor(rnd() * (lines.length - 1));
      const line = lines[n];
      const col = Math.floor(rnd() * line.length);
      const ch = line[col] ?? '';
      const r = rnd();
      if (r < 0.06) lines[n] = line.slice(0, col) + pick(rnd, hazards) + line.slice(col);
      else if (r < 0.09) lines[n] = line.replace(/^docker\b/, 'f');
      else if (r < 0.15) lines[n] = `${line.slice(0, col)}q${line.slice(col)}`;
      else if (/[0-9]/.test(ch)) lines[n] = line.slice(0, col) + String((Number(ch) + 1) % 10) + line.slice(col + 1);
      else if (/[a-z]/.test(ch)) lines[n] = line.slice(0, col) + String.fromCharCode(97 + ((ch.charCodeAt(0) - 96) % 26)) + line.slice(col + 1);
      else continue;
      text = lines.join('\n');
      const before = inc.stats.spliced;
      const got = inc.update({ text, fileName: name }, DEFAULT_CONFIG);
      const want = lintIfBuildx({ text, fileName: name }, DEFAULT_CONFIG);
      const where = `edit ${i}, line ${n + 1}: ${JSON.stringify(lines[n])}`;
      expect(got.diagnostics, where).toEqual(want.diagnostics);
      expect(got.internalErrors).toEqual(want.internalErrors);
      if (inc.stats.spliced === before) continue;
      spliced++;
      // The spliced model answers everything the language server asks as a fresh model does.
      expect(got.result, where).not.toBeNull();
      expect(canonical({ ...viewOf(got.result!, 0), ms: 0 }), where).toBe(canonical({ ...viewOf(want, 0), ms: 0 }));
      const index = new LineIndex(text);
      const questions: Question[] = [{ kind: 'symbols' }, { kind: 'tokens', range: null }];
      for (let q = 0; q < 4; q++) {
        const position = { line: n, character: Math.floor(rnd() * (lines[n].length + 1)) };
        questions.push({ kind: 'hover', position }, { kind: 'completion', position, text, snippets: true }, { kind: 'references', position, uri: 'file:///splice.sh', includeDeclaration: true });
      }
      for (const q of questions) expect(answerOn(got.result!.model, index, q), `${q.kind} after ${where}`).toEqual(answerOn(want.model, index, q));
    }
    expect(spliced).toBeGreaterThan(40);
    expect(inc.stats.graphKept).toBeGreaterThan(3);
    // The hazards were refused, each for its reason.
    const reasons = Object.keys(inc.stats.fullBecause).join(' ');
    expect(reasons).toMatch(/splice:risky-text|syntax|continuation/);
    expect(reasons).toMatch(/splice:program|splice:length|splice:moved/);
  }, 300_000);
});
