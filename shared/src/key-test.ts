import { buildCurl, type Shell } from './curl.js';
import { KEY_TEST_PAGE, templatesUrl } from './endpoints.js';
import { exchange, type FetchLike } from './http.js';
import { PRODUCTION_BASE_URL } from './key-format.js';
import { echoRedactor } from './echo-redactor.js';
import { maskSecret } from './mask.js';
import { previewBody } from './preview.js';
import {
  assess,
  isTemplatesEnvelope,
  verdictClass,
  type Verdict,
  type VerdictCause,
  type VerdictClass,
} from './verdict.js';

export interface KeyTestInput {
  secret: string;
  accountId: string;
  /** Default: production, https://api.signus.ai. */
  baseUrl?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  signal?: AbortSignal;
  maxBodyBytes?: number;
}

export interface KeyTestRequest {
  method: 'GET';
  url: string;
  baseUrl: string;
  accountId: string;
  /** `sk_••••••••abcd`: which key was tested, safe to show and store. */
  maskedSecret: string;
}

export interface KeyTestResult {
  verdict: Verdict;
  verdictClass: VerdictClass;
  hint: string;
  /** Absent when no answer arrived (network error, timeout, cancelled). */
  status?: number;
  statusText: string;
  /** From just before the request to the end of the body, in milliseconds. */
  durationMs: number;
  /** The whole body as received (up to the size cap), redacted. */
  body: string;
  /** The whole body formatted, redacted: pretty JSON (2 spaces) when it parses, else as received. What "Copy full JSON" copies. */
  formattedBody: string;
  /** Characters (code points) in `formattedBody`. */
  formattedChars: number;
  bodyBytes: number;
  /** The body was bigger than the cap and was cut off there. */
  bodyOverCap: boolean;
  /** The first 800 characters of the body (pretty JSON when it parses). */
  preview: string;
  /** The preview is shorter than the body. */
  truncated: boolean;
  isJson: boolean;
  retryAfterSeconds?: number;
  /** Tells network errors (dns, refused, reset, tls, blocked) and bad responses (not_json, empty_body, body_too_large) apart. */
  cause?: VerdictCause;
  /**
   * The response headers a person acts on, lower-case, in the order received, redacted: the request id
   * (for support), rate limits, Retry-After, Content-Type. Empty when no answer arrived.
   */
  responseHeaders: [string, string][];
  /** For a valid key: `totalNumber` of the templates page, how many templates the key can see. */
  templateCount?: number;
  /** Ready-to-show cURL commands, secret masked. For the exact one use `exactCurl`. */
  curl: Record<Shell, string>;
  request: KeyTestRequest;
  testedAt: string;
}

/** Every header the key test sends besides Authorization: the cURL commands carry the same ones. */
export const KEY_TEST_HEADERS: readonly (readonly [string, string])[] = [['Accept', 'application/json']];

const SHOWN_HEADER =
  /^(x-request-id|request-id|x-correlation-id|x-amzn-requestid|cf-ray|retry-after|content-type|(x-)?ratelimit(-[a-z]+)+)$/;
/** A header value is the server's to fill: a screenful is not a header anyone needs to read. */
const HEADER_VALUE_CHARS = 200;

/**
 * Performs exactly the app's "Test API key" request,
 * `GET {base}/v1/accounts/{accountId}/templates?pageIndex=0&pageSize=5`, and says what came of it.
 * Never throws for a failed request. The result holds no full secret, so it can be logged or stored.
 */
export async function testApiKey(input: KeyTestInput): Promise<KeyTestResult> {
  const baseUrl = (input.baseUrl ?? PRODUCTION_BASE_URL).replace(/\/+$/, '');
  const url = templatesUrl(baseUrl, input.accountId, KEY_TEST_PAGE);
  const testedAt = new Date().toISOString();
  const outcome = await exchange(url, {
    headers: { Authorization: `Bearer ${input.secret}`, ...Object.fromEntries(KEY_TEST_HEADERS) },
    ...(input.fetch && { fetch: input.fetch }),
    ...(input.timeoutMs !== undefined && { timeoutMs: input.timeoutMs }),
    ...(input.signal && { signal: input.signal }),
    ...(input.maxBodyBytes !== undefined && { maxBodyBytes: input.maxBodyBytes }),
  });
  const assessment = assess(outcome, { accountId: input.accountId, baseUrl, expectBody: isTemplatesEnvelope });
  const request: KeyTestRequest = {
    method: 'GET',
    url,
    baseUrl,
    accountId: input.accountId,
    maskedSecret: maskSecret(input.secret),
  };
  const masked = { method: 'GET', url, secret: input.secret, headers: KEY_TEST_HEADERS };
  const curl = {
    posix: buildCurl(masked, { shell: 'posix' }),
    powershell: buildCurl(masked, { shell: 'powershell' }),
    cmd: buildCurl(masked, { shell: 'cmd' }),
  };
  // A server may echo the request back, in any form: every string that leaves the key test is redacted
  // as it is, after decoding and formatting, so no later step can bring the key back.
  const redact = echoRedactor(input.secret);
  const rawBody = outcome.kind === 'response' ? outcome.bodyText : '';
  const preview = previewBody(rawBody, undefined, redact);
  const result: KeyTestResult = {
    verdict: assessment.verdict,
    verdictClass: verdictClass(assessment.verdict),
    hint: redact(assessment.hint),
    statusText: redact(outcome.statusText ?? ''),
    durationMs: outcome.durationMs,
    body: redact(rawBody),
    formattedBody: preview.full,
    formattedChars: preview.fullChars,
    bodyBytes: outcome.kind === 'response' ? outcome.bodyBytes : 0,
    bodyOverCap: outcome.kind === 'response' && outcome.bodyOverCap,
    preview: preview.text,
    truncated: preview.truncated,
    isJson: preview.isJson,
    responseHeaders: outcome.kind === 'response' ? shownHeaders(outcome.headers, redact) : [],
    curl,
    request,
    testedAt,
  };
  if (assessment.verdict === 'valid') result.templateCount = templateCount(rawBody);
  if (outcome.kind === 'response' && !outcome.opaqueRedirect) result.status = outcome.status;
  if (outcome.kind === 'failure' && outcome.status !== undefined) result.status = outcome.status;
  if (assessment.retryAfterSeconds !== undefined) result.retryAfterSeconds = assessment.retryAfterSeconds;
  if (assessment.cause !== undefined) result.cause = assessment.cause;
  return result;
}

/** The exact cURL command of a key test, for the clipboard only. */
export function exactCurl(request: KeyTestRequest, secret: string, shell: Shell = 'posix'): string {
  return buildCurl(
    { method: request.method, url: request.url, secret, headers: KEY_TEST_HEADERS },
    { shell, reveal: true },
  );
}

function shownHeaders(headers: Headers, redact: (text: string) => string): [string, string][] {
  const shown: [string, string][] = [];
  headers.forEach((value, name) => {
    if (SHOWN_HEADER.test(name)) shown.push([name, Array.from(redact(value)).slice(0, HEADER_VALUE_CHARS).join('')]);
  });
  return shown;
}

/** Only called for a valid answer, whose body `isTemplatesEnvelope` already checked. */
function templateCount(body: string): number | undefined {
  const total = (JSON.parse(body) as { payload: { totalNumber: unknown } }).payload.totalNumber;
  return typeof total === 'number' ? total : undefined;
}
