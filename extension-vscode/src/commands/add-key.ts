// "Add API Key": name, secret, Account ID, environment, test or not, as one multi-step input with Back; then
// the test, and a modal when Signus refused the key.
import * as vscode from 'vscode';
import { parseAccountId, parseApiKeyInput, parseBaseUrl, presentKeyTest, PRODUCTION_BASE_URL } from '@signus/shared';
import { keyNameProblem } from '../keys/model.js';
import { runKeyTest } from '../key-test.js';
import type { Services } from '../services.js';
import { UserError } from './errors.js';
import { runSteps, type FlowStep, type StepPosition } from './multi-step.js';
import { askPick, askText, stepResult } from './step-inputs.js';

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

interface AddState {
  name?: string;
  secret?: string;
  accountId?: string;
  /** A base URL, or '' for "Another base URL…" (then `customUrl`). */
  environment?: string;
  customUrl?: string;
  test?: boolean;
}

export async function addKey({ store, log }: Services, rawArgs?: unknown): Promise<AddKeyOutcome | undefined> {
  if (rawArgs !== undefined && (typeof rawArgs !== 'object' || rawArgs === null)) {
    throw new UserError('Add API Key takes { name, secret, accountId, environment? }.');
  }
  const args = (rawArgs ?? {}) as AddKeyArgs;
  const title = 'Signus: Add API Key';

  // What the caller gave is checked first and not asked; the rest is one multi-step input with Back.
  const given: AddState = {};
  const name = text(args.name, 'name');
  if (name !== undefined) {
    const problem = keyNameProblem(name, store.list());
    if (problem) throw new UserError(problem);
    given.name = name;
  }
  const givenSecret = text(args.secret, 'secret');
  if (givenSecret !== undefined) {
    const parsed = parseApiKeyInput(givenSecret);
    if (!parsed.key) throw new UserError(parsed.problem?.message ?? 'That is not an API key.');
    given.secret = parsed.key;
  }
  const givenAccount = text(args.accountId, 'accountId');
  if (givenAccount !== undefined) {
    const parsed = parseAccountId(givenAccount);
    if (!parsed.accountId) throw new UserError(parsed.problem?.message ?? 'That is not an Account ID.');
    given.accountId = parsed.accountId;
  }
  const givenEnv = text(args.environment, 'environment');
  if (givenEnv !== undefined) given.environment = resolveBaseUrl(givenEnv);
  if (args.test !== undefined) given.test = args.test;

  const state: AddState = { ...given };
  const steps: FlowStep<AddState>[] = [
    {
      skip: () => given.name !== undefined,
      run: async (s, at) =>
        stepResult(
          await askText(at, {
            title,
            prompt: 'A name for the key, as in Signus → Settings → Developer',
            placeholder: 'Production, Staging, CI/CD…',
            value: s.name ?? '',
            validate: (v) => keyNameProblem(v, store.list()),
          }),
          (v) => (s.name = v),
        ),
    },
    {
      skip: () => given.secret !== undefined,
      run: async (s, at) =>
        stepResult(
          await askText(at, {
            title,
            prompt: `The secret of "${(s.name ?? '').trim()}" (shown once when the key was created). It is kept in VS Code's secret storage only.`,
            placeholder: 'sk_…',
            password: true,
            value: s.secret ?? '',
            validate: (v) => parseApiKeyInput(v).problem?.message,
          }),
          (v) => (s.secret = v),
        ),
    },
    {
      skip: () => given.accountId !== undefined,
      run: async (s, at) =>
        stepResult(
          await askText(at, {
            title,
            prompt: 'The Account ID (a UUID from Signus → Settings → Account)',
            placeholder: '123e4567-e89b-12d3-a456-426614174000',
            value: s.accountId ?? store.defaultAccountId() ?? '',
            validate: (v) => parseAccountId(v).problem?.message,
          }),
          (v) => (s.accountId = v),
        ),
    },
    {
      skip: () => given.environment !== undefined,
      run: async (s, at) => {
        const items = environmentItems(store.list().map((k) => k.baseUrl));
        return stepResult(
          await askPick(at, {
            title,
            placeholder: 'Which Signus environment is this key for?',
            items,
            active: items.find((i) => i.value === s.environment),
          }),
          (v) => (s.environment = v.value),
        );
      },
    },
    {
      skip: (s) => given.environment !== undefined || s.environment !== '',
      run: async (s, at) => stepResult(await askBaseUrl(at, title, s.customUrl), (v) => (s.customUrl = v)),
    },
    {
      skip: () => given.test !== undefined,
      run: async (s, at) => {
        const items = [
          { label: '$(beaker) Test, then save', value: true },
          { label: '$(save) Save without testing', value: false },
        ];
        return stepResult(
          await askPick(at, {
            title,
            placeholder: 'Test the key against the Signus API before saving it?',
            items,
            active: items.find((i) => i.value === s.test),
          }),
          (v) => (s.test = v.value),
        );
      },
    },
  ];
  if (!(await runSteps(steps, state))) return undefined;

  const parsedSecret = parseApiKeyInput(state.secret ?? '');
  if (!parsedSecret.key) throw new UserError(parsedSecret.problem?.message ?? 'That is not an API key.');
  const secret = parsedSecret.key;
  if (given.secret === undefined && parsedSecret.stripped.length > 0)
    log.info(`Add API Key: removed ${parsedSecret.stripped.join(', ')} from the pasted secret.`);
  log.rememberSecret(secret);
  const accountId = parseAccountId(state.accountId ?? '').accountId ?? '';
  const baseUrl = state.environment === '' ? resolveBaseUrl(state.customUrl ?? '') : (state.environment ?? '');
  const keyName = state.name ?? '';
  const doTest = state.test ?? false;

  let tested: string | undefined;
  if (doTest) {
    const result = await runKeyTest({ secret, accountId, baseUrl }, `"${keyName.trim()}"`, log);
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
    const record = await store.add({ name: keyName, secret, accountId, baseUrl });
    await store.recordTest(record.id, result);
    void vscode.window.showInformationMessage(`Signus: saved "${record.name}" (${view.summary}).`);
    return { id: record.id, name: record.name, tested };
  }
  const record = await store.add({ name: keyName, secret, accountId, baseUrl });
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
  const choice = await vscode.window.showQuickPick(environmentItems(known), {
    title,
    placeHolder,
    ignoreFocusOut: true,
  });
  if (!choice) return undefined;
  if (choice.value !== '') return choice.value;
  const typed = await vscode.window.showInputBox({
    title,
    prompt: BASE_URL_PROMPT,
    placeHolder: 'https://staging.example.com',
    ignoreFocusOut: true,
    validateInput: baseUrlProblem,
  });
  return typed === undefined ? undefined : resolveBaseUrl(typed);
}

const BASE_URL_PROMPT = 'The base URL of the Signus API';
const baseUrlProblem = (v: string) => (v.trim() === '' ? 'Enter a base URL.' : parseBaseUrl(v).problem?.message);

function askBaseUrl(at: StepPosition, title: string, value: string | undefined) {
  return askText(at, {
    title,
    prompt: BASE_URL_PROMPT,
    placeholder: 'https://staging.example.com',
    value: value ?? '',
    validate: baseUrlProblem,
  });
}

/** Production, the environments stored keys use, and "Another base URL…" (value ''). */
function environmentItems(known: readonly string[]): { label: string; description: string; value: string }[] {
  const others = [...new Set(known)].filter((url) => url !== PRODUCTION_BASE_URL);
  return [
    { label: 'Production', description: PRODUCTION_BASE_URL, value: PRODUCTION_BASE_URL },
    ...others.map((url) => ({ label: url, description: 'used by a stored key', value: url })),
    { label: 'Another base URL…', description: 'staging, a local emulator', value: '' },
  ];
}
