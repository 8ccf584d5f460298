// "Signus: Respond to a Leaked Key" in a real extension host: the key from SecretStorage, a temporary home and a
// repository with a pushed commit, the emulator for the key tests; the report opens and holds no key.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import { echoFinder, encodedForms } from '@signus/shared';
import { addKey, api, clearKeys } from './helpers.js';

describe('Respond to a Leaked Key', () => {
  let emulator: RunningEmulator;
  let base: string;

  before(async () => {
    emulator = await startEmulator();
    await clearKeys();
    base = mkdtempSync(join(tmpdir(), 'signus-incident-host-'));
  });
  after(async () => {
    await clearKeys();
    await emulator.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('finds every copy, replaces, scrubs, purges a mirror, verifies 401, marks it revoked and opens the report', async () => {
    const leaked = emulator.createKey({ accountId: emulator.accountId, name: 'Leaky' }).secret;
    const fresh = emulator.createKey({ accountId: emulator.accountId, name: 'Leaky 2' }).secret;
    await addKey({
      name: 'Leaky',
      secret: leaked,
      accountId: emulator.accountId,
      environment: emulator.url,
      test: false,
    });

    const home = join(base, 'home');
    const repo = join(base, 'repo');
    const bare = join(base, 'origin.git');
    const write = (path: string, text: string) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    };
    write(join(home, '.bash_history'), `export SIGNUS_API_KEY=${leaked}\n`);
    write(
      join(home, '.claude/projects/-repo/1.jsonl'),
      `{"message":"${Buffer.from(`api:${leaked}`).toString('base64')}"}\n`,
    );
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: home };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, stdio: 'pipe' });
    mkdirSync(repo);
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'host@example.invalid');
    git('config', 'user.name', 'Host');
    git('remote', 'add', 'origin', bare);
    write(join(repo, 'config.js'), `export const key = '${leaked}';\n`);
    git('add', '.');
    git('commit', '-qm', 'config');
    git('push', '-q', 'origin', 'main');

    emulator.deleteKey(leaked); // the user deletes it in the Signus app
    const reportDir = join(base, 'report');
    const outcome = (await vscode.commands.executeCommand('signus.respondToLeak', {
      name: 'Leaky',
      roots: [repo],
      home,
      reportDir,
      newSecret: fresh,
      steps: { rotate: true, replace: true, purge: true, scrub: true, delete: true, verify: true, mark: true },
    })) as { reportPath: string; report: { steps: { step: string; status: string }[]; files: unknown[] } };

    assert.equal(outcome.reportPath, join(reportDir, 'incident.md'));
    assert.deepEqual(
      outcome.report.steps.map((s) => s.status),
      ['done', 'done', 'done', 'done', 'manual', 'done', 'done'],
      JSON.stringify(outcome.report.steps),
    );
    assert.equal(outcome.report.files.length, 3);
    const md = readFileSync(outcome.reportPath, 'utf8');
    for (const form of encodedForms(leaked)) assert.ok(!md.includes(form), 'the report holds no form of the key');
    assert.deepEqual(echoFinder(leaked)(md), []);
    assert.ok(md.includes('**yes** (origin)'), 'the pushed commit is named as pushed');
    assert.ok(
      vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath === outcome.reportPath),
      'the Markdown report is open in an editor',
    );

    assert.equal(readFileSync(join(repo, 'config.js'), 'utf8'), `export const key = '${fresh}';\n`);
    assert.equal(readFileSync(join(home, '.bash_history'), 'utf8'), 'export SIGNUS_API_KEY=[signus-key-removed]\n');
    assert.deepEqual(echoFinder(leaked)(readFileSync(join(home, '.claude/projects/-repo/1.jsonl'), 'utf8')), []);
    const { store } = await api();
    const record = store.findByName('Leaky');
    assert.ok(record);
    assert.equal(await store.secret(record.id), fresh, 'the new key is stored in place of the leaked one');

    const revoked = join(dirname(process.env.SIGNUS_KNOWN_KEYS ?? ''), 'revoked-keys.json');
    assert.ok(existsSync(revoked), 'the fingerprint is recorded as revoked beside the known-keys file');
    assert.ok(!readFileSync(revoked, 'utf8').includes(leaked));
    rmSync(revoked);
  });
});
