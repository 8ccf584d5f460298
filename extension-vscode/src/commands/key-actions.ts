import { copySecretText } from '../clipboard.js';
// Test, copy, rename, set active and delete a stored key.
import * as vscode from 'vscode';
import { parseAccountId, parseApiKeyInput, PRODUCTION_BASE_URL, type KeyTestResult } from '@signus/shared';
import { envLine, keyNameProblem, spokenMask } from '../keys/model.js';
import { runKeyTest } from '../key-test.js';
import { KeyTestPanel } from '../panel/key-test-panel.js';
import { forgetTestHistory, testHistoryOf } from '../panel/test-history.js';
import type { Services } from '../services.js';
import { pickEnvironment, resolveBaseUrl } from './add-key.js';
import { UserError } from './errors.js';
import { keyFromArgs, pickKey } from './pick-key.js';
import { setting, settingId } from '../config.js';
import { confirmProduction } from './production.js';

async function secretOf({ store }: Services, id: string, name: string): Promise<string> {
  const secret = await store.secret(id);
  if (!secret)
    throw new UserError(
      `The secret of "${name}" is missing from VS Code's secret storage. Delete the key and add it again.`,
    );
  return secret;
}

/**
 * Test API Key: a stored key (row, `{ name }`), `{ active: true }`, or a pasted one
 * (`{ secret, accountId, environment? }`, or "Paste a key…" in the picker). Returns the result, which holds no secret.
 */
export async function testKey(services: Services, arg?: unknown): Promise<KeyTestResult | undefined> {
  const { store, log } = services;
  const opts = (typeof arg === 'object' && arg !== null ? arg : {}) as {
    secret?: unknown;
    accountId?: unknown;
    environment?: unknown;
    active?: unknown;
    showPanel?: unknown;
  };
  const showPanel = opts.showPanel !== false;
  if (typeof opts.secret === 'string')
    return testPasted(services, opts.secret, opts.accountId, opts.environment, showPanel);

  let record = opts.active === true ? store.active() : keyFromArgs(store, arg);
  if (opts.active === true && !record) throw new UserError('No key is active. Add a key or set one as active first.');
  if (!record) {
    if (store.list().length === 0) return testPasted(services, undefined, undefined, undefined, showPanel);
    const active = store.activeId();
    const choice = await vscode.window.showQuickPick(
      [
        ...store.list().map((k) => ({
          label: k.name,
          description: `${spokenMask(k.maskedSecret)}${k.id === active ? ' · active' : ''}`,
          id: k.id,
        })),
        { label: '$(clippy) Paste a key…', description: 'test a key that is not stored', id: '' },
      ],
      { title: 'Signus: Test API Key', placeHolder: 'Which key?' },
    );
    if (!choice) return undefined;
    if (choice.id === '') return testPasted(services, undefined, undefined, undefined, showPanel);
    record = store.get(choice.id);
    if (!record) return undefined;
  }
  const key = record;
  if (!(await confirmProduction(key, 'test', arg))) return undefined;
  const secret = await secretOf(services, key.id, key.name);
  const run = async () => {
    const result = await runKeyTest({ secret, accountId: key.accountId, baseUrl: key.baseUrl }, `"${key.name}"`, log);
    await store.recordTest(key.id, result);
    return { result, secret };
  };
  if (!showPanel) return (await run()).result;
  return KeyTestPanel.show({
    keyName: key.name,
    label: `"${key.name}" (${spokenMask(key.maskedSecret)})`,
    run,
    confirmCopy: () => confirmProduction(key, 'copyCurl'),
    history: testHistoryOf(services.context.globalState, key.id),
  });
}

async function testPasted(
  services: Services,
  rawSecret: unknown,
  rawAccount: unknown,
  rawEnv: unknown,
  showPanel: boolean,
): Promise<KeyTestResult | undefined> {
  const { store, log } = services;
  let typed = typeof rawSecret === 'string' ? rawSecret : undefined;
  if (typed === undefined) {
    typed = await vscode.window.showInputBox({
      title: 'Signus: Test API Key',
      prompt: 'Paste the key to test. It is not stored.',
      placeHolder: 'sk_…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => parseApiKeyInput(v).problem?.message,
    });
    if (typed === undefined) return undefined;
  }
  const parsedKey = parseApiKeyInput(typed);
  if (!parsedKey.key) throw new UserError(parsedKey.problem?.message ?? 'That is not an API key.');
  const secret = parsedKey.key;
  log.rememberSecret(secret);
  let account = typeof rawAccount === 'string' ? rawAccount : undefined;
  if (account === undefined) {
    account = await vscode.window.showInputBox({
      title: 'Signus: Test API Key',
      prompt: 'The Account ID (a UUID from Signus → Settings → Account)',
      value: store.defaultAccountId() ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => parseAccountId(v).problem?.message,
    });
    if (account === undefined) return undefined;
  }
  const parsedAccount = parseAccountId(account);
  if (!parsedAccount.accountId) throw new UserError(parsedAccount.problem?.message ?? 'That is not an Account ID.');
  const accountId = parsedAccount.accountId;
  // Asked when the key was pasted here; a caller passing { secret } without an environment means production.
  let baseUrl: string;
  if (typeof rawEnv === 'string') baseUrl = resolveBaseUrl(rawEnv);
  else if (typeof rawSecret === 'string') baseUrl = PRODUCTION_BASE_URL;
  else {
    const picked = await pickEnvironment(
      'Signus: Test API Key',
      'Which Signus environment should the key be tested against?',
      store.list().map((k) => k.baseUrl),
    );
    if (picked === undefined) return undefined;
    baseUrl = picked;
  }
  const run = async () => ({ result: await runKeyTest({ secret, accountId, baseUrl }, 'the pasted key', log), secret });
  if (!showPanel) return (await run()).result;
  return KeyTestPanel.show({
    label: 'the pasted key',
    run,
    confirmCopy: () => confirmProduction({ name: 'The pasted key', baseUrl }, 'copyCurl'),
  });
}

