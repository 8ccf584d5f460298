// Signus has no rotate action: this guides it, as a multi-step input with Back (key, new key, .env files to
// update, previewed), the new key tested on the way; then a modal to delete the old key in Signus and verify it.
// The old key stays in the key list as pending revocation until a check gets 401 for it.
import * as vscode from 'vscode';
import {
  fingerprintSecret,
  maskSecret,
  parseApiKeyInput,
  presentKeyTest,
  revokedEntryOf,
  type KeyTestResult,
} from '@signus/shared';
import { knownKeysPath } from '../leaks/known-keys.js';
import { replaceSecretInEnvText } from '../keys/env-files.js';
import { runKeyTest } from '../key-test.js';
import type { Services } from '../services.js';
import { openDeveloperSettings } from './key-actions.js';
import { UserError } from './errors.js';
import { keyFromArgs, keyPickItems, pickKey } from './pick-key.js';
import { describeRetired, pendingOldKeys, spokenMask, type KeyRecord, type RetiredKey } from '../keys/model.js';
import { RetiredItem } from '../keys/tree.js';
import { runSteps, type FlowStep } from './multi-step.js';
import { tellModal } from './modal.js';
import { askPick, askPicks, askText, stepResult } from './step-inputs.js';

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

interface RotateState {
  record?: KeyRecord;
  newSecret?: string;
  /** The new key whose test was accepted (tested, or used anyway): Back and forward again does not re-test. */
  accepted?: string;
  /** Its test, shown in the key list once the key is rotated. */
  tested?: KeyTestResult;
  envFiles?: readonly EnvFileChoice[];
}

interface EnvFileChoice extends vscode.QuickPickItem {
  uri: vscode.Uri;
}

export async function rotateKey(services: Services, arg?: unknown): Promise<RotateOutcome | undefined> {
  const { store, log } = services;
  const args = (typeof arg === 'object' && arg !== null && !('record' in arg) ? arg : {}) as RotateArgs;
  const givenRecord = keyFromArgs(store, typeof args.name === 'string' ? { name: args.name } : arg);
  if (!givenRecord && store.list().length === 0) {
    await pickKey(store, undefined, 'Rotate which key?');
    return undefined;
  }
  const title = 'Signus: Rotate API Key';

  // Each step is an input with Back; the old key is read once a key is picked, the .env files with it then.
  const state: RotateState = {};
  if (givenRecord) state.record = givenRecord;
  let oldSecret: string | undefined;
  let envFiles: { uri: vscode.Uri; text: string }[] = [];
  const load = async (record: KeyRecord) => {
    oldSecret = await store.secret(record.id);
    if (!oldSecret) throw new UserError(`The secret of "${record.name}" is missing; add the new key instead.`);
    envFiles = args.updateEnvFiles === false ? [] : await envFilesHolding(oldSecret);
  };
  if (givenRecord) await load(givenRecord);

  const steps: FlowStep<RotateState>[] = [
    {
      skip: () => givenRecord !== undefined,
      run: async (s, at) => {
        const items = keyPickItems(store);
        const answer = await askPick(at, {
          title,
          placeholder: 'Rotate which key?',
          items,
          active: items.find((i) => i.record.id === s.record?.id),
        });
        if (answer !== 'back' && answer !== 'cancel' && answer.value.record.id !== s.record?.id) {
          await load(answer.value.record);
          delete s.envFiles;
        }
        return stepResult(answer, (v) => (s.record = v.record));
      },
    },
    {
      skip: () => args.newSecret !== undefined,
      run: async (s, at) => {
        const record = s.record!;
        const answer = await askText(at, {
          title,
          prompt: `Create a new key for "${record.name}" in Signus (Settings → Developer → Create API key), then paste it here. The old key stays until it is verified revoked.`,
          placeholder: 'sk_…',
          password: true,
          value: s.newSecret ?? '',
          validate: (v) =>
            parseApiKeyInput(v).problem?.message ??
            (parseApiKeyInput(v).key === oldSecret ? 'This is the key being rotated; paste the new one.' : undefined),
          buttons: [
            {
              button: { iconPath: new vscode.ThemeIcon('link-external'), tooltip: 'Open Signus Developer Settings' },
              onClick: openDeveloperSettings,
            },
          ],
        });
        const result = stepResult(answer, (v) => (s.newSecret = parseApiKeyInput(v).key));
        if (result !== 'next') return result;
        // A new key Signus refuses is asked again, not used: the modal's default is not "Use Anyway".
        return (await newKeyAccepted(s, args, log)) ? 'next' : 'again';
      },
    },
    {
      // Counted until a key is picked (its .env files are looked for then), left out when none holds it.
      skip: (s) => args.updateEnvFiles !== undefined || (s.record !== undefined && envFiles.length === 0),
      run: async (s, at) => {
        const items = envFiles.flatMap((f) => {
          const replaced = replaceSecretInEnvText(f.text, oldSecret!, s.newSecret!);
          return replaced
            ? [{ label: vscode.workspace.asRelativePath(f.uri), detail: replaced.preview.join('   '), uri: f.uri }]
            : [];
        });
        const answer = await askPicks(at, {
          title,
          placeholder:
            'Replace the old key with the new one in these .env files (each change is previewed, keys masked)',
          items,
          picked: items.filter((i) => !s.envFiles || s.envFiles.some((c) => c.uri.toString() === i.uri.toString())),
        });
        return stepResult(answer, (v) => (s.envFiles = v));
      },
    },
  ];
  if (!(await runSteps(steps, state))) return undefined;
  const record = state.record!;
  const old = oldSecret!;

  if (args.newSecret !== undefined) {
    const parsed = parseApiKeyInput(args.newSecret);
    if (!parsed.key) throw new UserError(parsed.problem?.message ?? 'That is not an API key.');
    if (parsed.key === old)
      throw new UserError('The new key is the same as the old one. Create a new key in Signus first.');
    state.newSecret = parsed.key;
    if (!(await newKeyAccepted(state, args, log))) return undefined;
  }
  const newSecret = state.newSecret!;

  const chosen = args.updateEnvFiles === true ? envFiles.map((f) => f.uri) : (state.envFiles ?? []).map((c) => c.uri);
  const updatedFiles = await replaceInEnvFiles(chosen, old, newSecret);
  await store.replaceSecret(record.id, newSecret);
  if (state.tested) await store.recordTest(record.id, state.tested);
  await store.setActive(record.id);
  const [now, was] = [newSecret, old].map((s) => spokenMask(maskSecret(s)));
  log.info(`Rotation of "${record.name}": ${updatedFiles.length} .env file(s) updated; now ${now}.`);

  const reminder = `"${record.name}" now uses the ${now}. Delete the old key (${was}) in Signus → Settings → Developer, then verify it is revoked.`;
  if (args.newSecret === undefined) await afterRotation(services, record, old, reminder);
  else void vscode.window.showInformationMessage(reminder);
  return { name: record.name, updatedFiles };
}

