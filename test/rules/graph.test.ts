/**
 * Acceptance tests of the builder-graph rules: a realistic multi-arch kubernetes script and
 * Makefile lint clean with every rule, and each planted mistake is reported at its exact text.
 */
import { describe, expect, it } from 'vitest';
import { lint } from '../../server/src/engine/lint';
import { GRAPH_RULES } from '../../server/src/rules/graph-rules';
import type { Diagnostic } from '../../server/src/core/diagnostic';

/** lintAll is the real engine with its default rules (the Makefile host gives each rule its own scope). */
function lintAll(text: string, fileName = 'build.sh'): Diagnostic[] {
  return lint({ text, fileName }).diagnostics;
}

/**
 * full: a finding's three parts in one line, so a pattern can pin the exact buildx error at the
 * end whether a rule puts it in `upstream` or (not yet split) in the message.
 */
function full(d: Diagnostic): string {
  return `${d.message}${d.help ? `; ${d.help}` : ''}${d.upstream ? `; buildx: ${d.upstream}` : ''}`;
}

function show(text: string, ds: Diagnostic[]) {
  return ds.map((d) => ({ code: d.code, severity: d.severity, text: text.slice(d.span.start, d.span.end), message: d.message }));
}

const CREATE_AMD = `docker buildx create --name multi --driver kubernetes --platform linux/amd64 --node amd --driver-opt '"nodeselector=kubernetes.io/arch=amd64"'`;
const APPEND_ARM = `docker buildx create --name multi --append --platform linux/arm64 --node arm --driver-opt '"nodeselector=kubernetes.io/arch=arm64"'`;
const BUILD = `docker buildx build --builder multi --platform linux/amd64,linux/arm64 -t img --push .`;

const SCRIPT = `#!/bin/sh
set -eu
# one Deployment per architecture
${CREATE_AMD}
${APPEND_ARM}
${BUILD}
`;

interface Plant {
  name: string;
  /** Replace `from` with `to` (first occurrences, in order). */
  edits: [string, string][];
  code: string;
  severity: 'error' | 'warning' | 'info';
  /** Exact source text under the span. */
  text: string;
  /** The span is the first occurrence of `text` after the first occurrence of `after`. */
  after?: string;
  message?: RegExp;
}

function plant(src: string, edits: [string, string][]): string {
  let out = src;
  for (const [from, to] of edits) {
    expect(out.includes(from), `edit source ${from}`).toBe(true);
    out = out.replace(from, to);
  }
  return out;
}

function locate(text: string, needle: string, after?: string): number {
  const from = after === undefined ? 0 : text.indexOf(after);
  expect(from, `anchor ${after}`).toBeGreaterThanOrEqual(0);
  return text.indexOf(needle, after === undefined ? 0 : from + after.length);
}

function expectFinding(text: string, ds: Diagnostic[], p: Plant) {
  const hits = ds.filter((d) => d.code === p.code);
  const ctx = JSON.stringify(show(text, ds), null, 1);
  expect(hits.length, ctx).toBeGreaterThan(0);
  const start = locate(text, p.text, p.after);
  const hit = hits.find((d) => d.span.start === start && d.span.end === start + p.text.length);
  expect(hit, `${p.code} at ${JSON.stringify(p.text)}@${p.after ?? ''}\n${ctx}`).toBeDefined();
  expect(hit!.severity).toBe(p.severity);
  expect(hit!.message).toBe(hit!.message.trim());
  if (p.message) expect(full(hit!)).toMatch(p.message);
}

