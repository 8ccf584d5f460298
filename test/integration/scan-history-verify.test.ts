/**
 * `--verify` in the history modes (--history, --range, --ci, --pre-push and the pre-push hook) against the
 * emulator, in real repositories with a bare repository as the remote; and `--baseline` in history mode.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { assertCliBuilt, runCli, type CliRun } from './cli-run.js';
import { cleanupTempDirs, tempDir } from './scan-helpers.js';
import { repoWithRemote, type HistoryJson, type RepoWithRemote } from './history-helpers.js';

let emu: RunningEmulator;
const secrets = new Set<string>();
const runs: CliRun[] = [];

beforeAll(async () => {
  assertCliBuilt();
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
  for (const run of runs) for (const secret of secrets) expect(run.stdout + run.stderr).not.toContain(secret);
  cleanupTempDirs();
});
beforeEach(() => emu.clearFaults());

interface Verification {
  label: string;
  why: string;
  status?: number;
  accountIdFrom?: string;
  liveInBaseline?: boolean;
}
type Finding = HistoryJson['findings'][number] & { verification?: Verification };
interface Result extends CliRun {
  findings: Finding[];
  summary: HistoryJson['summary'] & { verification?: Record<string, unknown>; baselined: number };
}

function newKey(accountId = emu.accountId): string {
  const key = emu.createKey({ accountId }).secret;
  secrets.add(key);
  return key;
}

const verifyArgs = (...more: string[]) => ['--verify', '--base-url', emu.url, ...more];

async function run(repo: RepoWithRemote, args: string[], extra: { env?: Record<string, string>; input?: string } = {}) {
  const result = await runCli(args, { cwd: repo.dir, env: { ...repo.env, ...extra.env }, input: extra.input });
  runs.push(result);
  return result;
}

async function json(
  repo: RepoWithRemote,
  args: string[],
  extra: { env?: Record<string, string>; input?: string } = {},
) {
  const result = await run(repo, [...args, '--format', 'json'], extra);
  let parsed: { findings: Finding[]; summary: Result['summary'] };
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\n${result.stderr}`);
  }
  return { ...result, ...parsed } as Result;
}

/** git with extra environment (the hook inherits it); asynchronous, so the emulator in this process answers. */
function gitWith(repo: RepoWithRemote, env: Record<string, string>, ...args: string[]) {
  return new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn('git', args, { cwd: repo.dir, env: { ...repo.env, ...env } });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

const byPath = (findings: Finding[]) =>
  Object.fromEntries(findings.map((f) => [f.introduced.path ?? 'message', f.verification]));

describe('--verify in history modes', { timeout: 60_000 }, () => {
  it('--history: reads each key back from the commit that added it, checks it once, labels it', async () => {
    const repo = repoWithRemote();
    const live = newKey();
    const revoked = newKey();
    emu.deleteKey(revoked);
    const other = newKey(emu.otherAccountId);
    const first = repo.commit('config', {
      'config.ts': `export const accountId = "${emu.accountId}";\nexport const apiKey = "${live}";\n`,
    });
    // Added again elsewhere, then removed from HEAD: still one key, one request, read from the old commit.
    repo.commit('copy', { 'copy.ts': `const k = "${live}";\n` });
    repo.commit('clean up', { 'config.ts': 'export const apiKey = process.env.SIGNUS_API_KEY;\n', 'copy.ts': '\n' });
    repo.commit(`debug: tried ${revoked}`, { 'notes.txt': 'n\n' });
    repo.git('push', '-q', '--no-verify', 'origin', 'main');
    // Another workspace's key next to this workspace's Account ID: the API refuses it there (403).
    repo.commit('other', { 'other.yml': `account_id: "${emu.accountId}"\napi_key: "${other}"\n` });

    const before = emu.requestCount();
    const plain = await json(repo, ['scan', '--history']);
    expect(plain.findings).toHaveLength(3);
    expect(plain.findings.every((f) => f.verification === undefined)).toBe(true);
    expect(emu.requestCount()).toBe(before);

    const result = await json(repo, ['scan', '--history', ...verifyArgs()]);
    expect(result.code).toBe(1);
    expect(emu.requestCount()).toBe(before + 2); // the message key has no Account ID near it: not sent
    const labels = byPath(result.findings);
    expect(labels['config.ts']).toMatchObject({
      label: 'live',
      status: 200,
      accountIdFrom: `config.ts:1 in commit ${first.slice(0, 10)}`,
    });
    expect(labels['other.yml']).toMatchObject({ label: 'other-workspace', status: 403 });
    expect(labels.message).toMatchObject({ label: 'unknown' });
    expect(labels.message!.why).toContain('no Account ID');
    expect(result.summary.verification).toMatchObject({ baseUrl: emu.url, keys: 3 });

    // With an Account ID for all: the key in a commit message is checked too, read back from the message.
    const all = await json(repo, ['scan', '--history', ...verifyArgs('--account-id', emu.accountId)]);
    expect(byPath(all.findings).message).toMatchObject({ label: 'revoked', accountIdFrom: '--account-id' });
    expect(byPath(all.findings)['config.ts']).toMatchObject({ label: 'live', accountIdFrom: '--account-id' });

    const text = await run(repo, ['scan', '--history', ...verifyArgs()]);
    expect(text.stdout).toMatch(/sk_•+\w{4} {2}warning {2}signus-api-key {2}LIVE/);
    expect(text.stdout).toContain('  verified   live: 200 OK: the key works on this account.');
    expect(text.stdout).toMatch(/Verified 3 distinct keys against http:\/\/127\.0\.0\.1:\d+ in \d+ ms: 1 live/);
    expect(text.stdout).toContain('A key marked LIVE works right now');

    const sarif = await run(repo, ['scan', '--history', '--format', 'sarif', ...verifyArgs()]);
    const results = (JSON.parse(sarif.stdout) as { runs: { results: Record<string, unknown>[] }[] }).runs[0]!.results;
    expect(results.find((r) => (r.properties as { verification?: string }).verification === 'live')).toMatchObject({
      level: 'error',
    });
  });

  it('--range and --ci verify only the keys of their commits; unreachable is unknown with why', async () => {
    const repo = repoWithRemote();
    const old = newKey();
    repo.commit('old', { 'old.ts': `const k = "${old}";\n` });
    const base = repo.commit('base', { 'b.txt': 'b\n' });
    repo.git('push', '-q', '--no-verify', 'origin', 'main');
    const fresh = newKey();
    const head = repo.commit('new', { 'new.ts': `const k = "${fresh}";\n` });

    const before = emu.requestCount();
    const range = await json(repo, [
      'scan',
      '--range',
      `${base}..${head}`,
      ...verifyArgs('--account-id', emu.accountId),
    ]);
    expect(range.findings.map((f) => f.introduced.path)).toEqual(['new.ts']);
    expect(range.findings[0]!.verification).toMatchObject({ label: 'live' });
    expect(emu.requestCount()).toBe(before + 1);

    const event = join(tempDir(), 'event.json');
    writeFileSync(event, JSON.stringify({ before: base, after: head, repository: { default_branch: 'main' } }));
    const ciEnv = {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_SHA: head,
      GITHUB_EVENT_PATH: event,
      SIGNUS_ACCOUNT_ID: emu.accountId,
      SIGNUS_BASE_URL: emu.url,
    };
    const ci = await json(repo, ['scan', '--ci', '--verify'], { env: ciEnv });
    expect(ci.code).toBe(1);
    expect(ci.summary.scope).toContain('GitHub Actions push');
    expect(ci.findings).toHaveLength(1);
    expect(ci.findings[0]!.verification).toMatchObject({ label: 'live', accountIdFrom: 'SIGNUS_ACCOUNT_ID' });

    const down = await json(repo, ['scan', '--ci', '--verify'], {
      env: { ...ciEnv, SIGNUS_BASE_URL: 'http://127.0.0.1:9' },
    });
    expect(down.findings[0]!.verification).toMatchObject({ label: 'unknown' });
    expect(down.findings[0]!.verification!.why).toMatch(/^no answer/);

    emu.injectFault({ kind: 'latency', ms: 3000 });
    const slow = await json(repo, ['scan', '--range', `${base}..${head}`, ...verifyArgs('--verify-timeout', '0.5')], {
      env: { SIGNUS_ACCOUNT_ID: emu.accountId },
    });
    expect(slow.findings[0]!.verification!.why).toMatch(/^no answer \(timeout\)/);
  });

  it('--pre-push --verify labels what the push would send; the installed hook with --verify blocks with the label', async () => {
    const repo = repoWithRemote();
    repo.commit('init', { 'README.md': '# r\n' });
    repo.git('push', '-q', 'origin', 'main');
    const key = newKey();
    const sha = repo.commit('leak', { 'client.ts': `const accountId = "${emu.accountId}";\nconst k = "${key}";\n` });
    const remoteSha = repo.git('--git-dir', repo.bare, 'rev-parse', 'main').trim();
    const input = `refs/heads/main ${sha} refs/heads/main ${remoteSha}\n`;
    const direct = await json(repo, ['scan', '--pre-push', 'origin', repo.bare, ...verifyArgs()], { input });
    expect(direct.code).toBe(1);
    expect(direct.findings[0]!.verification).toMatchObject({
      label: 'live',
      accountIdFrom: expect.stringContaining('client.ts:1'),
    });

    const install = await run(repo, ['hook', 'install', '--pre-push', '--verify']);
    expect(install.code).toBe(0);
    expect(install.stdout).toContain('verified live (--verify)');
    const status = await run(repo, ['hook', 'status']);
    expect(status.stdout).toContain('scan --pre-push --verify');
    const before = emu.requestCount();
    const push = await gitWith(repo, { SIGNUS_BASE_URL: emu.url }, 'push', 'origin', 'main');
    runs.push({ code: push.code, stdout: push.output, stderr: '' });
    expect(push.code).not.toBe(0);
    expect(push.output).toMatch(/signus-api-key {2}LIVE/);
    expect(push.output).toContain('The key has NOT left this machine yet.');
    expect(emu.requestCount()).toBe(before + 1);
    expect(repo.git('--git-dir', repo.bare, 'rev-parse', 'main').trim()).toBe(remoteSha);

    const refused = await run(repo, ['hook', 'install', '--verify']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--verify goes with install --pre-push');
  });
});

describe('--baseline in history mode', { timeout: 60_000 }, () => {
  it('--write-baseline records the keys; --baseline leaves them out, reports new ones, keeps a live one', async () => {
    const repo = repoWithRemote();
    const live = newKey();
    const dead = newKey();
    emu.deleteKey(dead);
    repo.commit('keys', { 'a.ts': `const a = "${live}";\n` });
    repo.commit(`message holds ${dead}`, { 'b.txt': 'b\n' });
    const written = await run(repo, ['scan', '--history', '--write-baseline', 'baseline.json']);
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('Wrote 2 keys to the baseline baseline.json');
    const baseline = JSON.parse(readFileSync(join(repo.dir, 'baseline.json'), 'utf8')) as {
      findings: { path: string }[];
    };
    expect(baseline.findings.map((e) => e.path).sort()).toEqual(['(commit message)', 'a.ts']);

    const quiet = await json(repo, ['scan', '--history', '--baseline', 'baseline.json']);
    expect(quiet.code).toBe(0);
    expect(quiet.findings).toHaveLength(0);
    expect(quiet.summary.baselined).toBe(2);
    const quietText = await run(repo, ['scan', '--history', '--baseline', 'baseline.json']);
    expect(quietText.stdout).toContain('2 keys already in the baseline');

    const fresh = newKey();
    repo.commit('new', { 'c.ts': `const c = "${fresh}";\n` });
    const one = await json(repo, ['scan', '--history', '--baseline', 'baseline.json']);
    expect(one.findings.map((f) => f.introduced.path)).toEqual(['c.ts']);

    const verified = await json(repo, [
      'scan',
      '--history',
      '--baseline',
      'baseline.json',
      ...verifyArgs('--account-id', emu.accountId),
    ]);
    expect(
      verified.findings.map((f) => [f.introduced.path, f.verification?.label, f.verification?.liveInBaseline]),
    ).toEqual([
      ['a.ts', 'live', true],
      ['c.ts', 'live', undefined],
    ]);
    expect(verified.summary.baselined).toBe(1);
    const allowed = await json(repo, [
      'scan',
      '--history',
      '--baseline',
      'baseline.json',
      '--allow-live-baselined',
      ...verifyArgs('--account-id', emu.accountId),
    ]);
    expect(allowed.findings.map((f) => f.introduced.path)).toEqual(['c.ts']);
  });

  it('a baseline written by a tree scan silences the same key in the history of that file', async () => {
    const repo = repoWithRemote();
    repo.commit('k', { 'k.ts': `const k = "${newKey()}";\n` });
    expect((await run(repo, ['scan', '--write-baseline', 'tree-baseline.json'])).code).toBe(0);
    const ci = await json(repo, ['scan', '--history', '--baseline', 'tree-baseline.json']);
    expect(ci.code).toBe(0);
    expect(ci.summary.baselined).toBe(1);
    const missing = await run(repo, ['scan', '--history', '--baseline', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const refused = await run(repo, ['scan', '--history', '--account-id', emu.accountId]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--account-id goes with --verify');
  });
});
