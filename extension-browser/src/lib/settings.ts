import { PRODUCTION_BASE_URL } from '@signus/shared';
import type { KeyTestResult, Verdict } from '@signus/shared';
import type { Platform } from './platform.js';

export interface Environment {
  id: string;
  name: string;
  baseUrl: string;
}

export const PRODUCTION_ID = 'production';
export const EMULATOR_ID = 'emulator';
export const CUSTOM_ID = 'custom';
export const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:4010';
export const DEFAULT_TIMEOUT_SECONDS = 10;
export const MAX_HISTORY = 10;

/** Stored in `local`: nothing here may ever hold a secret. */
export interface Settings {
  accountId: string;
  environments: Environment[];
  selectedEnvironment: string;
  customBaseUrl: string;
  emulatorUrl: string;
  timeoutSeconds: number;
}

export const DEFAULT_SETTINGS: Settings = {
  accountId: '',
  environments: [],
  selectedEnvironment: PRODUCTION_ID,
  customBaseUrl: '',
  emulatorUrl: DEFAULT_EMULATOR_URL,
  timeoutSeconds: DEFAULT_TIMEOUT_SECONDS,
};

const SETTINGS_KEY = 'settings';
const HISTORY_KEY = 'history';
/** Session storage only: the opt-in "remember until the browser closes". */
const REMEMBERED_KEY = 'rememberedKey';
/** Session storage only: text selected on a page and sent by the context menu, read once. */
export const PENDING_KEY = 'pendingKey';

export async function loadSettings(platform: Platform): Promise<Settings> {
  const stored = await platform.local.get<Partial<Settings>>(SETTINGS_KEY);
  return { ...DEFAULT_SETTINGS, ...stored };
}

export async function saveSettings(platform: Platform, patch: Partial<Settings>): Promise<Settings> {
  const next = { ...(await loadSettings(platform)), ...patch };
  await platform.local.set(SETTINGS_KEY, next);
  return next;
}

/** Production, the local emulator and the saved ones, in the order the picker shows them. */
export function allEnvironments(settings: Settings): Environment[] {
  return [
    { id: PRODUCTION_ID, name: 'Production', baseUrl: PRODUCTION_BASE_URL },
    { id: EMULATOR_ID, name: 'Local emulator', baseUrl: settings.emulatorUrl },
    ...settings.environments,
  ];
}

export interface HistoryEntry {
  maskedSecret: string;
  accountId: string;
  baseUrl: string;
  verdict: Verdict;
  status?: number;
  durationMs: number;
  testedAt: string;
}

/** Only what `KeyTestResult.request` already masks: the secret cannot reach history. */
export function historyEntry(result: KeyTestResult): HistoryEntry {
  const entry: HistoryEntry = {
    maskedSecret: result.request.maskedSecret,
    accountId: result.request.accountId,
    baseUrl: result.request.baseUrl,
    verdict: result.verdict,
    durationMs: result.durationMs,
    testedAt: result.testedAt,
  };
  if (result.status !== undefined) entry.status = result.status;
  return entry;
}

export async function loadHistory(platform: Platform): Promise<HistoryEntry[]> {
  return (await platform.local.get<HistoryEntry[]>(HISTORY_KEY)) ?? [];
}

export async function addToHistory(platform: Platform, entry: HistoryEntry): Promise<HistoryEntry[]> {
  const next = [entry, ...(await loadHistory(platform))].slice(0, MAX_HISTORY);
  await platform.local.set(HISTORY_KEY, next);
  return next;
}

export async function clearHistory(platform: Platform): Promise<void> {
  await platform.local.remove(HISTORY_KEY);
}

export async function loadRememberedKey(platform: Platform): Promise<string | undefined> {
  return platform.session.get<string>(REMEMBERED_KEY);
}

export async function rememberKey(platform: Platform, secret: string | undefined): Promise<void> {
  if (secret === undefined) await platform.session.remove(REMEMBERED_KEY);
  else await platform.session.set(REMEMBERED_KEY, secret);
}

/** The context menu's selection, removed as it is read so it lives no longer than needed. */
export async function takePendingKey(platform: Platform): Promise<string | undefined> {
  const pending = await platform.session.get<string>(PENDING_KEY);
  if (pending !== undefined) await platform.session.remove(PENDING_KEY);
  return pending;
}

export function newEnvironmentId(): string {
  return `env-${crypto.randomUUID()}`;
}
