import {
  containsKeyShaped,
  isKeyShaped,
  isUuid,
  KEY_MIN_BODY_LENGTH,
  KEY_PREFIX,
  PRODUCTION_BASE_URL,
} from './key-format.js';
import { maskSecret } from './mask.js';
import { quoteText } from './safe-text.js';

/** Why pasted text cannot be used. Messages never repeat the pasted secret. */
export type KeyProblemCode =
  | 'empty'
  | 'looks_like_account_id'
  | 'placeholder'
  | 'missing_prefix'
  | 'wrong_prefix_case'
  | 'inner_whitespace'
  | 'invalid_characters'
  | 'too_short';

export interface KeyProblem {
  code: KeyProblemCode;
  message: string;
}

export interface ParsedKey {
  /** The normalised secret; present only when there is no problem. */
  key?: string;
  problem?: KeyProblem;
  /** What was stripped from the pasted text, for a UI to say "removed Bearer prefix". */
  stripped: string[];
}

// Characters that never occur in a key or an Account ID, so trimming them from the ends is safe:
// quotes (straight and typographic) and the `,` or `;` that follows a value in code or JSON.
const EDGE_JUNK = /^[\s"'`“”‘’]+|[\s"'`“”‘’,;]+$/g;

interface Strip {
  name: string;
  pattern: RegExp;
}

// Peeled from the outside in, repeatedly: `export SIGNUS_API_KEY="sk_…"`, `Authorization: Bearer sk_…`,
// `"apiKey": "sk_…",`. Keys contain no `:` or `=`, so none of these can eat into a key.
const STRIPS: Strip[] = [
  { name: 'export', pattern: /^export\s+/i },
  { name: 'header name', pattern: /^authorization\s*:\s*/i },
  { name: 'variable name', pattern: /^["']?[A-Za-z_][A-Za-z0-9_.-]*["']?\s*[:=]\s*/ },
  { name: 'Bearer prefix', pattern: /^bearer\s+/i },
];

function peel(raw: string, strips: readonly Strip[]): { text: string; stripped: string[] } {
  const stripped = new Set<string>();
  let text = raw;
  for (;;) {
    const trimmed = text.replace(EDGE_JUNK, '');
    if (trimmed !== text) {
      stripped.add(text.trim() === trimmed ? 'surrounding whitespace' : 'quotes');
      text = trimmed;
    }
    const strip = strips.find((s) => s.pattern.test(text));
    if (!strip) return { text, stripped: [...stripped] };
    stripped.add(strip.name);
    text = text.replace(strip.pattern, '');
  }
}

/**
 * Normalises what people paste into a key field (surrounding whitespace and quotes, a leading
 * `Bearer `, `Authorization:` or `SIGNUS_API_KEY=`) and names what is wrong with the rest.
 */
export function parseApiKeyInput(raw: string): ParsedKey {
  const { text, stripped } = peel(raw, STRIPS);
  const problem = keyProblem(text);
  return problem ? { problem, stripped } : { key: text, stripped };
}

function keyProblem(text: string): KeyProblem | undefined {
  if (text.length === 0) return { code: 'empty', message: 'Paste an API key: it starts with sk_.' };
  if (isUuid(text)) {
    return {
      code: 'looks_like_account_id',
      message:
        'This looks like an Account ID (a UUID), not an API key. API keys start with sk_; the Account ID goes in its own field.',
    };
  }
  if (/^sk_(\.{2,}|…|x+|X+|<[^>]*>|\*+|your[_-].*|\$\{?[A-Z_]+\}?)$/i.test(text)) {
    return {
      code: 'placeholder',
      message:
        'This is a placeholder from documentation, not a real key. Paste the secret shown when the key was created.',
    };
  }
  if (!text.startsWith(KEY_PREFIX)) {
    if (text.toLowerCase().startsWith(KEY_PREFIX)) {
      return {
        code: 'wrong_prefix_case',
        message: 'Signus keys start with lower-case sk_; this one starts differently.',
      };
    }
    return {
      code: 'missing_prefix',
      message: `Signus API keys start with sk_; this starts with "${describeStart(text)}". Check that you copied the secret, not the key's name.`,
    };
  }
  if (/\s/.test(text)) {
    return {
      code: 'inner_whitespace',
      message:
        'The key contains spaces or line breaks; it was probably broken when copied. Copy it again in one piece.',
    };
  }
  const bad = text.slice(KEY_PREFIX.length).match(/[^A-Za-z0-9_-]/);
  if (bad) {
    return {
      code: 'invalid_characters',
      message: `The key contains "${bad[0]}", which never appears in a Signus key. Copy it again from where you stored it.`,
    };
  }
  if (!isKeyShaped(text)) {
    return {
      code: 'too_short',
      message: `The key is too short (${maskSecret(text)}): Signus keys have at least ${KEY_MIN_BODY_LENGTH} characters after sk_. It may have been cut when copied.`,
    };
  }
  return undefined;
}

function describeStart(text: string): string {
  // Three characters are enough to recognise what was pasted and too few to leak anything.
  return text.length <= 3 ? text : `${text.slice(0, 3)}…`;
}

const ACCOUNT_STRIPS = STRIPS.filter((s) => s.name === 'export' || s.name === 'variable name');

export type AccountIdProblemCode = 'empty' | 'looks_like_api_key' | 'not_a_uuid';

export interface ParsedAccountId {
  accountId?: string;
  problem?: { code: AccountIdProblemCode; message: string };
}

/** Account IDs are UUIDs (Signus app → Settings → Account). Returned lower-cased. */
export function parseAccountId(raw: string): ParsedAccountId {
  let { text } = peel(raw, ACCOUNT_STRIPS);
  text = text.replace(/^\{(.*)\}$/, '$1');
  if (text.length === 0) {
    return { problem: { code: 'empty', message: 'Enter the Account ID: a UUID from Signus → Settings → Account.' } };
  }
  if (text.toLowerCase().startsWith(KEY_PREFIX)) {
    return {
      problem: {
        code: 'looks_like_api_key',
        message:
          'This is an API key, not an Account ID. Put the key in the key field; the Account ID is a UUID from Signus → Settings → Account.',
      },
    };
  }
  if (!isUuid(text)) {
    return {
      problem: {
        code: 'not_a_uuid',
        message: 'An Account ID is a UUID like 123e4567-e89b-12d3-a456-426614174000 (Signus → Settings → Account).',
      },
    };
  }
  return { accountId: text.toLowerCase() };
}

export interface ParsedBaseUrl {
  baseUrl?: string;
  problem?: { code: 'invalid' | 'unsupported_protocol' | 'has_query' | 'has_credentials'; message: string };
  /** Set when the key would travel unencrypted to a host that is not this machine. */
  warning?: string;
  /** Set when the URL was corrected, saying how: "…/v1" would have become "…/v1/v1/accounts/…". */
  note?: string;
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.test(hostname);
}

/** A base URL: http(s), no query, fragment or credentials; the trailing slash is dropped. */
export function parseBaseUrl(raw: string | undefined): ParsedBaseUrl {
  const text = (raw ?? '').trim();
  if (text === '') return { baseUrl: PRODUCTION_BASE_URL };
  // Else it would be shown, logged and sent as part of every URL.
  if (containsKeyShaped(text)) {
    return {
      problem: {
        code: 'invalid',
        message: `${quoteText(text)} holds an API key; a base URL looks like https://api.signus.ai.`,
      },
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      problem: {
        code: 'invalid',
        message: `${quoteText(text)} is not a URL; a base URL looks like https://api.signus.ai.`,
      },
    };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return {
      problem: {
        code: 'unsupported_protocol',
        message: `A base URL must start with https:// (or http:// for a local emulator), not ${url.protocol}//.`,
      },
    };
  }
  if (url.username || url.password) {
    return { problem: { code: 'has_credentials', message: 'A base URL must not contain a user name or password.' } };
  }
  if (url.search || url.hash) {
    return { problem: { code: 'has_query', message: 'A base URL must not contain a query (?…) or fragment (#…).' } };
  }
  const path = url.pathname.replace(/\/+$/, '');
  // The API's paths start with /v1: a URL copied from the docs or a request ("…/v1", "…/v1/accounts/…")
  // means the part before it.
  const apiPath = /\/v1(\/.*)?$/i.exec(path);
  const baseUrl = `${url.origin}${apiPath ? path.slice(0, apiPath.index) : path}`;
  const note = apiPath
    ? `Using ${baseUrl}: the base URL is the part before /v1 (the tester adds /v1/accounts/… itself).`
    : undefined;
  const warning =
    url.protocol === 'http:' && !isLoopbackHost(url.hostname)
      ? `The key would be sent unencrypted over http:// to ${url.host}. Use https:// unless this is a local emulator.`
      : undefined;
  return { baseUrl, ...(warning && { warning }), ...(note && { note }) };
}
