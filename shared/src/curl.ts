import { maskSecret } from './mask.js';

export type Shell = 'posix' | 'powershell' | 'cmd';
export const SHELLS: readonly Shell[] = ['posix', 'powershell', 'cmd'];

export interface CurlRequest {
  method: string;
  url: string;
  /** Headers other than Authorization, in order. */
  headers?: readonly (readonly [string, string])[];
  /** Sent as `Authorization: Bearer <secret>`. */
  secret?: string;
}

export interface CurlOptions {
  shell?: Shell;
  /** false (default): the secret is masked, for display. true: the exact command, for copying. */
  reveal?: boolean;
}

/** POSIX sh: single quotes keep everything literal, including newlines; only `'` needs care. */
export function quotePosix(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * PowerShell: single-quoted strings are literal; a quote inside is doubled. PowerShell also treats
 * the typographic single quotes as quote characters, so they are doubled too.
 */
export function quotePowerShell(arg: string): string {
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/['‘’‚‛]/g, '$&$&')}'`;
}

/**
 * cmd.exe, whose parser runs before the C runtime's argument parser and each has its own escapes.
 * The scheme: double the backslashes that precede a quote and escape the quote (C runtime), then
 * caret-escape what cmd treats specially (`^&|<>()!"`), break `%VAR%` expansion by putting a caret
 * after each `%` that starts a name, and turn each newline into `^` + two newlines, cmd's only
 * way to keep a newline inside an argument.
 */
export function quoteCmd(arg: string): string {
  if (/^[A-Za-z0-9_@+=:,./-]+$/.test(arg)) return arg;
  const crt = arg.replace(/(\\*)"/g, (_m, slashes: string) => `${slashes}${slashes}\\"`).replace(/(\\+)$/, '$1$1');
  const cmd = crt
    .replace(/[\^&|<>()!"]/g, '^$&')
    .replace(/%(?=[A-Za-z0-9_])/g, '%^')
    .replace(/\r?\n/g, '^\n\n');
  return `^"${cmd}^"`;
}

const QUOTERS: Record<Shell, (arg: string) => string> = {
  posix: quotePosix,
  powershell: quotePowerShell,
  cmd: quoteCmd,
};

/** In PowerShell 5, `curl` is an alias of Invoke-WebRequest; `curl.exe` is the real one. */
const CURL_BINARY: Record<Shell, string> = { posix: 'curl', powershell: 'curl.exe', cmd: 'curl' };

/** The argument vector (without the program) that reproduces the request. */
export function curlArgs(request: CurlRequest, reveal: boolean): string[] {
  const args: string[] = [];
  if (request.method.toUpperCase() !== 'GET') args.push('-X', request.method.toUpperCase());
  args.push(request.url);
  if (request.secret !== undefined) {
    const shown = reveal ? request.secret : maskSecret(request.secret);
    args.push('-H', `Authorization: Bearer ${shown}`);
  }
  for (const [name, value] of request.headers ?? []) args.push('-H', `${name}: ${value}`);
  return args;
}

/** The one-line cURL command for a shell; masked unless `reveal` is set. */
export function buildCurl(request: CurlRequest, options: CurlOptions = {}): string {
  const shell = options.shell ?? 'posix';
  const quote = QUOTERS[shell];
  return [CURL_BINARY[shell], ...curlArgs(request, options.reveal === true).map(quote)].join(' ');
}
