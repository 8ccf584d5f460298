/**
 * The detection rules, kept as data for the one engine in detect.ts (as gitleaks does): each rule is
 * anchored on fixed text. The engine finds that text with indexOf first and only then runs the rule's
 * sticky regex at the hit, because in V8 a regex that starts with a character class scans ~100× slower.
 * Each rule is written once (RULE_SPECS); its regexes, the hook's `git diff -G` expression and the byte
 * prefilter's tables (prefilter.ts) are all generated from it when this module loads.
 */
import { KEY_BODY_CHARS, KEY_MIN_BODY_LENGTH, KEY_PREFIX } from '../key-format.js';
import { anyOf, jsClass, noneOf, posixBracket, union, type CharSet } from './charset.js';
import type { SecretEncoding, Severity } from './types.js';

export const SHAPE_RULE_ID = 'signus-api-key';
export const KNOWN_RULE_ID = 'signus-known-key';

/** An escape a rule accepts as one token, besides single characters. */
interface EscapeSpec {
  /** JavaScript regex source of one escape. */
  source: string;
  /** Every character an escape can contain (for git's `-G` and the byte prefilter). */
  chars: CharSet;
}

const HEX = '[0-9A-Fa-f]';
/** `%22`: URL encoding. */
const PERCENT_HEX: EscapeSpec = { source: `%${HEX}{2}`, chars: anyOf('%0-9A-Fa-f') };
/** `\u0022`, `\"`, `\/`: JSON string escapes (a backslash before white space is none). */
const BACKSLASH: EscapeSpec = { source: `\\\\(?:u${HEX}{4}|[^u\\s])`, chars: noneOf('', true) };

/** A rule as written: everything the matchers need is derived from this. */
interface RuleSpec {
  id: string;
  keyword: string;
  /** The characters that make up the match after the keyword, one token each. */
  chars: CharSet;
  escapes?: readonly EscapeSpec[];
  /** How many tokens at least follow the keyword. */
  minTokens: number;
  /** Regex source matched after the tokens (base64 padding). */
  tail?: string;
  /** The character before the keyword must not be one of `chars` (so `task_…` never matches `sk_`). */
  boundary?: boolean;
  reportUnknown: boolean;
  encoding: SecretEncoding;
}

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
  /** Every character a token can contain. */
  tokenChars: CharSet;
  minTokens: number;
  /** The character before the keyword must not be one of these (so `task_…` never matches `sk_`). */
  boundaryChars?: RegExp;
  boundarySet?: CharSet;
  /** A finding even when no known key matches (key-shaped); else only a known key's fingerprint counts. */
  reportUnknown: boolean;
  encoding: SecretEncoding;
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(spec: RuleSpec): Rule {
  const escapes = spec.escapes ?? [];
  const token = [jsClass(spec.chars), ...escapes.map((e) => e.source)].join('|');
  const repeated = escapes.length === 0 ? token : `(?:${token})`;
  return {
    id: spec.id,
    keyword: spec.keyword,
    pattern: new RegExp(`${escapeRegex(spec.keyword)}${repeated}{${spec.minTokens},}${spec.tail ?? ''}`, 'y'),
    token,
    tokenChars: escapes.reduce((set, e) => union(set, e.chars), spec.chars),
    minTokens: spec.minTokens,
    ...(spec.boundary && { boundaryChars: new RegExp(jsClass(spec.chars)), boundarySet: spec.chars }),
    reportUnknown: spec.reportUnknown,
    encoding: spec.encoding,
  };
}

const BODY = anyOf(KEY_BODY_CHARS);
/** base64 of text starting with `sk_` always starts with `c2tf`; a key of 23+ characters makes 32+. */
const BASE64_OF_PREFIX = 'c2tf';
const BASE64_MIN_TOKENS = 27;

const RULE_SPECS: readonly RuleSpec[] = [
  {
    id: 'key-shaped',
    keyword: KEY_PREFIX,
    chars: BODY,
    minTokens: KEY_MIN_BODY_LENGTH,
    boundary: true,
    reportUnknown: true,
    encoding: 'plain',
  },
  // A known key glued to other text (`tokensk_…`) is not key-shaped in context, but its hash still matches.
  {
    id: 'known-plain-glued',
    keyword: KEY_PREFIX,
    chars: BODY,
    minTokens: KEY_MIN_BODY_LENGTH,
    reportUnknown: false,
    encoding: 'plain',
  },
  {
    id: 'known-url',
    keyword: KEY_PREFIX,
    chars: anyOf('A-Za-z0-9_.~\\-'),
    escapes: [PERCENT_HEX],
    minTokens: KEY_MIN_BODY_LENGTH,
    reportUnknown: false,
    encoding: 'url',
  },
  {
    id: 'known-json',
    keyword: KEY_PREFIX,
    chars: noneOf('"\\\\', true),
    escapes: [BACKSLASH],
    minTokens: KEY_MIN_BODY_LENGTH,
    reportUnknown: false,
    encoding: 'json',
  },
  // (Every known-only rule asks for a key's minimum length, so common words like `task_id` are never hashed.)
  {
    id: 'known-base64',
    keyword: BASE64_OF_PREFIX,
    chars: anyOf('A-Za-z0-9+/'),
    minTokens: BASE64_MIN_TOKENS,
    tail: '={0,2}',
    reportUnknown: false,
    encoding: 'base64',
  },
  {
    id: 'known-base64url',
    keyword: BASE64_OF_PREFIX,
    chars: anyOf('A-Za-z0-9_\\-'),
    minTokens: BASE64_MIN_TOKENS,
    reportUnknown: false,
    encoding: 'base64',
  },
];

