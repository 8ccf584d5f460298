import { maskSecret } from '../mask.js';
import { quoteText } from '../safe-text.js';
import { isAllowedByComment } from './allow.js';
import { CandidateFinder, type Candidate, type WorkMeter } from './detect.js';
import type { IgnoreRules } from './ignore-rules.js';
import type { KnownKeySet } from './known-keys.js';
import { keyInBase64 } from './fingerprint.js';
import { isNonKey } from './filters.js';
import { isPlaceholderKey } from './placeholder.js';
import { LineCursor, lineEnd } from './position.js';
import { KNOWN_RULE_ID, RULE_METADATA, SHAPE_RULE_ID } from './rules.js';
import { sha256Hex } from './sha256.js';
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
/** Distinct candidates hashed and remembered per file; then the memo starts again (bounded memory). */
const HASH_MEMO_SIZE = 4096;

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

  // Each distinct candidate is hashed once: `sk_…` repeated a million times costs one hash.
  const hashes = new Map<string, string>();
  const hash = (s: string): string => {
    let h = hashes.get(s);
    if (h === undefined) {
      if (hashes.size >= HASH_MEMO_SIZE) hashes.clear();
      h = sha256Hex(s);
      if (meter) meter.hashes++;
      hashes.set(s, h);
    }
    return h;
  };

  const finder = new CandidateFinder(text, hasKnown, meter);
  const cursor = new LineCursor(text);
  let coveredUntil = -1;
  let allowLine = -1;
  let allowed = false;
  for (let from = 0; from < text.length; from += WINDOW) {
    for (const group of groupByOffset(finder.between(from, from + WINDOW))) {
      const offset = group[0]!.offset;
      if (offset < coveredUntil) continue;
      const { line, column, lineStart } = cursor.at(offset);
      if (lineStart !== allowLine) {
        allowLine = lineStart;
        allowed = isAllowedByComment(text, lineStart, lineEnd(text, lineStart));
      }
      if (allowed) continue;
      // Past the cap a finding is only counted: its fingerprint is needed only to honour .signusignore.
      const listing = result.findings.length < maxFindings;
      const found = decide(text, group, hasKnown ? knownKeys : undefined, hash, listing || ignoredFingerprints);
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
  known?: { label: string; encoding: NonNullable<Finding['encoding']> };
}

function decide(
  text: string,
  group: Candidate[],
  knownKeys: KnownKeySet | undefined,
  hash: (s: string) => string,
  needFingerprint: boolean,
): Decision | undefined {
  if (knownKeys) {
    let previous: Candidate | undefined;
    let fingerprint = '';
    for (const c of group) {
      if (previous?.secret !== c.secret) fingerprint = hash(c.secret);
      previous = c;
      let label = knownKeys.labels.get(fingerprint);
      if (label === undefined && c.rule.encoding === 'base64') {
        // Base64 of the key and more (a newline from `echo $KEY | base64`): the decoded key's own fingerprint.
        const key = keyInBase64(c.secret);
        if (key !== undefined) label = knownKeys.labels.get(hash(key));
      }
      if (label !== undefined) return { secret: c.secret, fingerprint, known: { label, encoding: c.rule.encoding } };
    }
  }
  const shaped = group.find((c) => c.rule.reportUnknown);
  if (!shaped || isPlaceholderKey(shaped.secret)) return undefined;
  if (isNonKey({ secret: shaped.secret, text, offset: shaped.offset })) return undefined;
  return { secret: shaped.secret, fingerprint: needFingerprint ? hash(shaped.secret) : undefined };
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
      message: `Your Signus API key ${quoteText(d.known.label)} is in this file${form}.`,
      ...base,
      knownKeyLabel: d.known.label,
      encoding: d.known.encoding,
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

function groupByOffset(candidates: Candidate[]): Candidate[][] {
  const groups: Candidate[][] = [];
  for (const c of candidates) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.offset === c.offset) last.push(c);
    else groups.push([c]);
  }
  return groups;
}
