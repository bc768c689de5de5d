#!/usr/bin/env node
// Seeded generators of the benchmark inputs. Nothing here is committed output: every input is
// made again from its seed, so a number can be reproduced and the lead can profile on the same
// bytes (`node bench/corpus.mjs DIR`).
//
//   denseCorpus()   ~400 CI scripts and Makefiles (~6.5 MB) that build multi-platform images
//                   with kubernetes builders: the "buildx-dense" corpus;
//   plainTree()     ordinary shell scripts that never mention buildx (the tree-walk row);
//   lspScript()     one 5,000-line script with 500 buildx commands (the language-server rows);
//   hugeDriverOpt() a 20 MB document: one --driver-opt of 5 million fields.
//
// Usage: node bench/corpus.mjs DIR [--files N] [--bytes N] [--seed N] [--plain N] [--lsp]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** mulberry32, the same PRNG as test/harness/random.ts, so a seed means the same thing in both. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function tools(rnd) {
  const int = (n) => Math.floor(rnd() * n);
  const pick = (xs) => xs[int(xs.length)];
  const chance = (p) => rnd() < p;
  return { int, pick, chance };
}

const SERVICES = ['api', 'web', 'worker', 'gateway', 'auth', 'billing', 'search', 'ingest', 'scheduler', 'notifier', 'cache', 'proxy'];
const ARCHES = ['amd64', 'arm64', 's390x', 'ppc64le', 'arm/v7'];
const NAMESPACES = ['buildkit', 'ci', 'build-system', 'builders', 'platform-ci'];
const POOLS = ['ci', 'build', 'spot', 'highmem', 'general'];
const REGISTRIES = ['ghcr.io/acme', 'registry.example.com/team', 'quay.io/org', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'];

/** The `--driver-opt` values a kubernetes builder gets in real CI, with an occasional mistake. */
function driverOpts(t, arch, namespace = t.pick(NAMESPACES)) {
  const opts = [];
  opts.push(`--driver-opt namespace=${namespace},replicas=${1 + t.int(4)}`);
  if (t.chance(0.7)) opts.push(`--driver-opt requests.cpu=${t.pick(['500m', '1', '2', '4'])},requests.memory=${t.pick(['1Gi', '2Gi', '4Gi'])},limits.memory=${t.pick(['4Gi', '8Gi', '16Gi'])}`);
  const sel = `kubernetes.io/arch=${arch.split('/')[0]}`;
  if (t.chance(0.04))
    opts.push(`--driver-opt nodeselector=${sel},pool=${t.pick(POOLS)}`); // KBX101
  else if (t.chance(0.5)) opts.push(`--driver-opt '"nodeselector=${sel},node-pool=${t.pick(POOLS)}"'`);
  else opts.push(`--driver-opt nodeselector=${sel}`);
  if (t.chance(0.3)) opts.push(`--driver-opt '"tolerations=key=${t.pick(['dedicated', 'ci', 'arm'])},operator=${t.chance(0.05) ? 'exists' : 'Exists'},effect=NoSchedule"'`);
  if (t.chance(0.25)) opts.push(`--driver-opt rootless=${t.pick(['true', 'false'])},loadbalance=${t.pick(['sticky', 'random'])}`);
  if (t.chance(0.2)) opts.push('--driver-opt image=moby/buildkit:v0.12.5-rootless');
  if (t.chance(0.15)) opts.push(`--driver-opt serviceaccount=${t.pick(['buildkit', 'ci-builder'])},timeout=${t.pick(['120s', '5m', '300s'])}`);
  return opts;
}

function platformList(t) {
  const n = 1 + t.int(3);
  const set = new Set();
  while (set.size < n) set.add(`linux/${t.pick(ARCHES)}`);
  return [...set].join(',');
}

// ---------------------------------------------------------------- shell scripts

function shellHeader(t, name) {
  const svc = t.pick(SERVICES);
  return [
    t.pick(['#!/usr/bin/env bash', '#!/bin/bash', '#!/usr/bin/env bash']),
    `# ${name}: build and push the ${svc} images for every platform the cluster runs.`,
    'set -euo pipefail',
    '',
    `REGISTRY="\${REGISTRY:-${t.pick(REGISTRIES)}}"`,
    `IMAGE="\${IMAGE:-${svc}}"`,
    'TAG="${TAG:-$(git rev-parse --short HEAD)}"',
    `PLATFORMS="\${PLATFORMS:-${platformList(t)}}"`,
    `BUILDER="kbx-${svc}-\${CI_JOB_ID:-local}"`,
    `NAMESPACE=${t.pick(NAMESPACES)}`,
    'SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"',
    '',
  ].join('\n');
}

const shellChunks = [
  (t, i) => {
    const arches = [t.pick(['amd64', 'arm64']), t.pick(['arm64', 's390x', 'ppc64le'])];
    const lines = [`setup_builder_${i}() {`, `  log "creating builder $BUILDER (${arches.join(', ')})"`];
    arches.forEach((arch, k) => {
      const head = k === 0 ? `  docker buildx create --name "$BUILDER" --driver kubernetes` : `  docker buildx create --append --name "$BUILDER" --driver kubernetes`;
      const opts = driverOpts(t, arch, t.chance(0.5) ? '"$NAMESPACE"' : t.pick(NAMESPACES));
      lines.push(`${head} --node "$BUILDER-${arch}" \\`, `    --platform linux/${arch} \\`);
      for (const o of opts.slice(0, -1)) lines.push(`    ${o} \\`);
      lines.push(`    ${opts[opts.length - 1]}`);
    });
    lines.push('  docker buildx use "$BUILDER"', '  docker buildx inspect --bootstrap "$BUILDER" >/dev/null', '}', '');
    return lines.join('\n');
  },
  (t) => {
    const svc = t.pick(SERVICES);
    return [
      `for arch in ${t.pick(['amd64 arm64', 'amd64 arm64 s390x', 'arm64 ppc64le'])}; do`,
      `  echo "building ${svc} for $arch"`,
      `  docker buildx build --builder "$BUILDER" --platform "linux/$arch" \\`,
      `    -t "$REGISTRY/${svc}:$TAG-$arch" \\`,
      `    --build-arg VERSION="$TAG" --label org.opencontainers.image.revision="$TAG" \\`,
      `    --cache-from type=registry,ref="$REGISTRY/${svc}:cache-$arch" \\`,
      `    --cache-to type=registry,ref="$REGISTRY/${svc}:cache-$arch",mode=max \\`,
      `    ${t.pick(['--push', '--push', '--output type=image,push=true', '--load'])} "$SCRIPT_DIR/../${svc}"`,
      'done',
      '',
    ].join('\n');
  },
  (t) => {
    const svc = t.pick(SERVICES);
    return [
      'if [[ "${CI:-}" == "true" && "${BRANCH:-}" == main ]]; then',
      `  docker buildx build --platform "$PLATFORMS" -t "$REGISTRY/${svc}:$TAG" -t "$REGISTRY/${svc}:latest" \\`,
      `    --provenance=${t.pick(['true', 'false', 'mode=max'])} --sbom=${t.pick(['true', 'false'])} \\`,
      `    --secret id=npmrc,src="$HOME/.npmrc" --ssh default \\`,
      `    --push .`,
      'elif [ -n "${PR_NUMBER:-}" ]; then',
      `  docker buildx build --platform linux/amd64 -t "${svc}:pr-$PR_NUMBER" --load .`,
      'else',
      `  echo "skipping push of ${svc}" >&2`,
      'fi',
      '',
    ].join('\n');
  },
  (t) => {
    const svc = t.pick(SERVICES);
    return [
      `cat <<EOF > "$SCRIPT_DIR/Dockerfile.${svc}"`,
      `FROM ${t.pick(['alpine:3.19', 'debian:bookworm-slim', 'gcr.io/distroless/static'])}`,
      'ARG VERSION',
      `COPY bin/${svc} /usr/local/bin/${svc}`,
      `LABEL version="\${VERSION}" built="$(date -u +%Y-%m-%dT%H:%M:%SZ)"`,
      `ENTRYPOINT ["/usr/local/bin/${svc}"]`,
      'EOF',
      `docker buildx build -f "$SCRIPT_DIR/Dockerfile.${svc}" --platform "$PLATFORMS" -t "$REGISTRY/${svc}:$TAG" --push .`,
      '',
    ].join('\n');
  },
  (t) => [`docker buildx bake -f docker-bake.hcl --set "*.platform=$PLATFORMS" --set "*.cache-from=type=registry,ref=$REGISTRY/cache" ${t.pick(['release', 'default', 'ci'])} --push`, ''].join('\n'),
  () => ['cleanup() {', '  local rc=$?', '  docker buildx rm --keep-state "$BUILDER" >/dev/null 2>&1 || true', '  exit "$rc"', '}', "trap 'cleanup' EXIT", ''].join('\n'),
  (t) => {
    const svc = t.pick(SERVICES);
    return [
      'case "${1:-build}" in',
      '  build)',
      `    docker buildx build --platform "$PLATFORMS" -t "$REGISTRY/${svc}:$TAG" ${t.chance(0.03) ? '--load' : '--push'} .`,
      '    ;;',
      '  inspect)',
      '    docker buildx inspect "$BUILDER"',
      '    docker buildx imagetools inspect "$REGISTRY/' + svc + ':$TAG"',
      '    ;;',
      '  clean) docker buildx rm "$BUILDER" ;;',
      '  *) echo "usage: $0 {build|inspect|clean}" >&2; exit 2 ;;',
      'esac',
      '',
    ].join('\n');
  },
  (t) => {
    const svc = t.pick(SERVICES);
    return [
      `build_${svc}() {`,
      '  local ctx="${1:?missing context}" tag="${2:-$TAG}"',
      `  docker buildx build --builder "$BUILDER" --platform "$PLATFORMS" \\`,
      `    -t "$REGISTRY/${svc}:$tag" --annotation "index:org.opencontainers.image.source=https://example.com/${svc}" \\`,
      `    --attest type=sbom --attest type=provenance,mode=max --push "$ctx" || return 1`,
      '}',
      `build_${svc} "$SCRIPT_DIR/../${svc}"`,
      '',
    ].join('\n');
  },
];

const ordinaryShell = [
  () => `log() { printf '%s %s\\n' "$(date -u +%H:%M:%S)" "$*" >&2; }\n`,
  (t) => `mkdir -p "$SCRIPT_DIR/out/${t.pick(SERVICES)}" && cp -r "$SCRIPT_DIR/assets" "$SCRIPT_DIR/out/" || exit 1\n`,
  (t) => `kubectl --namespace "$NAMESPACE" rollout status deployment/${t.pick(SERVICES)} --timeout=${t.pick(['120s', '300s'])}\n`,
  () => `git fetch --tags --quiet && VERSION="$(git describe --tags --always --dirty)"\necho "version $VERSION"\n`,
  (t) => `while read -r line; do\n  [[ -z "$line" || "$line" == \\#* ]] && continue\n  printf '  %s\\n' "\${line%%=*}"\ndone < "$SCRIPT_DIR/${t.pick(['services.txt', 'env.list', 'targets'])}"\n`,
  (t) => `curl -fsSL --retry 3 "https://example.com/${t.pick(['charts', 'manifests', 'tools'])}/index.yaml" -o "/tmp/index-$$.yaml"\n`,
  () => `if ! command -v jq >/dev/null 2>&1; then\n  echo "jq is required" >&2\n  exit 1\nfi\n`,
  () => `export KUBECONFIG="\${KUBECONFIG:-$HOME/.kube/config}" DOCKER_BUILDKIT=1\n`,
  (t) =>
    `# ${t.pick(['Keep the cache warm between jobs.', 'The arm64 nodes are tainted; see the cluster docs.', 'Images are signed in a later step.', 'TODO: move to bake once every service has a target.'])}\n`,
  (t) => `sed -i.bak -e "s|image: .*${t.pick(SERVICES)}:.*|image: $REGISTRY/${t.pick(SERVICES)}:$TAG|" deploy/values.yaml && rm -f deploy/values.yaml.bak\n`,
  (t) => `ARGS=(--progress=plain --metadata-file "/tmp/meta-${t.int(100)}.json")\necho "\${#ARGS[@]} extra arguments"\n`,
  (t) => `awk -F= '/^${t.pick(['VERSION', 'CHART', 'APP'])}=/ { print $2 }' "$SCRIPT_DIR/../VERSION" | tr -d '[:space:]'\n`,
];

function shellFile(t, name, size) {
  const parts = [shellHeader(t, name)];
  let n = parts[0].length;
  let i = 0;
  while (n < size - 320) {
    const s = t.chance(0.45) ? t.pick(shellChunks)(t, i++) : t.pick(ordinaryShell)(t) + t.pick(ordinaryShell)(t);
    parts.push(s);
    n += s.length;
  }
  return parts.join('\n');
}

// ---------------------------------------------------------------- Makefiles

function makeHeader(t) {
  const svcs = new Set();
  while (svcs.size < 3) svcs.add(t.pick(SERVICES));
  return [
    `# Build, test and push the multi-platform images of ${[...svcs].join(', ')}.`,
    `REGISTRY ?= ${t.pick(REGISTRIES)}`,
    'TAG ?= $(shell git rev-parse --short HEAD)',
    `PLATFORMS ?= ${platformList(t)}`,
    `SERVICES := ${[...svcs].join(' ')}`,
    'DOCKER ?= docker',
    `BUILDER ?= kbx-make-${t.int(1000)}`,
    `NAMESPACE ?= ${t.pick(NAMESPACES)}`,
    `REPLICAS ?= ${1 + t.int(3)}`,
    '',
    'ifeq ($(CI),true)',
    'PUSH := --push',
    'else',
    'PUSH := --load',
    'endif',
    '',
    '.PHONY: all builder images test clean',
    'all: images',
    '',
  ].join('\n');
}

const makeChunks = [
  (t, i) => {
    const arch = t.pick(['amd64', 'arm64']);
    const opts = driverOpts(t, arch, '$(NAMESPACE)');
    const lines = [`builder-${i}:`, `\t$(DOCKER) buildx create --name $(BUILDER) --driver kubernetes --node $(BUILDER)-${arch} \\`, `\t\t--platform linux/${arch} \\`];
    for (const o of opts.slice(0, -1)) lines.push(`\t\t${o} \\`);
    lines.push(`\t\t${opts[opts.length - 1]} || true`);
    lines.push(
      `\t$(DOCKER) buildx create --append --name $(BUILDER) --driver kubernetes --node $(BUILDER)-arm64 --platform linux/arm64 --driver-opt namespace=$(NAMESPACE),replicas=$(REPLICAS),nodeselector=kubernetes.io/arch=arm64`,
    );
    lines.push('\t$(DOCKER) buildx use $(BUILDER)', '\t@$(DOCKER) buildx inspect --bootstrap $(BUILDER)', '');
    return lines.join('\n');
  },
  (t, i) =>
    [
      `image-${i}-%:`,
      '\t$(DOCKER) buildx build --builder $(BUILDER) --platform $(PLATFORMS) \\',
      '\t\t-t $(REGISTRY)/$*:$(TAG) --build-arg VERSION=$(TAG) \\',
      `\t\t--cache-from type=registry,ref=$(REGISTRY)/$*:cache --cache-to type=registry,ref=$(REGISTRY)/$*:cache,mode=${t.pick(['max', 'min'])} \\`,
      '\t\t$(PUSH) ./services/$*',
      '',
    ].join('\n'),
  (t, i) =>
    [
      `images-${i}:`,
      '\t@for svc in $(SERVICES); do \\',
      '\t\techo "building $$svc"; \\',
      `\t\t$(DOCKER) buildx build --platform ${t.chance(0.5) ? '$(PLATFORMS)' : platformList(t)} -t $(REGISTRY)/$$svc:$(TAG) --push ./services/$$svc || exit 1; \\`,
      '\tdone',
      '',
    ].join('\n'),
  (t, i) => [`bake-${i}:`, `\tdocker buildx bake --file docker-bake.hcl --set '*.platform=$(PLATFORMS)' ${t.pick(['release', 'default'])}`, ''].join('\n'),
  (_t, i) => [`clean-${i}:`, '\t-$(DOCKER) buildx rm $(BUILDER)', '\trm -rf out/ dist/', ''].join('\n'),
  (t, i) =>
    [
      `ifeq ($(ARCH_${i}),arm64)`,
      `EXTRA_${i} := --platform linux/arm64`,
      'else',
      `EXTRA_${i} := --platform linux/amd64`,
      'endif',
      `release-${i}: builder`,
      `\tdocker buildx build $(EXTRA_${i}) -t $(REGISTRY)/${t.pick(SERVICES)}:$(TAG) --provenance=false --push .`,
      '',
    ].join('\n'),
];

const ordinaryMake = [
  (t, i) => [`test-${i}:`, `\tgo test ./... -run '${t.pick(['Test', 'TestIntegration', 'TestUnit'])}' -count=1`, ''].join('\n'),
  (_t, i) => [`lint-${i}:`, '\tgolangci-lint run --timeout 5m', '\tshellcheck scripts/*.sh', ''].join('\n'),
  (t, i) => [`bin/${t.pick(SERVICES)}-${i}: $(wildcard cmd/**/*.go)`, '\tCGO_ENABLED=0 go build -trimpath -o $@ ./cmd/$(notdir $@)', ''].join('\n'),
  (_t, i) => [`deploy-${i}:`, '\thelm upgrade --install $(notdir $(CURDIR)) deploy/chart --namespace $(NAMESPACE) --set image.tag=$(TAG)', ''].join('\n'),
  (t, i) =>
    `# ${t.pick(['Targets below are used by CI only.', 'Keep in sync with .github/workflows/release.yml.', 'Do not run in parallel: the builder is shared.'])}\nVAR_${i} := $(strip $(SERVICES))\n`,
];

function makeFile(t, size) {
  const parts = [makeHeader(t)];
  const targets = { builder: [], images: [], test: [], clean: [] };
  let n = parts[0].length;
  let i = 0;
  while (n < size - 320) {
    const s = t.chance(0.5) ? t.pick(makeChunks)(t, i) : t.pick(ordinaryMake)(t, i);
    // The phony targets of the header collect the numbered targets, as a real Makefile's do.
    const name = /^([a-z]+)-\d+:/m.exec(s)?.[1];
    const group = { builder: 'builder', images: 'images', release: 'images', bake: 'images', test: 'test', lint: 'test', clean: 'clean' }[name];
    if (group) targets[group].push(/^([a-z]+-\d+):/m.exec(s)[1]);
    i++;
    parts.push(s);
    n += s.length;
  }
  parts.push(
    Object.entries(targets)
      .map(([k, v]) => `${k}:${v.map((x) => ` ${x}`).join('')}`)
      .join('\n') + '\n',
  );
  return parts.join('\n');
}

// ---------------------------------------------------------------- the corpora

/**
 * denseCorpus returns [{ path, text, kind }] — `files` files (about one in three a Makefile or
 * `.mk`), `bytes` characters in all, spread over repositories like a monorepo's CI folders.
 */
export function denseCorpus({ files = 400, bytes = 6_500_000, seed = 1 } = {}) {
  const t = tools(mulberry32(seed));
  const out = [];
  const mean = bytes / files;
  for (let k = 0; k < files; k++) {
    const repo = `repo${String(Math.floor(k / 10)).padStart(2, '0')}`;
    const size = Math.round(mean * (0.4 + (1.2 * t.int(1000)) / 1000));
    const slot = k % 10;
    if (slot === 0) out.push({ path: `${repo}/Makefile`, kind: 'make', text: makeFile(t, size) });
    else if (slot === 5) out.push({ path: `${repo}/build/docker.mk`, kind: 'make', text: makeFile(t, size) });
    else if (slot === 8) out.push({ path: `${repo}/hack/images-${k}.mk`, kind: 'make', text: makeFile(t, size) });
    else {
      const dir = t.pick(['ci', 'scripts', 'hack', '.ci']);
      const name = `${t.pick(['build', 'release', 'publish', 'images', 'multiarch'])}-${k}.sh`;
      out.push({ path: `${repo}/${dir}/${name}`, kind: 'shell', text: shellFile(t, name, size) });
    }
  }
  return out;
}

const plainLines = [
  (t, i) => `echo "step ${t.int(100)} of job ${i}" && cp -r "src/${t.int(50)}" "dst/${t.int(50)}" || exit 1`,
  (t) => `for f in ${t.pick(['*.txt', 'logs/*.log', 'data/*.csv'])}; do gzip -9 "$f"; done`,
  (t) => `if [ -f "${t.pick(['config.env', '.env', 'settings.conf'])}" ]; then . ./settings.conf; fi`,
  (t) => `rsync -a --delete "${t.pick(['build/', 'public/', 'site/'])}" "user@host:/srv/${t.pick(['www', 'app', 'docs'])}/"`,
  (t) => `find . -name '*.${t.pick(['o', 'pyc', 'tmp'])}' -delete`,
  (t) => `tar -czf "backup-$(date +%F).tar.gz" ${t.pick(['etc', 'home/app', 'var/lib/app'])}`,
  (t) => `grep -q '${t.pick(['ERROR', 'FATAL', 'panic'])}' "$LOG" && notify "failure in $HOSTNAME"`,
  (t) => `python3 -m pip install --user -r ${t.pick(['requirements.txt', 'dev-requirements.txt'])}`,
  (t) => `count=$((count + ${1 + t.int(9)}))`,
  (t) => `# ${t.pick(['rotate logs nightly', 'called by cron', 'keep this idempotent', 'see the runbook'])}`,
];

/** plainTree returns [{ path, text }]: `files` ordinary shell scripts, none mentioning buildx. */
export function plainTree({ files = 9200, seed = 2 } = {}) {
  const t = tools(mulberry32(seed));
  const out = [];
  for (let i = 0; i < files; i++) {
    const body = [t.pick(['#!/bin/sh', '#!/bin/bash', '#!/usr/bin/env bash']), 'set -e', `# maintenance script ${i}`, 'LOG=/var/log/job.log', 'count=0'];
    const n = 20 + t.int(60);
    for (let k = 0; k < n; k++) body.push(t.pick(plainLines)(t, i));
    out.push({ path: `pkg${i % 60}/sub${i % 7}/job-${i}.sh`, text: body.join('\n') + '\n' });
  }
  return out;
}

/**
 * lspScript returns one shell script of `lines` lines holding `commands` buildx commands (each in
 * a block of lines/commands lines), the document the language-server rows edit.
 */
export function lspScript({ lines = 5000, commands = 500, seed = 3 } = {}) {
  const t = tools(mulberry32(seed));
  const per = Math.floor(lines / commands);
  const out = ['#!/usr/bin/env bash', 'set -euo pipefail', 'REGISTRY=ghcr.io/acme', 'TAG="$(git rev-parse --short HEAD)"'];
  for (let i = 0; i < commands; i++) {
    const arch = t.pick(['amd64', 'arm64']);
    const block = [];
    if (i % 2 === 0) {
      block.push(
        `docker buildx create --name b${i} --driver kubernetes --node n${i} --platform linux/${arch} \\`,
        `  --driver-opt namespace=${t.pick(NAMESPACES)},replicas=${1 + t.int(4)},requests.cpu=${t.pick(['1', '500m'])} \\`,
        `  --driver-opt '"nodeselector=kubernetes.io/arch=${arch},pool=${t.pick(POOLS)}"'`,
      );
    } else {
      block.push(
        `docker buildx build --builder b${i - 1} --platform linux/${arch} \\`,
        `  -t "$REGISTRY/${t.pick(SERVICES)}:$TAG" --cache-from type=registry,ref=$REGISTRY/cache-${i} \\`,
        `  --push .`,
      );
    }
    while (block.length < per - 1)
      block.push(
        t
          .pick(ordinaryShell)(t)
          .split('\n')[0]
          .replace(/^(if|while|for|case)\b.*$/, 'echo "ordinary line"'),
      );
    out.push(`# block ${i}`, ...block.slice(0, per - 1));
  }
  while (out.length < lines) out.push('echo done');
  return out.slice(0, lines).join('\n') + '\n';
}

/** hugeDriverOpt returns one `docker buildx create` whose --driver-opt has `fields` fields. */
export function hugeDriverOpt({ fields = 5_000_000 } = {}) {
  return `docker buildx create --driver kubernetes --driver-opt ${'a=b,'.repeat(fields - 1)}a=b\n`;
}

/** writeFiles writes [{ path, text }] under dir and returns the number of bytes written. */
export function writeFiles(dir, files) {
  let bytes = 0;
  for (const f of files) {
    const p = join(dir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.text);
    bytes += Buffer.byteLength(f.text);
  }
  return bytes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const dir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const num = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : def;
  };
  if (!dir) {
    process.stderr.write('usage: node bench/corpus.mjs DIR [--files N] [--bytes N] [--seed N] [--plain N] [--lsp]\n');
    process.exit(2);
  }
  const dense = denseCorpus({ files: num('files', 400), bytes: num('bytes', 6_500_000), seed: num('seed', 1) });
  const bytes = writeFiles(join(dir, 'dense'), dense);
  console.log(`${join(dir, 'dense')}: ${dense.length} files, ${(bytes / 1e6).toFixed(2)} MB`);
  const plain = num('plain', 0);
  if (plain > 0) {
    const files = plainTree({ files: plain });
    console.log(`${join(dir, 'plain')}: ${files.length} files, ${(writeFiles(join(dir, 'plain'), files) / 1e6).toFixed(2)} MB`);
  }
  if (args.includes('--lsp')) {
    writeFiles(dir, [{ path: 'lsp-5000.sh', text: lspScript() }]);
    console.log(`${join(dir, 'lsp-5000.sh')}: 5000 lines`);
  }
}
