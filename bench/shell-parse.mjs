// Shell parser benchmark: node bench/shell-parse.mjs [--only=NAME] [--reps=N]
// Bundles server/src/shell/parser.ts with esbuild (a dev dependency) into a temp file, then times
// parseShell(identity(text)) on a realistic ~1 MB script and on pathological inputs.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = process.env.KBX_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(join(tmpdir(), 'kbx-bench-'));
// Removed on any exit, also when the bundle fails to build.
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, 'parser.mjs');
await build({
  stdin: {
    contents: `export { parseShell } from './server/src/shell/parser';
export { identity } from './server/src/core/mapped-string';
export { walkSimpleCommands } from './server/src/shell/walk';
export { expandWord } from './server/src/shell/expand';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: out,
  logLevel: 'warning',
});
const { parseShell, identity, walkSimpleCommands } = await import(pathToFileURL(out).href);
rmSync(dir, { recursive: true, force: true });

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const reps = Number(args.reps ?? 3);

function mulberry32(a) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A realistic script: functions, ifs, loops, case, heredocs, comments, quoting, buildx calls. */
export function realistic(bytes, seed = 1) {
  const rnd = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const chunks = [
    () => `# build the ${pick(['api', 'web', 'worker'])} image for ${pick(['amd64', 'arm64'])}; see docs/build.md\n`,
    () =>
      `docker buildx build --platform linux/amd64,linux/arm64 -t "$REGISTRY/${pick(['api', 'web'])}:\${TAG:-latest}" --build-arg VERSION=$(git describe --tags) --cache-from type=registry,ref=$CACHE --push .\n`,
    () => `docker buildx create --name builder-$i --driver docker-container --driver-opt network=host,image=moby/buildkit:v0.12 --use\n`,
    () =>
      `if [ -n "$CI" ] && [[ $BRANCH == main ]]; then\n  echo "deploying \${IMAGE}:$TAG" >&2\n  docker buildx bake -f docker-bake.hcl --set '*.platform=linux/amd64' release\nelse\n  echo 'skip' | tee -a "$LOG"\nfi\n`,
    () =>
      `build_${Math.floor(rnd() * 1000)}() {\n  local ctx="\${1:?missing context}" tag=$2\n  docker buildx build --load -t "$tag" --label "org.opencontainers.image.revision=\`git rev-parse HEAD\`" "$ctx" || return 1\n}\n`,
    () => `for arch in amd64 arm64 s390x; do\n  docker buildx build --platform "linux/$arch" --output type=local,dest=out/$arch . &\ndone\nwait\n`,
    () => `case "$1" in\n  build|b) shift; do_build "$@" ;;\n  push) docker buildx imagetools create -t "$DST" "$SRC" ;;\n  *) echo "usage: $0 {build|push}" >&2; exit 2 ;;\nesac\n`,
    () => `cat <<EOF > Dockerfile.gen\nFROM alpine:3.19\nRUN echo "built at $(date -u +%Y-%m-%dT%H:%M:%SZ)" > /etc/build\nARG VERSION=\${VERSION}\nEOF\n`,
    () => `cat <<'EOF' | docker buildx build -f - .\nFROM scratch\nCOPY $literal /\nEOF\n`,
    () => `export DOCKER_BUILDKIT=1 COMPOSE_DOCKER_CLI_BUILD=1 PATH="$HOME/.local/bin:$PATH"\n`,
    () => `readonly VERSION=$(( MAJOR * 100 + MINOR )) ARGS=(--progress=plain --provenance=false)\n`,
    () => `while read -r line; do printf '%s\\n' "\${line%%#*}"; done < <(grep -v '^#' "$FILE")\n`,
    () => `docker buildx build --secret id=npm,src=$HOME/.npmrc --ssh default=$SSH_AUTH_SOCK \\\n  --attest type=sbom --attest type=provenance,mode=max \\\n  -t $'registry\\x2eexample.com/app' .\n`,
  ];
  const parts = [];
  let n = 0;
  while (n < bytes) {
    const s = pick(chunks)();
    parts.push(s);
    n += s.length;
  }
  return parts.join('');
}

const inputs = {
  realistic1MB: () => realistic(1_000_000),
  robust1MB: () => {
    const line = 'if [ -f x ]; then docker buildx build --platform linux/amd64,linux/arm64 -t "$IMG:${TAG:-latest}" $(git rev-parse HEAD) . ; fi\n';
    return line.repeat(Math.ceil(1_000_000 / line.length));
  },
  line10MB: () => 'docker buildx build ' + 'a,b=c "d" \'e\' $f '.repeat(10_000_000 / 20),
  line2MB: () => 'docker buildx build ' + 'a,b=c "d" \'e\' $f '.repeat(2_000_000 / 20),
  line4MB: () => 'docker buildx build ' + 'a,b=c "d" \'e\' $f '.repeat(4_000_000 / 20),
  deepDollarParen: () => 'echo ' + '$('.repeat(100_000),
  deepBackquote: () => '\\`'.repeat(50_000),
  deepArith: () => '$(('.repeat(50_000),
  deepParen: () => '('.repeat(50_000),
  deepDq: () => '"$('.repeat(50_000),
  deepBrace: () => '${'.repeat(50_000),
  garbage: () => {
    const rnd = mulberry32(99);
    const a = [];
    for (let i = 0; i < 400_000; i++) a.push(String.fromCharCode(rnd() < 0.5 ? Math.floor(rnd() * 128) : Math.floor(rnd() * 65536)));
    return a.join('');
  },
};

for (const [name, gen] of Object.entries(inputs)) {
  if (args.only && !args.only.split(',').includes(name)) continue;
  const text = gen();
  const times = [];
  const cpu = [];
  let cmds = 0;
  let errors = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const script = parseShell(identity(text), { dialect: 'bash' });
    cmds = 0;
    walkSimpleCommands(script, () => cmds++);
    times.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
    errors = script.errors.length;
  }
  const best = Math.min(...times);
  console.log(
    `${name.padEnd(16)} ${(text.length / 1e6).toFixed(2).padStart(6)} MB  best ${best.toFixed(0).padStart(6)} ms  (${times.map((t) => t.toFixed(0)).join(', ')})  cpu best ${Math.min(...cpu).toFixed(0)} ms  cmds=${cmds} errors=${errors}`,
  );
}
