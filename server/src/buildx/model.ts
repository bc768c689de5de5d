/**
 * The buildx model of one file: every invocation, and for `create` and `build` a typed view with
 * driver options decoded the way buildx decodes them. Rules read this; they never re-parse argv.
 */
import { compact } from '../core/compact';
import { DYNAMIC, type MappedString } from '../core/mapped-string';
import type { Span } from '../core/span';
import type { HostKind, HostProblem, ShellRegion } from '../hosts/region';
import type { Script, ShellSyntaxError } from '../shell/ast';
import { litIncludesUnit } from '../shell/slice';
import { type Arg, boolFlag, type FlagOccurrence, flagValues, type Invocation, lastFlag } from '../extract/invocation';
import { decodeDriverOpts, type DriverName, type DriverOptsModel } from './driver-opts';
import { parsePlatformList, type PlatformItem } from './platform';

export const CREATABLE_DRIVERS: readonly string[] = ['docker-container', 'kubernetes', 'remote'];
/**
 * Drivers that exist only in Docker's own distribution of buildx (Docker Desktop, Docker Build
 * Cloud): `--driver cloud ORG/BUILDER`. kbx-lint does not model them: neither reported as unknown
 * nor checked.
 */
export const VENDOR_DRIVERS: readonly string[] = ['cloud'];
const REMOTE_URL_SCHEMES = ['docker-container', 'kube-pod', 'npipe', 'ssh', 'tcp', 'unix'];

export interface CreateModel {
  inv: Invocation;
  name: FlagOccurrence | undefined;
  /** Static builder name as typed, or null when absent or dynamic. */
  nameValue: string | null;
  driverFlag: FlagOccurrence | undefined;
  /** The driver buildx will use, when it can be known statically. */
  driver: string | null;
  /** How the driver was chosen. */
  driverSource: 'flag' | 'default' | 'endpoint-url' | 'existing-builder' | 'unknown';
  /** Decoded `--driver-opt` values; null when the driver is unknown or cannot take options. */
  driverOpts: DriverOptsModel | null;
  driverOptFlags: FlagOccurrence[];
  platformFlags: FlagOccurrence[];
  platforms: PlatformItem[];
  node: FlagOccurrence | undefined;
  nodeValue: string | null;
  append: boolean | null | undefined;
  leave: boolean | null | undefined;
  use: boolean | null | undefined;
  endpoint: Arg | null;
}

export interface BuildModel {
  inv: Invocation;
  platformFlags: FlagOccurrence[];
  platforms: PlatformItem[];
  /** Builder selected by `--builder` on this command, when static. */
  builderFlag: FlagOccurrence | undefined;
}

export interface RegionModel {
  region: ShellRegion;
  script: Script;
}

export interface FileModel {
  text: string;
  fileName: string;
  host: HostKind;
  regions: RegionModel[];
  invocations: Invocation[];
  creates: CreateModel[];
  builds: BuildModel[];
  syntaxErrors: ShellSyntaxError[];
  hostProblems: HostProblem[];
  /** `ArgumentBudget.slack` of the full read (absent: the model was not read under a budget). */
  argumentSlack?: number;
  /** How many more shell statements `limits.maxStatements` left room for (absent: no budget). */
  statementSlack?: number;
  /** The buildx release the configuration targets (`buildx` setting); null: the newest. */
  buildxTarget?: string | null;
}

/**
 * argMayVary: the argument may become several arguments or none at run time. Besides an unquoted
 * shell expansion (`Arg.mayVary`), that is the case for an unquoted make expansion that could not be
 * resolved (`$(PUSH)` set per target): the make host turns it into a DYNAMIC character inside a
 * literal shell word, which the shell then word-splits like any unquoted text.
 */
export function argMayVary(a: Arg): boolean {
  if (a.mayVary) return true;
  if (a.litDynamic !== undefined) return a.litDynamic;
  for (const p of a.word.parts) if (p.kind === 'lit' && litIncludesUnit(p, DYNAMIC)) return true;
  return false;
}

/**
 * argCountUncertain: some argument after the subcommand may vary in number, so positional counts
 * and the absence of a flag are not reliable. Use this rather than `inv.argCountUncertain`.
 */
