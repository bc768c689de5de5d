/**
 * The `kbx-lint` executable (dist/kbx-lint.js). It answers `--version` and the help texts itself,
 * so they do not wait for the whole linter (dist/kbx-lint-cli.js) to be read and compiled;
 * everything else is handed to that bundle. The answers are the ones main() gives for the same
 * argv (test/cli/entry.test.ts compares them).
 */
import { COMMAND_HELP, VERSION } from './help';

/** The output for an argv that needs no linter, or null. Only whole, exact argv are answered here. */
export function quickAnswer(argv: string[]): string | null {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) return VERSION + '\n';
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) return COMMAND_HELP.lint + '\n';
  if (argv[0] === 'help' && argv.length <= 2) {
    const topic = argv[1] ?? 'lint';
    return Object.hasOwn(COMMAND_HELP, topic) ? COMMAND_HELP[topic] + '\n' : null;
  }
  if (argv.length === 2 && (argv[1] === '--help' || argv[1] === '-h') && ['lint', 'explain', 'rules', 'rule'].includes(argv[0])) return COMMAND_HELP[argv[0]] + '\n';
  return null;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const answer = quickAnswer(argv);
  if (answer === null) {
    // Resolved next to this file at run time, never bundled into it.
    (require('./kbx-lint-cli.js') as { runProcess(argv: string[]): void }).runProcess(argv);
  } else {
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
    });
    process.stdout.write(answer);
  }
}
