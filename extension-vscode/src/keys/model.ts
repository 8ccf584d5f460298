// What the extension knows about a stored key, apart from its secret. Pure: unit-tested outside VS Code.
import {
  keyLabelProblem,
  PRODUCTION_BASE_URL,
  VERDICT_LABELS,
  type KeyTestResult,
  type Verdict,
  type VerdictClass,
} from '@signus/shared';

/** Kept in extension state. Holds no secret: the secret is in SecretStorage under `secretKey(id)`. */
export interface KeyRecord {
  id: string;
  name: string;
  accountId: string;
  baseUrl: string;
  createdAt: string;
  /** `sk_••••••••abcd`, to tell keys apart in the list. */
  maskedSecret: string;
  lastTest?: LastTest;
  /**
   * The keys rotations replaced, oldest first, each until (and after) a check sees it revoked. A key rotated
   * again before its old key was verified keeps both: each one may still work until it is deleted in Signus.
   */
  oldKeys?: RetiredKey[];
}

/** A record as saved before several old keys were kept: at most one, as `retired`. */
export type StoredKeyRecord = KeyRecord & { retired?: RetiredKey };

/**
 * The old key of a rotation. Its secret stays in SecretStorage (`retiredSecretKey`) only while it is pending,
 * so "Verify Revoked" can send it; once a check gets a 401 the secret is deleted and only this is kept.
 */
export interface RetiredKey {
  maskedSecret: string;
  /** SHA-256 of the old key, as in the known-keys and revoked-keys files. */
  fingerprint: string;
  rotatedAt: string;
  /** When a check got the 401. */
  revokedAt?: string;
  /** The last check that did not prove it revoked (the key still works, or no answer). */
  lastCheck?: LastTest;
}

export interface LastTest {
  verdict: Verdict;
  verdictClass: VerdictClass;
  status?: number;
  durationMs: number;
  testedAt: string;
}

export const MAX_NAME_LENGTH = 60;

export function secretKey(id: string): string {
  return `signus.key.${id}`;
}

/** An old key's value, kept after a rotation until "Verify old key is revoked" sees a 401. */
export function retiredSecretKey(id: string, fingerprint: string): string {
  return `signus.retired.${id}.${fingerprint}`;
}

/** Where the one old key was kept before several were: read (fingerprint-checked) and deleted, never written. */
export function legacyRetiredSecretKey(id: string): string {
  return `signus.retired.${id}`;
}

/** A saved record as this version reads it: an old `retired` becomes the first of `oldKeys`. */
export function readRecord(stored: StoredKeyRecord): KeyRecord {
  const { retired, ...record } = stored;
  if (retired && !record.oldKeys?.some((o) => o.fingerprint === retired.fingerprint))
    record.oldKeys = [retired, ...(record.oldKeys ?? [])];
  return record;
}

/** The record after a rotation set `old` aside: appended to the old keys (once, if that key was rotated out before). */
export function withOldKey(record: KeyRecord, old: RetiredKey): KeyRecord {
  const others = (record.oldKeys ?? []).filter((o) => o.fingerprint !== old.fingerprint);
  return { ...record, oldKeys: [...others, old] };
}

/** The record with one old key changed, or taken out when `change` returns undefined. */
export function withOldKeyChanged(
  record: KeyRecord,
  fingerprint: string,
  change: (old: RetiredKey) => RetiredKey | undefined,
): KeyRecord {
  const oldKeys = (record.oldKeys ?? []).flatMap((o) => (o.fingerprint === fingerprint ? (change(o) ?? []) : [o]));
  const next: KeyRecord = { ...record, oldKeys };
  if (oldKeys.length === 0) delete next.oldKeys;
  return next;
}

/** The old keys not yet proven revoked. */
export function pendingOldKeys(record: KeyRecord): RetiredKey[] {
  return (record.oldKeys ?? []).filter((o) => !o.revokedAt);
}

/** A problem with a key name, or undefined when it can be used. */
export function keyNameProblem(raw: string, existing: readonly KeyRecord[], exceptId?: string): string | undefined {
  const name = raw.trim();
  if (name === '') return 'Enter a name for the key, e.g. Production, Staging or CI/CD.';
  const secretLike = keyLabelProblem(name);
  if (secretLike) return secretLike;
  if (name.length > MAX_NAME_LENGTH)
    return `A key name has at most ${MAX_NAME_LENGTH} characters; this one has ${name.length}.`;
  const clash = existing.find((k) => k.id !== exceptId && k.name.toLowerCase() === name.toLowerCase());
  if (clash) return `A key named "${clash.name}" already exists. Key names must be unique.`;
  return undefined;
}

/**
 * The last test to keep after a new one: a cancelled test says nothing about the key, so it never replaces a
 * real result (it is kept only when there is none).
 */
export function keptLastTest(previous: LastTest | undefined, result: KeyTestResult): LastTest {
  return result.verdict === 'cancelled' && previous ? previous : lastTestOf(result);
}