const SCRIPT_PLANTS: Plant[] = [
  {
    name: '--append without --name',
    edits: [['create --name multi --append', 'create --append']],
    code: 'KBX402',
    severity: 'error',
    text: '--append',
    message: /buildx: append requires a builder name$/,
  },
  {
    name: '--append on the first create',
    edits: [['--name multi --driver kubernetes', '--name multi --append --driver kubernetes']],
    code: 'KBX403',
    severity: 'warning',
    text: 'multi',
    message: /buildx: failed to find instance "multi" for append$/,
  },
  {
    name: '--append reusing an existing --node',
    edits: [['--node arm', '--node amd']],
    code: 'KBX404',
    severity: 'warning',
    text: 'amd',
    after: '--append --platform linux/arm64 --node',
    message: /replaces that node/,
  },
  {
    name: '--node of a missing node without --append',
    edits: [['--name multi --append', '--name multi']],
    code: 'KBX405',
    severity: 'error',
    text: 'arm',
    after: '--platform linux/arm64 --node',
    message: /buildx: node arm not found, did you mean to append\?$/,
  },
  {
    name: 're-creating an existing builder',
    edits: [['--name multi --append --platform linux/arm64 --node arm', '--name multi --platform linux/arm64']],
    code: 'KBX406',
    severity: 'error',
    text: 'multi',
    after: 'arch=amd64',
    message: /buildx: existing instance for "multi" but no append mode, specify the node name to make changes for existing instances$/,
  },
  {
    name: 'a different --driver on append',
    edits: [['--append --platform', '--append --driver docker-container --platform']],
    code: 'KBX407',
    severity: 'error',
    text: 'docker-container',
    message: /buildx: existing instance for "multi" but has mismatched driver "kubernetes"$/,
  },
  {
    name: '--leave without --node',
    edits: [[BUILD, `docker buildx create --name multi --leave\n${BUILD}`]],
    code: 'KBX408',
    severity: 'error',
    text: '--leave',
    message: /buildx: leave requires node name$/,
  },
  {
    name: '--leave without --name',
    edits: [[BUILD, `docker buildx create --leave --node arm\n${BUILD}`]],
    code: 'KBX408',
    severity: 'error',
    text: '--leave',
    message: /buildx: leave requires instance name$/,
  },
  {
    name: '--leave of an unknown node',
    edits: [[BUILD, `docker buildx create --name multi --leave --node arm64\n${BUILD}`]],
    code: 'KBX408',
    severity: 'error',
    text: 'arm64',
    after: '--leave --node',
    message: /buildx: node "arm64" not found for multi$/,
  },
  {
    name: '--leave of the last node',
    edits: [[BUILD, `docker buildx create --name multi --leave --node arm\ndocker buildx create --name multi --leave --node amd\n${BUILD}`]],
    code: 'KBX408',
    severity: 'error',
    text: 'amd',
    after: '--leave --node ',
    message: /can not leave last node, do you want to rm instance instead\?$/,
  },
  {
    name: 'a positional endpoint with kubernetes',
    edits: [['arch=arm64"\'', 'arch=arm64"\' multi-arm']],
    code: 'KBX409',
    severity: 'error',
    text: 'multi-arm',
    message: /buildx: kubernetes driver does not support endpoint args "multi-arm"$/,
  },
  {
    name: 'a platform list split at a space (kubernetes positional)',
    edits: [['--platform linux/amd64 --node amd', '--platform linux/amd64, linux/arm64 --node amd']],
    code: 'KBX409',
    severity: 'error',
    text: 'linux/arm64',
    message: /split at a space/,
  },
  {
    name: 'a second positional argument to create',
    edits: [[BUILD, `docker buildx create --name edge --driver remote --platform linux/amd64, linux/arm64 tcp://edge:1234\n${BUILD}`]],
    code: 'KBX420',
    severity: 'error',
    text: 'tcp://edge:1234',
    message: /"linux\/arm64" looks like part of a --platform list split at a space.*buildx: "docker buildx create" requires at most 1 argument\.$/,
  },
  {
    name: 'remote driver without endpoint',
    edits: [[BUILD, `docker buildx create --name edge --driver remote\n${BUILD}`]],
    code: 'KBX421',
    severity: 'error',
    text: 'remote',
    message: /buildx: no remote endpoint provided$/,
  },
  {
    name: 'a tcp:// endpoint without --driver',
    edits: [[BUILD, `docker buildx create --name edge tcp://edge:2376\n${BUILD}`]],
    code: 'KBX422',
    severity: 'warning',
    text: 'tcp://edge:2376',
    message: /remote builder/,
  },
  {
    name: 'nodeselector arch differs from --platform',
    edits: [
      ['--platform linux/arm64 --node arm --driver-opt \'"nodeselector=kubernetes.io/arch=arm64"\'', '--platform linux/arm64 --node arm --driver-opt \'"nodeselector=kubernetes.io/arch=amd64"\''],
    ],
    code: 'KBX423',
    severity: 'warning',
    text: 'linux/arm64',
    message: /nodeselector kubernetes.io\/arch=amd64/,
  },
  {
    name: 'one kubernetes node with two architectures, no qemu',
    edits: [['--platform linux/amd64 --node amd', '--platform linux/amd64,linux/s390x --node amd']],
    code: 'KBX424',
    severity: 'info',
    text: 'linux/s390x',
    message: /qemu\.install=true/,
  },
  {
    name: 'a platform pinned on two nodes',
    edits: [['--platform linux/arm64 --node arm', '--platform linux/arm64,linux/amd64 --node arm']],
    code: 'KBX425',
    severity: 'info',
    text: 'linux/amd64',
    after: '--platform linux/arm64,',
    message: /moves it to node "arm"/,
  },
  {
    name: 'a build platform no node declares',
    edits: [[APPEND_ARM + '\n', '']],
    code: 'KBX426',
    severity: 'warning',
    text: 'linux/arm64',
    message: /no node of builder "multi" declares "linux\/arm64"/,
  },
  {
    name: 'a build platform no node declares, builder from BUILDX_BUILDER',
    edits: [
      [APPEND_ARM + '\n', 'export BUILDX_BUILDER=multi\n'],
      ['--builder multi ', ''],
    ],
    code: 'KBX426',
    severity: 'warning',
    text: 'linux/arm64',
    message: /BUILDX_BUILDER/,
  },
  {
    name: 'a build platform no node declares, builder from create --use',
    edits: [
      [APPEND_ARM + '\n', ''],
      ['--name multi --driver', '--name multi --use --driver'],
      ['--builder multi ', ''],
    ],
    code: 'KBX426',
    severity: 'warning',
    text: 'linux/arm64',
    message: /create --use/,
  },
  {
    name: 'docker build after create --use',
    edits: [
      ['--name multi --driver', '--name multi --use --driver'],
      ['docker buildx build --builder multi', 'docker build'],
    ],
    code: 'KBX427',
    severity: 'info',
    text: 'docker build',
    after: 'arch=arm64',
    message: /ignores builder "multi"/,
  },
  {
    name: 'build --builder after rm',
    edits: [[BUILD, `docker buildx rm multi\n${BUILD}`]],
    code: 'KBX428',
    severity: 'warning',
    text: 'multi',
    after: '--builder',
    message: /removed earlier/,
  },
];

