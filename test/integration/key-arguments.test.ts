// Nothing typed or passed on a command line, or set in the environment, comes back as a full key: every
// command refuses a key-bearing argument before it does anything, and every message is redacted.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintSecret } from '@signus/shared';
import { assertCliBuilt, runCli, type CliRun } from './cli-run.js';
import { cleanupTempDirs, fakeKey, makeRepo, tempDir, type Repo } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';

/** No 8 characters of the key body anywhere: the mask keeps only the last 4. */
function expectNoKey(run: CliRun, ...keys: string[]): void {
  for (const key of keys) {
    const body = key.slice(3);
    for (let i = 0; i + 8 <= body.length; i += 4) {
      expect(run.stdout).not.toContain(body.slice(i, i + 8));
      expect(run.stderr).not.toContain(body.slice(i, i + 8));
    }
  }
}

/** Every command and sub-command, each with arguments that would otherwise make it run. */
const COMMANDS: string[][] = [
  ['test'],
  ['test', '--json'],
  ['scan'],
  ['scan', '--staged'],
  ['scan', '--format', 'sarif'],
  ['hook', 'install'],
  ['hook', 'status'],
  ['hook', 'uninstall'],
  ['help'],
  ['--help'],
  ['--version'],
  ['frobnicate'],
];

/** Where a key can hide in an argument. */
const FORMS: [string, (key: string, dir: string) => string[]][] = [
  ['alone', (k) => [k]],
  ['pasted from code, "$KEY,"', (k) => [`"${k}",`]],
  ['glued to an option', (k) => [`--baseline=${k}`]],
  ['as an option value', (k) => ['--known-keys', k]],
  ['inside a path', (k, dir) => ['--repo', join(dir, k, 'repo')]],
  ['glued to a word', (k) => [`acct_${k}`]],
  ['glued with a hyphen', (k) => [`test-${k}`]],
  ['as a key option', () => ['--api-key=whatever']],
];

describe('every command refuses a key-bearing argument, exit 2, quoting it masked', { timeout: 120_000 }, () => {
  let repo: Repo;
  beforeAll(() => {
    repo = makeRepo();
    repo.write('a.txt', 'nothing here\n');
  });

  for (const command of COMMANDS) {
    it(`signus ${command.join(' ')}`, async () => {
      for (const [form, argsFor] of FORMS) {
        const key = fakeKey();
        const args = argsFor(key, repo.dir);
        const run = await repo.signus(...command, ...args);
        expect(run.code, `${form}: ${run.stderr}`).toBe(2);
        expect(run.stdout, form).toBe('');
        expect(run.stderr, form).toMatch(/An API key must not be given on the command line \(argument \d+: "/);
        if (form !== 'as a key option') {
          expect(run.stderr, form).toContain(`sk_••••••••${key.slice(-4)}`);
          expect(run.stderr, form).toContain('remove it from your shell history');
        }
        expectNoKey(run, key);
      }
      // Refused before anything ran: no hook was installed.
      expect(existsSync(join(repo.dir, '.git', 'hooks', 'pre-commit'))).toBe(false);
    });
  }
});

describe('keys in environment variables never come back', { timeout: 120_000 }, () => {
  it('signus test: a key in SIGNUS_BASE_URL / BASE_URL or an Account ID variable is refused, masked', async () => {
    const repo = makeRepo();
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [
        { SIGNUS_BASE_URL: `https://api.signus.ai/${'KEY'}` },
        /Bad base URL: "https:\/\/api\.signus\.ai\/sk_•+\w{4}" holds an API key/,
      ],
      [{ BASE_URL: 'KEY' }, /Bad base URL: "sk_•+\w{4}" holds an API key/],
      [{ SIGNUS_BASE_URL: 'not a url KEY' }, /Bad base URL: "not a url sk_•+\w{4}" holds an API key/],
      [{ SIGNUS_ACCOUNT_ID: 'KEY' }, /This is an API key, not an Account ID/],
      [{ SIGNUS_ACCOUNT_ID: undefined, ACCOUNT_ID: '"KEY"' }, /This is an API key, not an Account ID/],
    ];
    for (const [vars, message] of cases) {
      const key = fakeKey();
      const env = Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v?.replace('KEY', key)]));
      const run = await repoRun(repo, ['test'], { SIGNUS_API_KEY: fakeKey(), SIGNUS_ACCOUNT_ID: ACCOUNT, ...env });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expectNoKey(run, key);
    }
  });

  it('signus scan and hook: a key in SIGNUS_KNOWN_KEYS, in the known-keys file, or in the folder path', async () => {
    const repo = makeRepo();
    const key = fakeKey();
    // The known-keys file lives under a folder whose name is a key, and holds bad JSON that starts with another.
    const dir = join(tempDir(), `acct_${key}`);
    mkdirSync(dir);
    const other = fakeKey();
    writeFileSync(join(dir, 'known-keys.json'), `${other} is not JSON`);
    const env = { SIGNUS_KNOWN_KEYS: join(dir, 'known-keys.json') };
    for (const args of [['scan'], ['scan', '--staged'], ['scan', '--format', 'json']]) {
      const run = await repoRun(repo, args, env);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/known-keys/);
      expect(run.stderr).toContain(`acct_sk_••••••••${key.slice(-4)}`);
      expectNoKey(run, key, other);
    }
    // A repository inside such a folder: status and a scan print its path masked.
    const inner = join(dir, 'project');
    mkdirSync(inner);
    for (const args of [
      ['hook', 'status'],
      ['hook', 'status', '--json'],
      ['hook', 'uninstall'],
      ['scan', '--format', 'json'],
    ]) {
      const run = await repoRun(repo, args, {}, inner);
      expectNoKey(run, key);
    }
  });
});

describe('lines and labels from files are redacted', { timeout: 60_000 }, () => {
  it('a .signusignore line, a baseline and a known-keys label holding a key', async () => {
    const repo = makeRepo();
    const inIgnore = fakeKey();
    repo.write('.signusignore', `# reviewed\n${inIgnore}.ts:12\n`);
    const ignoreRun = await repo.signus('scan');
    expect(ignoreRun.code).toBe(2);
    expect(ignoreRun.stderr).toMatch(/\.signusignore:2: "sk_•+\w{4}\.ts:12" looks like a line number/);
    expectNoKey(ignoreRun, inIgnore);
    repo.write('.signusignore', '');

    const inBaseline = fakeKey();
    repo.write('baseline.json', `{"version": 1, "findings": [${inBaseline}]}`);
    const baselineRun = await repo.signus('scan', '--baseline', 'baseline.json');
    expect(baselineRun.code).toBe(2);
    expect(baselineRun.stderr).toMatch(/the baseline is not valid JSON/);
    expectNoKey(baselineRun, inBaseline);

    // A label written by hand (or by an older extension) with a key in it.
    const key = fakeKey();
    const inLabel = fakeKey();
    const fp = await fingerprintSecret(key);
    repo.write('known.json', JSON.stringify({ version: 1, keys: [{ label: `Prod ${inLabel}`, fingerprints: [fp] }] }));
    repo.write('src/app.ts', `const apiKey = "${key}";\n`);
    for (const format of ['text', 'json', 'sarif']) {
      const run = await repo.signus('scan', '--known-keys', 'known.json', '--format', format);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toContain(`Prod sk_••••••••${inLabel.slice(-4)}`);
      expectNoKey(run, key, inLabel);
    }
  });
});

function repoRun(repo: Repo, args: string[], env: Record<string, string | undefined>, cwd = repo.dir) {
  return runCli(args, { cwd, env: { ...repo.env, ...env } });
}