export async function copySecret(services: Services, arg?: unknown): Promise<boolean> {
  const record = await pickKey(services.store, arg, 'Copy the secret of which key?');
  if (!record || !(await confirmProduction(record, 'copySecret', arg))) return false;
  const clearing = await copySecretText(await secretOf(services, record.id, record.name));
  services.log.info(`Copied the secret of "${record.name}" to the clipboard.`);
  void vscode.window.showInformationMessage(`Signus: copied the secret of "${record.name}".${clearing}`);
  return true;
}

export async function copyEnvLine(services: Services, arg?: unknown): Promise<boolean> {
  const record = await pickKey(services.store, arg, 'Copy which key as a .env line?');
  if (!record || !(await confirmProduction(record, 'copySecret', arg))) return false;
  const clearing = await copySecretText(`${envLine(await secretOf(services, record.id, record.name))}\n`);
  services.log.info(`Copied "${record.name}" as a .env line.`);
  void vscode.window.showInformationMessage(`Signus: copied SIGNUS_API_KEY=… for "${record.name}".${clearing}`);
  return true;
}

export async function renameKey({ store }: Services, arg?: unknown): Promise<string | undefined> {
  const record = await pickKey(store, arg, 'Rename which key?');
  if (!record) return undefined;
  const given = typeof arg === 'object' && arg !== null ? (arg as { newName?: unknown }).newName : undefined;
  if (given !== undefined && typeof given !== 'string') throw new UserError('"newName" must be a string.');
  let newName = given;
  if (newName === undefined) {
    newName = await vscode.window.showInputBox({
      title: `Signus: Rename "${record.name}"`,
      value: record.name,
      validateInput: (v) => keyNameProblem(v, store.list(), record.id),
    });
    if (newName === undefined) return undefined;
  }
  return (await store.rename(record.id, newName)).name;
}

export async function setActiveKey({ store }: Services, arg?: unknown): Promise<string | undefined> {
  const record = await pickKey(store, arg, 'Which key should be active?');
  if (!record) return undefined;
  await store.setActive(record.id);
  return record.name;
}

export async function deleteKey({ store, log, context }: Services, arg?: unknown): Promise<boolean> {
  const record = await pickKey(store, arg, 'Delete which key from VS Code?');
  if (!record) return false;
  const confirmed = typeof arg === 'object' && arg !== null && (arg as { confirm?: unknown }).confirm === true;
  if (!confirmed) {
    const open = 'Open Signus Developer Settings';
    const answer = await vscode.window.showWarningMessage(
      `Delete "${record.name}" from VS Code?`,
      {
        modal: true,
        detail:
          'This removes the key from VS Code only. The key stays valid until it is deleted in Signus (Settings → Developer). ' +
          'Delete it there too if nobody should use it any more.',
      },
      'Delete from VS Code',
      open,
    );
    if (answer === open) {
      await openDeveloperSettings();
      return false;
    }
    if (answer !== 'Delete from VS Code') return false;
  }
  await store.remove(record.id);
  await forgetTestHistory(context.globalState, record.id);
  log.info(`"${record.name}" removed from VS Code; it stays valid until deleted in Signus.`);
  return true;
}

/**
 * The page Delete and Rotate open: only from the user's own settings (a repository could otherwise send the
 * user to a look-alike that asks for a key), and only https. The default is unconfirmed: Signus documents the
 * path (Settings → Developer), not the URL.
 */
export function developerSettingsUrl(): vscode.Uri {
  const url = setting('developerSettingsUrl').trim();
  if (!/^https:\/\/[^/\s]/i.test(url)) {
    throw new UserError(`The setting ${settingId('developerSettingsUrl')} must be an https:// address.`);
  }
  return vscode.Uri.parse(url, true);
}

export async function openDeveloperSettings(): Promise<boolean> {
  return vscode.env.openExternal(developerSettingsUrl());
}
