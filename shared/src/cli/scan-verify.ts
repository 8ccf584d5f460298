/**
 * `signus scan --verify`: each distinct key found is sent once, with the key test's request, to the
 * configured base URL only, and every finding of it gets the label. Opt-in only: verifying sends the
 * key over the network, which a scan never does by itself.
 */
import { parseAccountId, parseBaseUrl } from '../key-input.js';
import type { FetchLike } from '../http.js';
import { accountIdNear, secretAt, verifyKeys, type KeyVerification, type VerificationLabel } from '../verify/index.js';
import { readFindingSource, type FindingSource } from '../node/finding-source.js';
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

interface Group {
  key: string;
  findings: FileFinding[];
  accountId?: string;
  accountIdFrom?: string;
}

export async function verifyFindings(
  findings: readonly FileFinding[],
  source: FindingSource,
  config: VerifyConfig,
  fetch?: FetchLike,
): Promise<{ verifications: Map<FileFinding, FindingVerification>; summary: VerificationSummary }> {
  const started = Date.now();
  const verifications = new Map<FileFinding, FindingVerification>();
  const texts = new Map<string, Promise<string | undefined>>();
  const groups = new Map<string, Group>();
  // Findings whose text cannot be read back count once each: they may be distinct keys.
  let unreadable = 0;
  for (const finding of findings) {
    let text = texts.get(finding.path);
    if (!text) texts.set(finding.path, (text = readFindingSource(source, finding.path)));
    const content = await text;
    const key = content === undefined ? undefined : await secretAt(content, finding);
    if (key === undefined) {
      verifications.set(finding, {
        label: 'unknown',
        why: `not checked: ${finding.path} no longer holds the text that was found there.`,
        durationMs: 0,
      });
      unreadable++;
      continue;
    }
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, findings: [] }));
    group.findings.push(finding);
    if (!config.accountId && group.accountId === undefined) {
      const near = accountIdNear(content!, finding.line);
      if (near) {
        group.accountId = near.accountId;
        group.accountIdFrom = `${finding.path}:${near.line}`;
      }
    }
  }
  const all = [...groups.values()];
  for (const group of all) {
    if (config.accountId) {
      group.accountId = config.accountId.id;
      group.accountIdFrom = config.accountId.from;
    }
  }
  const checkable = all.filter((g) => g.accountId !== undefined);
  const results = await verifyKeys(
    checkable.map((g) => ({ secret: g.key, accountId: g.accountId! })),
    { baseUrl: config.baseUrl, timeoutMs: config.timeoutMs, ...(fetch && { fetch }) },
  );
  const byGroup = new Map<Group, FindingVerification>();
  checkable.forEach((g, i) => byGroup.set(g, { ...results[i]!, accountIdFrom: g.accountIdFrom! }));
  const counts: Record<VerificationLabel, number> = { live: 0, 'other-workspace': 0, revoked: 0, unknown: unreadable };
  for (const group of all) {
    const verification = byGroup.get(group) ?? {
      label: 'unknown',
      why: 'not checked: no Account ID. Pass --account-id or set SIGNUS_ACCOUNT_ID, or write it next to the key.',
      durationMs: 0,
    };
    counts[verification.label]++;
    for (const finding of group.findings) verifications.set(finding, verification);
  }
  return {
    verifications,
    summary: {
      baseUrl: config.baseUrl,
      keys: all.length + unreadable,
      counts,
      durationMs: Date.now() - started,
    },
  };
}

/** "Verified 3 distinct keys against https://api.signus.ai in 120 ms: 1 live, 2 revoked." */
export function verificationLine(summary: VerificationSummary): string {
  const parts = (Object.entries(summary.counts) as [VerificationLabel, number][])
    .filter(([, n]) => n > 0)
    .map(([label, n]) => `${n} ${label}`);
  return `Verified ${plural(summary.keys, 'distinct key')} against ${summary.baseUrl} in ${summary.durationMs} ms${parts.length ? `: ${parts.join(', ')}` : ''}.`;
}
