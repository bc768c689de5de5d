import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildModel, lint } from '../../server/src/engine/lint';
import { BUILD_FLAG_RULES } from '../../server/src/rules/build-flag-rules';
import { analyseBuildFlags, BUILD_FLAG_PROBLEM_KINDS } from '../../server/src/buildx/build-flags/index';
import { problemOwners } from '../../server/src/rules/rule';
import { RULES } from '../../server/src/rules/index';

const OWNERS = problemOwners(RULES);
const ownerOf = (kind: string) => OWNERS.get(kind as never)?.meta.code;
const kindsOf = (code: string) => BUILD_FLAG_PROBLEM_KINDS.filter((k) => ownerOf(k) === code);

import { brief, diags } from '../harness/flag-rules';
import { said } from '../harness/said';

const B = (flags: string) => `docker buildx build ${flags} .`;

describe('the multi-arch release script', () => {
  it('is clean', () => {
    const src =
      '#!/bin/sh\nset -eu\n' +
      'docker buildx build --builder kube --platform linux/amd64,linux/arm64 -t registry.example.com/app:1.0 --push ' +
      '--cache-to type=registry,ref=registry.example.com/app:cache,mode=max --cache-from type=registry,ref=registry.example.com/app:cache ' +
      '--secret id=npmrc,src=$HOME/.npmrc --build-arg VERSION=1.0 .\n';
    expect(diags(src, 'release.sh', { all: true })).toEqual([]);
  });

  it('is clean as a Makefile recipe with variables', () => {
    const mk =
      'IMAGE ?= registry.example.com/app\nVERSION ?= 1.0\nPLATFORMS = linux/amd64,linux/arm64\n' +
      'release:\n\tdocker buildx build --platform $(PLATFORMS) -t $(IMAGE):$(VERSION) --push \\\n' +
      '\t  --cache-to type=registry,ref=$(IMAGE):cache,mode=max --cache-from type=registry,ref=$(IMAGE):cache \\\n' +
      '\t  --secret id=npmrc,src=$$HOME/.npmrc --build-arg VERSION=$(VERSION) --provenance=mode=max --sbom=true .\n';
    expect(diags(mk, 'Makefile', { all: true })).toEqual([]);
  });
});

