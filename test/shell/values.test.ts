/**
 * Values through variables and invocations hidden behind names, through the real engine: what
 * each invocation receives, where findings land, the notes they carry and when a fix is offered.
 */
import { describe, expect, it } from 'vitest';
import { buildModel, lint } from '../../server/src/engine/lint';
import { extractInvocations } from '../../server/src/extract/invocation';
import { parseShell } from '../../server/src/shell/parser';
import { identity } from '../../server/src/core/mapped-string';
import type { ShellRegion } from '../../server/src/hosts/region';
import { applyEdits } from '../../server/src/core/fix';
import { growth } from '../harness/cost';
import { argvOf, invocationsOf, spanText } from '../harness/lint-helpers';

const argvs = (text: string, fileName = 'v.sh') => invocationsOf(text, fileName).map(argvOf);
const findings = (text: string, fileName = 'v.sh') => lint({ text, fileName }).diagnostics;
/** [code, text of the span, related texts] of every finding. */
const brief = (text: string, fileName = 'v.sh') => findings(text, fileName).map((d) => [d.code, spanText(text, d.span), (d.related ?? []).map((r) => spanText(text, r.span))]);
const at = (text: string, needle: string, nth = 0) => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  return { start: i, end: i + needle.length };
};

describe('straight-line values', () => {
  it('NAME=v, export, readonly, declare -x, typeset, local inside a function', () => {
    const text = [
      'A=linux/amd64',
      'export B="--load"',
      "readonly C='-t'",
      'declare -x D=app',
      'typeset -r E=.',
      'f() { local L=inner; docker buildx build "$L" "$1"; }',
      'docker buildx build --platform "$A" $B "$C" "$D" "$E"',
      'f x',
    ].join('\n');
    expect(argvs(text)).toEqual([
      ['buildx', 'build', '--platform', 'linux/amd64', '--load', '-t', 'app', '.'],
      ['buildx', 'build', 'inner', 'x'],
    ]);
  });

  it('arrays: A=(…), A+=(…), "${A[@]}", "${A[*]}", ${A[1]}, declare -a; ${#A[@]} is dynamic', () => {
    const text = ['A=(--platform "linux/amd64,linux/arm64")', 'A+=(-t "my app")', 'declare -a B=(x y)', 'docker buildx build "${A[@]}" "${A[*]}" ${B[1]} "${#A[@]}" .'].join('\n');
    expect(argvs(text)).toEqual([['buildx', 'build', '--platform', 'linux/amd64,linux/arm64', '-t', 'my app', '--platform linux/amd64,linux/arm64 -t my app', 'y', null, '.']]);
  });

  it('an empty "${A[@]}" is no argument at all; an unquoted known value is split on blanks', () => {
    const text = 'A=()\nOPTS="  --load   -t x "\ndocker buildx build "${A[@]}" $OPTS "$OPTS" .\n';
    expect(argvs(text)).toEqual([['buildx', 'build', '--load', '-t', 'x', '  --load   -t x ', '.']]);
    const inv = invocationsOf(text)[0];
    expect(inv.argCountUncertain).toBe(false);
    // Each split piece maps to the assignment's characters.
    expect(spanText(text, { start: inv.argv[3].value.starts[0], end: inv.argv[3].value.ends[1] })).toBe('-t');
  });

  it('unknown variables stay dynamic; defaults are judged when the variable is unset', () => {
    const text = ': "${P:=linux/arm64}"\nQ=${R-x}\ndocker buildx build "$UNSET" --platform "$P" -t "$Q" "${S:-.}"\n';
    expect(argvs(text)).toEqual([['buildx', 'build', null, '--platform', 'linux/arm64', '-t', 'x', '.']]);
  });

  it('a variable the host sets (ShellRegion.variables) is the starting value', () => {
    const src = 'docker buildx build --platform "$PLATFORMS" .';
    const host = 'PLATFORMS: linux/arm64\n';
    const text = host + src;
    const region: ShellRegion = {
      source: identity(text, host.length, text.length),
      dialect: 'bash',
      encoding: 'plain',
      variables: [{ name: 'PLATFORMS', value: identity(text, 11, 22) }],
    };
    const [inv] = extractInvocations(parseShell(region.source), region);
    expect(argvOf(inv)).toEqual(['buildx', 'build', '--platform', 'linux/arm64', '.']);
    expect(inv.argv[3].value.starts[0]).toBe(11);
  });
});

