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

export function isUuid(text: string): boolean {
  return uuid.test(text);
}

export const PRODUCTION_BASE_URL = 'https://api.signus.ai';