describe('graph rules on a multi-arch shell script', () => {
  it('the correct script lints clean with every rule', () => {
    expect(show(SCRIPT, lintAll(SCRIPT))).toEqual([]);
  });
  for (const p of SCRIPT_PLANTS) {
    it(`catches: ${p.name}`, () => {
      const text = plant(SCRIPT, p.edits);
      expectFinding(text, lintAll(text), p);
    });
  }
  it('dynamic builder names produce no graph findings', () => {
    const text = SCRIPT.replace(/--name multi/g, '--name "$B"').replace('--builder multi', '--builder "$B"');
    const graphCodes = new Set(GRAPH_RULES.map((r) => r.meta.code));
    expect(
      show(
        text,
        lintAll(text).filter((d) => graphCodes.has(d.code)),
      ),
    ).toEqual([]);
    // Even the mistakes that need the name are not judged.
    const planted = text.replace('--name "$B" --append', '--name "$B"') + 'docker buildx create --name "$B"\n';
    expect(
      show(
        planted,
        lintAll(planted).filter((d) => graphCodes.has(d.code)),
      ),
    ).toEqual([]);
  });
  it('a dynamic create makes a builder partially known', () => {
    const text = SCRIPT.replace(APPEND_ARM, `docker buildx create --name "$OTHER" --append --node arm --platform linux/arm64`);
    expect(lintAll(text).filter((d) => d.code === 'KBX426')).toEqual([]);
  });
  it('creates in exclusive branches are not duplicates', () => {
    const text = `if [ "$K8S" = 1 ]; then\n  ${CREATE_AMD}\nelse\n  docker buildx create --name multi --driver docker-container\nfi\n`;
    expect(
      show(
        text,
        lintAll(text).filter((d) => d.code === 'KBX406'),
      ),
    ).toEqual([]);
  });
  it('inspect || create then create again is not certain', () => {
    const text = `docker buildx inspect multi >/dev/null 2>&1 || docker buildx create --name multi\ndocker buildx create --name multi --driver docker-container\n`;
    expect(lintAll(text).filter((d) => d.code === 'KBX406')).toEqual([]);
  });
  it('rm then create again is fine', () => {
    const text = `docker buildx create --name multi\ndocker buildx rm multi\ndocker buildx create --name multi --use\ndocker buildx inspect multi\n`;
    const graphCodes = new Set(GRAPH_RULES.map((r) => r.meta.code));
    expect(
      show(
        text,
        lintAll(text).filter((d) => graphCodes.has(d.code)),
      ),
    ).toEqual([]);
  });
  it('BUILDKIT_HOST in the file supplies the remote endpoint', () => {
    const text = `export BUILDKIT_HOST=docker-container://buildkitd\ndocker buildx create --name=remote --driver=remote\n`;
    expect(lintAll(text).filter((d) => d.code === 'KBX421')).toEqual([]);
  });
  it('qemu.install=true allows several architectures on one node', () => {
    const text = `docker buildx create --name emu --driver kubernetes --platform linux/amd64,linux/arm64 --driver-opt qemu.install=true\ndocker buildx build --builder emu --platform linux/amd64,linux/arm64,linux/riscv64 .\n`;
    const graphCodes = new Set(GRAPH_RULES.map((r) => r.meta.code));
    expect(
      show(
        text,
        lintAll(text).filter((d) => graphCodes.has(d.code)),
      ),
    ).toEqual([]);
  });
  it('docker build with --builder or BUILDX_BUILDER honours the selection', () => {
    const text = `docker buildx create --name multi --use\ndocker build --builder multi .\nBUILDX_BUILDER=multi docker build .\n`;
    expect(lintAll(text).filter((d) => d.code === 'KBX427')).toEqual([]);
  });
  it('docker build honours the selection once docker buildx install set the builder alias', () => {
    const kbx427 = (text: string) => lintAll(text).filter((d) => d.code === 'KBX427').length;
    expect(kbx427('docker buildx create --name multi --use\ndocker buildx install\ndocker build .\n')).toBe(0);
    expect(kbx427('docker buildx install\ndocker buildx create --name multi --use\ndocker build .\n')).toBe(0);
    // Installed on one path only: the builder is unknown, not the context's.
    expect(kbx427('docker buildx create --name multi --use\nif x; then docker buildx install; fi\ndocker build .\n')).toBe(0);
    // Uninstalled again: the Docker CLI sets BUILDX_BUILDER to the context once more.
    expect(kbx427('docker buildx create --name multi --use\ndocker buildx install\ndocker buildx uninstall\ndocker build .\n')).toBe(1);
    // With the alias, docker build is judged against the builder in use, like buildx build.
    const load = lintAll('docker buildx create --name multi --use\ndocker buildx install\ndocker build --load --platform linux/amd64,linux/arm64 -t a .\n');
    const viaBuildx = lintAll('docker buildx create --name multi --use\ndocker buildx install\ndocker buildx build --load --platform linux/amd64,linux/arm64 -t a .\n');
    expect(load.map((d) => d.code)).toEqual(viaBuildx.map((d) => d.code));
  });
  it('every graph rule has complete docs and a code in its range', () => {
    for (const r of GRAPH_RULES) {
      const n = Number(r.meta.code.slice(3));
      expect(n >= 402 && n <= 499 && !(n >= 410 && n <= 419), r.meta.code).toBe(true);
      for (const k of ['what', 'why', 'example', 'useInstead', 'fixSafety'] as const) expect(r.meta.docs[k].length, `${r.meta.code} ${k}`).toBeGreaterThan(10);
    }
    expect(new Set(GRAPH_RULES.map((r) => r.meta.code)).size).toBe(GRAPH_RULES.length);
  });
  it('each rule example fires the rule and useInstead does not', () => {
    for (const r of GRAPH_RULES) {
      const fire = lintAll(r.meta.docs.example + '\n').filter((d) => d.code === r.meta.code);
      expect(fire.length, `${r.meta.code} example`).toBeGreaterThan(0);
      const clean = lintAll(r.meta.docs.useInstead + '\n').filter((d) => d.code === r.meta.code);
      expect(show(r.meta.docs.useInstead, clean), `${r.meta.code} useInstead`).toEqual([]);
    }
  });
});

