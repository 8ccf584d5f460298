import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { echoStream, parseAccountId, parseBaseUrl, quoteText } from '../../index.js';
import { EXIT, UsageError, type Io } from '../io.js';
import { readSecret } from '../secret-input.js';

export const RUN_HELP = `Usage: signus run [options] -- <command> [arguments...]

Runs a program with the Signus key in its environment (SIGNUS_API_KEY, and SIGNUS_ACCOUNT_ID and
SIGNUS_BASE_URL when given), so the key never has to sit in a .env file. Whatever the program prints
on stdout and stderr passes through a mask: the key shows as sk_••••••••abcd, also when the program
prints it base64-encoded, URL-encoded, JSON-escaped, without its sk_ prefix or in another letter case.

The key is read from SIGNUS_API_KEY of this shell, or from standard input with --key-stdin (a hidden
prompt in a terminal; from a pipe, the program then gets an empty standard input).

Options:
  --account-id ID     Account ID (a UUID) to pass as SIGNUS_ACCOUNT_ID. Default: SIGNUS_ACCOUNT_ID, then ACCOUNT_ID.
  --base-url URL      API base URL to pass as SIGNUS_BASE_URL. Default: SIGNUS_BASE_URL, then BASE_URL.
  --key-stdin         Read the key from standard input.
  -h, --help          Show this help.

The program sees pipes, not a terminal: output is shown as it comes (a prompt without a newline too),
and PYTHONUNBUFFERED and FORCE_COLOR are set when this command's output is a terminal. Output that
pauses in the middle of a key can show at most its first 7 characters; all the rest is masked.

Exit code: the program's own (128 + the signal number if a signal ended it); 127 when the program
cannot be found, 126 when it cannot be run, 2 for bad usage.
`;

/** Output that stops for this long is shown, held tail and all: a prompt must not wait for more. */
const PAUSE_MS = 25;

interface RunOptions {
  accountId?: string;
  baseUrl?: string;
  keyStdin: boolean;
  help: boolean;
  command: string[];
}

/** Options end at `--` or at the first argument that is not one of ours: the rest is the program's. */
function parseRunArgs(args: string[]): RunOptions {
  const options: RunOptions = { keyStdin: false, help: false, command: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      options.command = args.slice(i + 1);
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      options.command = args.slice(i);
      break;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? splitOnce(arg) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value.`);
      return v;
    };
    if (name === '--account-id') options.accountId = value();
    else if (name === '--base-url') options.baseUrl = value();
    else if (name === '--key-stdin') options.keyStdin = true;
    else if (name === '-h' || name === '--help') options.help = true;
    else
      throw new UsageError(`unknown option ${quoteText(name)}. Put the program after "--": signus run -- <command>.`);
  }
  return options;
}

function splitOnce(arg: string): [string, string] {
  const at = arg.indexOf('=');
  return [arg.slice(0, at), arg.slice(at + 1)];
}

export async function runRun(args: string[], io: Io): Promise<number> {
  const options = parseRunArgs(args);
  if (options.help) {
    io.out(RUN_HELP);
    return EXIT.ok;
  }
  const [program, ...programArgs] = options.command;
  if (program === undefined) throw new UsageError('No program to run: signus run -- <command> [arguments...].');

  const env: NodeJS.ProcessEnv = { ...io.env };
  const rawAccount = options.accountId ?? io.env.SIGNUS_ACCOUNT_ID ?? io.env.ACCOUNT_ID;
  if (rawAccount !== undefined) {
    const account = parseAccountId(rawAccount);
    if (!account.accountId) throw new UsageError(`Bad Account ID: ${account.problem?.message}`);
    env.SIGNUS_ACCOUNT_ID = account.accountId;
  }
  const rawBase = options.baseUrl ?? io.env.SIGNUS_BASE_URL ?? io.env.BASE_URL;
  if (rawBase !== undefined) {
    const base = parseBaseUrl(rawBase);
    if (!base.baseUrl) throw new UsageError(`Bad base URL: ${base.problem?.message}`);
    if (base.warning) io.err(`warning: ${base.warning}\n`);
    env.SIGNUS_BASE_URL = base.baseUrl;
  }
  const key = await readSecret(io, options.keyStdin);
  env.SIGNUS_API_KEY = key;
  const stdinPiped = options.keyStdin && !io.stdin.isTTY;
  if (process.stdout.isTTY && !('NO_COLOR' in env)) env.FORCE_COLOR ??= '1';
  if (process.stdout.isTTY) env.PYTHONUNBUFFERED ??= '1';

  let child: ChildProcess;
  try {
    child = spawn(program, programArgs, { env, stdio: [stdinPiped ? 'ignore' : 'inherit', 'pipe', 'pipe'] });
  } catch (error) {
    return cannotRun(io, program, error);
  }
  return await new Promise<number>((resolve) => {
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    // Ctrl-C reaches the program from the terminal itself; we stay alive to show its last words, masked.
    const handlers: Array<[NodeJS.Signals, () => void]> = [
      ['SIGINT', () => {}],
      ['SIGTERM', forward('SIGTERM')],
      ['SIGHUP', forward('SIGHUP')],
    ];
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const done = (code: number): void => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      resolve(code);
    };
    let failed = false;
    child.on('error', (error) => {
      failed = true;
      done(cannotRun(io, program, error));
    });
    const outputs = [maskInto(child.stdout!, process.stdout, key), maskInto(child.stderr!, process.stderr, key)];
    child.on('close', (code, signal) => {
      if (failed) return;
      void Promise.all(outputs).then(() => done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
    });
  });
}

function cannotRun(io: Io, program: string, error: unknown): number {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    io.err(`signus run: ${quoteText(program)} was not found (not a file, and not on PATH).\n`);
    return 127;
  }
  io.err(`signus run: cannot run ${quoteText(program)}: ${code ?? (error as Error).message}.\n`);
  return 126;
}

/**
 * Copies a child's output stream to ours through the mask. Bytes travel as latin1 (one character a byte),
 * so output that is not UTF-8 comes out unchanged; only the masks are written as UTF-8.
 */
function maskInto(from: Readable, to: Writable, key: string): Promise<void> {
  const mask = echoStream(key);
  let timer: NodeJS.Timeout | undefined;
  const write = (text: string): void => {
    if (text && !to.write(toBytes(text))) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  };
  return new Promise((resolve) => {
    from.on('data', (chunk: Buffer) => {
      clearTimeout(timer);
      write(mask.write(chunk.toString('latin1')));
      timer = setTimeout(() => write(mask.flush()), PAUSE_MS);
    });
    from.on('end', () => {
      clearTimeout(timer);
      write(mask.flush());
      resolve();
    });
    from.on('error', () => resolve());
  });
}

function toBytes(latin1: string): Buffer {
  // Any character above one byte is ours (a mask bullet): it goes out as UTF-8.
  return Buffer.from(
    latin1.replace(/[\u0100-\uffff]/g, (c) => Buffer.from(c, 'utf8').toString('latin1')),
    'latin1',
  );
}