/** Tests the new key (unless told not to); a refused key is used only when the user (or the caller) says so. */
async function newKeyAccepted(s: RotateState, args: RotateArgs, log: Services['log']): Promise<boolean> {
  const record = s.record!;
  const secret = s.newSecret!;
  log.rememberSecret(secret);
  if (args.test === false || s.accepted === secret) return true;
  const result = await runKeyTest({ secret, accountId: record.accountId, baseUrl: record.baseUrl }, 'the new key', log);
  const view = presentKeyTest(result);
  let go = view.tone === 'ok' ? true : args.saveIfRejected;
  if (go === undefined) {
    go =
      (await vscode.window.showWarningMessage(
        `The new key's test said: ${view.summary}.`,
        { modal: true, detail: `${view.hint}\n\nUse it anyway?` },
        // The first button is the default (Enter): for a key Signus refused, that must not be using it.
        "Don't Use",
        'Use Anyway',
      )) === 'Use Anyway';
  }
  if (go) {
    s.accepted = secret;
    s.tested = result;
  }
  return go;
}

/**
 * The last step, a modal rather than a toast that can slip away: delete the old key in Signus, then verify.
 * Closing it leaves the old key pending in the key list, where "Verify Revoked" waits.
 */
async function afterRotation(services: Services, record: KeyRecord, old: string, reminder: string): Promise<void> {
  const open = 'Open Signus Developer Settings';
  const verify = 'I Deleted It: Verify Now';
  for (;;) {
    const answer = await tellModal(
      reminder,
      'Until a check gets 401 for it, the key list shows the old key as pending revocation, with Verify Revoked beside it.',
      verify,
      open,
    );
    if (answer === open) await openDeveloperSettings();
    else {
      if (answer === verify)
        await verifyRevoked(services, { id: record.id, fingerprint: await fingerprintSecret(old), fromRotation: true });
      return;
    }
  }
}

const ENV_LIMIT = 200;

/** The workspace's .env files that hold the old key (none in an untrusted folder, whose files may be links). */
async function envFilesHolding(oldSecret: string): Promise<{ uri: vscode.Uri; text: string }[]> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'Signus: this folder is not trusted (Restricted Mode), so no .env file is updated. Update them by hand.',
    );
    return [];
  }
  const out: { uri: vscode.Uri; text: string }[] = [];
  for (const uri of await vscode.workspace.findFiles(ENV_GLOB, ENV_EXCLUDE, ENV_LIMIT)) {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    // Holds it as a whole value (what would be replaced): replacing it with anything else changes a line.
    if (replaceSecretInEnvText(text, oldSecret, '')) out.push({ uri, text });
  }
  return out;
}

/** Returns the paths changed. */
async function replaceInEnvFiles(uris: readonly vscode.Uri[], oldSecret: string, newSecret: string): Promise<string[]> {
  const edit = new vscode.WorkspaceEdit();
  const changed: vscode.Uri[] = [];
  for (const uri of uris) {
    const doc = await vscode.workspace.openTextDocument(uri);
    const replaced = replaceSecretInEnvText(doc.getText(), oldSecret, newSecret);
    if (!replaced) continue;
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), replaced.text);
    changed.push(uri);
  }
  await vscode.workspace.applyEdit(edit);
  for (const uri of changed) await (await vscode.workspace.openTextDocument(uri)).save();
  return changed.map((uri) => vscode.workspace.asRelativePath(uri));
}

