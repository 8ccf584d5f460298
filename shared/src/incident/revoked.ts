/**
 * The revoked-keys file, beside the known-keys file: fingerprints of keys an incident confirmed dead (a
 * key test answered 401). Later scans and the hook name such a copy "revoked key". It never holds a key.
 *
 *   { "version": 1, "revoked": [ { "label", "masked", "revokedAt", "fingerprints": ["<64 hex>", …] } ] }
 */
import { maskSecret, redact } from '../mask.js';
import { knownKeyFingerprints } from '../scan/fingerprint.js';
import { jsonErrorText, withoutBom } from '../safe-text.js';

export interface RevokedKeyEntry {
  label: string;
  /** `sk_••••••••abcd`. */
  masked: string;
  /** ISO-8601. */
  revokedAt: string;
  fingerprints: string[];
}

export const REVOKED_KEYS_FILE_VERSION = 1;
const HEX64 = /^[0-9a-f]{64}$/;

export class RevokedKeysFileError extends Error {
  override readonly name = 'RevokedKeysFileError';
}

export function parseRevokedKeysFile(text: string): RevokedKeyEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(withoutBom(text));
  } catch (error) {
    throw new RevokedKeysFileError(`the revoked-keys file is not valid JSON (${jsonErrorText(error)}).`);
  }
  const { version, revoked } = (data ?? {}) as { version?: unknown; revoked?: unknown };
  if (version !== REVOKED_KEYS_FILE_VERSION || !Array.isArray(revoked))
    throw new RevokedKeysFileError(
      `the revoked-keys file must be {"version": ${REVOKED_KEYS_FILE_VERSION}, "revoked": [...]}.`,
    );
  return revoked.map((raw: unknown, i) => {
    const e = (raw ?? {}) as Partial<Record<keyof RevokedKeyEntry, unknown>>;
    const fps = Array.isArray(e.fingerprints) ? e.fingerprints : [];
    if (fps.length === 0 || !fps.every((fp) => typeof fp === 'string' && HEX64.test(fp)))
      throw new RevokedKeysFileError(`revoked[${i}] needs "fingerprints": 64 lower-case hex characters each.`);
    return {
      label: redact(typeof e.label === 'string' ? e.label : ''),
      masked: redact(typeof e.masked === 'string' ? e.masked : ''),
      revokedAt: typeof e.revokedAt === 'string' ? e.revokedAt : '',
      fingerprints: fps as string[],
    };
  });
}

/** The entry for a key a check proved revoked: masked, with the fingerprint of each form the scanner knows. */
export async function revokedEntryOf(label: string, secret: string, revokedAt: string): Promise<RevokedKeyEntry> {
  return { label, masked: maskSecret(secret), revokedAt, fingerprints: await knownKeyFingerprints(secret) };
}

/** Adds (or refreshes) one entry; entries sharing a fingerprint with it are merged into it. */
export function withRevoked(entries: readonly RevokedKeyEntry[], entry: RevokedKeyEntry): RevokedKeyEntry[] {
  const fps = new Set(entry.fingerprints);
  const others = entries.filter((e) => !e.fingerprints.some((fp) => fps.has(fp)));
  return [...others, entry];
}

export function serializeRevokedKeysFile(entries: readonly RevokedKeyEntry[]): string {
  for (const e of entries)
    if (!e.fingerprints.every((fp) => HEX64.test(fp)))
      throw new RevokedKeysFileError('a fingerprint must be 64 lower-case hex characters.');
  const revoked = entries.map((e) => ({ ...e, label: redact(e.label), masked: redact(e.masked) }));
  return `${JSON.stringify({ version: REVOKED_KEYS_FILE_VERSION, revoked }, null, 2)}\n`;
}
