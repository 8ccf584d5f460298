/** `signus scan --verify` against the emulator: live, revoked, other workspace, unreachable, and the rules around it. */
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { assertCliBuilt, type CliRun } from './cli-run.js';
import { cleanupTempDirs, makeRepo, parseJson, type Repo } from './scan-helpers.js';
import { sarifValidator } from './sarif-schema.js';

let emu: RunningEmulator;
const secrets = new Set<string>();
const runs: CliRun[] = [];

beforeAll(async () => {
  assertCliBuilt();
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
  // No key may appear in any output of any run above.
  for (const run of runs) for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
  cleanupTempDirs();
});
beforeEach(() => emu.clearFaults());

interface Verified {
  path: string;
  line: number;
  verification?: { label: string; why: string; status?: number; accountIdFrom?: string; liveInBaseline?: boolean };
}

function newKey(accountId = emu.accountId): string {
  const key = emu.createKey({ accountId }).secret;
  secrets.add(key);
  return key;
}

async function scan(
  repo: Repo,
  ...args: string[]
): Promise<CliRun & { findings: Verified[]; summary: Record<string, unknown> }> {
  const run = await repo.signus('scan', '--format', 'json', ...args);
  runs.push(run);
  const json = parseJson(run) as unknown as { findings: Verified[]; summary: Record<string, unknown> };
  return { ...run, findings: json.findings, summary: json.summary };
}

const withBase = (...args: string[]) => ['--verify', '--base-url', emu.url, ...args];

