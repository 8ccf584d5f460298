import { EXIT, type Io } from './io.js';
import { runTest, TEST_HELP } from './commands/test.js';
import { runScan, SCAN_HELP } from './commands/scan.js';
import { runHook, HOOK_HELP } from './commands/hook.js';
import { quoteText } from '../index.js';
import { redactingIo, runCommand } from './run-command.js';
import { keyArgumentProblem } from './argv-guard.js';
import { runDoctorCommand, DOCTOR_HELP } from './commands/doctor.js';
import { runRules, RULES_HELP } from './commands/rules.js';
import { runRun, RUN_HELP } from './commands/run.js';
import { runIncident, INCIDENT_HELP } from './commands/incident.js';

declare const SIGNUS_VERSION: string | undefined;

const HELP = `Usage: signus <command> [options]

The Signus developer tools on the command line.

Commands:
  test     Test an API key against the Signus API (the app's "Test API key" request).
  scan     Look for Signus API keys in files, or in what the next commit adds (--staged).
  hook     Install, remove or show the git pre-commit hook that blocks commits adding a key.
  doctor   Prove the hook protects this repository: commits a fake canary key in a throw-away worktree.
  rules    Export our key rule for gitleaks, secretlint or GitHub custom patterns.
  run      Run a program with the key in its environment, masked in everything it prints.
  incident Respond to a leaked key: find every copy, write a report, replace, purge, scrub, verify revoked.

Run "signus <command> --help" for a command's options.
Environment: SIGNUS_API_KEY, SIGNUS_ACCOUNT_ID (or ACCOUNT_ID), SIGNUS_BASE_URL (or BASE_URL).
`;

type Command = (args: string[], io: Io) => Promise<number>;

/**
 * `rawStdout`: stdout is not redacted — `test --show-secret` prints the key on purpose, and `rules export`
 * prints only our own rule data, whose test strings are key-shaped fakes that must stay matchable.
 */
const COMMANDS: Record<string, { run: Command; help: string; rawStdout?: true }> = {
  test: { run: runTest, help: TEST_HELP, rawStdout: true },
  scan: { run: runScan, help: SCAN_HELP },
  hook: { run: runHook, help: HOOK_HELP },
  doctor: { run: runDoctorCommand, help: DOCTOR_HELP },
  rules: { run: runRules, help: RULES_HELP, rawStdout: true },
  run: { run: runRun, help: RUN_HELP },
  incident: { run: runIncident, help: INCIDENT_HELP },
};

export async function main(argv: string[], rawIo: Io): Promise<number> {
  const [name, ...args] = argv;
  const io = redactingIo(rawIo, false);
  const keyArgument = keyArgumentProblem(argv);
  if (keyArgument) {
    io.err(`signus: ${keyArgument}\n`);
    return EXIT.usage;
  }
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
    io.err(`signus: unknown command ${quoteText(name)}. Run "signus --help" for the list.\n`);
    return EXIT.usage;
  }
  return runCommand(name, command.run, args, command.rawStdout ? redactingIo(rawIo, true) : io);
}