describe('control flow, functions and subshells', () => {
  it('branches that disagree make a value dynamic; agreeing branches keep it', () => {
    const text = [
      'X=a',
      'if [ -n "$1" ]; then X=b; fi',
      'Y=a',
      'case "$1" in x) Y=c ;; *) Y=c ;; esac',
      'Z=a',
      'true && Z=b',
      'W=a',
      'false || W=a',
      'V=a',
      'while read -r line; do V=$line; done',
      'docker buildx build "$X" "$Y" "$Z" "$W" "$V" .',
    ].join('\n');
    expect(argvs(text)).toEqual([['buildx', 'build', null, 'c', null, 'a', null, '.']]);
  });

  it('subshells, $(…) and pipeline elements do not leak; a function assigns only when called', () => {
    const text = [
      'X=a; (X=b); echo "$(X=c)"; X=d | cat',
      'f() { Y=inner; }',
      'Y=top',
      'docker buildx build "$X" "$Y" .',
      'f',
      'docker buildx build "$Y" .',
      'source ./env.sh',
      'docker buildx build "$X" .',
    ].join('\n');
    expect(argvs(text)).toEqual([
      ['buildx', 'build', 'a', 'top', '.'],
      ['buildx', 'build', null, '.'],
      ['buildx', 'build', null, '.'],
    ]);
  });
});

describe('findings inside values', () => {
  it('points at the assignment, with the use as a related location, and fixes a value read once', () => {
    const text = 'P=linux/x86_64\ndocker buildx build --platform "$P" -t a .\n';
    const [d] = findings(text);
    expect([d.code, spanText(text, d.span)]).toEqual(['KBX412', 'linux/x86_64']);
    expect(d.span).toEqual(at(text, 'linux/x86_64'));
    expect(d.related?.map((r) => [spanText(text, r.span), r.message])).toEqual([['$P', 'the value of P is used here']]);
    expect(applyEdits(text, d.fix!.edits).text).toBe('P=linux/amd64\ndocker buildx build --platform "$P" -t a .\n');
  });

  it('no fix when the value is read more than once, and one finding for both uses', () => {
    const text = 'P=linux/x86_64\ndocker buildx build --platform "$P" -t a .\ndocker buildx build --platform "$P" -t b .\n';
    const ds = findings(text);
    expect(ds.map((d) => [d.code, spanText(text, d.span), d.fix])).toEqual([['KBX412', 'linux/x86_64', undefined]]);
    expect(ds[0].related?.map((r) => r.span)).toEqual([at(text, '$P', 0), at(text, '$P', 1)]);
  });

  it('a finding inside a default says the value holds when the variable is unset; no fix rewrites the default', () => {
    const text = 'docker buildx build --platform "${PLATFORM:-linux/x86_64}" -t a .\n';
    const [d] = findings(text);
    expect(d.span).toEqual(at(text, 'linux/x86_64'));
    expect(d.message.endsWith(' (when PLATFORM is unset)')).toBe(true);
    expect(d.fix).toBeUndefined();
    const text2 = 'P=${PLATFORM:-linux/x86_64}\ndocker buildx build --platform "$P" -t a .\n';
    const [d2] = findings(text2);
    expect(d2.message).toContain('(when PLATFORM is unset)');
    expect(d2.related?.map((r) => spanText(text2, r.span))).toEqual(['$P']);
  });

  it("a piece made of a value and the use's own text is reported at the use", () => {
    const text = 'REG=localhost:5000\ndocker buildx build --output type=image,name="$REG/a,$REG/b",push=true .\n';
    const [d] = findings(text);
    expect(d.code).toBe('KBX501');
    expect(spanText(text, d.span)).toBe('$REG/b');
    expect(d.related?.map((r) => spanText(text, r.span))).toEqual(['localhost:5000']);
  });
});

