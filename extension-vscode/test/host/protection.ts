import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { api, openInGit, tempRepo, waitFor } from './helpers.js';

describe('the protection offer', () => {
  const repos: string[] = [];
  const asked: { root: string; message: string; buttons: string[] }[] = [];
  let answer: string | undefined;

  after(() => {
    for (const r of repos) rmSync(r, { recursive: true, force: true });
  });

  it('comes once, combined, for a repository with a Signus dependency, and is recorded only when answered', async () => {
    const guard = await waitFor('the commit guard', async () => (await api()).commitGuard(), 10_000);
    guard.ask = (message, ...buttons) => {
      const root = repos.find((r) => message.includes(vscode.workspace.asRelativePath(r) || r));
      if (root) asked.push({ root, message, buttons });
      return Promise.resolve(answer);
    };
    const plain = tempRepo('signus-plain-');
    const uses = tempRepo('signus-uses-', { 'package.json': '{"dependencies": {"@signus/sdk": "1.0.0"}}\n' });
    repos.push(plain, uses);
    answer = undefined; // closed without an answer
    await openInGit(plain);
    await openInGit(uses);
    const offer = await waitFor('the offer for the Signus repository', () => asked.find((a) => a.root === uses));
    assert.deepEqual(offer.buttons, ['Install Hook', 'Turn On Check', 'Not Now', 'Never Here']);
    assert.match(offer.message, /package\.json declares a Signus package/);
    // The plain repository was watched (its staged changes scanned) and got no offer.
    await waitFor('the plain repository to be watched', () => guard.lastStaged.has(plain) || undefined);
    assert.equal(
      asked.filter((a) => a.root === plain).length,
      0,
      'no offer where Signus is not used (no key, no dependency)',
    );
    assert.equal(guard.offerAnswers()[uses], undefined, 'closing the notification records nothing');
    assert.equal(await guard.offerProtection(uses, 'again'), undefined);
    assert.equal(asked.filter((a) => a.root === uses).length, 1, 'once per session');

    // A later session asks again, because nothing was answered; "Never" is then kept.
    guard.offered.clear();
    answer = 'Never Here';
    assert.equal(await guard.offerProtection(uses, 'package.json declares a Signus package'), 'never');
    assert.equal(asked.filter((a) => a.root === uses).length, 2);
    assert.equal(guard.offerAnswers()[uses], 'never');
    guard.offered.clear();
    assert.equal(await guard.offerProtection(uses, 'package.json declares a Signus package'), undefined);
    assert.equal(asked.filter((a) => a.root === uses).length, 2, 'an answered offer does not come back');
  });

  it('comes for a repository once a key is found in it (a staged change)', async () => {
    const plain = repos[0]!;
    answer = 'Not Now';
    const key = `sk_TEST_${randomBytes(18).toString('hex')}`;
    writeFileSync(join(plain, 'config.ts'), `export const key = '${key}';\n`);
    execFileSync('git', ['add', 'config.ts'], { cwd: plain });
    const offer = await waitFor('the offer once a key is staged', () => asked.find((a) => a.root === plain), 20_000);
    assert.match(offer.message, /config\.ts holds a Signus API key/);
    assert.ok(!offer.message.includes(key));
    const guard = (await api()).commitGuard();
    await waitFor('the answer to be recorded', () => guard?.offerAnswers()[plain] === 'notNow' || undefined);

    // "Not Now" means later: not again within the week (a later session), again after it.
    const times = () => (guard as unknown as { context: vscode.ExtensionContext }).context.globalState;
    const later = async () => {
      guard!.offered.clear();
      await guard!.offerProtection(plain, 'config.ts holds a Signus API key');
      return asked.filter((a) => a.root === plain).length;
    };
    assert.equal(await later(), 1, 'not again within the week');
    const at = times().get<Record<string, string>>('signus.protectionOfferAnsweredAt', {});
    assert.ok(at[plain], 'the time of the answer is kept');
    const eightDays = new Date(Date.now() - 8 * 24 * 60 * 60 * 1000).toISOString();
    await times().update('signus.protectionOfferAnsweredAt', { ...at, [plain]: eightDays });
    answer = undefined;
    assert.equal(await later(), 2, 'asked again a week after "Not Now"');
  });
});

describe('the protection status item', () => {
  let root: string;
  const hookFile = () => join(root, '.git', 'hooks', 'pre-commit');
  const guard = async () => waitFor('the commit guard', async () => (await api()).commitGuard(), 10_000);
  const statusText = async (what: string, expected: string) =>
    waitFor(`the status item to say "${expected}" (${what})`, async () => {
      const text = (await guard()).protection.text();
      return text === expected ? text : undefined;
    });

  before(async () => {
    (await guard()).ask = () => Promise.resolve(undefined);
    root = tempRepo('signus-status-', { 'package.json': '{"devDependencies": {"signus": "1.0.0"}}\n' });
    await openInGit(root);
    // The item speaks for the repository of the active editor.
    await vscode.window.showTextDocument(vscode.Uri.file(join(root, 'README.md')));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(root, { recursive: true, force: true });
  });

  it('says "no hook" in a repository that uses Signus and has none', async () => {
    await statusText('no hook', '$(circle-slash) Signus: no hook');
    assert.equal((await guard()).protection.state(root)?.state, 'missing');
  });

  it('says "protected" once the hook is installed (the hooks folder is watched)', async () => {
    await vscode.commands.executeCommand('signus.installHook', { repo: root });
    // Re-read by the install itself, not left to the watcher (which may fire late or never for our write).
    assert.equal((await guard()).protection.text(), '$(shield) Signus: protected');
    await statusText('hook installed', '$(shield) Signus: protected');
    assert.equal((await api()).contextValues.get('signus.hookInstalled'), true, 'the walkthrough step ticks');
  });

  it('says "hook broken" for a hook that runs signus by name when no signus is on PATH', async () => {
    const path = process.env.PATH;
    // What a commit from VS Code would get: a PATH with git and node, and no signus.
    process.env.PATH = `${dirname(process.execPath)}:/usr/bin:/bin`;
    try {
      writeFileSync(hookFile(), '#!/bin/sh\nsignus scan --staged || exit $?\n', { mode: 0o755 });
      await statusText('signus not on PATH', '$(warning) Signus: hook broken');
      const state = (await guard()).protection.state(root);
      assert.equal(state?.problem?.id, 'hook-cli-on-path');
      assert.match(state?.problem?.fix ?? '', /npm install --save-dev @signus\/cli/);
    } finally {
      process.env.PATH = path;
    }
  });

  it("a click repairs a hook whose CLI is gone (doctor's remedy: install again)", async () => {
    rmSync(hookFile());
    await vscode.commands.executeCommand('signus.installHook', { repo: root });
    await statusText('reinstalled', '$(shield) Signus: protected');
    const text = readFileSync(hookFile(), 'utf8');
    const cli = /^# signus-cli: (.*)$/m.exec(text)?.[1];
    assert.ok(cli);
    writeFileSync(hookFile(), text.split(cli).join('/nonexistent/signus.mjs'), { mode: 0o755 });
    await statusText('CLI gone', '$(warning) Signus: hook broken');
    assert.equal((await guard()).protection.state(root)?.problem?.id, 'hook-runnable');
    await vscode.commands.executeCommand('signus.checkProtection', { repo: root });
    await statusText('repaired by the click', '$(shield) Signus: protected');
    assert.ok(!readFileSync(hookFile(), 'utf8').includes('/nonexistent/'));
  });
});
