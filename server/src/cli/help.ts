/**
 * The version and the usage texts, apart from the linter: the small start-up entry (entry.ts)
 * answers `--version` and `--help` from this module without loading the rules and the engine.
 */
import { version as PACKAGE_VERSION } from '../../../package.json';
import { buildxVersion as BUILDX_VERSION } from '../../../grammar/buildx-commands.json';

declare const KBX_VERSION: string | undefined;
export const VERSION: string = typeof KBX_VERSION === 'string' ? KBX_VERSION : PACKAGE_VERSION;

export const HELP = `kbx-lint ${VERSION} — lint Docker Buildx commands in shell scripts, Makefiles, CI YAML and Markdown

Usage:
  kbx-lint [options] [paths…]          lint files and directories (default: .)
  kbx-lint explain [options] paths…    show what each buildx invocation receives
  kbx-lint rules [--format text|json]  list every rule
  kbx-lint rule <CODE|name>            print a rule's documentation
  kbx-lint help [command]              print this help, or a command's

Rule selection (codes, code prefixes such as KBX1, names, or ALL; comma-separated, repeatable):
  --select RULES           check only these rules (also enables rules off by default)
  --extend-select RULES    check these rules in addition to the configured ones
  --ignore RULES           do not check these rules
  --rule ID=SEVERITY       set a rule to error|warning|info|off (repeatable)
  --buildx-version V       the buildx release the files run with (0.12, v0.13.1, latest)
  --limit NAME=N           an input limit of .kbx-lint.json's "limits", such as
                           maxBlockSize=524288 (repeatable; past it: KBX604)
  --config FILE            JSON configuration (schema/kbx-lint.schema.json); without it,
                           .kbx-lint.json or kbx-lint.json is looked up from each linted
                           file's directory to the project root (a directory with .git)
  --no-config              ignore configuration files

Files:
  --exclude GLOB           skip paths matching a gitignore-style glob (repeatable)
  --stdin-filename NAME    name (and file type) of the text read from '-'
  -j, --jobs N             lint on N threads (this one and N-1 workers); auto (default):
                           one per core when the run is big enough (env KBX_LINT_JOBS)

Output:
  --format FORMAT          text (default), concise, json, github, sarif, gitlab,
                           checkstyle, junit or rdjson
  --output-file PATH       write the report to PATH instead of standard output
  --sarif-root DIR         SARIF, GitLab and rdjson paths are relative to DIR
                           (default: the git work tree root, else the working directory)
  --docs-url URL           base URL of the rule pages in help links
  --severity LEVEL         report findings at LEVEL or above (error|warning|info)
  -q, --quiet              report errors only (--severity error)
  --statistics             print how often each rule fired instead of the findings
  --color[=WHEN]           auto (default), always or never; FORCE_COLOR and NO_COLOR are
  --no-color               honoured under auto
  --verbose                also print skipped files and why

Exit status:
  --fail-level LEVEL       exit 1 when a reported finding is at LEVEL or above (default error)
  --max-warnings N         also exit 1 when more than N warnings are reported
  --exit-zero              exit 0 even when findings are reported (2 still means a problem)

Fixes and suppressions:
  --fix                    apply safe fixes in place
  --unsafe-fixes           with --fix or --diff, also apply unsafe fixes
  --diff                   print a unified diff of what --fix would change; never writes
  --report-unused-disable  report suppression comments that suppress nothing

  -v, --version            print the version
  -h, --help               print this help

Boolean options accept =true or =false (--fix=false). Exit status: 0 nothing at the fail level,
1 findings at the fail level (or --diff has changes), 2 usage, configuration or I/O problem.
A run longer than a second shows its progress on stderr when that is a terminal.
Models buildx ${BUILDX_VERSION}.`;

export const COMMAND_HELP: Record<string, string> = {
  lint: HELP,
  explain: `Usage: kbx-lint explain [--format text|json] [--config FILE] [--exclude GLOB] paths…

Prints, for every buildx invocation, the argv the program receives (as bash or make passes it;
<dynamic> / null for words known only at run time), the driver and driver options as buildx
builds them, and for each build which node of which builder gets each platform.`,
  rules: `Usage: kbx-lint rules [--format text|json]

Lists every rule: code, name, default severity, whether it has a fix, and a summary.`,
  rule: `Usage: kbx-lint rule <CODE|name>

Prints the documentation of one rule (the same text as docs/rules/).`,
  help: `Usage: kbx-lint help [lint|explain|rules|rule]`,
};
