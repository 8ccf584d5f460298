import { maskSecret } from '../mask.js';
import { isAllowedByComment } from './allow.js';
import { findCandidates, type Candidate } from './detect.js';
import { fingerprintSecret, keyInBase64 } from './fingerprint.js';
import type { IgnoreRules } from './ignore-rules.js';
import type { KnownKeySet } from './known-keys.js';
import { isNonKey } from './filters.js';
import { isPlaceholderKey } from './placeholder.js';
import { LineCursor, lineEnd } from './position.js';
import { KNOWN_RULE_ID, SHAPE_RULE_ID } from './rules.js';
import type { Finding } from './types.js';

export interface ScanTextOptions {
  /** Path relative to the scanned root, for .signusignore path globs. */
  path?: string;
  knownKeys?: KnownKeySet;
  ignore?: IgnoreRules;
}

/** Findings in `text`, in order. Allowed, ignored and placeholder matches are left out. */
export async function scanText(text: string, options: ScanTextOptions = {}): Promise<Finding[]> {
  const { path, knownKeys, ignore } = options;
  if (path !== undefined && ignore?.isPathIgnored(path)) return [];
  const hasKnown = knownKeys !== undefined && knownKeys.labels.size > 0;
  const candidates = findCandidates(text, hasKnown);
  if (candidates.length === 0) return [];

  const hashes = new Map<string, Promise<string>>();
  const hash = (s: string): Promise<string> => {
    let h = hashes.get(s);
    if (!h) hashes.set(s, (h = fingerprintSecret(s)));
    return h;
  };

  const findings: Finding[] = [];
  const cursor = new LineCursor(text);
  let coveredUntil = -1;
  for (const group of groupByOffset(candidates)) {
    const offset = group[0]!.offset;
    if (offset < coveredUntil) continue;
    const found = await decide(text, group, hasKnown ? knownKeys : undefined, hash);
    if (!found) continue;
    if (ignore?.fingerprints.has(found.fingerprint)) continue;
    const { line, column, lineStart } = cursor.at(offset);
    if (isAllowedByComment(text, lineStart, lineEnd(text, lineStart))) continue;
    coveredUntil = offset + found.secret.length;
    findings.push(toFinding(found, offset, line, column));
  }
  return findings;
}

interface Decision {
  secret: string;
  fingerprint: string;
  known?: { label: string; encoding: NonNullable<Finding['encoding']> };
}

async function decide(
  text: string,
  group: Candidate[],
  knownKeys: KnownKeySet | undefined,
  hash: (s: string) => Promise<string>,
): Promise<Decision | undefined> {
  if (knownKeys) {
    for (const c of group) {
      const fingerprint = await hash(c.secret);
      let label = knownKeys.labels.get(fingerprint);
      if (label === undefined && c.rule.encoding === 'base64') {
        // Base64 of the key and more (a newline from `echo $KEY | base64`): the decoded key's own fingerprint.
        const key = keyInBase64(c.secret);
        if (key !== undefined) label = knownKeys.labels.get(await hash(key));
      }
      if (label !== undefined) return { secret: c.secret, fingerprint, known: { label, encoding: c.rule.encoding } };
    }
  }
  const shaped = group.find((c) => c.rule.reportUnknown);
  if (!shaped || isPlaceholderKey(shaped.secret)) return undefined;
  if (isNonKey({ secret: shaped.secret, text, offset: shaped.offset })) return undefined;
  return { secret: shaped.secret, fingerprint: await hash(shaped.secret) };
}

function toFinding(d: Decision, offset: number, line: number, column: number): Finding {
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
      severity: 'error',
      message: `Your Signus API key "${d.known.label}" is in this file${form}.`,
      ...base,
      knownKeyLabel: d.known.label,
      encoding: d.known.encoding,
    };
  }
  return {
    ruleId: SHAPE_RULE_ID,
    severity: 'warning',
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