export function argCountUncertain(inv: Invocation): boolean {
  if (inv.argCountUncertain) return true;
  const after = inv.commandSpan ? inv.commandSpan.end : inv.programSpan.end;
  for (const a of inv.argv) if (a.span.start >= after && argMayVary(a)) return true;
  return false;
}

function staticValue(f: FlagOccurrence | undefined): string | null {
  if (!f || !f.value) return null;
  return f.value.text.includes(DYNAMIC) ? null : f.value.text;
}

function values(flags: FlagOccurrence[]): MappedString[] {
  const out: MappedString[] = [];
  for (const f of flags) if (f.value !== null) out.push(f.value);
  return out;
}

function endpointLooksRemote(ep: string): boolean {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(ep);
  return !!m && REMOTE_URL_SCHEMES.includes(m[1]);
}

/**
 * buildCreateModels walks create invocations in order, so `--append` inherits the driver of a
 * builder created earlier in the same file.
 */
export function buildCreateModels(invocations: Invocation[]): CreateModel[] {
  const knownDrivers = new Map<string, string>();
  const out: CreateModel[] = [];
  for (const inv of invocations) {
    if (inv.command !== 'create') continue;
    const name = lastFlag(inv, 'name');
    const nameValue = staticValue(name);
    const driverFlag = lastFlag(inv, 'driver');
    const endpoint = inv.positionals[0] ?? null;
    let driver: string | null = null;
    let driverSource: CreateModel['driverSource'] = 'unknown';
    if (driverFlag) {
      driver = staticValue(driverFlag);
      driverSource = driver === null ? 'unknown' : 'flag';
    } else if (nameValue && knownDrivers.has(nameValue.toLowerCase())) {
      driver = knownDrivers.get(nameValue.toLowerCase())!;
      driverSource = 'existing-builder';
    } else if (endpoint && !endpoint.static) {
      driverSource = 'unknown';
    } else if (endpoint && endpointLooksRemote(endpoint.value.text)) {
      driver = 'remote';
      driverSource = 'endpoint-url';
    } else if (inv.env.some((e) => e.name === 'BUILDKIT_HOST') && !endpoint) {
      driverSource = 'unknown';
    } else {
      driver = 'docker-container';
      driverSource = 'default';
    }
    if (nameValue && driver && !knownDrivers.has(nameValue.toLowerCase())) knownDrivers.set(nameValue.toLowerCase(), driver);
    const driverOptFlags = compact(flagValues(inv, 'driver-opt'));
    const platformFlags = compact(flagValues(inv, 'platform'));
    const driverOpts = driver && CREATABLE_DRIVERS.includes(driver) && driverOptFlags.length > 0 ? decodeDriverOpts(values(driverOptFlags), driver as DriverName) : null;
    const node = lastFlag(inv, 'node');
    out.push({
      inv,
      name,
      nameValue,
      driverFlag,
      driver,
      driverSource,
      driverOpts,
      driverOptFlags,
      platformFlags,
      platforms: compact(platformFlags.length ? parsePlatformList(values(platformFlags)) : []),
      node,
      nodeValue: staticValue(node),
      append: boolFlag(inv, 'append'),
      leave: boolFlag(inv, 'leave'),
      use: boolFlag(inv, 'use'),
      endpoint,
    });
  }
  return out;
}

export function buildBuildModels(invocations: Invocation[]): BuildModel[] {
  const out: BuildModel[] = [];
  for (const inv of invocations) {
    if (inv.command !== 'build') continue;
    // One pass over the flags for both: a build has many, and there are thousands of builds.
    const platformFlags: FlagOccurrence[] = [];
    let builderFlag: FlagOccurrence | undefined;
    for (const f of inv.flags) {
      if (f.name === 'platform') platformFlags.push(f);
      else if (f.name === 'builder') builderFlag = f;
    }
    if (!builderFlag) for (const f of inv.globalFlags) if (f.name === 'builder') builderFlag = f;
    out.push({ inv, platformFlags: compact(platformFlags), platforms: compact(platformFlags.length ? parsePlatformList(values(platformFlags)) : []), builderFlag });
  }
  return out;
}

export type { Span };
