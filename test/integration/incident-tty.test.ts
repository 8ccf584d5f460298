// `signus incident --key-stdin` at a terminal: the key is read without echo (a real pseudo-terminal through
// util-linux `script`), never to end-of-file with the terminal echoing it on screen.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quotePosix } from '@signus/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI } from './cli-run.js';
import { cleanupTempDirs, fakeKey, tempDir } from './scan-helpers.js';

beforeAll(() => {
  assertCliBuilt();
  if (!existsSync('/usr/bin/script')) throw new Error('util-linux `script` is needed to give the CLI a terminal.');
});
afterAll(cleanupTempDirs);

/** Runs the command on a pseudo-terminal and types `typed` (then Enter) once the prompt is on screen. */
function onTerminal(argv: string[], typed: string): Promise<{ code: number | null; screen: string }> {
  const command = argv.map(quotePosix).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  let sent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    if (!sent && screen.includes('(input hidden)')) {
      sent = true;
      child.stdin.write(`${typed}\r`);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    }),
  );
}

describe('signus incident --key-stdin at a terminal', { timeout: 60_000 }, () => {
  it('asks for the key with the input hidden: the screen never shows it, and the copy is found', async () => {
    const key = fakeKey();
    const dir = tempDir('signus-incident-tty-');
    mkdirSync(join(dir, 'root'));
    writeFileSync(join(dir, 'root', '.env'), `SIGNUS_API_KEY=${key}\n`);
    const fingerprint = createHash('sha256').update(key).digest('hex');
    const { code, screen } = await onTerminal(
      [
        process.execPath,
        CLI,
        'incident',
        fingerprint,
        '--key-stdin',
        '--no-home',
        '--no-history',
        '--root',
        join(dir, 'root'),
        '--report',
        join(dir, 'report'),
      ],
      key,
    );
    expect(screen).toContain('Paste the leaked Signus API key (input hidden)');
    expect(screen).not.toContain(key);
    expect(screen).not.toContain(key.slice(8, 20));
    expect(screen).toMatch(/1 copy in 1 file/);
    expect(screen).toContain('a key was read with --key-stdin');
    expect(code).toBe(1);
    expect(readFileSync(join(dir, 'report', 'incident.md'), 'utf8')).not.toContain(key);
  });
});