export const RULES: readonly Rule[] = RULE_SPECS.map(compile);

/** Per keyword: every character any of its rules' tokens can hold, and the fewest tokens any asks for. */
export interface KeywordSummary {
  keyword: string;
  chars: CharSet;
  minTokens: number;
  /** The character set before the keyword that rules out every rule (only when all of them need a boundary). */
  boundary?: CharSet;
}

export function keywordSummaries(includeKnownOnly: boolean): KeywordSummary[] {
  const out = new Map<string, KeywordSummary & { all: boolean }>();
  for (const rule of RULES) {
    if (!includeKnownOnly && !rule.reportUnknown) continue;
    const k = out.get(rule.keyword);
    if (!k) {
      out.set(rule.keyword, {
        keyword: rule.keyword,
        chars: rule.tokenChars,
        minTokens: rule.minTokens,
        boundary: rule.boundarySet,
        all: true,
      });
      continue;
    }
    k.chars = union(k.chars, rule.tokenChars);
    k.minTokens = Math.min(k.minTokens, rule.minTokens);
    if (!rule.boundarySet || !k.boundary || rule.boundarySet !== k.boundary) k.boundary = undefined;
  }
  return [...out.values()].map(({ all: _all, ...k }) =>
    k.boundary ? k : { keyword: k.keyword, chars: k.chars, minTokens: k.minTokens },
  );
}

/** A NUL (or any control byte) between the characters: UTF-16 text, little- or big-endian, as git sees its bytes. */
const UTF16_GAP = '[[:cntrl:]]';

/**
 * A POSIX extended regex, generated from RULES, that matches every line any rule could report on (and
 * more): for each keyword, the keyword and then as many of its rules' characters as the shortest rule
 * needs. The hook hands it to `git diff -G`, so a commit with no such line passes without starting node.
 * Each keyword is also matched as UTF-16 text (`s\0k\0_\0…` or `\0s\0k\0_…`: the keyword's characters
 * with a control byte between them, then twice as many bytes, as every key form is ASCII).
 */
export const CANDIDATE_LINE_ERE = keywordSummaries(true)
  .flatMap(({ keyword, chars, minTokens }) => {
    const plain = `${keyword}${posixBracket(chars)}{${minTokens}}`;
    const wide = chars.negated && chars.space ? posixBracket(chars) : posixBracket(chars, '[:cntrl:]');
    const utf16 = `${[...keyword].join(UTF16_GAP)}${wide}{${minTokens * 2}}`;
    return [plain, utf16];
  })
  .join('|');

/**
 * What every formatter says about a rule (text, JSON, SARIF, GitLab, the CI annotations, rule exports):
 * written here once.
 */
export interface RuleMetadata {
  id: string;
  /** PascalCase, as SARIF's `name`. */
  name: string;
  /** One line. */
  description: string;
  fullDescription: string;
  severity: Severity;
  /** What to do, one step a line, most urgent first. */
  remedy: readonly string[];
  helpUri: string;
  /** SARIF `security-severity` (0–10) and `precision`, as GitHub code scanning ranks alerts. */
  securitySeverity: string;
  precision: 'very-high' | 'high';
}

/** Where the rules are explained (no page per rule is published yet). */
const HELP_URI = 'https://signus.ai';

const REMEDY = [
  'Take the key out of the file: read it from an environment variable (e.g. SIGNUS_API_KEY) or keep it in the VS Code key store (the Signus extension), and load it at run time.',
  'If the key was ever pushed or shared, treat it as exposed: delete it in Signus (Settings → Developer) and create a new one. Removing it from the file does not remove it from git history.',
  'Not a real key? Mark it: a "signus:allow" comment on the line (or "signus:allow-next-line" above it), or its fingerprint on a line of .signusignore.',
] as const;

export const RULE_METADATA: Readonly<Record<typeof SHAPE_RULE_ID | typeof KNOWN_RULE_ID, RuleMetadata>> = {
  [SHAPE_RULE_ID]: {
    id: SHAPE_RULE_ID,
    name: 'SignusApiKey',
    description: 'A string shaped like a Signus API key',
    fullDescription:
      'Text that looks like a Signus API secret (sk_ followed by a random body). Keys in source code leak when the code is shared or pushed.',
    severity: 'warning',
    remedy: REMEDY,
    helpUri: HELP_URI,
    securitySeverity: '8.0',
    precision: 'high',
  },
  [KNOWN_RULE_ID]: {
    id: KNOWN_RULE_ID,
    name: 'SignusKnownKey',
    description: 'One of your own Signus API keys',
    fullDescription:
      'The SHA-256 of this text matches one of your own Signus API keys (or its base64, URL-encoded or JSON-escaped form), listed in your known-keys file.',
    severity: 'error',
    remedy: REMEDY,
    helpUri: HELP_URI,
    securitySeverity: '9.5',
    precision: 'very-high',
  },
};

/** The metadata of a finding's rule; undefined for an id no rule has. */
export function ruleMetadata(id: string): RuleMetadata | undefined {
  return Object.hasOwn(RULE_METADATA, id) ? RULE_METADATA[id as keyof typeof RULE_METADATA] : undefined;
}
