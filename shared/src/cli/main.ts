import { EXIT, UsageError, type Io } from './io.js';
import { runTest, TEST_HELP } from './commands/test.js';
import { runScan, SCAN_HELP } from './commands/scan.js';
import { runHook, HOOK_HELP } from './commands/hook.js';
import { redact } from '../index.js';

declare const SIGNUS_VERSION: string | undefined;

const HELP = `Usage: signus <command> [options]

The Signus developer tools on the command line.

Commands:
  test     Test an API key against the Signus API (the app's "Test API key" request).
  scan     Look for Signus API keys in files, or in what the next commit adds (--staged).
  hook     Install, remove or show the git pre-commit hook that blocks commits adding a key.

Run "signus <command> --help" for a command's options.
Environment: SIGNUS_API_KEY, SIGNUS_ACCOUNT_ID (or ACCOUNT_ID), SIGNUS_BASE_URL (or BASE_URL).
`;

type Command = (args: string[], io: Io) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  test: { run: runTest, help: TEST_HELP },
  scan: { run: runScan, help: SCAN_HELP },
  hook: { run: runHook, help: HOOK_HELP },
};

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' && args[0] ? COMMANDS[args[0]] : undefined;
    io.out(topic ? topic.help : HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${typeof SIGNUS_VERSION === 'string' ? SIGNUS_VERSION : 'dev'}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`signus: unknown command "${redact(name)}". Run "signus --help" for the list.\n`);
    return EXIT.usage;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`signus ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    // parseArgs reports unknown options with a code; those are usage errors too.
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`signus ${name}: ${redact((error as Error).message)}\nRun "signus ${name} --help".\n`);
      return EXIT.usage;
    }
    io.err(
      `signus ${name}: unexpected error: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`,
    );
    return EXIT.usage;
  }
}