describe('invocations hidden behind names', () => {
  it('a command word held in a variable, as a default, or as ${DOCKER:-docker}', () => {
    const text = ['DOCKER_BUILD="docker buildx build"', ': "${BUILDX_CMD=docker buildx}"', '$DOCKER_BUILD -t a .', '$BUILDX_CMD build -t b .', '${DOCKER:-docker} buildx build -t c .'].join('\n');
    expect(argvs(text)).toEqual([
      ['buildx', 'build', '-t', 'a', '.'],
      ['buildx', 'build', '-t', 'b', '.'],
      ['buildx', 'build', '-t', 'c', '.'],
    ]);
  });

  it('wrapper functions: each call site is an invocation, the arguments keep their call-site positions', () => {
    const text = [
      ': "${BUILDX_CMD=docker buildx}"',
      'buildxCmd() { (set -x; $BUILDX_CMD "$@") }',
      'd() { docker buildx "$@"; }',
      'buildxCmd build --platform linux/x86_64 -t a .',
      'd create --name b --driver docker-container',
      'buildxCmd build --push false .',
    ].join('\n');
    const invs = invocationsOf(text);
    expect(invs.map(argvOf)).toEqual([
      ['buildx', 'build', '--platform', 'linux/x86_64', '-t', 'a', '.'],
      ['buildx', 'create', '--name', 'b', '--driver', 'docker-container'],
      ['buildx', 'build', '--push', 'false', '.'],
    ]);
    expect(invs.map((i) => [i.hidden?.kind, i.hidden?.name, spanText(text, i.span)])).toEqual([
      ['wrapper', 'buildxCmd', 'buildxCmd build --platform linux/x86_64 -t a .'],
      ['wrapper', 'd', 'd create --name b --driver docker-container'],
      ['wrapper', 'buildxCmd', 'buildxCmd build --push false .'],
    ]);
    const ds = findings(text);
    expect(ds.map((d) => [d.code, spanText(text, d.span)])).toEqual([
      ['KBX412', 'linux/x86_64'],
      ['KBX521', '--push'],
      ['KBX530', '--push false'],
    ]);
    expect(ds[0].span).toEqual(at(text, 'linux/x86_64'));
    // The fix edits the call site.
    expect(applyEdits(text, ds[2].fix!.edits).text.endsWith('buildxCmd build --push=false .')).toBe(true);
  });

  it('a wrapper that is never called keeps its reading at the definition; recursion terminates', () => {
    const text = ['b() { docker buildx build -t x "$@"; }', 'f() { f "$@"; }', 'g() { h "$@"; }', 'h() { g "$@"; docker buildx ls "$@"; }', 'f build .', 'g --format json'].join('\n');
    expect(argvs(text)).toEqual([
      ['buildx', 'build', '-t', 'x', null],
      ['buildx', 'ls', '--format', 'json'],
    ]);
  });

  it('wrappers calling wrappers: followed up to the depth limit, then read at the definition', () => {
    const chain = (n: number) => ['w0() { docker buildx "$@"; }', ...Array.from({ length: n }, (_, i) => `w${i + 1}() { w${i} "$@"; }`), `w${n} build -t a .`].join('\n');
    expect(argvs(chain(5))).toEqual([['buildx', 'build', '-t', 'a', '.']]);
    // Past 8 nested calls the call is not followed; w0 read alone has no subcommand: no invocation.
    expect(argvs(chain(12))).toEqual([]);
    expect(argvs('set -- --load -t "a b"\ndocker buildx build "$@" .\nshift 2\ndocker buildx build "$@" .')).toEqual([
      ['buildx', 'build', '--load', '-t', 'a b', '.'],
      ['buildx', 'build', 'a b', '.'],
    ]);
  });

  it('dynamic attached root flags still find the subcommand; env with dynamic assignments', () => {
    const text = [
      'docker buildx --builder="$B" build -t a .',
      'docker --context=$C buildx create --name n',
      'env DOCKER_CONFIG="$HOME/.docker" docker buildx build -t c .',
      'sudo -E env FOO="$X" docker buildx ls',
    ].join('\n');
    const invs = invocationsOf(text);
    expect(invs.map((i) => i.command)).toEqual(['build', 'create', 'build', 'ls']);
    expect(invs[0].globalFlags.map((f) => f.name)).toEqual(['builder']);
    expect(invs[2].env.map((e) => e.name)).toEqual(['DOCKER_CONFIG']);
  });

  it('trap and sh -c / bash -c strings: positions map into the quoted string; fixes never edit inside it', () => {
    const text = ['trap "docker buildx rm x" EXIT', "bash -c 'docker buildx build --platform linux/x86_64 -t a .'", 'sh -ec "docker buildx build -t \\"b c\\" ."'].join('\n');
    const invs = invocationsOf(text);
    expect(invs.map(argvOf)).toEqual([
      ['buildx', 'rm', 'x'],
      ['buildx', 'build', '--platform', 'linux/x86_64', '-t', 'a', '.'],
      ['buildx', 'build', '-t', 'b c', '.'],
    ]);
    expect(invs.map((i) => i.hidden?.kind)).toEqual(['trap', 'shell-c', 'shell-c']);
    // The inner word starts at the `"` the outer `\"` decodes to.
    expect(spanText(text, invs[2].argv[3].span)).toBe('"b c\\"');
    const [d] = findings(text);
    expect(d.span).toEqual(at(text, 'linux/x86_64'));
    expect(d.fix).toBeUndefined();
  });

  it('Makefile: $(DOCKER) program words still resolve', () => {
    const text = 'DOCKER ?= docker\nBUILDX = $(DOCKER) buildx\nall:\n\t$(BUILDX) build -t a .\n\tX=--load; $(DOCKER) buildx build $$X -t b .\n';
    expect(argvs(text, 'Makefile')).toEqual([
      ['buildx', 'build', '-t', 'a', '.'],
      ['buildx', 'build', '--load', '-t', 'b', '.'],
    ]);
  });
});

