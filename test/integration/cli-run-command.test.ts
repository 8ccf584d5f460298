import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, CLI, runCli } from './cli-run.js';
import { ENCODINGS, encode } from '../hostile/echo-forms.js';
import { findKeyLeak } from '../hostile/leak-check.js';

// `signus run -- <program>`: the key reaches the program's environment and never its output.
const KEY = 'sk_test_FAKErunKEY0123456789abcdefWXYZ';
const ACCOUNT = '3f2b8c1e-9a7d-4e6b-8c5a-1d2e3f4a5b6c';
let dir: string;

/** A small Node program for the child side, written to a file so its source is not in argv. */
function program(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

beforeAll(() => {
  assertCliBuilt();
  dir = mkdtempSync(join(tmpdir(), 'signus-run-'));
});

describe('signus run', () => {
  it('gives the program the key and masks it on stdout and stderr in every encoding', async () => {
    const child = program(
      'print.mjs',
      `const key = process.env.SIGNUS_API_KEY;
       const forms = ${JSON.stringify(ENCODINGS.map((e) => [e, encode(KEY, e)]))};
       console.log('has key:', key.length);
       for (const [name, text] of forms) { console.log(name, text); console.error(name, text); }
       console.log('upper', key.toUpperCase(), 'body', key.slice(3));`,
    );
    const run = await runCli(['run', '--', process.execPath, child], { env: { SIGNUS_API_KEY: KEY } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`has key: ${KEY.length}`);
    for (const encoding of ENCODINGS) expect(run.stdout).toMatch(new RegExp(`^${encoding} .*•`, 'm'));
    expect(run.stdout).toContain(`plain sk_••••••••WXYZ`);
    expect(findKeyLeak(run.stdout, KEY)).toBeUndefined();
    expect(findKeyLeak(run.stderr, KEY)).toBeUndefined();
    expect(run.stderr).toContain('plain sk_••••••••WXYZ');
  });

  it('masks a key the program writes in pieces, with and without pauses', async () => {
    const child = program(
      'slow.mjs',
      `const key = process.env.SIGNUS_API_KEY;
       const wait = (ms) => new Promise((r) => setTimeout(r, ms));
       for (const pause of [0, 5, 60]) {
         for (let i = 0; i < key.length; i += 5) { process.stdout.write(key.slice(i, i + 5)); await wait(pause); }
         process.stdout.write(' | ' + Buffer.from(key).toString('base64').slice(0, 12));
         await wait(pause);
         process.stdout.write(Buffer.from(key).toString('base64').slice(12) + '\\n');
       }`,
    );
    const run = await runCli(['run', '--', process.execPath, child], { env: { SIGNUS_API_KEY: KEY } });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(findKeyLeak(run.stdout, KEY)).toBeUndefined();
  });

  it('shows a prompt before the program has finished its line, and passes standard input through', async () => {
    const child = program(
      'ask.mjs',
      `process.stdout.write('Your name? ');
       process.stdin.once('data', (d) => { console.log('hello ' + String(d).trim() + '.'); process.exit(0); });`,
    );
    const proc = spawn(process.execPath, [CLI, 'run', '--', process.execPath, child], {
      env: { PATH: process.env.PATH, SIGNUS_API_KEY: KEY },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    proc.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) => {
      proc.stdout.on('data', (d: string) => {
        stdout += d;
        // The prompt shows while the program still waits for its answer.
        if (stdout === 'Your name? ') {
          proc.stdin.write('Ada\n');
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout).toBe('Your name? hello Ada.\n');
  });

  it('passes bytes that are not UTF-8 through unchanged', async () => {
    const child = program(
      'bytes.mjs',
      `const bytes = Buffer.alloc(1024); for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) % 256;
       process.stdout.write(bytes);`,
    );
    const chunks: Buffer[] = [];
    const proc = spawn(process.execPath, [CLI, 'run', '--', process.execPath, child], {
      env: { PATH: process.env.PATH, SIGNUS_API_KEY: KEY },
    });
    proc.stdout.on('data', (d: Buffer) => chunks.push(d));
    expect(await new Promise((resolve) => proc.on('close', resolve))).toBe(0);
    const expected = Buffer.alloc(1024);
    for (let i = 0; i < expected.length; i++) expected[i] = (i * 7) % 256;
    expect(Buffer.concat(chunks).equals(expected)).toBe(true);
  });

  it("returns the program's exit code, and 128 + the signal when a signal ended it", async () => {
    const exits = program('exit.mjs', 'process.exit(7);');
    expect((await runCli(['run', process.execPath, exits], { env: { SIGNUS_API_KEY: KEY } })).code).toBe(7);
    const killed = program('kill.mjs', "process.kill(process.pid, 'SIGTERM');");
    expect((await runCli(['run', '--', process.execPath, killed], { env: { SIGNUS_API_KEY: KEY } })).code).toBe(
      128 + 15,
    );
  });

  it('passes the Account ID and base URL, checked, and reads the key from standard input', async () => {
    const env = program(
      'env.mjs',
      `console.log(JSON.stringify({ a: process.env.SIGNUS_ACCOUNT_ID, b: process.env.SIGNUS_BASE_URL, k: process.env.SIGNUS_API_KEY?.length }));
       let input = ''; process.stdin.on('data', (d) => (input += d)).on('end', () => console.log('stdin:' + input.length));`,
    );
    const run = await runCli(
      ['run', '--key-stdin', '--account-id', ACCOUNT, '--base-url', 'http://127.0.0.1:9', '--', process.execPath, env],
      { input: `${KEY}\n` },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.split('\n')[0]!)).toEqual({ a: ACCOUNT, b: 'http://127.0.0.1:9', k: KEY.length });
    expect(run.stdout).toContain('stdin:0');

    const bad = await runCli(['run', '--account-id', 'not-a-uuid', '--', process.execPath, env], {
      env: { SIGNUS_API_KEY: KEY },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Bad Account ID/);
  });

  it('says clearly what is wrong, and never with the key in it', async () => {
    const noKey = await runCli(['run', '--', process.execPath, '-e', '0']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/No API key/);

    const malformed = await runCli(['run', '--', process.execPath, '-e', '0'], {
      env: { SIGNUS_API_KEY: 'sk_FAKE short' },
    });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/cannot be used/);

    const missing = await runCli(['run', '--', join(dir, 'no-such-program')], { env: { SIGNUS_API_KEY: KEY } });
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/was not found/);

    const nothing = await runCli(['run', '--'], { env: { SIGNUS_API_KEY: KEY } });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/No program to run/);

    const unknown = await runCli(['run', '--colour', 'x'], { env: { SIGNUS_API_KEY: KEY } });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option "--colour"/);

    // A key typed into the program's arguments would reach shell history: refused like anywhere else.
    const inArgs = await runCli(['run', '--', 'echo', KEY], { env: { SIGNUS_API_KEY: KEY } });
    expect(inArgs.code).toBe(2);
    for (const run of [noKey, malformed, missing, nothing, unknown, inArgs]) {
      expect(findKeyLeak(run.stdout + run.stderr, KEY)).toBeUndefined();
    }
  });
});