describe('value rules', () => {
  it('KBX501 build-output-invalid: the -o dest= shorthand trap and a missing type', () => {
    const src = B('-o dest=./out --output "type=local"');
    expect(brief(src)).toEqual([
      ['KBX501', 'warning', 'dest=./out'],
      ['KBX501', 'error', 'type=local'],
    ]);
    expect(said(diags(src)[0])).toContain('local directory literally named "dest=./out"');
    expect(brief(B('-o type=local,dest=./out -o type=image,name=registry.example.com/app,push=true'))).toEqual([]);
  });

  it('KBX502 build-cache-invalid', () => {
    const src = B("--cache-to 'ref=registry.example.com/app:cache,mode=max'");
    expect(brief(src)).toEqual([['KBX502', 'error', 'ref=registry.example.com/app:cache,mode=max']]);
    expect(said(diags(src)[0])).toContain('type required for "ref=registry.example.com/app:cache,mode=max"');
    expect(brief(B('--cache-from registry.example.com/app:cache --cache-to type=inline'))).toEqual([]);
  });

  it('KBX503 build-secret-ssh-invalid', () => {
    expect(brief(B('--secret name=npmrc,src="$HOME/.npmrc" --ssh default --ssh default=/tmp/agent.sock'))).toEqual([
      ['KBX503', 'error', 'name'],
      ['KBX503', 'error', 'default=/tmp/agent.sock'],
    ]);
    expect(brief(B('--secret id=npmrc,src="$HOME/.npmrc" --secret id=token,env=GH_TOKEN --ssh default'))).toEqual([]);
  });

  it('KBX504 build-attest-invalid', () => {
    expect(brief(B('--attest mode=max --attest type=sbom,disabled=nope'))).toEqual([
      ['KBX504', 'error', 'mode=max'],
      ['KBX504', 'error', 'disabled=nope'],
    ]);
    expect(brief(B('--attest type=sbom --provenance=mode=max --sbom=true'))).toEqual([['KBX529', 'info', 'true']]);
    expect(brief(B('--attest type=sbom --provenance=mode=max'))).toEqual([]);
  });

  it('KBX505 build-tag-invalid', () => {
    const src = B('-t "registry.example.com/MyApp:1.0" -t registry.example.com/app:Latest');
    expect(brief(src)).toEqual([['KBX505', 'error', 'MyA']]);
    expect(said(diags(src)[0])).toContain('invalid tag "registry.example.com/MyApp:1.0": invalid reference format: repository name (MyApp) must be lowercase');
  });

  it('KBX506 build-context-invalid', () => {
    expect(brief(B('--build-context Base=docker-image://alpine:3.20 --build-context src'))).toEqual([
      ['KBX506', 'error', 'Base'],
      ['KBX506', 'error', 'src'],
    ]);
    expect(brief(B('--build-context base=docker-image://alpine:3.20 --build-context src=../src'))).toEqual([]);
  });

  it('KBX507 build-allow-invalid', () => {
    const src = B('--allow network=host --allow buildx.local.delete=true');
    expect(brief(src)).toEqual([
      ['KBX507', 'error', 'network=host'],
      ['KBX507', 'error', 'buildx.local.delete=true'],
    ]);
    expect(said(diags(src)[0])).toContain('did you mean "network.host"?');
    expect(brief(B('--allow network.host --allow security.insecure'))).toEqual([]);
  });

  it('KBX508 build-add-host-invalid: an unquoted comma splits the entry', () => {
    const src = B('--add-host db=10.0.0.5,10.0.0.6 --add-host cache');
    expect(brief(src)).toEqual([
      ['KBX508', 'error', '10.0.0.6'],
      ['KBX508', 'error', 'cache'],
    ]);
    expect(brief(B('--add-host db=10.0.0.5 --add-host host.docker.internal=host-gateway'))).toEqual([]);
  });

  it('KBX509 build-annotation-invalid', () => {
    const src = B("--annotation 'bad:com.example=a' --annotation 'index[linux/amd64]:org.example=b'");
    expect(brief(src)).toEqual([
      ['KBX509', 'error', 'bad'],
      ['KBX509', 'info', '[linux/amd64]'],
    ]);
    expect(brief(B('--annotation manifest:org.opencontainers.image.source=https://example.com/app --annotation a=b'))).toEqual([]);
  });

  it('KBX510 build-limit-invalid', () => {
    expect(brief(B('--ulimit nofiles=1024:2048 --resource memory=2gigs --shm-size "2 gigs"'))).toEqual([
      ['KBX510', 'error', 'nofiles'],
      ['KBX510', 'error', '2gigs'],
      ['KBX510', 'error', '2 gigs'],
    ]);
    expect(brief(B('--ulimit nofile=1024:2048 --resource memory=2g --resource cpuset-cpus=0-3 --shm-size 2g'))).toEqual([]);
  });

  it('KBX511 build-mode-invalid, on build and on bake', () => {
    expect(brief(B('--network mynet --progress=verbose --call outlines'))).toEqual([
      ['KBX511', 'error', 'mynet'],
      ['KBX511', 'error', 'verbose'],
      ['KBX511', 'warning', 'outlines'],
    ]);
    expect(brief('docker buildx bake --progress=fancy release')).toEqual([['KBX511', 'error', 'fancy']]);
    expect(brief(B('--network=host --progress=plain --call=outline,format=json'))).toEqual([]);
    expect(brief('docker buildx bake --progress=plain --call=check --allow fs.read=.. --print release')).toEqual([]);
  });

  it('KBX512 build-arg-invalid', () => {
    expect(brief(B('--build-arg =1.0 --label =x --build-arg BUILDKIT_SYNTAX='))).toEqual([
      ['KBX512', 'error', '=1.0'],
      ['KBX512', 'error', '=x'],
      ['KBX512', 'error', 'BUILDKIT_SYNTAX='],
    ]);
    expect(brief(B('--build-arg VERSION=1.0 --label org.opencontainers.image.version=1.0'))).toEqual([]);
  });

  it('KBX513 build-arg-from-env is off by default', () => {
    const src = B('--build-arg VERSION');
    expect(brief(src)).toEqual([]);
    expect(brief(src, undefined, { all: true })).toEqual([['KBX513', 'info', 'VERSION']]);
  });
});