const MAKEFILE = `BUILDER := multi
PLATFORMS := linux/amd64,linux/arm64
IMAGE ?= registry.example.com/app

.PHONY: builder image clean

builder:
\tdocker buildx create --name $(BUILDER) --driver kubernetes --platform linux/amd64 --node amd --driver-opt '"nodeselector=kubernetes.io/arch=amd64"'
\tdocker buildx create --name $(BUILDER) --append --platform linux/arm64 --node arm --driver-opt '"nodeselector=kubernetes.io/arch=arm64"'

image: builder
\tdocker buildx build --builder $(BUILDER) --platform $(PLATFORMS) -t $(IMAGE) --push .

clean:
\t-docker buildx rm $(BUILDER)
`;

const MAKE_PLANTS: Plant[] = [
  {
    name: '--append on the first create',
    edits: [['--name $(BUILDER) --driver', '--name $(BUILDER) --append --driver']],
    code: 'KBX403',
    severity: 'warning',
    text: '$(BUILDER)',
    message: /failed to find instance "multi" for append$/,
  },
  {
    name: 're-creating the builder in the same recipe',
    edits: [['--name $(BUILDER) --append --platform linux/arm64 --node arm', '--name $(BUILDER) --platform linux/arm64']],
    code: 'KBX406',
    severity: 'error',
    text: '$(BUILDER)',
    after: 'arch=amd64',
    message: /existing instance for "multi" but no append mode/,
  },
  {
    name: '--append reusing the node',
    edits: [['--node arm', '--node amd']],
    code: 'KBX404',
    severity: 'warning',
    text: 'amd',
    after: '--append --platform linux/arm64 --node',
  },
  {
    name: 'a positional endpoint with kubernetes',
    edits: [['arch=arm64"\'', 'arch=arm64"\' $(BUILDER)-arm']],
    code: 'KBX409',
    severity: 'error',
    text: '$(BUILDER)-arm',
    message: /endpoint args "multi-arm"$/,
  },
  {
    name: 'a build platform no node declares (across rules)',
    edits: [['\tdocker buildx create --name $(BUILDER) --append --platform linux/arm64 --node arm --driver-opt \'"nodeselector=kubernetes.io/arch=arm64"\'\n', '']],
    code: 'KBX426',
    severity: 'warning',
    text: '$(PLATFORMS)',
    message: /"linux\/arm64"/,
  },
  {
    name: 'nodeselector arch mismatch',
    edits: [
      ['--platform linux/arm64 --node arm --driver-opt \'"nodeselector=kubernetes.io/arch=arm64"\'', '--platform linux/arm64 --node arm --driver-opt \'"nodeselector=kubernetes.io/arch=amd64"\''],
    ],
    code: 'KBX423',
    severity: 'warning',
    text: 'linux/arm64',
    after: '--append',
  },
];

