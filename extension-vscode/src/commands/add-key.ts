// "Add API Key": name, secret, Account ID, environment; an offer to test before saving.
import * as vscode from 'vscode';
import { parseAccountId, parseApiKeyInput, parseBaseUrl, presentKeyTest, PRODUCTION_BASE_URL } from '@signus/shared';
import { keyNameProblem } from '../keys/model.js';
import { runKeyTest } from '../key-test.js';
import type { Services } from '../services.js';
import { UserError } from './errors.js';

export interface AddKeyArgs {
  name?: string;
  secret?: string;
  accountId?: string;
  /** A base URL, or "production". */
  environment?: string;
  /** true: test before saving; false: save without testing; absent: ask. */
  test?: boolean;
  /** When the test rejects the key: true saves it anyway; absent: ask. */
  saveIfRejected?: boolean;
}

export interface AddKeyOutcome {
  id: string;
  name: string;
  tested?: string;
}

function text(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UserError(`"${field}" must be a string.`);
  return value;
}

export async function addKey({ store, log }: Services, rawArgs?: unknown): Promise<AddKeyOutcome | undefined> {
  if (rawArgs !== undefined && (typeof rawArgs !== 'object' || rawArgs === null)) {
    throw new UserError('Add API Key takes { name, secret, accountId, environment? }.');
  }
  const args = (rawArgs ?? {}) as AddKeyArgs;
  const title = 'Signus: Add API Key';

  let name = text(args.name, 'name');
  if (name !== undefined) {
    const problem = keyNameProblem(name, store.list());
    if (problem) throw new UserError(problem);
  } else {
    name = await vscode.window.showInputBox({
      title,
      prompt: 'A name for the key, as in Signus → Settings → Developer',
      placeHolder: 'Production, Staging, CI/CD…',
      ignoreFocusOut: true,
      validateInput: (v) => keyNameProblem(v, store.list()),
    });
    if (name === undefined) return undefined;
  }

  let secret: string;
  const givenSecret = text(args.secret, 'secret');
  if (givenSecret !== undefined) {
    const parsed = parseApiKeyInput(givenSecret);
    if (!parsed.key) throw new UserError(parsed.problem?.message ?? 'That is not an API key.');
    secret = parsed.key;
  } else {
    const typed = await vscode.window.showInputBox({
      title,
      prompt: `The secret of "${name.trim()}" (shown once when the key was created). It is kept in VS Code's secret storage only.`,
      placeHolder: 'sk_…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => parseApiKeyInput(v).problem?.message,
    });
    if (typed === undefined) return undefined;
    const parsed = parseApiKeyInput(typed);
    if (!parsed.key) throw new UserError(parsed.problem?.message ?? 'That is not an API key.');
    secret = parsed.key;
    if (parsed.stripped.length > 0)
      log.info(`Add API Key: removed ${parsed.stripped.join(', ')} from the pasted secret.`);
  }
  log.rememberSecret(secret);

  let accountId: string;
  const givenAccount = text(args.accountId, 'accountId');
  if (givenAccount !== undefined) {
    const parsed = parseAccountId(givenAccount);
    if (!parsed.accountId) throw new UserError(parsed.problem?.message ?? 'That is not an Account ID.');
    accountId = parsed.accountId;
  } else {
    const typed = await vscode.window.showInputBox({
      title,
      prompt: 'The Account ID (a UUID from Signus → Settings → Account)',
      value: store.defaultAccountId() ?? '',
      placeHolder: '123e4567-e89b-12d3-a456-426614174000',
      ignoreFocusOut: true,
      validateInput: (v) => parseAccountId(v).problem?.message,
    });
    if (typed === undefined) return undefined;
    accountId = parseAccountId(typed).accountId ?? '';
  }

  let baseUrl: string;
  const givenEnv = text(args.environment, 'environment');
  if (givenEnv !== undefined) {
    baseUrl = resolveBaseUrl(givenEnv);
  } else {
    const picked = await pickEnvironment(title, 'Which Signus environment is this key for?', []);
    if (picked === undefined) return undefined;
    baseUrl = picked;
  }

  let doTest = args.test;
  if (doTest === undefined) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: '$(beaker) Test, then save', value: true },
        { label: '$(save) Save without testing', value: false },
      ],
      { title, placeHolder: 'Test the key against the Signus API before saving it?', ignoreFocusOut: true },
    );
    if (!choice) return undefined;
    doTest = choice.value;
  }

  let tested: string | undefined;
  if (doTest) {
    const result = await runKeyTest({ secret, accountId, baseUrl }, `"${name.trim()}"`, log);
    const view = presentKeyTest(result);
    tested = result.verdict;
    if (view.tone !== 'ok') {
      let save = args.saveIfRejected;
      if (save === undefined) {
        const answer = await vscode.window.showWarningMessage(
          `The key test said: ${view.summary}.`,
          { modal: true, detail: `${view.hint}\n\nSave the key anyway?` },
          // The first button is the default (Enter): for a key Signus refused, that must not be saving it.
          "Don't Save",
          'Save Anyway',
        );
        save = answer === 'Save Anyway';
      }
      if (!save) {
        log.info(`Add API Key: not saved after the key test said ${result.verdict}.`);
        return undefined;
      }
    }
    const record = await store.add({ name, secret, accountId, baseUrl });
    await store.recordTest(record.id, result);
    void vscode.window.showInformationMessage(`Signus: saved "${record.name}" (${view.summary}).`);
    return { id: record.id, name: record.name, tested };
  }
  const record = await store.add({ name, secret, accountId, baseUrl });
  void vscode.window.showInformationMessage(`Signus: saved "${record.name}" in VS Code's secret storage.`);
  return { id: record.id, name: record.name };
}

export function resolveBaseUrl(raw: string): string {
  if (raw.trim().toLowerCase() === 'production') return PRODUCTION_BASE_URL;
  const parsed = parseBaseUrl(raw);
  if (!parsed.baseUrl) throw new UserError(parsed.problem?.message ?? 'That is not a base URL.');
  if (parsed.warning) void vscode.window.showWarningMessage(`Signus: ${parsed.warning}`);
  return parsed.baseUrl;
}

/**
 * Asks which Signus environment: production, one that stored keys already use, or another base URL. Never
 * assumed: a staging key sent to production fails in a way that looks like a dead key.
 */
export async function pickEnvironment(
  title: string,
  placeHolder: string,
  known: readonly string[],
): Promise<string | undefined> {
  const others = [...new Set(known)].filter((url) => url !== PRODUCTION_BASE_URL);
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Production', description: PRODUCTION_BASE_URL, value: PRODUCTION_BASE_URL },
      ...others.map((url) => ({ label: url, description: 'used by a stored key', value: url })),
      { label: 'Another base URL…', description: 'staging, a local emulator', value: '' },
    ],
    { title, placeHolder, ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  if (choice.value !== '') return choice.value;
  const typed = await vscode.window.showInputBox({
    title,
    prompt: 'The base URL of the Signus API',
    placeHolder: 'https://staging.example.com',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Enter a base URL.' : parseBaseUrl(v).problem?.message),
  });
  return typed === undefined ? undefined : resolveBaseUrl(typed);
}