describe('value rules in a Makefile recipe', () => {
  it('point at the $(VAR) reference or at the literal text in the recipe', () => {
    const mk =
      'IMAGE := registry.example.com/Team/app\nOUT = dest=./dist\nCACHE = registry.example.com/app:cache\n' +
      'image:\n\tdocker buildx build -t $(IMAGE):1.0 -o $(OUT) \\\n\t  --cache-to "ref=$(CACHE),mode=max" --secret id=npmrc,src=$$HOME/.npmrc .\n';
    expect(brief(mk, 'Makefile')).toEqual([
      ['KBX505', 'error', '$(IMAGE)'],
      ['KBX501', 'warning', '$(OUT)'],
      ['KBX502', 'error', 'ref=$(CACHE),mode=max'],
    ]);
  });
});

describe('combination rules', () => {
  it('KBX520 build-load-multi-platform', () => {
    expect(brief(B('--platform linux/amd64,linux/arm64 --load -t app'))).toEqual([['KBX520', 'warning', '--load']]);
    expect(brief(B('--platform linux/amd64 --load -t app'))).toEqual([]);
  });

  it('KBX521 build-push-without-tag', () => {
    expect(brief(B('--platform linux/amd64,linux/arm64 --push'))).toEqual([['KBX521', 'error', '--push']]);
    expect(brief(B('--push -o type=image,name=registry.example.com/app'))).toEqual([]);
    // An unquoted expansion may carry the -t.
    expect(brief(B('$BUILD_FLAGS --push'))).toEqual([]);
  });

  it('KBX522 build-iidfile-local-tar', () => {
    expect(brief(B('-o type=local,dest=./out --iidfile id.txt'))).toEqual([['KBX522', 'error', 'id.txt']]);
  });

  it('KBX523 build-multiple-stdout', () => {
    expect(brief(B('-o - -o type=oci'))).toEqual([['KBX523', 'error', 'type=oci']]);
  });

  it('KBX524 build-no-cache-with-filter', () => {
    expect(brief(B('--no-cache --no-cache-filter deps'))).toEqual([['KBX524', 'error', 'deps']]);
    expect(brief(B('--no-cache=false --no-cache-filter deps'))).toEqual([]);
  });

  it('KBX525 build-quiet-progress', () => {
    expect(brief(B('-q --progress=plain'))).toEqual([['KBX525', 'error', 'plain']]);
    expect(brief(B('-q --progress=quiet'))).toEqual([]);
  });

  it('KBX526 build-context-count', () => {
    const src = 'docker buildx build -t app';
    const d = diags(src);
    expect(d.map((x) => [x.code, x.severity])).toEqual([['KBX526', 'error']]);
    expect(said(d[0])).toContain('no build context given');
    expect(brief('docker buildx build -t app . ../other')).toEqual([['KBX526', 'error', '../other']]);
    expect(brief('docker buildx build -t app $CONTEXTS')).toEqual([]);
  });

  it('KBX527 build-local-delete-needs-allow', () => {
    expect(brief(B('-o type=local,mode=delete,dest=/srv/site'))).toEqual([['KBX527', 'error', 'type=local,mode=delete,dest=/srv/site']]);
    expect(brief(B('--allow=buildx.local.delete -o type=local,mode=delete,dest=/srv/site'))).toEqual([]);
  });

  it('KBX528 build-multiple-exporters is off by default', () => {
    const src = B('--push --load -t registry.example.com/app:1.0');
    expect(brief(src)).toEqual([]);
    expect(brief(src, undefined, { all: true })).toEqual([['KBX528', 'info', '--load']]);
  });

  it('KBX529 build-attest-shadowed', () => {
    expect(brief(B('--attest type=provenance,mode=max --provenance=false -t app'))).toEqual([['KBX529', 'info', 'false']]);
  });
});