describe('graph rules on a Makefile', () => {
  it('the correct Makefile lints clean with every rule', () => {
    expect(show(MAKEFILE, lintAll(MAKEFILE, 'Makefile'))).toEqual([]);
  });
  for (const p of MAKE_PLANTS) {
    it(`catches: ${p.name}`, () => {
      const text = plant(MAKEFILE, p.edits);
      expectFinding(text, lintAll(text, 'Makefile'), p);
    });
  }
  it('the same create in two rules is not a duplicate', () => {
    const text = MAKEFILE + `\nrelease:\n\tdocker buildx create --name $(BUILDER) --driver kubernetes --platform linux/amd64 --node amd\n`;
    expect(lintAll(text, 'Makefile').filter((d) => d.code === 'KBX406')).toEqual([]);
  });
  it('an exported BUILDX_BUILDER dies with its recipe line', () => {
    const text = `b:\n\tdocker buildx create --name one --driver kubernetes --platform linux/amd64\n\texport BUILDX_BUILDER=one\n\tdocker buildx build --platform linux/arm64 .\n`;
    expect(lintAll(text, 'Makefile').filter((d) => d.code === 'KBX426')).toEqual([]);
    const same = `b:\n\tdocker buildx create --name one --driver kubernetes --platform linux/amd64\n\texport BUILDX_BUILDER=one; docker buildx build --platform linux/arm64 .\n`;
    expect(lintAll(same, 'Makefile').filter((d) => d.code === 'KBX426').length).toBe(1);
  });
  it('dynamic builder names produce no graph findings', () => {
    const text = MAKEFILE.replace('BUILDER := multi\n', '').replace(/\$\(BUILDER\)/g, '$$BUILDER_NAME');
    const graphCodes = new Set(GRAPH_RULES.map((r) => r.meta.code));
    expect(
      show(
        text,
        lintAll(text, 'Makefile').filter((d) => graphCodes.has(d.code)),
      ),
    ).toEqual([]);
  });
});

