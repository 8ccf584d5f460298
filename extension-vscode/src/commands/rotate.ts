// Signus has no rotate action: this guides it. New key in, tested, .env files updated (previewed),
// made active; then a reminder to delete the old key in Signus, and a check that it is really revoked.
import * as vscode from 'vscode';
import { maskSecret, parseApiKeyInput, presentKeyTest } from '@signus/shared';
import { replaceSecretInEnvText } from '../keys/env-files.js';
import { runKeyTest } from '../key-test.js';
import type { Services } from '../services.js';
import { openDeveloperSettings } from './key-actions.js';
import { UserError } from './errors.js';
import { runCommand } from './errors.js';
import { COMMANDS } from '../contributes.js';
import { pickKey } from './pick-key.js';

interface RotateArgs {
  name?: string;
  newSecret?: string;
  test?: boolean;
  saveIfRejected?: boolean;
  /** true: update every .env file that holds the old key; false: none; absent: ask with a preview. */
  updateEnvFiles?: boolean;
}

export interface RotateOutcome {
  name: string;
  updatedFiles: string[];
}

const ENV_GLOB = '**/{.env,.env.*,*.env}';
const ENV_EXCLUDE = '**/{node_modules,.git}/**';

export async function rotateKey(services: Services, arg?: unknown): Promise<RotateOutcome | undefined> {
  const { store, log } = services;
  const args = (typeof arg === 'object' && arg !== null && !('record' in arg) ? arg : {}) as RotateArgs;
  const record = await pickKey(store, typeof args.name === 'string' ? { name: args.name } : arg, 'Rotate which key?');
  if (!record) return undefined;
  const oldSecret = await store.secret(record.id);
  if (!oldSecret) throw new UserError(`The secret of "${record.name}" is missing; add the new key instead.`);

  let typed = args.newSecret;
  if (typed === undefined) {
    const go = await vscode.window.showInformationMessage(
      `Rotate "${record.name}": first create a new key in Signus (Settings → Developer → Create API key), then paste it here.`,
      'Paste New Key',
      'Open Signus Developer Settings',
    );
    if (go === 'Open Signus Developer Settings') await openDeveloperSettings();
    typed = await vscode.window.showInputBox({
      title: `Signus: Rotate "${record.name}" (step 1 of 3: the new key)`,
      prompt: 'Paste the new secret. The old one stays until you have checked it is revoked.',
      placeHolder: 'sk_…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) =>
        parseApiKeyInput(v).problem?.message ??
        (parseApiKeyInput(v).key === oldSecret ? 'This is the key being rotated; paste the new one.' : undefined),
    });
    if (typed === undefined) return undefined;
  }
  const parsed = parseApiKeyInput(typed);
  if (!parsed.key) throw new UserError(parsed.problem?.message ?? 'That is not an API key.');
  const newSecret = parsed.key;
  if (newSecret === oldSecret)
    throw new UserError('The new key is the same as the old one. Create a new key in Signus first.');
  log.rememberSecret(newSecret);

  if (args.test !== false) {
    const result = await runKeyTest(
      { secret: newSecret, accountId: record.accountId, baseUrl: record.baseUrl },
      'the new key',
      log,
    );
    const view = presentKeyTest(result);
    if (view.tone !== 'ok') {
      let go = args.saveIfRejected;
      if (go === undefined) {
        go =
          (await vscode.window.showWarningMessage(
            `The new key's test said: ${view.summary}.`,
            { modal: true, detail: `${view.hint}\n\nUse it anyway?` },
            'Use Anyway',
          )) === 'Use Anyway';
      }
      if (!go) return undefined;
    }
  }

  const updatedFiles = await updateEnvFiles(oldSecret, newSecret, args.updateEnvFiles);
  if (updatedFiles === undefined) return undefined;
  await store.replaceSecret(record.id, newSecret);
  await store.setActive(record.id);
  log.info(`Rotation of "${record.name}": ${updatedFiles.length} .env file(s) updated; now ${maskSecret(newSecret)}.`);

  const reminder = `"${record.name}" now uses ${maskSecret(newSecret)}. Delete the old key (${maskSecret(oldSecret)}) in Signus → Settings → Developer, then verify it is revoked.`;
  if (args.newSecret === undefined) {
    void vscode.window
      .showInformationMessage(reminder, 'Open Signus Developer Settings', 'Verify Old Key Is Revoked')
      .then(async (choice) => {
        if (choice === 'Open Signus Developer Settings') await openDeveloperSettings();
        if (choice === 'Verify Old Key Is Revoked') await runCommand(COMMANDS.verifyRevoked, { name: record.name });
      });
  } else {
    void vscode.window.showInformationMessage(reminder);
  }
  return { name: record.name, updatedFiles };
}

