import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { fingerprintSecret, type KeyTestResult } from '@signus/shared';
import { startEmulator, type RunningEmulator } from '@signus/test/emulator';
import { addKey, api, clearKeys, run, waitFor, workspaceRoot } from './helpers.js';

describe('keys in SecretStorage, against the emulator', () => {
  let emulator: RunningEmulator;

  before(async () => {
    emulator = await startEmulator();
    await clearKeys();
  });
  after(async () => {
    await clearKeys();
    await emulator.close();
  });

  it('adds a key after a passing test: secret in SecretStorage, the rest in state', async () => {
    const added = await addKey({
      name: 'Staging',
      secret: `  Bearer ${emulator.apiKey} `,
      accountId: emulator.accountId,
      environment: emulator.url,
      test: true,
    });
    assert.ok(added);
    assert.equal(added.tested, 'valid');
    const { store, globalState } = await api();
    const record = store.findByName('staging');
    assert.ok(record, 'listed under its name, found case-insensitively');
    assert.equal(record.baseUrl, emulator.url);
    assert.equal(record.lastTest?.verdict, 'valid');
    assert.equal(record.lastTest?.status, 200);
    const { contextValues } = await api();
    assert.equal(contextValues.get('signus.hasKey'), true);
    assert.equal(contextValues.get('signus.keyTested'), true, 'a key tested valid ticks the walkthrough step');
    assert.equal(await store.secret(record.id), emulator.apiKey, 'the pasted text was normalised (Bearer, spaces)');
    assert.match(record.maskedSecret, /^sk_•+.{4}$/);
    for (const key of globalState.keys()) {
      assert.ok(!JSON.stringify(globalState.get(key)).includes(emulator.apiKey), `state key ${key} holds no secret`);
    }
    assert.equal(store.defaultAccountId(), emulator.accountId, 'the Account ID is remembered as the default');
    assert.equal(store.activeId(), record.id, 'the first key becomes active');
  });

  it('names bad input specifically', async () => {
    await assert.rejects(
      addKey({ name: 'staging', secret: emulator.apiKey, accountId: emulator.accountId, test: false }),
      /already exists/,
    );
    await assert.rejects(
      addKey({ name: '', secret: emulator.apiKey, accountId: emulator.accountId, test: false }),
      /Enter a name/,
    );
    await assert.rejects(
      addKey({ name: 'X', secret: 'sk_FAKE_short', accountId: emulator.accountId, test: false }),
      /too short/,
    );
    await assert.rejects(
      addKey({ name: 'X', secret: emulator.accountId, accountId: emulator.accountId, test: false }),
      /Account ID/,
    );
    await assert.rejects(addKey({ name: 'X', secret: emulator.apiKey, accountId: 'not-a-uuid', test: false }), /UUID/);
    await assert.rejects(
      addKey({ name: 'X', secret: emulator.apiKey, accountId: emulator.accountId, environment: 'ftp://x' }),
      /https:\/\//,
    );
    await assert.rejects(run('signus.renameKey', { name: 'Nope', newName: 'Y' }), /no stored key named "Nope"/);
    await assert.rejects(run('signus.addKey', 42), /takes \{ name, secret, accountId/);
  });

  it('saves a rejected key only when told to', async () => {
    const revoked = emulator.createKey({ accountId: emulator.accountId, name: 'soon revoked' });
    emulator.deleteKey(revoked.id);
    const base = { secret: revoked.secret, accountId: emulator.accountId, environment: emulator.url, test: true };
    assert.equal(await addKey({ ...base, name: 'Revoked', saveIfRejected: false }), undefined);
    const { store } = await api();
    assert.equal(store.findByName('Revoked'), undefined);
    const saved = await addKey({ ...base, name: 'Revoked', saveIfRejected: true });
    assert.equal(saved?.tested, 'unauthorized');
    assert.equal(store.findByName('Revoked')?.lastTest?.status, 401);
  });

  it('tests a stored key in the panel: status, time, masked cURL; copies exact cURL and full JSON', async () => {
    const testApi = await api();
    const result = (await vscode.commands.executeCommand('signus.testKey', { name: 'Staging' })) as KeyTestResult;
    assert.equal(result.status, 200);
    const panel = testApi.panel();
    assert.ok(panel, 'the key-test panel is open');
    const html = panel.html;
    assert.match(html, /<dd id="status">200 OK<\/dd>/);
    assert.match(html, /id="duration">\d+ ms/);
    assert.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;|default-src 'none'/);
    assert.ok(!html.includes(emulator.apiKey), 'the page never holds the secret');
    assert.ok(html.includes(result.request.maskedSecret.replace(/•/g, '•')), 'the masked key is shown');
    await panel.onMessage({ type: 'copyCurl' });
    const curl = await vscode.env.clipboard.readText();
    assert.ok(curl.includes(`Authorization: Bearer ${emulator.apiKey}`), 'the clipboard gets the exact command');
    await panel.onMessage({ type: 'copyJson' });
    assert.deepEqual(JSON.parse(await vscode.env.clipboard.readText()).payload.totalNumber, 12);
    assert.match(html, /<p id="answer">12 templates visible to this key<\/p>/);
    assert.match(html, /<table id="headers"[^>]*>.*content-type/s, 'the response headers are shown');

    await panel.onMessage({ type: 'openBody' });
    const opened = vscode.window.activeTextEditor?.document;
    assert.ok(opened?.isUntitled, 'the full body opens in an untitled editor, not a file');
    assert.equal(opened.languageId, 'json');
    assert.equal(JSON.parse(opened.getText()).payload.totalNumber, 12);
    assert.ok(!opened.getText().includes(emulator.apiKey));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

    const before = testApi.store.findByName('Staging')?.lastTest?.testedAt;
    await panel.onMessage({ type: 'rerun' });
    assert.notEqual(testApi.store.findByName('Staging')?.lastTest?.testedAt, before, 'Run again re-tests and records');
    const again = panel.html;
    assert.match(again, /document\.getElementById\("rerun"\)\?\.focus\(\)/, 'Run again keeps the focus');
    const tests = again.match(/<ol id="history"[^>]*>(.*?)<\/ol>/s)?.[1] ?? '';
    assert.ok((tests.match(/<li class="ok">/g) ?? []).length >= 2, 'both tests are listed in the key’s history');
    assert.ok(!again.includes(emulator.apiKey));
  });

  it('treats a timeout and a dead server as results, not exceptions', async () => {
    emulator.injectFault({ kind: 'latency', ms: 3000 }, 1);
    await vscode.workspace
      .getConfiguration('signus')
      .update('requestTimeoutMs', 1000, vscode.ConfigurationTarget.Global);
    try {
      const slow = (await vscode.commands.executeCommand('signus.testKey', {
        name: 'Staging',
        showPanel: false,
      })) as KeyTestResult;
      assert.equal(slow.verdict, 'timeout');
    } finally {
      await vscode.workspace
        .getConfiguration('signus')
        .update('requestTimeoutMs', undefined, vscode.ConfigurationTarget.Global);
    }
    const dead = (await vscode.commands.executeCommand('signus.testKey', {
      secret: emulator.apiKey,
      accountId: emulator.accountId,
      environment: 'http://127.0.0.1:9',
    })) as KeyTestResult;
    assert.equal(dead.verdict, 'network_error');
    assert.equal((await api()).panel()?.result?.verdict, 'network_error');
  });

  it('clears a copied secret from the clipboard after the set time, unless something else was copied since', async () => {
    const config = vscode.workspace.getConfiguration('signus');
    await config.update('clipboard.clearAfterSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await run('signus.copySecret', { name: 'Staging' }), true);
      assert.equal(await vscode.env.clipboard.readText(), emulator.apiKey);
      await waitFor(
        'the clipboard to be cleared',
        async () => ((await vscode.env.clipboard.readText()) === '' ? true : undefined),
        5000,
      );

      await run('signus.copyEnvLine', { name: 'Staging' });
      await vscode.env.clipboard.writeText('something the user copied');
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await vscode.env.clipboard.readText(), 'something the user copied', "the user's own copy stays");

      await config.update('clipboard.clearAfterSeconds', 0, vscode.ConfigurationTarget.Global);
      await run('signus.copySecret', { name: 'Staging' });
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await vscode.env.clipboard.readText(), emulator.apiKey, '0 keeps it');
    } finally {
      await config.update('clipboard.clearAfterSeconds', undefined, vscode.ConfigurationTarget.Global);
      await vscode.env.clipboard.writeText('');
    }
  });

  it('copies the secret and a .env line, renames, sets active; the status bar follows', async () => {
    const { store, status } = await api();
    assert.equal(await vscode.commands.executeCommand('signus.copySecret', { name: 'Staging' }), true);
    assert.equal(await vscode.env.clipboard.readText(), emulator.apiKey);
    await vscode.commands.executeCommand('signus.copyEnvLine', { name: 'Staging' });
    assert.equal(await vscode.env.clipboard.readText(), `SIGNUS_API_KEY=${emulator.apiKey}\n`);
    await vscode.env.clipboard.writeText('');
    assert.equal(
      await vscode.commands.executeCommand('signus.renameKey', { name: 'Staging', newName: 'Emulator' }),
      'Emulator',
    );
    assert.ok(store.findByName('Emulator'));
    await assert.rejects(run('signus.renameKey', { name: 'Emulator', newName: 'revoked' }), /already exists/);
    await vscode.commands.executeCommand('signus.setActiveKey', { name: 'Revoked' });
    assert.equal(store.active()?.name, 'Revoked');
    assert.match(status.text(), /Revoked \(127\.0\.0\.1:\d+\)/);
    // Its last test was a 401: the status bar warns, whatever key is active.
    assert.match(status.text(), /^\$\(warning\) Revoked \(127\.0\.0\.1:\d+\): Unauthorized$/);
    assert.equal(await vscode.commands.executeCommand('signus.switchActiveKey', { name: 'Emulator' }), 'Emulator');
    // This key's last test was the timeout above: a failure too, named.
    assert.equal(store.findByName('Emulator')?.lastTest?.verdict, 'timeout');
    assert.match(status.text(), /^\$\(warning\) Emulator \(127\.0\.0\.1:\d+\): Timed out$/);
    await vscode.commands.executeCommand('signus.showLog');
  });

  it('gives new terminals the active key only when the setting is on, without persisting it', async () => {
    const { environment, terminal } = await api();
    assert.equal(environment.persistent, false);
    await terminal.update();
    assert.equal(environment.get('SIGNUS_API_KEY'), undefined, 'off by default');
    await vscode.workspace
      .getConfiguration('signus')
      .update('terminal.injectEnvironment', true, vscode.ConfigurationTarget.Global);
    try {
      await terminal.update();
      assert.equal(environment.get('SIGNUS_API_KEY')?.value, emulator.apiKey);
      assert.equal(environment.get('SIGNUS_ACCOUNT_ID')?.value, emulator.accountId);
      assert.equal(environment.get('SIGNUS_BASE_URL')?.value, emulator.url);
    } finally {
      await vscode.workspace
        .getConfiguration('signus')
        .update('terminal.injectEnvironment', undefined, vscode.ConfigurationTarget.Global);
    }
    await terminal.update();
    assert.equal(environment.get('SIGNUS_API_KEY'), undefined);
  });

  it('keeps the known-keys file in step with the store: fingerprints and names, never a key', async () => {
    const path = process.env.SIGNUS_KNOWN_KEYS;
    assert.ok(path);
    const fp = await fingerprintSecret(emulator.apiKey);
    const read = () => (existsSync(path) ? readFileSync(path, 'utf8') : '');
    const deadline = Date.now() + 5000;
    while (!(read().includes(fp) && read().includes('"Emulator"')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const text = read();
    assert.ok(text.includes(fp), 'the file holds the key fingerprint');
    assert.ok(text.includes('"Emulator"'), 'under the renamed label');
    assert.ok(!text.includes(emulator.apiKey), 'and never the key');
  });

  it('rotates: tests the new key, updates .env files, makes it active; then verifies the old key is revoked', async () => {
    const fresh = emulator.createKey({ accountId: emulator.accountId, name: 'rotated in' });
    const envFile = join(workspaceRoot(), '.env');
    writeFileSync(
      envFile,
      `# app settings\nSIGNUS_API_KEY=${emulator.apiKey}\nSIGNUS_ACCOUNT_ID=${emulator.accountId}\n`,
    );
    const outcome = (await vscode.commands.executeCommand('signus.rotateKey', {
      name: 'Emulator',
      newSecret: fresh.secret,
      updateEnvFiles: true,
    })) as {
      updatedFiles: string[];
    };
    assert.deepEqual(outcome.updatedFiles, ['.env']);
    assert.equal(
      readFileSync(envFile, 'utf8'),
      `# app settings\nSIGNUS_API_KEY=${fresh.secret}\nSIGNUS_ACCOUNT_ID=${emulator.accountId}\n`,
    );
    const { store } = await api();
    const record = store.findByName('Emulator');
    assert.ok(record);
    assert.equal(await store.secret(record.id), fresh.secret);
    assert.equal(store.active()?.name, 'Emulator');

    const stillValid = (await vscode.commands.executeCommand('signus.verifyRevoked', { name: 'Emulator' })) as {
      revoked: boolean;
      status: number;
    };
    assert.deepEqual(
      [stillValid.revoked, stillValid.status],
      [false, 200],
      'the old key still works until deleted in Signus',
    );
    emulator.deleteKey(emulator.apiKey);
    const revoked = (await vscode.commands.executeCommand('signus.verifyRevoked', { name: 'Emulator' })) as {
      revoked: boolean;
      status: number;
    };
    assert.deepEqual([revoked.revoked, revoked.status], [true, 401]);
    await assert.rejects(run('signus.verifyRevoked', { name: 'Emulator' }), /no old key waiting/);
    writeFileSync(envFile, '');
  });

  it('deletes a key: gone from state, SecretStorage and the known-keys file', async () => {
    const { store } = await api();
    const record = store.findByName('Revoked');
    assert.ok(record);
    assert.equal(await vscode.commands.executeCommand('signus.deleteKey', { name: 'Revoked', confirm: true }), true);
    assert.equal(store.findByName('Revoked'), undefined);
    assert.equal(await store.secret(record.id), undefined);
    const path = process.env.SIGNUS_KNOWN_KEYS ?? '';
    const deadline = Date.now() + 5000;
    while (readFileSync(path, 'utf8').includes('"Revoked"') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(!readFileSync(path, 'utf8').includes('"Revoked"'));
  });
});
