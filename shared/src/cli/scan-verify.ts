/**
 * `signus scan --verify`: each distinct key found is sent once, with the key test's request, to the
 * configured base URL only, and every finding of it gets the label. Opt-in only: verifying sends the
 * key over the network, which a scan never does by itself.
 */
import { parseAccountId, parseBaseUrl } from '../key-input.js';
import type { FetchLike } from '../http.js';
import { accountIdNear, secretAt, verifyKeys, type KeyVerification, type VerificationLabel } from '../verify/index.js';
import { readCommitMessage, readFindingSource, type FindingSource } from '../node/finding-source.js';
import type { HistoryFinding } from '../node/history/scan-history.js';
import { tagMessage } from '../node/history/pre-push.js';
import type { FileFinding } from '../node/scan-files.js';
import { UsageError } from './io.js';
import { plural } from './words.js';

export interface VerifyConfig {
  baseUrl: string;
  timeoutMs: number;
  /** Given on the command line or in the environment; else each key's own (written next to it). */
  accountId?: { id: string; from: '--account-id' | 'SIGNUS_ACCOUNT_ID' };
  allowLiveBaselined: boolean;
  /** For a base URL that would carry keys unencrypted. */
  warning?: string;
}

export interface FindingVerification extends KeyVerification {
  /** Where the Account ID came from: "--account-id", "SIGNUS_ACCOUNT_ID" or "path:line" next to the key. */
  accountIdFrom?: string;
  /** The finding is in the baseline but reported anyway, because the key is live. */
  liveInBaseline?: boolean;
}

export interface VerificationSummary {
  baseUrl: string;
  keys: number;
  counts: Record<VerificationLabel, number>;
  durationMs: number;
}

export const DEFAULT_VERIFY_TIMEOUT_SECONDS = 10;

/**
 * Only SIGNUS_-prefixed variables: a CI job's BASE_URL or ACCOUNT_ID usually belongs to another service,
 * and a key must never be sent there.
 */
export function verifyConfig(
  values: { 'base-url'?: string; 'account-id'?: string; 'verify-timeout'?: string; 'allow-live-baselined'?: boolean },
  env: NodeJS.ProcessEnv,
): VerifyConfig {
  const base = parseBaseUrl(values['base-url'] ?? env.SIGNUS_BASE_URL);
  if (!base.baseUrl) throw new UsageError(`Bad base URL: ${base.problem?.message}`);
  const raw = values['account-id'] ?? env.SIGNUS_ACCOUNT_ID;
  let accountId: VerifyConfig['accountId'];
  if (raw !== undefined) {
    const parsed = parseAccountId(raw);
    if (!parsed.accountId) throw new UsageError(`Bad Account ID: ${parsed.problem?.message}`);
    accountId = {
      id: parsed.accountId,
      from: values['account-id'] !== undefined ? '--account-id' : 'SIGNUS_ACCOUNT_ID',
    };
  }
  const seconds = Number(values['verify-timeout'] ?? DEFAULT_VERIFY_TIMEOUT_SECONDS);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`--verify-timeout must be a number of seconds above 0, not "${values['verify-timeout']}".`);
  return {
    baseUrl: base.baseUrl,
    timeoutMs: Math.round(seconds * 1000),
    ...(accountId && { accountId }),
    allowLiveBaselined: values['allow-live-baselined'] === true,
    ...(base.warning && { warning: base.warning }),
  };
}

/** The --verify options, as every scan mode takes them (node:util parseArgs). */
export const VERIFY_ARG_OPTIONS = {
  verify: { type: 'boolean', default: false },
  'account-id': { type: 'string' },
  'base-url': { type: 'string' },
  'verify-timeout': { type: 'string' },
  'allow-live-baselined': { type: 'boolean', default: false },
} as const;

type VerifyValues = Parameters<typeof verifyConfig>[0] & { verify?: boolean; 'write-baseline'?: string };

/** The verification to run, or undefined without --verify (then its other options are refused). */
export function verifyOptions(values: VerifyValues, env: NodeJS.ProcessEnv): VerifyConfig | undefined {
  if (!values.verify) {
    const needsVerify = ['account-id', 'base-url', 'verify-timeout', 'allow-live-baselined'] as const;
    const given = needsVerify.find((name) => values[name] !== undefined && values[name] !== false);
    if (given) throw new UsageError(`--${given} goes with --verify (keys are never sent anywhere without it).`);
    return undefined;
  }
  if (values['write-baseline'] !== undefined)
    throw new UsageError('--verify does not go with --write-baseline: a baseline records findings, not labels.');
  return verifyConfig(values, env);
}

interface Group<T> {
  key: string;
  items: T[];
  accountId?: string;
  accountIdFrom?: string;
}

/** The text an item was found in, read again, its position in it, and how to name that place. */
export interface LocatedText {
  text: string;
  at: Parameters<typeof secretAt>[1];
  /** "path" (the Account ID line is appended as ":line"), or "path … in commit abc" via `describe`. */
  describe: (line: number) => string;
}

export interface VerifyResult<T> {
  verifications: Map<T, FindingVerification>;
  summary: VerificationSummary;
}

/**
 * Verifies any kind of finding: `locate` reads each one's text back (undefined: it cannot be read any more).
 * Each distinct key is sent once; its Account ID is the configured one, else the first found next to it.
 */
