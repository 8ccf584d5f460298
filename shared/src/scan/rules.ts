/**
 * The detection rules, kept as data for the one engine in detect.ts (as gitleaks does): each rule is
 * anchored on fixed text. The engine finds that text with indexOf first and only then runs the rule's
 * sticky regex at the hit, because in V8 a regex that starts with a character class scans ~100× slower.
 */
import { KEY_BODY_CHARS, KEY_MIN_BODY_LENGTH, KEY_PREFIX } from '../key-format.js';
import type { SecretEncoding } from './types.js';

export const SHAPE_RULE_ID = 'signus-api-key';
export const KNOWN_RULE_ID = 'signus-known-key';

export interface Rule {
  /** Which candidate this is: the SARIF rule a finding gets is SHAPE_RULE_ID or KNOWN_RULE_ID. */
  id: string;
  /** Fixed text every match starts with. */
  keyword: string;
  /** Sticky (`y`) and starting with `keyword`; run only at keyword hits. */
  pattern: RegExp;
  /**
   * One unit of what the pattern repeats after the keyword (a character or an escape), as regex source.
   * The engine uses it to find where a run ends once, however many keyword hits the run holds.
   */
  token: string;
  /** The character before the keyword must not be one of these (so `task_…` never matches `sk_`). */
  boundaryChars?: RegExp;
  /** A finding even when no known key matches (key-shaped); else only a known key's fingerprint counts. */
  reportUnknown: boolean;
  encoding: SecretEncoding;
}

const bodyChar = new RegExp(`[${KEY_BODY_CHARS}]`);

export const RULES: readonly Rule[] = [
  {
    id: 'key-shaped',
    keyword: KEY_PREFIX,
    pattern: new RegExp(`${KEY_PREFIX}[${KEY_BODY_CHARS}]{${KEY_MIN_BODY_LENGTH},}`, 'y'),
    token: `[${KEY_BODY_CHARS}]`,
    boundaryChars: bodyChar,
    reportUnknown: true,
    encoding: 'plain',
  },
  // A known key glued to other text (`tokensk_…`) is not key-shaped in context, but its hash still matches.
  {
    id: 'known-plain-glued',
    keyword: KEY_PREFIX,
    pattern: new RegExp(`${KEY_PREFIX}[${KEY_BODY_CHARS}]{${KEY_MIN_BODY_LENGTH},}`, 'y'),
    token: `[${KEY_BODY_CHARS}]`,
    reportUnknown: false,
    encoding: 'plain',
  },
  {
    id: 'known-url',
    keyword: KEY_PREFIX,
    pattern: /sk_(?:[A-Za-z0-9_.~-]|%[0-9A-Fa-f]{2}){20,}/y,
    token: '[A-Za-z0-9_.~-]|%[0-9A-Fa-f]{2}',
    reportUnknown: false,
    encoding: 'url',
  },
  {
    id: 'known-json',
    keyword: KEY_PREFIX,
    pattern: /sk_(?:[^"\\\s]|\\(?:u[0-9A-Fa-f]{4}|[^u])){20,}/y,
    token: '[^"\\\\\\s]|\\\\(?:u[0-9A-Fa-f]{4}|[^u])',
    reportUnknown: false,
    encoding: 'json',
  },
  // base64 of text starting with `sk_` always starts with `c2tf`; a key of 23+ characters makes 32+.
  // (Every known-only rule asks for a key's minimum length, so common words like `task_id` are never hashed.)
  {
    id: 'known-base64',
    keyword: 'c2tf',
    pattern: /c2tf[A-Za-z0-9+/]{27,}={0,2}/y,
    token: '[A-Za-z0-9+/]',
    reportUnknown: false,
    encoding: 'base64',
  },
  {
    id: 'known-base64url',
    keyword: 'c2tf',
    pattern: /c2tf[A-Za-z0-9_-]{27,}/y,
    token: '[A-Za-z0-9_-]',
    reportUnknown: false,
    encoding: 'base64',
  },
];

/**
 * A POSIX extended regex that matches every line any rule could report on (and more): `sk_` followed by
 * 20 non-space characters, or `c2tf` followed by 27 base64 characters. The hook hands it to
 * `git diff -G` so a commit with no such line is passed without starting node at all.
 * Kept in step with RULES by a test.
 */
export const CANDIDATE_LINE_ERE = 'sk_[^[:space:]]{20}|c2tf[A-Za-z0-9+/_-]{27}';

export const RULE_DESCRIPTIONS: Record<string, { name: string; short: string; full: string }> = {
  [SHAPE_RULE_ID]: {
    name: 'SignusApiKey',
    short: 'A string shaped like a Signus API key',
    full: 'Text that looks like a Signus API secret (sk_ followed by a random body). Keys in source code leak when the code is shared or pushed.',
  },
  [KNOWN_RULE_ID]: {
    name: 'SignusKnownKey',
    short: 'One of your own Signus API keys',
    full: 'The SHA-256 of this text matches one of your own Signus API keys (or its base64, URL-encoded or JSON-escaped form), listed in your known-keys file.',
  },
};
