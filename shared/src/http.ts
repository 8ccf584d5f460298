import { failureOfCode, type NetFailureKind } from './net-errors.js';

/**
 * One HTTP exchange with the limits every Signus call needs: a timeout, a caller's AbortSignal,
 * a cap on the body (memory stays bounded whatever the server sends), redirects never followed
 * (a redirect would carry the key to wherever it points), and the time from just before the
 * request to the end of the body. It never throws for a failed request: the outcome says what
 * happened. Uses only `fetch`, so it runs in Node, a browser extension and the VS Code host.
 */

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ExchangeOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
  signal?: AbortSignal;
  maxBodyBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

/**
 * `cut`: the status and headers arrived, then the connection failed before the body was complete.
 * `offline`: the browser knew it had no network and sent nothing.
 */
export type FailureKind = 'timeout' | 'aborted' | NetFailureKind | 'cut' | 'network';

export interface ExchangeResponse {
  kind: 'response';
  status: number;
  statusText: string;
  headers: Headers;
  /** The body, up to the cap, decoded as UTF-8. */
  bodyText: string;
  bodyBytes: number;
  /** The server sent more than `maxBodyBytes`; the rest was not read. */
  bodyOverCap: boolean;
  /** `fetch` in a browser hides a redirect's status and target: only the fact is known. */
  opaqueRedirect: boolean;
  durationMs: number;
}

export interface ExchangeFailure {
  kind: 'failure';
  failure: FailureKind;
  /** Plain-language detail, e.g. the system error code. Never contains the secret. */
  detail: string;
  /** The response status (and its text) when the failure happened while reading the body. */
  status?: number;
  statusText?: string;
  durationMs: number;
}

export type ExchangeOutcome = ExchangeResponse | ExchangeFailure;

const now = (): number => globalThis.performance.now();

export async function exchange(url: string, options: ExchangeOptions = {}): Promise<ExchangeOutcome> {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort();
  if (options.signal?.aborted) controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const started = now();
  const fail = (error: unknown, status?: number, statusText?: string): ExchangeFailure => {
    const described = describeFailure(error, timedOut, controller.signal.aborted);
    const outcome: ExchangeFailure = {
      kind: 'failure',
      // Whatever broke the body (a reset, a proxy, a wrong Content-Length), the answer began and did not end.
      ...(status !== undefined && described.failure !== 'timeout' && described.failure !== 'aborted'
        ? { failure: 'cut' as const, detail: described.detail }
        : described),
      durationMs: Math.round(now() - started),
    };
    if (status !== undefined) outcome.status = status;
    if (statusText !== undefined) outcome.statusText = statusText;
    return outcome;
  };

  try {
    let response: Response;
    try {
      const init: RequestInit = {
        method: options.method ?? 'GET',
        redirect: 'manual',
        signal: controller.signal,
        cache: 'no-store',
        credentials: 'omit',
      };
      if (options.headers) init.headers = options.headers;
      if (options.body !== undefined) init.body = options.body;
      response = await doFetch(url, init);
    } catch (error) {
      return fail(error);
    }
    let body: { text: string; bytes: number; overCap: boolean };
    try {
      body = await readCapped(response, maxBodyBytes);
    } catch (error) {
      return fail(error, response.status, response.statusText);
    }
    return {
      kind: 'response',
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      bodyText: body.text,
      bodyBytes: body.bytes,
      bodyOverCap: body.overCap,
      opaqueRedirect: response.type === 'opaqueredirect',
      durationMs: Math.round(now() - started),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function readCapped(
  response: Response,
  maxBytes: number,
): Promise<{ text: string; bytes: number; overCap: boolean }> {
  if (!response.body) return { text: '', bytes: 0, overCap: false };
  const reader = response.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - bytes;
    if (value.byteLength > room) {
      text += decoder.decode(value.subarray(0, room), { stream: true });
      bytes += room;
      // Stop the transfer: the rest would only cost memory and time.
      await reader.cancel().catch(() => undefined);
      return { text: text + decoder.decode(), bytes, overCap: true };
    }
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode(), bytes, overCap: false };
}

function describeFailure(
  error: unknown,
  timedOut: boolean,
  aborted: boolean,
): { failure: FailureKind; detail: string } {
  if (timedOut) return { failure: 'timeout', detail: 'no complete answer before the time limit' };
  if (aborted) return { failure: 'aborted', detail: 'cancelled' };
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  const known = code === undefined ? undefined : failureOfCode(code);
  if (known) return known;
  if (/terminated|other side closed|socket hang up/i.test(message)) {
    return { failure: 'reset', detail: 'the connection was closed before the answer was complete' };
  }
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error && cause.message === 'bad port') {
    return { failure: 'blocked', detail: 'fetch refuses that port: it is reserved for another protocol' };
  }
  if (/content security policy|blocked|permission/i.test(message)) {
    return { failure: 'blocked', detail: message };
  }
  return { failure: 'network', detail: code ? `${code}: ${message}` : message };
}

/** Node's fetch (undici) hides the system error in `cause`, sometimes two levels deep. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // Happy-eyeballs connects fail as an AggregateError, one error per address tried.
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
