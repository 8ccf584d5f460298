import { describe, expect, it } from 'vitest';
import { diagnosingFetch, type WebRequestLike } from '../../src/lib/diagnosing-fetch.js';

const URL_ = 'https://api.signus.ai/v1/accounts/a/templates?pageIndex=0&pageSize=5';

/** A fake webRequest whose events the test fires, recording what was listened to. */
function fakeWebRequest() {
  const listeners = { error: new Set<(d: never) => void>(), headers: new Set<(d: never) => void>() };
  const filters: unknown[] = [];
  const event = (set: Set<(d: never) => void>) => ({
    addListener: (cb: (d: never) => void, filter: unknown) => {
      set.add(cb);
      filters.push(filter);
    },
    removeListener: (cb: (d: never) => void) => set.delete(cb),
  });
  const webRequest = { onErrorOccurred: event(listeners.error), onHeadersReceived: event(listeners.headers) };
  return {
    webRequest: webRequest as unknown as WebRequestLike,
    filters,
    listening: () => listeners.error.size + listeners.headers.size,
    error: (url: string, error: string) => listeners.error.forEach((cb) => cb({ url, error } as never)),
    headers: (details: object) => listeners.headers.forEach((cb) => cb(details as never)),
  };
}

describe('diagnosingFetch: what the browser knows about its own failed request', () => {
  it('hands the network error of this URL over as the error code, even when it is reported after fetch rejects', async () => {
    const fake = fakeWebRequest();
    const fetch = diagnosingFetch(fake.webRequest, async () => {
      setTimeout(() => {
        fake.error('https://api.signus.ai/other', 'net::ERR_CONNECTION_RESET');
        fake.error(URL_, 'net::ERR_NAME_NOT_RESOLVED');
      }, 5);
      throw new TypeError('Failed to fetch');
    });
    await expect(fetch(URL_, {})).rejects.toMatchObject({
      message: 'Failed to fetch',
      code: 'net::ERR_NAME_NOT_RESOLVED',
    });
    expect(fake.filters[0]).toEqual({ urls: ['https://api.signus.ai/*'], types: ['xmlhttprequest'] });
    expect(fake.listening()).toBe(0);
  });

  it('says offline when the browser knows it is, and nothing when it knows nothing', async () => {
    const fake = fakeWebRequest();
    const failing = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(diagnosingFetch(fake.webRequest, failing, () => false)(URL_, {})).rejects.toMatchObject({
      code: 'net::ERR_INTERNET_DISCONNECTED',
    });
    const error = await diagnosingFetch(fake.webRequest, failing)(URL_, {}).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBeUndefined();
  });

  it('does not look anything up for a cancel', async () => {
    const fake = fakeWebRequest();
    const controller = new AbortController();
    controller.abort();
    const started = Date.now();
    const fetch = diagnosingFetch(fake.webRequest, async () => {
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(fetch(URL_, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(100);
  });

  it('turns an opaque redirect into the 3xx and Location the network saw', async () => {
    const fake = fakeWebRequest();
    const fetch = diagnosingFetch(fake.webRequest, async () => {
      fake.headers({
        url: URL_,
        statusCode: 301,
        statusLine: 'HTTP/1.1 301 Moved Permanently',
        responseHeaders: [{ name: 'Location', value: 'https://elsewhere.example/v1/x' }],
      });
      return Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' });
    });
    const response = await fetch(URL_, {});
    expect(response.status).toBe(301);
    expect(response.statusText).toBe('Moved Permanently');
    expect(response.headers.get('location')).toBe('https://elsewhere.example/v1/x');
  });

  it('passes an ordinary answer through untouched', async () => {
    const fake = fakeWebRequest();
    const answer = new Response('{}', { status: 200 });
    expect(await diagnosingFetch(fake.webRequest, async () => answer)(URL_, {})).toBe(answer);
  });
});
