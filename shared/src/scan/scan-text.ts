import { maskSecret } from '../mask.js';
import { quoteText } from '../safe-text.js';
import { isAllowedByComment } from './allow.js';
import { CandidateFinder, type Candidate, type WorkMeter } from './detect.js';
import type { IgnoreRules } from './ignore-rules.js';
import type { KnownKeySet } from './known-keys.js';
import { keyInBase64 } from './fingerprint.js';
import { bodyVerdict, rejectedByContext } from './filters.js';
import { isPlaceholderKey } from './placeholder.js';
import { LineCursor, lineEnd } from './position.js';
import { KNOWN_RULE_ID, RULE_METADATA, SHAPE_RULE_ID } from './rules.js';
import { digestHex, sha256Words } from './sha256.js';
import type { Finding } from './types.js';

export interface ScanTextOptions {
  /** Path relative to the scanned root, for .signusignore path globs. */
  path?: string;
  knownKeys?: KnownKeySet;
  ignore?: IgnoreRules;
  /** Findings listed at most; the rest are only counted (memory stays bounded on any file). */
  maxFindings?: number;
  meter?: WorkMeter;
}

/** Enough for any real file; a file with more holds generated or test data, and says how many more. */
export const MAX_FINDINGS_PER_FILE = 200;

export interface TextScanResult {
  /** In order, at most `maxFindings`. */
  findings: Finding[];
  /** Findings past `maxFindings`: counted, not listed. */
  omitted: number;
}

/** Candidates are collected a window at a time, so their number in memory stays bounded too. */
const WINDOW = 1 << 16;
/** Distinct candidates remembered per file (hash, verdict), in a direct-mapped table: bounded memory. */
const MEMO_SLOTS = 4096;

/**
 * What is known about one distinct candidate text: each part worked out at most once. A class with
 * every field set up front, so all of them share one shape (fast property access on a hot path).
 */
class Seen {
  /** The first word of its SHA-256, once hashed. */
  head: number | undefined = undefined;
  /** The hex SHA-256, once hashed and needed (a listed finding, .signusignore, or a known key's first word). */
  fingerprint: string | undefined = undefined;
  /** The known key's label, or null for none, once looked up. */
  label: string | null | undefined = undefined;
  /** As a key-shaped candidate: placeholder or name (not a key), key, or up to the context. */
  verdict: 'not-key' | 'key' | 'context' | undefined = undefined;
}

/** The first digest word of every fingerprint: most candidates are told apart from known keys by it alone. */
const headsOf = new WeakMap<KnownKeySet, Set<number>>();
function knownHeads(knownKeys: KnownKeySet): Set<number> {
  let heads = headsOf.get(knownKeys);
  if (!heads) {
    heads = new Set([...knownKeys.labels.keys()].map((fp) => Number.parseInt(fp.slice(0, 8), 16) | 0));
    headsOf.set(knownKeys, heads);
  }
  return heads;
}

/**
 * Each distinct candidate's hash and verdict, worked out once per file: `sk_…` repeated a million
 * times costs one hash and one verdict, and 25,000 distinct keys each cost one of each.
 */
class CandidateMemo {
  // A slot per (length, last characters) of the candidate, no Map: a Map insert costs more than the
  // verdict itself when every candidate is new. A collision only means working a candidate out again.
  private readonly keys: (string | undefined)[] = new Array<string | undefined>(MEMO_SLOTS);
  private readonly values: (Seen | undefined)[] = new Array<Seen | undefined>(MEMO_SLOTS);
  private readonly heads: Set<number> | undefined;

  constructor(
    private readonly knownKeys: KnownKeySet | undefined,
    private readonly meter: WorkMeter | undefined,
  ) {
    this.heads = knownKeys && knownHeads(knownKeys);
  }

