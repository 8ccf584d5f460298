import { parseApiKeyInput } from '../index.js';
import { UsageError, type Io } from './io.js';

const MAX_STDIN_BYTES = 64 * 1024;

/** The key from standard input (`--key-stdin`) or SIGNUS_API_KEY, normalised; a UsageError says what is wrong. */
export async function readSecret(io: Io, fromStdin: boolean): Promise<string> {
  let raw: string;
  let source: string;
  if (fromStdin) {
    raw = io.stdin.isTTY
      ? await promptHidden(io, 'Paste the Signus API key (input hidden): ')
      : await readAll(io.stdin);
    source = 'standard input';
  } else if (io.env.SIGNUS_API_KEY !== undefined) {
    raw = io.env.SIGNUS_API_KEY;
    source = 'SIGNUS_API_KEY';
  } else {
    throw new UsageError('No API key: set SIGNUS_API_KEY, or pipe the key in with --key-stdin.');
  }
  const parsed = parseApiKeyInput(raw);
  if (!parsed.key)
    throw new UsageError(`The key from ${source} cannot be used: ${parsed.problem?.message ?? 'unknown problem'}`);
  return parsed.key;
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_STDIN_BYTES) throw new UsageError('Standard input is too large to be an API key (over 64 KiB).');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line from a terminal without echoing it. */
export function promptHidden(io: Io, question: string): Promise<string> {
  const stdin = io.stdin;
  // Echo off before the question shows: a key pasted the moment the prompt appears must not reach the screen.
  stdin.setRawMode(true);
  io.err(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (error?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      io.err('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (data: Buffer): void => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done();
        if (char === '\u0003') return done(new UsageError('Cancelled.'));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else value += char;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}
