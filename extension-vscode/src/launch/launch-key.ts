// Which key a launch configuration or a task asks for, and how its environment is added. Pure: unit-tested
// outside VS Code.
import type { KeyRecord } from '../keys/model.js';

/** What `"signus"` in a launch configuration (or a `signus` task) asks for. */
export type KeyRequest =
  { kind: 'none' } | { kind: 'active' } | { kind: 'named'; name: string } | { kind: 'invalid'; problem: string };

const SHAPE = 'Use "signus": true for the active key, or "signus": { "key": "<key name>" }.';

export function keyRequest(value: unknown): KeyRequest {
  if (value === undefined || value === false || value === null) return { kind: 'none' };
  if (value === true) return { kind: 'active' };
  if (typeof value !== 'object' || Array.isArray(value)) return { kind: 'invalid', problem: SHAPE };
  const key = (value as { key?: unknown }).key;
  if (key === undefined) return { kind: 'active' };
  if (typeof key !== 'string' || key.trim() === '') return { kind: 'invalid', problem: SHAPE };
  return { kind: 'named', name: key.trim() };
}

export interface KeyEnvironment {
  SIGNUS_API_KEY: string;
  SIGNUS_ACCOUNT_ID: string;
  SIGNUS_BASE_URL: string;
}

export function keyEnvironment(record: KeyRecord, secret: string): KeyEnvironment {
  return { SIGNUS_API_KEY: secret, SIGNUS_ACCOUNT_ID: record.accountId, SIGNUS_BASE_URL: record.baseUrl };
}

/**
 * Why a stored key must not be handed to a program: the API last said it is not valid. Run the program
 * with a key the API refuses and the failure shows up far from its cause.
 */
export function refusedKeyProblem(record: KeyRecord): string | undefined {
  const last = record.lastTest;
  if (!last || (last.verdict !== 'unauthorized' && last.verdict !== 'forbidden')) return undefined;
  const answer = last.verdict === 'unauthorized' ? '401 Unauthorized' : '403 Forbidden';
  return `The key "${record.name}" was refused by Signus when last tested (${answer}, ${last.testedAt.slice(0, 10)}). Test it again, or choose another key.`;
}

/** Debug types whose adapters take the environment as a list of `{ name, value }` (Microsoft's C/C++ adapters). */
const LIST_ENVIRONMENT_TYPES = new Set(['cppdbg', 'cppvsdbg']);

/**
 * The configuration with the key's variables added to the program's environment, in the property its debug
 * type reads. Values the configuration already sets for these names are replaced: it asked for this key.
 * The `signus` property itself is left out: no adapter needs it.
 */
export function withKeyEnvironment<T extends { type?: string; signus?: unknown; [k: string]: unknown }>(
  config: T,
  env: KeyEnvironment,
): T {
  const { signus: _asked, ...rest } = config;
  const result = { ...rest } as T;
  if (config.type !== undefined && LIST_ENVIRONMENT_TYPES.has(config.type)) {
    const names = new Set(Object.keys(env));
    const list = Array.isArray(config.environment) ? (config.environment as { name?: unknown }[]) : [];
    (result as Record<string, unknown>).environment = [
      ...list.filter((entry) => typeof entry?.name !== 'string' || !names.has(entry.name)),
      ...Object.entries(env).map(([name, value]) => ({ name, value })),
    ];
  } else {
    const existing = config.env && typeof config.env === 'object' ? (config.env as Record<string, unknown>) : {};
    (result as Record<string, unknown>).env = { ...existing, ...env };
  }
  return result;
}
