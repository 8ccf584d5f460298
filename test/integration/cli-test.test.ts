import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { assertCliBuilt, runCli, type CliRun } from './cli-run.js';

let emu: RunningEmulator;
const seenOutputs: CliRun[] = [];
const secretsUsed = new Set<string>();

beforeAll(async () => {
  assertCliBuilt();
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => emu.clearFaults());

/** `signus test` against the emulator with the key in SIGNUS_API_KEY, as a user would set it. */
async function signusTest(args: string[] = [], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const key = env.SIGNUS_API_KEY ?? emu.apiKey;
  if (key.length >= 20) secretsUsed.add(key);
  const run = await runCli(['test', ...args], {
    env: { SIGNUS_API_KEY: key, SIGNUS_ACCOUNT_ID: emu.accountId, SIGNUS_BASE_URL: emu.url, ...env },
  });
  seenOutputs.push(run);
  return run;
}

describe('signus test against the emulator', () => {
  it('accepts a valid key: exit 0, status, time, verdict, preview and masked cURL', async () => {
    const run = await signusTest();
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ Valid {2}200 OK · \d+ ms/);
    expect(run.stdout).toContain('"thisPageItems"');
    expect(run.stdout).toContain(
      `curl '${emu.url}/v1/accounts/${emu.accountId}/templates?pageIndex=0&pageSize=5' -H 'Authorization: Bearer sk_••••••••${emu.apiKey.slice(-4)}'`,
    );
    expect(run.stderr).toBe('');
  });

  it('reads the key from standard input with --key-stdin', async () => {
    const run = await runCli(['test', '--key-stdin', '--account-id', emu.accountId, '--base-url', emu.url], {
      input: `  Bearer ${emu.apiKey}\n`,
    });
    seenOutputs.push(run);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ Valid');
  });

  it('gives 401 to a deleted key on its next call', async () => {
    const key = emu.createKey({ name: 'to delete' });
    expect((await signusTest([], { SIGNUS_API_KEY: key.secret })).code).toBe(0);
    emu.deleteKey(key.id);
    const run = await signusTest([], { SIGNUS_API_KEY: key.secret });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✗ Unauthorized {2}401 Unauthorized/);
    expect(run.stdout).toMatch(/deleted/);
  });

  it.each([
    ["another workspace's key", () => ({ SIGNUS_API_KEY: emu.otherApiKey }), 403, /Forbidden/],
    [
      'a workspace without API access',
      () => ({ SIGNUS_API_KEY: emu.noAccessApiKey, SIGNUS_ACCOUNT_ID: emu.noAccessAccountId }),
      403,
      /Forbidden/,
    ],
    [
      'an unknown account',
      () => ({ SIGNUS_ACCOUNT_ID: '00000000-0000-4000-8000-000000000000' }),
      404,
      /Not found.*\n.*check the Account ID/,
    ],
  ])('exits 1 for %s', async (_label, env, status, pattern) => {
    const run = await signusTest([], env());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(` ${status} `);
    expect(run.stdout).toMatch(pattern);
  });

  it('exits 1 for a server error and for rate limiting, with Retry-After', async () => {
    emu.injectFault({ kind: 'status', status: 500 }, 1);
    const failed = await signusTest();
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/Server error {2}500/);
    emu.injectFault({ kind: 'rate_limit', retryAfter: 17 }, 1);
    const limited = await signusTest();
    expect(limited.code).toBe(1);
    expect(limited.stdout).toMatch(/Rate limited {2}429/);
    expect(limited.stdout).toContain('wait 17 s');
  });

  it.each([
    ['a non-JSON body', { kind: 'non_json' } as const, /Bad response {2}200[\s\S]*not JSON/],
    ['an empty body', { kind: 'empty' } as const, /Bad response[\s\S]*empty body/],
    ['a huge body', { kind: 'huge', bytes: 8 * 1024 * 1024 } as const, /Bad response[\s\S]*larger than/],
    ['a dropped connection', { kind: 'drop' } as const, /Connection dropped {2}No answer[\s\S]*dropped/],
    [
      'a connection cut mid-body',
      { kind: 'truncate' } as const,
      /Answer cut off {2}200 OK[\s\S]*closed before the body was complete/,
    ],
    [
      'a redirect',
      { kind: 'redirect', location: 'https://evil.example/steal' } as const,
      /Redirected {2}307[\s\S]*redirected to https:\/\/evil\.example;/,
    ],
  ])('handles %s', async (_label, fault, pattern) => {
    emu.injectFault(fault, 1);
    const run = await signusTest();
    expect(run.stdout).toMatch(pattern);
    expect(run.code).toBe(fault.kind === 'redirect' ? 1 : 3);
  });

  it('times out on a slow server: exit 3', async () => {
    emu.injectFault({ kind: 'latency', ms: 3_000 }, 1);
    const run = await signusTest(['--timeout', '0.3']);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/Timed out/);
  });

  it('says when nothing listens: exit 3', async () => {
    const run = await signusTest(['--base-url', 'http://127.0.0.1:39']);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/connection refused/);
  });

  it('prints one JSON object and nothing else with --json', async () => {
    emu.injectFault({ kind: 'status', status: 500 }, 1);
    const run = await signusTest(['--json']);
    expect(run.code).toBe(1);
    const parsed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(parsed).toMatchObject({ status: 500, verdict: 'server_error', truncated: false });
    expect(typeof parsed.durationMs).toBe('number');
    expect(parsed.curl).toContain('sk_••••••••');
    expect(Object.keys(parsed)).toEqual(
      expect.arrayContaining(['status', 'verdict', 'durationMs', 'preview', 'truncated', 'body', 'curl']),
    );
  });

  it('prints the exact cURL only with --show-secret', async () => {
    const run = await runCli(['test', '--show-secret', '--json'], {
      env: { SIGNUS_API_KEY: emu.apiKey, SIGNUS_ACCOUNT_ID: emu.accountId, SIGNUS_BASE_URL: emu.url },
    });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { curl: string }).curl).toContain(`Bearer ${emu.apiKey}`);
  });

  it('quotes the cURL for PowerShell and cmd on request', async () => {
    expect((await signusTest(['--shell', 'powershell'])).stdout).toContain('curl.exe ');
    expect((await signusTest(['--shell', 'cmd'])).stdout).toMatch(/ {2}curl \^"http/);
  });
});

