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
  const color = process.stdout.isTTY === true && !('NO_COLOR' in env) && env.TERM !== 'dumb';
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env,
    stdin: process.stdin,
    color: env.FORCE_COLOR ? env.FORCE_COLOR !== '0' : color,
    stderrIsTty: process.stderr.isTTY === true,
  };
}

type Style = Parameters<typeof styleText>[0];

export function painter(enabled: boolean): (style: Style, text: string) => string {
  return enabled ? (style, text) => styleText(style, text) : (_style, text) => text;
}