describe('KBX530 bool-flag-separate-value', () => {
  it('reports --push false and explains it once, as the argument-count error it causes', () => {
    const src = 'docker buildx build --push false -t registry.example.com/app:1.0 .';
    const d = diags(src);
    expect(d.map((x) => [x.code, x.severity, x.text])).toEqual([['KBX530', 'error', '--push false']]);
    expect(d[0].upstream).toBe('"docker buildx build" requires exactly 1 argument.');
    expect(said(d[0])).toContain('turned ON, not off');
    expect(said(d[0])).toContain('write --push=false');
  });

  it('explains when the word becomes the build context', () => {
    const d = diags('docker buildx build -t app --load true');
    expect(d.map((x) => [x.code, x.text])).toEqual([['KBX530', '--load true']]);
    expect(said(d[0])).toContain('build context, a directory named "true"');
  });

  it('applies to other commands and to shorthand flags', () => {
    expect(brief('docker buildx create --name ci --use false')).toEqual([['KBX530', 'warning', '--use false']]);
    expect(brief('docker buildx build -q true .')).toEqual([['KBX530', 'error', '-q true']]);
    expect(brief('docker buildx bake --push false release')).toEqual([['KBX530', 'warning', '--push false']]);
  });

  it('works in a Makefile recipe', () => {
    const mk = 'PUSH = false\nrelease:\n\tdocker buildx build --push $(PUSH) -t app .\n';
    expect(brief(mk, 'Makefile')).toEqual([['KBX530', 'error', '--push $(PUSH)']]);
  });

  it('accepts --push=false and a build context named otherwise', () => {
    expect(brief('docker buildx build --push=false -t app .')).toEqual([]);
    expect(brief('docker buildx build --no-cache ./false-positives -t app')).toEqual([]);
  });
});

describe('dynamic values', () => {
  it('are never flagged', () => {
    const src = B(
      '--output "$OUT" -o "type=$KIND,dest=$DIR" --cache-from "$CACHE" --cache-to "type=$CT" --secret "$SECRET" --ssh "$SSH" ' +
        '--attest "$ATT" --sbom "$SBOM" --provenance "$PROV" -t "$TAG" -t "$REGISTRY/app:$VERSION" --build-context "$BC" ' +
        '--allow "$ALLOW" --add-host "$HOST" --annotation "$ANN" --ulimit "$UL" --resource "$RES" --shm-size "$SHM" ' +
        '--network "$NET" --progress "$PROGRESS" --call "$CALL" --build-arg "$ARG" --label "$LBL" --build-arg "VERSION=$V" --push=$PUSH',
    );
    expect(diags(src, 'build.sh', { all: true })).toEqual([]);
  });

  it('judge only the static parts', () => {
    expect(brief(B('-t "$REGISTRY/MyApp:$VERSION" --cache-to "type=registry,ref=$REF,mode=max" --progress=plain'))).toEqual([]);
    expect(brief(B('--resource "memroy=$MEM" --secret "id=$ID,name=$N"'))).toEqual([
      ['KBX510', 'error', 'memroy'],
      ['KBX503', 'error', 'name'],
    ]);
  });
});

// The kinds are read from the parser sources, so a kind emitted but not declared fails here.
const DIR = new URL('../../server/src/buildx/build-flags/', import.meta.url);
const SOURCE = readdirSync(DIR)
  .map((f) => readFileSync(new URL(f, DIR), 'utf8'))
  .join('\n');
