import type { ExchangeOutcome } from './http.js';
import type { Verdict } from './verdict-labels.js';

export { VERDICT_LABELS, verdictClass, type Verdict, type VerdictClass } from './verdict-labels.js';

export interface Assessment {
  verdict: Verdict;
  /** One line a person can act on. */
  hint: string;
  /** Seconds from `Retry-After`, when the server sent one. */
  retryAfterSeconds?: number;
  /** Which kind of network error or bad response, for programs that must tell them apart. */
  cause?: VerdictCause;
}

export type VerdictCause =
  | 'dns'
  | 'refused'
  | 'reset'
  | 'cut'
  | 'offline'
  | 'tls'
  | 'blocked'
  | 'network'
  | 'body_too_large'
  | 'empty_body'
  | 'not_json';

export interface AssessContext {
  accountId: string;
  baseUrl: string;
  /**
   * What a 2xx body must be to count: for the key test, the documented templates page. Without it, any
   * JSON is accepted (a caller that checks the shape itself).
   */
  expectBody?: (parsed: unknown) => boolean;
}

/** The documented answer to the key test: `{"payload": {"thisPageItems": [...], "totalNumber": N, "lastPageIndex": K}}`. */
export function isTemplatesEnvelope(parsed: unknown): boolean {
  if (!isObject(parsed) || !isObject(parsed.payload)) return false;
  const page = parsed.payload;
  return (
    Array.isArray(page.thisPageItems) && typeof page.totalNumber === 'number' && typeof page.lastPageIndex === 'number'
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function assess(outcome: ExchangeOutcome, context: AssessContext): Assessment {
  if (outcome.kind === 'failure') {
    const assessment = assessFailure(outcome, context);
    return assessment.verdict === 'network_error'
      ? { ...assessment, cause: outcome.failure as VerdictCause }
      : assessment;
  }
  const { status } = outcome;
  if (outcome.opaqueRedirect || (status >= 300 && status < 400)) {
    const location = outcome.headers.get('location');
    const origin = location === null ? undefined : originOf(location, context.baseUrl);
    return {
      verdict: 'redirect',
      hint:
        origin !== undefined
          ? `The server redirected to ${origin}; the key was not sent there. If that is the right server, use it as the base URL.`
          : location !== null
            ? 'The server redirected to an address that is not a valid URL; it was not followed, so the key stays where you sent it. Check the base URL.'
            : 'The server answered with a redirect; it was not followed so the key stays where you sent it. Check the base URL.',
    };
  }
  if (status === 401) {
    return {
      verdict: 'unauthorized',
      hint: 'The key is wrong, was deleted, or belongs to another workspace. Check it in Signus → Settings → Developer, or create a new one.',
    };
  }
  if (status === 403) {
    return {
      verdict: 'forbidden',
      hint: `The key is not allowed to use account ${context.accountId}: it may belong to another workspace's account, or API access is not enabled for this workspace.`,
    };
  }
  if (status === 404) {
    return {
      verdict: 'not_found',
      hint: `Nothing was found for account ${context.accountId}: check the Account ID (Signus → Settings → Account) and the base URL.`,
    };
  }
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(outcome.headers.get('retry-after'));
    const assessment: Assessment = {
      verdict: 'rate_limited',
      hint:
        retryAfterSeconds !== undefined
          ? `Too many requests: wait ${retryAfterSeconds} s (Retry-After) and try again. The key itself may be fine.`
          : 'Too many requests: wait a little and try again. The key itself may be fine.',
    };
    if (retryAfterSeconds !== undefined) assessment.retryAfterSeconds = retryAfterSeconds;
    return assessment;
  }
  if (status >= 500) {
    return {
      verdict: 'server_error',
      hint: `The Signus API failed (${status}); this says nothing about the key. Try again in a moment.`,
    };
  }
  if (status < 200 || status >= 300) {
    return {
      verdict: 'client_error',
      hint: `The API rejected the request (${status}). The body below says why.`,
    };
  }
  if (outcome.bodyOverCap) {
    return {
      verdict: 'bad_response',
      cause: 'body_too_large',
      hint: `The answer was larger than ${formatBytes(outcome.bodyBytes)} and was cut off; a list of 5 templates is never that big. Check the base URL points at the Signus API.`,
    };
  }
  if (outcome.bodyText.trim() === '') {
    return {
      verdict: 'bad_response',
      cause: 'empty_body',
      hint: `The API answered ${status} with an empty body, where a list of templates was expected. Check the base URL.`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(outcome.bodyText);
  } catch {
    return {
      verdict: 'bad_response',
      cause: 'not_json',
      hint: `The API answered ${status} but the body is not JSON. Is the base URL a Signus API and not a web page or proxy?`,
    };
  }
  if (context.expectBody && !context.expectBody(parsed)) {
    return {
      verdict: 'unexpected_response',
      hint: `The server answered ${status} with JSON that is not the list of templates the Signus API sends ({"payload": {"thisPageItems": …}}), so the key is not confirmed. Check the base URL points at the Signus API.`,
    };
  }
  return { verdict: 'valid', hint: `The key works and can read account ${context.accountId}.` };
}

function assessFailure(outcome: Extract<ExchangeOutcome, { kind: 'failure' }>, context: AssessContext): Assessment {
  const host = hostOf(context.baseUrl);
  switch (outcome.failure) {
    case 'timeout':
      return {
        verdict: 'timeout',
        hint: `No complete answer from ${host} in time. The server may be slow or unreachable; try again or raise the timeout.`,
      };
    case 'aborted':
      return { verdict: 'cancelled', hint: 'The test was cancelled before an answer arrived.' };
    case 'dns':
      return {
        verdict: 'network_error',
        hint: `The host ${host} could not be found (DNS). Check the base URL and your connection.`,
      };
    case 'refused':
      return {
        verdict: 'network_error',
        hint: `Nothing is listening at ${host} (connection refused). Is the server or emulator running?`,
      };
    case 'reset':
      return {
        verdict: 'network_error',
        hint: `The connection to ${host} dropped before the answer was complete. Try again; a proxy or firewall may be interfering.`,
      };
    case 'cut':
      return {
        verdict: 'network_error',
        hint: `${host} answered${outcome.status !== undefined ? ` ${outcome.status}` : ''}, then the connection closed before the body was complete, so the answer cannot be trusted. Try again; if it keeps happening, a proxy or firewall may be cutting it.`,
      };
    case 'offline':
      return {
        verdict: 'network_error',
        hint: `This computer is offline, so nothing was sent to ${host}. Reconnect and test again.`,
      };
    case 'tls':
      return { verdict: 'network_error', hint: `The TLS certificate of ${host} was not accepted (${outcome.detail}).` };
    case 'blocked':
      return {
        verdict: 'network_error',
        hint: `The request to ${host} was blocked before it was sent: ${outcome.detail}.`,
      };
    default:
      return {
        verdict: 'network_error',
        hint: `Could not reach ${host}: ${outcome.detail}. Check the base URL and your connection.`,
      };
  }
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/**
 * Only the origin of a redirect is shown: a path or query is the server's to fill, with anything,
 * the key included. Undefined for a Location that is no URL (or has no origin, like `data:`).
 */
function originOf(location: string, baseUrl: string): string | undefined {
  try {
    const { origin } = new URL(location, baseUrl);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