export interface RevocationCheck {
  revoked: boolean;
  status?: number;
  verdict: string;
}

/**
 * Happy only with a 401: anything else means the old key may still work, or the check was inconclusive. A 401
 * marks it revoked in the key list and in the revoked-keys file (later scans and the hook say "revoked key"),
 * and its secret leaves SecretStorage.
 */
export async function verifyRevoked(services: Services, arg?: unknown): Promise<RevocationCheck | undefined> {
  const { store, log } = services;
  const record = await pickKey(store, arg, 'Verify the old key of which rotated key?', {
    filter: (k) => pendingOldKeys(k).length > 0,
    none: 'No stored key has an old key waiting to be revoked: rotate one first.',
  });
  if (!record) return undefined;
  const pending = pendingOldKeys(record);
  if (pending.length === 0)
    throw new UserError(`"${record.name}" has no old key waiting to be revoked: rotate it first.`);
  const retired = await pickOldKey(record, arg, pending, 'pending');
  if (!retired) return undefined;
  const old = await store.retiredSecret(record.id, retired.fingerprint);
  if (!old)
    throw new UserError(
      `The secret of the old key of "${record.name}" (${spokenMask(retired.maskedSecret)}) is missing from VS Code's secret storage; check it in Signus → Settings → Developer.`,
    );
  const result = await runKeyTest(
    { secret: old, accountId: record.accountId, baseUrl: record.baseUrl },
    `the old key of "${record.name}"`,
    log,
  );
  const check: RevocationCheck = { revoked: result.status === 401, verdict: result.verdict };
  if (result.status !== undefined) check.status = result.status;
  if (check.revoked) {
    const node = await import('@signus/shared/node');
    const file = node.revokedKeysPath(await knownKeysPath());
    try {
      node.markRevoked(await revokedEntryOf(`${record.name} (old key)`, old, result.testedAt), file);
    } catch (error) {
      log.error('Could not write the revoked-keys file', error);
    }
    await store.markRetiredRevoked(record.id, retired.fingerprint, result);
    const left = pending.length - 1;
    void vscode.window.showInformationMessage(
      `Signus: the old key of "${record.name}" (${spokenMask(retired.maskedSecret)}) is revoked (401). ${
        left === 0 ? 'Rotation complete.' : `${left} more old ${left === 1 ? 'key is' : 'keys are'} pending revocation.`
      }`,
    );
  } else {
    await store.recordRetiredCheck(record.id, retired.fingerprint, result);
    if (result.verdictClass === 'ok') {
      void vscode.window.showWarningMessage(
        `Signus: the old key of "${record.name}" still works (${presentKeyTest(result).summary}). Delete it in Signus → Settings → Developer.`,
      );
    } else {
      void vscode.window.showWarningMessage(
        `Signus: could not confirm the old key is revoked: ${presentKeyTest(result).summary}. Only a 401 proves it.`,
      );
    }
  }
  return check;
}

/** Takes a revoked old key's row out of the list; a pending one stays until it is proven revoked. */
export async function dismissOldKey({ store }: Services, arg?: unknown): Promise<boolean> {
  const record = keyFromArgs(store, arg);
  if (!record?.oldKeys) throw new UserError('Pick the old key row of a rotated key.');
  const revoked = record.oldKeys.filter((o) => o.revokedAt);
  if (revoked.length === 0)
    throw new UserError(`The old key of "${record.name}" is not verified revoked yet: run Verify Old Key Is Revoked.`);
  const retired = await pickOldKey(record, arg, revoked, 'revoked');
  if (!retired) return false;
  await store.dismissRetired(record.id, retired.fingerprint);
  return true;
}

/**
 * Which old key of `record` a command is about, among `candidates`: the row's it was run on, `{ fingerprint }`,
 * the only one, or a pick (a key rotated again before its old key was verified has several).
 */
async function pickOldKey(
  record: KeyRecord,
  arg: unknown,
  candidates: readonly RetiredKey[],
  state: 'pending' | 'revoked',
): Promise<RetiredKey | undefined> {
  const wanted =
    arg instanceof RetiredItem
      ? arg.retired.fingerprint
      : typeof arg === 'object' && arg !== null
        ? (arg as { fingerprint?: unknown }).fingerprint
        : undefined;
  if (typeof wanted === 'string') {
    const found = candidates.find((o) => o.fingerprint === wanted);
    const listed = state === 'pending' ? 'pending revocation' : 'revoked';
    if (!found) throw new UserError(`That old key of "${record.name}" is not listed as ${listed}.`);
    return found;
  }
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    [...candidates].reverse().map((old) => ({
      label: `Old ${spokenMask(old.maskedSecret)}`,
      description: describeRetired(old).description,
      old,
    })),
    {
      placeHolder:
        state === 'pending' ? 'Verify which old key is revoked?' : 'Remove which revoked old key from the list?',
      title: `Signus: old keys of "${record.name}"`,
    },
  );
  return picked?.old;
}
