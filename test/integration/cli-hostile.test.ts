import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACKS } from '../hostile/attacks.js';
import { assertForRandomEchoes } from '../hostile/arbitraries.js';
import { findKeyLeak } from '../hostile/leak-check.js';
import { startHostileServer, type RunningHostileServer } from '../hostile/server.js';
import { assertCliBuilt, runCli, type CliRun } from './cli-run.js';

const KEY = 'sk_FAKE_hostile_cli_0123456789abcdefWXYZ';

/** ESC, the other C0 controls but newline and tab, DEL, C1 controls and bidi controls. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let server: RunningHostileServer;
beforeAll(async () => {
  assertCliBuilt();
  server = await startHostileServer();
});
afterAll(async () => {
  await server.close();
});

/** An Account ID per script, so runs in parallel each get their own answer. */
const accountFor = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function signusTest(secret: string, accountId: string, args: string[] = []): Promise<CliRun> {
  return runCli(['test', ...args], {
    env: { SIGNUS_API_KEY: secret, SIGNUS_ACCOUNT_ID: accountId, SIGNUS_BASE_URL: server.url },
  });
}

function expectNoLeak(run: CliRun, secret: string, where: string): void {
  expect(findKeyLeak(run.stdout, secret), `${where}: stdout`).toBeUndefined();
  expect(findKeyLeak(run.stderr, secret), `${where}: stderr`).toBeUndefined();
}

describe('signus test against a hostile server', { timeout: 120_000 }, () => {
  it.each(ATTACKS.map((attack, i) => [attack.name, attack, i] as const))(
    '%s: no key in text or --json, no raw control characters in text',
    async (_name, attack, i) => {
      const accountId = accountFor(i + 1);
      server.answerFor(accountId, attack.answer);
      const [text, json] = await Promise.all([signusTest(KEY, accountId), signusTest(KEY, accountId, ['--json'])]);
      for (const run of [text, json]) {
        expect([0, 1, 3], run.stderr).toContain(run.code);
        expectNoLeak(run, KEY, attack.name);
      }
      expect(text.stdout).not.toMatch(RAW_CONTROL);
      expect(() => JSON.parse(json.stdout)).not.toThrow();
    },
  );

  it('shows what the terminal attack sent, as visible escapes', async () => {
    const attack = ATTACKS.find((a) => a.name.startsWith('terminal escapes'))!;
    server.answerFor(accountFor(9000), attack.answer);
    const run = await signusTest(KEY, accountFor(9000));
    expect(run.stdout).toContain('\\x1b]52;c;');
    expect(run.stdout).toContain('\\x1b[2J');
    expect(run.stdout).toContain('\\x9b31m');
    expect(run.stdout).toContain('\\u202e');
  });

  it('says a 2xx that is not the templates envelope is an unexpected response: exit 3', async () => {
    server.answerFor(accountFor(9001), () => ({ status: 200, body: '{"ok":true}' }));
    const run = await signusTest(KEY, accountFor(9001));
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/✗ Unexpected response {2}200/);
    expect(run.stdout).toMatch(/not the list of templates/);
  });
});

describe('signus test, property: random keys, random echoes', { timeout: 300_000 }, () => {
  it('prints no run of 8 characters of the key, in text or --json', async () => {
    let n = 10_000;
    await assertForRandomEchoes(async (secret, answer) => {
      const accountId = accountFor(n++);
      server.answerFor(accountId, () => answer);
      const [text, json] = await Promise.all([
        signusTest(secret, accountId),
        signusTest(secret, accountId, ['--json']),
      ]);
      for (const run of [text, json]) {
        expect([0, 1, 3], run.stderr).toContain(run.code);
        expectNoLeak(run, secret, 'random echo');
      }
      expect(text.stdout).not.toMatch(RAW_CONTROL);
    }, 25);
  });
});
