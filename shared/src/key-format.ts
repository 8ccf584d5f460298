/**
 * What a Signus secret and an Account ID look like.
 *
 * The key's length and alphabet are unconfirmed (docs say `sk_...`), so "key-shaped" is deliberately
 * loose: `sk_` and at least 20 characters of `[A-Za-z0-9_-]`. Nothing may rely on a fixed length.
 */
export const KEY_PREFIX = 'sk_';
export const KEY_MIN_BODY_LENGTH = 20;
export const KEY_BODY_CHARS = 'A-Za-z0-9_\\-';

const keyShaped = new RegExp(`^${KEY_PREFIX}[${KEY_BODY_CHARS}]{${KEY_MIN_BODY_LENGTH},}$`);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isKeyShaped(text: string): boolean {
  return keyShaped.test(text);
}

const keyRun = new RegExp(`${KEY_PREFIX}[${KEY_BODY_CHARS}]{${KEY_MIN_BODY_LENGTH},}`, 'g');
const bodyChar = new RegExp(`[${KEY_BODY_CHARS}]`);
/** `queue_processing_worker_pool`: several short lower-case words, which a generated key body never is. */
const IDENTIFIER_BODY = /^[a-z][a-z0-9]{0,11}(?:_[a-z][a-z0-9]{0,11})+$/;

/**
 * Every key-shaped run in the text, also one glued to a word (`acct_sk_…`, `test-sk_…`): glued, it is
 * not a scan finding, but it may still be a key. The one exception is a glued run whose body is
 * snake_case words (`task_queue_processing_worker_pool`), which no generated key looks like.
 */
export function keyShapedRuns(text: string): { index: number; text: string }[] {
  if (!text.includes(KEY_PREFIX)) return [];
  const runs: { index: number; text: string }[] = [];
  for (const m of text.matchAll(keyRun)) {
    const glued = m.index > 0 && bodyChar.test(text[m.index - 1]!);
    if (glued && IDENTIFIER_BODY.test(m[0].slice(KEY_PREFIX.length))) continue;
    runs.push({ index: m.index, text: m[0] });
  }
  return runs;
}

export function containsKeyShaped(text: string): boolean {
  return keyShapedRuns(text).length > 0;
}

export function isUuid(text: string): boolean {
  return uuid.test(text);
}

export { PRODUCTION_BASE_URL } from './production.js';