/** Returns the paths changed, or undefined when the user cancelled. */
async function updateEnvFiles(
  oldSecret: string,
  newSecret: string,
  decided: boolean | undefined,
): Promise<string[] | undefined> {
  if (decided === false) return [];
  // Writing into an untrusted folder's files (which may be links to anywhere) waits until the user trusts it.
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'Signus: this folder is not trusted (Restricted Mode), so no .env file was updated. Update them by hand.',
    );
    return [];
  }
  const uris = await vscode.workspace.findFiles(ENV_GLOB, ENV_EXCLUDE, 200);
  const changes: { uri: vscode.Uri; text: string; preview: string[] }[] = [];
  for (const uri of uris) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const replaced = replaceSecretInEnvText(text, oldSecret, newSecret);
    if (replaced) changes.push({ uri, text: replaced.text, preview: replaced.preview });
  }
  if (changes.length === 0) return [];
  let chosen = changes;
  if (decided === undefined) {
    const picked = await vscode.window.showQuickPick(
      changes.map((c) => ({
        label: vscode.workspace.asRelativePath(c.uri),
        detail: c.preview.join('   '),
        picked: true,
        change: c,
      })),
      {
        title: 'Signus: Rotate (step 2 of 3: .env files)',
        placeHolder: 'Replace the old key with the new one in these files (each change is previewed, keys masked)',
        canPickMany: true,
        ignoreFocusOut: true,
      },
    );
    if (!picked) return undefined;
    chosen = picked.map((p) => p.change);
  }
  const edit = new vscode.WorkspaceEdit();
  for (const change of chosen) {
    const doc = await vscode.workspace.openTextDocument(change.uri);
    edit.replace(change.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), change.text);
  }
  await vscode.workspace.applyEdit(edit);
  for (const change of chosen) await (await vscode.workspace.openTextDocument(change.uri)).save();
  return chosen.map((c) => vscode.workspace.asRelativePath(c.uri));
}

export interface RevocationCheck {
  revoked: boolean;
  status?: number;
  verdict: string;
}

/** Happy only with a 401: anything else means the old key may still work, or the check was inconclusive. */
export async function verifyRevoked(services: Services, arg?: unknown): Promise<RevocationCheck | undefined> {
  const { store, log } = services;
  const record = await pickKey(store, arg, 'Verify the old key of which rotated key?');
  if (!record) return undefined;
  const old = await store.retiredSecret(record.id);
  if (!old) throw new UserError(`"${record.name}" has no old key waiting to be revoked: rotate it first.`);
  const result = await runKeyTest(
    { secret: old, accountId: record.accountId, baseUrl: record.baseUrl },
    `the old key of "${record.name}"`,
    log,
  );
  const check: RevocationCheck = { revoked: result.status === 401, verdict: result.verdict };
  if (result.status !== undefined) check.status = result.status;
  if (check.revoked) {
    await store.forgetRetired(record.id);
    void vscode.window.showInformationMessage(
      `Signus: the old key of "${record.name}" (${maskSecret(old)}) is revoked (401). Rotation complete.`,
    );
  } else if (result.verdictClass === 'ok') {
    void vscode.window.showWarningMessage(
      `Signus: the old key of "${record.name}" still works (${presentKeyTest(result).summary}). Delete it in Signus → Settings → Developer.`,
    );
  } else {
    void vscode.window.showWarningMessage(
      `Signus: could not confirm the old key is revoked: ${presentKeyTest(result).summary}. Only a 401 proves it.`,
    );
  }
  return check;
}
