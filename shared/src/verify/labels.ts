/**
 * Live verification of found keys (`signus scan --verify`): each key gets the key test's exact request
 * and a label from the status alone, so the label means the same whatever the body says.
 */
import { testApiKey, type KeyTestResult } from '../key-test.js';
import type { FetchLike } from '../http.js';

export type VerificationLabel = 'live' | 'other-workspace' | 'revoked' | 'unknown';

export const VERIFICATION_LABELS: readonly VerificationLabel[] = ['live', 'other-workspace', 'revoked', 'unknown'];

export interface KeyVerification {
  label: VerificationLabel;
  /** One line: the status (or failure) and what it means. Never the key. */
  why: string;
  status?: number;
  durationMs: number;
}

export interface VerifyOptions {
  baseUrl: string;
  timeoutMs: number;
  /** At most this many requests at a time (default 4): a scan must not look like a flood to the API. */
  concurrency?: number;
  fetch?: FetchLike;
}

export const VERIFY_CONCURRENCY = 4;

export function labelKeyTest(result: KeyTestResult): Pick<KeyVerification, 'label' | 'why'> {
  const status = result.status;
  const said =
    status === undefined ? `no answer (${result.verdict.replace('_', ' ')})` : `${status} ${result.statusText}`.trim();
  if (status !== undefined && status >= 200 && status < 300)
    return { label: 'live', why: `${said}: the key works on this account.` };
  if (status === 401)
    return { label: 'revoked', why: `${said}: the API does not accept this key (deleted, or never a real key).` };
  if (status === 403)
    return {
      label: 'other-workspace',
      why: `${said}: the key is not allowed on this account; it belongs to another workspace, or API access is off.`,
    };
  return { label: 'unknown', why: `${said}: ${result.hint}` };
}

/** Checks each item once, `concurrency` at a time; results are in the order of the items. Never throws. */
export async function verifyKeys(
  items: readonly { secret: string; accountId: string }[],
  options: VerifyOptions,
): Promise<KeyVerification[]> {
  const results: KeyVerification[] = new Array<KeyVerification>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index]!;
      const result = await testApiKey({
        secret: item.secret,
        accountId: item.accountId,
        baseUrl: options.baseUrl,
        timeoutMs: options.timeoutMs,
        ...(options.fetch && { fetch: options.fetch }),
      });
      results[index] = {
        ...labelKeyTest(result),
        ...(result.status !== undefined && { status: result.status }),
        durationMs: Math.round(result.durationMs),
      };
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? VERIFY_CONCURRENCY, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
