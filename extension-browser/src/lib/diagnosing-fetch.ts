import type { FetchLike } from '@signus/shared';
import { originPattern } from './origins.js';

/**
 * A browser's fetch says "Failed to fetch" for a refused connection, an unknown host and being offline
 * alike, and hides a redirect's status and target (`opaqueredirect`). The webRequest API sees the
 * extension's own request and knows: this wraps fetch so the core's key test gets the network error's
 * name (`net::ERR_NAME_NOT_RESOLVED`, `NS_ERROR_CONNECTION_REFUSED`…) as the error's `code`, and a
 * redirect as the 3xx with its Location. It reads only the request it made, and keeps nothing.
 */

interface RequestEvent<T> {
  addListener(callback: (details: T) => void, filter: { urls: string[]; types?: string[] }, extra?: string[]): void;
  removeListener(callback: (details: T) => void): void;
}

interface ErrorDetails {
  url: string;
  error: string;
}

interface HeadersDetails {
  url: string;
  statusCode: number;
  statusLine?: string;
  responseHeaders?: { name: string; value?: string }[];
}

export interface WebRequestLike {
  onErrorOccurred: RequestEvent<ErrorDetails>;
  onHeadersReceived: RequestEvent<HeadersDetails>;
}

/** The network layer reports an error a moment after fetch rejects: this is how long it is waited for. */
const SETTLE_MS = 250;

interface Seen {
  error?: string;
  redirect?: { status: number; statusText: string; location: string | undefined };
}

export function diagnosingFetch(
  webRequest: WebRequestLike,
  fetch: FetchLike,
  isOnline: () => boolean = () => true,
): FetchLike {
  return async (url, init) => {
    const seen: Seen = {};
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const onError = (details: ErrorDetails) => {
      if (details.url !== url) return;
      seen.error = details.error;
      settle();
    };
    const onHeaders = (details: HeadersDetails) => {
      if (details.url !== url || details.statusCode < 300 || details.statusCode >= 400) return;
      seen.redirect = {
        status: details.statusCode,
        // "HTTP/1.1 301 Moved Permanently" → "Moved Permanently".
        statusText: /^\S+\s+\d{3}\s*(.*)$/.exec(details.statusLine ?? '')?.[1] ?? '',
        location: details.responseHeaders?.find((h) => h.name.toLowerCase() === 'location')?.value,
      };
      settle();
    };
    // A match pattern holds no query, so the listeners compare the whole URL themselves.
    const filter = { urls: [originPattern(url)], types: ['xmlhttprequest'] };
    webRequest.onErrorOccurred.addListener(onError, filter);
    webRequest.onHeadersReceived.addListener(onHeaders, filter, ['responseHeaders']);
    const waitForNetwork = () =>
      Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, SETTLE_MS))]);
    try {
      const response = await fetch(url, init);
      if (response.type !== 'opaqueredirect') return response;
      if (!seen.redirect) await waitForNetwork();
      if (!seen.redirect) return response;
      const { status, statusText, location } = seen.redirect;
      return new Response(null, { status, statusText, headers: location === undefined ? {} : { location } });
    } catch (error) {
      // A cancel or a timeout is the caller's own doing: nothing to look up.
      if (init.signal?.aborted) throw error;
      if (!seen.error) await waitForNetwork();
      const code = seen.error ?? (isOnline() ? undefined : 'net::ERR_INTERNET_DISCONNECTED');
      if (code !== undefined && error instanceof Error) Object.assign(error, { code });
      throw error;
    } finally {
      webRequest.onErrorOccurred.removeListener(onError);
      webRequest.onHeadersReceived.removeListener(onHeaders);
    }
  };
}