describe('KBX429 duplicate-endpoint', () => {
  const lintAll = (src: string, file = 'x.sh') => lint({ text: src, fileName: file }).diagnostics.filter((d) => d.code === 'KBX429');
  it('a second docker-container node on the current context', () => {
    const src = 'docker buildx create --name ci --platform linux/amd64\ndocker buildx create --name ci --append --platform linux/arm64\n';
    const [d] = lintAll(src);
    expect(d.severity).toBe('error');
    expect(src.slice(d.span.start, d.span.end)).toBe('ci');
    expect(d.upstream).toBe('invalid duplicate endpoint <context>');
  });
  it('the same remote endpoint twice', () => {
    const src = 'docker buildx create --name r --driver remote tcp://bk:1234\ndocker buildx create --name r --append tcp://bk:1234\n';
    const [d] = lintAll(src);
    expect(src.slice(d.span.start, d.span.end)).toBe('tcp://bk:1234');
  });
  it('is silent for distinct contexts, kubernetes nodes and dynamic endpoints', () => {
    expect(lintAll('docker buildx create --name ci\ndocker buildx create --name ci --append arm-host\n')).toEqual([]);
    expect(lintAll('docker buildx create --name ci\ndocker --context arm buildx create --name ci --append\n')).toEqual([]);
    expect(lintAll('docker buildx create --name k --driver kubernetes\ndocker buildx create --name k --append\n')).toEqual([]);
    expect(lintAll('docker buildx create --name ci\ndocker buildx create --name ci --append "$HOST"\n')).toEqual([]);
  });
});

/**
 * Per graph rule: the straight-line true positive still fires; the same mistake-looking shape
 * behind a guard, in another branch, or in another Make target does not.
 */
interface PathCase {
  code: string;
  file?: string;
  fires: string[];
  silent: string[];
}

