/**
 * The known-keys file: for each of the user's keys a label and the SHA-256 of the key and its encoded
 * forms. It never holds a key. The VS Code extension keeps it up to date; `signus scan` reads it.
 *
 *   { "version": 1, "keys": [ { "label": "Production", "fingerprints": ["<64 hex>", …] } ] }
 */
import { redact } from '../mask.js';
import { jsonErrorText, quoteText, withoutBom } from '../safe-text.js';

export interface KnownKeyEntry {
  label: string;
  fingerprints: string[];
}

/** Fingerprint → label, built from the known-keys file. */
export interface KnownKeySet {
  readonly labels: ReadonlyMap<string, string>;
  /** Labels of keys confirmed revoked (the revoked-keys file): a copy of one is a "revoked key". */
  readonly revokedLabels?: ReadonlySet<string>;
}

export const KNOWN_KEYS_FILE_VERSION = 1;
const HEX64 = /^[0-9a-f]{64}$/;

export class KnownKeysFileError extends Error {
  override readonly name = 'KnownKeysFileError';
}

/** Labels are redacted here, so a label that holds a key (typed by mistake) is never printed whole. */
export function createKnownKeySet(entries: readonly KnownKeyEntry[]): KnownKeySet {
  const labels = new Map<string, string>();
  for (const entry of entries) {
    const label = redact(entry.label);
    for (const fp of entry.fingerprints) labels.set(fp.toLowerCase(), label);
  }
  return { labels };
}

/**
 * The set with revoked keys added under their own labels (`Production (revoked 2026-12-02)`), so a copy
 * of a dead key is still found, also encoded, and named for what it is.
 */
export function withRevokedKeys(
  set: KnownKeySet | undefined,
  revoked: readonly { label: string; revokedAt: string; fingerprints: readonly string[] }[],
): KnownKeySet | undefined {
  if (revoked.length === 0) return set;
  const labels = new Map(set?.labels ?? []);
  const revokedLabels = new Set(set?.revokedLabels ?? []);
  for (const entry of revoked) {
    const label = `${redact(entry.label) || 'key'} (revoked ${entry.revokedAt.slice(0, 10)})`;
    revokedLabels.add(label);
    // A 401 confirmed it dead: that wins over a known-keys entry not yet cleaned up.
    for (const fp of entry.fingerprints) labels.set(fp.toLowerCase(), label);
  }
  return { labels, revokedLabels };
}

export const EMPTY_KNOWN_KEYS: KnownKeySet = { labels: new Map() };

/** Throws KnownKeysFileError with a message that says what is wrong and where; never echoes file content. */
export function parseKnownKeysFile(text: string): KnownKeySet {
  let data: unknown;
  try {
    data = JSON.parse(withoutBom(text));
  } catch (error) {
    throw new KnownKeysFileError(`the known-keys file is not valid JSON (${jsonErrorText(error)}).`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new KnownKeysFileError('the known-keys file must be a JSON object with "version" and "keys".');
  }
  const { version, keys } = data as { version?: unknown; keys?: unknown };
  if (version !== KNOWN_KEYS_FILE_VERSION) {
    throw new KnownKeysFileError(
      `the known-keys file has version ${JSON.stringify(version) ?? 'none'}; this signus reads version ${KNOWN_KEYS_FILE_VERSION}.`,
    );
  }
  if (!Array.isArray(keys)) throw new KnownKeysFileError('the known-keys file needs a "keys" array.');
  const entries: KnownKeyEntry[] = keys.map((raw: unknown, i) => {
    const entry = raw as { label?: unknown; fingerprints?: unknown };
    if (typeof entry !== 'object' || entry === null || typeof entry.label !== 'string') {
      throw new KnownKeysFileError(`keys[${i}] needs a "label" string.`);
    }
    if (!Array.isArray(entry.fingerprints) || entry.fingerprints.length === 0) {
      throw new KnownKeysFileError(`keys[${i}] (${quoteText(entry.label)}) needs a non-empty "fingerprints" array.`);
    }
    entry.fingerprints.forEach((fp: unknown, j) => {
      if (typeof fp !== 'string' || !HEX64.test(fp.toLowerCase())) {
        throw new KnownKeysFileError(
          `keys[${i}].fingerprints[${j}] is not a SHA-256 fingerprint (64 hex characters). The file holds fingerprints, never keys.`,
        );
      }
    });
    return { label: entry.label, fingerprints: entry.fingerprints as string[] };
  });
  return createKnownKeySet(entries);
}

export function serializeKnownKeysFile(entries: readonly KnownKeyEntry[]): string {
  for (const entry of entries) {
    for (const fp of entry.fingerprints) {
      if (!HEX64.test(fp))
        throw new KnownKeysFileError(`${quoteText(entry.label)}: a fingerprint must be 64 lower-case hex characters.`);
    }
  }
  const keys = entries.map((e) => ({ label: redact(e.label), fingerprints: [...e.fingerprints] }));
  return `${JSON.stringify({ version: KNOWN_KEYS_FILE_VERSION, keys }, null, 2)}\n`;
}