describe('signus scan --verify', { timeout: 30_000 }, () => {
  it('labels a working key live, using the Account ID assigned next to it, and says so', async () => {
    const repo = makeRepo();
    const key = newKey();
    repo.write('.env', `SIGNUS_ACCOUNT_ID=${emu.accountId}\nSIGNUS_API_KEY=${key}\n`);
    const run = await scan(repo, ...withBase());
    expect(run.code).toBe(1);
    expect(run.findings).toHaveLength(1);
    expect(run.findings[0]!.verification).toMatchObject({ label: 'live', status: 200, accountIdFrom: '.env:1' });
    expect(run.summary.verification).toMatchObject({ baseUrl: emu.url, keys: 1, counts: { live: 1 } });

    const text = await repo.signus('scan', ...withBase());
    runs.push(text);
    expect(text.stdout).toMatch(/\.env:2:16 {2}warning {2}signus-api-key {2}sk_•+\w{4} {2}LIVE/);
    expect(text.stdout).toContain('live: 200 OK: the key works on this account.');
    expect(text.stdout).toContain('(Account ID from .env:1)');
    expect(text.stdout).toMatch(/Verified 1 distinct key against http:\/\/127\.0\.0\.1:\d+ in \d+ ms: 1 live\./);
    expect(text.stdout).toContain('A key marked LIVE works right now');
  });

  it('labels a deleted key revoked (401) and another workspace’s key other-workspace (403)', async () => {
    const repo = makeRepo();
    const revoked = newKey();
    emu.deleteKey(revoked);
    const other = newKey(emu.otherAccountId);
    repo.write('a.ts', `const a = '${revoked}';\n`);
    repo.write('b.ts', `const b = '${other}';\n`);
    const run = await scan(repo, ...withBase('--account-id', emu.accountId));
    const byPath = Object.fromEntries(run.findings.map((f) => [f.path, f.verification]));
    expect(byPath['a.ts']).toMatchObject({ label: 'revoked', status: 401, accountIdFrom: '--account-id' });
    expect(byPath['b.ts']).toMatchObject({ label: 'other-workspace', status: 403, accountIdFrom: '--account-id' });
    expect(run.summary.verification).toMatchObject({ keys: 2, counts: { revoked: 1, 'other-workspace': 1, live: 0 } });
  });

  it('says unknown, with why, when the server is unreachable or too slow', async () => {
    const repo = makeRepo();
    repo.write('a.ts', `const a = '${newKey()}';\n`);
    const closed = await closedPort();
    const env = { ...repo.env, SIGNUS_ACCOUNT_ID: emu.accountId, SIGNUS_BASE_URL: `http://127.0.0.1:${closed}` };
    const refused = await runWith(repo, env, ['--verify']);
    expect(refused.findings[0]!.verification).toMatchObject({ label: 'unknown', accountIdFrom: 'SIGNUS_ACCOUNT_ID' });
    expect(refused.findings[0]!.verification!.why).toMatch(/connection refused/);

    emu.injectFault({ kind: 'latency', ms: 3000 });
    const slow = await scan(repo, ...withBase('--account-id', emu.accountId, '--verify-timeout', '0.5'));
    expect(slow.findings[0]!.verification).toMatchObject({ label: 'unknown' });
    expect(slow.findings[0]!.verification!.why).toMatch(/^no answer \(timeout\)/);
  });

  it('without an Account ID, labels unknown and names the ways to give one', async () => {
    const repo = makeRepo();
    repo.write('a.ts', `const a = '${newKey()}';\n`);
    const before = emu.requestCount();
    const run = await scan(repo, ...withBase());
    expect(run.findings[0]!.verification).toMatchObject({ label: 'unknown' });
    expect(run.findings[0]!.verification!.why).toContain('no Account ID. Pass --account-id or set SIGNUS_ACCOUNT_ID');
    expect(emu.requestCount()).toBe(before);
  });

  it('checks a key once however often it occurs, and never without --verify', async () => {
    const repo = makeRepo();
    const key = newKey();
    repo.write('a.ts', `const a = '${key}';\n`);
    repo.write('b.ts', `const b = '${key}';\nconst c = '${key}';\n`);
    const before = emu.requestCount();
    const plain = await scan(repo);
    expect(plain.findings).toHaveLength(3);
    expect(plain.findings[0]!.verification).toBeUndefined();
    expect(emu.requestCount()).toBe(before);
    const refused = await repo.signus('scan', '--account-id', emu.accountId);
    runs.push(refused);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--account-id goes with --verify');
    expect(emu.requestCount()).toBe(before);

    const run = await scan(repo, ...withBase('--account-id', emu.accountId));
    expect(emu.requestCount()).toBe(before + 1);
    expect(run.findings.map((f) => f.verification?.label)).toEqual(['live', 'live', 'live']);
    expect(run.summary.verification).toMatchObject({ keys: 1 });
  });

  it('does not let a baseline silence a live key without --allow-live-baselined', async () => {
    const repo = makeRepo();
    const live = newKey();
    const dead = newKey();
    emu.deleteKey(dead);
    repo.write('a.ts', `const a = '${live}';\nconst b = '${dead}';\n`);
    expect((await repo.signus('scan', '--write-baseline', 'baseline.json')).code).toBe(0);
    expect((await repo.signus('scan', '--baseline', 'baseline.json')).code).toBe(0);

    const run = await scan(repo, '--baseline', 'baseline.json', ...withBase('--account-id', emu.accountId));
    expect(run.code).toBe(1);
    expect(run.findings).toHaveLength(1);
    expect(run.findings[0]!.verification).toMatchObject({ label: 'live', liveInBaseline: true });
    expect(run.summary.baselined).toBe(1);

    const allowed = await scan(
      repo,
      '--baseline',
      'baseline.json',
      '--allow-live-baselined',
      ...withBase('--account-id', emu.accountId),
    );
    expect(allowed.code).toBe(0);
    expect(allowed.findings).toHaveLength(0);
    expect(allowed.summary.baselined).toBe(2);
  });

  it('verifies what --staged finds, read from the index', async () => {
    const repo = makeRepo();
    const key = newKey();
    repo.write('config.yml', `signus:\n  account_id: "${emu.accountId}"\n  api_key: "${key}"\n`);
    repo.git('add', '.');
    repo.write('config.yml', 'emptied in the working tree after staging\n');
    const run = await scan(repo, '--staged', ...withBase());
    expect(run.findings[0]).toMatchObject({ path: 'config.yml', line: 3 });
    expect(run.findings[0]!.verification).toMatchObject({ label: 'live', accountIdFrom: 'config.yml:2' });
  });

  it('puts the label in SARIF, still valid 2.1.0; a live key is an error', async () => {
    const repo = makeRepo();
    repo.write('a.ts', `const a = '${newKey()}';\n`);
    const run = await repo.signus('scan', '--format', 'sarif', ...withBase('--account-id', emu.accountId));
    runs.push(run);
    const log = JSON.parse(run.stdout) as { runs: { results: Record<string, unknown>[] }[] };
    const validate = sarifValidator();
    expect(validate(log)).toBe(true);
    expect(log.runs[0]!.results[0]).toMatchObject({
      level: 'error',
      properties: { verification: 'live', accountIdFrom: '--account-id', tags: ['signus-live'] },
    });
  });

  it('refuses bad settings clearly', async () => {
    const repo = makeRepo();
    for (const [args, message] of [
      [['--verify', '--account-id', 'nope'], 'Bad Account ID'],
      [['--verify', '--base-url', 'ftp://x'], 'Bad base URL'],
      [['--verify', '--verify-timeout', '0'], '--verify-timeout must be a number of seconds above 0'],
      [['--verify', '--write-baseline', 'b.json'], '--verify does not go with --write-baseline'],
      [['--allow-live-baselined'], '--allow-live-baselined goes with --verify'],
    ] as const) {
      const run = await repo.signus('scan', ...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(message);
    }
  });
});

async function runWith(repo: Repo, env: Record<string, string>, args: string[]) {
  const { runCli } = await import('./cli-run.js');
  const run = await runCli(['scan', '--format', 'json', ...args], { cwd: repo.dir, env });
  runs.push(run);
  return { ...run, findings: (JSON.parse(run.stdout) as { findings: Verified[] }).findings };
}

/** A port nothing listens on: bound, then closed. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
