/**
 * Test oracle: the argv docker/setup-buildx-action passes to `docker buildx create`, transcribed
 * from its source (`src/context.ts` getInputs/getCreateArgs/getAppendArgs, `src/main.ts` at
 * 37fe631, action.yml defaults) and docker/actions-toolkit's `Util.getList` (`src/util.ts` at
 * 3d440be), with the same libraries they use (csv-parse, js-yaml). It is written independently of
 * the host implementation: it starts from the raw input strings the runner hands the action, and
 * it parses the workflow itself with js-yaml. Latest buildx is assumed (every versionSatisfies is
 * true), no TLS environment variables, the default Docker context is `default`.
 */
import { parse } from 'csv-parse/sync';
import { load } from 'js-yaml';

interface ListOpts {
  ignoreComma?: boolean;
  quote?: string | boolean | null;
  trimWhitespace?: boolean;
}

/** @actions/core getInput: the INPUT_ value, trimmed by default. */
function getInput(inputs: Record<string, string>, name: string, trim = true): string {
  const v = inputs[name] ?? '';
  return trim ? v.trim() : v;
}

function getBooleanInput(inputs: Record<string, string>, name: string, dflt: string): boolean {
  const v = getInput(inputs, name) || dflt;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  if (['false', 'False', 'FALSE'].includes(v)) return false;
  throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}`);
}

export function getList(input: string, opts?: ListOpts): string[] {
  const res: string[] = [];
  if (input == '') return res;
  const records = parse(input, {
    columns: false,
    relaxQuotes: true,
    relaxColumnCount: true,
    skipEmptyLines: true,
    quote: opts?.quote as never,
  }) as string[][];
  for (const record of records) {
    if (record.length == 1) {
      if (opts?.ignoreComma) res.push(record[0]);
      else res.push(...record[0].split(','));
    } else if (!opts?.ignoreComma) res.push(...record);
    else res.push(record.join(','));
  }
  return res.filter((item) => item).map((item) => (opts?.trimWhitespace === false ? item : item.trim()));
}

function getInputList(inputs: Record<string, string>, name: string, opts?: ListOpts): string[] {
  return getList(getInput(inputs, name, opts?.trimWhitespace !== false), opts);
}

const DEFAULT_BUILDKITD_FLAGS = '--allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host';

function driverSupportsBuildkitdFlags(driver: string): boolean {
  return driver == '' || driver == 'docker-container' || driver == 'docker' || driver == 'kubernetes';
}

/**
 * setupBuildxArgv returns every `buildx` argv the action runs before booting (create, then one
 * create --append per node). `generatedName` stands for `builder-${randomUUID()}`; `configPath`
 * for the file the action writes a buildkitd configuration to.
 */
export function setupBuildxArgv(inputs: Record<string, string>, generatedName: string, configPath: string): string[][] {
  const driver = getInput(inputs, 'driver') || 'docker-container';
  const nameIn = getInput(inputs, 'name');
  const name = driver == 'docker' ? 'default' : nameIn || generatedName;
  const driverOpts = getInputList(inputs, 'driver-opts', { ignoreComma: true, quote: false });
  const buildkitdFlags = getInput(inputs, 'buildkitd-flags');
  const platforms = getInputList(inputs, 'platforms');
  const use = getBooleanInput(inputs, 'use', 'true');
  const endpoint = getInput(inputs, 'endpoint');
  const buildkitdConfig = getInput(inputs, 'buildkitd-config');
  const buildkitdConfigInline = getInput(inputs, 'buildkitd-config-inline');
  const append = getInput(inputs, 'append');
  const out: string[][] = [];
  if (driver !== 'docker') {
    const args = ['create', '--name', name, '--driver', driver];
    for (const o of driverOpts) args.push('--driver-opt', o);
    if (buildkitdFlags) args.push('--buildkitd-flags', buildkitdFlags);
    else if (driverSupportsBuildkitdFlags(driver)) args.push('--buildkitd-flags', DEFAULT_BUILDKITD_FLAGS);
    if (platforms.length > 0) args.push('--platform', platforms.join(','));
    if (use) args.push('--use');
    if (buildkitdConfig) args.push('--config', configPath);
    else if (buildkitdConfigInline) args.push('--config', configPath);
    if (endpoint) args.push(endpoint);
    out.push(args);
  }
  if (append) {
    const nodes = load(append) as Record<string, unknown>[];
    for (const node of nodes) {
      const args = ['create', '--name', name, '--append'];
      if (node.name) args.push('--node', String(node.name));
      const opts = node['driver-opts'] as ArrayLike<unknown> | undefined;
      if (opts) {
        // Util.asyncForEach: index access up to length, so a string gives its characters.
        for (let i = 0; i < opts.length; i++) args.push('--driver-opt', String(opts[i]));
        if (node['buildkitd-flags']) args.push('--buildkitd-flags', String(node['buildkitd-flags']));
        else if (driverSupportsBuildkitdFlags(driver)) args.push('--buildkitd-flags', DEFAULT_BUILDKITD_FLAGS);
      }
      if (node.platforms) args.push('--platform', String(node.platforms));
      if (node.endpoint) args.push(String(node.endpoint));
      out.push(args);
    }
  }
  return out;
}

/** stepInputs reads the `with:` of the first setup-buildx-action step, as the runner passes it. */
export function workflowSetupBuildxInputs(workflow: string): Record<string, string> | null {
  const doc = load(workflow) as { jobs?: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };
  for (const job of Object.values(doc.jobs ?? {})) {
    for (const step of job.steps ?? []) {
      if (typeof step.uses === 'string' && step.uses.startsWith('docker/setup-buildx-action')) {
        const inputs: Record<string, string> = {};
        for (const [k, v] of Object.entries(step.with ?? {})) inputs[k] = v === null ? '' : String(v);
        return inputs;
      }
    }
  }
  return null;
}
