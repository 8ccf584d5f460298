/**
 * The pre-commit hook's own bundle: `signus scan --staged --diff-stdin`, the one command the hook runs,
 * and nothing else of the CLI (no argument parser, other formatters, other commands). build.mjs embeds
 * it in dist/signus-hook.cjs (hook-loader.ts), which checks the arguments before running it.
 */
import { processIo } from './io.js';
import { redactingIo, runCommand } from './run-command.js';
import { runHookScan } from './commands/scan-staged.js';

void runCommand('scan', (_args, io) => runHookScan(io), [], redactingIo(processIo(), false)).then((code) => {
  process.exitCode = code;
});
