import { fstatSync, writeSync } from 'node:fs';
import { styleText } from 'node:util';

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** The API answered with an error status / findings were found. */
  failed: 1,
  usage: 2,
  /** No usable answer: network error, timeout, bad response. */
  noAnswer: 3,
} as const;

/** Bad usage or input: printed as is, exit 2. The message must never contain a secret. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  /** Colour only for a terminal, and never when NO_COLOR is set. */
  color: boolean;
  stderrIsTty: boolean;
}

export function processIo(): Io {
  const env = process.env;
  let color: boolean | undefined;
  return {
    out: (text) => writeOut(1, text),
    err: (text) => writeOut(2, text),
    env,
    // Getters: each stream costs milliseconds to create, and most runs (the git hook) never touch stdin.
    get stdin() {
      return process.stdin;
    },
    get color() {
      color ??= env.FORCE_COLOR
        ? env.FORCE_COLOR !== '0'
        : isTerminal(1) && !('NO_COLOR' in env) && env.TERM !== 'dumb';
      return color;
    },
    get stderrIsTty() {
      return isTerminal(2);
    },
  };
}

/**
 * Whether the descriptor is a terminal, as `process.stdout.isTTY` says. A pipe or a file (the usual case
 * under git, an editor or CI) is told apart by fstat, without loading the tty module, which loads net and
 * the stream modules (~8 ms on every commit).
 */
function isTerminal(fd: 1 | 2): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/** Set for a descriptor once a write has gone through its stream, so later text stays in order. */
const viaStream = new Set<number>();

/**
 * Writes as process.stdout and process.stderr do for files, pipes and terminals on Linux (synchronously),
 * without creating them: they load net and the stream modules (~8 ms). On Windows the console needs the
 * stream (UTF-16 conversion). If the descriptor refuses the write (EAGAIN, when another process left it
 * non-blocking, or any other error), the rest goes through the stream, which handles it as before.
 */
function writeOut(fd: 1 | 2, text: string): void {
  const stream = () => (fd === 1 ? process.stdout : process.stderr);
  if (process.platform === 'win32' || viaStream.has(fd)) {
    stream().write(text);
    return;
  }
  let bytes = Buffer.from(text, 'utf8');
  try {
    while (bytes.length > 0) bytes = bytes.subarray(writeSync(fd, bytes));
  } catch {
    viaStream.add(fd);
    stream().write(bytes);
  }
}

type Style = Parameters<typeof styleText>[0];

export function painter(enabled: boolean): (style: Style, text: string) => string {
  return enabled ? (style, text) => styleText(style, text) : (_style, text) => text;
}