describe('signus test refuses bad usage with exit 2', () => {
  it.each([
    ['a key in an option', ['--key', 'sk_FAKE_cmdline_0123456789abcdefgh'], /must not be given on the command line/],
    [
      'a key as an argument',
      ['sk_FAKE_cmdline_0123456789abcdefgh'],
      /must not be given on the command line[\s\S]*shell history/,
    ],
    ['an unknown option', ['--frobnicate'], /Unknown option '--frobnicate'/],
    ['a bad timeout', ['--timeout', 'soon'], /--timeout must be a number/],
    ['a bad shell', ['--shell', 'fish'], /--shell must be one of/],
    ['a bad base URL', ['--base-url', 'ftp://x'], /must start with https:\/\//],
  ])('%s', async (_label, args, pattern) => {
    const run = await signusTest(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(pattern);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('sk_FAKE_cmdline_0123456789abcdefgh');
  });

  it.each([
    ['no Account ID', { SIGNUS_ACCOUNT_ID: undefined }, /No Account ID/],
    [
      'a key in the Account ID',
      { SIGNUS_ACCOUNT_ID: 'sk_FAKE_swapped_0123456789abcdefgh' },
      /This is an API key, not an Account ID/,
    ],
    [
      'an Account ID in the key',
      { SIGNUS_API_KEY: '123e4567-e89b-12d3-a456-426614174000' },
      /looks like an Account ID/,
    ],
    ['a malformed key', { SIGNUS_API_KEY: 'sk_FAKE short key' }, /spaces or line breaks/],
    ['no key at all', { SIGNUS_API_KEY: '' }, /Paste an API key/],
  ])('%s', async (_label, env, pattern) => {
    const run = await signusTest([], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toContain('sk_FAKE_swapped_0123456789abcdefgh');
  });

  it('says where keys come from when none is set', async () => {
    const run = await runCli(['test', '--account-id', emu.accountId, '--base-url', emu.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/set SIGNUS_API_KEY, or pipe the key in with --key-stdin/);
  });

  it('has help for every command', async () => {
    for (const args of [['--help'], ['test', '--help'], ['help', 'test']]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Usage: signus/);
    }
  });
});

describe('secrets', () => {
  it('never printed a full key, except with --show-secret', () => {
    expect(seenOutputs.length).toBeGreaterThan(20);
    for (const run of seenOutputs) {
      for (const secret of secretsUsed) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    }
  });
});