export async function verifyLocated<T>(
  items: readonly T[],
  locate: (item: T) => Promise<LocatedText | undefined>,
  nameOf: (item: T) => string,
  config: VerifyConfig,
  fetch?: FetchLike,
): Promise<VerifyResult<T>> {
  const started = Date.now();
  const verifications = new Map<T, FindingVerification>();
  const groups = new Map<string, Group<T>>();
  // Items whose text cannot be read back count once each: they may be distinct keys.
  let unreadable = 0;
  for (const item of items) {
    const located = await locate(item);
    const key = located === undefined ? undefined : await secretAt(located.text, located.at);
    if (key === undefined) {
      verifications.set(item, {
        label: 'unknown',
        why: `not checked: ${nameOf(item)} no longer holds the text that was found there.`,
        durationMs: 0,
      });
      unreadable++;
      continue;
    }
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, items: [] }));
    group.items.push(item);
    if (!config.accountId && group.accountId === undefined) {
      const near = accountIdNear(located!.text, located!.at.line);
      if (near) {
        group.accountId = near.accountId;
        group.accountIdFrom = located!.describe(near.line);
      }
    }
  }
  const all = [...groups.values()];
  if (config.accountId)
    for (const group of all) {
      group.accountId = config.accountId.id;
      group.accountIdFrom = config.accountId.from;
    }
  const checkable = all.filter((g) => g.accountId !== undefined);
  const results = await verifyKeys(
    checkable.map((g) => ({ secret: g.key, accountId: g.accountId! })),
    { baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, ...(fetch && { fetch }) },
  );
  const byGroup = new Map<Group<T>, FindingVerification>();
  checkable.forEach((g, i) => byGroup.set(g, { ...results[i]!, accountIdFrom: g.accountIdFrom! }));
  const counts: Record<VerificationLabel, number> = { live: 0, 'other-workspace': 0, revoked: 0, unknown: unreadable };
  for (const group of all) {
    const verification = byGroup.get(group) ?? {
      label: 'unknown',
      why: 'not checked: no Account ID. Pass --account-id or set SIGNUS_ACCOUNT_ID, or write it next to the key.',
      durationMs: 0,
    };
    counts[verification.label]++;
    for (const item of group.items) verifications.set(item, verification);
  }
  return {
    verifications,
    summary: { baseUrl: config.baseUrl, keys: all.length + unreadable, counts, durationMs: Date.now() - started },
  };
}

/** Findings of a tree or staged scan: read back from the working tree or the index. */
export async function verifyFindings(
  findings: readonly FileFinding[],
  source: FindingSource,
  config: VerifyConfig,
  fetch?: FetchLike,
): Promise<VerifyResult<FileFinding>> {
  const texts = new Map<string, Promise<string | undefined>>();
  return verifyLocated(
    findings,
    async (finding) => {
      let text = texts.get(finding.path);
      if (!text) texts.set(finding.path, (text = readFindingSource(source, finding.path)));
      const content = await text;
      return content === undefined
        ? undefined
        : { text: content, at: finding, describe: (line) => `${finding.path}:${line}` };
    },
    (finding) => finding.path,
    config,
    fetch,
  );
}

/**
 * Findings of a history scan (one per key): the key is read back from the blob (or the message) of the
 * commit that first added it, and an Account ID is looked for next to it there.
 */
export async function verifyHistoryFindings(
  findings: readonly HistoryFinding[],
  top: string,
  config: VerifyConfig,
  fetch?: FetchLike,
): Promise<VerifyResult<HistoryFinding>> {
  const place = (f: HistoryFinding) => {
    const { commit, path, tag } = f.introduced;
    if (tag) return `the message of tag ${tag.name}`;
    return path === null ? `the message of commit ${commit.slice(0, 10)}` : `${path} in commit ${commit.slice(0, 10)}`;
  };
  return verifyLocated(
    findings,
    async (f) => {
      const { commit, path } = f.introduced;
      const tag = f.introduced.tag;
      const text = tag
        ? await tagMessage(top, tag.object).catch(() => undefined)
        : path === null
          ? await readCommitMessage(top, commit)
          : await readFindingSource({ kind: 'commit', top, commit }, path);
      if (text === undefined) return undefined;
      const at = { ...f.introduced, fingerprint: f.fingerprint, encoding: f.encoding };
      return {
        text,
        at,
        describe: (line) =>
          path === null ? `line ${line} of ${place(f)}` : `${path}:${line} in commit ${commit.slice(0, 10)}`,
      };
    },
    place,
    config,
    fetch,
  );
}

/**
 * Drops the findings a baseline records, except a live key: the baseline was written before anyone knew it
 * works, so it stays reported (and marked) unless --allow-live-baselined.
 */
export function withoutBaselined<T extends { verification?: FindingVerification }>(
  findings: readonly T[],
  inBaseline: (finding: T) => boolean,
  allowLiveBaselined: boolean,
): { kept: T[]; baselined: number } {
  const kept = findings.flatMap((f) => {
    if (!inBaseline(f)) return [f];
    if (f.verification?.label !== 'live' || allowLiveBaselined) return [];
    return [{ ...f, verification: { ...f.verification, liveInBaseline: true } }];
  });
  return { kept, baselined: findings.length - kept.length };
}

/** "Verified 3 distinct keys against https://api.signus.ai in 120 ms: 1 live, 2 revoked." */
export function verificationLine(summary: VerificationSummary): string {
  const parts = (Object.entries(summary.counts) as [VerificationLabel, number][])
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${n} ${label}`);
  return `Verified ${plural(summary.keys, 'distinct key')} against ${summary.baseUrl} in ${summary.durationMs} ms${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}