const C = 'docker buildx create';
const PATH_CASES: PathCase[] = [
  {
    code: 'KBX403',
    fires: [
      `${C} --name m --append --node n2 tcp://h:1\n`,
      `${C} --name m\ndocker buildx rm m\n${C} --name m --append --node n2 tcp://h:1\n`,
      // A name that buildx could not have generated, or an unnamed create after the append.
      `${C} ctx1\n${C} --name multi --append ctx2\n`,
      `${C} --name eager_beaver --append ctx2\n${C} ctx1\n`,
    ],
    silent: [
      // The unnamed create got a generated name (\`adjective_surname\`) the file cannot know.
      `${C} mycontext1\n${C} --name eager_beaver --append mycontext2\n`,
      `if x; then ${C} --name m; fi\n${C} --name m --append --node n2 tcp://h:1\n`,
      `docker buildx inspect m || ${C} --name m\n${C} --name m --append --node n2 tcp://h:1\n`,
      `${C} --name m\nif x; then docker buildx rm m; fi\n${C} --name m --append --node n2 tcp://h:1\n`,
    ],
  },
  {
    code: 'KBX404',
    fires: [`${C} --name m --driver kubernetes --node a\n${C} --name m --append --node a\n`],
    silent: [
      `if x; then ${C} --name m --driver kubernetes --node a; fi\n${C} --name m --append --node a\n`,
      `${C} --name m --driver kubernetes --node a\n${C} --name m --append --node b\ncase "$1" in x) ${C} --name m --leave --node a;; esac\n${C} --name m --append --node a\n`,
    ],
  },
  {
    code: 'KBX405',
    fires: [`${C} --name m --node a\n${C} --name m --node b --platform linux/arm64\n`],
    silent: [
      `${C} --name m --node a\nif x; then ${C} --name m --append --node b tcp://h:1; fi\n${C} --name m --node b --platform linux/arm64\n`,
      `if x; then ${C} --name m --node a; fi\n${C} --name m --node b --platform linux/arm64\n`,
    ],
  },
  {
    code: 'KBX406',
    fires: [`${C} --name m\n${C} --name m\n`, `if x; then ${C} --name m; fi\n${C} --name m\n${C} --name m\n`, `${C} --name m && echo made\n${C} --name m\n`],
    silent: [
      `if ! docker buildx ls | grep -q m; then ${C} --name m; fi\n${C} --name m\n`,
      `docker buildx inspect m >/dev/null 2>&1 || ${C} --name m\n${C} --name m\n`,
      `${C} --name m || true\n${C} --name m\n`,
      `for i in 1 2; do ${C} --name m; done\n${C} --name m\n`,
      `setup() { ${C} --name m; }\n${C} --name m\n`,
      `${C} --name m\nif x; then docker buildx rm m; fi\n${C} --name m\n`,
      // Refused because a context has the name (KBX430): the first create made nothing.
      `docker context create m\n${C} --name m\n${C} --name m\n`,
    ],
  },
  {
    code: 'KBX407',
    fires: [`${C} --name m --driver docker-container\n${C} --name m --append --driver kubernetes --node k\n`],
    silent: [`if x; then ${C} --name m --driver docker-container; fi\n${C} --name m --append --driver kubernetes --node k\n`],
  },
  {
    code: 'KBX408',
    fires: [`${C} --name m --node a\n${C} --name m --leave --node a\n`],
    silent: [`${C} --name m --node a\nif x; then ${C} --name m --append --node b tcp://h:1; fi\n${C} --name m --leave --node a\n`],
  },
  {
    code: 'KBX425',
    fires: [`${C} --name m --node a --platform linux/amd64,linux/arm64\n${C} --name m --append --node b --platform linux/arm64 tcp://h:1\n`],
    silent: [
      `if x; then ${C} --name m --node a --platform linux/amd64,linux/arm64; fi\n${C} --name m --append --node b --platform linux/arm64 tcp://h:1\n`,
      ['amd64', 'arm64', 's390x', 'ppc64le'].map((a) => `if ! docker buildx ls | grep -q m; then ${C} --name m --platform linux/${a},linux/arm64; fi\n`).join(''),
    ],
  },
  {
    code: 'KBX426',
    fires: [`${C} --name m --driver kubernetes --platform linux/amd64\ndocker buildx build --builder m --platform linux/arm64 .\n`],
    silent: [
      `${C} --name m --driver kubernetes --platform linux/amd64\nif x; then ${C} --name m --append --node arm --platform linux/arm64; fi\ndocker buildx build --builder m --platform linux/arm64 .\n`,
      `if x; then ${C} --name m --driver kubernetes --platform linux/amd64; fi\ndocker buildx build --builder m --platform linux/arm64 .\n`,
    ],
  },
  {
    code: 'KBX427',
    fires: [`${C} --name m --use\ndocker build .\n`, `docker buildx use m\nif x; then docker build .; fi\n`],
    silent: [`if x; then ${C} --name m --use; fi\ndocker build .\n`, `case "$1" in x) docker buildx use m;; esac\ndocker build .\n`, `docker buildx use m || true\ndocker build .\n`],
  },
  {
    code: 'KBX428',
    fires: [`${C} --name m\ndocker buildx rm m\ndocker buildx inspect m\n`],
    silent: [
      `${C} --name m\nif x; then docker buildx rm m; fi\ndocker buildx inspect m\n`,
      `${C} --name m\ndocker buildx rm m\nif x; then ${C} --name m; fi\ndocker buildx inspect m\n`,
      `${C} --name m\ndocker buildx rm m\n${C} --name "$B"\ndocker buildx inspect m\n`,
    ],
  },
  {
    code: 'KBX429',
    fires: [
      `${C} --name m --platform linux/amd64\n${C} --name m --append --platform linux/arm64\n`,
      // An update that moves a node onto another node's endpoint (buildx store TestNodeGroupUpdate).
      `${C} --name ng --node foo tcp://foo0:2375\n${C} --name ng --append --node foo1 tcp://foo1:2375\n${C} --name ng --node foo1 tcp://foo0:2375\n`,
    ],
    silent: [
      `if x; then ${C} --name m --platform linux/amd64; fi\n${C} --name m --append --platform linux/arm64\n`,
      `${C} --name ng --node foo tcp://foo0:2375\n${C} --name ng --append --node foo1 tcp://foo1:2375\n${C} --name ng --node foo tcp://foo0:2375\n`,
    ],
  },
  {
    code: 'KBX430',
    fires: [`docker context create arm --docker host=ssh://arm\n${C} --name arm arm\n`, `docker --context x context create arm\n${C} --name arm --use\n`],
    silent: [
      `docker context create arm --docker host=ssh://arm\n${C} --name arm-builder arm\n`,
      `docker context create arm --docker host=ssh://arm\n${C} --name arm --append --node n2 arm\n`,
      `if x; then docker context create arm; fi\n${C} --name arm\n`,
      `docker context create arm\ndocker context rm arm\n${C} --name arm\n`,
    ],
  },
  {
    code: 'KBX431',
    fires: ['docker buildx rm default\n', `docker context create arm\ndocker buildx rm arm\n`],
    silent: [`${C} --name ci\ndocker buildx rm ci\n`, `if x; then docker context create arm; fi\ndocker buildx rm arm\n`, `docker buildx rm "$B"\n`],
  },
];

