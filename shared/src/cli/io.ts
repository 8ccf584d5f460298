import { fstatSync, writeSync } from 'node:fs';
import { inspect, type styleText } from 'node:util';

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
  let rdev: number;
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice()) return false;
    rdev = stat.rdev;
  } catch {
    return false;
  }
  return linuxTerminalDevice(rdev) ?? process.getBuiltinModule('node:tty').isatty(fd);
}

/**
 * On Linux a character device's major number tells the usual cases apart without the tty module (~7 ms on
 * a commit made in a terminal): 136–143 are pseudo-terminals (every terminal window, ssh, tmux), 1 is
 * /dev/null and its kin (output thrown away). Anything else (a console, a serial line), or another
 * system: undefined, and isatty decides.
 */
export function linuxTerminalDevice(rdev: number, platform: NodeJS.Platform = process.platform): boolean | undefined {
  if (platform !== 'linux') return undefined;
  // glibc's major(): bits 8–19 (and 32 and up, for majors past 4095, which these are not).
  const major = Math.floor(rdev / 256) % 4096;
  if (major >= 136 && major <= 143) return true;
  if (major === 1) return false;
  return undefined;
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

/**
 * The colours util.styleText writes, from the same table (util.inspect.colors). Not styleText itself: its
 * default stream argument creates process.stdout, which loads the tty module on a terminal (~7 ms on
 * every commit), and on newer Node it drops colours the caller asked for when that stream is a pipe.
 */
export function painter(enabled: boolean): (style: Style, text: string) => string {
  if (!enabled) return (_style, text) => text;
  const code = (style: string): [number, number] => {
    const codes = inspect.colors[style];
    if (!codes) throw new Error(`no such style: ${style}`);
    return codes;
  };
  return (style, text) => {
    let open = '';
    let close = '';
    for (const s of Array.isArray(style) ? style : [style]) {
      const [on, off] = code(s as string);
      open += `\u001b[${on}m`;
      close = `\u001b[${off}m${close}`;
    }
    return `${open}${text}${close}`;
  };
}
