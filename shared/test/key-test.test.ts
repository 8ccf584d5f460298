import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { exactCurl, maskSecret, testApiKey, type KeyTestResult, type Verdict } from '../src/index.js';
import { json, localServer, type LocalServer } from './local-server.js';

const KEY = 'sk_FAKE_test_0123456789abcdefWXYZ';
const ACCOUNT = '123e4567-e89b-12d3-a456-426614174000';
const PAGE = { payload: { thisPageItems: [{ id: 't1', name: 'NDA' }], totalNumber: 1, lastPageIndex: 0 } };

let servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(handler: (res: ServerResponse) => void): Promise<LocalServer> {
  const server = await localServer((_req, res) => handler(res));
  servers.push(server);
  return server;
}

async function run(
  handler: (res: ServerResponse) => void,
  extra: Partial<Parameters<typeof testApiKey>[0]> = {},
): Promise<KeyTestResult> {
  const server = await serve(handler);
  return testApiKey({ secret: KEY, accountId: ACCOUNT, baseUrl: server.url, ...extra });
}

function expectNoSecret(result: KeyTestResult): void {
  expect(JSON.stringify(result)).not.toContain(KEY);
}

describe('testApiKey', () => {
  it("sends exactly the app's request and reports a valid key", async () => {
    const server = await serve((res) => json(res, 200, PAGE));
    const result = await testApiKey({ secret: KEY, accountId: ACCOUNT, baseUrl: `${server.url}/` });
    const req = server.requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.url).toBe(`/v1/accounts/${ACCOUNT}/templates?pageIndex=0&pageSize=5`);
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(result).toMatchObject({
      verdict: 'valid',
      verdictClass: 'ok',
      status: 200,
      statusText: 'OK',
      isJson: true,
      truncated: false,
    });
    expect(result.preview).toBe(JSON.stringify(PAGE, null, 2));
    expect(result.body).toBe(JSON.stringify(PAGE));
    expect(result.request.url).toBe(`${server.url}/v1/accounts/${ACCOUNT}/templates?pageIndex=0&pageSize=5`);
    expect(req.headers.accept).toBe('application/json');
    // The cURL command sends every header the test sent.
    expect(result.curl.posix).toBe(
      `curl '${result.request.url}' -H 'Authorization: Bearer sk_••••••••WXYZ' -H 'Accept: application/json'`,
    );
    expect(exactCurl(result.request, KEY)).toBe(
      `curl '${result.request.url}' -H 'Authorization: Bearer ${KEY}' -H 'Accept: application/json'`,
    );
    expect(result.templateCount).toBe(1);
    expectNoSecret(result);
  });

  it('goes to production by default', async () => {
    let seen = '';
    const result = await testApiKey({
      secret: KEY,
      accountId: ACCOUNT,
      fetch: async (url) => {
        seen = url;
        return new Response(JSON.stringify(PAGE), { status: 200 });
      },
    });
    expect(seen).toBe(`https://api.signus.ai/v1/accounts/${ACCOUNT}/templates?pageIndex=0&pageSize=5`);
    expect(result.verdict).toBe('valid');
  });

  it.each<[number, Verdict, RegExp]>([
    [401, 'unauthorized', /wrong, was deleted, or belongs to another workspace/],
    [403, 'forbidden', /not allowed to use account/],
    [404, 'not_found', /check the Account ID/],
    [500, 'server_error', /says nothing about the key/],
    [503, 'server_error', /Try again/],
    [400, 'client_error', /rejected the request \(400\)/],
  ])('turns %i into %s with a hint', async (status, verdict, hint) => {
    const result = await run((res) => json(res, status, { error: { message: 'nope' } }));
    expect(result).toMatchObject({ verdict, verdictClass: 'rejected', status });
    expect(result.hint).toMatch(hint);
    expect(result.preview).toContain('"nope"');
  });

  it('reads Retry-After on 429', async () => {
    const result = await run((res) => json(res, 429, {}, { 'retry-after': '30' }));
    expect(result).toMatchObject({ verdict: 'rate_limited', retryAfterSeconds: 30 });
    expect(result.hint).toMatch(/wait 30 s/);
  });

  it('never follows a redirect, so the key never reaches another origin', async () => {
    const elsewhere = await serve((res) => json(res, 200, PAGE));
    const result = await run((res) => {
      res.writeHead(302, { location: `${elsewhere.url}/v1/stolen` });
      res.end();
    });
    expect(elsewhere.requests).toHaveLength(0);
    expect(result).toMatchObject({ verdict: 'redirect', status: 302 });
    // The origin only: a path or query is the server's to fill, with the key if it likes.
    expect(result.hint).toContain(`redirected to ${elsewhere.url};`);
    expect(result.hint).not.toContain('stolen');
  });

  it('reports a browser-style opaque redirect', async () => {
    const opaque = {
      type: 'opaqueredirect',
      status: 0,
      statusText: '',
      headers: new Headers(),
      body: null,
    } as unknown as Response;
    const result = await testApiKey({ secret: KEY, accountId: ACCOUNT, fetch: async () => opaque });
    expect(result.verdict).toBe('redirect');
    expect(result.status).toBeUndefined();
  });

  it('calls a 200 with a non-JSON body a bad response', async () => {
    const result = await run((res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    });
    expect(result).toMatchObject({
      verdict: 'bad_response',
      verdictClass: 'no_answer',
      isJson: false,
      preview: '<html>login</html>',
    });
    expect(result.hint).toMatch(/not JSON/);
    expect(result.cause).toBe('not_json');
  });

  it('calls a 200 with an empty body a bad response', async () => {
    const result = await run((res) => res.writeHead(200).end());
    expect(result.verdict).toBe('bad_response');
    expect(result.hint).toMatch(/empty body/);
    expect(result.cause).toBe('empty_body');
  });

  it('stops reading at the size cap and says so', async () => {
    const result = await run(
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(64 * 1024);
        for (let i = 0; i < 64; i++) res.write(chunk);
        res.end();
      },
      { maxBodyBytes: 100_000 },
    );
    expect(result).toMatchObject({ verdict: 'bad_response', bodyOverCap: true, bodyBytes: 100_000 });
    expect(result.body).toHaveLength(100_000);
    expect(result.hint).toMatch(/larger than/);
    expect(result.cause).toBe('body_too_large');
  });

  it('times out, and counts the time', async () => {
    const result = await run((res) => setTimeout(() => json(res, 200, PAGE), 2_000), { timeoutMs: 150 });
    expect(result).toMatchObject({ verdict: 'timeout', verdictClass: 'no_answer' });
    expect(result.durationMs).toBeGreaterThanOrEqual(140);
    expect(result.durationMs).toBeLessThan(1_500);
  });

  it('times out on a body that trickles in too slowly', async () => {
    const result = await run(
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"payload":');
        setTimeout(() => res.end('{}}'), 2_000);
      },
      { timeoutMs: 200 },
    );
    expect(result.verdict).toBe('timeout');
    expect(result.status).toBe(200);
  });

  it('measures the time until the end of the body', async () => {
    const result = await run((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"payload":');
      setTimeout(() => res.end('{"thisPageItems":[],"totalNumber":0,"lastPageIndex":0}}'), 250);
    });
    expect(result.verdict).toBe('valid');
    expect(result.durationMs).toBeGreaterThanOrEqual(240);
  });

  it("is cancelled by the caller's AbortSignal", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await run((res) => setTimeout(() => json(res, 200, PAGE), 2_000), { signal: controller.signal });
    expect(result.verdict).toBe('cancelled');
  });

  it('names a refused connection', async () => {
    const server = await serve((res) => json(res, 200, PAGE));
    const url = server.url;
    await server.close();
    servers = [];
    const result = await testApiKey({ secret: KEY, accountId: ACCOUNT, baseUrl: url });
    expect(result).toMatchObject({ verdict: 'network_error', verdictClass: 'no_answer' });
    expect(result.hint).toMatch(/connection refused/);
    expect(result.cause).toBe('refused');
  });

  it('names an unknown host', async () => {
    const result = await testApiKey({ secret: KEY, accountId: ACCOUNT, baseUrl: 'http://signus-emulator.invalid' });
    expect(result.verdict).toBe('network_error');
    expect(result.hint).toMatch(/could not be found \(DNS\)/);
    expect(result.cause).toBe('dns');
  });

  it('names a dropped connection', async () => {
    const result = await run((res) => res.socket?.destroy());
    expect(result).toMatchObject({ verdict: 'network_error', cause: 'reset' });
    expect(result.hint).toMatch(/dropped/);
  });

  it('names a connection dropped in the middle of the body', async () => {
    const result = await run((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"payload":');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    expect(result).toMatchObject({ verdict: 'network_error', status: 200, cause: 'cut' });
    expect(result.hint).toMatch(/answered 200, then the connection closed before the body was complete/);
  });

  it.each([
    ['net::ERR_NAME_NOT_RESOLVED', 'dns', /could not be found \(DNS\)/],
    ['NS_ERROR_UNKNOWN_HOST', 'dns', /could not be found \(DNS\)/],
    ['net::ERR_CONNECTION_REFUSED', 'refused', /connection refused/],
    ['NS_ERROR_CONNECTION_REFUSED', 'refused', /connection refused/],
    ['net::ERR_INTERNET_DISCONNECTED', 'offline', /This computer is offline, so nothing was sent/],
    ['NS_ERROR_OFFLINE', 'offline', /offline/],
    ['net::ERR_CONNECTION_RESET', 'reset', /dropped/],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'tls', /TLS certificate/],
    ['SEC_ERROR_UNKNOWN_ISSUER', 'tls', /TLS certificate/],
    ['net::ERR_UNSAFE_PORT', 'blocked', /blocked before it was sent/],
  ])("names a browser's %s (handed over as the error's code)", async (code, cause, hint) => {
    const result = await testApiKey({
      secret: KEY,
      accountId: ACCOUNT,
      fetch: async () => {
        throw Object.assign(new TypeError('Failed to fetch'), { code });
      },
    });
    expect(result).toMatchObject({ verdict: 'network_error', cause });
    expect(result.hint).toMatch(hint);
  });

  it('a browser body cut after the headers (its read fails with a plain TypeError) is cut, with the status', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"payload"'));
        controller.error(new TypeError('Failed to fetch'));
      },
    });
    const result = await testApiKey({
      secret: KEY,
      accountId: ACCOUNT,
      fetch: async () => new Response(body, { status: 200, statusText: 'OK' }),
    });
    expect(result).toMatchObject({ verdict: 'network_error', cause: 'cut', status: 200 });
  });

  it('shows the request id, rate-limit headers and Content-Type, redacted, and nothing else', async () => {
    const result = await run((res) => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-request-id': `req_1 ${KEY}`,
        'x-ratelimit-remaining': '99',
        'ratelimit-reset': '30',
        'set-cookie': 'session=abc',
        server: 'emu',
      });
      res.end(JSON.stringify({ payload: { thisPageItems: [], totalNumber: 12, lastPageIndex: 2 } }));
    });
    expect(result.responseHeaders).toEqual([
      ['content-type', 'application/json'],
      ['ratelimit-reset', '30'],
      ['x-ratelimit-remaining', '99'],
      ['x-request-id', `req_1 ${maskSecret(KEY)}`],
    ]);
    expect(result.templateCount).toBe(12);
  });

  it('names a TLS failure', async () => {
    const result = await testApiKey({
      secret: KEY,
      accountId: ACCOUNT,
      fetch: async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
        });
      },
    });
    expect(result.verdict).toBe('network_error');
    expect(result.hint).toMatch(/TLS certificate/);
    expect(result.cause).toBe('tls');
  });

  it('keeps the key out of the body even when the server echoes it', async () => {
    const result = await run((res) => json(res, 401, { echoed: `Bearer ${KEY}` }));
    expect(result.body).toContain('sk_••••••••WXYZ');
    expectNoSecret(result);
  });

  it('percent-encodes an odd Account ID instead of letting it change the path', async () => {
    const server = await serve((res) => json(res, 404, {}));
    await testApiKey({ secret: KEY, accountId: '../../x?y#z', baseUrl: server.url });
    expect(server.requests[0]!.url).toBe('/v1/accounts/..%2F..%2Fx%3Fy%23z/templates?pageIndex=0&pageSize=5');
  });
});
