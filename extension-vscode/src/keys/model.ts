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

/** The old value kept after a rotation until "Verify old key is revoked" sees a 401. */
export function retiredSecretKey(id: string): string {
  return `signus.retired.${id}`;
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
  if (baseUrl.replace(/\/+$/, '') === PRODUCTION_BASE_URL) return 'production';
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

/** `SIGNUS_API_KEY=sk_…`: a dotenv line. Keys hold no characters that need quoting. */
export function envLine(secret: string): string {
  return `SIGNUS_API_KEY=${secret}`;
}

export function newKeyId(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
