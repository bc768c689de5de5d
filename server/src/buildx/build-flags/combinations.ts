/**
 * Flag combinations buildx rejects or silently mishandles: buildx `commands/build.go` and `build/build.go`.
 */
import type { Span } from '../../core/span';
import type { Severity } from '../../core/diagnostic';
import { type MappedString, spanOf } from '../../core/mapped-string';
import { GO_BOOL_WORDS } from '../goparse';
import { splitMessageOnce } from '../split-message';
import { type Problem, dyn, q, show } from './problem';
import { parseOutput, type OutputSpec } from './output';
import { parseAttest } from './attests';

export const COMBINATIONS_PROBLEM_KINDS = [
  'attest-shadowed',
  'build-context-count',
  'iidfile-local-tar',
  'load-multi-platform',
  'local-delete-needs-allow',
  'multiple-outputs',
  'multiple-stdout',
  'no-cache-with-filter',
  'push-without-tag',
  'quiet-progress',
] as const;
export type CombinationsProblemKind = (typeof COMBINATIONS_PROBLEM_KINDS)[number];

export interface BuildFlagsInput {
  /** Canonical long flag name without dashes -> values in order. */
  flags: Map<string, MappedString[]>;
  boolFlags: Map<string, { value: boolean; span: Span }>;
  positionals: MappedString[];
  /** Span of the whole command, used when a problem has no better anchor. */
  commandSpan?: Span;
}

function boolOn(input: BuildFlagsInput, name: string): { value: boolean; span: Span } | null {
  const b = input.boolFlags.get(name);
  return b && b.value ? b : null;
}

