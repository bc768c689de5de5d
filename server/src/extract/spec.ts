/**
 * Typed access to grammar/buildx-commands.json: the buildx commands and the flags that
 * spf13/pflag knows for each. Parsing, validation, completion and hover all read this one table.
 */
import commandsJson from '../../../grammar/buildx-commands.json';

export type FlagType = 'string' | 'stringArray' | 'stringSlice' | 'bool' | 'boolFunc' | 'duration';

export interface FlagSpec {
  name: string;
  type: FlagType;
  shorthand?: string;
  description: string;
  hidden?: boolean;
  warning?: string;
  /** First buildx release that has the flag (`v0.10`), from scripts/buildx-since.mjs. */
  since?: string;
}

export interface CommandSpec {
  name: string;
  usage: string;
  aliases?: string[];
  args: { max?: number; exact?: number };
  flags: FlagSpec[];
  /** create and ls shadow the root `--builder` with a hidden, ignored local flag. */
  localBuilderFlag?: boolean;
}

interface CommandsFile {
  buildxVersion: string;
  dockerGlobalFlags: FlagSpec[];
  buildxRootFlags: FlagSpec[];
  commands: Record<string, Omit<CommandSpec, 'name'>>;
  otherCommands: string[];
}

const data = commandsJson as unknown as CommandsFile;

export const BUILDX_VERSION = data.buildxVersion;
export const DOCKER_GLOBAL_FLAGS: FlagSpec[] = data.dockerGlobalFlags;
export const BUILDX_ROOT_FLAGS: FlagSpec[] = data.buildxRootFlags;
export const OTHER_COMMANDS: ReadonlySet<string> = new Set(data.otherCommands);

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(Object.entries(data.commands).map(([name, c]) => [name, { name, ...c }]));

const aliasToCommand = new Map<string, string>();
for (const [name, c] of COMMANDS) {
  aliasToCommand.set(name, name);
  for (const a of c.aliases ?? []) aliasToCommand.set(a, name);
}

/** resolveCommand maps a subcommand word (including aliases like `b`) to its canonical name. */
export function resolveCommand(word: string): string | null {
  return aliasToCommand.get(word) ?? null;
}

export interface FlagTable {
  long: Map<string, FlagSpec>;
  short: Map<string, FlagSpec>;
}

export function flagTable(flags: FlagSpec[]): FlagTable {
  const long = new Map<string, FlagSpec>();
  const short = new Map<string, FlagSpec>();
  for (const f of flags) {
    long.set(f.name, f);
    if (f.shorthand) short.set(f.shorthand, f);
  }
  return { long, short };
}

/** commandFlagTable is the flag set a subcommand accepts: its own plus the inherited root flags. */
const tableCache = new Map<string, FlagTable>();

export function commandFlagTable(command: string): FlagTable | null {
  const cached = tableCache.get(command);
  if (cached) return cached;
  const table = buildCommandFlagTable(command);
  if (table) tableCache.set(command, table);
  return table;
}

function buildCommandFlagTable(command: string): FlagTable | null {
  const c = COMMANDS.get(command);
  if (!c) return null;
  const inherited = BUILDX_ROOT_FLAGS.map((f) => (f.name === 'builder' && c.localBuilderFlag ? { ...f, description: 'ignored (hidden local flag)', hidden: true } : f));
  return flagTable([...c.flags, ...inherited]);
}

export function takesValue(f: FlagSpec): boolean {
  return f.type !== 'bool' && f.type !== 'boolFunc';
}