describe('false alarms and a missed error', () => {
  it('${X:-} with an empty default is an input the caller sets, not an empty value', () => {
    // The `set -u` idiom: X="${X:-}" at the top, later `[ -n "$X" ] || die`.
    // (Inside double quotes `''` is two literal quote characters, so `"${X:-''}"` is not empty.)
    for (const d of ['', '""']) {
      expect(brief(`IMG="\${IMG:-${d}}"\ndocker buildx build -t "$IMG" .\n`)).toEqual([]);
    }
    expect(argvs('docker buildx build -t "${IMG:-}" .\n')).toEqual([['buildx', 'build', '-t', null, '.']]);
    // A real default is still taken, and a variable the file empties is still empty.
    expect(brief('T="${T:-x}"\ndocker buildx build -t "$T:" .\n').map((x) => x[0])).toEqual(['KBX505']);
    expect(brief('IMG=""\nIMG="${IMG:-}"\ndocker buildx build -t "$IMG" .\n').map((x) => x[0])).toEqual(['KBX505']);
  });

  it('--node="" is valid: buildx generates the node name', () => {
    expect(brief('docker buildx create --name b --node="" --driver docker-container\n')).toEqual([]);
    expect(brief('docker buildx create --name b --node=2x --driver docker-container\n').map((x) => x[0])).toEqual(['KBX401']);
  });

  it('--platform local is deliberate; a bare amd64 is still reported', () => {
    expect(brief('docker buildx build --platform local -t a .\n')).toEqual([]);
    expect(brief('docker buildx build --platform amd64 -t a .\n').map((x) => x[0])).toEqual(['KBX414']);
  });

  it('--push false . is an argument-count error, reported once, with the safe fix', () => {
    const text = 'docker buildx build --push=false -t r/a --push false .\n';
    const ds = findings(text);
    expect(ds.map((d) => [d.code, d.severity, spanText(text, d.span)])).toEqual([['KBX530', 'error', '--push false']]);
    expect(ds[0].upstream).toBe('"docker buildx build" requires exactly 1 argument.');
    expect(applyEdits(text, ds[0].fix!.edits).text).toBe('docker buildx build --push=false -t r/a --push=false .\n');
    // Every boolean flag counts: --load true, and create's endpoint.
    expect(findings('docker buildx build --load true -t a .\n').map((d) => [d.code, d.severity])).toEqual([['KBX530', 'error']]);
    expect(findings('docker buildx create --use false ep\n').map((d) => [d.code, d.severity, d.upstream])).toEqual([['KBX530', 'error', '"docker buildx create" requires at most 1 argument.']]);
    // The word alone is the build context: buildx builds a directory named "false": a warning.
    expect(
      findings('docker buildx build --push false\n')
        .filter((d) => d.code === 'KBX530')
        .map((d) => d.severity),
    ).toEqual(['warning']);
  });
});

describe('linear time', () => {
  // The model (reading, propagation, extraction): what this pass adds; rules are measured elsewhere.
  // 4x the input should take about 4x the time; quadratic work would take 16x. CPU time, three
  // alternating runs a side: wall time on a loaded machine failed these now and then.
  const modelGrowth = (make: (k: number) => string, k: number) => growth(make, (text) => buildModel({ text, fileName: 'big.sh' }), k, { runs: 3, clock: 'cpu' });

  it('10,000 assignments read in one pass', () => {
    const script = (n: number) => {
      const lines: string[] = [];
      for (let i = 0; i < n; i++) lines.push(`V${i}="--label=k${i}=$V${Math.floor(i / 2)}"`, i % 10 === 0 ? `docker buildx build "$V${i}" -t a .` : `A${i % 7}+=(x${i})`);
      return lines.join('\n') + '\n';
    };
    expect(invocationsOf(script(10_000)).length).toBe(1000);
    const r = modelGrowth(script, 2_500);
    expect(r.ratio, r.describe).toBeLessThan(10);
  });

  it('5,000 calls of a wrapper', () => {
    const script = (n: number) => 'd() { docker buildx "$@"; }\n' + Array.from({ length: n }, (_, i) => `d build -t a${i} .`).join('\n') + '\n';
    expect(invocationsOf(script(5_000)).length).toBe(5000);
    const r = modelGrowth(script, 1_250);
    expect(r.ratio, r.describe).toBeLessThan(10);
  });
});