export function checkBuildCombinations(input: BuildFlagsInput, platformsCount: number): Problem[] {
  const problems: Problem[] = [];
  const vals = (n: string) => input.flags.get(n) ?? [];
  const anchor = input.commandSpan ?? { start: 0, end: 0 };
  const at = (kind: CombinationsProblemKind, severity: Severity, span: Span, message: string, data?: Record<string, unknown>) => {
    const p: Problem = { kind, severity, span, ...splitMessageOnce(message) };
    if (data) p.data = data;
    problems.push(p);
  };

  // Build context count.
  const pos = input.positionals;
  if (pos.length !== 1) {
    const bools = pos.filter((p) => GO_BOOL_WORDS.includes(p.text));
    const looksPlatform = pos.slice(1).find((p) => /^[a-z0-9]+\/[a-z0-9]/i.test(p.text) && !p.text.startsWith('.') && !p.text.startsWith('/'));
    let why = '';
    if (pos.length === 0) why = 'no build context given; add "." for the current directory';
    else if (bools.length) why = `${q(bools[0].text)} is a separate argument: boolean flags never take the next word, write --flag=${show(bools[0].text)}`;
    else if (looksPlatform) why = `${q(looksPlatform.text)} looks like part of a list split by a space after a comma; remove the space`;
    else {
      // A message names a handful: a brace range or a split list can give thousands.
      const shown = pos.length > 8 ? pos.slice(0, 6) : pos;
      why = `found ${pos.length}: ${shown.map((p) => q(p.text)).join(', ')}${shown.length < pos.length ? `, … (${pos.length - shown.length} more)` : ''}`;
    }
    const span = pos.length > 1 ? { start: spanOf(pos[1]).start, end: spanOf(pos[pos.length - 1]).end } : anchor;
    at(
      'build-context-count',
      'error',
      span,
      `docker buildx build takes exactly one build context (PATH | URL | -): ${why}; buildx: docker: 'docker buildx build' requires 1 argument (older Docker CLIs: "docker buildx build" requires exactly 1 argument)`,
      { count: pos.length },
    );
  }

  // Outputs.
  const outputs: { spec: OutputSpec; raw: MappedString }[] = [];
  for (const o of vals('output')) {
    const r = parseOutput(o);
    if (r.value) outputs.push({ spec: r.value, raw: o });
  }
  const load = boolOn(input, 'load');
  const push = boolOn(input, 'push');
  const anyDynamicOutput = outputs.some((o) => o.spec.dynamic || o.spec.type === null);

  const stdout = outputs.filter((o) => o.spec.toStdout);
  if (stdout.length > 1) {
    at(
      'multiple-stdout',
      'error',
      spanOf(stdout[1].raw),
      `outputs ${stdout.map((o) => q(o.raw.text)).join(' and ')} both write to stdout; give all but one a dest=<file>; buildx: multiple outputs configured to write to stdout`,
    );
  }

  const dockerOut = outputs.find((o) => o.spec.type === 'docker');
  if (platformsCount > 1 && (load || dockerOut)) {
    const span = load ? load.span : spanOf(dockerOut!.raw);
    const withDest = !load && dockerOut && dockerOut.spec.dest;
    // A docker output written to a file never goes through the daemon: buildx rewrites the docker
    // exporter to the oci one only for a load (docker/buildx build/opt.go, `e.Output == nil`), so
    // with dest= a manifest list fails whatever the image store.
    at(
      'load-multi-platform',
      'warning',
      span,
      withDest
        ? `output ${q(dockerOut!.raw.text)} with ${platformsCount} platforms fails whatever the image store: the docker exporter writes a file of one platform's image, use type=oci for a manifest list; buildx: docker exporter does not support exporting manifest lists, use the oci exporter instead`
        : `${load ? '--load' : `output ${q(dockerOut!.raw.text)}`} with ${platformsCount} platforms only works when the Docker daemon uses the containerd image store; buildx: docker exporter does not currently support exporting manifest lists`,
      withDest ? { platforms: platformsCount, dest: true } : { platforms: platformsCount },
    );
  }

  // Pushing without a name.
  const tags = vals('tag');
  const pushOut = outputs.find((o) => o.spec.pushes);
  if ((push || pushOut) && tags.length === 0) {
    const named = outputs.some((o) => o.spec.type === 'image' && (o.spec.attrs.name ?? '') !== '');
    if (!named && !anyDynamicOutput) {
      at(
        'push-without-tag',
        'error',
        push ? push.span : spanOf(pushOut!.raw),
        `${push ? '--push' : `output ${q(pushOut!.raw.text)}`} pushes an image but no name is given; add -t <registry>/<repo>:<tag> or name=… on the output; buildx: tag is needed when pushing to registry`,
      );
    }
  }

  // --iidfile with local/tar.
  const iid = vals('iidfile');
  if (iid.length && iid[iid.length - 1].text !== '') {
    const lt = outputs.find((o) => o.spec.localOrTar);
    if (lt) {
      at(
        'iidfile-local-tar',
        'error',
        spanOf(iid[iid.length - 1]),
        `--iidfile cannot be used with the ${lt.spec.type} output ${q(lt.raw.text)}: those exporters produce no image ID; buildx: local and tar exporters are incompatible with image ID file`,
      );
    }
  }

  // Several exporters need BuildKit v0.13+.
  const exporterCount =
    outputs.filter((o) => o.spec.type !== 'cacheonly').length +
    (load && !outputs.some((o) => o.spec.type === 'docker' && !o.spec.dest) ? 1 : 0) +
    (push && !outputs.some((o) => o.spec.type === 'image') ? 1 : 0);
  if (exporterCount > 1) {
    at(
      'multiple-outputs',
      'info',
      outputs[1] ? spanOf(outputs[1].raw) : (load ?? push ?? { span: anchor }).span,
      `this build configures ${exporterCount} exporters, which needs BuildKit v0.13 or newer; buildx: multiple outputs currently unsupported by the current BuildKit daemon, please upgrade to version v0.13+ or use a single output`,
    );
  }

  // mode=delete outside the working directory.
  const allows = vals('allow').map((a) => a.text);
  for (const o of outputs) {
    if (o.spec.type === 'local' && o.spec.attrs.mode === 'delete' && o.spec.dest && !dyn(o.spec.dest) && !allows.includes('buildx.local.delete')) {
      const d = o.spec.dest.replace(/\/+$/, '');
      const outside = d.startsWith('/') || d === '.' || d === '' || d === '..' || d.startsWith('../') || d.startsWith('~');
      if (outside) {
        at(
          'local-delete-needs-allow',
          'error',
          spanOf(o.raw),
          `output ${q(o.raw.text)} deletes files in ${q(o.spec.dest)}, which is not strictly inside the working directory; add --allow=buildx.local.delete; buildx: local output mode=delete for destination ${q(o.spec.dest)} requires --allow=buildx.local.delete`,
        );
      }
    }
  }

  // --no-cache with --no-cache-filter.
  const noCache = boolOn(input, 'no-cache');
  const filters = vals('no-cache-filter');
  if (noCache && filters.length) {
    at(
      'no-cache-with-filter',
      'error',
      spanOf(filters[0]),
      `--no-cache already disables the cache for every stage, so --no-cache-filter cannot be combined with it; keep one; buildx: --no-cache and --no-cache-filter cannot currently be used together`,
    );
  }

  // -q with an explicit progress mode.
  const quiet = boolOn(input, 'quiet');
  const progress = vals('progress');
  if (quiet && progress.length) {
    const p = progress[progress.length - 1];
    if (!dyn(p) && p.text !== 'auto' && p.text !== 'quiet') {
      at('quiet-progress', 'error', spanOf(p), `-q/--quiet cannot be combined with --progress=${show(p.text)}; drop one of them; buildx: progress=${show(p.text)} and quiet cannot be used together`);
    }
  }

  // --provenance/--sbom ignored when --attest already sets the same type.
  const attestTypes = new Set<string>();
  for (const a of vals('attest')) {
    const r = parseAttest(a, 'attest');
    if (r.value?.type) attestTypes.add(r.value.type);
  }
  for (const t of ['provenance', 'sbom'] as const) {
    for (const v of vals(t)) {
      if (v.text !== '' && attestTypes.has(t)) {
        at('attest-shadowed', 'info', spanOf(v), `--${t}=${show(v.text)} is ignored: an --attest type=${t} is also given and buildx keeps the first entry per attestation type (the --attest one)`);
      }
    }
  }
  return problems;
}