describe('graph rules on paths and scopes', () => {
  for (const pc of PATH_CASES) {
    pc.fires.forEach((text, i) => {
      it(`${pc.code} fires: ${i}`, () => {
        expect(
          show(text, lintAll(text, pc.file)).map((d) => d.code),
          text,
        ).toContain(pc.code);
      });
    });
    pc.silent.forEach((text, i) => {
      it(`${pc.code} stays silent: ${i}`, () => {
        expect(
          show(text, lintAll(text, pc.file)).filter((d) => d.code === pc.code),
          text,
        ).toEqual([]);
      });
    });
  }
});

/** Makefiles in the shapes public projects use. */
describe('graph rules on Makefile shapes', () => {
  const graphCodes = new Set(GRAPH_RULES.map((r) => r.meta.code));
  const graphFindings = (text: string) =>
    show(
      text,
      lintAll(text, 'Makefile').filter((d) => graphCodes.has(d.code)),
    );
  it('four targets, each creating the builder behind an ls | grep guard, chain nothing', () => {
    const targets = ['amd64', 'arm64', 'arm', 'ppc64le'].map(
      (a) =>
        `builder-${a}:\n\t@if ! docker buildx ls | grep -q $(NAME); then \\\n\t\tdocker buildx create --name $(NAME) --platform linux/${a},linux/arm64 --use; \\\n\tfi\n\tdocker buildx build --platform linux/${a} -t img:${a} .\n`,
    );
    const text = `NAME := multi\n.PHONY: all\nall: ${['amd64', 'arm64', 'arm', 'ppc64le'].map((a) => `builder-${a}`).join(' ')}\n\n${targets.join('\n')}`;
    expect(graphFindings(text)).toEqual([]);
  });
  it('docker build in one target is not tied to create --use or buildx use in another', () => {
    const text = `setup:\n\tdocker buildx create --name ci --use\n\nuse:\n\tdocker buildx use ci\n\nlocal-image:\n\tdocker build -t app:dev .\n\nimage: setup\n\tdocker build -t app .\n`;
    const ds = graphFindings(text);
    // Only the target that runs after `setup` builds with the selection in force.
    expect(ds.map((d) => [d.code, d.text])).toEqual([['KBX427', 'docker build']]);
    expect(lintAll(text, 'Makefile').find((d) => d.code === 'KBX427')!.span.start).toBe(text.lastIndexOf('docker build'));
  });
  it('a prerequisite that appends a node is seen by the image target', () => {
    const text = `B := k\nbuilder:\n\tdocker buildx create --name $(B) --driver kubernetes --node amd --platform linux/amd64\narm: builder\n\tdocker buildx create --name $(B) --append --node arm --platform linux/arm64\nimage: arm\n\tdocker buildx build --builder $(B) --platform linux/amd64,linux/arm64,linux/riscv64 -t img .\n`;
    expect(graphFindings(text).map((d) => [d.code, d.text])).toEqual([['KBX426', 'linux/riscv64']]);
  });
  it('re-creating in the same recipe is still an error', () => {
    const text = `builder:\n\tdocker buildx create --name b\n\tdocker buildx create --name b\n`;
    expect(graphFindings(text).map((d) => d.code)).toEqual(['KBX406']);
  });
});
