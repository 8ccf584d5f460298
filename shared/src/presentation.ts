import type { Shell } from './curl.js';
import type { KeyTestRequest, KeyTestResult } from './key-test.js';
import { PREVIEW_CHARS } from './preview.js';
import { VERDICT_LABELS, verdictClass, type Verdict, type VerdictCause, type VerdictClass } from './verdict.js';

/**
 * A key test as every surface shows it: the CLI, the VS Code panel and notifications, the browser popup.
 * The surfaces only lay it out; every word and number is decided here, once. Everything in it is
 * already redacted (it is built from a `KeyTestResult`, which holds no key).
 */
export interface KeyTestView {
  verdict: Verdict;
  /** How it should look: the key works, the API said no, or no usable answer. */
  tone: VerdictClass;
  /** "Valid", "Unauthorized", "Host not found", "Connection refused"…: a network error says which. */
  headline: string;
  /** One line on what the answer holds, for a valid key: "12 templates visible to this key". */
  answer?: string;
  /** One line a person can act on. */
  hint: string;
  /** "401 Unauthorized", "200", or "No answer". */
  statusLine: string;
  /** "123 ms". */
  timing: string;
  /** "Retry after 30 s." when the server sent Retry-After. */
  retryAfter?: string;
  /** One line for a log, a notification or a dialog's title: "Unauthorized (HTTP 401)". */
  summary: string;
  /** Which key, account and server, all safe to show. */
  request: KeyTestRequest;
  testedAt: string;
  /** Absent when no answer arrived. */
  response?: ResponseView;
  /** The response headers worth reading (request id, rate limits, Retry-After, Content-Type), redacted. */
  headers: { name: string; value: string }[];
  /** The cURL command with the key masked, for each shell. The exact one: `exactCurl`, on request only. */
  curl: Record<Shell, string>;
  /** What `signus test` exits with. */
  exitCode: KeyTestExitCode;
}

export interface ResponseView {
  /** "Response (JSON)", "Response (not JSON)", "Response". */
  heading: string;
  isJson: boolean;
  /** The first 800 characters, pretty JSON when it parses; "" for an empty body. */
  preview: string;
  /** "Empty body." when there is none. */
  emptyNote?: string;
  /** "First 800 of 1,234 characters." when the preview is cut. */
  truncatedNote?: string;
  /** Set when the body was bigger than the cap and the rest was not read. */
  overCapNote?: string;
  /** The "Copy full …" button; absent for an empty body. */
  copy?: { label: 'Copy full JSON' | 'Copy full body'; text: string };
}

/** `signus test`: 0 the key works, 1 the API said no, 3 no usable answer. (2 is bad usage, before any test.) */
export type KeyTestExitCode = 0 | 1 | 3;
const EXIT_CODES: Record<VerdictClass, KeyTestExitCode> = { ok: 0, rejected: 1, no_answer: 3 };

export const NO_ANSWER = 'No answer';

const count = (n: number): string => n.toLocaleString('en-US');

/** "Network error" says nothing a person can act on: each way of not reaching the server has its own name. */
const CAUSE_HEADLINES: Partial<Record<VerdictCause, string>> = {
  dns: 'Host not found',
  refused: 'Connection refused',
  reset: 'Connection dropped',
  cut: 'Answer cut off',
  offline: 'Offline',
  tls: 'Certificate not accepted',
  blocked: 'Request blocked',
};

export function keyTestHeadline(verdict: Verdict, cause: VerdictCause | undefined): string {
  return (verdict === 'network_error' && cause !== undefined && CAUSE_HEADLINES[cause]) || VERDICT_LABELS[verdict];
}

export function presentKeyTest(result: KeyTestResult): KeyTestView {
  const headline = keyTestHeadline(result.verdict, result.cause);
  const view: KeyTestView = {
    verdict: result.verdict,
    tone: result.verdictClass,
    headline,
    hint: result.hint,
    statusLine: statusLine(result.status, result.statusText),
    timing: `${Math.round(result.durationMs)} ms`,
    summary: `${headline}${result.status !== undefined ? ` (HTTP ${result.status})` : ''}`,
    request: result.request,
    testedAt: result.testedAt,
    headers: result.responseHeaders.map(([name, value]) => ({ name, value })),
    curl: result.curl,
    exitCode: EXIT_CODES[result.verdictClass],
  };
  if (result.templateCount !== undefined) {
    view.answer = `${count(result.templateCount)} template${result.templateCount === 1 ? '' : 's'} visible to this key`;
  }
  if (result.retryAfterSeconds !== undefined) view.retryAfter = `Retry after ${result.retryAfterSeconds} s.`;
  if (result.status !== undefined || result.body !== '') view.response = presentResponse(result);
  return view;
}

function presentResponse(result: KeyTestResult): ResponseView {
  const response: ResponseView = {
    heading: result.body === '' ? 'Response' : result.isJson ? 'Response (JSON)' : 'Response (not JSON)',
    isJson: result.isJson,
    preview: result.preview,
  };
  if (result.body === '') response.emptyNote = 'Empty body.';
  else {
    response.copy = {
      label: result.isJson ? 'Copy full JSON' : 'Copy full body',
      // Pretty JSON when it parses, else the body as received: redacted either way.
      text: result.formattedBody,
    };
  }
  if (result.truncated)
    response.truncatedNote = `First ${PREVIEW_CHARS} of ${count(result.formattedChars)} characters.`;
  if (result.bodyOverCap) {
    response.overCapNote = `The body was larger than the ${count(result.bodyBytes)}-byte cap and was not read further.`;
  }
  return response;
}

function statusLine(status: number | undefined, statusText: string): string {
  return status === undefined ? NO_ANSWER : `${status} ${statusText}`.trim();
}

/** "Unauthorized (HTTP 401)", "Timed out": a failure (or success) in a few words. */
export function failureSummary(verdict: Verdict, status: number | undefined): string {
  return `${VERDICT_LABELS[verdict]}${status !== undefined ? ` (HTTP ${status})` : ''}`;
}

/**
 * The one message for a failed call, as `SignusApiError` carries it: "Unauthorized (HTTP 401): The key is
 * wrong…". The reason must already be redacted.
 */
export function failureMessage(verdict: Verdict, status: number | undefined, reason: string): string {
  return `${failureSummary(verdict, status)}: ${reason}`;
}

/** The exit code of `signus test` for a verdict. */
export function keyTestExitCode(verdict: Verdict): KeyTestExitCode {
  return EXIT_CODES[verdictClass(verdict)];
}
