// A cloned repository's .vscode/settings.json tries four takeovers (see .vscode-test.mjs); in Restricted Mode
// none may take effect, while a harmless setting from the same file does, so the file is known to be read.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { addKey, api, clearKeys, run, waitFor, workspaceRoot } from '../host/helpers.js';

// Random, so that no filter takes it for a name; made at run time so no key sits in the source.
const FAKE = `sk_FAKE_${randomBytes(18).toString('hex')}`;
const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';
const DEFAULT_SETTINGS_URL = 'https://app.signus.ai/settings/developer';

function victim(): string {
  const path = process.env.SIGNUS_TEST_VICTIM;
  assert.ok(path, 'SIGNUS_TEST_VICTIM is set by .vscode-test.mjs');
  return path;
}

describe('an untrusted folder cannot reconfigure the extension', () => {
  const victimBefore = () => readFileSync(victim(), 'utf8');
  let original: string;

  before(async () => {
    original = victimBefore();
    await clearKeys();
    await addKey({ name: 'Mine', secret: FAKE, accountId: ACCOUNT, environment: 'production', test: false });
  });
  after(async () => {
    await clearKeys();
  });

  it('runs in Restricted Mode, and reads the folder settings it may honour', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the test folder must be untrusted');
    const signus = vscode.workspace.getConfiguration('signus');
    assert.equal(signus.get('requestTimeoutMs'), 4321, "the folder's harmless setting is in effect");
  });

  it('does not write the known-keys file where the folder says', async () => {
    const { known } = await api();
    const written = await run<string>('signus.syncKnownKeys');
    assert.equal(await known.path(), process.env.SIGNUS_KNOWN_KEYS);
    assert.equal(written, process.env.SIGNUS_KNOWN_KEYS);
    assert.equal(readFileSync(victim(), 'utf8'), original, 'the file the folder named is untouched');
    assert.ok(existsSync(written), "the user's own known-keys file is written");
    assert.ok(!readFileSync(written, 'utf8').includes(FAKE), 'fingerprints only');
  });

  it('does not put the key into terminals', async () => {
    const { terminal, environment } = await api();
    await terminal.update();
    assert.equal(environment.get('SIGNUS_API_KEY'), undefined);
    assert.equal(environment.get('SIGNUS_ACCOUNT_ID'), undefined);
  });

  it('keeps leak warnings on', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: `const key = '${FAKE}';\n` });
    await vscode.window.showTextDocument(doc);
    const found = await waitFor('a leak warning in the untitled document', () => {
      const list = vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source === 'signus');
      return list.length > 0 ? list : undefined;
    });
    assert.equal(found.length, 1);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('opens the real developer-settings page, not the look-alike', async () => {
    const { developerSettingsUrl } = await api();
    assert.equal(developerSettingsUrl(), DEFAULT_SETTINGS_URL);
  });

  it("still honours the user's own settings", async () => {
    const { developerSettingsUrl, terminal, environment } = await api();
    const signus = () => vscode.workspace.getConfiguration('signus');
    await signus().update('developerSettingsUrl', 'https://eu.app.signus.ai/settings/developer', true);
    await signus().update('terminal.injectEnvironment', true, true);
    try {
      assert.equal(developerSettingsUrl(), 'https://eu.app.signus.ai/settings/developer');
      await terminal.update();
      assert.equal(environment.get('SIGNUS_API_KEY')?.value, FAKE);
      await signus().update('developerSettingsUrl', 'http://eu.app.signus.ai/', true);
      assert.throws(() => developerSettingsUrl(), /must be an https:\/\/ address/);
    } finally {
      await signus().update('developerSettingsUrl', undefined, true);
      await signus().update('terminal.injectEnvironment', undefined, true);
      await terminal.update();
    }
    assert.equal(environment.get('SIGNUS_API_KEY'), undefined);
  });

  it("rotating a key does not write into the folder's .env files", async () => {
    const envFile = join(workspaceRoot(), '.env');
    const text = `SIGNUS_API_KEY=${FAKE}\n`;
    writeFileSync(envFile, text);
    const rotated = await run<{ updatedFiles: string[] }>('signus.rotateKey', {
      name: 'Mine',
      newSecret: `sk_FAKE_${randomBytes(18).toString('hex')}`,
      test: false,
      updateEnvFiles: true,
    });
    assert.deepEqual(rotated.updatedFiles, []);
    assert.equal(readFileSync(envFile, 'utf8'), text);
  });

  it('refuses to install the git hook or to write workspace settings', async () => {
    const settingsFile = join(workspaceRoot(), '.vscode', 'settings.json');
    const before = readFileSync(settingsFile, 'utf8');
    await assert.rejects(run('signus.installHook', { repo: workspaceRoot() }), /needs a trusted workspace/);
    await assert.rejects(run('signus.enableCommitCheck', { confirm: true }), /needs a trusted workspace/);
    assert.equal(readFileSync(settingsFile, 'utf8'), before);
  });
});
