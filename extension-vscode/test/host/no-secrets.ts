import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { addKey, api, filesContaining, run, workspaceRoot } from './helpers.js';

describe('no secret leaks out of the extension', () => {
  it('keeps a stored key out of the log, state, settings and every file it wrote', async () => {
    const secret = `sk_TEST_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}Zq9`;
    await addKey({
      name: 'Canary',
      secret,
      accountId: '123e4567-e89b-12d3-a456-426614174000',
      environment: 'http://127.0.0.1:9',
      test: true,
      saveIfRejected: true,
    });
    await vscode.commands.executeCommand('signus.testKey', { name: 'Canary' });
    await vscode.commands.executeCommand('signus.copyEnvLine', { name: 'Canary' });
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('signus.syncKnownKeys');
    await assert.rejects(run('signus.renameKey', { name: 'Canary', newName: secret }), /looks like the secret/);
    await vscode.commands.executeCommand('signus.scanWorkspace');
    // Give the log writer a moment to flush to disk.
    await new Promise((r) => setTimeout(r, 1500));

    const { globalState, store } = await api();
    for (const key of globalState.keys())
      assert.ok(!JSON.stringify(globalState.get(key)).includes(secret), `state "${key}"`);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('signus')).includes(secret), 'settings');

    const userData = process.env.SIGNUS_TEST_USER_DATA;
    assert.ok(userData && existsSync(join(userData, 'logs')), 'the log files are where the test looks');
    const logFiles = filesContaining(join(userData, 'logs'), 'Stored key "Canary"');
    assert.ok(logFiles.length > 0, 'the Signus log was written to disk (so the check below means something)');
    const places = [
      userData,
      join(workspaceRoot(), '.vscode'),
      join(workspaceRoot(), '.signusignore'),
      process.env.SIGNUS_KNOWN_KEYS ?? '',
    ];
    for (const place of places)
      assert.deepEqual(filesContaining(place, secret), [], `no file under ${place} holds the secret`);
    await vscode.commands.executeCommand('signus.deleteKey', { id: store.findByName('Canary')?.id, confirm: true });
  });
});
