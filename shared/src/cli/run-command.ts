/**
 * How every command runs: its output redacted, its errors turned into exit codes. Shared by the whole CLI
 * (main.ts) and the pre-commit hook's own entry (hook-bin.ts), so the hook behaves as `signus scan` does.
 */
import { redact } from '../mask.js';
import { EXIT, UsageError, type Io } from './io.js';

/**
 * Everything written to stderr, and to stdout for commands that never print a secret, passes through
 * redact: whatever a message quotes (an argument, an environment variable, a line of a file, a path,
 * a label), a key-shaped run in it comes out masked.
 */
export function redactingIo(io: Io, keepStdout: boolean): Io {
  const out = keepStdout ? io.out : (text: string) => io.out(redact(text));
  return Object.create(io, {
    out: { value: out },
    err: { value: (text: string) => io.err(redact(text)) },
  }) as Io;
}

/** Runs a command with `io` (already redacting); a usage error or a throw becomes exit 2 with its message. */
export async function runCommand(
  name: string,
  run: (args: string[], io: Io) => Promise<number>,
  args: string[],
  io: Io,
): Promise<number> {
  try {
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`signus ${name}: ${error.message}\n`);
      return EXIT.usage;
    }
    // parseArgs reports unknown options with a code; those are usage errors too.
    const code = (error as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`signus ${name}: ${(error as Error).message}\nRun "signus ${name} --help".\n`);
      return EXIT.usage;
    }
    io.err(
      `signus ${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT.usage;
  }
}