  get(secret: string): Seen {
    const n = secret.length;
    const slot =
      (n * 7 +
        secret.charCodeAt(n - 1) * 31 +
        (secret.charCodeAt(n - 2) << 5) +
        (secret.charCodeAt(n - 3) << 9) +
        (secret.charCodeAt(n - 4) << 2)) &
      (MEMO_SLOTS - 1);
    if (this.keys[slot] === secret) return this.values[slot]!;
    const seen = new Seen();
    this.keys[slot] = secret;
    this.values[slot] = seen;
    return seen;
  }

  private hash(secret: string, seen: Seen, wantHex: boolean): void {
    if (this.meter) this.meter.hashes++;
    const words = sha256Words(secret);
    seen.head = words[0]!;
    if (wantHex || this.heads?.has(seen.head)) seen.fingerprint = digestHex(words);
  }

  fingerprint(secret: string, seen = this.get(secret)): string {
    if (seen.fingerprint === undefined) this.hash(secret, seen, true);
    return seen.fingerprint!;
  }

  /** The known key `secret` is, if any. `wantHex`: its fingerprint will be needed anyway. */
  label(secret: string, wantHex: boolean, seen = this.get(secret)): string | undefined {
    if (seen.label === undefined) {
      if (seen.head === undefined || (wantHex && seen.fingerprint === undefined)) this.hash(secret, seen, wantHex);
      const fp = seen.fingerprint;
      seen.label = (fp !== undefined ? this.knownKeys?.labels.get(fp) : undefined) ?? null;
    }
    return seen.label ?? undefined;
  }

  isRevoked(label: string): boolean {
    return this.knownKeys?.revokedLabels?.has(label) === true;
  }

  /** Whether a key-shaped candidate is a key here: placeholder and body tests once, context at each place. */
  isKey(candidate: Candidate, text: string, seen = this.get(candidate.secret)): boolean {
    if (seen.verdict === undefined) {
      if (this.meter) this.meter.verdicts++;
      seen.verdict = isPlaceholderKey(candidate.secret) ? 'not-key' : BODY_VERDICT[bodyVerdict(candidate.secret)];
    }
    if (seen.verdict !== 'context') return seen.verdict === 'key';
    return !rejectedByContext({ secret: candidate.secret, text, offset: candidate.offset });
  }
}

const BODY_VERDICT = { key: 'key', name: 'not-key', context: 'context' } as const;

/** Findings in `text`, in order. Allowed, ignored and placeholder matches are left out. */
export async function scanText(text: string, options: ScanTextOptions = {}): Promise<Finding[]> {
  return scanTextCounted(text, options).findings;
}

/** scanText, with the count of findings past the cap. Synchronous: every step is plain computation. */
export function scanTextCounted(text: string, options: ScanTextOptions = {}): TextScanResult {
  const { path, knownKeys, ignore, meter } = options;
  const maxFindings = options.maxFindings ?? MAX_FINDINGS_PER_FILE;
  const result: TextScanResult = { findings: [], omitted: 0 };
  if (path !== undefined && ignore?.isPathIgnored(path)) return result;
  const hasKnown = knownKeys !== undefined && knownKeys.labels.size > 0;
  const ignoredFingerprints = ignore !== undefined && ignore.fingerprints.size > 0;

  const memo = new CandidateMemo(hasKnown ? knownKeys : undefined, meter);

  const finder = new CandidateFinder(text, hasKnown, meter);
  const cursor = new LineCursor(text);
  let coveredUntil = -1;
  let allowLine = -1;
  let allowed = false;
  for (let from = 0; from < text.length; from += WINDOW) {
    const candidates = finder.between(from, from + WINDOW);
    // Candidates at one offset (one per rule that matched there) are decided together.
    for (let start = 0, end: number; start < candidates.length; start = end) {
      const offset = candidates[start]!.offset;
      end = start + 1;
      while (end < candidates.length && candidates[end]!.offset === offset) end++;
      if (offset < coveredUntil) continue;
      const { line, column, lineStart } = cursor.at(offset);
      if (lineStart !== allowLine) {
        allowLine = lineStart;
        allowed = isAllowedByComment(text, lineStart, lineEnd(text, lineStart));
      }
      if (allowed) continue;
      // Past the cap a finding is only counted: its fingerprint is needed only to honour .signusignore.
      const listing = result.findings.length < maxFindings;
      const found = decide(text, candidates, start, end, hasKnown, memo, listing || ignoredFingerprints);
      if (!found) continue;
      if (found.fingerprint !== undefined && ignore?.fingerprints.has(found.fingerprint)) continue;
      coveredUntil = offset + found.secret.length;
      if (listing) result.findings.push(toFinding(found as Decision & { fingerprint: string }, offset, line, column));
      else result.omitted++;
    }
  }
  return result;
}