const SOURCE_KINDS = new Set<string>([
  ...[...SOURCE.matchAll(/\b(?:problem|whole|at)\(\s*'([a-z0-9-]+)'/g)].map((m) => m[1]),
  ...[...SOURCE.matchAll(/csvFields\([^,]+,\s*'([a-z0-9-]+)'/g)].map((m) => m[1]),
  ...[...SOURCE.matchAll(/kind: '([a-z0-9-]+)'/g)].map((m) => m[1]),
  ...(SOURCE.includes('`${flag}-empty-key`') ? ['build-arg-empty-key', 'label-empty-key'] : []),
]);

/** One realistic bad input per problem kind. */
const BAD: Record<string, string> = {
  'output-csv': B(`-o 'type=local,dest=a"b'`),
  'output-invalid-field': B('-o type=local,dest'),
  'output-unknown-type': B('-o type=imag,name=app'),
  'output-missing-type': B('-o dest=./out,mode=copy'),
  'output-dest-required': B('-o type=local'),
  'output-dest-stdout': B('-o type=local,dest=-'),
  'output-shorthand-trap': B('-o dest=./out'),
  'cache-csv': B(`--cache-from 'type=registry,"ref=a'`),
  'cache-invalid-field': B('--cache-from type=registry,ref'),
  'cache-unknown-type': B('--cache-from type=regsitry,ref=a'),
  'cache-missing-type': B('--cache-to ref=a,mode=max'),
  'cache-empty-ref': B('--cache-from a,,b'),
  'secret-csv': B(`--secret 'id=a,"src=b'`),
  'secret-invalid-field': B('--secret id=a,src'),
  'secret-unknown-type': B('--secret id=a,type=files'),
  'secret-unknown-key': B('--secret name=a,src=b'),
  'secret-missing-id': B('--secret src=./token'),
  'ssh-empty-path': B('--ssh default='),
  'ssh-duplicate-id': B('--ssh default --ssh default=/tmp/agent.sock'),
  'attest-csv': B(`--attest 'type=sbom,"x=1'`),
  'attest-invalid-field': B('--attest type=sbom,generator'),
  'attest-unknown-type': B('--attest type=sbomm'),
  'attest-invalid-disabled': B('--attest type=sbom,disabled=yes'),
  'attest-missing-type': B('--attest mode=max'),
  'tag-invalid': B('-t registry.example.com/MyApp:1.0'),
  'build-context-invalid': B('--build-context base'),
  'build-context-invalid-name': B('--build-context Base=docker-image://alpine'),
  'allow-local-delete-value': B('--allow buildx.local.delete=true'),
  'allow-device-config': B('--allow device=nvidia.com/gpu,foo=bar'),
  'allow-unknown': B('--allow network=host'),
  'add-host-csv': B(`--add-host 'a=1.1"1.1'`),
  'add-host-invalid': B('--add-host db'),
  'add-host-multiline': B(`--add-host $'a=1.1.1.1\\nb=2.2.2.2'`),
  'add-host-comma-split': B('--add-host db=10.0.0.5,10.0.0.6'),
  'annotation-invalid': B('--annotation foo'),
  'annotation-invalid-type': B(`--annotation 'Foo:bar=1'`),
  'annotation-unknown-type': B('--annotation bad:com.example=a'),
  'annotation-invalid-platform': B(`--annotation 'manifest[linux/amd64/v2/x]:k=v'`),
  'annotation-index-platform-dropped': B(`--annotation 'index[linux/amd64]:k=v'`),
  'annotation-key-whitespace': B(`--annotation 'manifest:my key=v'`),
  'ulimit-invalid': B('--ulimit nofiles=1'),
  'resource-invalid': B('--resource memory'),
  'resource-unknown': B('--resource bogus=1'),
  'resource-invalid-value': B('--resource cpu-shares=lots'),
  'resource-cpuset-syntax': B('--resource cpuset-cpus=a-b'),
  'shm-size-invalid': B('--shm-size 2gigs'),
  'network-unsupported': B('--network mynet'),
  'progress-invalid': B('--progress verbose'),
  'call-csv': B(`--call 'outline,"format=json'`),
  'call-invalid': B('--call outline,foo=bar'),
  'call-unknown-method': B('--call outlines'),
  'build-arg-empty-key': B('--build-arg =1'),
  'label-empty-key': B('--label =x'),
  'buildkit-syntax-empty': B('--build-arg BUILDKIT_SYNTAX='),
  'build-arg-from-env': B('--build-arg VERSION'),
  'load-multi-platform': B('--platform linux/amd64,linux/arm64 --load -t app'),
  'push-without-tag': B('--push'),
  'iidfile-local-tar': B('-o type=tar,dest=out.tar --iidfile id.txt'),
  'multiple-stdout': B('-o - -o type=oci'),
  'no-cache-with-filter': B('--no-cache --no-cache-filter deps'),
  'quiet-progress': B('-q --progress=plain'),
  'build-context-count': 'docker buildx build -t app',
  'local-delete-needs-allow': B('-o type=local,mode=delete,dest=/srv/site'),
  'multiple-outputs': B('--push --load -t registry.example.com/app:1.0'),
  'attest-shadowed': B('--attest type=provenance,mode=max --provenance=false -t app'),
};

describe('routing: every parser problem kind reaches exactly one rule', () => {
  it('BUILD_FLAG_PROBLEM_KINDS lists every kind in the parser sources, and nothing else', () => {
    const declared = new Set<string>(BUILD_FLAG_PROBLEM_KINDS);
    expect(SOURCE_KINDS.size).toBeGreaterThan(60);
    expect([...SOURCE_KINDS].filter((k) => !declared.has(k))).toEqual([]);
    expect([...declared].filter((k) => !SOURCE_KINDS.has(k))).toEqual([]);
  });

  it('every owner is a rule in BUILD_FLAG_RULES, and every flag-problem rule owns a kind', () => {
    const codes = new Set(BUILD_FLAG_RULES.map((r) => r.meta.code));
    expect(BUILD_FLAG_PROBLEM_KINDS.map(ownerOf).filter((c) => !c || !codes.has(c))).toEqual([]);
    for (const code of ['KBX501', 'KBX502', 'KBX503', 'KBX504', 'KBX505', 'KBX506', 'KBX507', 'KBX508', 'KBX509', 'KBX510', 'KBX511', 'KBX512', 'KBX513']) {
      expect(kindsOf(code).length, code).toBeGreaterThan(0);
    }
  });

  it.each(Object.entries(BAD))('%s is emitted and reported by its owner at the problem span', (kind, src) => {
    const problems = analyseBuildFlags(buildModel({ text: src, fileName: 'build.sh' })).filter((p) => p.kind === kind);
    expect(problems.length, `parser did not emit ${kind}`).toBeGreaterThan(0);
    const found = diags(src, 'build.sh', { all: true });
    for (const p of problems) {
      const hits = found.filter((d) => d.span.start === p.span.start && d.span.end === p.span.end && d.message === p.message);
      expect(hits.map((d) => d.code)).toEqual([ownerOf(kind)]);
      expect(hits[0].severity).toBe(p.severity);
    }
  });

  it('check-invalid-bool is left to invalid-bool-flag-value, so --check=maybe is reported once', () => {
    expect(ownerOf('check-invalid-bool')).toBe('KBX511');
    const src = B('--check=maybe');
    expect(diags(src, 'build.sh', { all: true })).toEqual([]);
    expect(lint({ text: src, fileName: 'build.sh' }).diagnostics.map((d) => d.code)).toEqual(['KBX004']);
  });

  it('covers every kind in BAD except check-invalid-bool', () => {
    expect(BUILD_FLAG_PROBLEM_KINDS.filter((k) => !(k in BAD))).toEqual(['check-invalid-bool', 'bool-separate-value']);
  });
});

describe('docker build forwards to buildx build', () => {
  it('gets the same checks', () => {
    expect(brief('docker build --platform linux/x86_64 -o dest=./out .')).toEqual([
      ['KBX412', 'info', 'linux/x86_64'],
      ['KBX501', 'warning', 'dest=./out'],
    ]);
  });
});

describe('rule metadata', () => {
  it('every rule has full docs and a unique code in its range', () => {
    const seen = new Set<string>();
    for (const r of BUILD_FLAG_RULES) {
      expect(r.meta.code).toMatch(/^KBX(41\d|5[0-3]\d)$/);
      expect(seen.has(r.meta.code)).toBe(false);
      seen.add(r.meta.code);
      for (const k of ['what', 'why', 'example', 'useInstead', 'fixSafety'] as const) expect(r.meta.docs[k].length, `${r.meta.code} ${k}`).toBeGreaterThan(10);
    }
  });

  it("each rule's example fires it and its useInstead is clean for it", () => {
    for (const r of BUILD_FLAG_RULES) {
      const fired = diags(r.meta.docs.example, 'example.sh', { all: true }).filter((d) => d.code === r.meta.code);
      expect(fired.length, `${r.meta.code} example`).toBeGreaterThan(0);
      const clean = diags(r.meta.docs.useInstead, 'example.sh', { all: true }).filter((d) => d.code === r.meta.code);
      expect(clean, `${r.meta.code} useInstead`).toEqual([]);
    }
  });
});
