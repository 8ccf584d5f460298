// Odd values get a clear, specific error (or are accepted when they are harmless), never a stack trace,
// a wrong verdict or a misleading message.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprintSecret } from '@signus/shared';
import { assertCliBuilt, runCli } from './cli-run.js';
import { cleanupTempDirs, fakeKey, makeRepo, repoWithHook, tempDir } from './scan-helpers.js';

beforeAll(assertCliBuilt);
afterAll(cleanupTempDirs);

const BOM = '\uFEFF';

describe('signus test --timeout', { timeout: 60_000 }, () => {
  const env = {
    SIGNUS_API_KEY: fakeKey(),
    SIGNUS_ACCOUNT_ID: '123e4567-e89b-12d3-a456-426614174000',
    // Never reached: the timeout is checked before anything is sent.
    SIGNUS_BASE_URL: 'http://127.0.0.1:9',
  };
  it.each([
    ['beyond what a timer holds', '2147484', /--timeout can be at most 2147483\.647 seconds.*not "2147484"/],
    ['far beyond', '1e400', /--timeout must be a number of seconds above 0.*not "1e400"/],
    ['Infinity', 'Infinity', /--timeout must be a number of seconds above 0.*not "Infinity"/],
    ['NaN', 'NaN', /--timeout must be a number of seconds above 0.*not "NaN"/],
    ['negative', '-5', /--timeout must be a number of seconds above 0.*not "-5"/],
    ['zero', '0', /--timeout must be at least 0\.001 seconds.*not "0"/],
    ['empty', '', /--timeout must be a number of seconds above 0.*not ""/],
    ['a control character', '5\u001b[2J', /not "5\\u001b\[2J"/],
  ])('refuses %s with exit 2', async (_label, value, message) => {
    const run = await runCli(['test', `--timeout=${value}`], { env });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stdout).toBe('');
  });
});

describe('a UTF-8 byte-order mark at the start of a file is accepted', { timeout: 60_000 }, () => {
  it('in .signusignore, a baseline and a known-keys file', async () => {
    const repo = makeRepo();
    const key = fakeKey();
    const ignored = fakeKey();
    repo.write('src/app.ts', `const apiKey = "${key}";\n`);
    repo.write('fixtures/sample.ts', `const apiKey = "${ignored}";\n`);
    repo.write('.signusignore', `${BOM}fixtures/**\n`);
    repo.write(
      'known.json',
      `${BOM}${JSON.stringify({ version: 1, keys: [{ label: 'Prod', fingerprints: [await fingerprintSecret(key)] }] })}`,
    );
    const first = await repo.signus('scan', '--known-keys', 'known.json', '--format', 'json');
    expect(first.code, first.stderr).toBe(1);
    const findings = (JSON.parse(first.stdout) as { findings: { path: string; knownKeyLabel?: string }[] }).findings;
    expect(findings.map((f) => [f.path, f.knownKeyLabel])).toEqual([['src/app.ts', 'Prod']]);

    expect((await repo.signus('scan', '--write-baseline', 'baseline.json')).code).toBe(0);
    writeFileSync(join(repo.dir, 'baseline.json'), `${BOM}${readFileSync(join(repo.dir, 'baseline.json'), 'utf8')}`);
    const again = await repo.signus('scan', '--baseline', 'baseline.json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/1 finding already in the baseline/);
  });
});

describe('signus hook with odd paths', { timeout: 60_000 }, () => {
  it('a --repo that does not exist: "no such folder", not "cannot run git"', async () => {
    const missing = join(tempDir(), 'gone');
    for (const action of ['install', 'status', 'uninstall']) {
      const run = await runCli(['hook', action, '--repo', missing]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`signus hook: no such folder: ${missing}\n`);
    }
    const file = join(tempDir(), 'file.txt');
    writeFileSync(file, 'x');
    const notDir = await runCli(['hook', 'status', '--repo', file]);
    expect(notDir.code).toBe(2);
    expect(notDir.stderr).toMatch(/--repo must be a folder/);
  });

  it('a pre-commit hook that is a folder, or a hooks path that is a file, is a clear error', async () => {
    const repo = makeRepo();
    mkdirSync(join(repo.dir, '.git', 'hooks', 'pre-commit'), { recursive: true });
    writeFileSync(join(repo.dir, '.git', 'hooks', 'pre-commit', 'inner'), 'x');
    for (const action of ['install', 'uninstall']) {
      const run = await repo.signus('hook', action);
      expect(run.code, run.stdout).toBe(2);
      expect(run.stderr).toMatch(/pre-commit is a folder, not a hook file, so git cannot run it\. Move it away/);
      expect(run.stderr).not.toMatch(/EISDIR|ENOTEMPTY/);
    }
    const other = makeRepo();
    other.write('hooks-file', 'not a folder');
    other.git('config', 'core.hooksPath', 'hooks-file');
    const run = await other.signus('hook', 'install');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the hooks directory .*hooks-file is not a folder; check core\.hooksPath/);
  });
});

describe('file names with newlines and control characters in the text report', { timeout: 60_000 }, () => {
  const crafted = 'a.ts:1:1  warning  signus-api-key  sk_••••••••XXXX\nb.ts';

  it('are quoted, so a crafted name cannot pose as a finding in another file', async () => {
    const repo = makeRepo();
    repo.write(crafted, `const apiKey = "${fakeKey()}";\n`);
    repo.write('esc\u001b[31m.ts', `const apiKey = "${fakeKey()}";\n`);
    const run = await repo.signus('scan');
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stdout.split('\n');
    const where = lines.filter((l) => l.includes(':1:17 ')).map((l) => l.slice(0, l.lastIndexOf(':1:17 ')));
    expect(where).toEqual(['"a.ts:1:1  warning  signus-api-key  sk_••••••••XXXX\\nb.ts"', '"esc\\u001b[31m.ts"']);
    expect(lines.filter((l) => l.startsWith('a.ts:1:1'))).toEqual([]);
    expect(run.stdout).not.toContain('\u001b');
  });

  it('also in the pre-commit hook output', async () => {
    const repo = await repoWithHook();
    repo.write(crafted, `const apiKey = "${fakeKey()}";\n`);
    repo.git('add', '.');
    const blocked = repo.tryGit('commit', '-m', 'crafted');
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toContain('"a.ts:1:1  warning  signus-api-key  sk_••••••••XXXX\\nb.ts":1:17  warning');
    expect(blocked.output).not.toMatch(/^a\.ts:1:1/m);
  });
});