interface Decision {
  secret: string;
  fingerprint: string | undefined;
  known?: { label: string; encoding: NonNullable<Finding['encoding']>; revoked: boolean };
}

/** The finding, if any, of the candidates [start, end), which share one offset. */
function decide(
  text: string,
  candidates: Candidate[],
  start: number,
  end: number,
  hasKnown: boolean,
  memo: CandidateMemo,
  needFingerprint: boolean,
): Decision | undefined {
  // The key-shaped verdict first (cheap, remembered per body): a key's fingerprint is then hashed as hex
  // straight away when it will be listed, instead of once for the known-key test and again for the listing.
  let shaped: Candidate | undefined;
  for (let i = start; i < end && !shaped; i++) if (candidates[i]!.rule.reportUnknown) shaped = candidates[i];
  const shapedSeen = shaped && memo.get(shaped.secret);
  const isKey = shaped !== undefined && memo.isKey(shaped, text, shapedSeen);
  if (hasKnown) {
    for (let i = start; i < end; i++) {
      const c = candidates[i]!;
      const sameAsShaped = c.secret === shaped?.secret;
      const seen = sameAsShaped ? shapedSeen! : memo.get(c.secret);
      let label = memo.label(c.secret, sameAsShaped && isKey && needFingerprint, seen);
      if (label === undefined && c.rule.encoding === 'base64') {
        // Base64 of the key and more (a newline from `echo $KEY | base64`): the decoded key's own fingerprint.
        const key = keyInBase64(c.secret);
        if (key !== undefined) label = memo.label(key, false);
      }
      if (label !== undefined)
        return {
          secret: c.secret,
          fingerprint: memo.fingerprint(c.secret, seen),
          known: { label, encoding: c.rule.encoding, revoked: memo.isRevoked(label) },
        };
    }
  }
  if (!isKey) return undefined;
  return {
    secret: shaped!.secret,
    fingerprint: needFingerprint ? memo.fingerprint(shaped!.secret, shapedSeen) : undefined,
  };
}

function toFinding(d: Decision & { fingerprint: string }, offset: number, line: number, column: number): Finding {
  const base = {
    line,
    column,
    endLine: line,
    endColumn: column + d.secret.length,
    offset,
    length: d.secret.length,
    masked: maskSecret(d.secret),
    fingerprint: d.fingerprint,
  };
  if (d.known) {
    const form =
      d.known.encoding === 'plain'
        ? ''
        : ` (${d.known.encoding === 'url' ? 'URL-encoded' : d.known.encoding === 'json' ? 'JSON-escaped' : 'base64-encoded'})`;
    return {
      ruleId: KNOWN_RULE_ID,
      severity: RULE_METADATA[KNOWN_RULE_ID].severity,
      message: d.known.revoked
        ? `Your revoked key ${quoteText(d.known.label)} is in this file${form}: it no longer works, but remove it.`
        : `Your Signus API key ${quoteText(d.known.label)} is in this file${form}.`,
      ...base,
      knownKeyLabel: d.known.label,
      encoding: d.known.encoding,
      ...(d.known.revoked && { revoked: true }),
    };
  }
  return {
    ruleId: SHAPE_RULE_ID,
    severity: RULE_METADATA[SHAPE_RULE_ID].severity,
    message: 'A Signus API key (or text shaped like one) is in this file.',
    ...base,
    encoding: 'plain',
  };
}