export function lastTestOf(result: KeyTestResult): LastTest {
  const last: LastTest = {
    verdict: result.verdict,
    verdictClass: result.verdictClass,
    durationMs: result.durationMs,
    testedAt: result.testedAt,
  };
  if (result.status !== undefined) last.status = result.status;
  return last;
}

export function environmentLabel(baseUrl: string): string {
  if (isProduction({ baseUrl })) return 'production';
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 days ago", "just now". */
export function timeAgo(iso: string, now: Date = new Date()): string {
  const seconds = Math.round((now.getTime() - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return 'at an unknown time';
  if (seconds < 45) return 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(-Math.round(seconds / size), unit);
  }
  return format.format(-Math.max(1, Math.round(seconds / 60)), 'minute');
}

/** "Valid · 200 · 84 ms · 5 minutes ago", or "not tested yet". */
export function describeLastTest(last: LastTest | undefined, now: Date = new Date()): string {
  if (!last) return 'not tested yet';
  const parts: string[] = [VERDICT_LABELS[last.verdict]];
  if (last.status !== undefined) parts.push(String(last.status));
  parts.push(`${Math.round(last.durationMs)} ms`, timeAgo(last.testedAt, now));
  return parts.join(' · ');
}

/** The old key's row under its key: "Old key sk_••••abcd" and what is known about its revocation. */
export function describeRetired(retired: RetiredKey, now: Date = new Date()): { label: string; description: string } {
  const label = `Old key ${retired.maskedSecret}`;
  if (retired.revokedAt) return { label, description: `revoked (401) ${timeAgo(retired.revokedAt, now)}` };
  const check = retired.lastCheck;
  const still =
    check?.verdictClass === 'ok'
      ? ` · still works (${check.status ?? VERDICT_LABELS[check.verdict]}) ${timeAgo(check.testedAt, now)}`
      : check
        ? ` · last check inconclusive (${VERDICT_LABELS[check.verdict]})`
        : '';
  return { label, description: `pending revocation since ${timeAgo(retired.rotatedAt, now)}${still}` };
}

/** A masked key as words, for screen readers: "key ending in abcd" rather than eight "bullet"s. */
export function spokenMask(masked: string): string {
  const tail = masked.replace(/^.*•/, '');
  return tail === masked ? 'masked key' : `key ending in ${tail}`;
}

/** Every mask in a text (`sk_••••••••abcd`, as `redact` writes them) as "key ending in abcd". */
export function speakMasks(text: string): string {
  return text.replace(/(?:sk_)?•+([A-Za-z0-9_-]{0,4})/g, (_, tail: string) =>
    tail ? `key ending in ${tail}` : 'masked key',
  );
}

export function isProduction(record: Pick<KeyRecord, 'baseUrl'>): boolean {
  return record.baseUrl.replace(/\/+$/, '') === PRODUCTION_BASE_URL;
}

export type GroupingMode = 'auto' | 'always' | 'never';

/**
 * The key list's groups, or undefined for a flat list: 'auto' groups when the keys use more than one environment.
 * Production comes first (it is the one to be careful with), then the others by name.
 */
export function groupByEnvironment(
  records: readonly KeyRecord[],
  mode: GroupingMode,
): { baseUrl: string; keys: KeyRecord[] }[] | undefined {
  if (mode === 'never') return undefined;
  const groups = new Map<string, KeyRecord[]>();
  for (const record of records) {
    const url = record.baseUrl.replace(/\/+$/, '');
    groups.set(url, [...(groups.get(url) ?? []), record]);
  }
  if (mode !== 'always' && groups.size < 2) return undefined;
  const rank = (url: string) => (isProduction({ baseUrl: url }) ? '0' : `1${environmentLabel(url)}`);
  return [...groups].sort(([a], [b]) => rank(a).localeCompare(rank(b))).map(([baseUrl, keys]) => ({ baseUrl, keys }));
}

export interface TestAllResult {
  name: string;
  verdict: Verdict;
  status?: number;
}

/** "Tested 3 keys: 2 valid, 1 failed ("CI/CD": Forbidden (403)). Not tested: "Live"." */
export function summarizeTestAll(
  results: readonly TestAllResult[],
  skipped: readonly string[],
  cancelled: boolean,
): string {
  const valid = results.filter((r) => r.verdict === 'valid').length;
  const failed = results.filter((r) => r.verdict !== 'valid');
  const parts = [
    `${cancelled ? 'Cancelled after' : 'Tested'} ${results.length} ${results.length === 1 ? 'key' : 'keys'}: ${valid} valid`,
  ];
  if (failed.length > 0)
    parts[0] += `, ${failed.length} failed (${failed
      .map((r) => `"${r.name}": ${VERDICT_LABELS[r.verdict]}${r.status !== undefined ? ` (${r.status})` : ''}`)
      .join('; ')})`;
  if (skipped.length > 0) parts.push(`Not tested: ${skipped.map((n) => `"${n}"`).join(', ')}`);
  return `${parts.join('. ')}.`;
}

/** `SIGNUS_API_KEY=sk_…`: a dotenv line. Keys hold no characters that need quoting. */
export function envLine(secret: string): string {
  return `SIGNUS_API_KEY=${secret}`;
}

export function newKeyId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
